import { parseSimulation } from '../simulator/schema.js';
import { createSimulation } from '../simulator/simulation.js';
import { generateCloud } from './generate.js';

/**
 * One simulated year on a generated zone of 10,000 KVM hosts: 1,000 tenants with an isolated
 * network each, about 2,740 VM arrivals a day (1,000,000 in the year), exponential lives with a
 * mean of 30 days (about 83,000 VMs alive at the end), incremental invariants after every step,
 * daily samples. Heap is measured after a full collection when `--expose-gc` is on.
 */

export interface SimulationFigures {
  hosts: number;
  arrivals: number;
  departures: number;
  liveVms: number;
  ms: number;
  heapBytesPerLiveVm: number | undefined;
  tasks: number;
}

/**
 * The JS heap plus the buffers behind typed arrays: the core keeps capacity holds and address
 * bitmaps in typed arrays, whose bytes heapUsed does not count.
 */
function heldBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

export function benchSimulatedYear(options: { days?: number; perDay?: number } = {}): SimulationFigures {
  const days = options.days ?? 365;
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
  const start = process.hrtime.bigint();
  run.runUntil(run.durationMs);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  gc?.();
  const heapAfter = heldBytes();
  const result = run.finish();
  let liveVms = 0;
  for (const vm of run.runtime.state.vms.values()) if (vm.kind === 'User') liveVms++;
  const arrivals = result.counters.commands['deployVirtualMachine']?.accepted ?? 0;
  const departures = result.counters.commands['destroyVirtualMachine']?.accepted ?? 0;
  return {
    hosts: run.runtime.state.hosts.size,
    arrivals,
    departures,
    liveVms,
    ms,
    heapBytesPerLiveVm: gc && liveVms > 0 ? (heapAfter - heapBefore) / liveVms : undefined,
    tasks: result.tasksRun,
  };
}
