import type { Hypervisor } from '../data/hypervisors.js';
import type { AffinityType } from './compute.js';
import type { AllocationState, Id } from './entities.js';
import type { Protocol } from './services.js';

/**
 * Commands of the running cloud: VMs, volumes, templates, addresses and rules (CloudStack API
 * verbs), and the reports drivers and timers send back (`vmStarted`, `hostDown`, ...), which go
 * through decide like anything else.
 */

export interface RegisterTemplate {
  type: 'registerTemplate';
  name: string;
  accountId: Id;
  format: 'QCOW2' | 'VHD' | 'OVA' | 'RAW' | 'ISO';
  hypervisor?: Hypervisor;
  sizeGiB: number;
  /** Zones that get a copy; every zone when absent. */
  zoneIds?: Id[];
  isPublic?: boolean;
  displayText?: string;
  osTypeId?: Id;
  /** The volume it was made from (createTemplate). */
  sourceVolumeId?: Id;
  /** The snapshot it was made from (createTemplate). */
  sourceSnapshotId?: Id;
  isFeatured?: boolean;
}

export interface DeleteTemplate {
  type: 'deleteTemplate';
  id: Id;
  /** Delete it even though VMs were deployed from it. */
  forced?: boolean;
}

export interface CreateAffinityGroup {
  type: 'createAffinityGroup';
  name: string;
  affinityType: AffinityType;
  accountId: Id;
  description?: string;
}

export interface DeleteAffinityGroup {
  type: 'deleteAffinityGroup';
  id: Id;
}

export interface DeployVirtualMachine {
  type: 'deployVirtualMachine';
  zoneId: Id;
  accountId: Id;
  serviceOfferingId: Id;
  templateId?: Id;
  name?: string;
  /** Networks in NIC order, the first is the default. Advanced zones create the account's default isolated network when none is given. */
  networkIds?: Id[];
  diskOfferingId?: Id;
  /** Size of a data disk from a customized disk offering. */
  dataDiskSizeGiB?: number;
  rootDiskSizeGiB?: number;
  affinityGroupIds?: Id[];
  securityGroupIds?: Id[];
  hostId?: Id;
  /** Deploy stopped (allocate only) when false. */
  startVm?: boolean;
  /** A specific guest address on the default network. */
  ipAddress?: string;
  displayName?: string;
  /** An SSH key pair of the account, by name. */
  keyPairName?: string;
}

export interface VmCommand {
  type: 'startVirtualMachine' | 'stopVirtualMachine' | 'rebootVirtualMachine' | 'expungeVirtualMachine';
  id: Id;
  hostId?: Id;
  forced?: boolean;
}

export interface DestroyVirtualMachine {
  type: 'destroyVirtualMachine';
  id: Id;
  expunge?: boolean;
}

export interface MigrateVirtualMachine {
  type: 'migrateVirtualMachine';
  id: Id;
  hostId?: Id;
  /** A stopped VM's volumes move to this pool instead (cold storage migration). */
  storagePoolId?: Id;
}

export interface ScaleVirtualMachine {
  type: 'scaleVirtualMachine';
  id: Id;
  serviceOfferingId: Id;
}

export interface CreateVolume {
  type: 'createVolume';
  zoneId: Id;
  accountId: Id;
  name: string;
  /** The disk offering, or (with snapshotId) none: the volume takes the snapshot's size. */
  diskOfferingId?: Id;
  sizeGiB?: number;
  /** A volume restored from a snapshot of the account. */
  snapshotId?: Id;
}

export interface AttachVolume {
  type: 'attachVolume';
  id: Id;
  vmId: Id;
}

export interface VolumeCommand {
  type: 'detachVolume' | 'deleteVolume';
  id: Id;
}

export interface ResizeVolume {
  type: 'resizeVolume';
  id: Id;
  sizeGiB: number;
}

export interface CreateSnapshot {
  type: 'createSnapshot';
  volumeId: Id;
  name?: string;
}

export interface DeleteSnapshot {
  type: 'deleteSnapshot';
  id: Id;
}

export interface AssociateIpAddress {
  type: 'associateIpAddress';
  accountId: Id;
  zoneId?: Id;
  networkId?: Id;
  vpcId?: Id;
}

export interface DisassociateIpAddress {
  type: 'disassociateIpAddress';
  id: Id;
}

export interface EnableStaticNat {
  type: 'enableStaticNat';
  ipAddressId: Id;
  vmId: Id;
}

export interface DisableStaticNat {
  type: 'disableStaticNat';
  ipAddressId: Id;
}

export interface CreatePortForwardingRule {
  type: 'createPortForwardingRule';
  ipAddressId: Id;
  vmId: Id;
  protocol: 'tcp' | 'udp';
  publicPort: number;
  publicEndPort?: number;
  privatePort: number;
  privateEndPort?: number;
  cidrList?: string[];
}

export interface CreateFirewallRule {
  type: 'createFirewallRule';
  ipAddressId: Id;
  protocol: Protocol;
  startPort?: number;
  endPort?: number;
  icmpType?: number;
  icmpCode?: number;
  cidrList?: string[];
}

export interface CreateEgressFirewallRule {
  type: 'createEgressFirewallRule';
  networkId: Id;
  protocol: Protocol;
  startPort?: number;
  endPort?: number;
  cidrList?: string[];
}

export interface CreateLoadBalancerRule {
  type: 'createLoadBalancerRule';
  ipAddressId: Id;
  name: string;
  algorithm: 'roundrobin' | 'leastconn' | 'source';
  protocol?: 'tcp' | 'udp' | 'tcp-proxy';
  publicPort: number;
  privatePort: number;
}

export interface AssignToLoadBalancerRule {
  type: 'assignToLoadBalancerRule' | 'removeFromLoadBalancerRule';
  id: Id;
  vmIds: Id[];
}

export interface RuleDeletion {
  type: 'deletePortForwardingRule' | 'deleteFirewallRule' | 'deleteLoadBalancerRule' | 'revokeSecurityGroupRule';
  id: Id;
}

export interface CreateSecurityGroup {
  type: 'createSecurityGroup';
  name: string;
  accountId: Id;
}

export interface AuthorizeSecurityGroupRule {
  type: 'authorizeSecurityGroupIngress' | 'authorizeSecurityGroupEgress';
  securityGroupId: Id;
  protocol: Protocol;
  startPort?: number;
  endPort?: number;
  cidrList?: string[];
  /** Allow traffic from the members of this group instead of from CIDRs. */
  fromGroupId?: Id;
}

export interface DeleteSecurityGroup {
  type: 'deleteSecurityGroup';
  id: Id;
}

export interface DeleteNetwork {
  type: 'deleteNetwork';
  id: Id;
}

export interface DeleteVpc {
  type: 'deleteVPC';
  id: Id;
}

export interface UpdateAllocationState {
  type: 'updateZone' | 'updatePod' | 'updateCluster' | 'updateHost';
  id: Id;
  allocationState: AllocationState;
}

export interface HostMaintenance {
  type: 'prepareHostForMaintenance' | 'cancelHostMaintenance';
  id: Id;
}

export interface StorageMaintenance {
  type: 'enableStorageMaintenance' | 'cancelStorageMaintenance';
  id: Id;
}

/** The management server brings up a zone's secondary storage VM and console proxies. */
export interface EnsureSystemVms {
  type: 'ensureSystemVms';
  zoneId: Id;
}

// ----- reports from drivers and timers -----

export interface VmReport {
  type: 'vmStarted' | 'vmStopped';
  vmId: Id;
  hostId: Id;
}

/** An effect the driver could not carry out. */
export interface EffectFailed {
  type: 'effectFailed';
  effect: string;
  vmId?: Id;
  hostId?: Id;
  networkId?: Id;
  reason: string;
}

export interface HostReport {
  type: 'hostDown' | 'hostUp';
  hostId: Id;
}

export interface StoragePoolReport {
  type: 'storagePoolDown' | 'storagePoolUp';
  storagePoolId: Id;
}

export interface ManagementReport {
  type: 'managementServerDown' | 'managementServerUp';
}

/**
 * Timers: the end of a stopped VM's capacity window, expunge delays, network garbage collection,
 * and the scans of a zone (`id`) by its secondary storage VM and console proxy managers.
 */
export interface TimerCommand {
  type: 'releaseStoppedCapacity' | 'expungeDue' | 'networkGarbageCollection' | 'storageRecovered' | 'haRestartDue' | 'secondaryStorageVmScan' | 'consoleProxyScan';
  id: Id;
}

export type LifecycleCommand =
  | RegisterTemplate
  | DeleteTemplate
  | CreateAffinityGroup
  | DeleteAffinityGroup
  | DeployVirtualMachine
  | VmCommand
  | DestroyVirtualMachine
  | MigrateVirtualMachine
  | ScaleVirtualMachine
  | CreateVolume
  | AttachVolume
  | VolumeCommand
  | ResizeVolume
  | CreateSnapshot
  | DeleteSnapshot
  | AssociateIpAddress
  | DisassociateIpAddress
  | EnableStaticNat
  | DisableStaticNat
  | CreatePortForwardingRule
  | CreateFirewallRule
  | CreateEgressFirewallRule
  | CreateLoadBalancerRule
  | AssignToLoadBalancerRule
  | RuleDeletion
  | CreateSecurityGroup
  | AuthorizeSecurityGroupRule
  | DeleteSecurityGroup
  | DeleteNetwork
  | DeleteVpc
  | UpdateAllocationState
  | HostMaintenance
  | StorageMaintenance
  | EnsureSystemVms
  | VmReport
  | EffectFailed
  | HostReport
  | StoragePoolReport
  | ManagementReport
  | TimerCommand;
