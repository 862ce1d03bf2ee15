/**
 * One seed reproduces a whole run. A busy week on a small advanced zone (tenants with isolated
 * networks, routers, source NAT, arrivals with growth and a daily cycle, lognormal lifetimes,
 * host crashes, a storage outage and a management outage) is run twice with the same seed and
 * once with another: the same seed gives the same event log and the same sampled metrics, byte
 * for byte; another seed does not. The recorded log, folded with the core's evolve into an
 * empty state, gives the very cloud the run ended with.
 */
import { describe, expect, it } from 'vitest';
import { evolve } from '../../core/evolve.js';
import { snapshotOf } from '../../core/model/snapshot.js';
import { emptyState } from '../../core/model/state.js';
import { simulate } from '../../simulator/simulation.js';
import { createSimulation } from '../../simulator/simulation.js';
import { section, tinyAdvanced } from './support.js';

const spec = tinyAdvanced(4);
const busyWeek = {
  duration: '7d',
  sampleEvery: '6h',
  invariants: { fullCheckEvery: 1 },
  drivers: { vmStart: { failureRate: 0.05 }, networkImplement: { failureRate: 0.1 } },
  workloads: [
    { name: 'newAccounts', initial: 3, perMonth: 20, networksPerAccount: 1 },
    { name: 'steadyArrivals', perDay: 30 },
    { name: 'monthlyGrowth', percent: 10 },
    { name: 'dailyCycle', amplitude: 0.6, peakHour: 15 },
    { name: 'vmLifetimes', distribution: 'lognormal', median: '1d', sigma: 1 },
    { name: 'offeringMix', weights: { 'ha-4g': 2, 'plain-4g': 2, big: 1 } },
  ],
  faults: [
    { name: 'hostCrash', mtbf: '4d', mttr: '2h' },
    { name: 'primaryStorageOutage', at: '3d', repair: '20m' },
    { name: 'managementServerOutage', at: '2d', repair: '6h' },
  ],
};

function run(seed: number) {
  const setup = createSimulation(spec, { seed, simulation: section(spec, busyWeek), recordEvents: true });
  if (!setup.ok) throw new Error('invalid section');
  const simulation = setup.simulation;
  simulation.start();
  simulation.runUntil(simulation.durationMs);
  const result = simulation.finish();
  return { simulation, result, events: JSON.stringify(simulation.runtime.eventLog), samples: JSON.stringify(result.samples) };
}

describe('a run replays exactly from its seed', () => {
  const first = run(7);

  it('does something worth replaying', () => {
    const { result } = first;
    expect(result.counters.commands.deployVirtualMachine?.accepted).toBeGreaterThan(50);
    expect(result.counters.commands.hostDown?.accepted).toBeGreaterThan(0);
    expect(result.counters.heldReports).toBeGreaterThan(0);
    expect(result.counters.commands.destroyVirtualMachine?.accepted).toBeGreaterThan(10);
    expect(result.samples).toHaveLength(29);
    expect(Math.max(...result.samples.map((s) => s.physicalNetworks.vnetsInUse[0]!))).toBeGreaterThan(0);
  });

  it('gives the same event log and the same samples for the same seed', () => {
    const second = run(7);
    expect(second.events.length).toBeGreaterThan(10_000);
    expect(second.events).toBe(first.events);
    expect(second.samples).toBe(first.samples);
  });

  it('gives another run for another seed', () => {
    const other = run(8);
    expect(other.events).not.toBe(first.events);
    expect(other.samples).not.toBe(first.samples);
  });

  it('rebuilds the final cloud from the event log alone', () => {
    const { simulation } = first;
    const replayed = emptyState(spec.seed ?? 0);
    for (const event of simulation.events()) evolve(replayed, event);
    expect(snapshotOf(replayed)).toEqual(snapshotOf(simulation.runtime.state));
  });

  it('is what simulate() returns', () => {
    const out = simulate(spec, { seed: 7, simulation: section(spec, busyWeek) });
    expect(out.ok && JSON.stringify(out.result.samples)).toBe(first.samples);
  });
});
