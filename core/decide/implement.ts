import { routerControlUsesPodIps } from '../data/hypervisors.js';
import { SYSTEM_ACCOUNT_ID, SYSTEM_VM_ROOT_DISK_GIB, SYSTEM_VM_SIZES } from '../data/system-vms.js';
import type { Nic, Vm, VmKind, Volume } from '../model/compute.js';
import type { Host, Id, Network, Zone } from '../model/entities.js';
import type { DomainEvent } from '../model/events.js';
import type { PublicIp } from '../model/services.js';
import { type CloudState, settingBoolean } from '../model/state.js';
import { linkLocalPool, subnetPool } from '../net/ip-pool.js';
import type { IdPool } from '../net/pool.js';
import { placeVm } from '../placement/placement.js';
import { PendingHolds, type PlacementRequest } from '../placement/types.js';
import type { DecideContext } from './support.js';
import { Scratch } from './scratch.js';

/**
 * One decision in the making: the state it reads, what it has taken so far (ids, addresses,
 * capacity), and the events it will return. Helpers that place system VMs or implement networks
 * add to it, so a VM deploy that also implements its network and starts a router is one atomic
 * decision whose parts never collide.
 */
export class DecisionBuilder {
  readonly scratch: Scratch;
  readonly pending = new PendingHolds();
  readonly events: DomainEvent[] = [];
  /** Link-local pools of pods that have none yet (created by evolve on first use); made when first needed. */
  private freshLinkLocal: Map<Id, ReturnType<typeof linkLocalPool>> | undefined;
  /** Guest pools of networks this decision creates (evolve creates the real ones); made when first needed. */
  private freshGuest: Map<Id, IdPool> | undefined;

  constructor(
    readonly state: CloudState,
    readonly ctx: DecideContext,
  ) {
    this.scratch = new Scratch(state);
  }

  /** Promises a placed VM's capacity (on the host of that ordinal) and volumes to later placements of this decision. */
  promise(host: number, cpuMhz: number, memoryMiB: number, volumes: readonly { sizeGiB: number; storagePoolId?: Id }[]): void {
    this.pending.add(host, this.state.capacity.hostCluster[host]!, cpuMhz, memoryMiB, true);
    for (const volume of volumes) if (volume.storagePoolId !== undefined) this.pending.addPool(volume.storagePoolId, volume.sizeGiB);
  }

  /** Takes back a promise made by a placement that was given up (its NICs found no address). */
  withdraw(hostId: Id, cpuMhz: number, memoryMiB: number, volumes: readonly { sizeGiB: number; storagePoolId?: Id }[]): void {
    const host = this.state.capacity.hostOrdinal.get(hostId)!;
    this.pending.add(host, this.state.capacity.hostCluster[host]!, -cpuMhz, -memoryMiB, false);
    this.pending.hosts.get(host)!.guests--;
    for (const volume of volumes) if (volume.storagePoolId !== undefined) this.pending.addPool(volume.storagePoolId, -volume.sizeGiB);
  }

  /** The guest address pool of a network, including one this decision is creating. */
  guestPoolOf(network: Network): IdPool | undefined {
    const existing = this.state.pools.guestByNetwork.get(network.id);
    if (existing) return existing;
    if (network.guestType !== 'Isolated' || !network.cidr) return undefined;
    let pool = this.freshGuest?.get(network.id);
    if (!pool) {
      pool = subnetPool({ cidr: network.cidr, ...(network.gateway === undefined ? {} : { gateway: network.gateway }) });
      (this.freshGuest ??= new Map()).set(network.id, pool);
    }
    return pool;
  }

  linkLocalPoolOf(podId: Id) {
    let pool = this.state.pools.linkLocalByPod.get(podId) ?? this.freshLinkLocal?.get(podId);
    if (!pool) {
      pool = linkLocalPool();
      (this.freshLinkLocal ??= new Map()).set(podId, pool);
    }
    return pool;
  }
}

/**
 * The control NIC of a router or system VM: a link-local address of its pod on KVM, XenServer
 * and LXC, an address of the pod's reserved range on VMware and Hyper-V (ControlNetworkGuru).
 */
export function controlNic(decision: DecisionBuilder, host: Host): Nic | string {
  const pod = decision.state.pods.get(host.podId)!;
  if (routerControlUsesPodIps(host.hypervisor)) {
    const ip = decision.scratch.take(decision.state.pools.reservedByPod.get(pod.id));
    if (ip === undefined) return `pod ${pod.name} has no free address in its reserved system range for a control NIC`;
    return { role: 'control', podId: pod.id, ip, isDefault: false };
  }
  const ip = decision.scratch.take(decision.linkLocalPoolOf(pod.id));
  if (ip === undefined) return `pod ${pod.name} has no free link-local control address`;
  return { role: 'control', podId: pod.id, ip, isDefault: false };
}

export interface SystemVmPlacement {
  vm: Vm;
  volume: Volume;
  host: Host;
}

/** Places a router or system VM (its root volume on primary storage) and takes its capacity. */
export function placeSystemVm(
  decision: DecisionBuilder,
  spec: { kind: Exclude<VmKind, 'User'>; zone: Zone; accountId: Id; servesId?: Id; podId?: Id; avoidHostIds?: ReadonlySet<Id>; name: string },
): SystemVmPlacement | string {
  const { state, ctx, scratch } = decision;
  const size = SYSTEM_VM_SIZES[spec.kind];
  const vmId = scratch.id();
  const account = state.accounts.get(spec.accountId) ?? state.accounts.get(SYSTEM_ACCOUNT_ID)!;
  const local = settingBoolean(state, 'system.vm.use.local.storage');
  const request: PlacementRequest = {
    vmId,
    kind: spec.kind,
    accountId: account.id,
    domainId: account.domainId,
    ownerIsRootAdmin: true,
    zoneId: spec.zone.id,
    cpuNumber: size.cpuNumber,
    cpuSpeedMhz: size.cpuSpeedMhz,
    memoryMiB: size.memoryMiB,
    hostTags: [],
    affinityGroupIds: [],
    volumes: [{ sizeGiB: SYSTEM_VM_ROOT_DISK_GIB, storageType: local ? 'local' : 'shared', storageTags: [] }],
    planner: 'FirstFitPlanner',
    freshDeploy: true,
    pending: decision.pending,
    ...(spec.podId === undefined ? {} : { podId: spec.podId }),
    ...(spec.avoidHostIds === undefined ? {} : { avoidHostIds: spec.avoidHostIds }),
  };
  const placed = placeVm(state, request, ctx.rng);
  if (!placed.ok) return placed.message;
  const host = placed.host;
  const volume: Volume = {
    id: scratch.id(),
    name: `ROOT-${spec.name}`,
    accountId: account.id,
    zoneId: spec.zone.id,
    type: 'ROOT',
    sizeGiB: SYSTEM_VM_ROOT_DISK_GIB,
    storageType: local ? 'local' : 'shared',
    storageTags: [],
    vmId,
    storagePoolId: placed.poolIds[0]!,
    state: 'Ready',
  };
  const vm: Vm = {
    id: vmId,
    name: spec.name,
    kind: spec.kind,
    accountId: account.id,
    zoneId: spec.zone.id,
    serviceOfferingId: `system-${spec.kind}`,
    state: 'Starting',
    hostId: host.id,
    cpuNumber: size.cpuNumber,
    cpuSpeedMhz: size.cpuSpeedMhz,
    memoryMiB: size.memoryMiB,
    // CloudStack's default system offerings offer HA for routers only: the secondary storage VM
    // and console proxy come back through their managers' scans, not the HA manager.
    haEnabled: spec.kind === 'DomainRouter' || spec.kind === 'InternalLbVm',
    usesLocalStorage: local,
    hostTags: [],
    affinityGroupIds: [],
    securityGroupIds: [],
    nics: [],
    volumeIds: [volume.id],
    stateChangedMs: ctx.nowMs,
    ...(spec.servesId === undefined ? {} : { servesId: spec.servesId }),
  };
  decision.promise(placed.hostOrdinal, size.cpuNumber * size.cpuSpeedMhz, size.memoryMiB, [volume]);
  return { vm, volume, host };
}

/** The live routers serving a network (or VPC), optionally only those of one pod. */
export function routersOf(state: CloudState, servesId: Id, podId?: Id): Vm[] {
  const out: Vm[] = [];
  for (const id of state.index.vmsByServes.get(servesId) ?? []) {
    const vm = state.vms.get(id);
    if (!vm || vm.kind !== 'DomainRouter') continue;
    if (vm.state === 'Destroyed' || vm.state === 'Expunging' || vm.state === 'Error') continue;
    if (podId !== undefined && !vm.nics.some((n) => n.podId === podId)) continue;
    out.push(vm);
  }
  return out;
}

export function sourceNatOf(state: CloudState, key: { networkId?: Id; vpcId?: Id }): PublicIp | undefined {
  const id = state.index.sourceNatByOwner.get(key.vpcId ?? key.networkId ?? '');
  return id === undefined ? undefined : state.publicIps.get(id);
}

function allocateSourceNat(decision: DecisionBuilder, zone: Zone, accountId: Id, key: { networkId?: Id; vpcId?: Id }): PublicIp | string {
  const { state, scratch } = decision;
  const pool = state.pools.publicByZone.get(zone.id);
  const ip = scratch.take(pool);
  if (ip === undefined) return `zone ${zone.name} has no free public IP for source NAT`;
  const range = [...state.vlanIpRanges.values()].find((r) => r.zoneId === zone.id && r.purpose === 'Public' && ip >= r.first && ip <= r.last)!;
  const publicIp: PublicIp = {
    id: scratch.id(),
    ip,
    zoneId: zone.id,
    vlanIpRangeId: range.id,
    accountId,
    sourceNat: true,
    purposes: [],
    ...(key.networkId === undefined ? {} : { networkId: key.networkId }),
    ...(key.vpcId === undefined ? {} : { vpcId: key.vpcId }),
  };
  decision.events.push({ type: 'publicIpAllocated', idSeq: scratch.lastSeq, publicIp });
  return publicIp;
}

function startRouters(decision: DecisionBuilder, zone: Zone, network: Network, servesId: Id, count: number, nicsFor: (host: Host) => Nic[] | string, podId?: Id): string | undefined {
  const { state } = decision;
  // Redundant routers go to different hosts.
  const avoid = new Set<Id>();
  for (let i = 0; i < count; i++) {
    let avoidHere: Set<Id> = avoid;
    let addressFailure: string | undefined;
    for (;;) {
      const placed = placeSystemVm(decision, { kind: 'DomainRouter', zone, accountId: network.accountId ?? SYSTEM_ACCOUNT_ID, servesId, name: `r-${network.name}${count > 1 ? `-${i + 1}` : ''}`, avoidHostIds: avoidHere, ...(podId === undefined ? {} : { podId }) });
      if (typeof placed === 'string') return `cannot start a virtual router for network ${network.name}: ${addressFailure ?? placed}`;
      const nics = nicsFor(placed.host);
      if (typeof nics === 'string') {
        // A pod out of addresses (a control NIC from its reserved range, say) is avoided and the
        // router planned again in another pod, as CloudStack does on an address capacity failure.
        decision.withdraw(placed.host.id, placed.vm.cpuNumber * placed.vm.cpuSpeedMhz, placed.vm.memoryMiB, [placed.volume]);
        if (podId !== undefined) return `cannot start a virtual router for network ${network.name}: ${nics}`;
        addressFailure = nics;
        const podHosts = (state.index.clustersByPod.get(placed.host.podId) ?? []).flatMap((c) => state.index.hostsByCluster.get(c) ?? []);
        avoidHere = new Set([...avoidHere, ...podHosts]);
        continue;
      }
      placed.vm.nics = nics;
      avoid.add(placed.host.id);
      decision.events.push({ type: 'vmCreated', idSeq: decision.scratch.lastSeq, vm: placed.vm, volumes: [placed.volume] });
      break;
    }
  }
  return undefined;
}

/**
 * Implements a network on first use (NetworkOrchestrator.implementNetwork): a VLAN from the
 * physical network's pool unless one was given, for isolated networks a source NAT address and
 * the virtual router (two when redundant), for VPC tiers the VPC's router, for shared networks
 * their DHCP router (one per pod in basic and security-group zones). Returns an error or
 * nothing; the events go into the decision.
 */
export function implementNetwork(decision: DecisionBuilder, network: Network, podId: Id | undefined): string | undefined {
  const { state, ctx, scratch } = decision;
  const zone = state.zones.get(network.zoneId)!;
  const perPodRouters = network.guestType === 'Shared' && (zone.networkType === 'Basic' || zone.securityGroupsEnabled);
  if (network.state !== 'Implemented' && network.state !== 'Setup') {
    let vlan = network.vlan;
    if (vlan === undefined && network.guestType !== 'Shared' && network.physicalNetworkId !== undefined) {
      const taken = scratch.take(state.pools.vnetByPhysicalNetwork.get(network.physicalNetworkId));
      if (taken === undefined) {
        const pn = state.physicalNetworks.get(network.physicalNetworkId);
        return `no free guest VLAN on physical network ${pn?.name ?? network.physicalNetworkId} to implement network ${network.name}`;
      }
      vlan = taken;
    }
    decision.events.push({ type: 'networkImplemented', networkId: network.id, ...(vlan === undefined ? {} : { vlan }), atMs: ctx.nowMs });
  }
  if (network.guestType === 'L2') return undefined;
  if (network.vpcId !== undefined) return implementVpcTier(decision, network, zone);
  // The common case: an isolated network in use already has its source NAT address and router.
  if (network.guestType === 'Isolated' && network.state === 'Implemented' && (state.index.liveRoutersByServes.get(network.id) ?? 0) > 0 && state.index.sourceNatByOwner.has(network.id)) return undefined;
  if (network.guestType === 'Isolated') {
    if (!network.services.includes('SourceNat')) return undefined;
    let sourceNat = sourceNatOf(state, { networkId: network.id }) ?? pendingSourceNat(decision, { networkId: network.id });
    if (!sourceNat) {
      const allocated = allocateSourceNat(decision, zone, network.accountId ?? SYSTEM_ACCOUNT_ID, { networkId: network.id });
      if (typeof allocated === 'string') return allocated;
      sourceNat = allocated;
    }
    if (routersOf(state, network.id).length > 0 || pendingRouters(decision, network.id) > 0) return undefined;
    const nat = sourceNat;
    return startRouters(decision, zone, network, network.id, network.redundantRouter ? 2 : 1, (host) => {
      const control = controlNic(decision, host);
      if (typeof control === 'string') return control;
      return [
        { role: 'guest', networkId: network.id, ip: network.gateway!, isDefault: false },
        { role: 'public', networkId: network.id, ip: nat.ip, isDefault: true },
        control,
      ];
    });
  }
  // Shared: the DHCP router takes an address of the range (of the pod, in basic zones).
  if (perPodRouters) {
    if (podId === undefined || routersOf(state, network.id, podId).length > 0 || pendingRouters(decision, network.id, podId) > 0) return undefined;
    const guestPool = zone.networkType === 'Basic' ? state.pools.basicGuestByPod.get(podId) : state.pools.guestByNetwork.get(network.id);
    return startRouters(decision, zone, network, network.id, 1, (host) => {
      const ip = scratch.take(guestPool);
      if (ip === undefined) return `network ${network.name} has no free guest address for its DHCP router`;
      const control = controlNic(decision, host);
      if (typeof control === 'string') return control;
      return [{ role: 'guest', networkId: network.id, ...(zone.networkType === 'Basic' ? { podId } : {}), ip, isDefault: true }, control];
    }, podId);
  }
  if (routersOf(state, network.id).length > 0 || pendingRouters(decision, network.id) > 0) return undefined;
  return startRouters(decision, zone, network, network.id, 1, (host) => {
    const ip = scratch.take(state.pools.guestByNetwork.get(network.id));
    if (ip === undefined) return `network ${network.name} has no free guest address for its DHCP router`;
    const control = controlNic(decision, host);
    if (typeof control === 'string') return control;
    return [{ role: 'guest', networkId: network.id, ip, isDefault: true }, control];
  });
}

function implementVpcTier(decision: DecisionBuilder, tier: Network, zone: Zone): string | undefined {
  const { state } = decision;
  const vpc = state.vpcs.get(tier.vpcId!)!;
  let sourceNat = sourceNatOf(state, { vpcId: vpc.id }) ?? pendingSourceNat(decision, { vpcId: vpc.id });
  if (!sourceNat) {
    const allocated = allocateSourceNat(decision, zone, vpc.accountId ?? SYSTEM_ACCOUNT_ID, { vpcId: vpc.id });
    if (typeof allocated === 'string') return allocated;
    sourceNat = allocated;
  }
  const routers = routersOf(state, vpc.id);
  const guest: Nic = { role: 'guest', networkId: tier.id, ip: tier.gateway!, isDefault: false };
  if (routers.length > 0) {
    for (const router of routers) {
      if (!router.nics.some((n) => n.role === 'guest' && n.networkId === tier.id)) decision.events.push({ type: 'vmNicAdded', vmId: router.id, nic: guest });
    }
    return undefined;
  }
  if (pendingRouters(decision, vpc.id) > 0) return undefined;
  const nat = sourceNat;
  const owner: Network = { ...tier, name: vpc.name, ...(vpc.accountId === undefined ? {} : { accountId: vpc.accountId }) };
  return startRouters(decision, zone, owner, vpc.id, vpc.redundantRouter ? 2 : 1, (host) => {
    const control = controlNic(decision, host);
    if (typeof control === 'string') return control;
    return [guest, { role: 'public', ip: nat.ip, isDefault: true }, control];
  });
}

function pendingSourceNat(decision: DecisionBuilder, key: { networkId?: Id; vpcId?: Id }): PublicIp | undefined {
  for (const event of decision.events) {
    if (event.type !== 'publicIpAllocated' || !event.publicIp.sourceNat) continue;
    if (key.vpcId !== undefined ? event.publicIp.vpcId === key.vpcId : event.publicIp.networkId === key.networkId) return event.publicIp;
  }
  return undefined;
}

function pendingRouters(decision: DecisionBuilder, servesId: Id, podId?: Id): number {
  return decision.events.filter((e) => e.type === 'vmCreated' && e.vm.kind === 'DomainRouter' && e.vm.servesId === servesId && (podId === undefined || e.vm.nics.some((n) => n.podId === podId))).length;
}

/**
 * A restart with cleanup: every live router serving the network or VPC is destroyed and a new one
 * placed in its stead. The new router carries the old one's guest and public NICs (the events
 * expunge the old router before they create the new one, so its addresses are free again by
 * then) and gets a control NIC of its own host. Returns an error or nothing.
 */
export function replaceRouters(decision: DecisionBuilder, servesId: Id): string | undefined {
  const { state, ctx } = decision;
  const old = routersOf(state, servesId);
  for (const router of old) decision.events.push({ type: 'vmStateChanged', vmId: router.id, state: 'Destroyed', atMs: ctx.nowMs }, { type: 'vmExpunged', vmId: router.id });
  // Redundant routers stay on different hosts.
  const avoid = new Set<Id>();
  for (const router of old) {
    const zone = state.zones.get(router.zoneId)!;
    const podId = router.nics.find((n) => n.role === 'guest' && n.podId !== undefined)?.podId;
    const placed = placeSystemVm(decision, { kind: 'DomainRouter', zone, accountId: router.accountId, servesId, name: router.name, avoidHostIds: avoid, ...(podId === undefined ? {} : { podId }) });
    if (typeof placed === 'string') return `cannot start a new virtual router in place of ${router.name}: ${placed}`;
    const control = controlNic(decision, placed.host);
    if (typeof control === 'string') return `cannot start a new virtual router in place of ${router.name}: ${control}`;
    placed.vm.nics = [...router.nics.filter((n) => n.role !== 'control').map((n) => ({ ...n })), control];
    avoid.add(placed.host.id);
    decision.events.push({ type: 'vmCreated', idSeq: decision.scratch.lastSeq, vm: placed.vm, volumes: [placed.volume] });
  }
  return undefined;
}
