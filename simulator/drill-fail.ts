import type { InputProblem, SourceMap } from '../core/scenario/parse.js';
import type { ScenarioSpec } from '../core/scenario/schema.js';
import { SECOND_MS } from './distributions.js';
import { convergenceProblems, strandedVms, type StrandedVm } from './drill.js';
import { createDrillCloud, DEFAULT_REPAIR_MS, type FailKind, type FailTarget, populate, resolveTarget } from './drill-setup.js';
import { type FailureImpact, ImpactTracker } from './impact.js';
import type { PopulationReport } from './populate.js';
import type { Simulation } from './simulation.js';

/**
 * A targeted failure drill: one host, cluster, pod, zone, primary storage pool or the management
 * server fails at a chosen virtual time, in a cloud populated as drill-setup.ts describes, and is
 * repaired after the repair time. The drill has the usual two phases: the failure runs its
 * course with the invariants checked after every step (safety); then arrivals stop and the
 * cloud must settle within the bound (liveness). The scenario's own faults are left out, so what
 * the report shows is this failure's doing.
 *
 * For a management server failure the drill also sends one API request in the middle of the
 * outage (a start of a running VM, harmless either way) to show the API refusing it, and counts
 * the user VMs running before and during the outage.
 */

export interface FailureDrillOptions {
  kind: FailKind;
  target?: string;
  seed?: number;
  atMs?: number;
  /** How long the failure lasts; DEFAULT_REPAIR_MS[kind] when absent. */
  repairMs?: number;
  /** Phase two's bound; the section's drill.settleWithin when absent. */
  settleWithinMs?: number;
  source?: SourceMap;
  onProgress?: (fraction: number) => void;
}

export interface ApiProbe {
  atMs: number;
  request: string;
  accepted: boolean;
  code?: string;
  message?: string;
}

export interface FailureDrillResult {
  seed: number;
  kind: FailKind;
  target: string;
  targetId: string;
  atMs: number;
  repairMs: number;
  population: PopulationReport;
  /** VMs in the cloud when the failure struck. */
  vmsAtFailure: { user: number; system: number };
  impact: FailureImpact;
  /** The API request sent during a management outage; null for other failures. */
  probe: ApiProbe | null;
  healedAtMs: number;
  /** Null when the cloud did not settle within the bound (see `unsettled`). */
  settledAtMs: number | null;
  settleMs: number | null;
  /** What kept the cloud from settling, when it did not. */
  unsettled: string[];
  /** Every HA VM of the cloud down with a reason at the end (this failure's and any before). */
  strandedAtEnd: StrandedVm[];
}

export type FailureDrillOutcome = { ok: true; drill: FailureDrillResult } | { ok: false; problems: InputProblem[] } | { ok: false; targetError: string };

export function failureDrill(spec: ScenarioSpec, options: FailureDrillOptions): FailureDrillOutcome {
  const created = createDrillCloud(spec, { faults: [], ...pick(options) });
  if (!created.ok) return created;
  const { run, section, atMs } = created;
  const resolved = resolveTarget(run.runtime.state, options.kind, options.target);
  if (!resolved.ok) return { ok: false, targetError: resolved.message };
  const target = resolved.target;
  const repairMs = options.repairMs ?? DEFAULT_REPAIR_MS[options.kind];
  const progress = options.onProgress;
  const population = populate(run, created.source, atMs, progress ? (f) => progress(0.8 * f) : undefined);
  const tracker = new ImpactTracker(run.runtime);
  const counts = run.runtime.state.index.vmCountsByState;
  const sum = (record: Record<string, number>): number => Object.entries(record).reduce((n, [state, count]) => n + (state === 'Destroyed' || state === 'Expunging' ? 0 : count), 0);
  const vmsAtFailure = { user: sum(counts.user), system: sum(counts.system) };

  inject(run, target, true);
  let probe: ApiProbe | null = null;
  if (target.management) run.runtime.later(Math.floor(repairMs / 2), () => (probe = probeApi(run)));
  run.runtime.later(repairMs, () => inject(run, target, false));

  // Phase one: the failure, its repair, and the reports that follow it.
  run.runUntil(atMs + repairMs);
  progress?.(0.9);
  run.stopWorkloads();
  run.healFaults();
  const healedAtMs = run.nowMs;
  const settleWithinMs = options.settleWithinMs ?? section.drill.settleWithinMs;
  const deadlineMs = healedAtMs + settleWithinMs;
  let unsettled: string[] = [];
  for (;;) {
    unsettled = convergenceProblems(run);
    if (unsettled.length === 0 || run.nowMs >= deadlineMs) break;
    run.runUntil(Math.min(run.nowMs + 10 * SECOND_MS, deadlineMs));
  }
  const settledAtMs = unsettled.length === 0 ? run.nowMs : null;
  progress?.(1);
  const impact = tracker.impacts()[0] ?? emptyImpact(atMs);
  impact.label = target.management ? 'the management server' : `${options.kind === 'storage' ? 'storage pool' : options.kind} ${target.name}`;
  return {
    ok: true,
    drill: {
      seed: run.seed,
      kind: options.kind,
      target: target.name,
      targetId: target.id,
      atMs,
      repairMs,
      population,
      vmsAtFailure,
      impact,
      probe,
      healedAtMs,
      settledAtMs,
      settleMs: settledAtMs === null ? null : settledAtMs - healedAtMs,
      unsettled,
      strandedAtEnd: strandedVms(run),
    },
  };
}

function pick(options: FailureDrillOptions): { seed?: number; atMs?: number; source?: SourceMap } {
  return {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.atMs === undefined ? {} : { atMs: options.atMs }),
    ...(options.source === undefined ? {} : { source: options.source }),
  };
}

/** Breaks (or repairs) the target in the physical world, as the named faults do. */
function inject(run: Simulation, target: FailTarget, down: boolean): void {
  const drivers = run.runtime.drivers;
  for (const hostId of target.hostIds) {
    if (down) drivers.failHost(hostId);
    else drivers.repairHost(hostId);
  }
  for (const poolId of target.poolIds) {
    if (down) drivers.failPool(poolId);
    else drivers.repairPool(poolId);
  }
  if (target.management) {
    if (down) drivers.failManagement();
    else drivers.repairManagement();
  }
}

/** A user's API request during the outage: starting a running VM (refused either way, never harmful). */
function probeApi(run: Simulation): ApiProbe {
  const state = run.runtime.state;
  let vmId: string | undefined;
  for (const vm of state.vms.values()) {
    if (vm.kind === 'User' && vm.state === 'Running') {
      vmId = vm.id;
      break;
    }
  }
  const request = 'startVirtualMachine';
  const result = run.runtime.submit({ type: 'startVirtualMachine', id: vmId ?? 'none' });
  if (result.ok) return { atMs: run.nowMs, request, accepted: true };
  return { atMs: run.nowMs, request, accepted: false, code: result.rejection.code, message: result.rejection.message };
}

function emptyImpact(atMs: number): FailureImpact {
  return { label: '', hosts: [], pools: [], management: false, atMs, repairedAtMs: null, vmsAffected: 0, restarted: [], stranded: [], downWithoutHa: [], destroyed: 0, replaced: [], pending: 0, shortfall: [], timeToRecoverMs: null };
}
