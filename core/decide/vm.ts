import type { Nic, Vm, Volume } from '../model/compute.js';
import type { Host, Id, Network, Zone } from '../model/entities.js';
import type { DeployVirtualMachine, DestroyVirtualMachine, EffectFailed, MigrateVirtualMachine, ScaleVirtualMachine, TimerCommand, VmCommand, VmReport } from '../model/lifecycle-commands.js';
import type { DomainEvent } from '../model/events.js';
import { DEFAULT_SECURITY_GROUP } from '../model/services.js';
import { type CloudState, hostsOf, physicalNetworksOf, settingBoolean, settingNumber } from '../model/state.js';
import { parseIpv4 } from '../net/ipv4.js';
import { placeVm } from '../placement/placement.js';
import { poolFactor, poolReachable } from '../placement/storage.js';
import type { PlacementRequest, VolumeAsk } from '../placement/types.js';
import { limitExceeded, mayActOn } from './access.js';
import { DecisionBuilder, implementNetwork } from './implement.js';
import { type DecideContext, type Decision, type Refusal, reject } from './support.js';

/**
 * The life of a VM: deploy, start, stop, reboot, destroy, expunge, migrate, scale, and the
 * reports drivers send back about them. Every placement goes through placeVm; every address
 * comes out of a pool through the decision's scratch, so nothing is handed out twice.
 */

const done = (builder: DecisionBuilder): Decision => ({ ok: true, events: builder.events, findings: [] });

function vmOf(state: CloudState, id: Id): Vm | undefined {
  const vm = state.vms.get(id);
  return vm && vm.state !== 'Expunging' ? vm : undefined;
}

function accessCheck(state: CloudState, ctx: DecideContext, vm: Vm | undefined, id: Id): Refusal | undefined {
  if (!vm) return reject('ENTITY_NOT_FOUND', `virtual machine ${id} does not exist`);
  if (!mayActOn(state, ctx.actor, vm.accountId)) return reject('PERMISSION_DENIED', `the caller may not act on virtual machine ${vm.name}`);
  return undefined;
}

/** The account's default isolated network in an advanced zone, created on first need. */
function defaultNetwork(builder: DecisionBuilder, zone: Zone, accountId: Id): Network | string {
  const { state, scratch } = builder;
  for (const id of state.index.networksByAccount.get(accountId) ?? []) {
    const n = state.networks.get(id)!;
    if (n.zoneId === zone.id && n.guestType === 'Isolated' && n.vpcId === undefined && n.state !== 'Destroy') return n;
  }
  if (!zone.guestCidr) return `zone ${zone.name} has no guest CIDR for a default isolated network`;
  const limit = limitExceeded(state, accountId, { network: 1 });
  if (limit) return limit;
  const guests = physicalNetworksOf(state, zone.id).filter((n) => n.traffic.some((t) => t.type === 'Guest'));
  const physical = guests.find((n) => n.tags.length === 0) ?? guests[0];
  const account = state.accounts.get(accountId)!;
  const network: Network = {
    id: scratch.id(),
    name: `${account.name}-network`,
    zoneId: zone.id,
    guestType: 'Isolated',
    accountId,
    domainId: account.domainId,
    cidr: zone.guestCidr,
    gateway: zone.guestCidr.network + 1,
    redundantRouter: false,
    persistent: false,
    services: ['Dhcp', 'Dns', 'UserData', 'Lb', 'StaticNat', 'PortForwarding', 'Vpn', 'SourceNat', 'Gateway', 'Firewall'],
    state: 'Allocated',
    ...(physical ? { physicalNetworkId: physical.id } : {}),
  };
  builder.events.push({ type: 'networkCreated', idSeq: scratch.lastSeq, network });
  return network;
}

function resolveNetworks(builder: DecisionBuilder, zone: Zone, accountId: Id, ids: readonly Id[] | undefined): Network[] | string {
  const { state, ctx } = builder;
  if (ids && ids.length > 0) {
    const out: Network[] = [];
    for (const id of ids) {
      const network = state.networks.get(id);
      if (!network || network.zoneId !== zone.id || network.state === 'Destroy') return `network ${id} does not exist in zone ${zone.name}`;
      const shared = network.guestType === 'Shared' && network.accountId === undefined;
      if (!shared && network.accountId !== undefined && network.accountId !== accountId && ctx.actor.role !== 'RootAdmin') {
        return `network ${network.name} belongs to another account`;
      }
      out.push(network);
    }
    return out;
  }
  if (zone.networkType === 'Basic' || zone.securityGroupsEnabled) {
    for (const id of state.index.networksByZone.get(zone.id) ?? []) {
      const network = state.networks.get(id)!;
      if (network.guestType === 'Shared' && network.state !== 'Destroy') return [network];
    }
    return `zone ${zone.name} has no shared guest network`;
  }
  const network = defaultNetwork(builder, zone, accountId);
  return typeof network === 'string' ? network : [network];
}

/**
 * The account's security group named "default", created (with no rules: all ingress denied, all
 * egress allowed) the first time the account deploys a VM without naming groups, as CloudStack does.
 */
function defaultSecurityGroup(builder: DecisionBuilder, accountId: Id): Id {
  const existing = builder.state.index.defaultSecurityGroupByAccount.get(accountId);
  if (existing !== undefined) return existing;
  const id = builder.scratch.id();
  builder.events.push({ type: 'securityGroupCreated', idSeq: builder.scratch.lastSeq, securityGroup: { id, name: DEFAULT_SECURITY_GROUP, accountId, rules: [] } });
  return id;
}

/**
 * Addresses for a VM's NICs on the host it was placed on: from the network's pool (isolated,
 * VPC tier, shared) or the pod's guest range (basic zones); none on L2 networks.
 */
function guestNics(builder: DecisionBuilder, networks: readonly Network[], host: Host, requested: number | undefined): Nic[] | string {
  const { state, scratch } = builder;
  const nics: Nic[] = [];
  for (let i = 0; i < networks.length; i++) {
    const network = networks[i]!;
    const isDefault = i === 0;
    if (network.guestType === 'L2') {
      nics.push({ role: 'guest', networkId: network.id, isDefault });
      continue;
    }
    const zone = state.zones.get(network.zoneId)!;
    const basic = zone.networkType === 'Basic';
    const pool = basic ? state.pools.basicGuestByPod.get(host.podId) : builder.guestPoolOf(network);
    let ip: number | undefined;
    if (isDefault && requested !== undefined) {
      if (!scratch.takeSpecific(pool, requested)) return `address ${requested >>> 24}.${(requested >>> 16) & 255}.${(requested >>> 8) & 255}.${requested & 255} is not free on network ${network.name}`;
      ip = requested;
    } else {
      ip = scratch.take(pool);
    }
    if (ip === undefined) return basic ? `pod ${state.pods.get(host.podId)?.name} has no free guest address` : `network ${network.name} has no free guest address`;
    nics.push({ role: 'guest', networkId: network.id, ip, isDefault, podId: basic ? host.podId : undefined });
  }
  return nics;
}

export function decideDeployVirtualMachine(state: CloudState, cmd: DeployVirtualMachine, ctx: DecideContext): Decision {
  const zone = state.zones.get(cmd.zoneId);
  if (!zone) return reject('ENTITY_NOT_FOUND', `zone ${cmd.zoneId} does not exist`);
  const account = state.accounts.get(cmd.accountId);
  if (!account) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  if (!mayActOn(state, ctx.actor, account.id)) return reject('PERMISSION_DENIED', `the caller may not deploy VMs for account ${account.name}`);
  const offering = state.serviceOfferings.get(cmd.serviceOfferingId);
  if (!offering || offering.systemVmType !== undefined || offering.state === 'Inactive') return reject('ENTITY_NOT_FOUND', `service offering ${cmd.serviceOfferingId} does not exist`);
  if (cmd.keyPairName !== undefined && ![...state.sshKeyPairs.values()].some((pair) => pair.accountId === account.id && pair.name === cmd.keyPairName)) {
    return reject('INVALID_PARAMETER', `A key pair with name '${cmd.keyPairName}' was not found for account ${account.name}`);
  }
  const template = cmd.templateId === undefined ? undefined : state.templates.get(cmd.templateId);
  if (cmd.templateId !== undefined && (!template || template.state !== 'Ready')) return reject('ENTITY_NOT_FOUND', `template ${cmd.templateId} does not exist`);
  if (template && !template.zoneIds.includes(zone.id)) return reject('INVALID_PARAMETER', `template ${template.name} is not available in zone ${zone.name}`);
  const diskOffering = cmd.diskOfferingId === undefined ? undefined : state.diskOfferings.get(cmd.diskOfferingId);
  if (cmd.diskOfferingId !== undefined && (!diskOffering || diskOffering.state === 'Inactive')) return reject('ENTITY_NOT_FOUND', `disk offering ${cmd.diskOfferingId} does not exist`);
  const dataGiB = diskOffering ? diskOffering.sizeGiB ?? cmd.dataDiskSizeGiB : undefined;
  if (diskOffering && dataGiB === undefined) return reject('INVALID_PARAMETER', `disk offering ${diskOffering.name} is customized: give dataDiskSizeGiB`);
  const affinityGroupIds = cmd.affinityGroupIds ?? [];
  for (const id of affinityGroupIds) {
    const group = state.affinityGroups.get(id);
    if (!group) return reject('ENTITY_NOT_FOUND', `affinity group ${id} does not exist`);
    if (group.accountId !== account.id) return reject('PERMISSION_DENIED', `affinity group ${group.name} belongs to another account`);
  }
  const requestedIp = cmd.ipAddress === undefined ? undefined : parseIpv4(cmd.ipAddress);
  if (cmd.ipAddress !== undefined && requestedIp === undefined) return reject('INVALID_PARAMETER', `ipaddress "${cmd.ipAddress}" is not a valid IPv4 address`);
  const rootGiB = cmd.rootDiskSizeGiB ?? offering.rootDiskGiB ?? template?.sizeGiB ?? 20;
  const limit = limitExceeded(state, account.id, {
    user_vm: 1,
    cpu: offering.cpuNumber,
    memory: offering.memoryMiB,
    volume: dataGiB === undefined ? 1 : 2,
    primary_storage: rootGiB + (dataGiB ?? 0),
  });
  if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);

  const securityGroupsEnabled = zone.networkType === 'Basic' || zone.securityGroupsEnabled;
  const requestedGroups = cmd.securityGroupIds ?? [];
  if (requestedGroups.length > 0 && !securityGroupsEnabled) return reject('INVALID_PARAMETER', `security groups are not enabled in zone ${zone.name}`);
  for (const id of requestedGroups) {
    const group = state.securityGroups.get(id);
    if (!group) return reject('ENTITY_NOT_FOUND', `security group ${id} does not exist`);
    if (group.accountId !== account.id) return reject('PERMISSION_DENIED', `security group ${group.name} belongs to another account`);
  }

  const builder = new DecisionBuilder(state, ctx);
  const networks = resolveNetworks(builder, zone, account.id, cmd.networkIds);
  if (typeof networks === 'string') return reject(networks.startsWith('Maximum') ? 'RESOURCE_LIMIT_EXCEEDED' : 'INVALID_PARAMETER', networks);
  const vmId = builder.scratch.id();
  const securityGroupIds = requestedGroups.length > 0 || !securityGroupsEnabled ? [...requestedGroups] : [defaultSecurityGroup(builder, account.id)];
  // Optional fields are written into the literals, undefined when unset, rather than spread into
  // them (each spread made and copied an object of its own) or added after them (a field past a
  // literal's own goes to a property array made for it, on every deploy).
  const rootAsk: VolumeAsk = {
    sizeGiB: rootGiB,
    storageType: offering.storageType,
    storageTags: offering.storageTags,
    templateId: template?.id,
    templateSizeGiB: template?.sizeGiB,
  };
  const asks: VolumeAsk[] = [rootAsk];
  if (diskOffering && dataGiB !== undefined) asks.push({ sizeGiB: dataGiB, storageType: diskOffering.storageType, storageTags: diskOffering.storageTags });
  const start = cmd.startVm ?? true;
  const vm: Vm = {
    id: vmId,
    name: cmd.name ?? `VM-${vmId.slice(0, 8)}`,
    kind: 'User',
    accountId: account.id,
    zoneId: zone.id,
    serviceOfferingId: offering.id,
    state: start ? 'Starting' : 'Stopped',
    cpuNumber: offering.cpuNumber,
    cpuSpeedMhz: offering.cpuSpeedMhz,
    memoryMiB: offering.memoryMiB,
    haEnabled: offering.offerHa,
    usesLocalStorage: offering.storageType === 'local' || diskOffering?.storageType === 'local',
    hostTags: offering.hostTags,
    affinityGroupIds,
    securityGroupIds,
    nics: [],
    volumeIds: [],
    stateChangedMs: ctx.nowMs,
    templateId: template?.id,
    displayName: cmd.displayName,
    keyPairName: cmd.keyPairName,
    implicitDedication: offering.deploymentPlanner === 'ImplicitDedicationPlanner' ? 'Strict' : undefined,
  };
  const request: PlacementRequest = {
    vmId,
    kind: 'User',
    accountId: account.id,
    domainId: account.domainId,
    ownerIsRootAdmin: account.accountType === 'Admin',
    zoneId: zone.id,
    cpuNumber: offering.cpuNumber,
    cpuSpeedMhz: offering.cpuSpeedMhz,
    memoryMiB: offering.memoryMiB,
    hostTags: offering.hostTags,
    affinityGroupIds,
    volumes: asks,
    freshDeploy: true,
    pending: builder.pending,
    hypervisor: template?.hypervisor,
    planner: (offering.deploymentPlanner || undefined) as PlacementRequest['planner'],
    hostId: cmd.hostId,
  };
  let host: Host | undefined;
  let poolIds: Id[] = [];
  if (start) {
    const placed = placeForNetworks(builder, request, networks);
    if (typeof placed === 'string') return reject('INSUFFICIENT_CAPACITY', placed);
    host = placed.host;
    poolIds = placed.poolIds;
    vm.hostId = host.id;
  }
  const volumes = asks.map((ask, i): Volume => ({
    id: builder.scratch.id(),
    // Whole literals, not a template around the ternary: the prefix is then one shared string
    // instead of a new one in every volume's name.
    name: (i === 0 ? 'ROOT-' : 'DATA-') + vm.name,
    accountId: account.id,
    zoneId: zone.id,
    type: i === 0 ? 'ROOT' : 'DATADISK',
    sizeGiB: ask.sizeGiB,
    storageType: ask.storageType,
    storageTags: [...ask.storageTags],
    vmId,
    state: host ? 'Ready' : 'Allocated',
    diskOfferingId: i === 1 ? diskOffering?.id : undefined,
    storagePoolId: host ? poolIds[i]! : undefined,
  }));
  vm.volumeIds = volumes.map((v) => v.id);
  if (host) {
    for (const network of networks) {
      const failure = implementNetwork(builder, network, host.podId);
      if (failure) return reject('INSUFFICIENT_CAPACITY', failure);
    }
  }
  // NICs come from the pod of the host in basic zones; a VM deployed stopped gets them at start.
  const nics = host ? guestNics(builder, networks, host, requestedIp) : networks.map((n, i): Nic => ({ role: 'guest', networkId: n.id, isDefault: i === 0 }));
  if (typeof nics === 'string') return reject('INSUFFICIENT_CAPACITY', nics);
  vm.nics = nics;
  builder.events.push({ type: 'vmCreated', idSeq: builder.scratch.lastSeq, vm, volumes });
  return done(builder);
}

/**
 * Places a VM; in basic zones a pod whose guest range is full is avoided and placement tried
 * again, as CloudStack picks the pod before the address.
 */
function placeForNetworks(builder: DecisionBuilder, request: PlacementRequest, networks: readonly Network[]): { host: Host; poolIds: Id[] } | string {
  const { state, ctx } = builder;
  const zone = state.zones.get(request.zoneId)!;
  // Basic zones hand out guest addresses per pod: a pod without one is avoided and placement runs again.
  let attemptRequest = request;
  for (let attempt = 0; attempt < 16; attempt++) {
    const placed = placeVm(state, attemptRequest, ctx.rng);
    if (!placed.ok) return placed.message;
    const host = placed.host;
    if (zone.networkType === 'Basic' && networks.some((n) => n.guestType === 'Shared')) {
      const pool = state.pools.basicGuestByPod.get(host.podId);
      if (!pool || pool.freeCount === 0) {
        const podHosts = (state.index.clustersByPod.get(host.podId) ?? []).flatMap((c) => state.index.hostsByCluster.get(c) ?? []);
        attemptRequest = { ...attemptRequest, avoidHostIds: new Set([...(attemptRequest.avoidHostIds ?? []), ...podHosts]) };
        continue;
      }
    }
    builder.promise(placed.hostOrdinal, request.cpuNumber * request.cpuSpeedMhz, request.memoryMiB, request.volumes.map((v, i) => ({ sizeGiB: v.sizeGiB, storagePoolId: placed.poolIds[i]! })));
    return { host, poolIds: placed.poolIds };
  }
  return `no pod of zone ${zone.name} has a free guest address`;
}

function volumeAsks(state: CloudState, vm: Vm): { asks: VolumeAsk[]; volumes: Volume[] } {
  const volumes = vm.volumeIds.map((id) => state.volumes.get(id)!).filter((v) => v && v.state !== 'Destroy');
  const asks = volumes.map((v): VolumeAsk => ({
    sizeGiB: v.sizeGiB,
    storageType: v.storageType,
    storageTags: v.storageTags,
    ...(v.storagePoolId !== undefined && v.state === 'Ready' ? { currentPoolId: v.storagePoolId } : {}),
    ...(v.type === 'ROOT' && vm.templateId !== undefined ? { templateId: vm.templateId, templateSizeGiB: state.templates.get(vm.templateId)?.sizeGiB ?? 0 } : {}),
  }));
  return { asks, volumes };
}

/** Pod-scoped NICs (basic zone guest, control, management, storage) follow the VM to a new pod. */
function renumberPodNics(builder: DecisionBuilder, vm: Vm, host: Host): Nic[] | string | undefined {
  if (!vm.nics.some((n) => n.podId !== undefined && n.podId !== host.podId) && !vm.nics.some((n) => n.role === 'guest' && n.ip === undefined && n.networkId !== undefined && builder.state.networks.get(n.networkId)?.guestType !== 'L2')) {
    return undefined;
  }
  const networks = vm.nics.filter((n) => n.role === 'guest' && n.networkId !== undefined).map((n) => builder.state.networks.get(n.networkId!)!);
  const guest = guestNics(builder, networks, host, undefined);
  if (typeof guest === 'string') return guest;
  // Keep addresses that are not pod-scoped and already assigned.
  return guest.map((nic, i) => {
    const old = vm.nics.filter((n) => n.role === 'guest')[i];
    return old && old.ip !== undefined && old.podId === undefined ? old : nic;
  });
}

export function decideStartVirtualMachine(state: CloudState, cmd: VmCommand, ctx: DecideContext): Decision {
  const vm = vmOf(state, cmd.id);
  const denied = accessCheck(state, ctx, vm, cmd.id);
  if (denied) return denied;
  if (vm!.state !== 'Stopped') return reject('INVALID_STATE', `virtual machine ${vm!.name} is ${vm!.state}; only a stopped VM can be started`);
  return startVm(state, vm!, ctx, cmd.hostId, undefined, false);
}

/**
 * Starts a stopped VM (or restarts one for HA): its last host first when it still fits, its
 * existing volumes where they are, its networks implemented if they were shut down.
 */
export function startVm(state: CloudState, vm: Vm, ctx: DecideContext, hostId: Id | undefined, builder: DecisionBuilder | undefined, haRestart: boolean, clusterId?: Id, avoid?: ReadonlySet<Id>): Decision {
  const b = builder ?? new DecisionBuilder(state, ctx);
  const placed = planStart(b, vm, hostId, haRestart, clusterId, avoid);
  if (typeof placed === 'string') return reject('INSUFFICIENT_CAPACITY', placed);
  return done(b);
}

/** The events of starting a VM, added to a decision; a string says why it cannot start. */
export function planStart(b: DecisionBuilder, vm: Vm, hostId: Id | undefined, haRestart: boolean, clusterId?: Id, avoid?: ReadonlySet<Id>): string | undefined {
  const { state, ctx } = b;
  const account = state.accounts.get(vm.accountId)!;
  const { asks, volumes } = volumeAsks(state, vm);
  const offering = state.serviceOfferings.get(vm.serviceOfferingId);
  const template = vm.templateId === undefined ? undefined : state.templates.get(vm.templateId);
  const request: PlacementRequest = {
    vmId: vm.id,
    kind: vm.kind,
    accountId: vm.accountId,
    domainId: account.domainId,
    ownerIsRootAdmin: account.accountType === 'Admin' || vm.kind !== 'User',
    zoneId: vm.zoneId,
    cpuNumber: vm.cpuNumber,
    cpuSpeedMhz: vm.cpuSpeedMhz,
    memoryMiB: vm.memoryMiB,
    hostTags: vm.hostTags,
    affinityGroupIds: vm.affinityGroupIds,
    volumes: asks,
    freshDeploy: false,
    pending: b.pending,
    haRestart,
    ...(template?.hypervisor ? { hypervisor: template.hypervisor } : {}),
    ...(offering?.deploymentPlanner ? { planner: offering.deploymentPlanner as PlacementRequest['planner'] } : {}),
    // A running VM's last host is the one it runs on (an HA restart after its host failed).
    ...((vm.hostId ?? vm.lastHostId) !== undefined ? { lastHostId: (vm.hostId ?? vm.lastHostId)! } : {}),
    ...(hostId !== undefined ? { hostId } : {}),
    ...(clusterId !== undefined ? { clusterId } : {}),
    ...(avoid !== undefined ? { avoidHostIds: avoid } : {}),
  };
  const networks = vm.nics.filter((n) => n.role === 'guest' && n.networkId !== undefined).map((n) => state.networks.get(n.networkId!)!).filter(Boolean);
  const placed = vm.kind === 'User' ? placeForNetworks(b, request, networks) : placeSystem(b, request);
  if (typeof placed === 'string') return placed;
  // The hold it has (a reservation, or the host it ran on) is replaced by the one it starts with.
  const own = state.capacity.holdOf(vm);
  if (own) b.pending.release(vm.id, own, state.capacity.hostCluster[own.host]!);
  const volumePools: Record<Id, Id> = {};
  volumes.forEach((v, i) => {
    if (v.storagePoolId === undefined || v.state !== 'Ready') volumePools[v.id] = placed.poolIds[i]!;
  });
  if (vm.kind === 'User') {
    for (const network of networks) {
      const failure = implementNetwork(b, network, placed.host.podId);
      if (failure) return failure;
    }
  }
  const nics = vm.kind === 'User' ? renumberPodNics(b, vm, placed.host) : undefined;
  if (typeof nics === 'string') return nics;
  b.events.push({
    type: 'vmStateChanged',
    vmId: vm.id,
    state: 'Starting',
    hostId: placed.host.id,
    atMs: ctx.nowMs,
    ...(haRestart ? { reason: 'restarted by HA' } : {}),
    ...(nics ? { nics } : {}),
    ...(Object.keys(volumePools).length > 0 ? { volumePools } : {}),
    failedHostIds: [],
  });
  return undefined;
}

function placeSystem(b: DecisionBuilder, request: PlacementRequest): { host: Host; poolIds: Id[] } | string {
  const placed = placeVm(b.state, request, b.ctx.rng);
  if (!placed.ok) return placed.message;
  const host = placed.host;
  b.promise(placed.hostOrdinal, request.cpuNumber * request.cpuSpeedMhz, request.memoryMiB, request.volumes.map((v, i) => ({ sizeGiB: v.currentPoolId ? 0 : v.sizeGiB, storagePoolId: placed.poolIds[i]! })));
  return { host, poolIds: placed.poolIds };
}

export function decideStopVirtualMachine(state: CloudState, cmd: VmCommand, ctx: DecideContext): Decision {
  const vm = vmOf(state, cmd.id);
  const denied = accessCheck(state, ctx, vm, cmd.id);
  if (denied) return denied;
  const v = vm!;
  if (v.state === 'Stopped') return { ok: true, events: [], findings: [] };
  if (v.state !== 'Running' && v.state !== 'Starting' && !(cmd.forced && v.state === 'Stopping')) {
    return reject('INVALID_STATE', `virtual machine ${v.name} is ${v.state}; only a running VM can be stopped`);
  }
  if (cmd.forced || v.state === 'Starting') {
    return { ok: true, events: [{ type: 'vmStateChanged', vmId: v.id, state: 'Stopped', lastHostId: v.hostId!, stopOnHost: v.hostId!, atMs: ctx.nowMs, reason: cmd.forced ? 'stopped (forced)' : 'stopped while starting' }], findings: [] };
  }
  return { ok: true, events: [{ type: 'vmStateChanged', vmId: v.id, state: 'Stopping', hostId: v.hostId!, atMs: ctx.nowMs }], findings: [] };
}

export function decideRebootVirtualMachine(state: CloudState, cmd: VmCommand, ctx: DecideContext): Decision {
  const vm = vmOf(state, cmd.id);
  const denied = accessCheck(state, ctx, vm, cmd.id);
  if (denied) return denied;
  if (vm!.state !== 'Running') return reject('INVALID_STATE', `virtual machine ${vm!.name} is ${vm!.state}; only a running VM can be rebooted`);
  return { ok: true, events: [{ type: 'vmRebooted', vmId: vm!.id, atMs: ctx.nowMs }], findings: [] };
}

export function decideDestroyVirtualMachine(state: CloudState, cmd: DestroyVirtualMachine, ctx: DecideContext): Decision {
  const vm = vmOf(state, cmd.id);
  const denied = accessCheck(state, ctx, vm, cmd.id);
  if (denied) return denied;
  const v = vm!;
  if (v.state === 'Destroyed') {
    return cmd.expunge ? { ok: true, events: expungeEvents(state, v), findings: [] } : reject('INVALID_STATE', `virtual machine ${v.name} is already destroyed`);
  }
  // The host fields are written into the literal, undefined for a VM on no host, rather than
  // spread into it from an object made for them.
  const destroyed: DomainEvent = { type: 'vmStateChanged', vmId: v.id, state: 'Destroyed', atMs: ctx.nowMs, lastHostId: v.hostId, stopOnHost: v.hostId };
  return { ok: true, events: cmd.expunge ? expungeEvents(state, v, destroyed) : [destroyed], findings: [] };
}

export function decideExpungeVirtualMachine(state: CloudState, cmd: VmCommand, ctx: DecideContext): Decision {
  const vm = vmOf(state, cmd.id);
  const denied = accessCheck(state, ctx, vm, cmd.id);
  if (denied) return denied;
  if (vm!.state !== 'Destroyed') return reject('INVALID_STATE', `virtual machine ${vm!.name} is ${vm!.state}; destroy it before expunging`);
  return { ok: true, events: expungeEvents(state, vm!), findings: [] };
}

/**
 * Expunging revokes the port forwarding rules to the VM and then takes it out of load balancers,
 * as CloudStack does. Within each kind the rules go by id: the index lists them in the order they
 * came to the VM, which the records do not keep, and a cloud restored from a snapshot must
 * expunge exactly as the original would.
 */
function expungeEvents(state: CloudState, vm: Vm, before?: DomainEvent): DomainEvent[] {
  const expunged: DomainEvent = { type: 'vmExpunged', vmId: vm.id };
  const rules = state.index.rulesByVm.get(vm.id);
  // Most VMs have no rules: their events are one literal list.
  if (rules === undefined || rules.size === 0) return before ? [before, expunged] : [expunged];
  const events: DomainEvent[] = before ? [before] : [];
  const ruleIds = [...rules].sort();
  for (const ruleId of ruleIds) if (state.portForwardingRules.has(ruleId)) events.push({ type: 'ruleDeleted', kind: 'portForwarding', ruleId });
  for (const ruleId of ruleIds) if (!state.portForwardingRules.has(ruleId)) events.push({ type: 'loadBalancerMembersRemoved', ruleId, vmIds: [vm.id] });
  events.push(expunged);
  return events;
}

export function decideMigrateVirtualMachine(state: CloudState, cmd: MigrateVirtualMachine, ctx: DecideContext): Decision {
  const allowed = migratable(state, ctx, cmd.id);
  if (!allowed.ok) return allowed;
  const v = allowed.vm;
  if (cmd.storagePoolId !== undefined) {
    if (cmd.hostId !== undefined) return reject('INVALID_PARAMETER', 'give hostid to move a running VM, or storageid to move a stopped VM\'s volumes, not both');
    return migrateStorage(state, v, cmd.storagePoolId);
  }
  const refused = liveMigrationRefusal(v);
  if (refused) return refused;
  const from = state.hosts.get(v.hostId!)!;
  const builder = new DecisionBuilder(state, ctx);
  const target = migrationTarget(builder, v, from, cmd.hostId);
  if (!target.ok) return reject(target.code, target.message);
  return { ok: true, events: [{ type: 'vmMigrated', vmId: v.id, fromHostId: from.id, toHostId: target.hostId, atMs: ctx.nowMs }], findings: [] };
}

/** The VM, when it exists and the caller is a root admin who may act on it; else the refusal. */
function migratable(state: CloudState, ctx: DecideContext, id: Id): { ok: true; vm: Vm } | Refusal {
  const vm = vmOf(state, id);
  const denied = accessCheck(state, ctx, vm, id) ?? (ctx.actor.role === 'RootAdmin' ? undefined : reject('PERMISSION_DENIED', 'only a root admin can migrate virtual machines'));
  return denied ? (denied) : { ok: true, vm: vm! };
}

/** Why a VM cannot be live-migrated at all, whatever the host. */
function liveMigrationRefusal(vm: Vm): Refusal | undefined {
  if (vm.state !== 'Running') return reject('INVALID_STATE', `virtual machine ${vm.name} is ${vm.state}; only a running VM can be migrated`);
  if (vm.usesLocalStorage) return reject('INVALID_STATE', `virtual machine ${vm.name} has volumes on local storage and cannot be live-migrated`);
  return undefined;
}

export interface MigrationCandidate {
  host: Host;
  /** Whether live migration would take the VM there now. */
  suitable: boolean;
  /** Why not, when it would not. */
  reason?: string;
}

/**
 * findHostsForMigration: the other hosts of a running VM's cluster, each with whether live
 * migration would take the VM there, which is what migrateVirtualMachine with that host would
 * decide (the host's state, tags, capacity under the thresholds, affinity). The VM must be one
 * migrate would move: running, on shared storage, and the caller a root admin. Live migration
 * stays in the cluster, so no host needs storage motion.
 */
export function migrationCandidates(state: CloudState, vmId: Id, ctx: DecideContext): { ok: true; candidates: MigrationCandidate[] } | Refusal {
  const allowed = migratable(state, ctx, vmId);
  if (!allowed.ok) return allowed;
  const vm = allowed.vm;
  const refused = liveMigrationRefusal(vm);
  if (refused) return refused;
  const from = state.hosts.get(vm.hostId!)!;
  const candidates = hostsOf(state, from.clusterId)
    .filter((host) => host.id !== from.id)
    .map((host): MigrationCandidate => {
      // A builder of its own for each host: what one check promises is not taken from the next.
      const target = migrationTarget(new DecisionBuilder(state, ctx), vm, from, host.id);
      return target.ok ? { host, suitable: true } : { host, suitable: false, reason: target.message };
    });
  return { ok: true, candidates };
}

/**
 * Cold storage migration: every volume of a stopped VM moves to the pool, which its last host
 * (if any) must reach and which must carry the volumes' storage tags and have room for them.
 */
function migrateStorage(state: CloudState, vm: Vm, storagePoolId: Id): Decision {
  const pool = state.storagePools.get(storagePoolId);
  if (!pool) return reject('ENTITY_NOT_FOUND', `storage pool ${storagePoolId} does not exist`);
  if (vm.state !== 'Stopped') return reject('INVALID_STATE', `virtual machine ${vm.name} is ${vm.state}; only a stopped VM's volumes can move to another pool (give hostid to move a running VM)`);
  if (pool.zoneId !== vm.zoneId) return reject('INVALID_PARAMETER', `storage pool ${pool.name} is in another zone than virtual machine ${vm.name}`);
  if (pool.state !== 'Up') return reject('INVALID_STATE', `storage pool ${pool.name} is ${pool.state}`);
  const lastHost = vm.lastHostId === undefined ? undefined : state.hosts.get(vm.lastHostId);
  if (lastHost && !poolReachable(pool, lastHost)) return reject('INVALID_PARAMETER', `storage pool ${pool.name} is not reachable from host ${lastHost.name}, where virtual machine ${vm.name} last ran`);
  const moving = vm.volumeIds.map((id) => state.volumes.get(id)!).filter((v) => v && v.state === 'Ready' && v.storagePoolId !== undefined && v.storagePoolId !== pool.id);
  if (moving.length === 0) return reject('INVALID_PARAMETER', `the volumes of virtual machine ${vm.name} are on storage pool ${pool.name} already`);
  for (const volume of moving) {
    const missing = volume.storageTags.filter((tag) => !pool.tags.includes(tag));
    if (missing.length > 0) return reject('INVALID_PARAMETER', `storage pool ${pool.name} lacks the storage tags ${missing.join(', ')} of volume ${volume.name}`);
    if ((volume.storageType === 'local') !== (pool.scope === 'HOST')) return reject('INVALID_PARAMETER', `volume ${volume.name} is on ${volume.storageType} storage and storage pool ${pool.name} is not`);
  }
  const neededGiB = moving.reduce((sum, v) => sum + v.sizeGiB, 0);
  const allocated = state.index.poolAllocatedGiB.get(pool.id) ?? 0;
  if (allocated + neededGiB > pool.capacityGiB * poolFactor(state, pool)) return reject('INSUFFICIENT_CAPACITY', `storage pool ${pool.name} has no room for the ${neededGiB} GiB of virtual machine ${vm.name}`);
  return { ok: true, events: moving.map((v) => ({ type: 'volumeMigrated' as const, volumeId: v.id, fromStoragePoolId: v.storagePoolId!, toStoragePoolId: pool.id })), findings: [] };
}

export type MigrationTarget = { ok: true; hostId: Id } | { ok: false; code: 'ENTITY_NOT_FOUND' | 'INVALID_PARAMETER' | 'INSUFFICIENT_CAPACITY'; message: string };

/** A host of the same cluster that takes the VM (its volumes stay where they are). */
export function migrationTarget(builder: DecisionBuilder, vm: Vm, from: Host, hostId: Id | undefined): MigrationTarget {
  const { state, ctx } = builder;
  if (hostId !== undefined) {
    const to = state.hosts.get(hostId);
    if (!to) return { ok: false, code: 'ENTITY_NOT_FOUND', message: `host ${hostId} does not exist` };
    if (to.clusterId !== from.clusterId) return { ok: false, code: 'INVALID_PARAMETER', message: `host ${to.name} is in another cluster; live migration stays within the cluster` };
    if (to.id === from.id) return { ok: false, code: 'INVALID_PARAMETER', message: `virtual machine ${vm.name} already runs on host ${to.name}` };
  }
  const account = state.accounts.get(vm.accountId)!;
  const { asks } = volumeAsks(state, vm);
  const placed = placeVm(state, {
    vmId: vm.id,
    kind: vm.kind,
    accountId: vm.accountId,
    domainId: account.domainId,
    ownerIsRootAdmin: true,
    zoneId: vm.zoneId,
    cpuNumber: vm.cpuNumber,
    cpuSpeedMhz: vm.cpuSpeedMhz,
    memoryMiB: vm.memoryMiB,
    hostTags: vm.hostTags,
    affinityGroupIds: vm.affinityGroupIds,
    volumes: asks,
    freshDeploy: false,
    clusterId: from.clusterId,
    avoidHostIds: new Set([from.id]),
    pending: builder.pending,
    ...(hostId !== undefined ? { hostId } : {}),
  }, ctx.rng);
  if (!placed.ok) return { ok: false, code: 'INSUFFICIENT_CAPACITY', message: placed.message };
  const host = placed.hostOrdinal;
  builder.pending.add(host, state.capacity.hostCluster[host]!, vm.cpuNumber * vm.cpuSpeedMhz, vm.memoryMiB, true);
  const own = state.capacity.holdOf(vm);
  if (own) builder.pending.release(vm.id, own, state.capacity.hostCluster[own.host]!);
  return { ok: true, hostId: placed.hostId };
}

export function decideScaleVirtualMachine(state: CloudState, cmd: ScaleVirtualMachine, ctx: DecideContext): Decision {
  const vm = vmOf(state, cmd.id);
  const denied = accessCheck(state, ctx, vm, cmd.id);
  if (denied) return denied;
  const v = vm!;
  const offering = state.serviceOfferings.get(cmd.serviceOfferingId);
  if (!offering || offering.systemVmType !== undefined || offering.state === 'Inactive') return reject('ENTITY_NOT_FOUND', `service offering ${cmd.serviceOfferingId} does not exist`);
  if (v.state === 'Destroyed') return reject('INVALID_STATE', `virtual machine ${v.name} is destroyed`);
  const limit = limitExceeded(state, v.accountId, { cpu: offering.cpuNumber - v.cpuNumber, memory: offering.memoryMiB - v.memoryMiB });
  if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  const event = { type: 'vmScaled' as const, vmId: v.id, serviceOfferingId: offering.id, cpuNumber: offering.cpuNumber, cpuSpeedMhz: offering.cpuSpeedMhz, memoryMiB: offering.memoryMiB, atMs: ctx.nowMs };
  if (v.state === 'Stopped') return { ok: true, events: [event], findings: [] };
  if (v.state !== 'Running') return reject('INVALID_STATE', `virtual machine ${v.name} is ${v.state}`);
  const host = state.hosts.get(v.hostId!)!;
  if (!(host.hypervisor === 'VMware' || host.hypervisor === 'XenServer') || !settingBoolean(state, 'enable.dynamic.scale.vm')) {
    return reject('INVALID_STATE', `virtual machine ${v.name} is running; stop it to scale it (dynamic scaling needs VMware or XenServer and enable.dynamic.scale.vm)`);
  }
  const ordinal = state.capacity.hostOrdinal.get(host.id)!;
  const extraCpu = offering.cpuNumber * offering.cpuSpeedMhz - v.cpuNumber * v.cpuSpeedMhz;
  const extraMemory = offering.memoryMiB - v.memoryMiB;
  if (state.capacity.hostFreeCpuMhz(ordinal) < extraCpu || state.capacity.hostFreeMemoryMiB(ordinal) < extraMemory) {
    return reject('INSUFFICIENT_CAPACITY', `host ${host.name} has no room to scale virtual machine ${v.name} in place`);
  }
  return { ok: true, events: [event], findings: [] };
}

// ----- reports and timers -----

export function decideVmReport(state: CloudState, cmd: VmReport, ctx: DecideContext): Decision {
  const vm = state.vms.get(cmd.vmId);
  if (!vm) return { ok: true, events: [], findings: [] };
  if (cmd.type === 'vmStarted') {
    if (vm.state !== 'Starting' || vm.hostId !== cmd.hostId) return { ok: true, events: [], findings: [] };
    return { ok: true, events: [{ type: 'vmStateChanged', vmId: vm.id, state: 'Running', hostId: cmd.hostId, atMs: ctx.nowMs }], findings: [] };
  }
  if (vm.state === 'Stopping' && vm.hostId === cmd.hostId) {
    return { ok: true, events: [{ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', lastHostId: cmd.hostId, atMs: ctx.nowMs }], findings: [] };
  }
  if (vm.state === 'Running' && vm.hostId === cmd.hostId) {
    // A guest that powered itself off looks like a crash: HA VMs are restarted (CloudStack does).
    if (vm.haEnabled && !vm.usesLocalStorage && settingBoolean(state, 'vm.ha.enabled')) {
      const host = state.hosts.get(cmd.hostId)!;
      const builder = new DecisionBuilder(state, ctx);
      const failure = planStart(builder, vm, undefined, true, host.clusterId);
      if (!failure) return done(builder);
      return { ok: true, events: [{ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', lastHostId: cmd.hostId, atMs: ctx.nowMs, reason: `stopped outside CloudStack; HA restart failed: ${failure}`, haAttempts: 1 }], findings: [] };
    }
    return { ok: true, events: [{ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', lastHostId: cmd.hostId, atMs: ctx.nowMs, reason: 'stopped outside CloudStack' }], findings: [] };
  }
  return { ok: true, events: [], findings: [] };
}

export function decideEffectFailed(state: CloudState, cmd: EffectFailed, ctx: DecideContext): Decision {
  if (cmd.effect !== 'vm.start' || cmd.vmId === undefined) return { ok: true, events: [], findings: [] };
  const vm = state.vms.get(cmd.vmId);
  if (!vm || vm.state !== 'Starting' || vm.hostId !== cmd.hostId) return { ok: true, events: [], findings: [] };
  // StartRetry: avoid the host that failed and try again, up to start.retry attempts.
  const failed = [...(vm.failedHostIds ?? []), vm.hostId!];
  const retries = settingNumber(state, 'start.retry');
  if (failed.length < retries) {
    const builder = new DecisionBuilder(state, ctx);
    const stopped: Vm = { ...vm, state: 'Stopped' };
    delete stopped.lastHostId;
    const failure = planStart(builder, stopped, undefined, false, undefined, new Set(failed));
    if (!failure) {
      const last = builder.events[builder.events.length - 1];
      if (last?.type === 'vmStateChanged') last.failedHostIds = failed;
      return done(builder);
    }
    return { ok: true, events: [{ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', atMs: ctx.nowMs, reason: `start failed on ${failed.length} host(s) (${cmd.reason}); no other host fits: ${failure}`, failedHostIds: [], startFailed: true }], findings: [] };
  }
  return { ok: true, events: [{ type: 'vmStateChanged', vmId: vm.id, state: 'Error', atMs: ctx.nowMs, reason: `start failed ${failed.length} times, the last on this host: ${cmd.reason}`, failedHostIds: [], startFailed: true }], findings: [] };
}

export function decideVmTimer(state: CloudState, cmd: TimerCommand, ctx: DecideContext): Decision {
  const vm = state.vms.get(cmd.id);
  if (!vm) return { ok: true, events: [], findings: [] };
  if (cmd.type === 'releaseStoppedCapacity') {
    const hold = state.capacity.holdOf(vm);
    const windowMs = settingNumber(state, 'capacity.skipcounting.hours') * 1000;
    if (vm.state === 'Stopped' && hold?.reserved && ctx.nowMs - vm.stateChangedMs >= windowMs) {
      return { ok: true, events: [{ type: 'stoppedCapacityReleased', vmId: vm.id }], findings: [] };
    }
    return { ok: true, events: [], findings: [] };
  }
  if (cmd.type === 'expungeDue' && vm.state === 'Destroyed') return { ok: true, events: expungeEvents(state, vm), findings: [] };
  return { ok: true, events: [], findings: [] };
}
