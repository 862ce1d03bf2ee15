import type { Architecture, Hypervisor } from '../data/hypervisors.js';
import type { ConfigurationScope } from './configuration.js';
import type { IdentityCommand, NewUser } from './identity-commands.js';
import type { InfrastructureCommand } from './infrastructure-commands.js';
import type { LifecycleCommand } from './lifecycle-commands.js';
import type { TenantCommand } from './tenant-commands.js';
import type { NetworkCommand } from './network-commands.js';
import type { ImageStoreProvider, StorageProtocol } from '../data/storage.js';
import type {
  AccountType,
  AllocationState,
  ClusterType,
  DatabaseReplication,
  GuestType,
  Id,
  ImageStoreRole,
  IsolationMethod,
  NetworkType,
  StoragePoolScope,
  StorageType,
  TrafficLabels,
  TrafficType,
  ZoneType,
} from './entities.js';

/**
 * Commands mirror CloudStack API verbs. Addresses arrive as text, as they do over the API, and
 * decide parses and checks them; enumerations arrive already narrowed (the API layer and the
 * scenario parser refuse unknown values before a command is built). Optional fields take
 * CloudStack's defaults.
 */

export interface CreateRegion {
  type: 'createRegion';
  name: string;
}

export interface CreateZone {
  type: 'createZone';
  name: string;
  regionId?: Id;
  networkType: NetworkType;
  zoneType?: ZoneType;
  securityGroupsEnabled?: boolean;
  elasticIp?: boolean;
  guestCidr?: string;
  ip6GuestPrefix?: string;
  dns?: string[];
  internalDns?: string[];
  networkDomain?: string;
  localStorageEnabled?: boolean;
  allocationState?: AllocationState;
  vmwareDatacenter?: string;
}

export interface CreatePod {
  type: 'createPod';
  zoneId: Id;
  name: string;
  gateway: string;
  netmask: string;
  startIp: string;
  endIp?: string;
  allocationState?: AllocationState;
}

export interface CreateManagementNetworkIpRange {
  type: 'createManagementNetworkIpRange';
  podId: Id;
  gateway?: string;
  netmask?: string;
  startIp: string;
  endIp?: string;
  forSystemVms?: boolean;
  vlan?: number;
}

export interface AddCluster {
  type: 'addCluster';
  podId: Id;
  name: string;
  hypervisor: Hypervisor;
  hypervisorVersion?: string;
  arch?: Architecture;
  clusterType?: ClusterType;
  vmwareDatacenter?: string;
  cpuOvercommitRatio?: number;
  memoryOvercommitRatio?: number;
  cpuDisableThreshold?: number;
  memoryDisableThreshold?: number;
  allocationState?: AllocationState;
}

export interface AddHost {
  type: 'addHost';
  clusterId: Id;
  name: string;
  ip: string;
  /** Defaults to the cluster's; a different value is a design error, reported not refused in plans. */
  hypervisor?: Hypervisor;
  arch?: Architecture;
  cpuSockets?: number;
  cpuCores: number;
  cpuMhz: number;
  memoryMiB: number;
  localStorageGiB?: number;
  tags?: string[];
}

export interface CreateStoragePool {
  type: 'createStoragePool';
  zoneId: Id;
  podId?: Id;
  clusterId?: Id;
  hostId?: Id;
  scope: StoragePoolScope;
  name: string;
  protocol: StorageProtocol;
  url?: string;
  capacityGiB: number;
  tags?: string[];
  hypervisor?: Hypervisor;
  overprovisioningFactor?: number;
  paths?: number;
}

export interface AddImageStore {
  type: 'addImageStore';
  name: string;
  provider: ImageStoreProvider;
  role?: ImageStoreRole;
  /** Required for NFS and SMB stores and for staging stores; absent for region-wide S3/Swift. */
  zoneId?: Id;
  regionId?: Id;
  url?: string;
  capacityGiB: number;
  readOnly?: boolean;
}

export interface AddObjectStoragePool {
  type: 'addObjectStoragePool';
  name: string;
  provider: string;
  url: string;
  capacityGiB: number;
}

export interface CreateBucket {
  type: 'createBucket';
  objectStoreId: Id;
  name: string;
  accountId: Id;
  quotaGiB: number;
}

export interface CreatePhysicalNetwork {
  type: 'createPhysicalNetwork';
  zoneId: Id;
  name: string;
  isolationMethod?: IsolationMethod;
  /** VNET ranges as CloudStack takes them: "500-599,700-710". */
  vlan?: string;
  tags?: string[];
  nics?: string[];
  bonding?: string;
}

export interface AddTrafficType {
  type: 'addTrafficType';
  physicalNetworkId: Id;
  trafficType: TrafficType;
  labels?: TrafficLabels;
  vlan?: number;
}

export interface CreateVlanIpRange {
  type: 'createVlanIpRange';
  zoneId: Id;
  physicalNetworkId?: Id;
  podId?: Id;
  networkId?: Id;
  /** true: a public range; false: a guest range of a shared network or a basic zone pod. */
  forVirtualNetwork: boolean;
  /** A VLAN id, or "untagged". */
  vlan?: number | 'untagged';
  gateway: string;
  netmask: string;
  startIp: string;
  endIp?: string;
  forSystemVms?: boolean;
  ip6Gateway?: string;
  ip6Cidr?: string;
  domainId?: Id;
  accountId?: Id;
}

export interface CreateStorageNetworkIpRange {
  type: 'createStorageNetworkIpRange';
  podId: Id;
  gateway?: string;
  netmask: string;
  startIp: string;
  endIp?: string;
  vlan?: number;
}

export interface CreateDomain {
  type: 'createDomain';
  name: string;
  parentId?: Id;
}

export interface CreateAccount {
  type: 'createAccount';
  name: string;
  domainId?: Id;
  accountType?: AccountType;
  /** The account's role; it fixes the account type. Defaults to the default role of the type. */
  roleId?: Id;
  /** The account's first user, created with it (CloudStack's createAccount always makes one). */
  user?: NewUser;
}

export interface CreateServiceOffering {
  type: 'createServiceOffering';
  name: string;
  cpuNumber: number;
  cpuSpeedMhz: number;
  memoryMiB: number;
  rootDiskGiB?: number;
  storageType?: StorageType;
  offerHa?: boolean;
  hostTags?: string[];
  storageTags?: string[];
  networkRateMbps?: number;
  limitCpuUse?: boolean;
  deploymentPlanner?: string;
  systemVmType?: 'domainrouter' | 'consoleproxy' | 'secondarystoragevm';
  displayText?: string;
}

export interface CreateDiskOffering {
  type: 'createDiskOffering';
  name: string;
  displayText?: string;
  sizeGiB?: number;
  customized?: boolean;
  storageType?: StorageType;
  storageTags?: string[];
}

export interface CreateNetwork {
  type: 'createNetwork';
  zoneId: Id;
  name: string;
  guestType: GuestType;
  physicalNetworkId?: Id;
  vpcId?: Id;
  accountId?: Id;
  domainId?: Id;
  gateway?: string;
  netmask?: string;
  startIp?: string;
  endIp?: string;
  vlan?: number | 'untagged';
  redundantRouter?: boolean;
  persistent?: boolean;
  /** Whether the offering has SourceNat (isolated networks); defaults to true. */
  sourceNat?: boolean;
  networkDomain?: string;
  bypassVlanOverlapCheck?: boolean;
  /** Shared networks: an IPv6 /64 beside the IPv4 range (IPv6-only networks do not exist). */
  ip6Gateway?: string;
  ip6Cidr?: string;
  /** The offering it is created from; it must be enabled and fit the guest type and the VPC. */
  networkOfferingId?: Id;
  displayText?: string;
}

export interface CreateVpc {
  type: 'createVPC';
  zoneId: Id;
  name: string;
  cidr: string;
  accountId?: Id;
  redundantRouter?: boolean;
  networkDomain?: string;
  vpcOfferingId?: Id;
  displayText?: string;
}

export interface DedicateResource {
  type: 'dedicateZone' | 'dedicatePod' | 'dedicateCluster' | 'dedicateHost';
  id: Id;
  domainId: Id;
  accountId?: Id;
}

export interface UpdateConfiguration {
  type: 'updateConfiguration';
  name: string;
  value: number | boolean | string;
  /** A value for one zone, cluster, storage pool, account or domain instead of the global one. */
  scope?: { kind: ConfigurationScope; id: Id };
}

export interface RegisterManagementServer {
  type: 'registerManagementServer';
  name: string;
  ip: string;
  hostId?: Id;
}

export interface ConfigureManagementPlane {
  type: 'configureManagementPlane';
  loadBalancerVip?: string;
  databaseEngine?: 'mysql' | 'mariadb';
  databaseNodes?: number;
  databaseReplication?: DatabaseReplication;
}

export type Command =
  | CreateRegion
  | CreateZone
  | CreatePod
  | CreateManagementNetworkIpRange
  | AddCluster
  | AddHost
  | CreateStoragePool
  | AddImageStore
  | AddObjectStoragePool
  | CreateBucket
  | CreatePhysicalNetwork
  | AddTrafficType
  | CreateVlanIpRange
  | CreateStorageNetworkIpRange
  | CreateDomain
  | CreateAccount
  | CreateServiceOffering
  | CreateDiskOffering
  | CreateNetwork
  | CreateVpc
  | DedicateResource
  | UpdateConfiguration
  | RegisterManagementServer
  | ConfigureManagementPlane
  | IdentityCommand
  | LifecycleCommand
  | TenantCommand
  | NetworkCommand
  | InfrastructureCommand;

export type CommandType = Command['type'];
