import { assert, assertNever, fail } from './assert.js';
import { ACCOUNT_NEXT, ACCOUNT_PREVIOUS, type AccountLinkedRecord, AccountVms } from './account-vms.js';
import { HOLD_SLOT } from './capacity.js';
import { deleteCompacting } from './churn.js';
import type { Nic, Snapshot, Template, Vm, Volume } from './model/compute.js';
import type { Id } from './model/entities.js';
import type { LifecycleEvent } from './model/lifecycle-events.js';
import { DEFAULT_SECURITY_GROUP, type LoadBalancerRule, type PortForwardingRule, type PublicIp, type SecurityGroup } from './model/services.js';
import { type CloudState, settingNumber, usageOf } from './model/state.js';
import { linkLocalPool } from './net/ip-pool.js';
import type { IdPool } from './net/pool.js';
import { hostTakesVms } from './evolve.js';
import { dropTagsOf } from './evolve-tenant.js';
import { copyRecord } from './record.js';

/**
 * Applies the events of the running cloud. Capacity holds, pool allocations, indexes and account
 * counts change here and only here (a restore builds them with the index* functions below);
 * each change is the exact mirror of the record it follows.
 */
export function evolveLifecycle(state: CloudState, event: LifecycleEvent): void {
  switch (event.type) {
    case 'templateRegistered': {
      const template = { ...event.template, zoneIds: [...event.template.zoneIds], imageStoreIds: [...event.template.imageStoreIds] };
      state.templates.set(template.id, template);
      indexTemplate(state, template);
      return;
    }
    case 'templateDeleted': {
      const template = state.templates.get(event.templateId);
      if (!template) return;
      template.state = 'Destroyed';
      for (const storeId of template.imageStoreIds) addImageStoreUse(state, storeId, -template.sizeGiB);
      if (template.accountId !== 'system') {
        const usage = usageOf(state, template.accountId);
        usage.template--;
        usage.secondary_storage -= template.sizeGiB;
      }
      dropTagsOf(state, template.id);
      return;
    }
    case 'affinityGroupCreated':
      state.affinityGroups.set(event.affinityGroup.id, copyRecord(event.affinityGroup));
      return;
    case 'affinityGroupDeleted':
      state.affinityGroups.delete(event.affinityGroupId);
      return;
    case 'vmCreated':
      createVm(state, vmRecord(event.vm), event.volumes.map(volumeRecord));
      return;
    case 'vmStateChanged':
      changeVmState(state, event);
      return;
    case 'vmRebooted':
      return;
    case 'vmNicAdded': {
      const vm = state.vms.get(event.vmId);
      if (vm) vm.nics = [...vm.nics, nicRecord(event.nic)];
      return;
    }
    case 'vmNicRemoved': {
      const vm = state.vms.get(event.vmId);
      if (vm) vm.nics = vm.nics.filter((nic) => nic.networkId !== event.networkId);
      return;
    }
    case 'vmMigrated': {
      const vm = state.vms.get(event.vmId)!;
      vm.hostId = event.toHostId;
      vm.lastHostId = event.fromHostId;
      vm.stateChangedMs = event.atMs;
      leaveHostIndex(state, vm, event.fromHostId);
      holdUsed(state, vm, event.toHostId);
      arriveInHostIndex(state, vm, event.toHostId);
      return;
    }
    case 'vmScaled': {
      const vm = state.vms.get(event.vmId)!;
      if (vm.kind === 'User') {
        const usage = usageOf(state, vm.accountId);
        usage.cpu += event.cpuNumber - vm.cpuNumber;
        usage.memory += event.memoryMiB - vm.memoryMiB;
      }
      vm.serviceOfferingId = event.serviceOfferingId;
      vm.cpuNumber = event.cpuNumber;
      vm.cpuSpeedMhz = event.cpuSpeedMhz;
      vm.memoryMiB = event.memoryMiB;
      const hold = state.capacity.holdOf(vm);
      if (hold) state.capacity.hold(vm, { ...hold, cpuMhz: vm.cpuNumber * vm.cpuSpeedMhz, memoryMiB: vm.memoryMiB });
      return;
    }
    case 'vmExpunged':
      expungeVm(state, event.vmId);
      return;
    case 'systemVmScanFailed':
      // A record of the scan for the event log and the alerts; the next scan is its effect.
      return;
    case 'stoppedCapacityReleased': {
      const vm = state.vms.get(event.vmId);
      if (vm) {
        state.capacity.release(vm);
        clearColdField(vm, 'capacityReserved');
      }
      return;
    }
    case 'volumeCreated':
      addVolume(state, volumeRecord(event.volume));
      return;
    case 'volumeAttached': {
      const volume = state.volumes.get(event.volumeId)!;
      const vm = state.vms.get(event.vmId)!;
      volume.vmId = vm.id;
      if (volume.storagePoolId === undefined || volume.state !== 'Ready') {
        volume.storagePoolId = event.storagePoolId;
        volume.state = 'Ready';
        addPoolUse(state, event.storagePoolId, volume.sizeGiB);
      }
      vm.volumeIds = [...vm.volumeIds, volume.id];
      return;
    }
    case 'volumeDetached': {
      const volume = state.volumes.get(event.volumeId)!;
      const vm = volume.vmId === undefined ? undefined : state.vms.get(volume.vmId);
      if (vm) vm.volumeIds = vm.volumeIds.filter((id) => id !== volume.id);
      volume.vmId = undefined;
      return;
    }
    case 'volumeResized': {
      const volume = state.volumes.get(event.volumeId)!;
      if (volume.storagePoolId !== undefined && volume.state === 'Ready') addPoolUse(state, volume.storagePoolId, event.sizeGiB - volume.sizeGiB);
      if (counted(state, volume)) usageOf(state, volume.accountId).primary_storage += event.sizeGiB - volume.sizeGiB;
      volume.sizeGiB = event.sizeGiB;
      return;
    }
    case 'volumeDeleted':
      deleteVolume(state, event.volumeId);
      return;
    case 'snapshotCreated': {
      const snapshot = copyRecord(event.snapshot);
      state.snapshots.set(snapshot.id, snapshot);
      indexSnapshot(state, snapshot);
      return;
    }
    case 'snapshotDeleted': {
      const snapshot = state.snapshots.get(event.snapshotId);
      if (!snapshot || snapshot.state === 'Destroyed') return;
      snapshot.state = 'Destroyed';
      if (snapshot.imageStoreId !== undefined) addImageStoreUse(state, snapshot.imageStoreId, -snapshot.sizeGiB);
      const usage = usageOf(state, snapshot.accountId);
      usage.snapshot--;
      usage.secondary_storage -= snapshot.sizeGiB;
      dropTagsOf(state, snapshot.id);
      return;
    }
    case 'networkImplemented': {
      const network = state.networks.get(event.networkId)!;
      network.state = 'Implemented';
      if (event.vlan !== undefined && network.vlan === undefined && typeof event.vlan === 'number' && network.physicalNetworkId !== undefined) {
        const taken = state.pools.vnetByPhysicalNetwork.get(network.physicalNetworkId)?.allocate(event.vlan);
        if (taken !== true) fail(`VLAN ${event.vlan} of network ${network.name} is not free`);
        // The record says which VLAN the network holds: a restore takes it from there (indexNetwork in evolve.ts).
        network.vlan = event.vlan;
        network.vlanFromPool = true;
      }
      return;
    }
    case 'networkStateChanged': {
      const network = state.networks.get(event.networkId)!;
      network.state = event.state;
      if (event.releaseVlan && network.vlanFromPool && typeof network.vlan === 'number' && network.physicalNetworkId !== undefined) {
        state.pools.vnetByPhysicalNetwork.get(network.physicalNetworkId)?.release(network.vlan);
        // Last added, first deleted: V8 undoes the latest field additions in place, where any
        // other delete turns the record into a slow dictionary for good.
        delete network.vlanFromPool;
        delete network.vlan;
      }
      return;
    }
    case 'networkDeleted': {
      const network = state.networks.get(event.networkId);
      if (!network) return;
      if (network.vlanFromPool && typeof network.vlan === 'number' && network.physicalNetworkId !== undefined) state.pools.vnetByPhysicalNetwork.get(network.physicalNetworkId)?.release(network.vlan);
      network.state = 'Destroy';
      if (network.accountId !== undefined) usageOf(state, network.accountId).network--;
      state.pools.guestByNetwork.delete(network.id);
      dropTagsOf(state, network.id);
      return;
    }
    case 'vpcDeleted': {
      const vpc = state.vpcs.get(event.vpcId);
      if (!vpc) return;
      state.vpcs.delete(vpc.id);
      const list = state.index.vpcsByZone.get(vpc.zoneId);
      if (list) list.splice(list.indexOf(vpc.id), 1);
      if (vpc.accountId !== undefined) usageOf(state, vpc.accountId).vpc--;
      dropTagsOf(state, vpc.id);
      return;
    }
    case 'publicIpAllocated': {
      const ip = copyRecord(event.publicIp);
      state.publicIps.set(ip.id, ip);
      indexPublicIp(state, ip, false);
      return;
    }
    case 'publicIpReleased': {
      const ip = state.publicIps.get(event.publicIpId);
      if (!ip) return;
      state.pools.publicByZone.get(ip.zoneId)?.release(ip.ip);
      state.publicIps.delete(ip.id);
      if (ip.sourceNat) state.index.sourceNatByOwner.delete(ip.vpcId ?? ip.networkId!);
      if (ip.staticNatVmId !== undefined) state.index.staticNatByVm.delete(ip.staticNatVmId);
      if (ip.forSystemVm === undefined) usageOf(state, ip.accountId).public_ip--;
      dropTagsOf(state, ip.id);
      return;
    }
    case 'staticNatChanged': {
      const ip = state.publicIps.get(event.publicIpId)!;
      if (ip.staticNatVmId !== undefined) state.index.staticNatByVm.delete(ip.staticNatVmId);
      if (event.vmId === undefined) {
        delete ip.staticNatVmId;
        ip.purposes = ip.purposes.filter((p) => p !== 'StaticNat');
      } else {
        ip.staticNatVmId = event.vmId;
        ip.purposes = [...ip.purposes.filter((p) => p !== 'StaticNat'), 'StaticNat'];
        state.index.staticNatByVm.set(event.vmId, ip.id);
      }
      return;
    }
    case 'portForwardingRuleCreated': {
      const rule = copyRecord(event.rule);
      state.portForwardingRules.set(rule.id, rule);
      indexPortForwardingRule(state, rule);
      addPurpose(state, rule.publicIpId, 'PortForwarding');
      return;
    }
    case 'firewallRuleCreated':
      state.firewallRules.set(event.rule.id, copyRecord(event.rule));
      return;
    case 'loadBalancerRuleCreated': {
      const rule = copyRecord(event.rule);
      state.loadBalancerRules.set(rule.id, rule);
      indexLoadBalancerRule(state, rule);
      addPurpose(state, rule.publicIpId, 'Lb');
      return;
    }
    case 'loadBalancerMembersAssigned': {
      const rule = state.loadBalancerRules.get(event.ruleId)!;
      rule.vmIds = [...new Set([...rule.vmIds, ...event.vmIds])];
      for (const vmId of event.vmIds) indexRule(state, vmId, rule.id, true);
      return;
    }
    case 'loadBalancerMembersRemoved': {
      const rule = state.loadBalancerRules.get(event.ruleId)!;
      rule.vmIds = rule.vmIds.filter((id) => !event.vmIds.includes(id));
      for (const vmId of event.vmIds) indexRule(state, vmId, rule.id, false);
      return;
    }
    case 'ruleDeleted': {
      dropTagsOf(state, event.ruleId);
      if (event.kind === 'firewall') {
        state.firewallRules.delete(event.ruleId);
        return;
      }
      const records = event.kind === 'portForwarding' ? state.portForwardingRules : state.loadBalancerRules;
      const rule = records.get(event.ruleId);
      if (!rule) return;
      records.delete(event.ruleId);
      for (const vmId of 'vmIds' in rule ? rule.vmIds : [rule.vmId]) indexRule(state, vmId, rule.id, false);
      const purpose = event.kind === 'portForwarding' ? 'PortForwarding' : 'Lb';
      const stillUsed = [...records.values()].some((r) => r.publicIpId === rule.publicIpId);
      const ip = state.publicIps.get(rule.publicIpId);
      if (ip && !stillUsed) ip.purposes = ip.purposes.filter((p) => p !== purpose);
      return;
    }
    case 'securityGroupCreated': {
      const group = { ...event.securityGroup, rules: [...event.securityGroup.rules] };
      state.securityGroups.set(group.id, group);
      indexSecurityGroup(state, group);
      return;
    }
    case 'securityGroupRuleAdded': {
      const group = state.securityGroups.get(event.securityGroupId)!;
      group.rules = [...group.rules, event.rule];
      return;
    }
    case 'securityGroupRuleRevoked': {
      const group = state.securityGroups.get(event.securityGroupId)!;
      group.rules = group.rules.filter((r) => r.id !== event.ruleId);
      return;
    }
    case 'securityGroupDeleted':
      // The default group cannot be deleted, so the index needs no change here.
      state.securityGroups.delete(event.securityGroupId);
      dropTagsOf(state, event.securityGroupId);
      return;
    case 'allocationStateChanged': {
      const records = { zone: state.zones, pod: state.pods, cluster: state.clusters, host: state.hosts }[event.resource];
      const record = records.get(event.id) as { allocationState?: string } | undefined;
      if (record) record.allocationState = event.allocationState;
      state.capacity.topologyVersion++;
      return;
    }
    case 'hostStatusChanged': {
      const host = state.hosts.get(event.hostId)!;
      host.status = event.status;
      state.capacity.setActive(state.capacity.hostOrdinal.get(host.id)!, hostTakesVms(host));
      return;
    }
    case 'hostResourceStateChanged': {
      const host = state.hosts.get(event.hostId)!;
      host.resourceState = event.resourceState;
      state.capacity.topologyVersion++;
      state.capacity.setActive(state.capacity.hostOrdinal.get(host.id)!, hostTakesVms(host));
      return;
    }
    case 'storagePoolStateChanged':
      state.storagePools.get(event.storagePoolId)!.state = event.state;
      return;
    case 'managementStateChanged':
      state.managementUp = event.up;
      return;
    default:
      assertNever(event, 'lifecycle event');
  }
}

function indexRule(state: CloudState, vmId: Id, ruleId: Id, add: boolean): void {
  let rules = state.index.rulesByVm.get(vmId);
  if (add) {
    if (!rules) state.index.rulesByVm.set(vmId, (rules = new Set()));
    rules.add(ruleId);
  } else if (rules) {
    rules.delete(ruleId);
    if (rules.size === 0) state.index.rulesByVm.delete(vmId);
  }
}

function addPurpose(state: CloudState, publicIpId: Id, purpose: 'PortForwarding' | 'Lb'): void {
  const ip = state.publicIps.get(publicIpId);
  if (ip && !ip.purposes.includes(purpose)) ip.purposes = [...ip.purposes, purpose];
}

function addImageStoreUse(state: CloudState, storeId: Id, sizeGiB: number): void {
  state.index.imageStoreUsedGiB.set(storeId, (state.index.imageStoreUsedGiB.get(storeId) ?? 0) + sizeGiB);
}

export function addPoolUse(state: CloudState, poolId: Id, sizeGiB: number): void {
  state.index.poolAllocatedGiB.set(poolId, (state.index.poolAllocatedGiB.get(poolId) ?? 0) + sizeGiB);
}

/** A root volume brings its template to the pool once (it counts as allocated there, for good). */
export function addTemplateCopy(state: CloudState, poolId: Id, templateId: Id | undefined): void {
  if (templateId === undefined || state.index.poolTemplates.get(poolId)?.has(templateId)) return;
  const pool = state.storagePools.get(poolId);
  if (pool) pool.templateIds = [...(pool.templateIds ?? []), templateId];
  indexTemplateCopy(state, poolId, templateId);
}

/** A template copy on a pool (StoragePool.templateIds): its place in the pool's index and allocation. */
export function indexTemplateCopy(state: CloudState, poolId: Id, templateId: Id): void {
  let copies = state.index.poolTemplates.get(poolId);
  if (!copies) {
    copies = new Set();
    state.index.poolTemplates.set(poolId, copies);
  }
  if (copies.has(templateId)) return;
  copies.add(templateId);
  addPoolUse(state, poolId, state.templates.get(templateId)?.sizeGiB ?? 0);
}

/** Volumes of routers and system VMs do not count against their owner's limits. */
function counted(state: CloudState, volume: Volume): boolean {
  if (volume.accountId === 'system') return false;
  const vm = volume.vmId === undefined ? undefined : state.vms.get(volume.vmId);
  return vm === undefined || vm.kind === 'User';
}

function addVolume(state: CloudState, volume: Volume, templateId?: Id): void {
  state.volumes.set(volume.id, volume);
  indexVolume(state, volume);
  if (volume.storagePoolId !== undefined && volume.state === 'Ready' && volume.type === 'ROOT') addTemplateCopy(state, volume.storagePoolId, templateId);
}

/*
 * What each record of the running cloud adds to the derived structures. Evolve calls these when
 * a record is created; restore.ts calls them for every record of a snapshot (after all records
 * are in place), so a record implies the same allocation, counts and indexes either way. Each
 * reads the record as it is now, and so accounts for what later events did to it: a deleted
 * template no longer takes image store space, a destroyed VM no longer counts against its account.
 */

/** A placed, ready volume takes its pool's space; a user's volume counts against its account. */
export function indexVolume(state: CloudState, volume: Volume): void {
  if (volume.state === 'Destroy') return;
  if (volume.storagePoolId !== undefined && volume.state === 'Ready') addPoolUse(state, volume.storagePoolId, volume.sizeGiB);
  if (counted(state, volume)) {
    const usage = usageOf(state, volume.accountId);
    usage.volume++;
    usage.primary_storage += volume.sizeGiB;
  }
}

/** A template's copies on secondary storage, and its count against its owner, until it is deleted. */
export function indexTemplate(state: CloudState, template: Template): void {
  if (template.state === 'Destroyed') return;
  for (const storeId of template.imageStoreIds) addImageStoreUse(state, storeId, template.sizeGiB);
  if (template.accountId !== 'system') {
    const usage = usageOf(state, template.accountId);
    usage.template++;
    usage.secondary_storage += template.sizeGiB;
  }
}

export function indexSnapshot(state: CloudState, snapshot: Snapshot): void {
  if (snapshot.state === 'Destroyed') return;
  if (snapshot.imageStoreId !== undefined) addImageStoreUse(state, snapshot.imageStoreId, snapshot.sizeGiB);
  const usage = usageOf(state, snapshot.accountId);
  usage.snapshot++;
  usage.secondary_storage += snapshot.sizeGiB;
}

/**
 * A public address: taken in its zone's pool, and indexed as a source NAT or static NAT address.
 * `restoring` accepts an address that a range added after it took out of circulation (see holdAddress).
 */
export function indexPublicIp(state: CloudState, ip: PublicIp, restoring: boolean): void {
  if (!holdAddress(state.pools.publicByZone.get(ip.zoneId), ip.ip, restoring)) fail(`public IP ${ip.ip} is not free in zone ${ip.zoneId}`);
  if (ip.sourceNat) state.index.sourceNatByOwner.set(ip.vpcId ?? ip.networkId!, ip.id);
  if (ip.staticNatVmId !== undefined) state.index.staticNatByVm.set(ip.staticNatVmId, ip.id);
  if (ip.forSystemVm === undefined) usageOf(state, ip.accountId).public_ip++;
}

export function indexPortForwardingRule(state: CloudState, rule: PortForwardingRule): void {
  indexRule(state, rule.vmId, rule.id, true);
}

export function indexLoadBalancerRule(state: CloudState, rule: LoadBalancerRule): void {
  for (const vmId of rule.vmIds) indexRule(state, vmId, rule.id, true);
}

export function indexSecurityGroup(state: CloudState, group: SecurityGroup): void {
  if (group.name === DEFAULT_SECURITY_GROUP) state.index.defaultSecurityGroupByAccount.set(group.accountId, group.id);
}

/**
 * Everything a VM record implies but its place in its host's list (indexHostArrivals): state
 * counts, addresses, account and served-network indexes, network counts, account usage (a
 * destroyed VM gave its share back when it was destroyed) and its capacity hold (used on the
 * host it holds, or reserved on its last host while `capacityReserved`).
 */
export function indexVm(state: CloudState, vm: Vm, restoring: boolean): void {
  countState(state, vm, vm.state, 1);
  takeNics(state, vm, vm.nics, restoring);
  let own = state.index.vmsByAccount.get(vm.accountId);
  if (!own) {
    own = new AccountVms();
    state.index.vmsByAccount.set(vm.accountId, own);
  }
  own.add(vm);
  if (vm.servesId !== undefined) {
    let serving = state.index.vmsByServes.get(vm.servesId);
    if (!serving) {
      serving = new Set();
      state.index.vmsByServes.set(vm.servesId, serving);
    }
    serving.add(vm.id);
  }
  if (vm.kind === 'User') {
    countMembers(state, vm.nics, 1);
    if (RUNNING_STATES.has(vm.state)) countRunning(state, vm.nics, 1);
    if (vm.state !== 'Destroyed') {
      const usage = usageOf(state, vm.accountId);
      usage.user_vm++;
      usage.cpu += vm.cpuNumber;
      usage.memory += vm.memoryMiB;
    }
  }
  if (vm.hostId !== undefined && RUNNING_STATES.has(vm.state)) {
    holdUsed(state, vm, vm.hostId);
  } else if (vm.state === 'Stopped' && vm.capacityReserved) {
    const ordinal = vm.lastHostId === undefined ? undefined : state.capacity.hostOrdinal.get(vm.lastHostId);
    assert(ordinal !== undefined, `VM ${vm.name} reserves capacity without a last host`);
    holdReserved(state, vm, ordinal);
  }
}

/**
 * Lists every VM that holds a host in its host's index, in the order they came (`hostArrival`),
 * which is the order evolve appended them in: HA restarts a failed host's VMs in this order.
 */
export function indexHostArrivals(state: CloudState): void {
  const onHosts = [...state.vms.values()].filter((vm) => vm.hostId !== undefined);
  onHosts.sort((a, b) => (a.hostArrival ?? 0) - (b.hostArrival ?? 0));
  for (const vm of onHosts) addToHostIndex(state, vm, vm.hostId!);
}

function deleteVolume(state: CloudState, volumeId: Id): void {
  const volume = state.volumes.get(volumeId);
  if (!volume || volume.state === 'Destroy') return;
  if (volume.storagePoolId !== undefined && volume.state === 'Ready') addPoolUse(state, volume.storagePoolId, -volume.sizeGiB);
  volume.state = 'Destroy';
  if (counted(state, volume)) {
    const usage = usageOf(state, volume.accountId);
    usage.volume--;
    usage.primary_storage -= volume.sizeGiB;
  }
  dropTagsOf(state, volumeId);
  deleteCompacting(state.volumes, volumeId);
}

/** The pool an address of a NIC comes from, and whether it is held there (gateways are not). */
function nicPool(state: CloudState, nic: Nic, create: boolean): IdPool | undefined {
  if (nic.ip === undefined) return undefined;
  switch (nic.role) {
    case 'guest': {
      if (nic.podId !== undefined) return state.pools.basicGuestByPod.get(nic.podId);
      if (nic.networkId === undefined) return undefined;
      const network = state.networks.get(nic.networkId);
      if (network && network.gateway === nic.ip && network.guestType !== 'Shared') return undefined;
      return state.pools.guestByNetwork.get(nic.networkId);
    }
    case 'public':
      // Public addresses are held by their PublicIp records.
      return undefined;
    case 'control': {
      if (nic.podId === undefined) return undefined;
      if ((nic.ip & 0xffff0000) >>> 0 === 0xa9fe0000) {
        let pool = state.pools.linkLocalByPod.get(nic.podId);
        if (!pool && create) {
          pool = linkLocalPool();
          state.pools.linkLocalByPod.set(nic.podId, pool);
        }
        return pool;
      }
      return state.pools.reservedByPod.get(nic.podId);
    }
    case 'management':
      return nic.podId === undefined ? undefined : state.pools.reservedByPod.get(nic.podId);
    case 'storage':
      return nic.podId === undefined ? undefined : state.pools.storageByPod.get(nic.podId);
  }
}

function takeNics(state: CloudState, vm: Vm, nics: readonly Nic[], restoring: boolean): void {
  for (const nic of nics) {
    const pool = nicPool(state, nic, true);
    if (!pool || nic.ip === undefined) continue;
    if (!holdAddress(pool, nic.ip, restoring)) fail(`address ${nic.ip} (${nic.role}) of VM ${vm.name} is not free`);
  }
}

/**
 * Takes an address a record holds; false when it cannot. Evolve takes it as decide chose it, so it must be free. A
 * restore takes it after every range is in place, and a range added later than the address (an
 * overlapping range, allowed in plan mode) may have taken it out of circulation since: evolve
 * left it blocked and uncounted then, which is what the failed take leaves too.
 */
function holdAddress(pool: IdPool | undefined, ip: number, restoring: boolean): boolean {
  return pool?.allocate(ip) === true || (restoring && pool?.isBlocked(ip) === true);
}

function releaseNics(state: CloudState, nics: readonly Nic[]): void {
  for (const nic of nics) {
    const pool = nicPool(state, nic, false);
    if (pool && nic.ip !== undefined) pool.release(nic.ip);
  }
}

/** Appends a VM to its host's list. It is on no list then: restore adds each record once, a move takes it off its old list first. */
function addToHostIndex(state: CloudState, vm: Vm, hostId: Id): void {
  const ordinal = state.capacity.hostOrdinalFor(vm, hostId);
  if (ordinal === undefined) fail(`VM ${vm.name} is on host ${hostId}, which the capacity index does not know`);
  const lists = state.index.vmsByHostOrdinal;
  const list = lists[ordinal];
  if (!list) lists[ordinal] = [vm];
  else list.push(vm);
}

/**
 * Takes a VM off its host's list. Called while the VM's hold is still on that host, so the
 * host's ordinal comes off the hold.
 */
function leaveHostIndex(state: CloudState, vm: Vm, from: Id | undefined): void {
  vm.hostArrival = undefined;
  if (from === undefined) return;
  const ordinal = state.capacity.hostOrdinalFor(vm, from);
  const list = ordinal === undefined ? undefined : state.index.vmsByHostOrdinal[ordinal];
  if (list) removeInOrder(list, vm);
}

/**
 * Puts a VM last on the list of the host it now holds, and its record says when (`hostArrival`).
 * Called after its hold moved there, so the host's ordinal comes off the hold.
 */
function arriveInHostIndex(state: CloudState, vm: Vm, to: Id): void {
  vm.hostArrival = ++state.hostArrivals;
  addToHostIndex(state, vm, to);
}

/** Takes an item out of a list, keeping the order of the rest (splice would make an array of what it removed). */
function removeInOrder<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at < 0) return;
  for (let i = at; i < list.length - 1; i++) list[i] = list[i + 1]!;
  list.pop();
}

function holdUsed(state: CloudState, vm: Vm, hostId: Id): void {
  const host = state.capacity.hostOrdinalFor(vm, hostId)!;
  state.capacity.place(vm, host, vm.cpuNumber * vm.cpuSpeedMhz, vm.memoryMiB, false, true, strict(vm));
}

function holdReserved(state: CloudState, vm: Vm, host: number): void {
  state.capacity.place(vm, host, vm.cpuNumber * vm.cpuSpeedMhz, vm.memoryMiB, true, false, strict(vm));
}

function strict(vm: Vm): string | undefined {
  return vm.implicitDedication === 'Strict' ? vm.accountId : undefined;
}

/**
 * The stored copy of a VM. The fields every VM uses are present in one order (undefined when
 * unset), so VM records share one shape and are fast to read. The fields only some VMs ever use
 * (a router's `servesId`, an error's `reason`, HA retries, a display name, ...) are added only
 * when set: at a hundred thousand VMs eight always-present fields are 64 bytes a VM. Code that
 * unsets one goes through `clearColdField`, so a VM that never had it does not grow it just to
 * hold undefined. Restore stores VMs through here too.
 */
export function vmRecord(vm: Vm): Vm {
  const record = newVmRecord(vm);
  // One fixed order of addition keeps the shapes few.
  if (vm.implicitDedication !== undefined) record.implicitDedication = vm.implicitDedication;
  if (vm.servesId !== undefined) record.servesId = vm.servesId;
  if (vm.reason !== undefined) record.reason = vm.reason;
  if (vm.failedHostIds !== undefined) record.failedHostIds = vm.failedHostIds;
  if (vm.haAttempts !== undefined) record.haAttempts = vm.haAttempts;
  if (vm.capacityReserved !== undefined) record.capacityReserved = vm.capacityReserved;
  if (vm.displayName !== undefined) record.displayName = vm.displayName;
  if (vm.keyPairName !== undefined) record.keyPairName = vm.keyPairName;
  return record;
}

/** Shared by every VM without affinity or security groups and every volume without storage tags; records replace arrays, never mutate them. */
const NO_IDS: Id[] = Object.freeze([]) as unknown as Id[];

/**
 * A VM record: the fields every VM uses, in one order, then its hold slot and its links in its
 * account's list (HOLD_SLOT in capacity.ts, ACCOUNT_PREVIOUS in account-vms.ts).
 *
 * It is one object literal, and its NIC and volume lists are array literals made right after it
 * (a list of one, the usual case, written out rather than mapped or spread, which would make an
 * array the collector treats as any other). V8 learns that nearly everything allocated at these
 * sites lives long and allocates it in the old generation, one object after the other: a VM's
 * record and its lists then share a page, and the collector never copies them.
 */
function newVmRecord(vm: Vm): Vm & AccountLinkedRecord {
  return {
    id: vm.id,
    name: vm.name,
    kind: vm.kind,
    accountId: vm.accountId,
    zoneId: vm.zoneId,
    serviceOfferingId: vm.serviceOfferingId,
    templateId: vm.templateId,
    state: vm.state,
    hostId: vm.hostId,
    lastHostId: vm.lastHostId,
    cpuNumber: vm.cpuNumber,
    cpuSpeedMhz: vm.cpuSpeedMhz,
    memoryMiB: vm.memoryMiB,
    haEnabled: vm.haEnabled,
    usesLocalStorage: vm.usesLocalStorage,
    hostTags: vm.hostTags,
    affinityGroupIds: vm.affinityGroupIds.length === 0 ? NO_IDS : [...vm.affinityGroupIds],
    securityGroupIds: vm.securityGroupIds.length === 0 ? NO_IDS : [...vm.securityGroupIds],
    nics: vm.nics.length === 1 ? [nicRecord(vm.nics[0]!)] : vm.nics.map(nicRecord),
    volumeIds: vm.volumeIds.length === 1 ? [vm.volumeIds[0]!] : [...vm.volumeIds],
    stateChangedMs: vm.stateChangedMs,
    hostArrival: vm.hostArrival,
    [HOLD_SLOT]: -1,
    [ACCOUNT_PREVIOUS]: undefined,
    [ACCOUNT_NEXT]: undefined,
  };
}

type ColdVmField = 'reason' | 'failedHostIds' | 'haAttempts' | 'capacityReserved';

/** Unsets one of the fields only some VMs use, without adding it to a VM that never had it. */
function clearColdField(vm: Vm, field: ColdVmField): void {
  if (vm[field] !== undefined) vm[field] = undefined;
}

/**
 * The stored copy of a NIC; its pod is for pod-scoped addresses (system VMs, basic zones), added
 * only when it has one.
 *
 * An address below 2^31 (all of 10.0.0.0/8, the usual guest range) fits V8's small integers and
 * can be stored in the record itself; one above (public ranges, 172.16/12, 192.168/16) is a boxed
 * number, 16 bytes more. Two things keep small addresses inline. The pools' arithmetic hands
 * addresses out as doubles, and `| 0` turns one below 2^31 into the small integer it equals. And
 * the address is stored after the literal is made: V8 initialises a numeric field of a literal
 * with a boxed number whatever the value, and a field that starts out undefined accepts any value
 * later, small integers inline.
 */
function nicRecord(nic: Nic): Nic {
  const record: Nic = { role: nic.role, networkId: nic.networkId, ip: undefined, isDefault: nic.isDefault };
  if (nic.ip !== undefined) record.ip = nic.ip < 0x80000000 ? nic.ip | 0 : nic.ip;
  if (nic.podId !== undefined) record.podId = nic.podId;
  return record;
}

/**
 * The stored copy of a volume, the fields every volume uses present in one order (as vmRecord);
 * the disk offering (data disks) and the source snapshot are added only when set.
 */
export function volumeRecord(volume: Volume): Volume {
  const record: Volume = {
    id: volume.id,
    name: volume.name,
    accountId: volume.accountId,
    zoneId: volume.zoneId,
    type: volume.type,
    sizeGiB: volume.sizeGiB,
    storageType: volume.storageType,
    storageTags: volume.storageTags.length === 0 ? NO_IDS : volume.storageTags,
    vmId: volume.vmId,
    storagePoolId: volume.storagePoolId,
    state: volume.state,
  };
  if (volume.diskOfferingId !== undefined) record.diskOfferingId = volume.diskOfferingId;
  if (volume.snapshotId !== undefined) record.snapshotId = volume.snapshotId;
  return record;
}

/** The states in which a VM holds its host (and keeps its networks in use). */
const RUNNING_STATES: ReadonlySet<Vm['state']> = new Set(['Starting', 'Running', 'Stopping', 'Migrating']);

/** A user VM's networks stay the same from deploy to expunge (restarts renumber, never move, its NICs). */
function countMembers(state: CloudState, nics: readonly Nic[], delta: number): void {
  for (const nic of nics) if (nic.networkId !== undefined) countOn(state, nic.networkId, delta, 0);
}

function countRunning(state: CloudState, nics: readonly Nic[], delta: number): void {
  for (const nic of nics) if (nic.networkId !== undefined) countOn(state, nic.networkId, 0, delta);
}

function countOn(state: CloudState, networkId: Id, members: number, running: number): void {
  const all = state.index.vmsByNetwork;
  let counts = all.get(networkId);
  if (!counts) {
    counts = { members: 0, running: 0 };
    all.set(networkId, counts);
  }
  counts.members += members;
  counts.running += running;
  if (counts.members === 0 && counts.running === 0) all.delete(networkId);
}

export function countState(state: CloudState, vm: Vm, vmState: Vm['state'], delta: number): void {
  const counts = vm.kind === 'User' ? state.index.vmCountsByState.user : state.index.vmCountsByState.system;
  counts[vmState] += delta;
  if (vm.kind === 'DomainRouter' && vm.servesId !== undefined && vmState !== 'Destroyed' && vmState !== 'Expunging' && vmState !== 'Error') {
    const live = state.index.liveRoutersByServes;
    live.set(vm.servesId, (live.get(vm.servesId) ?? 0) + delta);
  }
}

/** A new VM is created Starting on its host, or Stopped (deployed without starting). */
function createVm(state: CloudState, vm: Vm, volumes: readonly Volume[]): void {
  state.vms.set(vm.id, vm);
  // (The VM is in place first, so its volumes know whose they are.)
  for (const volume of volumes) addVolume(state, volume, vm.templateId);
  indexVm(state, vm, false);
  if (vm.hostId !== undefined && RUNNING_STATES.has(vm.state)) arriveInHostIndex(state, vm, vm.hostId);
  for (const groupId of vm.affinityGroupIds) {
    const group = state.affinityGroups.get(groupId);
    if (group) group.vmIds = [...group.vmIds, vm.id];
  }
}

function changeVmState(state: CloudState, event: Extract<LifecycleEvent, { type: 'vmStateChanged' }>): void {
  const vm = state.vms.get(event.vmId)!;
  const wasLive = vm.state !== 'Destroyed' && vm.state !== 'Expunging';
  // A user VM running before and after keeps its networks' running counts, unless its NICs change:
  // then it is counted off with the NICs it has now and in again below with the ones it ends with.
  const wasRunning = vm.kind === 'User' && RUNNING_STATES.has(vm.state);
  const isRunning = vm.kind === 'User' && RUNNING_STATES.has(event.state);
  if (wasRunning && (!isRunning || event.nics)) countRunning(state, vm.nics, -1);
  if (event.nics) {
    releaseNics(state, vm.nics);
    vm.nics = event.nics.map(nicRecord);
    takeNics(state, vm, vm.nics, false);
  }
  if (event.volumePools) {
    for (const [volumeId, poolId] of Object.entries(event.volumePools)) {
      const volume = state.volumes.get(volumeId)!;
      volume.storagePoolId = poolId;
      volume.state = 'Ready';
      addPoolUse(state, poolId, volume.sizeGiB);
      if (volume.type === 'ROOT') addTemplateCopy(state, poolId, vm.templateId);
    }
  }
  if (event.failedHostIds !== undefined) {
    if (event.failedHostIds.length > 0) vm.failedHostIds = event.failedHostIds;
    else clearColdField(vm, 'failedHostIds');
  }
  // A retried start that reached Running is done with its failed hosts.
  if (event.state === 'Running') clearColdField(vm, 'failedHostIds');
  const previousHost = vm.hostId;
  countState(state, vm, vm.state, -1);
  countState(state, vm, event.state, 1);
  vm.state = event.state;
  if (isRunning && (!wasRunning || event.nics)) countRunning(state, vm.nics, 1);
  // Only the failed HA restart that set it keeps the count; any other change ends the wait.
  if (event.haAttempts !== undefined) vm.haAttempts = event.haAttempts;
  else clearColdField(vm, 'haAttempts');
  vm.stateChangedMs = event.atMs;
  if (event.reason !== undefined) vm.reason = event.reason;
  else if (event.state === 'Starting' || event.state === 'Running') clearColdField(vm, 'reason');
  // Only a stop that keeps the reservation sets it again, below.
  clearColdField(vm, 'capacityReserved');
  switch (event.state) {
    case 'Starting':
    case 'Running':
    case 'Migrating':
    case 'Stopping': {
      const hostId = event.hostId ?? vm.hostId;
      if (hostId === undefined) fail(`VM ${vm.name} is ${event.state} without a host`);
      vm.hostId = hostId;
      if (previousHost !== hostId) leaveHostIndex(state, vm, previousHost);
      holdUsed(state, vm, hostId);
      if (previousHost !== hostId) arriveInHostIndex(state, vm, hostId);
      return;
    }
    case 'Stopped': {
      leaveHostIndex(state, vm, previousHost);
      vm.hostId = undefined;
      // A start that never reached Running leaves the VM's last host as it was, with no reservation.
      const last = event.startFailed ? undefined : event.lastHostId ?? previousHost;
      if (last !== undefined) vm.lastHostId = last;
      // A stopped VM keeps its capacity on its last host for capacity.skipcounting.hours.
      const ordinal = last === undefined ? undefined : state.capacity.hostOrdinal.get(last);
      if (ordinal !== undefined && settingNumber(state, 'capacity.skipcounting.hours') > 0) {
        holdReserved(state, vm, ordinal);
        vm.capacityReserved = true;
      } else {
        state.capacity.release(vm);
      }
      return;
    }
    case 'Error':
    case 'Destroyed':
    case 'Expunging': {
      leaveHostIndex(state, vm, previousHost);
      if (previousHost !== undefined && !event.startFailed) vm.lastHostId = previousHost;
      vm.hostId = undefined;
      state.capacity.release(vm);
      if (event.state === 'Destroyed' && wasLive && vm.kind === 'User') {
        const usage = usageOf(state, vm.accountId);
        usage.user_vm--;
        usage.cpu -= vm.cpuNumber;
        usage.memory -= vm.memoryMiB;
      }
      return;
    }
  }
}

function expungeVm(state: CloudState, vmId: Id): void {
  const vm = state.vms.get(vmId);
  if (!vm) return;
  if (vm.state !== 'Destroyed') changeVmState(state, { type: 'vmStateChanged', vmId, state: 'Destroyed', atMs: vm.stateChangedMs });
  releaseNics(state, vm.nics);
  for (const volumeId of vm.volumeIds) {
    const volume = state.volumes.get(volumeId);
    if (!volume) continue;
    // The root disk goes with the VM; data disks are detached and stay.
    if (volume.type === 'ROOT') deleteVolume(state, volumeId);
    else volume.vmId = undefined;
  }
  for (const groupId of vm.affinityGroupIds) {
    const group = state.affinityGroups.get(groupId);
    if (group) group.vmIds = group.vmIds.filter((id) => id !== vmId);
  }
  state.index.vmsByAccount.get(vm.accountId)?.delete(vm);
  if (vm.kind === 'User') countMembers(state, vm.nics, -1);
  const natIpId = state.index.staticNatByVm.get(vmId);
  const natIp = natIpId === undefined ? undefined : state.publicIps.get(natIpId);
  if (natIp) {
    delete natIp.staticNatVmId;
    natIp.purposes = natIp.purposes.filter((p) => p !== 'StaticNat');
    state.index.staticNatByVm.delete(vmId);
  }
  if (vm.servesId !== undefined) state.index.vmsByServes.get(vm.servesId)?.delete(vmId);
  state.capacity.release(vm);
  countState(state, vm, vm.state, -1);
  dropTagsOf(state, vmId);
  deleteCompacting(state.vms, vmId);
}
