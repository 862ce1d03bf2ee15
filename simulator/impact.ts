import { isZoneSystemVm, type Vm, type VmState } from '../core/model/compute.js';
import type { Id } from '../core/model/entities.js';
import type { DomainEvent } from '../core/model/events.js';
import { type CloudState, settingBoolean, vmsOnHost } from '../core/model/state.js';
import type { PhysicalChange } from './drivers.js';
import type { RuntimeObserver, SimRuntime } from './runtime.js';

/**
 * What a failure did, followed from the moment it struck: which VMs died with the hosts or pools
 * that failed, which HA restarted (and where, and when they were running again), which stayed
 * down (HA VMs with the reason the restart failed; VMs without HA by design), the capacity the
 * clusters lacked to restart everything, and the time from the failure to the last restart.
 *
 * Failures are read from the simulated drivers' physical world (a host, a pool or the
 * management server really going down), not from the core's reports, so the clock starts when
 * the failure strikes, not when a monitor notices. Changes at the same virtual millisecond form
 * one failure (a pod's switch takes all its hosts at once); a VM belongs to the first failure
 * that hit it until it runs again.
 */

export interface RestartedVm {
  vm: string;
  vmId: Id;
  kind: Vm['kind'];
  fromHost: string;
  toHost: string;
  /** When it was Running again. */
  runningAtMs: number;
}

export interface DownVm {
  vm: string;
  vmId: Id;
  kind: Vm['kind'];
  state: VmState;
  reason: string;
  /** The cluster it ran in when the failure struck. */
  cluster: string;
  cpuMhz: number;
  memoryMiB: number;
}

/** A secondary storage VM or console proxy its manager destroyed because it could not start, to build a new one. */
export interface ReplacedVm {
  vm: string;
  vmId: Id;
  kind: Vm['kind'];
  reason: string;
}

export interface ClusterShortfall {
  cluster: string;
  /** What the HA VMs that found no room ask for: the allocatable capacity the cluster lacked. */
  cpuMhz: number;
  memoryMiB: number;
  vms: number;
}

export interface ManagementImpact {
  /** User VMs Running when the management server stopped, and when it came back. */
  runningAtFailure: number;
  runningBeforeRepair: number;
  /** API requests refused while it was down (users, workloads, the drill's own probe). */
  apiRefused: number;
  /** Agent, monitor and timer reports held for its return. */
  reportsHeld: number;
}

export interface FailureImpact {
  /** "host kvm01", "3 hosts", "storage pool nfs1", "management server", or the drill's label. */
  label: string;
  hosts: string[];
  pools: string[];
  management: boolean;
  atMs: number;
  /** When the last of its targets was repaired; null while one is still broken. */
  repairedAtMs: number | null;
  /** VMs (user VMs, routers and system VMs) running on what failed when it failed. */
  vmsAffected: number;
  restarted: RestartedVm[];
  /** HA VMs left down, with the core's reason. */
  stranded: DownVm[];
  /** VMs without HA (offering, local storage, zone setting): down by design, with the reason. */
  downWithoutHa: DownVm[];
  /** Affected VMs destroyed before they ran again: by their owners, or routers whose network was shut down. */
  destroyed: number;
  /** Affected system VMs their manager destroyed and built anew elsewhere. */
  replaced: ReplacedVm[];
  /** Affected VMs neither restarted nor down at the end (still starting, or never stopped). */
  pending: number;
  shortfall: ClusterShortfall[];
  /** From the failure to the last HA restart running; null when nothing was restarted. */
  timeToRecoverMs: number | null;
  managementImpact?: ManagementImpact;
}

interface Tracked {
  failure: Failure;
  vm: Vm;
  fromHostId: Id | undefined;
  clusterId: Id | undefined;
  restarting: boolean;
  done: boolean;
}

interface Failure {
  impact: FailureImpact;
  downTargets: Set<string>;
  vms: Tracked[];
  refusedAtStart: number;
  heldAtStart: number;
}

const ACTIVE: ReadonlySet<VmState> = new Set(['Running', 'Starting', 'Stopping', 'Migrating']);

export class ImpactTracker implements RuntimeObserver {
  private readonly failures: Failure[] = [];
  private readonly tracked = new Map<Id, Tracked>();
  /** The failure that opened at the current millisecond, which later changes of it join. */
  private current: Failure | undefined;

  constructor(private readonly runtime: SimRuntime) {
    runtime.observe(this);
    runtime.drivers.onPhysicalChange((change) => this.physical(change));
  }

  private get state(): CloudState {
    return this.runtime.state;
  }

  /** Every failure so far, oldest first; the numbers are those of now. */
  impacts(): FailureImpact[] {
    return this.failures.map((f) => this.finish(f));
  }

  private physical(change: PhysicalChange): void {
    const key = `${change.target}:${change.id}`;
    if (!change.down) {
      for (const failure of this.failures) {
        if (!failure.downTargets.delete(key)) continue;
        if (change.target === 'management' && failure.impact.managementImpact) {
          failure.impact.managementImpact.runningBeforeRepair = this.state.index.vmCountsByState.user.Running;
          failure.impact.managementImpact.apiRefused = this.runtime.counters.refusedWhileManagementDown - failure.refusedAtStart;
          failure.impact.managementImpact.reportsHeld = this.runtime.counters.heldReports - failure.heldAtStart;
        }
        if (failure.downTargets.size === 0) failure.impact.repairedAtMs = change.atMs;
      }
      return;
    }
    let failure = this.current;
    if (!failure || failure.impact.atMs !== change.atMs) {
      failure = {
        impact: { label: '', hosts: [], pools: [], management: false, atMs: change.atMs, repairedAtMs: null, vmsAffected: 0, restarted: [], stranded: [], downWithoutHa: [], destroyed: 0, replaced: [], pending: 0, shortfall: [], timeToRecoverMs: null },
        downTargets: new Set(),
        vms: [],
        refusedAtStart: this.runtime.counters.refusedWhileManagementDown,
        heldAtStart: this.runtime.counters.heldReports,
      };
      this.failures.push(failure);
      this.current = failure;
    }
    failure.downTargets.add(key);
    if (change.target === 'host') {
      const host = this.state.hosts.get(change.id);
      failure.impact.hosts.push(host?.name ?? change.id);
      for (const vm of vmsOnHost(this.state, change.id)) this.affect(failure, vm.id, change.id);
    } else if (change.target === 'pool') {
      failure.impact.pools.push(this.state.storagePools.get(change.id)?.name ?? change.id);
      for (const volume of this.state.volumes.values()) {
        if (volume.storagePoolId !== change.id || volume.vmId === undefined || volume.state === 'Destroy') continue;
        const vm = this.state.vms.get(volume.vmId);
        if (vm && ACTIVE.has(vm.state)) this.affect(failure, vm.id, vm.hostId);
      }
    } else {
      failure.impact.management = true;
      const running = this.state.index.vmCountsByState.user.Running;
      failure.impact.managementImpact = { runningAtFailure: running, runningBeforeRepair: running, apiRefused: 0, reportsHeld: 0 };
    }
  }

  private affect(failure: Failure, vmId: Id, hostId: Id | undefined): void {
    if (this.tracked.has(vmId)) return;
    const vm = this.state.vms.get(vmId);
    if (!vm || !ACTIVE.has(vm.state)) return;
    const host = hostId === undefined ? undefined : this.state.hosts.get(hostId);
    const entry: Tracked = { failure, vm, fromHostId: hostId, clusterId: host?.clusterId, restarting: false, done: false };
    this.tracked.set(vmId, entry);
    failure.vms.push(entry);
    failure.impact.vmsAffected++;
  }

  event(event: DomainEvent, atMs: number): void {
    if (this.tracked.size === 0) return;
    if (event.type === 'vmExpunged') {
      this.drop(event.vmId);
      return;
    }
    if (event.type !== 'vmStateChanged') return;
    const entry = this.tracked.get(event.vmId);
    if (!entry) return;
    switch (event.state) {
      case 'Starting':
        entry.restarting = true;
        return;
      case 'Running':
        if (!entry.restarting) return;
        entry.done = true;
        this.tracked.delete(event.vmId);
        entry.failure.impact.restarted.push({
          vm: entry.vm.name,
          vmId: entry.vm.id,
          kind: entry.vm.kind,
          fromHost: this.hostName(entry.fromHostId),
          toHost: this.hostName(event.hostId),
          runningAtMs: atMs,
        });
        return;
      case 'Destroyed':
      case 'Expunging':
        this.drop(event.vmId, event.reason);
        return;
      default:
        // Stopped or Error: the VM stays followed, since an HA VM stopped by a storage outage
        // is restarted when the pool returns.
        entry.restarting = false;
    }
  }

  private drop(vmId: Id, reason?: string): void {
    const entry = this.tracked.get(vmId);
    if (!entry) return;
    entry.done = true;
    this.tracked.delete(vmId);
    // Owners destroy user VMs and routers go with their networks; a zone's system VM destroyed
    // with a reason is its manager's doing.
    const { vm } = entry;
    if (isZoneSystemVm(vm.kind) && reason !== undefined) entry.failure.impact.replaced.push({ vm: vm.name, vmId: vm.id, kind: vm.kind, reason });
    else entry.failure.impact.destroyed++;
  }

  private hostName(id: Id | undefined): string {
    return id === undefined ? '-' : this.state.hosts.get(id)?.name ?? id;
  }

  private clusterName(id: Id | undefined): string {
    return id === undefined ? '-' : this.state.clusters.get(id)?.name ?? id;
  }

  /** The failure's numbers now: VMs still followed are sorted into stranded, down or pending. */
  private finish(failure: Failure): FailureImpact {
    const impact: FailureImpact = { ...failure.impact, stranded: [], downWithoutHa: [], pending: 0, shortfall: [], restarted: [...failure.impact.restarted] };
    if (impact.managementImpact) impact.managementImpact = { ...impact.managementImpact };
    if (impact.label === '') impact.label = labelOf(impact);
    const haZone = settingBoolean(this.state, 'vm.ha.enabled');
    const shortfall = new Map<string, ClusterShortfall>();
    for (const entry of failure.vms) {
      if (entry.done) continue;
      const vm = this.state.vms.get(entry.vm.id) ?? entry.vm;
      if (vm.state !== 'Stopped' && vm.state !== 'Error') {
        impact.pending++;
        continue;
      }
      const down: DownVm = {
        vm: vm.name,
        vmId: vm.id,
        kind: vm.kind,
        state: vm.state,
        reason: vm.reason ?? 'stopped',
        cluster: this.clusterName(entry.clusterId),
        cpuMhz: vm.cpuNumber * vm.cpuSpeedMhz,
        memoryMiB: vm.memoryMiB,
      };
      if (vm.haEnabled && !vm.usesLocalStorage && haZone) {
        impact.stranded.push(down);
        const sum = shortfall.get(down.cluster) ?? { cluster: down.cluster, cpuMhz: 0, memoryMiB: 0, vms: 0 };
        sum.cpuMhz += down.cpuMhz;
        sum.memoryMiB += down.memoryMiB;
        sum.vms++;
        shortfall.set(down.cluster, sum);
      } else {
        impact.downWithoutHa.push(down);
      }
    }
    impact.shortfall = [...shortfall.values()];
    let last = -1;
    for (const restarted of impact.restarted) last = Math.max(last, restarted.runningAtMs);
    impact.timeToRecoverMs = last < 0 ? null : last - impact.atMs;
    if (impact.management && impact.repairedAtMs !== null && impact.timeToRecoverMs === null) impact.timeToRecoverMs = impact.repairedAtMs - impact.atMs;
    return impact;
  }
}

function labelOf(impact: FailureImpact): string {
  const parts: string[] = [];
  if (impact.hosts.length === 1) parts.push(`host ${impact.hosts[0]}`);
  else if (impact.hosts.length > 1) parts.push(`${impact.hosts.length} hosts`);
  if (impact.pools.length === 1) parts.push(`storage pool ${impact.pools[0]}`);
  else if (impact.pools.length > 1) parts.push(`${impact.pools.length} storage pools`);
  if (impact.management) parts.push('management server');
  return parts.join(' and ');
}
