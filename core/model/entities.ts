import type { Architecture, Hypervisor } from '../data/hypervisors.js';
import type { ImageStoreProvider, StorageProtocol } from '../data/storage.js';
import type { Cidr, Ipv4 } from '../net/ipv4.js';
import type { Interval } from '../net/pool.js';

/**
 * The records the core keeps, one interface per CloudStack concept. Addresses are uint32 and
 * sizes carry their unit in the name. Records reference their parents by id; the indexes in
 * state.ts answer "children of" without scanning.
 */

export type Id = string;
export type AllocationState = 'Enabled' | 'Disabled';

/** Explicit dedication of a zone, pod, cluster or host to a domain, or to one account in it. */
export interface Dedication {
  domainId: Id;
  accountId?: Id;
}

export interface Region {
  id: Id;
  name: string;
}

export type NetworkType = 'Basic' | 'Advanced';
export type ZoneType = 'Core' | 'Edge';

export interface Zone {
  id: Id;
  name: string;
  regionId: Id;
  networkType: NetworkType;
  zoneType: ZoneType;
  securityGroupsEnabled: boolean;
  /** Basic zone served by a NetScaler with Elastic IP / Elastic LB: public ranges are allowed. */
  elasticIp: boolean;
  /** Default CIDR of isolated networks (advanced zones without security groups). */
  guestCidr?: Cidr;
  /** IPv6 prefix every dual-stack isolated network or VPC tier takes a /64 from. */
  ip6GuestPrefix?: string;
  dns: string[];
  internalDns: string[];
  networkDomain?: string;
  localStorageEnabled: boolean;
  allocationState: AllocationState;
  dedication?: Dedication;
  /** The one VMware datacenter this zone is bound to (addVmwareDc). */
  vmwareDatacenter?: string;
}

export interface ManagementIpRange {
  first: Ipv4;
  last: Ipv4;
  forSystemVms: boolean;
  vlan?: number;
}

export interface Pod {
  id: Id;
  name: string;
  zoneId: Id;
  gateway: Ipv4;
  cidr: Cidr;
  /** The reserved system ranges; the first is the one given at creation. */
  managementRanges: ManagementIpRange[];
  allocationState: AllocationState;
  dedication?: Dedication;
}

export type ClusterType = 'CloudManaged' | 'ExternalManaged';

export interface Cluster {
  id: Id;
  name: string;
  zoneId: Id;
  podId: Id;
  hypervisor: Hypervisor;
  hypervisorVersion?: string;
  arch: Architecture;
  clusterType: ClusterType;
  vmwareDatacenter?: string;
  cpuOvercommitRatio: number;
  memoryOvercommitRatio: number;
  /** Per-cluster overrides of the allocated-capacity disable thresholds. */
  cpuDisableThreshold?: number;
  memoryDisableThreshold?: number;
  allocationState: AllocationState;
  dedication?: Dedication;
}

export type HostResourceState = 'Enabled' | 'Disabled' | 'PrepareForMaintenance' | 'Maintenance' | 'ErrorInMaintenance';
export type HostStatus = 'Up' | 'Down' | 'Disconnected' | 'Alert' | 'Connecting';

export interface Host {
  id: Id;
  name: string;
  zoneId: Id;
  podId: Id;
  clusterId: Id;
  ip: Ipv4;
  hypervisor: Hypervisor;
  arch: Architecture;
  cpuSockets: number;
  cpuCores: number;
  /** Clock speed of one core. */
  cpuMhz: number;
  memoryMiB: number;
  localStorageGiB: number;
  tags: string[];
  resourceState: HostResourceState;
  status: HostStatus;
  dedication?: Dedication;
}

export type StoragePoolScope = 'HOST' | 'CLUSTER' | 'ZONE';
export type StoragePoolState = 'Up' | 'Down' | 'Maintenance' | 'Disabled';

export interface StoragePool {
  id: Id;
  name: string;
  zoneId: Id;
  podId?: Id;
  clusterId?: Id;
  hostId?: Id;
  scope: StoragePoolScope;
  protocol: StorageProtocol;
  /** For zone-wide pools: the hypervisor whose hosts attach it. */
  hypervisor?: Hypervisor;
  url: string;
  capacityGiB: number;
  tags: string[];
  /** An explicit per-pool storage.overprovisioning.factor; undefined uses the setting. */
  overprovisioningFactor?: number;
  /** Number of independent paths to the storage (iSCSI/FC multipath). */
  paths: number;
  state: StoragePoolState;
  /**
   * Templates copied to the pool by the root disks placed on it (CloudStack's template_spool_ref).
   * A copy stays, and counts as allocated space, after the disks that brought it are gone, so it
   * is a fact of its own: the pool's allocation cannot be told from its volumes alone.
   */
  templateIds?: Id[];
}

export type ImageStoreRole = 'Image' | 'ImageCache';

export interface ImageStore {
  id: Id;
  name: string;
  provider: ImageStoreProvider;
  /** Image: secondary storage; ImageCache: the NFS staging store of an object-backed region. */
  role: ImageStoreRole;
  /** Undefined for region-wide (S3, Swift) stores. */
  zoneId?: Id;
  regionId: Id;
  url: string;
  capacityGiB: number;
  readOnly: boolean;
}

export interface ObjectStore {
  id: Id;
  name: string;
  provider: string;
  url: string;
  capacityGiB: number;
}

export interface Bucket {
  id: Id;
  name: string;
  objectStoreId: Id;
  accountId: Id;
  quotaGiB: number;
}

export const ISOLATION_METHODS = ['VLAN', 'VXLAN', 'GRE', 'STT', 'BCF_SEGMENT', 'SSP', 'ODL', 'L3VPN', 'VCS'] as const;
export type IsolationMethod = (typeof ISOLATION_METHODS)[number];

/**
 * Control is the implicit link-local network of system VMs on KVM, XenServer and LXC; CloudStack
 * accepts it as a traffic type (to label its bridge) though the wizard never asks for it.
 */
export const TRAFFIC_TYPES = ['Guest', 'Public', 'Management', 'Storage', 'Control'] as const;
export type TrafficType = (typeof TRAFFIC_TYPES)[number];

export interface TrafficLabels {
  kvm?: string;
  xen?: string;
  vmware?: string;
  hyperv?: string;
}

export interface PhysicalNetworkTraffic {
  type: TrafficType;
  labels: TrafficLabels;
  /** A VLAN carried by the label (VMware management), when given. */
  vlan?: number;
}

export interface PhysicalNetwork {
  id: Id;
  name: string;
  zoneId: Id;
  isolationMethod: IsolationMethod;
  /** Guest VNET ranges (VLAN ids, VNIs or GRE keys), as given; may be empty. */
  vnetRanges: Interval[];
  tags: string[];
  traffic: PhysicalNetworkTraffic[];
  /** Host NICs behind the bridge, and how they are bonded (documentation of the design). */
  nics: string[];
  bonding?: string;
  state: 'Enabled' | 'Disabled';
}

/** A VLAN id, or the native (untagged) VLAN. */
export type VlanTag = number | 'untagged';

export type IpRangePurpose = 'Public' | 'Guest';

export interface VlanIpRange {
  id: Id;
  zoneId: Id;
  physicalNetworkId?: Id;
  /** Basic zones: the pod whose guest range this is. */
  podId?: Id;
  /** Shared networks: the network this range serves. */
  networkId?: Id;
  purpose: IpRangePurpose;
  vlan: VlanTag;
  gateway: Ipv4;
  cidr: Cidr;
  first: Ipv4;
  last: Ipv4;
  forSystemVms: boolean;
  ip6Gateway?: string;
  ip6Cidr?: string;
  dedication?: Dedication;
}

export interface StorageNetworkIpRange {
  id: Id;
  zoneId: Id;
  podId: Id;
  gateway?: Ipv4;
  cidr: Cidr;
  first: Ipv4;
  last: Ipv4;
  vlan?: number;
}

export interface Domain {
  id: Id;
  name: string;
  parentId?: Id;
  /** ROOT/child/grandchild, as CloudStack shows it. */
  path: string;
  networkDomain?: string;
}

export type AccountType = 'User' | 'Admin' | 'DomainAdmin' | 'ResourceAdmin';

export interface Account {
  id: Id;
  name: string;
  domainId: Id;
  accountType: AccountType;
  /** Absent on records made before accounts had a state: enabled. */
  state?: 'enabled' | 'disabled' | 'locked';
  /** Absent: the default role of the account type (see identity.ts). */
  roleId?: Id;
  networkDomain?: string;
}

export type StorageType = 'shared' | 'local';

export interface ServiceOffering {
  id: Id;
  name: string;
  cpuNumber: number;
  cpuSpeedMhz: number;
  memoryMiB: number;
  /** Root disk size when the offering fixes it; otherwise the template's size. */
  rootDiskGiB?: number;
  storageType: StorageType;
  offerHa: boolean;
  hostTags: string[];
  storageTags: string[];
  networkRateMbps?: number;
  limitCpuUse: boolean;
  deploymentPlanner?: string;
  /** Set for system offerings: which system VM they size. */
  systemVmType?: 'domainrouter' | 'consoleproxy' | 'secondarystoragevm';
  /** What users read about it; the name when absent. */
  displayText?: string;
  /** Inactive once deleted: no new VM takes it, the VMs that have it keep it (absent: Active). */
  state?: OfferingLifecycle;
}

export type OfferingLifecycle = 'Active' | 'Inactive';

export interface DiskOffering {
  id: Id;
  name: string;
  sizeGiB?: number;
  customized: boolean;
  storageType: StorageType;
  storageTags: string[];
  /** What users read about it; the name when absent. */
  displayText?: string;
  /** Inactive once deleted: no new volume takes it, the volumes that have it keep it (absent: Active). */
  state?: OfferingLifecycle;
}

export type GuestType = 'Isolated' | 'Shared' | 'L2';
export type NetworkState = 'Allocated' | 'Setup' | 'Implementing' | 'Implemented' | 'Shutdown' | 'Destroy';

export interface Network {
  id: Id;
  name: string;
  zoneId: Id;
  physicalNetworkId?: Id;
  guestType: GuestType;
  vpcId?: Id;
  accountId?: Id;
  domainId?: Id;
  cidr?: Cidr;
  gateway?: Ipv4;
  vlan?: VlanTag;
  /** The VLAN came from the physical network's pool (and goes back to it at shutdown). */
  vlanFromPool?: boolean;
  redundantRouter: boolean;
  persistent: boolean;
  /** Offering services, by CloudStack service name. */
  services: string[];
  networkDomain?: string;
  ip6Cidr?: string;
  state: NetworkState;
  /** The offering it was created from; absent: the default offering of its kind (networkOfferingIdOf). */
  networkOfferingId?: Id;
  /** What the API shows as its display text; the name when absent. */
  displayText?: string;
}

export interface Vpc {
  id: Id;
  name: string;
  zoneId: Id;
  accountId?: Id;
  cidr: Cidr;
  redundantRouter: boolean;
  networkDomain?: string;
  /** The offering it was created from; absent: the default one (vpcOfferingIdOf). */
  vpcOfferingId?: Id;
  displayText?: string;
}

/** A management server node of the management-server cluster. */
export interface ManagementServer {
  id: Id;
  name: string;
  ip: Ipv4;
  /** When the management server runs on a hypervisor host (the smallest deployment). */
  hostId?: Id;
}

export type DatabaseReplication = 'none' | 'primary-replica' | 'two-way';

export interface ManagementPlane {
  loadBalancerVip?: Ipv4;
  databaseEngine: 'mysql' | 'mariadb';
  databaseNodes: number;
  databaseReplication: DatabaseReplication;
}
