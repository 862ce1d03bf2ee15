import type { Cluster, Host, Network, PhysicalNetwork, Pod, StoragePool, Vpc, Zone } from './model/entities.js';
import type { CloudState } from './model/state.js';

/**
 * Readable paths of entities, built from names: `zones/dc1/pods/rack-2/clusters/c1`. They are
 * stable across builds and independent of the order entities were declared in.
 */

/** A name as a path segment: a slash would read as a separator, so it is escaped. */
export function segment(name: string): string {
  return name.replaceAll('%', '%25').replaceAll('/', '%2F');
}

const unknown = (id: string): string => `?${id}`;

export function zonePath(zone: Pick<Zone, 'name'>): string {
  return `zones/${segment(zone.name)}`;
}

export function zonePathById(state: CloudState, zoneId: string): string {
  const zone = state.zones.get(zoneId);
  return zone ? zonePath(zone) : `zones/${unknown(zoneId)}`;
}

export function podPath(state: CloudState, pod: Pick<Pod, 'name' | 'zoneId'>): string {
  return `${zonePathById(state, pod.zoneId)}/pods/${segment(pod.name)}`;
}

export function podPathById(state: CloudState, podId: string): string {
  const pod = state.pods.get(podId);
  return pod ? podPath(state, pod) : `pods/${unknown(podId)}`;
}

export function clusterPath(state: CloudState, cluster: Pick<Cluster, 'name' | 'podId'>): string {
  return `${podPathById(state, cluster.podId)}/clusters/${segment(cluster.name)}`;
}

export function clusterPathById(state: CloudState, clusterId: string): string {
  const cluster = state.clusters.get(clusterId);
  return cluster ? clusterPath(state, cluster) : `clusters/${unknown(clusterId)}`;
}

export function hostPath(state: CloudState, host: Pick<Host, 'name' | 'clusterId'>): string {
  return `${clusterPathById(state, host.clusterId)}/hosts/${segment(host.name)}`;
}

export function physicalNetworkPath(state: CloudState, network: Pick<PhysicalNetwork, 'name' | 'zoneId'>): string {
  return `${zonePathById(state, network.zoneId)}/physicalNetworks/${segment(network.name)}`;
}

export function storagePoolPath(state: CloudState, pool: Pick<StoragePool, 'name' | 'zoneId' | 'clusterId' | 'hostId'>): string {
  if (pool.hostId !== undefined) {
    const host = state.hosts.get(pool.hostId);
    if (host) return `${hostPath(state, host)}/primaryStorage/${segment(pool.name)}`;
  }
  if (pool.clusterId !== undefined) return `${clusterPathById(state, pool.clusterId)}/primaryStorage/${segment(pool.name)}`;
  return `${zonePathById(state, pool.zoneId)}/primaryStorage/${segment(pool.name)}`;
}

export function networkPath(state: CloudState, network: Pick<Network, 'name' | 'zoneId' | 'vpcId'>): string {
  if (network.vpcId !== undefined) {
    const vpc = state.vpcs.get(network.vpcId);
    if (vpc) return `${vpcPath(state, vpc)}/tiers/${segment(network.name)}`;
  }
  return `${zonePathById(state, network.zoneId)}/networks/${segment(network.name)}`;
}

export function vpcPath(state: CloudState, vpc: Pick<Vpc, 'name' | 'zoneId'>): string {
  return `${zonePathById(state, vpc.zoneId)}/vpcs/${segment(vpc.name)}`;
}
