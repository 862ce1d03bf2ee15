import type { Command } from './model/commands.js';
import { isZoneSystemVm, type Vm, type ZoneSystemVmKind } from './model/compute.js';
import type { Id } from './model/entities.js';
import type { DomainEvent } from './model/events.js';
import type { CloudState } from './model/state.js';
import { zoneRunsSystemVm } from './decide/ha.js';
import { hostsOf, settingNumber } from './model/state.js';

/**
 * Effects are what the outside world must do after events are stored: start a VM on a host,
 * plumb a network, push NAT rules to a router, run a timer. Drivers interpret them (simulated
 * or live) and report back with commands (`vmStarted`, `effectFailed`, ...); the core never
 * performs them. decide returns the effects of a command with its events.
 */
export type Effect =
  | { kind: 'host.connect'; hostId: Id }
  | { kind: 'storagePool.attach'; storagePoolId: Id; hostIds: Id[] }
  | { kind: 'imageStore.register'; imageStoreId: Id }
  | { kind: 'physicalNetwork.setup'; physicalNetworkId: Id }
  | { kind: 'vm.start'; vmId: Id; hostId: Id }
  | { kind: 'vm.stop'; vmId: Id; hostId: Id; forced: boolean }
  | { kind: 'vm.reboot'; vmId: Id; hostId: Id }
  | { kind: 'vm.migrate'; vmId: Id; fromHostId: Id; toHostId: Id }
  | { kind: 'vm.expunge'; vmId: Id; hostId?: Id }
  | { kind: 'volume.create'; volumeId: Id; storagePoolId: Id; sizeGiB: number }
  | { kind: 'volume.delete'; volumeId: Id; storagePoolId: Id }
  | { kind: 'snapshot.backup'; snapshotId: Id; volumeId: Id }
  | { kind: 'template.copy'; templateId: Id; imageStoreIds: Id[] }
  | { kind: 'network.implement'; networkId: Id; vlan?: number | 'untagged' }
  | { kind: 'network.shutdown'; networkId: Id }
  /** The router of a network must (re)apply its NAT, firewall and LB configuration. */
  | { kind: 'router.configure'; networkId: Id }
  /** Run `command` after `delayMs` of (virtual or wall-clock) time. */
  | { kind: 'timer'; delayMs: number; command: Command };

export type EffectKind = Effect['kind'];

/**
 * Networks left without a running VM get their garbage collection timer (network.gc.wait);
 * the collector checks again when it fires, so a VM started meanwhile keeps the network up.
 */
function gcTimers(state: Readonly<CloudState>, vm: Vm | undefined): Effect[] {
  if (!vm || vm.kind !== 'User') return [];
  const out: Effect[] = [];
  for (const nic of vm.nics) {
    if (nic.networkId === undefined) continue;
    const network = state.networks.get(nic.networkId);
    if (!network || network.state !== 'Implemented' || network.persistent || network.guestType === 'Shared' || network.vpcId !== undefined) continue;
    if ((state.index.vmsByNetwork.get(network.id)?.running ?? 0) === 0) out.push({ kind: 'timer', delayMs: settingNumber(state as CloudState, 'network.gc.wait') * 1000, command: { type: 'networkGarbageCollection', id: network.id } });
  }
  return out;
}

/**
 * The secondary storage VM and console proxy managers scan every zone on a fixed period
 * (secstorage.capacityscan.interval, consoleproxy.capacityscan.interval) and bring up a VM of
 * their kind where none runs. The model runs the scan only when it can find something to do: a
 * timer to the next tick of that period after one of their VMs stops, fails or is destroyed,
 * after a scan that could not fix its zone, when a host or pool of a zone lacking one comes back
 * up, and when a zone is enabled. Ticks fall on multiples of the period, as a scanner started at
 * time zero would run.
 */
function scanTimer(state: Readonly<CloudState>, kind: ZoneSystemVmKind, zoneId: Id, atMs: number | undefined): Effect {
  const ssvm = kind === 'SecondaryStorageVm';
  const periodMs = settingNumber(state as CloudState, ssvm ? 'secstorage.capacityscan.interval' : 'consoleproxy.capacityscan.interval');
  const delayMs = atMs === undefined ? periodMs : periodMs - (atMs % periodMs);
  return { kind: 'timer', delayMs, command: { type: ssvm ? 'secondaryStorageVmScan' : 'consoleProxyScan', id: zoneId } };
}

/**
 * A scan finds a zone with no host or no primary storage up not ready and leaves it; a host or a
 * pool coming back up may make it ready again, so the managers look at it if it lacks their VM.
 */
function readyAgainScans(state: Readonly<CloudState>, zoneId: Id | undefined, atMs: number | undefined): Effect[] {
  if (zoneId === undefined) return [];
  return (['SecondaryStorageVm', 'ConsoleProxy'] as const).filter((kind) => !zoneRunsSystemVm(state as CloudState, zoneId, kind)).map((kind) => scanTimer(state, kind, zoneId, atMs));
}

function systemVmScan(state: Readonly<CloudState>, vm: Vm | undefined, atMs: number): Effect[] {
  if (!vm || !isZoneSystemVm(vm.kind) || vm.servesId === undefined) return [];
  return [scanTimer(state, vm.kind, vm.servesId, atMs)];
}

/** The router of the network (or VPC) an address serves must apply the change. */
function configure(state: Readonly<CloudState>, publicIpId: Id | undefined): Effect[] {
  const ip = publicIpId === undefined ? undefined : state.publicIps.get(publicIpId);
  const target = ip?.vpcId ?? ip?.networkId;
  return target === undefined ? [] : [{ kind: 'router.configure', networkId: target }];
}

/** What drivers must do after an event is applied (state is the state after it). */
export function effectsOf(event: DomainEvent, state: Readonly<CloudState>): Effect[] {
  switch (event.type) {
    case 'vmCreated': {
      const effects: Effect[] = [];
      for (const v of event.volumes) if (v.state === 'Ready' && v.storagePoolId !== undefined) effects.push({ kind: 'volume.create', volumeId: v.id, storagePoolId: v.storagePoolId, sizeGiB: v.sizeGiB });
      if (event.vm.state === 'Starting' && event.vm.hostId !== undefined) effects.push({ kind: 'vm.start', vmId: event.vm.id, hostId: event.vm.hostId });
      return effects;
    }
    case 'vmStateChanged': {
      const vm = state.vms.get(event.vmId);
      const effects: Effect[] = [];
      if (event.stopOnHost !== undefined) effects.push({ kind: 'vm.stop', vmId: event.vmId, hostId: event.stopOnHost, forced: true });
      // Most state changes move no volume: no entries array is made for them.
      if (event.volumePools !== undefined) {
        for (const [volumeId, poolId] of Object.entries(event.volumePools)) {
          effects.push({ kind: 'volume.create', volumeId, storagePoolId: poolId, sizeGiB: state.volumes.get(volumeId)?.sizeGiB ?? 0 });
        }
      }
      switch (event.state) {
        case 'Starting':
          effects.push({ kind: 'vm.start', vmId: event.vmId, hostId: event.hostId! });
          break;
        case 'Stopping':
          effects.push({ kind: 'vm.stop', vmId: event.vmId, hostId: event.hostId!, forced: false });
          break;
        case 'Stopped':
          effects.push(...systemVmScan(state, vm, event.atMs));
          // The HA manager tries a failed restart again every restart.retry.interval, max.retries times.
          if (event.haAttempts !== undefined && event.haAttempts <= settingNumber(state as CloudState, 'max.retries')) {
            effects.push({ kind: 'timer', delayMs: settingNumber(state as CloudState, 'restart.retry.interval') * 1000, command: { type: 'haRestartDue', id: event.vmId } });
          }
          if (vm && state.capacity.holdOf(vm)?.reserved) {
            effects.push({ kind: 'timer', delayMs: settingNumber(state as CloudState, 'capacity.skipcounting.hours') * 1000, command: { type: 'releaseStoppedCapacity', id: event.vmId } });
          }
          effects.push(...gcTimers(state, vm));
          break;
        case 'Error':
          effects.push(...systemVmScan(state, vm, event.atMs));
          break;
        case 'Destroyed':
          effects.push(...systemVmScan(state, vm, event.atMs));
          if (vm) effects.push({ kind: 'timer', delayMs: settingNumber(state as CloudState, 'expunge.delay') * 1000, command: { type: 'expungeDue', id: event.vmId } });
          effects.push(...gcTimers(state, vm));
          break;
        default:
          break;
      }
      return effects;
    }
    case 'vmMigrated':
      return [{ kind: 'vm.migrate', vmId: event.vmId, fromHostId: event.fromHostId, toHostId: event.toHostId }];
    case 'vmRebooted': {
      const hostId = state.vms.get(event.vmId)?.hostId;
      return hostId === undefined ? [] : [{ kind: 'vm.reboot', vmId: event.vmId, hostId }];
    }
    case 'vmExpunged':
      return [{ kind: 'vm.expunge', vmId: event.vmId }];
    case 'volumeAttached':
      return [{ kind: 'volume.create', volumeId: event.volumeId, storagePoolId: event.storagePoolId, sizeGiB: state.volumes.get(event.volumeId)?.sizeGiB ?? 0 }];
    case 'snapshotCreated':
      return [{ kind: 'snapshot.backup', snapshotId: event.snapshot.id, volumeId: event.snapshot.volumeId }];
    case 'templateRegistered':
      return [{ kind: 'template.copy', templateId: event.template.id, imageStoreIds: event.template.imageStoreIds }];
    case 'networkImplemented':
      return [{ kind: 'network.implement', networkId: event.networkId, ...(event.vlan === undefined ? {} : { vlan: event.vlan }) }];
    case 'networkStateChanged':
      return event.state === 'Allocated' || event.state === 'Shutdown' ? [{ kind: 'network.shutdown', networkId: event.networkId }] : [];
    case 'publicIpAllocated':
      return configure(state, event.publicIp.id);
    case 'staticNatChanged':
      return configure(state, event.publicIpId);
    case 'portForwardingRuleCreated':
    case 'loadBalancerRuleCreated':
      return configure(state, event.rule.publicIpId);
    case 'firewallRuleCreated':
      return event.rule.networkId !== undefined ? [{ kind: 'router.configure', networkId: event.rule.networkId }] : configure(state, event.rule.publicIpId);
    case 'networkRestarted':
      return [{ kind: 'router.configure', networkId: event.networkId }];
    case 'vpcRestarted':
      return [{ kind: 'router.configure', networkId: event.vpcId }];
    case 'loadBalancerMembersAssigned':
    case 'loadBalancerMembersRemoved':
      return configure(state, state.loadBalancerRules.get(event.ruleId)?.publicIpId);
    case 'hostStatusChanged':
      return event.status === 'Up' ? readyAgainScans(state, state.hosts.get(event.hostId)?.zoneId, event.atMs) : [];
    case 'systemVmScanFailed':
      return [scanTimer(state, event.vmKind, event.zoneId, event.atMs)];
    case 'allocationStateChanged':
      // The managers scan Enabled zones only: enabling one is when they look at it again.
      return event.resource === 'zone' && event.allocationState === 'Enabled' ? [scanTimer(state, 'SecondaryStorageVm', event.id, undefined), scanTimer(state, 'ConsoleProxy', event.id, undefined)] : [];
    case 'storagePoolStateChanged':
      return event.state === 'Up' ? [{ kind: 'timer', delayMs: 0, command: { type: 'storageRecovered', id: event.storagePoolId } }, ...readyAgainScans(state, state.storagePools.get(event.storagePoolId)?.zoneId, event.atMs)] : [];
    case 'hostAdded':
      return [{ kind: 'host.connect', hostId: event.host.id }];
    case 'storagePoolCreated': {
      const pool = event.storagePool;
      const hostIds =
        pool.scope === 'HOST'
          ? pool.hostId === undefined ? [] : [pool.hostId]
          : pool.scope === 'CLUSTER'
            ? pool.clusterId === undefined ? [] : hostsOf(state as CloudState, pool.clusterId).map((h) => h.id)
            : [...state.hosts.values()].filter((h) => h.zoneId === pool.zoneId && (pool.hypervisor === undefined || h.hypervisor === pool.hypervisor)).map((h) => h.id);
      return [{ kind: 'storagePool.attach', storagePoolId: pool.id, hostIds }];
    }
    case 'imageStoreAdded':
      return [{ kind: 'imageStore.register', imageStoreId: event.imageStore.id }];
    case 'trafficTypeAdded':
      return [{ kind: 'physicalNetwork.setup', physicalNetworkId: event.physicalNetworkId }];
    default:
      return [];
  }
}
