/**
 * Swarm options and the two-phase drill. Every option is a function of the seed (same seed, same
 * options; another seed, others) and prints as one line each, the seed first. Drills over swarm
 * options on the tiny datacenter keep every invariant after every step (safety) and settle once
 * the faults are healed (liveness). A cloud that cannot settle within the bound fails with
 * "no convergence" and the seed.
 */
import { describe, expect, it } from 'vitest';
import { runDrill } from '../../simulator/drill.js';
import { SimulationFailure } from '../../simulator/failure.js';
import { describeSwarm, swarmOptions, swarmSimulation } from '../../simulator/swarm.js';
import { tinyDatacenter } from '../support/cloud.js';
import { section } from './support.js';

describe('swarmOptions', () => {
  it('draws every option from the seed', () => {
    expect(swarmOptions(11)).toEqual(swarmOptions(11));
    expect(JSON.stringify(swarmOptions(11))).not.toBe(JSON.stringify(swarmOptions(12)));
    const seeds = Array.from({ length: 40 }, (_, i) => swarmOptions(i + 1));
    // Across seeds the fault space is explored: each fault both on and off somewhere.
    for (const fault of ['hostCrash', 'primaryStorageOutage', 'podSwitchFailure', 'managementServerOutage', 'databaseFailover'] as const) {
      expect(seeds.some((o) => o.faults[fault] !== undefined)).toBe(true);
      expect(seeds.some((o) => o.faults[fault] === undefined)).toBe(true);
    }
    expect(new Set(seeds.map((o) => o.drivers.vmStart.failureProbability)).size).toBeGreaterThan(2);
  });

  it('prints the seed first, then one line per option', () => {
    const lines = describeSwarm(swarmOptions(11));
    expect(lines[0]).toBe('seed 11');
    expect(lines[1]).toMatch(/^duration \d+d$/);
    expect(lines.filter((l) => /^driver vmStart: latency \S.*, failures [\d.]+%$/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^driver failureDetection: \S/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('fault '))).toHaveLength(5);
    expect(lines.some((l) => l.startsWith('arrivals '))).toBe(true);
  });
});

describe('drills over swarm options', () => {
  const spec = tinyDatacenter({ hosts: 3 });
  for (const seed of [1, 2, 3, 4]) {
    it(`keep every invariant and settle after healing (seed ${seed})`, () => {
      const options = swarmOptions(seed);
      const simulation = swarmSimulation(options, spec, section(spec, { invariants: { fullCheckEvery: 1 }, drill: { settleWithin: '2h' } }));
      const out = runDrill(spec, { seed, simulation });
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      const { drill } = out;
      expect(drill.seed).toBe(seed);
      expect(drill.healedAtMs).toBe(options.durationMs);
      expect(drill.settleMs).toBeLessThanOrEqual(2 * 3600_000);
      expect(drill.result.counters.commands.deployVirtualMachine?.accepted ?? 0).toBeGreaterThan(0);
      for (const vm of drill.stranded) expect(vm.reason.length).toBeGreaterThan(0);
    });
  }
});

describe('a drill that cannot settle', () => {
  it('fails with "no convergence" and the seed', () => {
    const spec = tinyDatacenter({ hosts: 2 });
    // Starts take two hours; the drill allows ten minutes after healing.
    const simulation = section(spec, {
      systemVms: false,
      drivers: { vmStart: { latency: '2h' } },
      workloads: [{ name: 'steadyArrivals', perDay: 100, network: 'l2' }],
      drill: { faultsFor: '1h', settleWithin: '10m' },
    });
    let failure: unknown;
    try {
      runDrill(spec, { seed: 99, simulation });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SimulationFailure);
    expect((failure as SimulationFailure).kind).toBe('no-convergence');
    expect((failure as Error).message).toMatch(/^no convergence after event \d+ at day 0 01:10:00 \(seed 99; replay with the same seed\):\n {2}- VM VM-\w+ is still Starting on host host\d/);
  });
});
