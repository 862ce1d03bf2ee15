import { assert } from '../core/assert.js';
import type { VmState } from '../core/model/compute.js';
import type { Id } from '../core/model/entities.js';
import type { InputProblem } from '../core/scenario/parse.js';
import type { ScenarioSpec } from '../core/scenario/schema.js';
import { SECOND_MS } from './distributions.js';
import { SimulationFailure } from './failure.js';
import { createSimulation, type SimulateOptions, type Simulation, type SimulationResult } from './simulation.js';

/**
 * The two-phase drill. Phase one (safety) runs the workloads with the faults active, the
 * invariants checked after every step. Phase two (liveness) stops new arrivals, heals every
 * fault at once, and requires the cloud to settle within a bound: the management server up
 * with no held reports, every host and pool up, no VM half-way through a start, stop or
 * migration, and every HA VM running or stranded with a reason. A cloud that does not settle
 * fails with "no convergence" and the seed.
 */

export interface DrillOptions extends SimulateOptions {
  /** Length of phase one; the section's drill.faultsFor, else its duration. */
  faultsForMs?: number;
  /** Bound of phase two; the section's drill.settleWithin (default 1 h). */
  settleWithinMs?: number;
  /** How often phase two looks for convergence, in virtual time. */
  checkEveryMs?: number;
}

export interface StrandedVm {
  vmId: Id;
  name: string;
  state: VmState;
  reason: string;
}

export interface DrillResult {
  seed: number;
  /** End of phase one, when every fault was healed. */
  healedAtMs: number;
  /** When the cloud was first seen settled. */
  settledAtMs: number;
  settleMs: number;
  /** HA VMs left down with a reason (a restart that found no room, a start that kept failing). */
  stranded: StrandedVm[];
  result: SimulationResult;
}

export function runDrill(spec: ScenarioSpec, options: DrillOptions = {}): { ok: true; drill: DrillResult } | { ok: false; problems: InputProblem[] } {
  const setup = createSimulation(spec, options);
  if (!setup.ok) return setup;
  return { ok: true, drill: drillSimulation(setup.simulation, options) };
}

/**
 * Runs both phases on a simulation, started or not (a test may deploy VMs of its own first).
 * Throws a SimulationFailure on a broken invariant or when the cloud does not settle in time.
 */
export function drillSimulation(run: Simulation, options: Pick<DrillOptions, 'faultsForMs' | 'settleWithinMs' | 'checkEveryMs'> = {}): DrillResult {
  const faultsForMs = options.faultsForMs ?? run.section.drill.faultsForMs ?? run.durationMs;
  const settleWithinMs = options.settleWithinMs ?? run.section.drill.settleWithinMs;
  const checkEveryMs = options.checkEveryMs ?? 10 * SECOND_MS;
  run.start();
  if (faultsForMs > run.nowMs) run.runUntil(faultsForMs);
  run.stopWorkloads();
  run.healFaults();
  const healedAtMs = run.nowMs;
  const deadlineMs = healedAtMs + settleWithinMs;
  for (;;) {
    const problems = convergenceProblems(run);
    if (problems.length === 0) break;
    if (run.nowMs >= deadlineMs) throw new SimulationFailure('no-convergence', run.seed, run.runtime.counters.steps, run.nowMs, problems);
    run.runUntil(Math.min(run.nowMs + checkEveryMs, deadlineMs));
  }
  const settledAtMs = run.nowMs;
  return { seed: run.seed, healedAtMs, settledAtMs, settleMs: settledAtMs - healedAtMs, stranded: strandedVms(run), result: run.finish() };
}

const PENDING: ReadonlySet<string> = new Set(['Starting', 'Stopping', 'Migrating']);

/** What keeps a run from being settled; empty when it is. */
export function convergenceProblems(run: Simulation): string[] {
  const { state, drivers, checker } = run.runtime;
  assert(checker !== undefined, 'a drill needs the invariant checker');
  const problems: string[] = [];
  const down = drivers.downTargets();
  if (down.hosts > 0) problems.push(`${down.hosts} host(s) still broken`);
  if (down.pools > 0) problems.push(`${down.pools} storage pool(s) still broken`);
  if (down.management || !state.managementUp) problems.push('the management server is down');
  if (run.runtime.heldCount > 0) problems.push(`${run.runtime.heldCount} report(s) held for the management server`);
  for (const host of state.hosts.values()) if (host.status !== 'Up') problems.push(`host ${host.name} is ${host.status}`);
  for (const pool of state.storagePools.values()) if (pool.state === 'Down') problems.push(`storage pool ${pool.name} is Down`);
  for (const vm of state.vms.values()) {
    if (PENDING.has(vm.state)) problems.push(`VM ${vm.name} is still ${vm.state}${vm.hostId ? ` on host ${state.hosts.get(vm.hostId)?.name ?? vm.hostId}` : ''}`);
    else if (checker.isSilentlyDown(vm)) problems.push(`HA VM ${vm.name} is ${vm.state} with no reason`);
  }
  return problems;
}

/** HA VMs that are down with a reason: what the drill reports as its impact. */
export function strandedVms(run: Simulation): StrandedVm[] {
  const out: StrandedVm[] = [];
  for (const vm of run.runtime.state.vms.values()) {
    if (!vm.haEnabled || vm.usesLocalStorage) continue;
    if ((vm.state === 'Stopped' || vm.state === 'Error') && vm.reason !== undefined) out.push({ vmId: vm.id, name: vm.name, state: vm.state, reason: vm.reason });
  }
  return out;
}
