import type { Severity } from '../findings.js';

/**
 * Every finding code, its severity and what it means. Codes are stable: a user's CI may gate on
 * them, so a code is never renamed or reused for a different rule. `error` marks what CloudStack
 * refuses or what breaks the deployment; `warning` marks what the documentation advises against
 * or what runs short at the notification threshold; `info` is for the record.
 */
export interface CodeDefinition {
  severity: Severity;
  description: string;
}

const error = (description: string): CodeDefinition => ({ severity: 'error', description });
const warning = (description: string): CodeDefinition => ({ severity: 'warning', description });
const info = (description: string): CodeDefinition => ({ severity: 'info', description });

export const FINDING_CODES = {
  // Input that decide cannot interpret (API callers; scenario files catch these while parsing).
  INVALID_PARAMETER: error('A parameter is missing, malformed or out of range.'),
  ENTITY_NOT_FOUND: error('A referenced zone, pod, cluster, host, network or account does not exist.'),

  // Regions and zones.
  REGION_NAME_DUPLICATE: error('Two regions share a name.'),
  ZONE_NAME_DUPLICATE: error('Two zones share a name.'),
  ZONE_NO_PODS: error('A core zone has no pod, so it has nowhere to run hosts.'),
  ZONE_MISSING_TRAFFIC_TYPE: error('A zone lacks a traffic type its network type needs (Management and Guest; Public in advanced zones without security groups).'),
  ZONE_NO_PUBLIC_RANGE: error('An advanced zone without security groups has no public IP range.'),
  ZONE_BASIC_MULTIPLE_PHYSICAL_NETWORKS: error('A basic zone has more than one physical network.'),
  ZONE_BASIC_PUBLIC_RANGE: error('A basic zone without Elastic IP has a public IP range.'),
  ZONE_SG_PUBLIC_RANGE: error('An advanced zone with security groups has a public (virtual) IP range.'),
  ZONE_GUEST_CIDR_NOT_PRIVATE: error('The zone guest CIDR lies outside RFC 1918 and RFC 6598 space.'),
  ZONE_EDGE_HYPERVISOR: error('An edge zone holds a cluster that is not KVM.'),
  ZONE_EDGE_NETWORK_TYPE: error('An edge zone holds an isolated network or a VPC (only shared and L2 are allowed).'),
  ZONE_VMWARE_MULTIPLE_DATACENTERS: warning('A zone holds VMware clusters from several VMware datacenters and loses zone-wide storage and storage live migration.'),
  ZONE_NO_SECONDARY_STORAGE: error('A core zone has no secondary storage, so system VMs and templates have nowhere to live.'),
  ZONE_SECONDARY_STORAGE_SMALL: warning('A zone has less than the required 100 GB (93.1 GiB) of secondary storage.'),

  // Physical networks, traffic types and VNETs.
  PHYSICAL_NETWORK_NAME_DUPLICATE: error('Two physical networks of one zone share a name.'),
  TRAFFIC_TYPE_NOT_ALLOWED: error('A traffic type is placed where the zone type does not allow it.'),
  TRAFFIC_TYPE_DUPLICATE: error('A non-guest traffic type is on more than one physical network of a zone, or twice on one.'),
  GUEST_PHYSICAL_NETWORKS_UNTAGGED: error('More than one physical network of a zone carries a traffic type without a tag.'),
  VNET_RANGE_INVALID: error('A VNET range is malformed, reversed or outside the bounds of its isolation method.'),
  VNET_RANGE_RESERVED_VLAN: warning('A VLAN range includes 0 or 4095, which IEEE 802.1Q reserves.'),
  VNET_RANGE_OVERLAP: error('Two VNET ranges of one physical network overlap.'),
  VNET_RANGE_IN_BASIC_ZONE: error('A physical network of a basic zone has a VNET range.'),
  VNI_DUPLICATE_IN_ZONE: error('A VXLAN VNI is in the ranges of two physical networks of one zone.'),
  VXLAN_MULTICAST_MEMBERSHIP_LIMIT: warning('More VXLAN networks may land on a host than the Linux default of 20 multicast memberships.'),

  // Pods and management addresses.
  POD_NAME_DUPLICATE: error('Two pods of one zone share a name.'),
  POD_CIDR_INVALID: error('The pod gateway and netmask do not form a valid CIDR.'),
  POD_CIDR_OVERLAPS_POD: error('A pod CIDR overlaps another pod CIDR of the same zone (check.pod.cidrs).'),
  POD_CIDR_OVERLAPS_GUEST_CIDR: error('A pod CIDR overlaps the zone guest CIDR (check.pod.cidrs).'),
  POD_CIDR_OVERLAPS_OTHER_ZONE: warning('A pod CIDR overlaps a pod of another zone; management addresses should be unique cloud-wide.'),
  POD_RANGE_OVERLAPS_PUBLIC_RANGE: error('A pod reserved range covers public IPs of the zone.'),
  POD_RANGES_OVERLAP: error('Two reserved ranges of one pod overlap.'),
  POD_RANGE_GATEWAY_MISMATCH: error('An extra reserved range of a pod gives another gateway or netmask than the pod.'),
  IP_RANGE_START_AFTER_END: error('An IP range starts after it ends.'),
  IP_RANGE_OUTSIDE_CIDR: error('The start or end of an IP range lies outside the CIDR of its gateway and netmask.'),
  IP_RANGE_GATEWAY_OUTSIDE_CIDR: error('A gateway lies outside the subnet of the range it serves.'),
  IP_RANGE_GATEWAY_IN_RANGE: error('A gateway lies inside the IP range handed out behind it.'),
  IP_RANGE_INCLUDES_NETWORK_OR_BROADCAST: warning('An IP range includes the network or broadcast address of its CIDR; those are never handed out.'),
  HOST_NAME_DUPLICATE: error('Two hosts of one cluster share a name.'),
  HOST_IP_DUPLICATE: error('Two hosts or management servers of one zone share a management IP.'),
  HOST_IP_DUPLICATE_OTHER_ZONE: warning('A host management IP is also used in another zone; the docs ask for cloud-wide uniqueness.'),
  HOST_IP_OUTSIDE_POD_CIDR: error('A host management IP lies outside its pod CIDR.'),
  HOST_IP_IN_RESERVED_RANGE: error('A host management IP lies inside its pod reserved system range.'),
  HOST_IP_IS_GATEWAY: error('A host management IP is its pod gateway.'),

  // Public, guest and storage IP ranges.
  PUBLIC_RANGE_VLAN_REQUIRED: error('A public range gives no VLAN (use a VLAN id or "untagged").'),
  PUBLIC_RANGE_NO_PUBLIC_NETWORK: error('A public range is added to a zone with no physical network carrying Public traffic.'),
  PUBLIC_RANGE_OVERLAPS_OTHER_ZONE: warning('A public range overlaps a public range of another zone.'),
  IP_RANGE_OVERLAP: error('Two ranges of one zone on the same VLAN hand out the same addresses.'),
  IP_RANGE_SUBNET_MISMATCH: error('Two ranges of one zone on the same VLAN overlap with different gateways or netmasks.'),
  IP_RANGE_SUBNET_CONFLICT: error('A public range overlaps the subnet of a range on another VLAN.'),
  IP_RANGE_OVERLAPS_POD_RANGE: error('A public, guest or storage range overlaps a pod reserved range.'),
  IP_RANGE_OVERLAPS_HOST: error('A public or guest range includes the management address of a host.'),
  IP_RANGE_VLAN_IN_GUEST_POOL: error('A public or shared range uses a VLAN of the dynamic guest VNET pool.'),
  IP_RANGE_DEDICATION_BASIC_ZONE: error('A range is dedicated to an account or domain in a basic zone.'),
  GUEST_RANGE_POD_NOT_BASIC: error('A pod is given for a range that is not a guest range of a basic zone.'),
  GUEST_RANGE_OUTSIDE_POD_CIDR: warning('A basic zone guest range lies outside its pod CIDR while guest traffic shares the management bridge, which single-NIC hosts cannot reach.'),
  BASIC_POD_NO_GUEST_RANGE: error('A pod of a basic zone has no guest IP range, so its VMs get no address.'),
  STORAGE_RANGE_NO_STORAGE_NETWORK: error('A storage IP range is added to a zone with no physical network carrying Storage traffic.'),
  STORAGE_RANGE_OVERLAPS_POD_RANGE: error('A storage IP range overlaps the pod reserved range.'),
  STORAGE_RANGES_OVERLAP: error('Two storage IP ranges of one pod overlap.'),
  IPV6_RANGE_INVALID: error('An IPv6 public range is not a /64, lacks its gateway, or the gateway lies outside it.'),
  IPV6_GUEST_PREFIX_INVALID: error('The zone IPv6 guest prefix is not shorter than /64.'),
  IPV6_BASIC_ZONE: error('IPv6 is configured in a basic zone.'),

  // Guest networks and VPCs.
  NETWORK_TYPE_NOT_ALLOWED_IN_ZONE: error('A network type is not allowed in its zone (isolated or VPC in a basic or security-group zone).'),
  NETWORK_BASIC_ZONE_SINGLE_GUEST: error('A basic zone has more than one guest network.'),
  NETWORK_BASIC_ZONE_CIDR_FORBIDDEN: error('A basic zone guest network gives a gateway or CIDR (ranges are added per pod).'),
  NETWORK_GATEWAY_REQUIRED: error('A shared network of an advanced zone, or an isolated network without source NAT, gives no gateway and netmask.'),
  NETWORK_CIDR_NOT_PRIVATE: error('An isolated network or VPC CIDR lies outside RFC 1918 and RFC 6598 space.'),
  NETWORK_VLAN_IN_GUEST_POOL: error('A network asks for a VLAN of the dynamic guest VNET pool.'),
  NETWORK_VLAN_IN_USE: error('A network asks for a VLAN another network of the zone already uses.'),
  NETWORK_DOMAIN_INVALID: error('A network domain breaks DNS name rules (190 characters, labels of 1-63 of a-z, 0-9, -).'),
  NETWORK_SUBNET_NESTED: error('A shared network subnet is a subset or superset of another subnet on the same VLAN.'),
  VPC_TIER_LIMIT: error('A VPC has more tiers than vpc.max.networks.'),
  VPC_TIER_OUTSIDE_CIDR: error('A VPC tier CIDR lies outside the VPC CIDR.'),
  VPC_TIER_OVERLAP: error('Two tiers of one VPC overlap.'),
  VPC_TIER_GATEWAY_IS_NETWORK: error('A VPC tier gateway is its CIDR network address.'),
  VPC_TIER_DOMAIN_MISMATCH: error('A VPC tier network domain differs from its VPC.'),

  // Clusters and hosts.
  CLUSTER_NAME_DUPLICATE: error('Two clusters of one pod share a name.'),
  CLUSTER_MIXED_HYPERVISOR: error('A host runs another hypervisor than its cluster.'),
  CLUSTER_MIXED_ARCH: error('A host has another CPU architecture than its cluster.'),
  CLUSTER_HOSTS_OVER_MAX: error('A cluster has more hosts than its hypervisor\'s max_hosts_per_cluster (CloudStack refuses the host on vSphere; XenServer refuses a pool that large).'),
  CLUSTER_HOSTS_OVER_RECOMMENDED: warning('A cluster has more hosts than the documentation recommends (8 XenServer/vSphere, 16 KVM).'),
  CLUSTER_HOSTS_HETEROGENEOUS: warning('Hosts of one cluster differ in CPU cores, speed or memory; live migration and HA assume alike hosts.'),
  CLUSTER_NO_HOSTS: warning('A cluster has no hosts.'),
  CLUSTER_NO_PRIMARY_STORAGE: error('A cluster can reach no primary storage and its hosts have no usable local storage.'),
  CLUSTER_XENSERVER_MEMORY_OVERPROVISIONING: warning('A XenServer cluster sets memory over-provisioning above 4, which XenServer does not support.'),
  CLUSTER_OVERPROVISIONING_UNSUPPORTED: warning('CPU or memory over-provisioning is set on a hypervisor the documentation does not list for it (XenServer, KVM and vSphere only).'),

  // Storage.
  STORAGE_POOL_NAME_DUPLICATE: error('Two primary storage pools of one zone share a name.'),
  STORAGE_PROTOCOL_UNSUPPORTED_BY_HYPERVISOR: error('A primary storage protocol is not supported by the hypervisor of the hosts that use it.'),
  STORAGE_PROTOCOL_UNVERIFIED_FOR_HYPERVISOR: warning('The documentation does not say whether the hypervisor supports the primary storage protocol.'),
  STORAGE_ZONE_WIDE_UNSUPPORTED: error('Zone-wide primary storage is used with a hypervisor that does not support it.'),
  STORAGE_ZONE_WIDE_NO_HYPERVISOR: error('A zone-wide primary storage pool does not say which hypervisor attaches it.'),
  STORAGE_SCOPE_INVALID: error('A storage pool scope does not fit its protocol (local storage is host-scoped, shared storage is not).'),
  STORAGE_POOL_CLUSTER_WITHOUT_HOSTS: error('A cluster-scoped pool is added to a cluster with no host.'),
  STORAGE_OVERPROVISIONING_UNSUPPORTED: error('Storage over-provisioning is set on a pool type that does not allow it.'),
  STORAGE_POOL_OVER_6TB: warning('A mount point or LUN pool (NFS, iSCSI, FC, VMFS, ...) is larger than the recommended 6 TB (5,588 GiB).'),
  LOCAL_STORAGE_DISABLED: error('Local storage is used in a zone where local storage is not enabled.'),
  SECONDARY_STORAGE_MIXED_KINDS: error('A region mixes NFS, S3 and Swift secondary storage.'),
  SECONDARY_STORAGE_NO_STAGING: error('A zone of a region with S3 or Swift secondary storage has no NFS staging store.'),
  SECONDARY_STORAGE_HYPERV_NEEDS_SMB: error('A zone running Hyper-V has no SMB secondary storage.'),
  OBJECT_STORE_OVERCOMMITTED: warning('The bucket quotas of an object store add up to more than its capacity.'),

  // Offerings, features and accounts.
  OFFERING_HA_ON_LOCAL_STORAGE: error('An offering asks for HA on local storage; HA cannot restart VMs whose disks are local.'),
  HYPERVISOR_FEATURE_UNSUPPORTED: error('The design uses a feature the hypervisor does not have.'),
  HYPERVISOR_FEATURE_UNVERIFIED: warning('The design uses a feature the documentation does not confirm for the hypervisor.'),
  ACCOUNT_LIMIT_EXCEEDED: error('The planned demand per account exceeds an account resource limit.'),

  // Management plane.
  MANAGEMENT_SERVER_IP_CONFLICT: error('A management server address collides with a host, gateway or reserved range.'),
  MANAGEMENT_CLUSTER_WITHOUT_LOAD_BALANCER: warning('Several management servers run without a load balancer address in front of them.'),
  MANAGEMENT_DATABASE_SINGLE_POINT: warning('Several management servers share one database with no replication.'),

  // Sizing budgets.
  POD_RESERVED_RANGE_EXHAUSTED: error('The pod reserved system range is smaller than the system VMs and routers that take addresses from it.'),
  POD_RESERVED_RANGE_NEAR_FULL: warning('The pod reserved system range would be above the 0.75 notification threshold.'),
  POD_CIDR_EXHAUSTED: error('The pod CIDR cannot hold its hosts, its reserved range and its gateway.'),
  POD_LINK_LOCAL_EXHAUSTED: error('More system VMs and routers land in a pod than its link-local pool holds.'),
  POD_STORAGE_RANGE_EXHAUSTED: error('A pod storage IP range is smaller than the secondary storage VMs that need one.'),
  BASIC_POD_GUEST_RANGE_EXHAUSTED: error('A basic zone pod guest range is smaller than the VMs, routers and system VMs that take addresses from it.'),
  GUEST_VNET_EXHAUSTED: error('A physical network has fewer guest VNETs than the isolated networks, VPC tiers and L2 networks need.'),
  GUEST_VNET_NEAR_FULL: warning('A physical network\'s guest VNETs would be above the 0.75 notification threshold.'),
  PUBLIC_IP_EXHAUSTED: error('A zone has fewer public IPs than source NAT, system VMs and acquired IPs need.'),
  PUBLIC_IP_NEAR_FULL: warning('A zone\'s public IPs would be above the 0.75 notification threshold.'),
  SHARED_NETWORK_RANGE_EXHAUSTED: error('A shared network range is smaller than its VMs and routers.'),
  IPV6_GUEST_PREFIX_EXHAUSTED: error('The zone IPv6 guest prefix has fewer /64 subnets than dual-stack networks.'),
  CLUSTER_MEMORY_EXHAUSTED: error('The memory placed on a cluster is above its allocated-capacity disable threshold.'),
  CLUSTER_CPU_EXHAUSTED: error('The CPU placed on a cluster is above its allocated-capacity disable threshold.'),
  CLUSTER_CAPACITY_NEAR_FULL: warning('A cluster would be above the 0.75 notification threshold for CPU or memory.'),
  CLUSTER_GUEST_LIMIT_EXHAUSTED: error('A cluster would run more VMs than max guests per host allows.'),
  CLUSTER_N_MINUS_1_VIOLATED: warning('A cluster cannot absorb the VMs of its largest host if that host fails.'),
  ZONE_COMPUTE_UNPLACEABLE: error('Some planned VMs fit no cluster of the zone (hypervisor, host tags or local storage).'),
  PRIMARY_STORAGE_EXHAUSTED: error('Primary storage is above its allocated-capacity disable threshold.'),
  PRIMARY_STORAGE_NEAR_FULL: warning('Primary storage would be above the 0.75 notification threshold.'),
  SECONDARY_STORAGE_EXHAUSTED: error('Templates, ISOs and snapshots exceed secondary storage (image stores count as full at 90 %).'),
  SECONDARY_STORAGE_NEAR_FULL: warning('Secondary storage would be above the 0.75 notification threshold.'),
  DEMAND_UNKNOWN_ZONE: error('Demand names a zone the design does not have.'),
  DEMAND_NOTHING_PLANNED: info('No demand is given, so budgets show supply only.'),

  // Refusals of the running cloud (API and simulator commands).
  INSUFFICIENT_CAPACITY: error('No host (or no storage pool, address or VLAN) can take the request; the message says which filters removed the candidates.'),
  RESOURCE_LIMIT_EXCEEDED: error('The request would take an account past one of its resource limits.'),
  PERMISSION_DENIED: error('The caller may not act on the resource (it belongs to another account).'),
  INVALID_STATE: error('The resource is not in a state that allows the operation (a running VM cannot be started, ...).'),
  RESOURCE_IN_USE: error('The resource is still in use (a network with VMs, an address with rules, ...).'),
  NETWORK_RULE_CONFLICT: error('A rule conflicts with what the public IP already serves (static NAT is exclusive, one purpose per address).'),
  RESOURCE_UNAVAILABLE: error('The management server is down: nothing can be changed until it returns.'),
} as const satisfies Record<string, CodeDefinition>;

export type FindingCode = keyof typeof FINDING_CODES;
