import * as z from 'zod';
import { expandHosts } from '../core/scenario/build.js';
import { formatSpecPath, type InputProblem, type SourceMap, type SpecPath } from '../core/scenario/parse.js';
import { closest, type ScenarioSpec } from '../core/scenario/schema.js';
import { DAY_MS, HOUR_MS } from './distributions.js';
import { DEFAULT_DRIVER_OPTIONS, type DriverOptions, type EffectModel } from './drivers.js';
import './faults.js';
import { DEFAULT_INVARIANT_OPTIONS, type InvariantOptions } from './invariants.js';
import { describe, latencyRange, obj, positiveDuration, probability } from './options.js';
import { type ReferenceKind, registeredWorkloads, type WorkloadEntry, workloadFactory } from './workload.js';
import './workloads.js';

/**
 * The `simulation:` section of a scenario: how long to run, how often to sample, the simulated
 * drivers' latencies and failure rates, and the workloads and faults by name. The scenario
 * parser leaves the section to the simulator; `parseSimulation` checks it with the scenario
 * format's conventions (strict keys, every problem collected with its path and line:column).
 */

/** The checked section, durations in ms, defaults filled in. */
export interface SimulationSpec {
  /** Overrides the scenario's seed for the run. */
  seed?: number;
  /** The calendar date of virtual time 0 (YYYY-MM-DD), for forecasts; absent: 2026-01-01. */
  startDate?: string;
  durationMs: number;
  sampleEveryMs: number;
  /** Bring up each zone's secondary storage VM and console proxy before the workloads start. */
  systemVms: boolean;
  invariants: InvariantOptions;
  drivers: DriverOptions;
  workloads: WorkloadEntry[];
  faults: WorkloadEntry[];
  drill: DrillSpec;
}

export interface DrillSpec {
  /** Length of the faults phase; the run's duration when absent. */
  faultsForMs?: number;
  /** Time the cloud has to settle once every fault is healed. */
  settleWithinMs: number;
}

export const DEFAULT_SIMULATION: SimulationSpec = {
  durationMs: 30 * DAY_MS,
  sampleEveryMs: DAY_MS,
  systemVms: true,
  invariants: DEFAULT_INVARIANT_OPTIONS,
  drivers: DEFAULT_DRIVER_OPTIONS,
  workloads: [],
  faults: [],
  drill: { settleWithinMs: HOUR_MS },
};

const effectModel = obj({ latency: latencyRange.optional(), failureRate: probability.optional() });

const DRIVER_EFFECTS = ['vmStart', 'vmStop', 'vmReboot', 'vmMigrate', 'volumeCreate', 'volumeDelete', 'snapshotBackup', 'templateCopy', 'networkImplement', 'networkShutdown', 'routerConfigure'] as const;

const driversSchema = obj({
  vmStart: effectModel.optional(),
  vmStop: effectModel.optional(),
  vmReboot: effectModel.optional(),
  vmMigrate: effectModel.optional(),
  volumeCreate: effectModel.optional(),
  volumeDelete: effectModel.optional(),
  snapshotBackup: effectModel.optional(),
  templateCopy: effectModel.optional(),
  networkImplement: effectModel.optional(),
  networkShutdown: effectModel.optional(),
  routerConfigure: effectModel.optional(),
  /** Heartbeats missed before a host or pool is reported down. */
  failureDetection: latencyRange.optional(),
  /** From a repair to the up report. */
  reconnect: latencyRange.optional(),
});

/** A calendar date, YYYY-MM-DD, that exists. */
const calendarDate = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
    const ms = Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10)));
    if (new Date(ms).toISOString().slice(0, 10) === value) return value;
  }
  ctx.addIssue({ code: 'custom', message: `expected a date written YYYY-MM-DD (such as 2026-01-01), got ${describe(value)}` });
  return z.NEVER;
});

const sectionSchema = obj({
  seed: z.number().int().min(0).optional(),
  startDate: calendarDate.optional(),
  duration: positiveDuration.optional(),
  sampleEvery: positiveDuration.optional(),
  systemVms: z.boolean().optional(),
  invariants: obj({ fullCheckEvery: z.number().int().min(0).optional() }).optional(),
  drivers: driversSchema.optional(),
  // Entries are checked one by one against their own factory's schema, below.
  workloads: z.array(z.unknown()).optional(),
  faults: z.array(z.unknown()).optional(),
  drill: obj({ faultsFor: positiveDuration.optional(), settleWithin: positiveDuration.optional() }).optional(),
});

export type SimulationParseResult = { ok: true; simulation: SimulationSpec } | { ok: false; problems: InputProblem[] };

/**
 * Checks a scenario's `simulation:` value (absent: the defaults). With `source`, problems carry
 * line:column; with `scenario`, names the options use (zones, hosts, offerings, ...) are checked
 * against what the scenario declares.
 */
export function parseSimulation(raw: unknown, source?: SourceMap, scenario?: ScenarioSpec): SimulationParseResult {
  const base: SpecPath = ['simulation'];
  const problems: InputProblem[] = [];
  const report = (path: SpecPath, message: string, asKey = false): void => {
    const position = source?.locate(path, asKey);
    problems.push({ path: formatSpecPath(path), ...(position ? { position } : {}), message });
  };
  if (raw === undefined || raw === null) return { ok: true, simulation: DEFAULT_SIMULATION };
  const parsed = sectionSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    reportIssues(parsed.error.issues, base, report);
    return { ok: false, problems: sorted(problems) };
  }
  const section = parsed.data;
  const names = scenario ? scenarioNames(scenario) : undefined;
  const entries = (kind: 'workload' | 'fault', list: unknown[] | undefined): WorkloadEntry[] => {
    const key = kind === 'workload' ? 'workloads' : 'faults';
    const out: WorkloadEntry[] = [];
    const seen = new Set<string>();
    (list ?? []).forEach((item, index) => {
      const path: SpecPath = [...base, key, index];
      const entryName = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as { name?: unknown }).name : undefined;
      if (typeof entryName !== 'string') {
        report(item !== null && typeof item === 'object' && !Array.isArray(item) ? [...path, 'name'] : path, item !== null && typeof item === 'object' && !Array.isArray(item) ? `is required: the name of a ${kind} (${known(kind)})` : `expected a mapping with the name of a ${kind}, got ${describe(item)}`);
        return;
      }
      const factory = workloadFactory(entryName);
      if (!factory) {
        const hint = closest(entryName, registeredWorkloads().map((f) => f.name));
        report([...path, 'name'], `unknown ${kind} "${entryName}"${hint ? ` (did you mean "${hint}"?)` : ''}; known ${kind}s: ${known(kind)}`);
        return;
      }
      if (factory.kind !== kind) {
        report([...path, 'name'], `"${entryName}" is a ${factory.kind}; list it under ${factory.kind === 'fault' ? 'faults' : 'workloads'}`);
        return;
      }
      if (factory.single && seen.has(entryName)) {
        report([...path, 'name'], `only one ${entryName} entry is allowed: it sets something for the whole run`);
        return;
      }
      seen.add(entryName);
      const result = factory.schema.safeParse(item, { reportInput: true });
      if (!result.success) {
        reportIssues(result.error.issues, path, report);
        return;
      }
      if (names) {
        for (const reference of factory.references?.(result.data) ?? []) {
          const candidates = names[reference.kind];
          if (candidates.includes(reference.name)) continue;
          const hint = closest(reference.name, candidates);
          report([...path, ...reference.field], `${KIND_TEXT[reference.kind]} "${reference.name}" is not declared in the scenario${hint ? ` (did you mean "${hint}"?)` : ''}`);
        }
      }
      out.push({ name: entryName, options: result.data });
    });
    return out;
  };
  const workloads = entries('workload', section.workloads);
  const faults = entries('fault', section.faults);
  if (problems.length > 0) return { ok: false, problems: sorted(problems) };
  const drivers = { ...DEFAULT_DRIVER_OPTIONS };
  const given = section.drivers ?? {};
  for (const key of DRIVER_EFFECTS) {
    const value = given[key];
    if (!value) continue;
    const fallback: EffectModel = DEFAULT_DRIVER_OPTIONS[key];
    drivers[key] = { latencyMs: value.latency ?? fallback.latencyMs, failureProbability: value.failureRate ?? fallback.failureProbability };
  }
  if (given.failureDetection) drivers.failureDetectionMs = given.failureDetection;
  if (given.reconnect) drivers.reconnectMs = given.reconnect;
  return {
    ok: true,
    simulation: {
      ...(section.seed === undefined ? {} : { seed: section.seed }),
      ...(section.startDate === undefined ? {} : { startDate: section.startDate }),
      durationMs: section.duration ?? DEFAULT_SIMULATION.durationMs,
      sampleEveryMs: section.sampleEvery ?? DEFAULT_SIMULATION.sampleEveryMs,
      systemVms: section.systemVms ?? true,
      invariants: { fullCheckEvery: section.invariants?.fullCheckEvery ?? DEFAULT_INVARIANT_OPTIONS.fullCheckEvery },
      drivers,
      workloads,
      faults,
      drill: {
        ...(section.drill?.faultsFor === undefined ? {} : { faultsForMs: section.drill.faultsFor }),
        settleWithinMs: section.drill?.settleWithin ?? DEFAULT_SIMULATION.drill.settleWithinMs,
      },
    },
  };
}

function known(kind: 'workload' | 'fault'): string {
  return registeredWorkloads(kind).map((f) => f.name).join(', ');
}

function sorted(problems: InputProblem[]): InputProblem[] {
  return problems.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0));
}

const KIND_TEXT: Readonly<Record<ReferenceKind, string>> = {
  zone: 'zone',
  pod: 'pod',
  cluster: 'cluster',
  host: 'host',
  storagePool: 'primary storage pool',
  offering: 'compute offering',
  diskOffering: 'disk offering',
  network: 'network',
  template: 'template',
  domain: 'domain',
};

const EXPECTED: Readonly<Record<string, string>> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping' };

/** zod issues as located problems, in the words of the scenario parser. */
function reportIssues(issues: readonly z.core.$ZodIssue[], base: SpecPath, report: (path: SpecPath, message: string, asKey?: boolean) => void): void {
  for (const issue of issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) report([...path, key], issue.message.split('; ').find((m) => m.includes(`"${key}"`)) ?? `unknown key "${key}"`, true);
        break;
      case 'invalid_type':
        report(path, issue.input === undefined ? `is required (${EXPECTED[issue.expected] ?? issue.expected})` : `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`);
        break;
      case 'too_small':
        report(path, `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}, got ${describe(issue.input)}`);
        break;
      case 'too_big':
        report(path, `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}, got ${describe(issue.input)}`);
        break;
      case 'invalid_value':
        report(path, issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}, got ${describe(issue.input)}` : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(issue.input)}`);
        break;
      default:
        report(path, issue.message);
    }
  }
}

/** The names a scenario declares, by kind, for checking references. */
function scenarioNames(spec: ScenarioSpec): Record<ReferenceKind, string[]> {
  const out: Record<ReferenceKind, string[]> = { zone: [], pod: [], cluster: [], host: [], storagePool: [], offering: [], diskOffering: [], network: [], template: [], domain: ['ROOT'] };
  for (const zone of spec.zones) {
    out.zone.push(zone.name);
    for (const pool of zone.primaryStorage ?? []) out.storagePool.push(pool.name);
    for (const network of zone.networks ?? []) out.network.push(network.name);
    for (const vpc of zone.vpcs ?? []) for (const tier of vpc.tiers ?? []) out.network.push(tier.name);
    if (zone.networkType === 'Basic') out.network.push('DefaultGuestNetwork');
    for (const pod of zone.pods ?? []) {
      out.pod.push(pod.name);
      for (const cluster of pod.clusters ?? []) {
        out.cluster.push(cluster.name);
        for (const pool of cluster.primaryStorage ?? []) out.storagePool.push(pool.name);
        for (const host of cluster.hosts ?? []) {
          for (const { name } of expandHosts(host)) {
            out.host.push(name);
            if (zone.localStorage && (host.localStorageGiB ?? 0) > 0) out.storagePool.push(`${name}-local`);
          }
        }
      }
    }
  }
  for (const offering of spec.offerings?.compute ?? []) out.offering.push(offering.name);
  for (const offering of spec.offerings?.disk ?? []) out.diskOffering.push(offering.name);
  for (const template of spec.templates ?? []) out.template.push(template.name);
  for (const domain of spec.domains ?? []) out.domain.push(domain.name);
  return out;
}
