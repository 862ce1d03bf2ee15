import type { ScenarioSpec } from '../core/scenario/schema.js';
import type { SeededRng } from '../core/rng.js';
import { DAY_MS, describeDistribution, type DurationDistribution, formatDurationMs, HOUR_MS, MINUTE_MS, SECOND_MS } from './distributions.js';
import type { DriverOptions, EffectModel } from './drivers.js';
import { databaseFailover, hostCrash, managementServerOutage, podSwitchFailure, primaryStorageOutage } from './faults.js';
import { rngFor } from './runtime.js';
import { DEFAULT_SIMULATION, type SimulationSpec } from './schema.js';
import { type WorkloadEntry, workloadEntry } from './workload.js';
import { dailyCycle, monthlyGrowth, newAccounts, steadyArrivals, vmLifetimes } from './workloads.js';

/**
 * Swarm testing: every parameter of a run (driver latencies and failure rates, arrival rates,
 * lifetimes, which faults strike and how often) is drawn from the seed, so each seed explores a
 * different corner of the fault space and any failure replays from its seed. Print
 * `describeSwarm` before the run: the seed and everything drawn from it.
 */

export interface SwarmOptions {
  seed: number;
  durationMs: number;
  drivers: DriverOptions;
  arrivals: {
    perDay: number;
    growthPercent?: number;
    dailyAmplitude?: number;
    peakHour?: number;
    lifetime: DurationDistribution;
  };
  accounts: { initial: number; perMonth: number; networksPerAccount: number };
  /** Mean times between failures (per host, pool or pod) and repair times; absent: no such fault. */
  faults: {
    hostCrash?: { mtbfMs: number; mttrMs: number };
    primaryStorageOutage?: { mtbfMs: number; repairMs: number };
    podSwitchFailure?: { mtbfMs: number; repairMs: number };
    managementServerOutage?: { mtbfMs: number; repairMs: number };
    databaseFailover?: { mtbfMs: number };
  };
}

const pick = <T>(rng: SeededRng, values: readonly T[]): T => values[rng.intInclusive(0, values.length - 1)]!;
const between = (rng: SeededRng, min: number, max: number): number => min + rng.float() * (max - min);
/** Uniform on a log scale: rates and times spanning orders of magnitude. */
const logBetween = (rng: SeededRng, min: number, max: number): number => Math.exp(between(rng, Math.log(min), Math.log(max)));

function effect(rng: SeededRng, minMs: number, maxMs: number, failures: readonly number[]): EffectModel {
  const low = Math.round(between(rng, minMs, maxMs));
  const high = low + Math.round(between(rng, 0, maxMs - minMs));
  return { latencyMs: { minMs: low, maxMs: high }, failureProbability: pick(rng, failures) };
}

export function swarmOptions(seed: number): SwarmOptions {
  const rng = rngFor(seed, 'swarm');
  const failures = [0, 0, 0.001, 0.01, 0.05, 0.2] as const;
  const drivers: DriverOptions = {
    vmStart: effect(rng, 5 * SECOND_MS, 90 * SECOND_MS, failures),
    vmStop: effect(rng, 1 * SECOND_MS, 30 * SECOND_MS, [0]),
    vmReboot: effect(rng, 10 * SECOND_MS, 60 * SECOND_MS, [0]),
    vmMigrate: effect(rng, 5 * SECOND_MS, 120 * SECOND_MS, [0]),
    volumeCreate: effect(rng, 1 * SECOND_MS, 30 * SECOND_MS, failures),
    volumeDelete: effect(rng, 1 * SECOND_MS, 10 * SECOND_MS, [0]),
    snapshotBackup: effect(rng, 30 * SECOND_MS, 10 * MINUTE_MS, [0, 0.01]),
    templateCopy: effect(rng, 30 * SECOND_MS, 15 * MINUTE_MS, [0, 0.01]),
    networkImplement: effect(rng, 2 * SECOND_MS, 30 * SECOND_MS, failures),
    networkShutdown: effect(rng, 1 * SECOND_MS, 10 * SECOND_MS, [0]),
    routerConfigure: effect(rng, 1 * SECOND_MS, 10 * SECOND_MS, failures),
    failureDetectionMs: { minMs: Math.round(between(rng, 20 * SECOND_MS, 2 * MINUTE_MS)), maxMs: 0 },
    reconnectMs: { minMs: Math.round(between(rng, 10 * SECOND_MS, 2 * MINUTE_MS)), maxMs: 0 },
  };
  drivers.failureDetectionMs.maxMs = drivers.failureDetectionMs.minMs + Math.round(between(rng, 0, 4 * MINUTE_MS));
  drivers.reconnectMs.maxMs = drivers.reconnectMs.minMs + Math.round(between(rng, 0, 2 * MINUTE_MS));
  const lifetime: DurationDistribution = pick(rng, [
    (): DurationDistribution => ({ kind: 'exponential', meanMs: Math.round(logBetween(rng, HOUR_MS * 6, 60 * DAY_MS)) }),
    (): DurationDistribution => ({ kind: 'lognormal', medianMs: Math.round(logBetween(rng, HOUR_MS * 6, 30 * DAY_MS)), sigma: Math.round(between(rng, 0.3, 2) * 100) / 100 }),
    (): DurationDistribution => ({ kind: 'fixed', valueMs: Math.round(logBetween(rng, HOUR_MS, 10 * DAY_MS)) }),
  ])();
  const arrivals: SwarmOptions['arrivals'] = { perDay: Math.round(logBetween(rng, 3, 500)), lifetime };
  if (rng.chance(0.5)) arrivals.growthPercent = Math.round(between(rng, -5, 30));
  if (rng.chance(0.5)) {
    arrivals.dailyAmplitude = Math.round(between(rng, 0, 0.9) * 100) / 100;
    arrivals.peakHour = rng.intInclusive(0, 23);
  }
  const accounts = { initial: rng.intInclusive(1, 30), perMonth: Math.round(between(rng, 0, 20)), networksPerAccount: rng.intInclusive(0, 2) };
  const faults: SwarmOptions['faults'] = {};
  if (rng.chance(0.7)) faults.hostCrash = { mtbfMs: Math.round(logBetween(rng, 2 * DAY_MS, 1000 * DAY_MS)), mttrMs: Math.round(logBetween(rng, 5 * MINUTE_MS, DAY_MS)) };
  if (rng.chance(0.4)) faults.primaryStorageOutage = { mtbfMs: Math.round(logBetween(rng, 5 * DAY_MS, 365 * DAY_MS)), repairMs: Math.round(logBetween(rng, MINUTE_MS, 6 * HOUR_MS)) };
  if (rng.chance(0.3)) faults.podSwitchFailure = { mtbfMs: Math.round(logBetween(rng, 10 * DAY_MS, 365 * DAY_MS)), repairMs: Math.round(logBetween(rng, 5 * MINUTE_MS, 4 * HOUR_MS)) };
  if (rng.chance(0.4)) faults.managementServerOutage = { mtbfMs: Math.round(logBetween(rng, 2 * DAY_MS, 100 * DAY_MS)), repairMs: Math.round(logBetween(rng, MINUTE_MS, 4 * HOUR_MS)) };
  if (rng.chance(0.3)) faults.databaseFailover = { mtbfMs: Math.round(logBetween(rng, DAY_MS, 60 * DAY_MS)) };
  return { seed, durationMs: pick(rng, [3, 7, 14, 30]) * DAY_MS, drivers, arrivals, accounts, faults };
}

/**
 * The options as a simulation section for a scenario. Arrivals go to every zone; a zone without
 * a guest CIDR (no default isolated networks) gets its first declared network for its VMs.
 */
export function swarmSimulation(options: SwarmOptions, scenario: ScenarioSpec, base: SimulationSpec = DEFAULT_SIMULATION): SimulationSpec {
  const workloads: WorkloadEntry[] = [];
  const zones = scenario.zones.filter((z) => z.type !== 'Edge' && z.enabled !== false);
  const perZone = options.arrivals.perDay / Math.max(1, zones.length);
  let ownNetworks = false;
  for (const zone of zones) {
    const needsNetwork = zone.networkType === 'Advanced' && !zone.guestCidr && !zone.securityGroups;
    const network = needsNetwork ? zone.networks?.[0]?.name : undefined;
    if (needsNetwork && network === undefined) continue;
    if (zone.networkType === 'Advanced' && !needsNetwork) ownNetworks = true;
    workloads.push(workloadEntry(steadyArrivals, { name: 'steadyArrivals', perDay: perZone, zone: zone.name, ...(network === undefined ? {} : { network }) }));
  }
  workloads.push(workloadEntry(newAccounts, { name: 'newAccounts', initial: options.accounts.initial, perMonth: options.accounts.perMonth, networksPerAccount: ownNetworks ? options.accounts.networksPerAccount : 0 }));
  const lifetime = options.arrivals.lifetime;
  workloads.push(workloadEntry(vmLifetimes, {
    name: 'vmLifetimes',
    distribution: lifetime.kind,
    ...(lifetime.kind === 'fixed' ? { value: lifetime.valueMs } : lifetime.kind === 'exponential' ? { mean: lifetime.meanMs } : { median: lifetime.medianMs, sigma: lifetime.sigma }),
  }));
  if (options.arrivals.growthPercent !== undefined) workloads.push(workloadEntry(monthlyGrowth, { name: 'monthlyGrowth', percent: options.arrivals.growthPercent }));
  if (options.arrivals.dailyAmplitude !== undefined) workloads.push(workloadEntry(dailyCycle, { name: 'dailyCycle', amplitude: options.arrivals.dailyAmplitude, peakHour: options.arrivals.peakHour ?? 14 }));
  const f = options.faults;
  const faults: WorkloadEntry[] = [];
  if (f.hostCrash) faults.push(workloadEntry(hostCrash, { name: 'hostCrash', mtbf: f.hostCrash.mtbfMs, mttr: f.hostCrash.mttrMs }));
  if (f.primaryStorageOutage) faults.push(workloadEntry(primaryStorageOutage, { name: 'primaryStorageOutage', mtbf: f.primaryStorageOutage.mtbfMs, repair: f.primaryStorageOutage.repairMs }));
  if (f.podSwitchFailure) faults.push(workloadEntry(podSwitchFailure, { name: 'podSwitchFailure', mtbf: f.podSwitchFailure.mtbfMs, repair: f.podSwitchFailure.repairMs }));
  if (f.managementServerOutage) faults.push(workloadEntry(managementServerOutage, { name: 'managementServerOutage', mtbf: f.managementServerOutage.mtbfMs, repair: f.managementServerOutage.repairMs }));
  if (f.databaseFailover) faults.push(workloadEntry(databaseFailover, { name: 'databaseFailover', mtbf: f.databaseFailover.mtbfMs }));
  return { ...base, seed: options.seed, durationMs: options.durationMs, drivers: options.drivers, workloads, faults, drill: { ...base.drill, faultsForMs: options.durationMs } };
}

const percent = (p: number): string => `${+(p * 100).toFixed(2)}%`;
const range = (r: { minMs: number; maxMs: number }): string => (r.minMs === r.maxMs ? formatDurationMs(r.minMs) : `${formatDurationMs(r.minMs)}..${formatDurationMs(r.maxMs)}`);

/** The seed and every option drawn from it, one line each, to print before the run. */
export function describeSwarm(options: SwarmOptions): string[] {
  const lines = [`seed ${options.seed}`, `duration ${formatDurationMs(options.durationMs)}`];
  for (const [key, value] of Object.entries(options.drivers)) {
    if ('latencyMs' in value) lines.push(`driver ${key}: latency ${range(value.latencyMs)}, failures ${percent(value.failureProbability)}`);
    else lines.push(`driver ${key.replace(/Ms$/, '')}: ${range(value)}`);
  }
  const a = options.arrivals;
  lines.push(`arrivals ${a.perDay}/day${a.growthPercent === undefined ? '' : `, growth ${a.growthPercent}%/month`}${a.dailyAmplitude === undefined ? '' : `, daily cycle amplitude ${a.dailyAmplitude} peak ${a.peakHour}h`}`);
  lines.push(`lifetimes ${describeDistribution(a.lifetime)}`);
  lines.push(`accounts ${options.accounts.initial} initial, ${options.accounts.perMonth}/month, ${options.accounts.networksPerAccount} network(s) each`);
  const f = options.faults;
  lines.push(f.hostCrash ? `fault hostCrash: mtbf ${formatDurationMs(f.hostCrash.mtbfMs)} per host, mttr ${formatDurationMs(f.hostCrash.mttrMs)}` : 'fault hostCrash: off');
  lines.push(f.primaryStorageOutage ? `fault primaryStorageOutage: mtbf ${formatDurationMs(f.primaryStorageOutage.mtbfMs)} per pool, repair ${formatDurationMs(f.primaryStorageOutage.repairMs)}` : 'fault primaryStorageOutage: off');
  lines.push(f.podSwitchFailure ? `fault podSwitchFailure: mtbf ${formatDurationMs(f.podSwitchFailure.mtbfMs)} per pod, repair ${formatDurationMs(f.podSwitchFailure.repairMs)}` : 'fault podSwitchFailure: off');
  lines.push(f.managementServerOutage ? `fault managementServerOutage: mtbf ${formatDurationMs(f.managementServerOutage.mtbfMs)}, repair ${formatDurationMs(f.managementServerOutage.repairMs)}` : 'fault managementServerOutage: off');
  lines.push(f.databaseFailover ? `fault databaseFailover: mtbf ${formatDurationMs(f.databaseFailover.mtbfMs)}` : 'fault databaseFailover: off');
  return lines;
}
