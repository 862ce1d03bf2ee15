/**
 * Sizing budgets: what the planned demand needs against what the design supplies, per pod,
 * physical network, zone, shared network and cluster. Each test shrinks one supply (or grows
 * the demand) of a fresh copy of a clean baseline design until it runs out or crosses the 0.75
 * notification threshold, plans it with planScenario, and expects the finding whose message
 * carries the demand, the usable supply and the breakdown. Edge tests sit exactly on a limit.
 *
 * Numbers used below, from the advanced baseline: each cluster takes 135500 MHz of CPU and
 * (pod1) 136192 MiB of memory; each pod keeps 2 reserved addresses for the secondary storage VM
 * and the console proxy; the zone needs 32 public IPs and 20 guest VLANs; each cluster stores
 * 1754 GiB on primary storage; the zone keeps 861 GiB on secondary storage.
 */
import { describe, expect, it } from 'vitest';
import {
  advancedZoneDesign,
  basicZoneDesign,
  clusterOf,
  demandOf,
  kvmHosts,
  physicalNetworkOf,
  podOf,
  securityGroupZoneDesign,
  zoneOf,
} from '../../support/designs.js';
import type { ClusterSpec, ScenarioSpec } from '../../../core/scenario/schema.js';
import { expectFinding, expectNoFinding, planFindings } from './helpers.js';

function clusters(spec: ScenarioSpec): ClusterSpec[] {
  const zone = zoneOf(spec);
  return [clusterOf(podOf(zone, 'pod1'), 'kvm-a'), clusterOf(podOf(zone, 'pod2'), 'kvm-b')];
}

/** Gives every host of both baseline clusters new figures. */
function resizeHosts(spec: ScenarioSpec, change: { count?: number; cpuCores?: number; memoryGiB?: number }): void {
  for (const cluster of clusters(spec)) cluster.hosts = cluster.hosts!.map((h) => ({ ...h, ...change }));
}

/** Gives the NFS pool of both baseline clusters a new capacity. */
function resizePools(spec: ScenarioSpec, capacityGiB: number): void {
  for (const cluster of clusters(spec)) cluster.primaryStorage = cluster.primaryStorage!.map(({ capacityTiB: _old, ...pool }) => ({ ...pool, capacityGiB }));
}

function resizeSecondary(spec: ScenarioSpec, capacityGiB: number): void {
  zoneOf(spec).secondaryStorage = [{ name: 'ss1', provider: 'NFS', capacityGiB }];
}

function setPublicEnd(spec: ScenarioSpec, endIp: string): void {
  zoneOf(spec).publicRanges![0]!.endIp = endIp;
}

describe('pod budgets', () => {
  it('POD_RESERVED_RANGE_EXHAUSTED fires when the reserved range holds 1 address for 2 system VMs', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').reservedRanges = [{ startIp: '192.168.10.10' }];
    const hit = expectFinding(planFindings(spec), 'POD_RESERVED_RANGE_EXHAUSTED', 'error',
      'reserved system IPs: 2 IPs needed, 1 IPs usable (2 secondary storage and console proxy VMs)');
    expect(hit.path).toBe('zones/dc1/pods/pod1');
  });

  it('POD_RESERVED_RANGE_NEAR_FULL fires when 2 system VMs fill a 2-address reserved range exactly, which is not yet exhausted', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').reservedRanges = [{ startIp: '192.168.10.10', endIp: '192.168.10.11' }];
    const findings = planFindings(spec);
    expectFinding(findings, 'POD_RESERVED_RANGE_NEAR_FULL', 'warning', 'reserved system IPs: 2 of 2 IPs (100 %), above the 0.75 notification threshold');
    expectNoFinding(findings, 'POD_RESERVED_RANGE_EXHAUSTED');
  });

  it('POD_RESERVED_RANGE_NEAR_FULL stays silent when 2 of 3 reserved addresses are used (67 %)', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').reservedRanges = [{ startIp: '192.168.10.10', endIp: '192.168.10.12' }];
    expectNoFinding(planFindings(spec), 'POD_RESERVED_RANGE_NEAR_FULL');
  });

  it('POD_CIDR_EXHAUSTED fires when a /27 pod must hold 6 hosts, 24 reserved addresses, its gateway, network and broadcast', () => {
    const spec = advancedZoneDesign();
    const pod = podOf(zoneOf(spec), 'pod1');
    Object.assign(pod, { netmask: '255.255.255.224', reservedRanges: [{ startIp: '192.168.10.2', endIp: '192.168.10.25' }] });
    clusterOf(pod, 'kvm-a').hosts = [kvmHosts('kvm-a', 6, '192.168.10.26')];
    expectFinding(planFindings(spec), 'POD_CIDR_EXHAUSTED', 'error',
      'addresses of 192.168.10.0/27: 33 IPs needed, 32 IPs usable (6 hosts and management servers, 24 reserved system range, 1 gateway, 2 network and broadcast)');
  });

  it('POD_CIDR_EXHAUSTED stays silent when 5 hosts fill the /27 exactly', () => {
    const spec = advancedZoneDesign();
    const pod = podOf(zoneOf(spec), 'pod1');
    Object.assign(pod, { netmask: '255.255.255.224', reservedRanges: [{ startIp: '192.168.10.2', endIp: '192.168.10.25' }] });
    clusterOf(pod, 'kvm-a').hosts = [kvmHosts('kvm-a', 5, '192.168.10.26')];
    expectNoFinding(planFindings(spec), 'POD_CIDR_EXHAUSTED');
  });

  it('POD_LINK_LOCAL_EXHAUSTED fires when one KVM pod runs 65532 routers and 2 system VMs', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    zone.pods = [podOf(zone, 'pod1')];
    Object.assign(demandOf(spec, 'dc1'), { isolatedNetworks: 65532, accounts: 5000, acquiredPublicIps: 0 });
    expectFinding(planFindings(spec), 'POD_LINK_LOCAL_EXHAUSTED', 'error',
      'link-local control IPs: 65,534 IPs needed, 65,533 IPs usable (2 system VMs, 65,532 routers on KVM/XenServer/LXC)');
  });

  it('POD_LINK_LOCAL_EXHAUSTED stays silent when 65531 routers and 2 system VMs fill the link-local pool exactly', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    zone.pods = [podOf(zone, 'pod1')];
    Object.assign(demandOf(spec, 'dc1'), { isolatedNetworks: 65531, accounts: 5000, acquiredPublicIps: 0 });
    expectNoFinding(planFindings(spec), 'POD_LINK_LOCAL_EXHAUSTED');
  });

  it('POD_STORAGE_RANGE_EXHAUSTED fires when 3 secondary storage VMs share a 2-address storage range', () => {
    const spec = advancedZoneDesign();
    spec.settings = { 'max.ssvm.count': 3 };
    podOf(zoneOf(spec), 'pod1').storageRanges![0]!.endIp = '172.16.10.11';
    expectFinding(planFindings(spec), 'POD_STORAGE_RANGE_EXHAUSTED', 'error', 'storage network IPs: 3 IPs needed, 2 IPs usable (3 secondary storage VMs (storage NIC))');
  });

  it('BASIC_POD_GUEST_RANGE_EXHAUSTED fires when 50 VMs, a DHCP router and 2 system VMs share 41 guest addresses', () => {
    const spec = basicZoneDesign();
    podOf(zoneOf(spec), 'pod1').guestRanges![0]!.endIp = '192.168.30.140';
    expectFinding(planFindings(spec), 'BASIC_POD_GUEST_RANGE_EXHAUSTED', 'error',
      'guest IPs of the pod: 53 IPs needed, 41 IPs usable (50 user VMs, 1 pod DHCP router, 2 system VMs (basic zones use guest IPs))');
  });
});

describe('network budgets', () => {
  it('GUEST_VNET_EXHAUSTED fires when 20 isolated networks share 10 guest VLANs', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = '500-509';
    const hit = expectFinding(planFindings(spec), 'GUEST_VNET_EXHAUSTED', 'error', 'guest VLANs: 20 VLANs needed, 10 VLANs usable (20 planned isolated networks)');
    expect(hit.path).toBe('zones/dc1/physicalNetworks/pn-guest');
  });

  it('GUEST_VNET_EXHAUSTED fires when reserved VLAN 0 leaves a 0-19 range one short', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = '0-19';
    expectFinding(planFindings(spec), 'GUEST_VNET_EXHAUSTED', 'error', 'guest VLANs: 20 VLANs needed, 19 VLANs usable');
  });

  it('GUEST_VNET_NEAR_FULL fires when 20 networks fill 20 VLANs exactly, which is not yet exhausted', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = '500-519';
    const findings = planFindings(spec);
    expectFinding(findings, 'GUEST_VNET_NEAR_FULL', 'warning', 'guest VLANs: 20 of 20 VLANs (100 %), above the 0.75 notification threshold');
    expectNoFinding(findings, 'GUEST_VNET_EXHAUSTED');
  });

  it('GUEST_VNET_NEAR_FULL stays silent when 20 networks use 27 VLANs (74 %)', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = '500-526';
    expectNoFinding(planFindings(spec), 'GUEST_VNET_NEAR_FULL');
  });

  it('PUBLIC_IP_EXHAUSTED fires when 32 public IPs are needed from a range of 11', () => {
    const spec = advancedZoneDesign();
    setPublicEnd(spec, '203.0.113.20');
    expectFinding(planFindings(spec), 'PUBLIC_IP_EXHAUSTED', 'error',
      'public IPs: 32 IPs needed, 11 IPs usable (20 source NAT of isolated networks, 10 acquired IPs (static NAT, port forwarding, LB), 2 secondary storage and console proxy VMs)');
  });

  it('PUBLIC_IP_NEAR_FULL fires when 32 of 41 public IPs are needed', () => {
    const spec = advancedZoneDesign();
    setPublicEnd(spec, '203.0.113.50');
    const findings = planFindings(spec);
    expectFinding(findings, 'PUBLIC_IP_NEAR_FULL', 'warning', 'public IPs: 32 of 41 IPs (78 %), above the 0.75 notification threshold');
    expectNoFinding(findings, 'PUBLIC_IP_EXHAUSTED');
  });

  it('PUBLIC_IP_NEAR_FULL stays silent when 32 of 43 public IPs are needed (74 %)', () => {
    const spec = advancedZoneDesign();
    setPublicEnd(spec, '203.0.113.52');
    expectNoFinding(planFindings(spec), 'PUBLIC_IP_NEAR_FULL');
  });

  it('SHARED_NETWORK_RANGE_EXHAUSTED fires when 50 VMs and a DHCP router share 41 addresses of a shared network', () => {
    const spec = securityGroupZoneDesign();
    zoneOf(spec).networks![0]!.endIp = '10.50.0.50';
    const hit = expectFinding(planFindings(spec), 'SHARED_NETWORK_RANGE_EXHAUSTED', 'error', 'shared network guest IPs: 51 IPs needed, 41 IPs usable (50 VMs, 1 DHCP routers)');
    expect(hit.path).toBe('zones/sg1/networks/shared-sg');
  });

  it('IPV6_GUEST_PREFIX_EXHAUSTED fires when 20 dual-stack networks take /64s from a /60', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).ip6GuestPrefix = '2001:db8:100::/60';
    demandOf(spec, 'dc1').isolatedNetworks = { count: 20, dualStack: true };
    expectFinding(planFindings(spec), 'IPV6_GUEST_PREFIX_EXHAUSTED', 'error', 'IPv6 guest /64 subnets: 20 subnets needed, 16 subnets usable (20 dual-stack networks and VPC tiers)');
  });

  it('IPV6_GUEST_PREFIX_EXHAUSTED fires when dual-stack networks are planned in a zone without an IPv6 guest prefix', () => {
    const spec = advancedZoneDesign();
    demandOf(spec, 'dc1').isolatedNetworks = { count: 20, dualStack: true };
    expectFinding(planFindings(spec), 'IPV6_GUEST_PREFIX_EXHAUSTED', 'error', 'IPv6 guest /64 subnets: 20 subnets needed, 0 subnets usable');
  });

  it('IPV6_GUEST_PREFIX_EXHAUSTED stays silent when a /59 holds the 20 dual-stack networks', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).ip6GuestPrefix = '2001:db8:100::/59';
    demandOf(spec, 'dc1').isolatedNetworks = { count: 20, dualStack: true };
    expectNoFinding(planFindings(spec), 'IPV6_GUEST_PREFIX_EXHAUSTED');
  });
});

describe('cluster budgets', () => {
  it('CLUSTER_MEMORY_EXHAUSTED fires when four 32 GiB hosts must carry 136192 MiB', () => {
    const spec = advancedZoneDesign();
    resizeHosts(spec, { memoryGiB: 32 });
    const hit = expectFinding(planFindings(spec), 'CLUSTER_MEMORY_EXHAUSTED', 'error',
      'allocated memory: 136,192 MiB needed, 111,411.2 MiB usable of 131,072 (133,120 MiB for user VMs, 2,560 MiB for virtual routers, 512 MiB for system VMs)');
    expect(hit.path).toBe('zones/dc1/pods/pod1/clusters/kvm-a');
  });

  it('CLUSTER_CPU_EXHAUSTED fires when four 8-core hosts must carry 135500 MHz', () => {
    const spec = advancedZoneDesign();
    resizeHosts(spec, { cpuCores: 8 });
    expectFinding(planFindings(spec), 'CLUSTER_CPU_EXHAUSTED', 'error',
      'allocated CPU: 135,500 MHz needed, 65,280 MHz usable of 76,800 (130,000 MHz for user VMs, 5,000 MHz for virtual routers, 500 MHz for system VMs)');
  });

  it('CLUSTER_CAPACITY_NEAR_FULL fires when four 18-core hosts are 78 % allocated', () => {
    const spec = advancedZoneDesign();
    resizeHosts(spec, { cpuCores: 18 });
    const findings = planFindings(spec);
    expectFinding(findings, 'CLUSTER_CAPACITY_NEAR_FULL', 'warning', 'allocated CPU: 135,500 of 172,800 MHz (78 %), above the 0.75 notification threshold');
    expectNoFinding(findings, 'CLUSTER_CPU_EXHAUSTED');
  });

  it('CLUSTER_CAPACITY_NEAR_FULL stays silent when four 20-core hosts are 71 % allocated', () => {
    const spec = advancedZoneDesign();
    resizeHosts(spec, { cpuCores: 20 });
    expectNoFinding(planFindings(spec), 'CLUSTER_CAPACITY_NEAR_FULL');
  });

  it('CLUSTER_GUEST_LIMIT_EXHAUSTED fires when two XenServer hosts (50 guests each) must run every VM of the zone', () => {
    const spec = advancedZoneDesign();
    spec.templates![0]!.hypervisor = 'XenServer';
    Object.assign(clusterOf(podOf(zoneOf(spec), 'pod1'), 'kvm-a'), { name: 'xen-a', hypervisor: 'XenServer', hosts: [kvmHosts('xen-a', 2, '192.168.10.101')] });
    const hit = expectFinding(planFindings(spec), 'CLUSTER_GUEST_LIMIT_EXHAUSTED', 'error', 'guests (max guests per host): ', 'VMs needed, 100 VMs usable', '140 user VMs');
    expect(hit.path).toBe('zones/dc1/pods/pod1/clusters/xen-a');
  });

  it('CLUSTER_GUEST_LIMIT_EXHAUSTED stays silent for 140 VMs on one KVM host, which has no guest limit', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    zone.pods = [podOf(zone, 'pod1')];
    clusterOf(podOf(zone, 'pod1'), 'kvm-a').hosts = [kvmHosts('kvm-a', 1, '192.168.10.101')];
    expectNoFinding(planFindings(spec), 'CLUSTER_GUEST_LIMIT_EXHAUSTED');
  });

  it('CLUSTER_N_MINUS_1_VIOLATED fires when one of two hosts cannot take the HA VMs of the other', () => {
    const spec = advancedZoneDesign();
    spec.offerings!.compute![0]!.offerHa = true;
    resizeHosts(spec, { count: 2, cpuCores: 48, memoryGiB: 128 });
    const findings = planFindings(spec);
    expectFinding(findings, 'CLUSTER_N_MINUS_1_VIOLATED', 'warning', 'memory if the largest host fails: 136,192 MiB needed, 111,411.2 MiB usable of 131,072');
    expectNoFinding(findings, 'CLUSTER_MEMORY_EXHAUSTED');
  });

  it('CLUSTER_N_MINUS_1_VIOLATED stays silent when three such hosts share the HA VMs', () => {
    const spec = advancedZoneDesign();
    spec.offerings!.compute![0]!.offerHa = true;
    resizeHosts(spec, { count: 3, cpuCores: 48, memoryGiB: 128 });
    expectNoFinding(planFindings(spec), 'CLUSTER_N_MINUS_1_VIOLATED');
  });

  it('ZONE_COMPUTE_UNPLACEABLE fires when an offering asks for a host tag no host carries', () => {
    const spec = advancedZoneDesign();
    spec.offerings!.compute![1]!.hostTags = ['gpu'];
    expectFinding(planFindings(spec), 'ZONE_COMPUTE_UNPLACEABLE', 'error', '40 VMs of medium fit no cluster of zone dc1');
  });

  it('ZONE_COMPUTE_UNPLACEABLE stays silent when one cluster has hosts with the tag', () => {
    const spec = advancedZoneDesign();
    spec.offerings!.compute![1]!.hostTags = ['gpu'];
    const kvmB = clusterOf(podOf(zoneOf(spec), 'pod2'), 'kvm-b');
    kvmB.hosts = kvmB.hosts!.map((h) => ({ ...h, tags: ['gpu'] }));
    expectNoFinding(planFindings(spec), 'ZONE_COMPUTE_UNPLACEABLE');
  });

  it('ZONE_COMPUTE_UNPLACEABLE fires when every cluster of the zone is disabled', () => {
    const spec = advancedZoneDesign();
    for (const cluster of clusters(spec)) cluster.enabled = false;
    expectFinding(planFindings(spec), 'ZONE_COMPUTE_UNPLACEABLE', 'error', 'zone dc1 has no enabled cluster with primary storage for its system VMs');
  });

  it('PRIMARY_STORAGE_EXHAUSTED fires when 500 GiB NFS pools must hold 1754 GiB each', () => {
    const spec = advancedZoneDesign();
    resizePools(spec, 500);
    expectFinding(planFindings(spec), 'PRIMARY_STORAGE_EXHAUSTED', 'error',
      'shared primary storage allocated: 1,754 GiB needed, 850 GiB usable of 1,000 (1,700 GiB for volumes, 44 GiB for system VM and router disks, 10 GiB for template copies)');
  });

  it('PRIMARY_STORAGE_EXHAUSTED fires when local disks of 50 GiB per host must hold the root disks of 50 VMs', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).localStorage = true;
    for (const cluster of clusters(spec)) cluster.hosts = cluster.hosts!.map((h) => ({ ...h, localStorageGiB: 50 }));
    spec.offerings!.compute![0]!.storageType = 'local';
    expectFinding(planFindings(spec), 'PRIMARY_STORAGE_EXHAUSTED', 'error', 'allocated local storage: 500 GiB needed, 340 GiB usable of 400 (500 GiB for local volumes)');
  });

  it('PRIMARY_STORAGE_NEAR_FULL fires when 1100 GiB NFS pools hold 1754 GiB each', () => {
    const spec = advancedZoneDesign();
    resizePools(spec, 1100);
    const findings = planFindings(spec);
    expectFinding(findings, 'PRIMARY_STORAGE_NEAR_FULL', 'warning', 'shared primary storage allocated: 1,754 of 2,200 GiB (80 %), above the 0.75 notification threshold');
    expectNoFinding(findings, 'PRIMARY_STORAGE_EXHAUSTED');
  });

  it('SECONDARY_STORAGE_EXHAUSTED fires when 861 GiB of templates, ISOs and snapshots meet 900 GiB counted full at 90 %', () => {
    const spec = advancedZoneDesign();
    resizeSecondary(spec, 900);
    expectFinding(planFindings(spec), 'SECONDARY_STORAGE_EXHAUSTED', 'error',
      'secondary storage: 861 GiB needed, 810 GiB usable of 900 (10 GiB for templates, 1 GiB for ISOs, 850 GiB for volume snapshots)');
  });

  it('SECONDARY_STORAGE_NEAR_FULL fires when 861 GiB fill 1000 GiB of secondary storage', () => {
    const spec = advancedZoneDesign();
    resizeSecondary(spec, 1000);
    const findings = planFindings(spec);
    expectFinding(findings, 'SECONDARY_STORAGE_NEAR_FULL', 'warning', 'secondary storage: 861 of 1,000 GiB (86 %), above the 0.75 notification threshold');
    expectNoFinding(findings, 'SECONDARY_STORAGE_EXHAUSTED');
  });
});

describe('demand', () => {
  it('DEMAND_UNKNOWN_ZONE fires when demand names a zone the design does not have', () => {
    const spec = advancedZoneDesign();
    spec.demand!.push({ zone: 'dc9', isolatedNetworks: 5 });
    const hit = expectFinding(planFindings(spec), 'DEMAND_UNKNOWN_ZONE', 'error', 'demand names zone "dc9", which the design does not have');
    expect(hit.hint).toContain('dc1');
  });

  it('DEMAND_NOTHING_PLANNED fires when a design plans no demand', () => {
    const spec = advancedZoneDesign();
    delete spec.demand;
    const hit = expectFinding(planFindings(spec), 'DEMAND_NOTHING_PLANNED', 'info', 'the scenario plans no demand');
    expect(hit.path).toBe('demand');
  });
});
