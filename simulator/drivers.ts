import { assertNever } from '../core/assert.js';
import type { Effect, EffectKind } from '../core/effects.js';
import type { Command } from '../core/model/commands.js';
import type { Id } from '../core/model/entities.js';
import type { SeededRng } from '../core/rng.js';
import { drawRangeMs, type RangeMs, SECOND_MS, MINUTE_MS } from './distributions.js';
import type { SimRuntime } from './runtime.js';
import { AGENT, MONITOR, OPERATOR, TIMER } from './sources.js';

/**
 * Simulated drivers: host agents, storage and network elements that carry out the core's
 * effects after a drawn latency, sometimes fail, and report back as commands.
 *
 * - A host agent starts a VM (`vmStarted` after the latency), or fails with the configured
 *   probability (`effectFailed`, which the core answers by retrying elsewhere). It stops a VM
 *   (`vmStopped`). A host that is down answers nothing, and a report whose host crashed after
 *   the effect was sent is dropped, like the VM it was about.
 * - Storage and network elements (volumes, snapshots, template copies, network implementation,
 *   router configuration) only record their latency and failures as metrics: the core acts on
 *   failed VM starts only, so their failures change nothing in the model yet.
 * - Failure monitors turn physical faults into the reports the management server would get:
 *   `hostDown` after a heartbeat timeout, `hostUp` after the agent reconnects, the same for
 *   primary storage. A target's down report is always delivered before its up report.
 *
 * The physical world (which hosts, pools and management servers are really down) lives here,
 * apart from the core's view of it; faults change it, the core learns through reports.
 */

/** Latency and failure probability of one kind of effect. */
export interface EffectModel {
  latencyMs: RangeMs;
  /** Probability in [0, 1] that the effect fails. */
  failureProbability: number;
}

export interface DriverOptions {
  vmStart: EffectModel;
  vmStop: EffectModel;
  vmReboot: EffectModel;
  vmMigrate: EffectModel;
  volumeCreate: EffectModel;
  volumeDelete: EffectModel;
  snapshotBackup: EffectModel;
  templateCopy: EffectModel;
  networkImplement: EffectModel;
  networkShutdown: EffectModel;
  routerConfigure: EffectModel;
  /** Heartbeats missed before a host (or a storage pool) is reported down. */
  failureDetectionMs: RangeMs;
  /** From a repaired host or pool to its up report (agent reconnect, pool remount). */
  reconnectMs: RangeMs;
}

const model = (minMs: number, maxMs: number, failureProbability = 0): EffectModel => ({ latencyMs: { minMs, maxMs }, failureProbability });

/**
 * Defaults in the range of a KVM cloud on NFS: a VM starts in 30-90 s, a network with its router
 * in 5-15 s; a missed host is reported after 1-3 minutes (ping.interval x ping.timeout) and an
 * agent reconnects within 30 s to 2 minutes. Effects do not fail unless asked to.
 */
export const DEFAULT_DRIVER_OPTIONS: DriverOptions = {
  vmStart: model(30 * SECOND_MS, 90 * SECOND_MS),
  vmStop: model(5 * SECOND_MS, 30 * SECOND_MS),
  vmReboot: model(20 * SECOND_MS, 60 * SECOND_MS),
  vmMigrate: model(10 * SECOND_MS, 120 * SECOND_MS),
  volumeCreate: model(2 * SECOND_MS, 20 * SECOND_MS),
  volumeDelete: model(1 * SECOND_MS, 10 * SECOND_MS),
  snapshotBackup: model(1 * MINUTE_MS, 10 * MINUTE_MS),
  templateCopy: model(1 * MINUTE_MS, 15 * MINUTE_MS),
  networkImplement: model(5 * SECOND_MS, 15 * SECOND_MS),
  networkShutdown: model(2 * SECOND_MS, 10 * SECOND_MS),
  routerConfigure: model(1 * SECOND_MS, 5 * SECOND_MS),
  failureDetectionMs: { minMs: 1 * MINUTE_MS, maxMs: 3 * MINUTE_MS },
  reconnectMs: { minMs: 30 * SECOND_MS, maxMs: 2 * MINUTE_MS },
};

/** Effects whose outcome the simulator only records. */
type RecordedKind = Exclude<EffectKind, 'vm.start' | 'vm.stop' | 'timer'>;

const MODEL_OF: Readonly<Record<RecordedKind, keyof DriverOptions | undefined>> = {
  'host.connect': undefined,
  'storagePool.attach': undefined,
  'imageStore.register': undefined,
  'physicalNetwork.setup': undefined,
  'vm.reboot': 'vmReboot',
  'vm.migrate': 'vmMigrate',
  'vm.expunge': undefined,
  'volume.create': 'volumeCreate',
  'volume.delete': 'volumeDelete',
  'snapshot.backup': 'snapshotBackup',
  'template.copy': 'templateCopy',
  'network.implement': 'networkImplement',
  'network.shutdown': 'networkShutdown',
  'router.configure': 'routerConfigure',
};

export interface EffectMetrics {
  count: number;
  failures: number;
  /** Sum of the drawn latencies, for means. */
  latencyMsTotal: number;
}

/**
 * A change of the physical world: a host, a storage pool or the management server going down or
 * coming back, at the moment it happens (before any monitor notices). Drills listen to know
 * when a failure struck, which the core itself learns only after the detection delay.
 */
export interface PhysicalChange {
  target: 'host' | 'pool' | 'management';
  /** The host or pool id; 'management' for the management server. */
  id: Id;
  down: boolean;
  atMs: number;
}

export type PhysicalListener = (change: PhysicalChange) => void;

/** An agent's answer on its way, with the crash epoch of its host when the effect was sent. */
interface AgentAnswer {
  command: Command & { hostId: Id };
  epoch: number;
}

/** A host, a storage pool or the management server as the physical world sees it. */
interface Health {
  /** Faults currently holding it down (a host can be in a crashed pod and crash itself). */
  failures: number;
  /** Bumped each time it goes down, so reports sent before a crash are recognised and dropped. */
  epoch: number;
  /** A down report was delivered and no up report since. */
  reportedDown: boolean;
}

export class SimDrivers {
  readonly options: DriverOptions;
  /** Per effect kind, what the drivers did. */
  readonly metrics = new Map<EffectKind, EffectMetrics>();
  private readonly hosts = new Map<Id, Health>();
  private readonly pools = new Map<Id, Health>();
  private readonly management: Health = { failures: 0, epoch: 0, reportedDown: false };
  /** Pools currently down, so a VM start checks its volumes only when some pool is. */
  private poolsDown = 0;
  private readonly listeners: PhysicalListener[] = [];

  constructor(
    private readonly runtime: SimRuntime,
    private readonly rng: SeededRng,
    options: DriverOptions = DEFAULT_DRIVER_OPTIONS,
  ) {
    this.options = options;
  }

  /** Carries out one effect of a step. */
  apply(effect: Effect): void {
    switch (effect.kind) {
      case 'vm.start':
        this.startVm(effect.vmId, effect.hostId);
        return;
      case 'vm.stop':
        this.stopVm(effect.vmId, effect.hostId, effect.forced);
        return;
      case 'timer':
        // Timers are the management server's own; they wait for it like reports do.
        this.runtime.send(Math.max(0, Math.round(effect.delayMs)), effect.command, TIMER);
        return;
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
        this.record(effect);
        return;
      default:
        // A new effect kind must be given a simulated driver here.
        assertNever(effect, 'effect');
    }
  }

  // ----- the physical world, changed by faults -----

  /** Calls `listener` whenever a host, pool or the management server really goes down or comes back. */
  onPhysicalChange(listener: PhysicalListener): void {
    this.listeners.push(listener);
  }

  private tell(target: PhysicalChange['target'], id: Id, down: boolean): void {
    if (this.listeners.length === 0) return;
    const change: PhysicalChange = { target, id, down, atMs: this.runtime.nowMs };
    for (const listener of this.listeners) listener(change);
  }

  hostIsUp(hostId: Id): boolean {
    return (this.hosts.get(hostId)?.failures ?? 0) === 0;
  }

  poolIsUp(poolId: Id): boolean {
    return (this.pools.get(poolId)?.failures ?? 0) === 0;
  }

  managementIsUp(): boolean {
    return this.management.failures === 0;
  }

  /** A host crashes (or loses its network): its agent stops answering; the monitor reports it. */
  failHost(hostId: Id): void {
    const health = this.fail(this.hosts, hostId, 'hostDown', 'hostUp');
    if (health.failures === 1) this.tell('host', hostId, true);
  }

  repairHost(hostId: Id): void {
    const health = this.hosts.get(hostId);
    if (!health || health.failures === 0) return;
    this.repair(this.hosts, hostId, 'hostUp');
    if (health.failures === 0) this.tell('host', hostId, false);
  }

  failPool(poolId: Id): void {
    const health = this.fail(this.pools, poolId, 'storagePoolDown', 'storagePoolUp');
    if (health.failures === 1) {
      this.poolsDown++;
      this.tell('pool', poolId, true);
    }
  }

  repairPool(poolId: Id): void {
    const health = this.pools.get(poolId);
    if (!health || health.failures === 0) return;
    if (health.failures === 1) this.poolsDown--;
    this.repair(this.pools, poolId, 'storagePoolUp');
    if (health.failures === 0) this.tell('pool', poolId, false);
  }

  /** The management server stops at once: it is the one that would report anything. */
  failManagement(): void {
    if (this.management.failures++ === 0) {
      this.management.epoch++;
      this.tell('management', 'management', true);
      this.runtime.submit({ type: 'managementServerDown' }, OPERATOR);
    }
  }

  repairManagement(): void {
    if (this.management.failures === 0) return;
    if (--this.management.failures === 0) {
      this.tell('management', 'management', false);
      this.runtime.submit({ type: 'managementServerUp' }, OPERATOR);
    }
  }

  /** Hosts, pools and management servers that are down right now, for liveness checks. */
  downTargets(): { hosts: number; pools: number; management: boolean } {
    let hosts = 0;
    for (const health of this.hosts.values()) if (health.failures > 0) hosts++;
    return { hosts, pools: this.poolsDown, management: this.management.failures > 0 };
  }

  private fail(targets: Map<Id, Health>, id: Id, down: 'hostDown' | 'storagePoolDown', up: 'hostUp' | 'storagePoolUp'): Health {
    let health = targets.get(id);
    if (!health) {
      health = { failures: 0, epoch: 0, reportedDown: false };
      targets.set(id, health);
    }
    if (health.failures++ > 0) return health;
    health.epoch++;
    const target = health;
    this.runtime.later(drawRangeMs(this.rng, this.options.failureDetectionMs), () => {
      // The crash happened and took its VMs with it: the report goes out even if the target
      // is already back, and its up report follows it.
      target.reportedDown = true;
      this.runtime.submit(reportOf(down, id), MONITOR);
      if (target.failures === 0) this.scheduleUp(target, id, up);
    });
    return health;
  }

  private repair(targets: Map<Id, Health>, id: Id, up: 'hostUp' | 'storagePoolUp'): void {
    const health = targets.get(id);
    if (!health || health.failures === 0) return;
    if (--health.failures > 0) return;
    // Not yet reported down: the down report, when it goes out, schedules the up report.
    if (health.reportedDown) this.scheduleUp(health, id, up);
  }

  private scheduleUp(health: Health, id: Id, up: 'hostUp' | 'storagePoolUp'): void {
    this.runtime.later(drawRangeMs(this.rng, this.options.reconnectMs), () => {
      // Down again meanwhile: that failure's own reports take over.
      if (health.failures > 0 || !health.reportedDown) return;
      health.reportedDown = false;
      this.runtime.submit(reportOf(up, id), MONITOR);
    });
  }

  // ----- host agents -----

  private startVm(vmId: Id, hostId: Id): void {
    const host = this.hosts.get(hostId);
    const metrics = this.metricsOf('vm.start');
    metrics.count++;
    // A dead agent answers nothing; the monitor's hostDown report settles the VM.
    if (host !== undefined && host.failures > 0) return;
    const epoch = host?.epoch ?? 0;
    const { latencyMs, failureProbability } = this.options.vmStart;
    const delayMs = drawRangeMs(this.rng, latencyMs);
    metrics.latencyMsTotal += delayMs;
    const unreachable = this.poolsDown > 0 ? this.downPoolOf(vmId) : undefined;
    const fails = unreachable !== undefined || (failureProbability > 0 && this.rng.chance(failureProbability));
    let command: AgentAnswer['command'];
    if (fails) {
      metrics.failures++;
      const reason = unreachable !== undefined ? `primary storage ${this.runtime.state.storagePools.get(unreachable)?.name ?? unreachable} is unreachable` : 'the hypervisor failed to start the VM';
      command = { type: 'effectFailed', effect: 'vm.start', vmId, hostId, reason };
    } else {
      command = { type: 'vmStarted', vmId, hostId };
    }
    this.runtime.later(delayMs, this.answer, { command, epoch });
  }

  /** Delivers an agent's answer, unless its host crashed since (the answer died with it). */
  private readonly answer = (answer: AgentAnswer): void => {
    if (this.answers(answer.command.hostId, answer.epoch)) this.runtime.submit(answer.command, AGENT);
  };

  private stopVm(vmId: Id, hostId: Id, forced: boolean): void {
    const metrics = this.metricsOf('vm.stop');
    metrics.count++;
    const host = this.hosts.get(hostId);
    // A forced stop is already recorded as Stopped; nobody waits for the agent's word.
    if (forced || (host !== undefined && host.failures > 0)) return;
    const epoch = host?.epoch ?? 0;
    const delayMs = drawRangeMs(this.rng, this.options.vmStop.latencyMs);
    metrics.latencyMsTotal += delayMs;
    this.runtime.later(delayMs, this.answer, { command: { type: 'vmStopped', vmId, hostId }, epoch });
  }

  /** The agent is up and has not crashed since it was asked. */
  private answers(hostId: Id, epoch: number): boolean {
    const host = this.hosts.get(hostId);
    return host === undefined || (host.failures === 0 && host.epoch === epoch);
  }

  private downPoolOf(vmId: Id): Id | undefined {
    const vm = this.runtime.state.vms.get(vmId);
    if (!vm) return undefined;
    for (const volumeId of vm.volumeIds) {
      const poolId = this.runtime.state.volumes.get(volumeId)?.storagePoolId;
      if (poolId !== undefined && !this.poolIsUp(poolId)) return poolId;
    }
    return undefined;
  }

  // ----- storage and network elements -----

  private record(effect: Exclude<Effect, { kind: 'vm.start' | 'vm.stop' | 'timer' }>): void {
    const metrics = this.metricsOf(effect.kind);
    metrics.count++;
    const key = MODEL_OF[effect.kind];
    if (key === undefined) return;
    const effectModel = this.options[key] as EffectModel;
    metrics.latencyMsTotal += drawRangeMs(this.rng, effectModel.latencyMs);
    const poolId = effect.kind === 'volume.create' || effect.kind === 'volume.delete' ? effect.storagePoolId : undefined;
    const down = poolId !== undefined && !this.poolIsUp(poolId);
    if (down || (effectModel.failureProbability > 0 && this.rng.chance(effectModel.failureProbability))) metrics.failures++;
  }

  private metricsOf(kind: EffectKind): EffectMetrics {
    let metrics = this.metrics.get(kind);
    if (!metrics) {
      metrics = { count: 0, failures: 0, latencyMsTotal: 0 };
      this.metrics.set(kind, metrics);
    }
    return metrics;
  }
}

function reportOf(type: 'hostDown' | 'hostUp' | 'storagePoolDown' | 'storagePoolUp', id: Id): Command {
  return type === 'hostDown' || type === 'hostUp' ? { type, hostId: id } : { type, storagePoolId: id };
}
