import { evolveLifecycle } from './evolve-lifecycle.js';
import type { Host, Id, Pod } from './model/entities.js';
import type { DomainEvent } from './model/events.js';
import { type CloudState, pushIndex, usageOf } from './model/state.js';
import { subnetPool } from './net/ip-pool.js';
import { cidrLast, type Cidr } from './net/ipv4.js';
import { IdPool } from './net/pool.js';
import { vnetPool } from './net/vnet.js';

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
function addRangeToPool(pools: Map<Id, IdPool>, key: Id, range: { first: number; last: number; cidr: Cidr }, gateway: number | undefined): void {
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
  const index = state.index;
  switch (event.type) {
    case 'regionCreated':
      state.regions.set(event.region.id, { ...event.region });
      return;
    case 'zoneCreated':
      state.zones.set(event.zone.id, { ...event.zone });
      state.capacity.topologyVersion++;
      pushIndex(index.zonesByRegion, event.zone.regionId, event.zone.id);
      return;
    case 'podCreated':
      state.pods.set(event.pod.id, { ...event.pod, managementRanges: [...event.pod.managementRanges] });
      state.capacity.topologyVersion++;
      pushIndex(index.podsByZone, event.pod.zoneId, event.pod.id);
      state.pools.reservedByPod.set(event.pod.id, reservedPool(event.pod));
      return;
    case 'podManagementRangeAdded': {
      const pod = state.pods.get(event.podId);
      if (!pod) return;
      pod.managementRanges = [...pod.managementRanges, event.range];
      state.pools.reservedByPod.get(pod.id)?.addInterval(event.range, [pod.gateway]);
      return;
    }
    case 'clusterCreated':
      state.clusters.set(event.cluster.id, { ...event.cluster });
      pushIndex(index.clustersByPod, event.cluster.podId, event.cluster.id);
      state.capacity.addCluster(event.cluster.id, event.cluster.cpuOvercommitRatio, event.cluster.memoryOvercommitRatio);
      return;
    case 'hostAdded': {
      const host = { ...event.host };
      state.hosts.set(host.id, host);
      pushIndex(index.hostsByCluster, host.clusterId, host.id);
      pushIndex(index.hostsByIp, host.ip, host.id);
      state.capacity.addHost(host.id, host.clusterId, host.cpuCores * host.cpuMhz, host.memoryMiB, hostTakesVms(host));
      return;
    }
    case 'storagePoolCreated':
      state.storagePools.set(event.storagePool.id, { ...event.storagePool });
      pushIndex(index.storagePoolsByZone, event.storagePool.zoneId, event.storagePool.id);
      return;
    case 'imageStoreAdded':
      state.imageStores.set(event.imageStore.id, { ...event.imageStore });
      if (event.imageStore.zoneId !== undefined) pushIndex(index.imageStoresByZone, event.imageStore.zoneId, event.imageStore.id);
      return;
    case 'objectStoreAdded':
      state.objectStores.set(event.objectStore.id, { ...event.objectStore });
      return;
    case 'bucketCreated':
      state.buckets.set(event.bucket.id, { ...event.bucket });
      return;
    case 'physicalNetworkCreated':
      state.physicalNetworks.set(event.physicalNetwork.id, { ...event.physicalNetwork, traffic: [...event.physicalNetwork.traffic] });
      pushIndex(index.physicalNetworksByZone, event.physicalNetwork.zoneId, event.physicalNetwork.id);
      state.pools.vnetByPhysicalNetwork.set(event.physicalNetwork.id, vnetPool(event.physicalNetwork.vnetRanges, event.physicalNetwork.isolationMethod));
      return;
    case 'trafficTypeAdded': {
      const physicalNetwork = state.physicalNetworks.get(event.physicalNetworkId);
      if (physicalNetwork) physicalNetwork.traffic = [...physicalNetwork.traffic, event.traffic];
      return;
    }
    case 'vlanIpRangeCreated': {
      const range = { ...event.vlanIpRange };
      state.vlanIpRanges.set(range.id, range);
      pushIndex(index.vlanIpRangesByZone, range.zoneId, range.id);
      const key = range.purpose === 'Public' ? range.zoneId : range.podId ?? range.networkId;
      const pools = range.purpose === 'Public' ? state.pools.publicByZone : range.podId !== undefined ? state.pools.basicGuestByPod : state.pools.guestByNetwork;
      if (key !== undefined) addRangeToPool(pools, key, range, range.gateway);
      return;
    }
    case 'storageNetworkIpRangeCreated': {
      const range = { ...event.storageNetworkIpRange };
      state.storageNetworkIpRanges.set(range.id, range);
      pushIndex(index.storageRangesByPod, range.podId, range.id);
      addRangeToPool(state.pools.storageByPod, range.podId, range, range.gateway);
      return;
    }
    case 'domainCreated':
      state.domains.set(event.domain.id, { ...event.domain });
      return;
    case 'accountCreated':
      state.accounts.set(event.account.id, { ...event.account });
      pushIndex(index.accountsByDomain, event.account.domainId, event.account.id);
      return;
    case 'serviceOfferingCreated':
      state.serviceOfferings.set(event.serviceOffering.id, { ...event.serviceOffering });
      return;
    case 'diskOfferingCreated':
      state.diskOfferings.set(event.diskOffering.id, { ...event.diskOffering });
      return;
    case 'networkCreated': {
      const network = { ...event.network };
      state.networks.set(network.id, network);
      pushIndex(index.networksByZone, network.zoneId, network.id);
      if (network.vpcId !== undefined) pushIndex(index.networksByVpc, network.vpcId, network.id);
      if (network.accountId !== undefined) pushIndex(index.networksByAccount, network.accountId, network.id);
      // Isolated networks and VPC tiers hand out their whole CIDR but the gateway.
      if (network.guestType === 'Isolated' && network.cidr) state.pools.guestByNetwork.set(network.id, subnetPool({ cidr: network.cidr, ...(network.gateway === undefined ? {} : { gateway: network.gateway }) }));
      if (network.accountId !== undefined) usageOf(state, network.accountId).network++;
      return;
    }
    case 'vpcCreated':
      state.vpcs.set(event.vpc.id, { ...event.vpc });
      pushIndex(index.vpcsByZone, event.vpc.zoneId, event.vpc.id);
      if (event.vpc.accountId !== undefined) usageOf(state, event.vpc.accountId).vpc++;
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
      state.managementServers.set(event.managementServer.id, { ...event.managementServer });
      pushIndex(index.hostsByIp, event.managementServer.ip, event.managementServer.id);
      return;
    case 'managementPlaneConfigured':
      state.managementPlane = { ...event.managementPlane };
      return;
    default:
      evolveLifecycle(state, event);
  }
}
