import { assertNever } from '../core/assert.js';
import type { Effect } from '../core/effects.js';
import type { Command } from '../core/model/commands.js';
import type { Rng } from '../core/ports.js';
import type { EffectModel } from '../simulator/drivers.js';
import { drawRangeMs, SECOND_MS } from '../simulator/distributions.js';
import type { Scheduler } from './time.js';

/**
 * Simulated drivers on the wall clock: the host agents of a served cloud without real hosts. A
 * VM start is answered with `vmStarted` (or, with the configured probability, `effectFailed`)
 * after a latency drawn like the simulator's drivers draw it, but in real time and much shorter;
 * a stop with `vmStopped`. Storage and network effects succeed silently. Timers are not here:
 * they are the management server's own, kept durable by the runtime.
 *
 * A latency of zero answers at once: the report is decided right after the command that caused
 * it, before the API call returns, which is what tests want.
 */

export interface ServeDriverOptions {
  vmStart: EffectModel;
  vmStop: EffectModel;
}

const model = (minMs: number, maxMs: number, failureProbability = 0): EffectModel => ({ latencyMs: { minMs, maxMs }, failureProbability });

/** A served cloud feels alive but quick: VMs start in 2-6 s and stop in 1-3 s. */
export const DEFAULT_SERVE_DRIVERS: ServeDriverOptions = {
  vmStart: model(2 * SECOND_MS, 6 * SECOND_MS),
  vmStop: model(1 * SECOND_MS, 3 * SECOND_MS),
};

/** Every report at once: the cloud settles before each API call returns. */
export const IMMEDIATE_DRIVERS: ServeDriverOptions = {
  vmStart: model(0, 0),
  vmStop: model(0, 0),
};

/** Where the drivers send their reports. */
export interface ReportSink {
  /** Decides the report now, after the current command (latency zero). */
  enqueue(report: Command): void;
  /** Decides the report as a command of its own (after a latency). */
  submitReport(report: Command): void;
}

export class ServeDrivers {
  constructor(
    private readonly sink: ReportSink,
    private readonly scheduler: Scheduler,
    private readonly rng: Rng,
    readonly options: ServeDriverOptions = DEFAULT_SERVE_DRIVERS,
  ) {}

  apply(effect: Effect): void {
    switch (effect.kind) {
      case 'vm.start': {
        const { latencyMs, failureProbability } = this.options.vmStart;
        const fails = failureProbability > 0 && this.rng.chance(failureProbability);
        const report: Command = fails
          ? { type: 'effectFailed', effect: 'vm.start', vmId: effect.vmId, hostId: effect.hostId, reason: 'the hypervisor failed to start the VM' }
          : { type: 'vmStarted', vmId: effect.vmId, hostId: effect.hostId };
        this.answer(drawRangeMs(this.rng, latencyMs), report);
        return;
      }
      case 'vm.stop':
        // A forced stop is recorded as Stopped already; nobody waits for the agent.
        if (!effect.forced) this.answer(drawRangeMs(this.rng, this.options.vmStop.latencyMs), { type: 'vmStopped', vmId: effect.vmId, hostId: effect.hostId });
        return;
      case 'timer':
        throw new Error('timers are scheduled by the runtime, not by drivers');
      case 'host.connect':
      case 'storagePool.attach':
      case 'imageStore.register':
      case 'physicalNetwork.setup':
      case 'vm.reboot':
      case 'vm.migrate':
      case 'vm.expunge':
      case 'volume.create':
      case 'volume.delete':
      case 'snapshot.backup':
      case 'template.copy':
      case 'network.implement':
      case 'network.shutdown':
      case 'router.configure':
        // Simulated storage and network elements succeed; the core acts on none of their reports yet.
        return;
      default:
        assertNever(effect, 'effect');
    }
  }

  private answer(delayMs: number, report: Command): void {
    if (delayMs <= 0) this.sink.enqueue(report);
    else this.scheduler.after(delayMs, () => this.sink.submitReport(report));
  }
}
