import type { Id } from '../core/model/entities.js';
import type { CloudState } from '../core/model/state.js';
import type { InputProblem, SourceMap } from '../core/scenario/parse.js';
import { closest, type ScenarioSpec } from '../core/scenario/schema.js';
import { HOUR_MS, MINUTE_MS } from './distributions.js';
import { deployDemand, demandVmCount, type PopulationReport, settlePopulation } from './populate.js';
import { parseSimulation, type SimulationSpec } from './schema.js';
import { createSimulation, type SimulateOptions, type Simulation } from './simulation.js';
import type { WorkloadEntry } from './workload.js';

/**
 * What every drill starts with: the scenario's cloud, populated, at the virtual time the failure
 * is to strike.
 *
 * Population rule: a scenario whose `simulation:` section has workloads runs them from time 0 up
 * to `at` (default: the section's `drill.faultsFor`, else its duration); otherwise its `demand:`
 * is deployed at time 0 (see populate.ts) and the drill starts at `at` (default 1 h, long after
 * every VM has started); a scenario with neither drills an empty cloud. Either way everything
 * goes through the core, and the seed (option, else the section's, else the scenario's, else 0)
 * fixes every draw.
 */

/** Demand-populated clouds start the drill this long after the deploys. */
export const DEMAND_DRILL_AT_MS = HOUR_MS;

export interface DrillSetupOptions {
  seed?: number;
  /** When the drill starts (the failure strikes, or n-1 looks at the cloud). */
  atMs?: number;
  source?: SourceMap;
  /** The section's faults are replaced by these (a targeted drill leaves them out: []). */
  faults?: WorkloadEntry[];
  /** When those faults start counting (default: `at`). */
  faultsFromMs?: number;
  invariants?: SimulateOptions['invariants'];
  /** Keep the event log (build included), for replay. Costs memory. */
  recordEvents?: boolean;
  /** Called with the share (0-1) of the population done. */
  onProgress?: (fraction: number) => void;
}

export interface DrillSetup {
  run: Simulation;
  section: SimulationSpec;
  atMs: number;
  population: PopulationReport;
}

export type DrillSetupResult = { ok: true; setup: DrillSetup } | { ok: false; problems: InputProblem[] };

/** What a drill populates the cloud from (the rule above). */
export function populationSource(spec: ScenarioSpec, section: SimulationSpec): PopulationReport['source'] {
  return section.workloads.length > 0 ? 'simulation' : demandVmCount(spec) > 0 ? 'demand' : 'none';
}

/** When a drill starts unless told: the section's drill.faultsFor (else its duration) after its workloads; 1 h after a demand. */
export function defaultDrillAtMs(spec: ScenarioSpec, section: SimulationSpec): number {
  return populationSource(spec, section) === 'simulation' ? section.drill.faultsForMs ?? section.durationMs : DEMAND_DRILL_AT_MS;
}

/** Checks the section, builds the cloud and its runtime; nothing has run yet (see `populate`). */
export function createDrillCloud(spec: ScenarioSpec, options: DrillSetupOptions = {}): { ok: true; run: Simulation; section: SimulationSpec; atMs: number; source: PopulationReport['source'] } | { ok: false; problems: InputProblem[] } {
  const parsed = parseSimulation(spec.simulation, options.source, spec);
  if (!parsed.ok) return parsed;
  const section: SimulationSpec = { ...parsed.simulation, ...(options.faults ? { faults: options.faults } : {}) };
  const source = populationSource(spec, section);
  const atMs = options.atMs ?? defaultDrillAtMs(spec, section);
  const created = createSimulation(spec, {
    simulation: section,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.invariants === undefined ? {} : { invariants: options.invariants }),
    ...(options.recordEvents ? { recordEvents: true } : {}),
    faultsFromMs: options.faultsFromMs ?? atMs,
  });
  if (!created.ok) return created;
  return { ok: true, run: created.simulation, section, atMs, source };
}

/** Starts the run, puts the VMs in (workloads or demand) and runs up to `atMs`. */
export function populate(run: Simulation, source: PopulationReport['source'], atMs: number, onProgress?: (fraction: number) => void): PopulationReport {
  run.start();
  let report: PopulationReport = { source, vmsRequested: 0, vmsDeployed: 0, accountsCreated: 0, networksCreated: 0, refused: [], buildProblems: [] };
  if (source === 'demand') {
    report = deployDemand(run, onProgress ? (f) => onProgress(0.5 * f) : undefined);
    onProgress?.(0.5);
    settlePopulation(run, Math.max(0, atMs - run.nowMs));
  }
  // Workloads run in slices so a long population can report how far it got.
  const slices = 50;
  const fromMs = run.nowMs;
  for (let i = 1; i <= slices && run.nowMs < atMs; i++) {
    run.runUntil(fromMs + Math.ceil(((atMs - fromMs) * i) / slices));
    onProgress?.(source === 'demand' ? 0.5 + i / (2 * slices) : i / slices);
  }
  if (run.nowMs < atMs) run.runUntil(atMs);
  onProgress?.(1);
  return { ...report, buildProblems: [...run.buildProblems] };
}

/** Creates and populates in one go. */
export function prepareDrill(spec: ScenarioSpec, options: DrillSetupOptions = {}): DrillSetupResult {
  const created = createDrillCloud(spec, options);
  if (!created.ok) return created;
  const population = populate(created.run, created.source, created.atMs, options.onProgress);
  return { ok: true, setup: { run: created.run, section: created.section, atMs: created.atMs, population } };
}

// ----- failure targets -----

export const FAIL_KINDS = ['host', 'cluster', 'pod', 'zone', 'storage', 'management'] as const;
export type FailKind = (typeof FAIL_KINDS)[number];

/**
 * How long each kind of failure lasts in a targeted drill unless told otherwise: the repair
 * times of the matching named faults (a host reboots in about 2 h, a switch is replaced in 1 h,
 * an NFS server returns in 30 min, a zone's power in 2 h, a management server in 15 min).
 */
export const DEFAULT_REPAIR_MS: Readonly<Record<FailKind, number>> = {
  host: 2 * HOUR_MS,
  cluster: HOUR_MS,
  pod: HOUR_MS,
  zone: 2 * HOUR_MS,
  storage: 30 * MINUTE_MS,
  management: 15 * MINUTE_MS,
};

/** What a failure of a target takes down in the physical world. */
export interface FailTarget {
  kind: FailKind;
  /** The target's name ("management server" for the management plane). */
  name: string;
  id: Id;
  hostIds: Id[];
  poolIds: Id[];
  management: boolean;
}

/**
 * Finds a target by name (or id) in the cloud. A host takes itself down; a cluster or a pod
 * (its power or its top-of-rack switch) every host in it, their storage staying up; a zone every
 * host and every primary storage pool of it; storage one primary storage pool; management the
 * management plane (no target).
 */
export function resolveTarget(state: CloudState, kind: FailKind, target: string | undefined): { ok: true; target: FailTarget } | { ok: false; message: string } {
  if (kind === 'management') {
    if (target !== undefined) return { ok: false, message: `--target: --fail management takes no target (the management plane stops as a whole), got "${target}"` };
    return { ok: true, target: { kind, name: 'management server', id: 'management', hostIds: [], poolIds: [], management: true } };
  }
  if (target === undefined || target.trim() === '') return { ok: false, message: `--target: --fail ${kind} needs the name (or id) of the ${WHAT[kind]} to fail` };
  const records: { id: Id; name: string }[] =
    kind === 'host' ? [...state.hosts.values()]
    : kind === 'cluster' ? [...state.clusters.values()]
    : kind === 'pod' ? [...state.pods.values()]
    : kind === 'zone' ? [...state.zones.values()]
    : [...state.storagePools.values()];
  const byName = records.filter((r) => r.name === target);
  const found = byName.length > 0 ? byName : records.filter((r) => r.id === target);
  if (found.length === 0) {
    const hint = closest(target, records.map((r) => r.name));
    const sample = records.slice(0, 8).map((r) => r.name).join(', ');
    return { ok: false, message: `--target: no ${WHAT[kind]} named "${target}"${hint ? ` (did you mean "${hint}"?)` : ''}; ${records.length === 0 ? `the cloud has no ${WHAT[kind]}` : `${WHAT[kind]}s: ${sample}${records.length > 8 ? `, … (${records.length})` : ''}`}` };
  }
  if (found.length > 1) return { ok: false, message: `--target: ${found.length} ${WHAT[kind]}s are named "${target}"; give the id of one: ${found.map((r) => r.id).join(', ')}` };
  const record = found[0]!;
  const hostIds: Id[] = [];
  const poolIds: Id[] = [];
  const hostsOfCluster = (clusterId: Id): void => {
    hostIds.push(...(state.index.hostsByCluster.get(clusterId) ?? []));
  };
  switch (kind) {
    case 'host':
      hostIds.push(record.id);
      break;
    case 'cluster':
      hostsOfCluster(record.id);
      break;
    case 'pod':
      for (const clusterId of state.index.clustersByPod.get(record.id) ?? []) hostsOfCluster(clusterId);
      break;
    case 'zone':
      for (const host of state.hosts.values()) if (host.zoneId === record.id) hostIds.push(host.id);
      poolIds.push(...(state.index.storagePoolsByZone.get(record.id) ?? []));
      break;
    case 'storage':
      poolIds.push(record.id);
      break;
  }
  return { ok: true, target: { kind, name: record.name, id: record.id, hostIds, poolIds, management: false } };
}

const WHAT: Readonly<Record<FailKind, string>> = { host: 'host', cluster: 'cluster', pod: 'pod', zone: 'zone', storage: 'primary storage pool', management: 'management server' };
