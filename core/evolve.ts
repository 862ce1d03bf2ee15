import { fail } from './assert.js';
import { evolveConfiguration } from './evolve-configuration.js';
import { evolveIdentity } from './evolve-identity.js';
import { evolveInfrastructure } from './evolve-infrastructure.js';
import { evolveLifecycle, indexTemplateCopy } from './evolve-lifecycle.js';
import { evolveNetwork } from './evolve-network.js';
import { evolveTenant } from './evolve-tenant.js';
import type {
  Account,
  Cluster,
  Host,
  Id,
  ImageStore,
  ManagementServer,
  Network,
  PhysicalNetwork,
  Pod,
  StorageNetworkIpRange,
  StoragePool,
  VlanIpRange,
  Vpc,
  Zone,
} from './model/entities.js';
import type { DomainEvent } from './model/events.js';
import { type CloudState, pushIndex, usageOf } from './model/state.js';
import { subnetPool } from './net/ip-pool.js';
import { cidrLast, type Cidr } from './net/ipv4.js';
import { IdPool } from './net/pool.js';
import { vnetPool } from './net/vnet.js';
import { copyRecord } from './record.js';

/**
 * The stored copy of a host: one literal with its fields in one order, so every host shares a
 * shape with its fields inside the object. (copyRecord's Object.assign also shares shapes, but
 * starts from an empty literal with room for four fields and puts the rest in a second array:
 * 112 bytes more for each of ten thousand hosts.) A dedication is added only when there is one.
 */
function hostRecord(host: Host): Host {
  const record: Host = {
    id: host.id,
    name: host.name,
    zoneId: host.zoneId,
    podId: host.podId,
    clusterId: host.clusterId,
    ip: host.ip,
    hypervisor: host.hypervisor,
    arch: host.arch,
    cpuSockets: host.cpuSockets,
    cpuCores: host.cpuCores,
    cpuMhz: host.cpuMhz,
    memoryMiB: host.memoryMiB,
    localStorageGiB: host.localStorageGiB,
    tags: host.tags,
    resourceState: host.resourceState,
    status: host.status,
  };
  if (host.dedication !== undefined) record.dedication = host.dedication;
  return record;
}

/** A host takes VMs when it is Up and its resource state is Enabled. */
export function hostTakesVms(host: Host): boolean {
  return host.status === 'Up' && host.resourceState === 'Enabled';
}

function reservedPool(pod: Pod): IdPool {
  const pool = new IdPool([]);
  for (const range of pod.managementRanges) pool.addInterval(range, [pod.gateway]);
  return pool;
}

/** Adds a range to the pool of its key, never handing out the gateway, network or broadcast. */
export function addRangeToPool(pools: Map<Id, IdPool>, key: Id, range: { first: number; last: number; cidr: Cidr }, gateway: number | undefined): void {
  let pool = pools.get(key);
  if (!pool) {
    pool = new IdPool([]);
    pools.set(key, pool);
  }
  if (range.first > range.last) return;
  const blocked = gateway === undefined ? [] : [gateway];
  if (range.cidr.prefix <= 30) blocked.push(range.cidr.network, cidrLast(range.cidr));
  pool.addInterval({ first: range.first, last: range.last }, blocked);
}

/**
 * Applies one event to the state, in place. This is the only function that mutates state, and it
 * makes no choices: everything it needs is in the event. Indexes are kept current here so readers
 * never scan. Records are copied out of events, never shared: the event log must stay exactly as
 * decided, whatever happens to the records later.
 */
export function evolve(state: CloudState, event: DomainEvent): void {
  if ('idSeq' in event) state.idSeq = Math.max(state.idSeq, event.idSeq + 1);
  switch (event.type) {
    case 'regionCreated':
      state.regions.set(event.region.id, copyRecord(event.region));
      return;
    case 'zoneCreated':
      state.zones.set(event.zone.id, copyRecord(event.zone));
      state.capacity.topologyVersion++;
      indexZone(state, event.zone);
      return;
    case 'podCreated': {
      const pod = { ...event.pod, managementRanges: [...event.pod.managementRanges] };
      state.pods.set(pod.id, pod);
      state.capacity.topologyVersion++;
      indexPod(state, pod);
      return;
    }
    case 'podManagementRangeAdded': {
      const pod = state.pods.get(event.podId);
      if (!pod) return;
      pod.managementRanges = [...pod.managementRanges, event.range];
      state.pools.reservedByPod.get(pod.id)?.addInterval(event.range, [pod.gateway]);
      return;
    }
    case 'clusterCreated':
      state.clusters.set(event.cluster.id, copyRecord(event.cluster));
      indexCluster(state, event.cluster);
      return;
    case 'hostAdded': {
      const host = hostRecord(event.host);
      state.hosts.set(host.id, host);
      indexHost(state, host);
      return;
    }
    case 'storagePoolCreated':
      state.storagePools.set(event.storagePool.id, copyRecord(event.storagePool));
      indexStoragePool(state, event.storagePool);
      return;
    case 'imageStoreAdded':
      state.imageStores.set(event.imageStore.id, copyRecord(event.imageStore));
      indexImageStore(state, event.imageStore);
      return;
    case 'objectStoreAdded':
      state.objectStores.set(event.objectStore.id, copyRecord(event.objectStore));
      return;
    case 'bucketCreated':
      state.buckets.set(event.bucket.id, copyRecord(event.bucket));
      return;
    case 'physicalNetworkCreated':
      state.physicalNetworks.set(event.physicalNetwork.id, { ...event.physicalNetwork, traffic: [...event.physicalNetwork.traffic] });
      indexPhysicalNetwork(state, event.physicalNetwork);
      return;
    case 'trafficTypeAdded': {
      const physicalNetwork = state.physicalNetworks.get(event.physicalNetworkId);
      if (physicalNetwork) physicalNetwork.traffic = [...physicalNetwork.traffic, event.traffic];
      return;
    }
    case 'vlanIpRangeCreated': {
      const range = copyRecord(event.vlanIpRange);
      state.vlanIpRanges.set(range.id, range);
      indexVlanIpRange(state, range);
      return;
    }
    case 'storageNetworkIpRangeCreated': {
      const range = copyRecord(event.storageNetworkIpRange);
      state.storageNetworkIpRanges.set(range.id, range);
      indexStorageNetworkIpRange(state, range);
      return;
    }
    case 'domainCreated':
      state.domains.set(event.domain.id, copyRecord(event.domain));
      return;
    case 'accountCreated':
      state.accounts.set(event.account.id, copyRecord(event.account));
      indexAccount(state, event.account);
      return;
    case 'serviceOfferingCreated':
      state.serviceOfferings.set(event.serviceOffering.id, copyRecord(event.serviceOffering));
      return;
    case 'diskOfferingCreated':
      state.diskOfferings.set(event.diskOffering.id, copyRecord(event.diskOffering));
      return;
    case 'networkCreated': {
      const network = copyRecord(event.network);
      state.networks.set(network.id, network);
      indexNetwork(state, network);
      return;
    }
    case 'vpcCreated':
      state.vpcs.set(event.vpc.id, copyRecord(event.vpc));
      indexVpc(state, event.vpc);
      return;
    case 'resourceDedicated': {
      const records = { zone: state.zones, pod: state.pods, cluster: state.clusters, host: state.hosts }[event.resource];
      const record = records.get(event.id);
      if (record) record.dedication = event.dedication;
      state.capacity.topologyVersion++;
      return;
    }
    case 'configurationUpdated':
      state.settings[event.name] = event.value;
      state.capacity.topologyVersion++;
      return;
    case 'managementServerRegistered':
      state.managementServers.set(event.managementServer.id, copyRecord(event.managementServer));
      indexManagementServer(state, event.managementServer);
      return;
    case 'managementPlaneConfigured':
      state.managementPlane = copyRecord(event.managementPlane);
      return;
    case 'userCreated':
    case 'userUpdated':
    case 'userStateChanged':
    case 'userDeleted':
    case 'userKeysRegistered':
    case 'accountStateChanged':
    case 'roleCreated':
    case 'rolePermissionCreated':
    case 'accountUpdated':
    case 'accountDeleted':
    case 'domainUpdated':
    case 'domainDeleted':
    case 'roleUpdated':
    case 'roleDeleted':
    case 'rolePermissionUpdated':
    case 'rolePermissionsReordered':
    case 'rolePermissionDeleted':
    case 'resourceLimitUpdated':
    case 'projectCreated':
    case 'projectDeleted':
    case 'projectAccountAdded':
      evolveIdentity(state, event);
      return;
    case 'scopedConfigurationUpdated':
      evolveConfiguration(state, event);
      return;
    case 'vmUpdated':
    case 'vmRecovered':
    case 'sshKeyPairRegistered':
    case 'sshKeyPairDeleted':
    case 'tagsCreated':
    case 'tagsDeleted':
    case 'volumeReverted':
    case 'volumeMigrated':
    case 'templateUpdated':
    case 'vmAffinityGroupsChanged':
    case 'offeringUpdated':
    case 'offeringDeleted':
      evolveTenant(state, event);
      return;
    case 'networkOfferingCreated':
    case 'networkOfferingUpdated':
    case 'networkOfferingDeleted':
    case 'networkUpdated':
    case 'networkRestarted':
    case 'vpcUpdated':
    case 'vpcRestarted':
      evolveNetwork(state, event);
      return;
    case 'zoneEdited':
    case 'podEdited':
    case 'clusterEdited':
    case 'hostEdited':
    case 'storagePoolEdited':
    case 'physicalNetworkEdited':
    case 'physicalNetworkServicesAdded':
    case 'networkServiceProviderStateChanged':
    case 'virtualRouterElementConfigured':
    case 'zoneDeleted':
    case 'podDeleted':
    case 'clusterDeleted':
    case 'hostDeleted':
    case 'storagePoolDeleted':
    case 'imageStoreDeleted':
    case 'physicalNetworkDeleted':
    case 'vlanIpRangeDeleted':
      evolveInfrastructure(state, event);
      return;
    default:
      evolveLifecycle(state, event);
  }
}

/*
 * What each record adds to the derived structures (indexes, capacity, address and VNET pools,
 * account usage). Evolve calls these when a record is created; restore.ts calls them for every
 * record of a snapshot, so the two can never disagree about what a record implies. Each reads
 * the record as it is now, which for a new record is what the event made it.
 */

export function indexZone(state: CloudState, zone: Zone): void {
  pushIndex(state.index.zonesByRegion, zone.regionId, zone.id);
}

/** The reserved system range of a pod, every management range in order. */
export function indexPod(state: CloudState, pod: Pod): void {
  pushIndex(state.index.podsByZone, pod.zoneId, pod.id);
  state.pools.reservedByPod.set(pod.id, reservedPool(pod));
}

export function indexCluster(state: CloudState, cluster: Cluster): void {
  pushIndex(state.index.clustersByPod, cluster.podId, cluster.id);
  state.capacity.addCluster(cluster.id, cluster.cpuOvercommitRatio, cluster.memoryOvercommitRatio);
}

export function indexHost(state: CloudState, host: Host): void {
  pushIndex(state.index.hostsByCluster, host.clusterId, host.id);
  pushIndex(state.index.hostsByIp, host.ip, host.id);
  state.capacity.addHost(host.id, host.clusterId, host.cpuCores * host.cpuMhz, host.memoryMiB, hostTakesVms(host));
}

export function indexStoragePool(state: CloudState, pool: StoragePool): void {
  pushIndex(state.index.storagePoolsByZone, pool.zoneId, pool.id);
  for (const templateId of pool.templateIds ?? []) indexTemplateCopy(state, pool.id, templateId);
}

export function indexImageStore(state: CloudState, store: ImageStore): void {
  if (store.zoneId !== undefined) pushIndex(state.index.imageStoresByZone, store.zoneId, store.id);
}

export function indexPhysicalNetwork(state: CloudState, physicalNetwork: PhysicalNetwork): void {
  pushIndex(state.index.physicalNetworksByZone, physicalNetwork.zoneId, physicalNetwork.id);
  state.pools.vnetByPhysicalNetwork.set(physicalNetwork.id, vnetPool(physicalNetwork.vnetRanges, physicalNetwork.isolationMethod));
}

/** Public ranges feed their zone's pool, basic zone guest ranges their pod's, shared network ranges their network's. */
export function indexVlanIpRange(state: CloudState, range: VlanIpRange): void {
  pushIndex(state.index.vlanIpRangesByZone, range.zoneId, range.id);
  const key = range.purpose === 'Public' ? range.zoneId : range.podId ?? range.networkId;
  const pools = range.purpose === 'Public' ? state.pools.publicByZone : range.podId !== undefined ? state.pools.basicGuestByPod : state.pools.guestByNetwork;
  if (key !== undefined) addRangeToPool(pools, key, range, range.gateway);
}

export function indexStorageNetworkIpRange(state: CloudState, range: StorageNetworkIpRange): void {
  pushIndex(state.index.storageRangesByPod, range.podId, range.id);
  addRangeToPool(state.pools.storageByPod, range.podId, range, range.gateway);
}

export function indexAccount(state: CloudState, account: Account): void {
  pushIndex(state.index.accountsByDomain, account.domainId, account.id);
}

/**
 * A network's indexes (deleted ones stay listed, as their records do), and while it is not
 * deleted: its guest pool, its count against the account, and the VLAN it took from the
 * physical network's pool. A deleted network keeps `vlan` and `vlanFromPool` in its record
 * for the record's sake, but its VLAN went back to the pool when it was deleted.
 */
export function indexNetwork(state: CloudState, network: Network): void {
  const index = state.index;
  pushIndex(index.networksByZone, network.zoneId, network.id);
  if (network.vpcId !== undefined) pushIndex(index.networksByVpc, network.vpcId, network.id);
  if (network.accountId !== undefined) pushIndex(index.networksByAccount, network.accountId, network.id);
  if (network.state === 'Destroy') return;
  // Isolated networks and VPC tiers hand out their whole CIDR but the gateway.
  if (network.guestType === 'Isolated' && network.cidr) state.pools.guestByNetwork.set(network.id, subnetPool({ cidr: network.cidr, ...(network.gateway === undefined ? {} : { gateway: network.gateway }) }));
  if (network.accountId !== undefined) usageOf(state, network.accountId).network++;
  if (network.vlanFromPool && typeof network.vlan === 'number' && network.physicalNetworkId !== undefined) {
    const taken = state.pools.vnetByPhysicalNetwork.get(network.physicalNetworkId)?.allocate(network.vlan);
    if (taken !== true) fail(`VLAN ${network.vlan} of network ${network.name} is not free`);
  }
}

export function indexVpc(state: CloudState, vpc: Vpc): void {
  pushIndex(state.index.vpcsByZone, vpc.zoneId, vpc.id);
  if (vpc.accountId !== undefined) usageOf(state, vpc.accountId).vpc++;
}

export function indexManagementServer(state: CloudState, server: ManagementServer): void {
  pushIndex(state.index.hostsByIp, server.ip, server.id);
}
