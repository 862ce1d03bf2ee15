import { assertNever } from './assert.js';
import type { DomainEvent } from './model/events.js';
import { type CloudState, pushIndex } from './model/state.js';

/**
 * Applies one event to the state, in place. This is the only function that mutates state, and it
 * makes no choices: everything it needs is in the event. Indexes are kept current here so readers
 * never scan.
 */
export function evolve(state: CloudState, event: DomainEvent): void {
  if ('idSeq' in event) state.idSeq = Math.max(state.idSeq, event.idSeq + 1);
  const index = state.index;
  switch (event.type) {
    case 'regionCreated':
      state.regions.set(event.region.id, event.region);
      return;
    case 'zoneCreated':
      state.zones.set(event.zone.id, event.zone);
      pushIndex(index.zonesByRegion, event.zone.regionId, event.zone.id);
      return;
    case 'podCreated':
      state.pods.set(event.pod.id, event.pod);
      pushIndex(index.podsByZone, event.pod.zoneId, event.pod.id);
      return;
    case 'podManagementRangeAdded':
      state.pods.get(event.podId)?.managementRanges.push(event.range);
      return;
    case 'clusterCreated':
      state.clusters.set(event.cluster.id, event.cluster);
      pushIndex(index.clustersByPod, event.cluster.podId, event.cluster.id);
      return;
    case 'hostAdded':
      state.hosts.set(event.host.id, event.host);
      pushIndex(index.hostsByCluster, event.host.clusterId, event.host.id);
      pushIndex(index.hostsByIp, event.host.ip, event.host.id);
      return;
    case 'storagePoolCreated':
      state.storagePools.set(event.storagePool.id, event.storagePool);
      pushIndex(index.storagePoolsByZone, event.storagePool.zoneId, event.storagePool.id);
      return;
    case 'imageStoreAdded':
      state.imageStores.set(event.imageStore.id, event.imageStore);
      if (event.imageStore.zoneId !== undefined) pushIndex(index.imageStoresByZone, event.imageStore.zoneId, event.imageStore.id);
      return;
    case 'objectStoreAdded':
      state.objectStores.set(event.objectStore.id, event.objectStore);
      return;
    case 'bucketCreated':
      state.buckets.set(event.bucket.id, event.bucket);
      return;
    case 'physicalNetworkCreated':
      state.physicalNetworks.set(event.physicalNetwork.id, event.physicalNetwork);
      pushIndex(index.physicalNetworksByZone, event.physicalNetwork.zoneId, event.physicalNetwork.id);
      return;
    case 'trafficTypeAdded':
      state.physicalNetworks.get(event.physicalNetworkId)?.traffic.push(event.traffic);
      return;
    case 'vlanIpRangeCreated':
      state.vlanIpRanges.set(event.vlanIpRange.id, event.vlanIpRange);
      pushIndex(index.vlanIpRangesByZone, event.vlanIpRange.zoneId, event.vlanIpRange.id);
      return;
    case 'storageNetworkIpRangeCreated':
      state.storageNetworkIpRanges.set(event.storageNetworkIpRange.id, event.storageNetworkIpRange);
      pushIndex(index.storageRangesByPod, event.storageNetworkIpRange.podId, event.storageNetworkIpRange.id);
      return;
    case 'domainCreated':
      state.domains.set(event.domain.id, event.domain);
      return;
    case 'accountCreated':
      state.accounts.set(event.account.id, event.account);
      pushIndex(index.accountsByDomain, event.account.domainId, event.account.id);
      return;
    case 'serviceOfferingCreated':
      state.serviceOfferings.set(event.serviceOffering.id, event.serviceOffering);
      return;
    case 'diskOfferingCreated':
      state.diskOfferings.set(event.diskOffering.id, event.diskOffering);
      return;
    case 'networkCreated':
      state.networks.set(event.network.id, event.network);
      pushIndex(index.networksByZone, event.network.zoneId, event.network.id);
      if (event.network.vpcId !== undefined) pushIndex(index.networksByVpc, event.network.vpcId, event.network.id);
      return;
    case 'vpcCreated':
      state.vpcs.set(event.vpc.id, event.vpc);
      pushIndex(index.vpcsByZone, event.vpc.zoneId, event.vpc.id);
      return;
    case 'resourceDedicated': {
      const records = { zone: state.zones, pod: state.pods, cluster: state.clusters, host: state.hosts }[event.resource];
      const record = records.get(event.id);
      if (record) record.dedication = event.dedication;
      return;
    }
    case 'configurationUpdated':
      state.settings[event.name] = event.value;
      return;
    case 'managementServerRegistered':
      state.managementServers.set(event.managementServer.id, event.managementServer);
      pushIndex(index.hostsByIp, event.managementServer.ip, event.managementServer.id);
      return;
    case 'managementPlaneConfigured':
      state.managementPlane = event.managementPlane;
      return;
    default:
      assertNever(event, 'event');
  }
}
