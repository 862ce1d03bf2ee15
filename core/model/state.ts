import { defaultSettings } from '../data/settings.js';
import type {
  Account,
  Bucket,
  Cluster,
  DiskOffering,
  Domain,
  Host,
  Id,
  ImageStore,
  ManagementPlane,
  ManagementServer,
  Network,
  ObjectStore,
  PhysicalNetwork,
  Pod,
  Region,
  ServiceOffering,
  StorageNetworkIpRange,
  StoragePool,
  VlanIpRange,
  Vpc,
  Zone,
} from './entities.js';

/**
 * The whole cloud, as the fold of `evolve` over the event log. Records live in maps keyed by id
 * (insertion order = creation order, which is deterministic); `index` holds derived lookups that
 * evolve keeps current so that rules and sizing never scan the whole cloud to find children.
 */
export interface CloudState {
  /** Salt of the deterministic id generator (see ids.ts). */
  idNamespace: number;
  /** Next id sequence number. */
  idSeq: number;
  settings: Record<string, number | boolean | string>;
  regions: Map<Id, Region>;
  zones: Map<Id, Zone>;
  pods: Map<Id, Pod>;
  clusters: Map<Id, Cluster>;
  hosts: Map<Id, Host>;
  storagePools: Map<Id, StoragePool>;
  imageStores: Map<Id, ImageStore>;
  objectStores: Map<Id, ObjectStore>;
  buckets: Map<Id, Bucket>;
  physicalNetworks: Map<Id, PhysicalNetwork>;
  vlanIpRanges: Map<Id, VlanIpRange>;
  storageNetworkIpRanges: Map<Id, StorageNetworkIpRange>;
  domains: Map<Id, Domain>;
  accounts: Map<Id, Account>;
  serviceOfferings: Map<Id, ServiceOffering>;
  diskOfferings: Map<Id, DiskOffering>;
  networks: Map<Id, Network>;
  vpcs: Map<Id, Vpc>;
  managementServers: Map<Id, ManagementServer>;
  managementPlane: ManagementPlane;
  index: StateIndex;
}

export interface StateIndex {
  zonesByRegion: Map<Id, Id[]>;
  podsByZone: Map<Id, Id[]>;
  clustersByPod: Map<Id, Id[]>;
  hostsByCluster: Map<Id, Id[]>;
  storagePoolsByZone: Map<Id, Id[]>;
  imageStoresByZone: Map<Id, Id[]>;
  physicalNetworksByZone: Map<Id, Id[]>;
  vlanIpRangesByZone: Map<Id, Id[]>;
  storageRangesByPod: Map<Id, Id[]>;
  networksByZone: Map<Id, Id[]>;
  networksByVpc: Map<Id, Id[]>;
  vpcsByZone: Map<Id, Id[]>;
  /** Hosts and management servers by management IP, cloud-wide, for uniqueness checks. */
  hostsByIp: Map<number, Id[]>;
  accountsByDomain: Map<Id, Id[]>;
}

export const ROOT_DOMAIN_ID = 'ROOT';
export const DEFAULT_REGION_ID = 'region-1';

export function emptyState(idNamespace = 0): CloudState {
  const state: CloudState = {
    idNamespace,
    idSeq: 1,
    settings: defaultSettings(),
    regions: new Map(),
    zones: new Map(),
    pods: new Map(),
    clusters: new Map(),
    hosts: new Map(),
    storagePools: new Map(),
    imageStores: new Map(),
    objectStores: new Map(),
    buckets: new Map(),
    physicalNetworks: new Map(),
    vlanIpRanges: new Map(),
    storageNetworkIpRanges: new Map(),
    domains: new Map(),
    accounts: new Map(),
    serviceOfferings: new Map(),
    diskOfferings: new Map(),
    networks: new Map(),
    vpcs: new Map(),
    managementServers: new Map(),
    managementPlane: { databaseEngine: 'mysql', databaseNodes: 1, databaseReplication: 'none' },
    index: {
      zonesByRegion: new Map(),
      podsByZone: new Map(),
      clustersByPod: new Map(),
      hostsByCluster: new Map(),
      storagePoolsByZone: new Map(),
      imageStoresByZone: new Map(),
      physicalNetworksByZone: new Map(),
      vlanIpRangesByZone: new Map(),
      storageRangesByPod: new Map(),
      networksByZone: new Map(),
      networksByVpc: new Map(),
      vpcsByZone: new Map(),
      hostsByIp: new Map(),
      accountsByDomain: new Map(),
    },
  };
  // CloudStack always has region 1 and the ROOT domain; a fresh cloud starts with both.
  state.regions.set(DEFAULT_REGION_ID, { id: DEFAULT_REGION_ID, name: 'Local' });
  state.domains.set(ROOT_DOMAIN_ID, { id: ROOT_DOMAIN_ID, name: 'ROOT', path: 'ROOT' });
  return state;
}

const NONE: readonly Id[] = [];

/** Children of a parent in one of the indexes, resolved to records, in creation order. */
export function childrenOf<T>(index: Map<Id, Id[]>, parentId: Id, records: Map<Id, T>): T[] {
  const ids = index.get(parentId) ?? NONE;
  const out: T[] = [];
  for (const id of ids) {
    const record = records.get(id);
    if (record !== undefined) out.push(record);
  }
  return out;
}

export function podsOf(state: CloudState, zoneId: Id): Pod[] {
  return childrenOf(state.index.podsByZone, zoneId, state.pods);
}

export function clustersOf(state: CloudState, podId: Id): Cluster[] {
  return childrenOf(state.index.clustersByPod, podId, state.clusters);
}

export function hostsOf(state: CloudState, clusterId: Id): Host[] {
  return childrenOf(state.index.hostsByCluster, clusterId, state.hosts);
}

export function clustersOfZone(state: CloudState, zoneId: Id): Cluster[] {
  return podsOf(state, zoneId).flatMap((pod) => clustersOf(state, pod.id));
}

export function hostsOfPod(state: CloudState, podId: Id): Host[] {
  return clustersOf(state, podId).flatMap((cluster) => hostsOf(state, cluster.id));
}

export function physicalNetworksOf(state: CloudState, zoneId: Id): PhysicalNetwork[] {
  return childrenOf(state.index.physicalNetworksByZone, zoneId, state.physicalNetworks);
}

export function vlanIpRangesOf(state: CloudState, zoneId: Id): VlanIpRange[] {
  return childrenOf(state.index.vlanIpRangesByZone, zoneId, state.vlanIpRanges);
}

export function storagePoolsOf(state: CloudState, zoneId: Id): StoragePool[] {
  return childrenOf(state.index.storagePoolsByZone, zoneId, state.storagePools);
}

export function imageStoresOf(state: CloudState, zoneId: Id): ImageStore[] {
  return childrenOf(state.index.imageStoresByZone, zoneId, state.imageStores);
}

export function storageRangesOf(state: CloudState, podId: Id): StorageNetworkIpRange[] {
  return childrenOf(state.index.storageRangesByPod, podId, state.storageNetworkIpRanges);
}

export function networksOf(state: CloudState, zoneId: Id): Network[] {
  return childrenOf(state.index.networksByZone, zoneId, state.networks);
}

export function vpcsOf(state: CloudState, zoneId: Id): Vpc[] {
  return childrenOf(state.index.vpcsByZone, zoneId, state.vpcs);
}

export function zonesOf(state: CloudState, regionId: Id): Zone[] {
  return childrenOf(state.index.zonesByRegion, regionId, state.zones);
}

export function pushIndex(index: Map<Id, Id[]>, key: Id, id: Id): void;
export function pushIndex(index: Map<number, Id[]>, key: number, id: Id): void;
export function pushIndex(index: Map<Id | number, Id[]>, key: Id | number, id: Id): void {
  const list = index.get(key);
  if (list) list.push(id);
  else index.set(key, [id]);
}

/** A setting's value, with its type checked against what the caller expects. */
export function settingNumber(state: CloudState, name: string): number {
  const value = state.settings[name];
  return typeof value === 'number' ? value : Number(value);
}

export function settingBoolean(state: CloudState, name: string): boolean {
  return state.settings[name] === true;
}

export function settingString(state: CloudState, name: string): string {
  return String(state.settings[name] ?? '');
}
