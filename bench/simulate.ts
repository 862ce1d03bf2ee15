import { parseSimulation } from '../simulator/schema.js';
import { createSimulation } from '../simulator/simulation.js';
import { generateCloud } from './generate.js';

/**
 * One simulated year on a generated zone of 10,000 KVM hosts: 1,000 tenants with an isolated
 * network each, about 2,740 VM arrivals a day (1,000,000 in the year), exponential lives with a
 * mean of 30 days (about 83,000 VMs alive at the end), incremental invariants after every step,
 * daily samples. Heap is measured after a full collection when `--expose-gc` is on.
 *
 * The heap figure is the median of the last `heapSamples` days of the year, each measured after
 * a full collection (the collections do not count in the time), so that one day's count of live
 * VMs or one growth step of a table does not decide it.
 */

export interface SimulationFigures {
  hosts: number;
  arrivals: number;
  departures: number;
  liveVms: number;
  ms: number;
  /** The median of the daily measurements; undefined without --expose-gc. */
  heapBytesPerLiveVm: number | undefined;
  /** Each day's measurement, oldest first. */
  heapBytesPerLiveVmDaily: number[];
  tasks: number;
  /**
   * The naive baseline: the same year checking the whole cloud after every step instead of what
   * the step touched. One full check of the year's last state, timed (the median of a few),
   * times the steps of the year, plus the year itself: an extrapolation, as the n-1 baseline is.
   */
  fullCheckMs: number;
  steps: number;
}

/**
 * The JS heap plus the buffers behind typed arrays: the core keeps capacity holds and address
 * bitmaps in typed arrays, whose bytes heapUsed does not count.
 */
function heldBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

export function benchSimulatedYear(options: { days?: number; perDay?: number; heapSamples?: number } = {}): SimulationFigures {
  const days = options.days ?? 365;
  const heapSamples = Math.max(1, Math.min(options.heapSamples ?? 5, days));
  const perDay = options.perDay ?? 2740;
  const spec = generateCloud({ zones: 1, podsPerZone: 20, clustersPerPod: 25, hostsPerCluster: 20 });
  delete spec.demand;
  // Limits are per tenant; a tenant here runs about 83 VMs at a time.
  spec.settings = {
    'max.account.user.vms': -1,
    'max.account.cpus': -1,
    'max.account.memory': -1,
    'max.account.primary.storage': -1,
    'max.account.volumes': -1,
    'max.account.networks': -1,
    'max.account.public.ips': -1,
  };
  const parsed = parseSimulation(
    {
      duration: `${days}d`,
      invariants: { fullCheckEvery: 0 },
      workloads: [
        { name: 'newAccounts', initial: 1000 },
        { name: 'steadyArrivals', perDay },
        { name: 'vmLifetimes', distribution: 'exponential', mean: '30d', expunge: true },
        { name: 'offeringMix', weights: { small: 9, large: 1 } },
      ],
    },
    undefined,
    spec,
  );
  if (!parsed.ok) throw new Error(`bench simulation section: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const setup = createSimulation(spec, { seed: 1, simulation: parsed.simulation });
  if (!setup.ok) throw new Error(`bench simulation: ${setup.problems.map((p) => p.message).join('; ')}`);
  const run = setup.simulation;
  run.start();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = heldBytes();
  const dayMs = 86_400_000;
  const countLive = (): number => {
    let live = 0;
    for (const vm of run.runtime.state.vms.values()) if (vm.kind === 'User') live++;
    return live;
  };
  let ms = 0;
  const runTo = (atMs: number): void => {
    const start = process.hrtime.bigint();
    run.runUntil(atMs);
    ms += Number(process.hrtime.bigint() - start) / 1e6;
  };
  const daily: number[] = [];
  for (let i = heapSamples - 1; i >= 0; i--) {
    runTo(run.durationMs - i * dayMs);
    if (!gc) continue;
    // Counted before the collection: until V8 optimises it, the loop over the VM map allocates a
    // result object per entry, some 3 MB that would otherwise sit in the heap being measured.
    const live = countLive();
    gc();
    if (live > 0) daily.push((heldBytes() - heapBefore) / live);
  }
  const fullCheckMs = medianMs(5, () => {
    const problems = run.runtime.checker?.checkAll() ?? [];
    if (problems.length > 0) throw new Error(`bench simulation: the full check found ${problems.length} problem(s): ${problems[0]}`);
  });
  const result = run.finish();
  const liveVms = countLive();
  const arrivals = result.counters.commands['deployVirtualMachine']?.accepted ?? 0;
  const departures = result.counters.commands['destroyVirtualMachine']?.accepted ?? 0;
  const sorted = [...daily].sort((a, b) => a - b);
  return {
    hosts: run.runtime.state.hosts.size,
    arrivals,
    departures,
    liveVms,
    ms,
    heapBytesPerLiveVm: sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)] : undefined,
    heapBytesPerLiveVmDaily: daily,
    tasks: result.tasksRun,
    fullCheckMs,
    steps: result.counters.steps,
  };
}

/** The median time of `runs` calls of `work`, in ms. */
function medianMs(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
