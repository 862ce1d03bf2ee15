import { restoreState } from '../core/model/restore.js';
import { snapshotOf } from '../core/model/snapshot.js';
import type { CloudState } from '../core/model/state.js';
import { MINUTE_MS, SECOND_MS } from './distributions.js';
import { DEFAULT_REPAIR_MS, type FailKind, resolveTarget } from './drill-setup.js';
import { type FailureImpact, ImpactTracker } from './impact.js';
import { SimRuntime } from './runtime.js';

/**
 * A what-if on a running cloud: one target fails in a copy of the given state (a served cloud's,
 * as it is now), the simulator plays the failure, its repair and HA's answer out over virtual
 * time, and the impact comes back. The state itself is never touched: the copy is rebuilt from
 * its snapshot (restoreState), so the drill sees every VM where it runs and every host's load.
 *
 * Unlike `failureDrill` there is no scenario and no population step: the cloud is whatever the
 * state holds. The clock of the copy starts at `nowMs`, so times in the impact are dates of the
 * served cloud's clock.
 */

export interface StateDrillOptions {
  kind: FailKind;
  /** The name or id of the host, cluster, pod, zone or storage pool; none for management. */
  target?: string;
  seed: number;
  /** The served cloud's time: the failure strikes then. */
  nowMs: number;
  /** How long the failure lasts; DEFAULT_REPAIR_MS[kind] when absent. */
  repairMs?: number;
  /** How long after the repair the cloud may take to settle before the drill stops looking. */
  settleWithinMs?: number;
}

export interface StateDrillResult {
  kind: FailKind;
  target: string;
  targetId: string;
  atMs: number;
  repairMs: number;
  impact: FailureImpact;
  /** When every VM the failure touched was running again or down with a reason; null if not within the bound. */
  settledAtMs: number | null;
}

/** One hour after the repair: the simulated drivers' restarts take minutes, so more means stuck. */
const DEFAULT_SETTLE_WITHIN_MS = 60 * MINUTE_MS;
const CHECK_EVERY_MS = 10 * SECOND_MS;
const PENDING: ReadonlySet<string> = new Set(['Starting', 'Stopping', 'Migrating']);

export function drillOnState(state: CloudState, options: StateDrillOptions): { ok: true; drill: StateDrillResult } | { ok: false; message: string } {
  const resolved = resolveTarget(state, options.kind, options.target);
  if (!resolved.ok) return { ok: false, message: resolved.message };
  const target = resolved.target;
  const copy = restoreState(snapshotOf(state));
  const runtime = new SimRuntime(copy, { seed: options.seed, startMs: options.nowMs });
  const tracker = new ImpactTracker(runtime);
  const repairMs = options.repairMs ?? DEFAULT_REPAIR_MS[options.kind];
  const atMs = options.nowMs;

  inject(runtime, target.hostIds, target.poolIds, target.management, true);
  runtime.later(repairMs, () => inject(runtime, target.hostIds, target.poolIds, target.management, false));
  runtime.runUntil(atMs + repairMs);
  const deadlineMs = atMs + repairMs + (options.settleWithinMs ?? DEFAULT_SETTLE_WITHIN_MS);
  while (!settled(runtime) && runtime.nowMs < deadlineMs) runtime.runUntil(Math.min(runtime.nowMs + CHECK_EVERY_MS, deadlineMs));
  const impact = tracker.impacts()[0] ?? noImpact(atMs);
  impact.label = target.management ? 'the management server' : `${options.kind === 'storage' ? 'storage pool' : options.kind} ${target.name}`;
  return { ok: true, drill: { kind: options.kind, target: target.name, targetId: target.id, atMs, repairMs, impact, settledAtMs: settled(runtime) ? runtime.nowMs : null } };
}

function inject(runtime: SimRuntime, hostIds: readonly string[], poolIds: readonly string[], management: boolean, down: boolean): void {
  const drivers = runtime.drivers;
  for (const hostId of hostIds) {
    if (down) drivers.failHost(hostId);
    else drivers.repairHost(hostId);
  }
  for (const poolId of poolIds) {
    if (down) drivers.failPool(poolId);
    else drivers.repairPool(poolId);
  }
  if (management) {
    if (down) drivers.failManagement();
    else drivers.repairManagement();
  }
}

/** Everything repaired and reported, no VM on its way anywhere. */
function settled(runtime: SimRuntime): boolean {
  const down = runtime.drivers.downTargets();
  if (down.hosts > 0 || down.pools > 0 || down.management || !runtime.state.managementUp || runtime.heldCount > 0) return false;
  for (const host of runtime.state.hosts.values()) if (host.status !== 'Up') return false;
  for (const vm of runtime.state.vms.values()) if (PENDING.has(vm.state)) return false;
  return true;
}

/** A failure of something nothing runs on: the tracker opened no failure for it. */
function noImpact(atMs: number): FailureImpact {
  return { label: '', hosts: [], pools: [], management: false, atMs, repairedAtMs: null, vmsAffected: 0, restarted: [], stranded: [], downWithoutHa: [], destroyed: 0, replaced: [], pending: 0, shortfall: [], timeToRecoverMs: null };
}
