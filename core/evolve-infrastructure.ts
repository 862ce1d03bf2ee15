import { assert, assertNever } from './assert.js';
import type { CapacityIndex } from './capacity.js';
import { addRangeToPool } from './evolve.js';
import type { Id, VlanIpRange } from './model/entities.js';
import type { InfrastructureEvent } from './model/infrastructure-events.js';
import type { CloudState } from './model/state.js';
import type { IdPool } from './net/pool.js';
import { vnetPool } from './net/vnet.js';

/**
 * Evolve for infrastructure changed or removed after it was built (see infrastructure-events.ts).
 * A removal leaves the derived structures exactly as a restore from the remaining records builds
 * them: ids leave the index lists (and an emptied list its key), the pools a record fed are
 * rebuilt from what remains with their allocations carried over, and a host or cluster leaves
 * the capacity index with the ordinals after it moved down, as if it had never been added.
 */
export function evolveInfrastructure(state: CloudState, event: InfrastructureEvent): void {
  switch (event.type) {
    case 'zoneEdited': {
      const zone = state.zones.get(event.zoneId);
      if (!zone) return;
      const { name, dns, internalDns, guestCidr, networkDomain, localStorageEnabled } = event.changes;
      if (name !== undefined) zone.name = name;
      if (dns !== undefined) zone.dns = [...dns];
      if (internalDns !== undefined) zone.internalDns = [...internalDns];
      if (guestCidr !== undefined) zone.guestCidr = { ...guestCidr };
      if (networkDomain === '') delete zone.networkDomain;
      else if (networkDomain !== undefined) zone.networkDomain = networkDomain;
      if (localStorageEnabled !== undefined) {
        zone.localStorageEnabled = localStorageEnabled;
        state.capacity.topologyVersion++;
      }
      return;
    }
    case 'podEdited': {
      const pod = state.pods.get(event.podId);
      if (pod) pod.name = event.name;
      return;
    }
    case 'clusterEdited': {
      const cluster = state.clusters.get(event.clusterId);
      if (cluster) cluster.name = event.name;
      return;
    }
    case 'hostEdited': {
      const host = state.hosts.get(event.hostId);
      if (!host) return;
      if (event.name !== undefined) host.name = event.name;
      if (event.tags !== undefined) {
        host.tags = [...event.tags];
        // Placement caches which clusters carry which host tags.
        state.capacity.topologyVersion++;
      }
      return;
    }
    case 'storagePoolEdited': {
      const pool = state.storagePools.get(event.storagePoolId);
      if (!pool) return;
      if (event.name !== undefined) pool.name = event.name;
      if (event.tags !== undefined) pool.tags = [...event.tags];
      if (event.capacityGiB !== undefined) pool.capacityGiB = event.capacityGiB;
      return;
    }
    case 'physicalNetworkEdited': {
      const network = state.physicalNetworks.get(event.physicalNetworkId);
      if (!network) return;
      if (event.state !== undefined) network.state = event.state;
      if (event.tags !== undefined) network.tags = [...event.tags];
      if (event.vnetRanges !== undefined) {
        network.vnetRanges = event.vnetRanges.map((r) => ({ ...r }));
        const before = state.pools.vnetByPhysicalNetwork.get(network.id);
        const after = vnetPool(network.vnetRanges, network.isolationMethod);
        for (const vnet of before?.allocatedValues() ?? []) {
          const taken = after.allocate(vnet);
          assert(taken, `VNET ${vnet} of physical network ${network.name} is in use outside its new ranges`);
        }
        state.pools.vnetByPhysicalNetwork.set(network.id, after);
      }
      return;
    }
    case 'physicalNetworkServicesAdded': {
      const services = event.services;
      state.physicalNetworkServices.set(services.id, {
        id: services.id,
        providers: services.providers.map((p) => ({ ...p, services: [...p.services], ...(p.element ? { element: { ...p.element } } : {}) })),
        trafficTypeIds: { ...services.trafficTypeIds },
      });
      return;
    }
    case 'networkServiceProviderStateChanged': {
      const provider = state.physicalNetworkServices.get(event.physicalNetworkId)?.providers.find((p) => p.id === event.providerId);
      if (provider) provider.state = event.state;
      return;
    }
    case 'virtualRouterElementConfigured': {
      const provider = state.physicalNetworkServices.get(event.physicalNetworkId)?.providers.find((p) => p.element?.id === event.elementId);
      if (provider?.element) provider.element.enabled = event.enabled;
      return;
    }
    case 'zoneDeleted':
      removeZone(state, event.zoneId);
      return;
    case 'podDeleted':
      removePod(state, event.podId);
      return;
    case 'clusterDeleted': {
      const cluster = state.clusters.get(event.clusterId);
      if (!cluster) return;
      state.clusters.delete(cluster.id);
      dropFromIndex(state.index.clustersByPod, cluster.podId, cluster.id);
      state.index.hostsByCluster.delete(cluster.id);
      removeClusterFromCapacity(state.capacity, cluster.id);
      return;
    }
    case 'hostDeleted': {
      const host = state.hosts.get(event.hostId);
      if (!host) return;
      state.hosts.delete(host.id);
      dropFromIndex(state.index.hostsByCluster, host.clusterId, host.id);
      dropFromIndex(state.index.hostsByIp, host.ip, host.id);
      const ordinal = state.capacity.hostOrdinal.get(host.id);
      // The lists follow the ordinals, which close up behind a deleted host.
      if (ordinal !== undefined) state.index.vmsByHostOrdinal.splice(ordinal, 1);
      removeHostFromCapacity(state.capacity, host.id);
      return;
    }
    case 'storagePoolDeleted': {
      const pool = state.storagePools.get(event.storagePoolId);
      if (!pool) return;
      state.storagePools.delete(pool.id);
      dropFromIndex(state.index.storagePoolsByZone, pool.zoneId, pool.id);
      state.index.poolAllocatedGiB.delete(pool.id);
      state.index.poolTemplates.delete(pool.id);
      // Placement keeps the shared pools of each cluster per index object until the number of
      // pools changes; a new object makes it look again even if a pool is added back later.
      state.index = { ...state.index };
      return;
    }
    case 'imageStoreDeleted':
      removeImageStore(state, event.imageStoreId);
      return;
    case 'physicalNetworkDeleted': {
      const network = state.physicalNetworks.get(event.physicalNetworkId);
      if (!network) return;
      state.physicalNetworks.delete(network.id);
      dropFromIndex(state.index.physicalNetworksByZone, network.zoneId, network.id);
      state.pools.vnetByPhysicalNetwork.delete(network.id);
      state.physicalNetworkServices.delete(network.id);
      return;
    }
    case 'vlanIpRangeDeleted':
      removeVlanIpRange(state, event.vlanIpRangeId);
      return;
    default:
      assertNever(event, 'infrastructure event');
  }
}

/** Removes an id from an index list, and the key once its list is empty (as a restore leaves it). */
function dropFromIndex<K>(index: Map<K, Id[]>, key: K, id: Id): void {
  const list = index.get(key);
  if (!list) return;
  const at = list.indexOf(id);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) index.delete(key);
}

function removeZone(state: CloudState, zoneId: Id): void {
  const zone = state.zones.get(zoneId);
  if (!zone) return;
  state.zones.delete(zone.id);
  dropFromIndex(state.index.zonesByRegion, zone.regionId, zone.id);
  for (const index of [state.index.podsByZone, state.index.storagePoolsByZone, state.index.imageStoresByZone, state.index.physicalNetworksByZone, state.index.vlanIpRangesByZone, state.index.vpcsByZone]) {
    assert((index.get(zone.id) ?? []).length === 0, `zone ${zone.name} is deleted with records still in it`);
    index.delete(zone.id);
  }
  state.pools.publicByZone.delete(zone.id);
  state.capacity.topologyVersion++;
}

function removePod(state: CloudState, podId: Id): void {
  const pod = state.pods.get(podId);
  if (!pod) return;
  state.pods.delete(pod.id);
  dropFromIndex(state.index.podsByZone, pod.zoneId, pod.id);
  state.index.clustersByPod.delete(pod.id);
  // The pod's storage network ranges go with it, as its reserved ranges do.
  for (const rangeId of state.index.storageRangesByPod.get(pod.id) ?? []) state.storageNetworkIpRanges.delete(rangeId);
  state.index.storageRangesByPod.delete(pod.id);
  state.pools.reservedByPod.delete(pod.id);
  state.pools.linkLocalByPod.delete(pod.id);
  state.pools.storageByPod.delete(pod.id);
  state.pools.basicGuestByPod.delete(pod.id);
  state.capacity.topologyVersion++;
}

/** An image store, and the template copies it held (only a zone's deletion takes a store that has some). */
function removeImageStore(state: CloudState, storeId: Id): void {
  const store = state.imageStores.get(storeId);
  if (!store) return;
  state.imageStores.delete(store.id);
  if (store.zoneId !== undefined) dropFromIndex(state.index.imageStoresByZone, store.zoneId, store.id);
  state.index.imageStoreUsedGiB.delete(store.id);
  for (const template of state.templates.values()) {
    const at = template.imageStoreIds.indexOf(store.id);
    if (at < 0) continue;
    template.imageStoreIds = template.imageStoreIds.filter((_, i) => i !== at);
    template.zoneIds = template.zoneIds.filter((_, i) => i !== at);
  }
}

/** Which pool a range feeds, as indexVlanIpRange in evolve.ts decides it. */
function poolOfRange(state: CloudState, range: VlanIpRange): { pools: Map<Id, IdPool>; key: Id | undefined; feeds: (other: VlanIpRange) => boolean } {
  if (range.purpose === 'Public') return { pools: state.pools.publicByZone, key: range.zoneId, feeds: (o) => o.purpose === 'Public' && o.zoneId === range.zoneId };
  if (range.podId !== undefined) return { pools: state.pools.basicGuestByPod, key: range.podId, feeds: (o) => o.purpose !== 'Public' && o.podId === range.podId };
  return { pools: state.pools.guestByNetwork, key: range.networkId, feeds: (o) => o.purpose !== 'Public' && o.podId === undefined && o.networkId === range.networkId };
}

/** A range, and the pool it fed rebuilt from the remaining ranges in creation order. */
function removeVlanIpRange(state: CloudState, rangeId: Id): void {
  const range = state.vlanIpRanges.get(rangeId);
  if (!range) return;
  state.vlanIpRanges.delete(range.id);
  dropFromIndex(state.index.vlanIpRangesByZone, range.zoneId, range.id);
  const { pools, key, feeds } = poolOfRange(state, range);
  if (key === undefined) return;
  const before = pools.get(key);
  pools.delete(key);
  for (const other of state.vlanIpRanges.values()) if (feeds(other)) addRangeToPool(pools, key, other, other.gateway);
  const after = pools.get(key);
  for (const ip of before?.allocatedValues() ?? []) {
    const taken = after?.allocate(ip) ?? false;
    assert(taken, `address ${ip} is in use outside the remaining ranges`);
  }
}

type HostArray = Float64Array | Int32Array | Uint8Array;

/** Takes a host without holds out of the capacity index; the hosts after it move down one ordinal. */
export function removeHostFromCapacity(capacity: CapacityIndex, hostId: Id): void {
  const h = capacity.hostOrdinal.get(hostId);
  if (h === undefined) return;
  capacity.setActive(h, false);
  const count = capacity.hostCount;
  const arrays: HostArray[] = [
    capacity.hostCluster, capacity.hostCpuTotalMhz, capacity.hostMemoryTotalMiB, capacity.hostCpuUsedMhz, capacity.hostMemoryUsedMiB,
    capacity.hostCpuReservedMhz, capacity.hostMemoryReservedMiB, capacity.hostGuests, capacity.hostActive,
  ];
  for (const array of arrays) {
    array.copyWithin(h, h + 1, count);
    array[count - 1] = 0;
  }
  capacity.hostIds.splice(h, 1);
  capacity.hostOrdinal.delete(hostId);
  for (let k = h; k < capacity.hostIds.length; k++) capacity.hostOrdinal.set(capacity.hostIds[k]!, k);
  capacity.hostCount = count - 1;
  for (const hosts of capacity.clusterHosts) {
    const kept = hosts.filter((x) => x !== h).map((x) => (x > h ? x - 1 : x));
    hosts.length = 0;
    hosts.push(...kept);
  }
  for (const [vmId, hold] of capacity.holds) assert(hold.host !== h, `host ${hostId} leaves the capacity index while VM ${vmId} holds it`);
  capacity.holds.shiftHostsAbove(h);
  const strict = [...capacity.strictHosts];
  capacity.strictHosts.clear();
  for (const [host, entry] of strict) capacity.strictHosts.set(host > h ? host - 1 : host, entry);
  capacity.topologyVersion++;
}

/** Takes a cluster without hosts out of the capacity index; the clusters after it move down one ordinal. */
export function removeClusterFromCapacity(capacity: CapacityIndex, clusterId: Id): void {
  const k = capacity.clusterOrdinal.get(clusterId);
  if (k === undefined) return;
  assert(capacity.clusterHosts[k]!.length === 0, `cluster ${clusterId} leaves the capacity index with hosts`);
  const count = capacity.clusterCount;
  const arrays: Float64Array[] = [
    capacity.clusterCpuRatio, capacity.clusterMemoryRatio, capacity.clusterCpuTotalMhz, capacity.clusterMemoryTotalMiB,
    capacity.clusterCpuAllocatedMhz, capacity.clusterMemoryAllocatedMiB, capacity.clusterStamp,
  ];
  for (const array of arrays) {
    array.copyWithin(k, k + 1, count);
    array[count - 1] = 0;
  }
  capacity.clusterIds.splice(k, 1);
  capacity.clusterHosts.splice(k, 1);
  capacity.clusterOrdinal.delete(clusterId);
  for (let c = k; c < capacity.clusterIds.length; c++) capacity.clusterOrdinal.set(capacity.clusterIds[c]!, c);
  capacity.clusterCount = count - 1;
  for (let h = 0; h < capacity.hostCount; h++) if (capacity.hostCluster[h]! > k) capacity.hostCluster[h]! -= 1;
  // Ordered views of clusters are rebuilt when the topology changes; their change log no longer applies.
  capacity.version++;
  capacity.topologyVersion++;
}
