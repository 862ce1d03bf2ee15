import type { AffinityGroup, Nic, Snapshot, Template, Vm, VmState, Volume, ZoneSystemVmKind } from './compute.js';
import type { AllocationState, HostResourceState, HostStatus, Id, NetworkState, StoragePoolState, VlanTag } from './entities.js';
import type { FirewallRule, LoadBalancerRule, PortForwardingRule, PublicIp, SecurityGroup, SecurityGroupRule } from './services.js';

/**
 * Facts of the running cloud. As with the build events, every choice (host, pools, addresses,
 * VLAN, ids) is inside the event, and evolve only applies it.
 */
interface Created {
  /** The last id sequence number the event consumed. */
  idSeq: number;
}

export type LifecycleEvent =
  | ({ type: 'templateRegistered'; template: Template } & Created)
  | { type: 'templateDeleted'; templateId: Id }
  | ({ type: 'affinityGroupCreated'; affinityGroup: AffinityGroup } & Created)
  | { type: 'affinityGroupDeleted'; affinityGroupId: Id }
  /** A VM with its volumes (placed on pools), its NICs (addressed) and its first state. */
  | ({ type: 'vmCreated'; vm: Vm; volumes: Volume[] } & Created)
  /**
   * A VM changes state. `hostId` is where it runs (absent once stopped); `nics` replaces its
   * pod-scoped NICs when a start moved it to another pod; `failedHostIds` tracks a start's retries;
   * `startFailed` marks a Stopped that never reached Running, so no host keeps a reservation or becomes the last host.
   */
  | { type: 'vmStateChanged'; vmId: Id; state: VmState; hostId?: Id; lastHostId?: Id; atMs: number; reason?: string; nics?: Nic[]; failedHostIds?: Id[]; volumePools?: Record<Id, Id>; stopOnHost?: Id; startFailed?: true; haAttempts?: number }
  | { type: 'vmRebooted'; vmId: Id; atMs: number }
  /** A NIC plugged into a running VM (a VPC router joining a new tier). */
  | { type: 'vmNicAdded'; vmId: Id; nic: Nic }
  /** A VPC router leaves a deleted tier (its guest NIC there holds the tier's gateway, outside the pool). */
  | { type: 'vmNicRemoved'; vmId: Id; networkId: Id }
  /** The VM runs on another host now (migration, or a start placed elsewhere with its volumes). */
  | { type: 'vmMigrated'; vmId: Id; fromHostId: Id; toHostId: Id; atMs: number }
  | { type: 'vmScaled'; vmId: Id; serviceOfferingId: Id; cpuNumber: number; cpuSpeedMhz: number; memoryMiB: number; atMs: number }
  /** Gone for good: addresses, volumes and group memberships are released. */
  | { type: 'vmExpunged'; vmId: Id }
  | { type: 'stoppedCapacityReleased'; vmId: Id }
  /** A zone's system VM manager found no running VM of its kind and could not bring one up; it scans again. */
  | { type: 'systemVmScanFailed'; zoneId: Id; vmKind: ZoneSystemVmKind; reason: string; atMs: number }
  | ({ type: 'volumeCreated'; volume: Volume } & Created)
  | { type: 'volumeAttached'; volumeId: Id; vmId: Id; storagePoolId: Id }
  | { type: 'volumeDetached'; volumeId: Id }
  | { type: 'volumeResized'; volumeId: Id; sizeGiB: number }
  | { type: 'volumeDeleted'; volumeId: Id }
  | ({ type: 'snapshotCreated'; snapshot: Snapshot } & Created)
  | { type: 'snapshotDeleted'; snapshotId: Id }
  /** First use of a network: its VLAN and its state; routers come as vmCreated events. */
  | { type: 'networkImplemented'; networkId: Id; vlan?: VlanTag; gateway?: number; atMs: number }
  | { type: 'networkStateChanged'; networkId: Id; state: NetworkState; releaseVlan: boolean; atMs: number }
  | { type: 'networkDeleted'; networkId: Id }
  | { type: 'vpcDeleted'; vpcId: Id }
  | ({ type: 'publicIpAllocated'; publicIp: PublicIp } & Created)
  | { type: 'publicIpReleased'; publicIpId: Id }
  | { type: 'staticNatChanged'; publicIpId: Id; vmId?: Id }
  | ({ type: 'portForwardingRuleCreated'; rule: PortForwardingRule } & Created)
  | ({ type: 'firewallRuleCreated'; rule: FirewallRule } & Created)
  | ({ type: 'loadBalancerRuleCreated'; rule: LoadBalancerRule } & Created)
  | { type: 'loadBalancerMembersAssigned'; ruleId: Id; vmIds: Id[] }
  | { type: 'loadBalancerMembersRemoved'; ruleId: Id; vmIds: Id[] }
  | { type: 'ruleDeleted'; kind: 'portForwarding' | 'firewall' | 'loadBalancer'; ruleId: Id }
  | ({ type: 'securityGroupCreated'; securityGroup: SecurityGroup } & Created)
  | ({ type: 'securityGroupRuleAdded'; securityGroupId: Id; rule: SecurityGroupRule } & Created)
  | { type: 'securityGroupRuleRevoked'; securityGroupId: Id; ruleId: Id }
  | { type: 'securityGroupDeleted'; securityGroupId: Id }
  | { type: 'allocationStateChanged'; resource: 'zone' | 'pod' | 'cluster' | 'host'; id: Id; allocationState: AllocationState }
  | { type: 'hostStatusChanged'; hostId: Id; status: HostStatus; atMs: number }
  | { type: 'hostResourceStateChanged'; hostId: Id; resourceState: HostResourceState; atMs: number }
  | { type: 'storagePoolStateChanged'; storagePoolId: Id; state: StoragePoolState; atMs: number }
  | { type: 'managementStateChanged'; up: boolean; atMs: number };
