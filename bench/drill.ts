import { step } from '../core/decider.js';
import { emptyState } from '../core/model/state.js';
import { evolve } from '../core/evolve.js';
import { SYSTEM_CALLER } from '../core/ports.js';
import { prepareDrill } from '../simulator/drill-setup.js';
import { evaluateHostLosses, hostsToEvaluate, nMinus1 } from '../simulator/nminus1.js';
import { rngFor } from '../simulator/runtime.js';
import { generateCloud } from './generate.js';

/**
 * N-1 over every host of the generated 10,000-host cloud (4 zones of 10 pods of 25 clusters of
 * 10 KVM hosts), populated with its demand through the simulator: 88,000 VMs (80,000 of them
 * HA) on 8,000 isolated networks with their routers. The figure is the n-1 analysis alone
 * (every host's loss judged by the core's decide against the unchanged cloud), after a warm-up
 * on a few hundred hosts; populating the cloud is not counted.
 *
 * The baseline is the straightforward way: for each host, rebuild the cloud from its event log
 * and let the core really take the host down (decide and evolve). It is measured on a few hosts
 * and extrapolated to all of them.
 */

export interface NMinus1Figures {
  hosts: number;
  vms: number;
  ms: number;
  baselineMs?: number;
}

function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function benchNMinus1(options: { baselineHosts?: number } = {}): NMinus1Figures {
  const figures = measureNMinus1();
  const baselineHosts = options.baselineHosts ?? 2;
  const { sample, ...out } = figures;
  // The first cloud is out of reach here, so the baseline's second one does not sit beside it.
  if (baselineHosts > 0) return { ...out, baselineMs: baselineMs(sample.slice(0, baselineHosts), out.hosts) };
  return out;
}

function measureNMinus1(): NMinus1Figures & { sample: string[] } {
  const spec = generateCloud({ zones: 4, podsPerZone: 10, clustersPerPod: 25, hostsPerCluster: 10 });
  const prepared = prepareDrill(spec, { seed: 1, invariants: { fullCheckEvery: 0 } });
  if (!prepared.ok) throw new Error(`generated cloud: ${prepared.problems.map((p) => p.message).join('; ')}`);
  const { run, section } = prepared.setup;
  const state = run.runtime.state;
  const hostIds = hostsToEvaluate(state);
  const options = { seed: 1, nowMs: run.nowMs, drivers: section.drivers };
  // Warm-up: the first few hundred hosts, so compiling the code path is not measured.
  evaluateHostLosses(state, { ...options, hostIds: hostIds.slice(0, 500) });
  let vms = 0;
  const ms = timeMs(() => {
    vms = nMinus1(state, options).vms;
  });
  return { hosts: hostIds.length, vms, ms, sample: hostIds.slice(0, 10) };
}

/**
 * Rebuild-and-fail per host, timed on `sample` hosts and scaled to `total`. The event log comes
 * from a second population of the same cloud with the events recorded (the first ran without,
 * to keep its memory down); host ids are the same in both, since ids follow the seed.
 */
function baselineMs(sample: readonly string[], total: number): number {
  const spec = generateCloud({ zones: 4, podsPerZone: 10, clustersPerPod: 25, hostsPerCluster: 10 });
  const recorded = prepareDrill(spec, { seed: 1, invariants: { fullCheckEvery: 0 }, recordEvents: true });
  if (!recorded.ok) throw new Error('generated cloud does not build');
  const { run } = recorded.setup;
  const events = run.events();
  let spent = 0;
  for (const hostId of sample) {
    spent += timeMs(() => {
      const copy = emptyState(spec.seed ?? 0);
      for (const event of events) evolve(copy, event);
      const result = step(copy, { type: 'hostDown', hostId }, { nowMs: run.nowMs, rng: rngFor(1, `n-1:${hostId}`), actor: SYSTEM_CALLER, mode: 'enforce' });
      if (!result.ok) throw new Error(`hostDown refused: ${result.rejection.message}`);
    });
  }
  return (spent / sample.length) * total;
}
