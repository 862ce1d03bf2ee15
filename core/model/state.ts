import type { AccountVms } from '../account-vms.js';
import { CapacityIndex } from '../capacity.js';
import { defaultSettings } from '../data/settings.js';
import type { IdPool } from '../net/pool.js';
import type { AffinityGroup, Snapshot, Template, Vm, VmState, Volume } from './compute.js';
import type { FirewallRule, LoadBalancerRule, PortForwardingRule, PublicIp, SecurityGroup } from './services.js';
import type { ScopedSettings } from './configuration.js';
import { defaultRoles, type Project, type ResourceLimits, type Role, type User } from './identity.js';
import type { PhysicalNetworkServices } from './infrastructure.js';
import { defaultNetworkOfferings, defaultVpcOfferings, type NetworkOffering, type ResourceTag, type SshKeyPair, type VpcOffering } from './tenant.js';
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
  /**
   * How many times a VM has come to a host, the counter behind `Vm.hostArrival`: a host lists its
   * VMs in the order they came, and that order must survive a snapshot (see restore.ts).
   */
  hostArrivals: number;
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
  /** Network service providers and traffic type ids of each physical network, by its id. */
  physicalNetworkServices: Map<Id, PhysicalNetworkServices>;
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
  vms: Map<Id, Vm>;
  volumes: Map<Id, Volume>;
  snapshots: Map<Id, Snapshot>;
  templates: Map<Id, Template>;
  affinityGroups: Map<Id, AffinityGroup>;
  publicIps: Map<Id, PublicIp>;
  portForwardingRules: Map<Id, PortForwardingRule>;
  firewallRules: Map<Id, FirewallRule>;
  loadBalancerRules: Map<Id, LoadBalancerRule>;
  securityGroups: Map<Id, SecurityGroup>;
  /** The default offerings, then those created, in creation order. */
  networkOfferings: Map<Id, NetworkOffering>;
  vpcOfferings: Map<Id, VpcOffering>;
  sshKeyPairs: Map<Id, SshKeyPair>;
  tags: Map<Id, ResourceTag>;
  users: Map<Id, User>;
  /** The four default roles, then custom roles in creation order. */
  roles: Map<Id, Role>;
  /** Limits set with updateResourceLimit, by account, domain or project id. */
  resourceLimits: Map<Id, ResourceLimits>;
  projects: Map<Id, Project>;
  /** Settings given per zone, cluster, pool, account or domain, by that entity's id. */
  scopedSettings: Map<Id, ScopedSettings>;
  /** Whether the management server answers: when it is down, running VMs run on but nothing changes. */
  managementUp: boolean;
  index: StateIndex;
  capacity: CapacityIndex;
  pools: AddressPools;
}

/**
 * The allocators of every address and VNET space, derived from the records (evolve keeps them in
 * step): what is free is exactly what no record holds.
 */
export interface AddressPools {
  publicByZone: Map<Id, IdPool>;
  guestByNetwork: Map<Id, IdPool>;
  reservedByPod: Map<Id, IdPool>;
  linkLocalByPod: Map<Id, IdPool>;
  storageByPod: Map<Id, IdPool>;
  basicGuestByPod: Map<Id, IdPool>;
  vnetByPhysicalNetwork: Map<Id, IdPool>;
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
  /** Networks owned by each account, every zone, deleted ones included (state Destroy). */
  networksByAccount: Map<Id, Id[]>;
  vpcsByZone: Map<Id, Id[]>;
  /** Hosts and management servers by management IP, cloud-wide, for uniqueness checks. */
  hostsByIp: Map<number, Id[]>;
  accountsByDomain: Map<Id, Id[]>;
  /**
   * VMs holding a host (running, starting, migrating), by host, in the order they came: the
   * records themselves. A list, not a set: a host holds a few dozen VMs at most, and ten thousand
   * small hash tables cost several times the memory of as many short arrays. Records, not ids:
   * finding one in the list compares pointers, where comparing id strings read each id's string.
   * Indexed by the host's ordinal in the capacity index (kept in step when a host is deleted):
   * evolve reads the ordinal off the VM's capacity hold, so moving a VM between hosts looks
   * nothing up by id. Read it through vmsOnHost.
   */
  vmsByHostOrdinal: (Vm[] | undefined)[];
  /** Live (not expunged) VMs of each account, in the order they were created (a list through the records). */
  vmsByAccount: Map<Id, AccountVms>;
  /** Storage pool allocation: volumes and template copies, in GiB. */
  poolAllocatedGiB: Map<Id, number>;
  poolTemplates: Map<Id, Set<Id>>;
  /** Secondary storage used by templates and snapshots, per image store, in GiB. */
  imageStoreUsedGiB: Map<Id, number>;
  /** Per account resource counts, by CloudStack resource type name. */
  accountUsage: Map<Id, AccountUsage>;
  /** Routers and system VMs by the network, VPC or zone they serve. */
  vmsByServes: Map<Id, Set<Id>>;
  /** The source NAT address of each isolated network or VPC. */
  sourceNatByOwner: Map<Id, Id>;
  /** The static NAT address of each VM that has one. */
  staticNatByVm: Map<Id, Id>;
  /**
   * Per network, how many user VMs have a NIC on it (`members`, destroyed ones until expunged
   * included) and how many of those are Starting, Running, Stopping or Migrating (`running`,
   * which network garbage collection asks). One entry holds both: a VM's life changes both, and
   * the counts change in place. A network with neither has no entry.
   */
  vmsByNetwork: Map<Id, NetworkVmCounts>;
  /** Port forwarding and load balancer rules that send traffic to each VM. */
  rulesByVm: Map<Id, Set<Id>>;
  /** How many user VMs, and how many system VMs and routers, are in each state (for sampling). */
  vmCountsByState: { user: Record<VmState, number>; system: Record<VmState, number> };
  /** Routers not destroyed or in error, per network or VPC they serve (a deploy asks on every call). */
  liveRoutersByServes: Map<Id, number>;
  /** Each account's security group named "default". */
  defaultSecurityGroupByAccount: Map<Id, Id>;
  /** The user each API key belongs to (rebuildIdentityIndex in evolve-identity.ts derives both from the records). */
  usersByApiKey: Map<string, Id>;
  /** Users of each account, in creation order. */
  usersByAccount: Map<Id, Id[]>;
  /** The tags of each resource, in creation order. */
  tagsByResource: Map<Id, Id[]>;
}

export interface NetworkVmCounts {
  members: number;
  running: number;
}

export interface AccountUsage {
  user_vm: number;
  volume: number;
  public_ip: number;
  network: number;
  vpc: number;
  cpu: number;
  memory: number;
  primary_storage: number;
  snapshot: number;
  template: number;
  /** GiB of templates and snapshots. */
  secondary_storage: number;
}

export const ROOT_DOMAIN_ID = 'ROOT';
export const DEFAULT_REGION_ID = 'region-1';

function zeroStateCounts(): Record<VmState, number> {
  return { Starting: 0, Running: 0, Stopping: 0, Stopped: 0, Migrating: 0, Destroyed: 0, Expunging: 0, Error: 0 };
}

export function emptyState(idNamespace = 0): CloudState {
  const state: CloudState = {
    idNamespace,
    idSeq: 1,
    hostArrivals: 0,
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
    physicalNetworkServices: new Map(),
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
    vms: new Map(),
    volumes: new Map(),
    snapshots: new Map(),
    templates: new Map(),
    affinityGroups: new Map(),
    publicIps: new Map(),
    portForwardingRules: new Map(),
    firewallRules: new Map(),
    loadBalancerRules: new Map(),
    securityGroups: new Map(),
    networkOfferings: new Map(defaultNetworkOfferings().map((offering) => [offering.id, offering])),
    vpcOfferings: new Map(defaultVpcOfferings().map((offering) => [offering.id, offering])),
    sshKeyPairs: new Map(),
    tags: new Map(),
    users: new Map(),
    roles: new Map(defaultRoles().map((role) => [role.id, role])),
    resourceLimits: new Map(),
    projects: new Map(),
    scopedSettings: new Map(),
    managementUp: true,
    capacity: new CapacityIndex(),
    pools: {
      publicByZone: new Map(),
      guestByNetwork: new Map(),
      reservedByPod: new Map(),
      linkLocalByPod: new Map(),
      storageByPod: new Map(),
      basicGuestByPod: new Map(),
      vnetByPhysicalNetwork: new Map(),
    },
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
      networksByAccount: new Map(),
      vpcsByZone: new Map(),
      hostsByIp: new Map(),
      accountsByDomain: new Map(),
      vmsByHostOrdinal: [],
      vmsByAccount: new Map(),
      poolAllocatedGiB: new Map(),
      poolTemplates: new Map(),
      imageStoreUsedGiB: new Map(),
      accountUsage: new Map(),
      vmsByServes: new Map(),
      sourceNatByOwner: new Map(),
      staticNatByVm: new Map(),
      rulesByVm: new Map(),
      defaultSecurityGroupByAccount: new Map(),
      liveRoutersByServes: new Map(),
      vmCountsByState: { user: zeroStateCounts(), system: zeroStateCounts() },
      vmsByNetwork: new Map(),
      usersByApiKey: new Map(),
      usersByAccount: new Map(),
      tagsByResource: new Map(),
    },
  };
  // CloudStack always has region 1 and the ROOT domain; a fresh cloud starts with both.
  state.regions.set(DEFAULT_REGION_ID, { id: DEFAULT_REGION_ID, name: 'Local' });
  state.domains.set(ROOT_DOMAIN_ID, { id: ROOT_DOMAIN_ID, name: 'ROOT', path: 'ROOT' });
  // The system account owns system VMs and the routers of shared networks.
  state.accounts.set('system', { id: 'system', name: 'system', domainId: ROOT_DOMAIN_ID, accountType: 'Admin' });
  return state;
}

const NONE: readonly Id[] = [];

/** The VMs holding a host (starting, running, stopping, migrating), in the order they came to it. */
export function vmsOnHost(state: CloudState, hostId: Id): readonly Vm[] {
  const ordinal = state.capacity.hostOrdinal.get(hostId);
  return (ordinal === undefined ? undefined : state.index.vmsByHostOrdinal[ordinal]) ?? NO_VMS;
}

const NO_VMS: readonly Vm[] = [];

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

export function emptyUsage(): AccountUsage {
  return { user_vm: 0, volume: 0, public_ip: 0, network: 0, vpc: 0, cpu: 0, memory: 0, primary_storage: 0, snapshot: 0, template: 0, secondary_storage: 0 };
}

export function usageOf(state: CloudState, accountId: Id): AccountUsage {
  let usage = state.index.accountUsage.get(accountId);
  if (!usage) {
    usage = emptyUsage();
    state.index.accountUsage.set(accountId, usage);
  }
  return usage;
}
