import { POOL_TYPE } from '../data/storage.js';
import { uuidFor } from '../ids.js';
import type { DomainEvent } from '../model/events.js';
import type { Id, PhysicalNetwork, StoragePool, TrafficType, VlanIpRange } from '../model/entities.js';
import { TRAFFIC_TYPES } from '../model/entities.js';
import type {
  ConfigureVirtualRouterElement,
  DeleteHost,
  DeleteInfrastructure,
  DeleteStoragePool,
  EditCluster,
  EditHost,
  EditPod,
  EditZone,
  InfrastructureCommand,
  UpdateNetworkServiceProvider,
  UpdatePhysicalNetwork,
  UpdateStoragePool,
} from '../model/infrastructure-commands.js';
import type { ZoneChanges } from '../model/infrastructure-events.js';
import {
  NETWORK_SERVICE_PROVIDER_NAMES,
  type NetworkServiceProvider,
  type PhysicalNetworkServices,
  PROVIDER_SERVICES,
  PROVIDERS_WITH_ELEMENT,
} from '../model/infrastructure.js';
import { type CloudState, clustersOf, hostsOf, hostsOfPod, imageStoresOf, physicalNetworksOf, podsOf, storagePoolsOf, vlanIpRangesOf, vmsOnHost } from '../model/state.js';
import { isGuestCidrAllowed, parseCidr, parseIpv4 } from '../net/ipv4.js';
import type { IdPool } from '../net/pool.js';
import { intervalsOverlap } from '../net/pool.js';
import { parseVnetRanges } from '../net/vnet.js';
import { checkNetworkDomain } from '../rules/names.js';
import { decideUpdateAllocationState } from './ha.js';
import { type DecideContext, type Decision, reject } from './support.js';

/**
 * The update and delete verbs of infrastructure, with CloudStack's checks and its words for the
 * refusals. What CloudStack refuses with a CloudRuntimeException (a pod that still has clusters,
 * a host not in maintenance) is error 530 here too; bad or unknown values are 431.
 */

export function decideInfrastructure(state: CloudState, cmd: InfrastructureCommand, ctx: DecideContext): Decision {
  switch (cmd.type) {
    case 'deleteZone': return decideDeleteZone(state, cmd);
    case 'deletePod': return decideDeletePod(state, cmd);
    case 'deleteCluster': return decideDeleteCluster(state, cmd);
    case 'deleteHost': return decideDeleteHost(state, cmd, ctx);
    case 'deleteStoragePool': return decideDeleteStoragePool(state, cmd);
    case 'deleteImageStore': return decideDeleteImageStore(state, cmd);
    case 'deletePhysicalNetwork': return decideDeletePhysicalNetwork(state, cmd);
    case 'deleteVlanIpRange': return decideDeleteVlanIpRange(state, cmd);
    case 'editZone': return decideEditZone(state, cmd, ctx);
    case 'editPod': return decideEditPod(state, cmd, ctx);
    case 'editCluster': return decideEditCluster(state, cmd, ctx);
    case 'editHost': return decideEditHost(state, cmd, ctx);
    case 'updateStoragePool': return decideUpdateStoragePool(state, cmd, ctx);
    case 'updatePhysicalNetwork': return decideUpdatePhysicalNetwork(state, cmd);
    case 'updateNetworkServiceProvider': return decideUpdateNetworkServiceProvider(state, cmd);
    case 'configureVirtualRouterElement': return decideConfigureVirtualRouterElement(state, cmd);
  }
}

const accept = (events: DomainEvent[]): Decision => ({ ok: true, events, findings: [] });

/** CloudStack's CloudRuntimeException: error 530. */
function refuse(message: string): Decision {
  return { ok: false, rejection: { code: 'RESOURCE_IN_USE', errorCode: 530, message, findings: [] } };
}

function notFound(message: string): Decision {
  return reject('ENTITY_NOT_FOUND', message);
}

/** A record as CloudStack's toString shows it in messages. */
const poolText = (pool: StoragePool): string => `StoragePool {"name":"${pool.name}","poolType":"${POOL_TYPE[pool.protocol].poolType}","uuid":"${pool.id}"}`;
const physicalNetworkText = (network: PhysicalNetwork): string => `PhysicalNetwork {"name":"${network.name}","uuid":"${network.id}"}`;

// ----- physical network services -----

/** Salt of provider, element and traffic type ids: they come from the physical network's number in a space of their own. */
const SERVICES_ID_SALT = 0x4e535053;

/**
 * The providers CloudStack adds to every new physical network (VirtualRouter with its element,
 * SecurityGroupProvider, VpcVirtualRouter with its element, InternalLbVm, and in advanced zones
 * ConfigDrive, which starts enabled), and the ids of its traffic types, as one more event of the
 * decision that creates the physical network.
 */
export function withPhysicalNetworkServices(state: CloudState, decision: Decision): Decision {
  if (!decision.ok) return decision;
  const created = decision.events.find((e) => e.type === 'physicalNetworkCreated');
  if (!created || created.type !== 'physicalNetworkCreated') return decision;
  const network = created.physicalNetwork;
  const zone = state.zones.get(network.zoneId);
  const namespace = (state.idNamespace ^ SERVICES_ID_SALT) >>> 0;
  const idOf = (k: number): Id => uuidFor(namespace, created.idSeq * 16 + k);
  const providers: NetworkServiceProvider[] = [];
  NETWORK_SERVICE_PROVIDER_NAMES.forEach((name, k) => {
    if (name === 'ConfigDrive' && zone?.networkType !== 'Advanced') return;
    const provider: NetworkServiceProvider = { id: idOf(k), name, state: name === 'ConfigDrive' ? 'Enabled' : 'Disabled', services: [...PROVIDER_SERVICES[name]] };
    if (PROVIDERS_WITH_ELEMENT.has(name)) provider.element = { id: idOf(5 + k), enabled: false };
    providers.push(provider);
  });
  // Numbers 0-4 are the providers, 5-9 their elements, 10-14 the traffic types.
  const trafficTypeIds = Object.fromEntries(TRAFFIC_TYPES.map((type, k) => [type, idOf(10 + k)])) as Record<TrafficType, Id>;
  const services: PhysicalNetworkServices = { id: network.id, providers, trafficTypeIds };
  return { ...decision, events: [...decision.events, { type: 'physicalNetworkServicesAdded', physicalNetworkId: network.id, services }] };
}

function providerById(state: CloudState, id: Id): { services: PhysicalNetworkServices; provider: NetworkServiceProvider } | undefined {
  for (const services of state.physicalNetworkServices.values()) {
    const provider = services.providers.find((p) => p.id === id);
    if (provider) return { services, provider };
  }
  return undefined;
}

function decideUpdateNetworkServiceProvider(state: CloudState, cmd: UpdateNetworkServiceProvider): Decision {
  const found = providerById(state, cmd.id);
  if (!found) return notFound(`Network Service Provider id=${cmd.id}doesn't exist in the system`);
  const { services, provider } = found;
  if (cmd.state === 'Enabled' && provider.element && !provider.element.enabled) {
    return refuse('Provider is not ready, cannot Enable the provider, please configure the provider first');
  }
  if (provider.state === cmd.state) return accept([]);
  return accept([{ type: 'networkServiceProviderStateChanged', physicalNetworkId: services.id, providerId: provider.id, state: cmd.state }]);
}

function decideConfigureVirtualRouterElement(state: CloudState, cmd: ConfigureVirtualRouterElement): Decision {
  for (const services of state.physicalNetworkServices.values()) {
    const provider = services.providers.find((p) => p.element?.id === cmd.id);
    if (!provider?.element) continue;
    if (provider.element.enabled === cmd.enabled) return accept([]);
    return accept([{ type: 'virtualRouterElementConfigured', physicalNetworkId: services.id, elementId: cmd.id, enabled: cmd.enabled }]);
  }
  return notFound(`Can't find VirtualRouter element with network service provider id ${cmd.id}`);
}

// ----- deletions -----

/** Addresses of a pool handed out between first and last. */
function allocatedIn(pool: IdPool | undefined, first: number, last: number): number {
  if (!pool) return 0;
  let count = 0;
  for (let ip = first; ip <= last; ip++) if (pool.isAllocated(ip)) count++;
  return count;
}

function rangePool(state: CloudState, range: VlanIpRange): IdPool | undefined {
  if (range.purpose === 'Public') return state.pools.publicByZone.get(range.zoneId);
  if (range.podId !== undefined) return state.pools.basicGuestByPod.get(range.podId);
  return range.networkId === undefined ? undefined : state.pools.guestByNetwork.get(range.networkId);
}

/** The physical network a range is on: its own, else its network's, else (public) the zone's public one. */
function physicalNetworkOfRange(state: CloudState, range: VlanIpRange): Id | undefined {
  if (range.physicalNetworkId !== undefined) return range.physicalNetworkId;
  if (range.networkId !== undefined) return state.networks.get(range.networkId)?.physicalNetworkId;
  if (range.purpose === 'Public') return physicalNetworksOf(state, range.zoneId).find((n) => n.traffic.some((t) => t.type === 'Public'))?.id;
  return undefined;
}

const liveVolumesOn = (state: CloudState, poolIds: ReadonlySet<Id>) => [...state.volumes.values()].filter((v) => v.state !== 'Destroy' && v.storagePoolId !== undefined && poolIds.has(v.storagePoolId));

function decideDeleteZone(state: CloudState, cmd: DeleteInfrastructure): Decision {
  const zone = state.zones.get(cmd.id);
  if (!zone) return notFound(`A zone with ID: ${cmd.id} does not exist.`);
  const because = (why: string): Decision => refuse(`The zone is not deletable because ${why}`);
  if ([...state.hosts.values()].some((h) => h.zoneId === zone.id)) return because('there are servers running in this zone');
  if (podsOf(state, zone.id).length > 0) return because('there are pods in this zone');
  if ((state.pools.publicByZone.get(zone.id)?.allocatedCount ?? 0) > 0) return because('there are public IP addresses allocated for this zone');
  if ([...state.vms.values()].some((vm) => vm.zoneId === zone.id && vm.state !== 'Expunging')) return because('there are virtual machines running in this zone');
  if ([...state.volumes.values()].some((v) => v.zoneId === zone.id && v.state !== 'Destroy')) return because('there are storage volumes for this zone');
  if (physicalNetworksOf(state, zone.id).length > 0) return because('there are physical networks in this zone');
  if ([...state.snapshots.values()].some((s) => s.zoneId === zone.id && s.state !== 'Destroyed')) return because('there are snapshots in this zone');
  if ((state.index.vpcsByZone.get(zone.id) ?? []).some((id) => state.vpcs.has(id))) return because('there are VPCs in this zone');
  // What is left goes with the zone: its (free) IP ranges, zone-wide pools and image stores.
  const events: DomainEvent[] = [
    ...vlanIpRangesOf(state, zone.id).map((r): DomainEvent => ({ type: 'vlanIpRangeDeleted', vlanIpRangeId: r.id })),
    ...storagePoolsOf(state, zone.id).map((p): DomainEvent => ({ type: 'storagePoolDeleted', storagePoolId: p.id })),
    ...imageStoresOf(state, zone.id).map((s): DomainEvent => ({ type: 'imageStoreDeleted', imageStoreId: s.id })),
    { type: 'zoneDeleted', zoneId: zone.id },
  ];
  return accept(events);
}

function decideDeletePod(state: CloudState, cmd: DeleteInfrastructure): Decision {
  const pod = state.pods.get(cmd.id);
  if (!pod) return notFound(`A pod with ID: ${cmd.id} does not exist.`);
  const because = (why: string): Decision => refuse(`The pod cannot be deleted because ${why}`);
  if ((state.pools.reservedByPod.get(pod.id)?.allocatedCount ?? 0) > 0) return because('there are private IP addresses allocated in this pod.');
  const podPools = new Set([...state.storagePools.values()].filter((p) => p.podId === pod.id).map((p) => p.id));
  if (liveVolumesOn(state, podPools).length > 0) return because('there are storage volumes in this pod.');
  if (hostsOfPod(state, pod.id).length > 0) return because('there are servers in this pod.');
  if ([...state.vms.values()].some((vm) => vm.state !== 'Expunging' && vm.nics.some((n) => n.podId === pod.id))) return because('there are virtual machines in this pod.');
  if (clustersOf(state, pod.id).length > 0) return because('there are clusters in this pod.');
  const events: DomainEvent[] = [
    ...vlanIpRangesOf(state, pod.zoneId).filter((r) => r.podId === pod.id).map((r): DomainEvent => ({ type: 'vlanIpRangeDeleted', vlanIpRangeId: r.id })),
    { type: 'podDeleted', podId: pod.id },
  ];
  return accept(events);
}

function decideDeleteCluster(state: CloudState, cmd: DeleteInfrastructure): Decision {
  const cluster = state.clusters.get(cmd.id);
  if (!cluster) return refuse(`Cluster: ${cmd.id} does not exist`);
  if (hostsOf(state, cluster.id).length > 0) return refuse(`Cluster: ${cluster.id} cannot be removed. Cluster still has hosts`);
  if ([...state.storagePools.values()].some((p) => p.scope === 'CLUSTER' && p.clusterId === cluster.id)) {
    return refuse(`Cluster: ${cluster.id} cannot be removed. Cluster still has storage pools`);
  }
  return accept([{ type: 'clusterDeleted', clusterId: cluster.id }]);
}

/**
 * A host in maintenance, or one that is gone (Down, Disconnected), can be deleted; any other
 * only when forced, and then the VMs on it are stopped and the capacity stopped VMs keep on it
 * is released. Its local storage goes with it, unless volumes are still on it.
 */
function decideDeleteHost(state: CloudState, cmd: DeleteHost, ctx: DecideContext): Decision {
  const host = state.hosts.get(cmd.id);
  if (!host) return notFound(`Host with id ${cmd.id} doesn't exist`);
  const deletable = host.resourceState === 'Maintenance' || host.status === 'Down' || host.status === 'Disconnected';
  if (!deletable && !cmd.forced) {
    return refuse(`Host ${host.id} cannot be deleted as it is not in maintenance mode. Either put the host into maintenance or perform a forced deletion.`);
  }
  const localPools = [...state.storagePools.values()].filter((p) => p.scope === 'HOST' && p.hostId === host.id);
  for (const pool of localPools) {
    if (liveVolumesOn(state, new Set([pool.id])).length > 0) return refuse(`Cannot delete pool ${poolText(pool)} as there are non-destroyed volumes associated to this pool.`);
  }
  const events: DomainEvent[] = [];
  const ordinal = state.capacity.hostOrdinal.get(host.id);
  const onHost = vmsOnHost(state, host.id);
  for (const vm of onHost) {
    events.push({ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', lastHostId: host.id, stopOnHost: host.id, atMs: ctx.nowMs, reason: `host ${host.name} was removed` });
  }
  for (const [holder, hold] of state.capacity.holds.withHolders()) {
    if (hold.host === ordinal || onHost.some((vm) => vm === holder)) events.push({ type: 'stoppedCapacityReleased', vmId: holder.id });
  }
  for (const pool of localPools) events.push({ type: 'storagePoolDeleted', storagePoolId: pool.id });
  events.push({ type: 'hostDeleted', hostId: host.id });
  return accept(events);
}

function decideDeleteStoragePool(state: CloudState, cmd: DeleteStoragePool): Decision {
  const pool = state.storagePools.get(cmd.id);
  if (!pool) return notFound(`Unable to find pool by id ${cmd.id}`);
  if (pool.state !== 'Maintenance') return reject('INVALID_STATE', `Unable to delete storage due to it is not in Maintenance state, pool: ${poolText(pool)}`);
  // Forced or not, volumes that are not destroyed keep the pool (CloudStack only expunges destroyed ones).
  if (liveVolumesOn(state, new Set([pool.id])).length > 0) return refuse(`Cannot delete pool ${poolText(pool)} as there are non-destroyed volumes associated to this pool.`);
  return accept([{ type: 'storagePoolDeleted', storagePoolId: pool.id }]);
}

function decideDeleteImageStore(state: CloudState, cmd: DeleteInfrastructure): Decision {
  const store = state.imageStores.get(cmd.id);
  if (!store) return notFound(`Image store with id ${cmd.id} doesn't exist`);
  if ([...state.snapshots.values()].some((s) => s.state !== 'Destroyed' && s.imageStoreId === store.id)) {
    return reject('INVALID_PARAMETER', 'Cannot delete image store with active snapshots backup!');
  }
  if ([...state.templates.values()].some((t) => t.state !== 'Destroyed' && t.imageStoreIds.includes(store.id))) {
    return reject('INVALID_PARAMETER', 'Cannot delete image store with active templates backup!');
  }
  return accept([{ type: 'imageStoreDeleted', imageStoreId: store.id }]);
}

function decideDeletePhysicalNetwork(state: CloudState, cmd: DeleteInfrastructure): Decision {
  const network = state.physicalNetworks.get(cmd.id);
  if (!network) return notFound('Physical Network with specified id doesn\'t exist in the system');
  const because = (why: string): Decision => refuse(`The Physical Network is not deletable because ${why}`);
  if ((state.pools.vnetByPhysicalNetwork.get(network.id)?.allocatedCount ?? 0) > 0) return because('there are allocated vnets for this physical network');
  if ([...state.networks.values()].some((n) => n.state !== 'Destroy' && n.physicalNetworkId === network.id)) return because('there are networks associated to this physical network');
  const ranges = vlanIpRangesOf(state, network.zoneId).filter((r) => physicalNetworkOfRange(state, r) === network.id);
  if (ranges.some((r) => r.purpose === 'Public' && allocatedIn(rangePool(state, r), r.first, r.last) > 0)) return because('there are public IP addresses allocated for this physical network');
  return accept([
    ...ranges.map((r): DomainEvent => ({ type: 'vlanIpRangeDeleted', vlanIpRangeId: r.id })),
    { type: 'physicalNetworkDeleted', physicalNetworkId: network.id },
  ]);
}

function decideDeleteVlanIpRange(state: CloudState, cmd: DeleteInfrastructure): Decision {
  const range = state.vlanIpRanges.get(cmd.id);
  if (!range) return reject('INVALID_PARAMETER', 'Please specify a valid IP range id.');
  const inUse = allocatedIn(rangePool(state, range), range.first, range.last);
  if (inUse > 0) return reject('INVALID_PARAMETER', `${inUse}  Ips are in use. Cannot delete this vlan`);
  return accept([{ type: 'vlanIpRangeDeleted', vlanIpRangeId: range.id }]);
}

// ----- updates -----

/** The allocation state part of an update, decided as updateZone / updatePod / ... decide it alone. */
function withAllocation(state: CloudState, events: DomainEvent[], type: 'updateZone' | 'updatePod' | 'updateCluster' | 'updateHost', id: Id, allocationState: EditZone['allocationState'], ctx: DecideContext): Decision {
  if (allocationState === undefined) return accept(events);
  const decision = decideUpdateAllocationState(state, { type, id, allocationState }, ctx);
  if (!decision.ok) return decision;
  return accept([...events, ...decision.events]);
}

function decideEditZone(state: CloudState, cmd: EditZone, ctx: DecideContext): Decision {
  const zone = state.zones.get(cmd.id);
  if (!zone) return notFound(`unable to find zone by id ${cmd.id}`);
  const changes: ZoneChanges = {};
  if (cmd.name !== undefined && cmd.name !== zone.name) {
    if ([...state.zones.values()].some((z) => z.name === cmd.name)) return reject('INVALID_PARAMETER', 'A zone with that name already exists. Please specify a unique zone name.');
    changes.name = cmd.name;
  }
  const addresses: [string | undefined, string][] = [[cmd.dns1, 'DNS1'], [cmd.dns2, 'DNS2'], [cmd.internalDns1, 'internal DNS1'], [cmd.internalDns2, 'internal DNS2']];
  for (const [value, what] of addresses) {
    if (value !== undefined && value !== '' && parseIpv4(value) === undefined) return reject('INVALID_PARAMETER', `Please enter a valid IP address for ${what}`);
  }
  const servers = (first: string | undefined, second: string | undefined, current: string[]): string[] | undefined => {
    if (first === undefined && second === undefined) return undefined;
    return [first ?? current[0] ?? '', second ?? current[1] ?? ''].filter((s) => s !== '');
  };
  const dns = servers(cmd.dns1, cmd.dns2, zone.dns);
  if (dns) changes.dns = dns;
  const internalDns = servers(cmd.internalDns1, cmd.internalDns2, zone.internalDns);
  if (internalDns) changes.internalDns = internalDns;
  if (cmd.guestCidr !== undefined) {
    const cidr = parseCidr(cmd.guestCidr);
    if (!cidr || !isGuestCidrAllowed(cidr)) return reject('INVALID_PARAMETER', 'Please enter a valid guest cidr');
    changes.guestCidr = cidr;
  }
  if (cmd.networkDomain !== undefined) {
    if (cmd.networkDomain !== '' && checkNetworkDomain({ path: 'zone' }, cmd.networkDomain).length > 0) {
      return reject('INVALID_PARAMETER',
        'Invalid network domain. Total length shouldn\'t exceed 190 chars. Each domain label must be between 1 and 63 characters long, can contain ASCII letters \'a\' through \'z\', the digits \'0\' through \'9\', and the hyphen (\'-\'); can\'t start or end with "-"');
    }
    changes.networkDomain = cmd.networkDomain;
  }
  if (cmd.localStorageEnabled !== undefined) changes.localStorageEnabled = cmd.localStorageEnabled;
  if (cmd.allocationState === 'Enabled') {
    // A zone is enabled only once it can carry system traffic (CloudStack's editZone).
    const carries = (type: TrafficType): boolean => physicalNetworksOf(state, zone.id).some((n) => n.traffic.some((t) => t.type === type));
    const needed: TrafficType[] = zone.networkType === 'Advanced' && !zone.securityGroupsEnabled ? ['Management', 'Public'] : ['Management'];
    const missing = needed.find((type) => !carries(type));
    if (missing) return reject('INVALID_PARAMETER', `Cannot enable this Zone since: Unable to find the default physical network with traffic=${missing} in the specified zone id`);
  }
  const events: DomainEvent[] = Object.keys(changes).length > 0 ? [{ type: 'zoneEdited', zoneId: zone.id, changes }] : [];
  return withAllocation(state, events, 'updateZone', zone.id, cmd.allocationState, ctx);
}

function decideEditPod(state: CloudState, cmd: EditPod, ctx: DecideContext): Decision {
  const pod = state.pods.get(cmd.id);
  if (!pod) return notFound(`Unable to find pod by id ${cmd.id}`);
  const events: DomainEvent[] = [];
  if (cmd.name !== undefined && cmd.name !== pod.name) {
    if (podsOf(state, pod.zoneId).some((p) => p.name === cmd.name)) {
      return reject('INVALID_PARAMETER', `A pod with name: ${cmd.name} already exists in zone ${pod.zoneId}. Please specify a different pod name. `);
    }
    events.push({ type: 'podEdited', podId: pod.id, name: cmd.name });
  }
  return withAllocation(state, events, 'updatePod', pod.id, cmd.allocationState, ctx);
}

function decideEditCluster(state: CloudState, cmd: EditCluster, ctx: DecideContext): Decision {
  const cluster = state.clusters.get(cmd.id);
  if (!cluster) return notFound(`Unable to find cluster by id ${cmd.id}`);
  const events: DomainEvent[] = [];
  if (cmd.name !== undefined && cmd.name.trim() !== '' && cmd.name !== cluster.name) {
    if (cluster.hypervisor === 'VMware') {
      return reject('INVALID_PARAMETER', 'Renaming VMware cluster is not supported as it could cause problems if the updated  cluster name is not mapped on VCenter.');
    }
    events.push({ type: 'clusterEdited', clusterId: cluster.id, name: cmd.name });
  }
  return withAllocation(state, events, 'updateCluster', cluster.id, cmd.allocationState, ctx);
}

function decideEditHost(state: CloudState, cmd: EditHost, ctx: DecideContext): Decision {
  const host = state.hosts.get(cmd.id);
  if (!host) return notFound(`Host with id ${cmd.id} doesn't exist`);
  const edit: { name?: string; tags?: string[] } = {};
  if (cmd.name !== undefined && cmd.name.trim() !== '' && cmd.name !== host.name) edit.name = cmd.name;
  if (cmd.tags !== undefined) edit.tags = [...new Set(cmd.tags.map((t) => t.trim()).filter((t) => t !== ''))];
  const events: DomainEvent[] = Object.keys(edit).length > 0 ? [{ type: 'hostEdited', hostId: host.id, ...edit }] : [];
  return withAllocation(state, events, 'updateHost', host.id, cmd.allocationState, ctx);
}

function decideUpdateStoragePool(state: CloudState, cmd: UpdateStoragePool, ctx: DecideContext): Decision {
  const pool = state.storagePools.get(cmd.id);
  if (!pool) return notFound(`Unable to find storage pool by id ${cmd.id}`);
  const edit: { name?: string; tags?: string[]; capacityGiB?: number } = {};
  if (cmd.name !== undefined && cmd.name.trim() !== '' && cmd.name !== pool.name) edit.name = cmd.name;
  if (cmd.tags !== undefined) edit.tags = [...new Set(cmd.tags.map((t) => t.trim()).filter((t) => t !== ''))];
  if (cmd.capacityGiB !== undefined) {
    if (!(cmd.capacityGiB > 0)) return reject('INVALID_PARAMETER', 'Capacity bytes must be greater than zero');
    edit.capacityGiB = cmd.capacityGiB;
  }
  const events: DomainEvent[] = Object.keys(edit).length > 0 ? [{ type: 'storagePoolEdited', storagePoolId: pool.id, ...edit }] : [];
  if (cmd.enabled === false && pool.state !== 'Disabled') {
    if (pool.state !== 'Up') return reject('INVALID_STATE', `Primary storage with id ${pool.id} is not ready to disable, as the status is ${pool.state}`);
    events.push({ type: 'storagePoolStateChanged', storagePoolId: pool.id, state: 'Disabled', atMs: ctx.nowMs });
  }
  if (cmd.enabled === true && pool.state !== 'Up') {
    if (pool.state !== 'Disabled') return reject('INVALID_STATE', `Primary storage with id ${pool.id} is not ready to enable, as the status is ${pool.state}`);
    events.push({ type: 'storagePoolStateChanged', storagePoolId: pool.id, state: 'Up', atMs: ctx.nowMs });
  }
  return accept(events);
}

function decideUpdatePhysicalNetwork(state: CloudState, cmd: UpdatePhysicalNetwork): Decision {
  const network = state.physicalNetworks.get(cmd.id);
  if (!network) return notFound('Physical Network with specified id doesn\'t exist in the system');
  const zone = state.zones.get(network.zoneId)!;
  if (cmd.vlan !== undefined && zone.networkType === 'Basic') return reject('INVALID_PARAMETER', 'Can\'t add vnet range to the physical network in the Basic zone');
  if (cmd.tags !== undefined && cmd.tags.length > 1) return reject('INVALID_PARAMETER', 'Unable to support more than one tag on network yet');
  const event: Extract<DomainEvent, { type: 'physicalNetworkEdited' }> = { type: 'physicalNetworkEdited', physicalNetworkId: network.id };
  if (cmd.vlan !== undefined) {
    const parsed = parseVnetRanges(cmd.vlan, network.isolationMethod);
    if (!parsed.ok) return reject('INVALID_PARAMETER', parsed.message);
    const pool = state.pools.vnetByPhysicalNetwork.get(network.id);
    const inUse = pool?.allocatedValues() ?? [];
    if (parsed.ranges.length === 0 && inUse.length > 0) return reject('INVALID_PARAMETER', `physicalnetwork ${physicalNetworkText(network)} has ${inUse.length} vnets in use`);
    const outside = inUse.filter((v) => !parsed.ranges.some((r) => v >= r.first && v <= r.last)).sort((a, b) => a - b);
    if (outside.length > 0) {
      const removed = network.vnetRanges.find((r) => outside[0]! >= r.first && outside[0]! <= r.last) ?? { first: outside[0]!, last: outside[0]! };
      return reject('INVALID_PARAMETER', `physicalnetwork ${physicalNetworkText(network)} has allocated vnets in the range ${removed.first}-${removed.last}`);
    }
    if (network.isolationMethod === 'VXLAN') {
      for (const other of physicalNetworksOf(state, zone.id)) {
        if (other.id === network.id || other.isolationMethod !== 'VXLAN') continue;
        const clash = other.vnetRanges.find((o) => parsed.ranges.some((r) => intervalsOverlap(o, r)));
        if (clash) return reject('INVALID_PARAMETER', `VNI ${clash.first} already exists on another network in zone (${zone.name}), please specify a unique range`);
      }
    }
    event.vnetRanges = parsed.ranges;
  }
  if (cmd.state !== undefined && cmd.state !== network.state) event.state = cmd.state;
  if (cmd.tags !== undefined) event.tags = cmd.tags;
  return accept(Object.keys(event).length > 2 ? [event] : []);
}
