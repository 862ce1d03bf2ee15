/**
 * Rules about regions, zones, physical networks, traffic types and guest VNET ranges. Each test
 * takes a fresh copy of a clean baseline design, breaks one rule, plans it with planScenario and
 * expects the finding with its severity and a message that names the values involved. Near-miss
 * tests change the same thing just short of the rule's edge and expect silence.
 */
import { describe, expect, it } from 'vitest';
import {
  advancedZoneDesign,
  basicZone,
  basicZoneDesign,
  clusterOf,
  demandOf,
  physicalNetworkOf,
  podOf,
  securityGroupZoneDesign,
  zoneOf,
} from '../../support/designs.js';
import { expectFinding, expectNoFinding, planFindings } from './helpers.js';

describe('regions and zones', () => {
  it('REGION_NAME_DUPLICATE fires when two regions share a name', () => {
    const spec = advancedZoneDesign();
    spec.regions = [{ name: 'eu-west' }, { name: 'eu-west' }];
    expectFinding(planFindings(spec), 'REGION_NAME_DUPLICATE', 'error', 'region name "eu-west" is already used');
  });

  it('ZONE_NAME_DUPLICATE fires when two zones share a name', () => {
    const spec = advancedZoneDesign();
    const copy = basicZone();
    copy.name = 'dc1';
    spec.zones.push(copy);
    expectFinding(planFindings(spec), 'ZONE_NAME_DUPLICATE', 'error', 'zone name "dc1" is already used');
  });

  it('ZONE_NO_PODS fires when a core zone has no pod', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).pods = [];
    expectFinding(planFindings(spec), 'ZONE_NO_PODS', 'error', 'zone dc1 has no pod');
  });

  it('ZONE_MISSING_TRAFFIC_TYPE fires when an advanced zone carries no Public traffic', () => {
    const spec = advancedZoneDesign();
    const infra = physicalNetworkOf(zoneOf(spec), 'pn-infra');
    infra.traffic = infra.traffic!.filter((t) => t.type !== 'Public');
    expectFinding(planFindings(spec), 'ZONE_MISSING_TRAFFIC_TYPE', 'error', 'zone dc1 has no physical network carrying Public traffic');
  });

  it('ZONE_MISSING_TRAFFIC_TYPE fires for every missing type when a zone carries neither Management nor Guest', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    const infra = physicalNetworkOf(zone, 'pn-infra');
    infra.traffic = infra.traffic!.filter((t) => t.type !== 'Management');
    physicalNetworkOf(zone, 'pn-guest').traffic = [];
    expectFinding(planFindings(spec), 'ZONE_MISSING_TRAFFIC_TYPE', 'error', 'zone dc1 has no physical network carrying Management or Guest traffic');
  });

  it('ZONE_MISSING_TRAFFIC_TYPE stays silent when a security-group zone carries no Public traffic', () => {
    expectNoFinding(planFindings(securityGroupZoneDesign()), 'ZONE_MISSING_TRAFFIC_TYPE');
  });

  it('ZONE_NO_PUBLIC_RANGE fires when an advanced zone without security groups has no public range', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges = [];
    expectFinding(planFindings(spec), 'ZONE_NO_PUBLIC_RANGE', 'error', 'zone dc1 has no public IP range');
  });

  it('ZONE_BASIC_MULTIPLE_PHYSICAL_NETWORKS fires when a basic zone gets a second physical network', () => {
    const spec = basicZoneDesign();
    zoneOf(spec).physicalNetworks!.push({ name: 'pn-basic-2', traffic: [] });
    expectFinding(planFindings(spec), 'ZONE_BASIC_MULTIPLE_PHYSICAL_NETWORKS', 'error',
      'cannot add physical network pn-basic-2 to basic zone basic1: it already has pn-basic');
  });

  it('ZONE_BASIC_PUBLIC_RANGE fires when a basic zone without Elastic IP has a public range', () => {
    const spec = basicZoneDesign();
    zoneOf(spec).publicRanges = [{ vlan: 'untagged', gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: '198.51.100.50' }];
    expectFinding(planFindings(spec), 'ZONE_BASIC_PUBLIC_RANGE', 'error', 'basic zone basic1', 'range 198.51.100.10-198.51.100.50');
  });

  it('ZONE_BASIC_PUBLIC_RANGE stays silent when the basic zone uses Elastic IP and carries Public traffic', () => {
    const spec = basicZoneDesign();
    const zone = zoneOf(spec);
    zone.elasticIp = true;
    physicalNetworkOf(zone, 'pn-basic').traffic!.push({ type: 'Public' });
    zone.publicRanges = [{ vlan: 'untagged', gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: '198.51.100.200' }];
    const findings = planFindings(spec);
    expectNoFinding(findings, 'ZONE_BASIC_PUBLIC_RANGE');
    expectNoFinding(findings, 'TRAFFIC_TYPE_NOT_ALLOWED');
  });

  it('ZONE_SG_PUBLIC_RANGE fires when an advanced zone with security groups has a public range', () => {
    const spec = securityGroupZoneDesign();
    zoneOf(spec).publicRanges = [{ vlan: 100, gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: '198.51.100.50' }];
    expectFinding(planFindings(spec), 'ZONE_SG_PUBLIC_RANGE', 'error', 'zone sg1: security groups are enabled');
  });

  it('ZONE_GUEST_CIDR_NOT_PRIVATE fires when the guest CIDR lies outside RFC 1918 and RFC 6598 space', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).guestCidr = '100.128.0.0/16';
    expectFinding(planFindings(spec), 'ZONE_GUEST_CIDR_NOT_PRIVATE', 'error', 'guest CIDR 100.128.0.0/16 is not in RFC 1918 or RFC 6598 space');
  });

  it('ZONE_GUEST_CIDR_NOT_PRIVATE stays silent for shared address space (RFC 6598) and when non-RFC 1918 space is allowed', () => {
    const shared = advancedZoneDesign();
    zoneOf(shared).guestCidr = '100.64.0.0/16';
    expectNoFinding(planFindings(shared), 'ZONE_GUEST_CIDR_NOT_PRIVATE');
    const allowed = advancedZoneDesign();
    allowed.settings = { 'allow.non.rfc1918.compliant.ips': true };
    zoneOf(allowed).guestCidr = '100.128.0.0/16';
    expectNoFinding(planFindings(allowed), 'ZONE_GUEST_CIDR_NOT_PRIVATE');
  });

  it('ZONE_EDGE_HYPERVISOR fires when an edge zone holds a XenServer cluster', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    zone.type = 'Edge';
    clusterOf(podOf(zone, 'pod2'), 'kvm-b').hypervisor = 'XenServer';
    const hit = expectFinding(planFindings(spec), 'ZONE_EDGE_HYPERVISOR', 'error', 'edge zone dc1 runs KVM only, not XenServer');
    expect(hit.path).toBe('zones/dc1/pods/pod2/clusters/kvm-b/hypervisor');
  });

  it('ZONE_EDGE_NETWORK_TYPE fires when an edge zone holds an isolated network or a VPC', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    zone.type = 'Edge';
    zone.networks = [{ name: 'tenant-net', type: 'Isolated' }];
    zone.vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16' }];
    const findings = planFindings(spec);
    const network = expectFinding(findings, 'ZONE_EDGE_NETWORK_TYPE', 'error', 'is in edge zone dc1, which allows only shared and L2 networks');
    expect(network.path).toBe('zones/dc1/networks/tenant-net');
    const vpc = expectFinding(findings, 'ZONE_EDGE_NETWORK_TYPE', 'error', 'is in edge zone dc1, which allows no VPCs');
    expect(vpc.path).toBe('zones/dc1/vpcs/vpc1');
  });

  it('ZONE_EDGE_NETWORK_TYPE stays silent for an L2 network in an edge zone', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    zone.type = 'Edge';
    zone.networks = [{ name: 'edge-l2', type: 'L2', vlan: 300 }];
    expectNoFinding(planFindings(spec), 'ZONE_EDGE_NETWORK_TYPE');
  });

  it('ZONE_VMWARE_MULTIPLE_DATACENTERS fires when the vSphere clusters of a zone come from two VMware datacenters', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    Object.assign(clusterOf(podOf(zone, 'pod1'), 'kvm-a'), { name: 'vmw-a', hypervisor: 'VMware', vmwareDatacenter: 'vc-dc-a' });
    Object.assign(clusterOf(podOf(zone, 'pod2'), 'kvm-b'), { name: 'vmw-b', hypervisor: 'VMware', vmwareDatacenter: 'vc-dc-b' });
    expectFinding(planFindings(spec), 'ZONE_VMWARE_MULTIPLE_DATACENTERS', 'warning', 'cluster vmw-b is in VMware datacenter vc-dc-b while zone dc1 already spans vc-dc-a');
  });

  it('ZONE_VMWARE_MULTIPLE_DATACENTERS stays silent when every vSphere cluster comes from one datacenter', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    Object.assign(clusterOf(podOf(zone, 'pod1'), 'kvm-a'), { name: 'vmw-a', hypervisor: 'VMware', vmwareDatacenter: 'vc-dc-a' });
    Object.assign(clusterOf(podOf(zone, 'pod2'), 'kvm-b'), { name: 'vmw-b', hypervisor: 'VMware', vmwareDatacenter: 'vc-dc-a' });
    expectNoFinding(planFindings(spec), 'ZONE_VMWARE_MULTIPLE_DATACENTERS');
  });

  it('ZONE_NO_SECONDARY_STORAGE fires when a core zone has no secondary storage', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).secondaryStorage = [];
    expectFinding(planFindings(spec), 'ZONE_NO_SECONDARY_STORAGE', 'error', 'zone dc1 has no secondary storage');
  });

  it('ZONE_SECONDARY_STORAGE_SMALL fires when a zone has 50 GiB of secondary storage', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).secondaryStorage = [{ name: 'ss1', provider: 'NFS', capacityGiB: 50 }];
    expectFinding(planFindings(spec), 'ZONE_SECONDARY_STORAGE_SMALL', 'warning', 'zone dc1 has 50 GiB of secondary storage, below the required 100 GB (93.1 GiB)');
  });

  it('ZONE_SECONDARY_STORAGE_SMALL stays silent at 94 GiB, just over 100 GB', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).secondaryStorage = [{ name: 'ss1', provider: 'NFS', capacityGiB: 94 }];
    expectNoFinding(planFindings(spec), 'ZONE_SECONDARY_STORAGE_SMALL');
  });
});

describe('physical networks and traffic types', () => {
  it('PHYSICAL_NETWORK_NAME_DUPLICATE fires when two physical networks of a zone share a name', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).physicalNetworks!.push({ name: 'pn-guest', isolationMethod: 'VLAN' });
    expectFinding(planFindings(spec), 'PHYSICAL_NETWORK_NAME_DUPLICATE', 'error', 'a physical network named "pn-guest" already exists in zone dc1');
  });

  it('TRAFFIC_TYPE_NOT_ALLOWED fires when a security-group zone carries Public traffic', () => {
    const spec = securityGroupZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-sg').traffic!.push({ type: 'Public' });
    expectFinding(planFindings(spec), 'TRAFFIC_TYPE_NOT_ALLOWED', 'error', 'advanced zone sg1 uses security groups and so carries no public traffic');
  });

  it('TRAFFIC_TYPE_NOT_ALLOWED fires when a basic zone without Elastic IP carries Public traffic', () => {
    const spec = basicZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-basic').traffic!.push({ type: 'Public' });
    expectFinding(planFindings(spec), 'TRAFFIC_TYPE_NOT_ALLOWED', 'error', 'basic zone basic1 carries no public traffic unless it uses Elastic IP');
  });

  it('TRAFFIC_TYPE_DUPLICATE fires when two physical networks of a zone carry Management traffic', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').traffic!.push({ type: 'Management' });
    // Physical networks are built in name order, so pn-guest takes Management first and pn-infra is the second.
    const hit = expectFinding(planFindings(spec), 'TRAFFIC_TYPE_DUPLICATE', 'error', 'zone dc1 already has a physical network with the traffic type Management (pn-guest)');
    expect(hit.path).toBe('zones/dc1/physicalNetworks/pn-infra/traffic/Management');
  });

  it('TRAFFIC_TYPE_DUPLICATE fires when one physical network lists Storage traffic twice', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-infra').traffic!.push({ type: 'Storage' });
    expectFinding(planFindings(spec), 'TRAFFIC_TYPE_DUPLICATE', 'error', 'physical network pn-infra already supports the traffic type Storage');
  });

  it('TRAFFIC_TYPE_DUPLICATE stays silent when guest traffic spans two physical networks', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).physicalNetworks!.push({ name: 'pn-guest-gold', tags: ['gold'], vlanRanges: '1000-1099', traffic: [{ type: 'Guest' }] });
    const findings = planFindings(spec);
    expectNoFinding(findings, 'TRAFFIC_TYPE_DUPLICATE');
    expectNoFinding(findings, 'GUEST_PHYSICAL_NETWORKS_UNTAGGED');
  });

  it('GUEST_PHYSICAL_NETWORKS_UNTAGGED fires when two physical networks carry guest traffic without a tag', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).physicalNetworks!.push({ name: 'pn-guest2', vlanRanges: '1000-1099', traffic: [{ type: 'Guest' }] });
    expectFinding(planFindings(spec), 'GUEST_PHYSICAL_NETWORKS_UNTAGGED', 'error', 'physical networks pn-guest and pn-guest2 of zone dc1 both carry guest traffic without a tag');
  });
});

describe('guest VNET ranges', () => {
  it('VNET_RANGE_INVALID fires when a VLAN range goes past 4095', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = '500-5000';
    expectFinding(planFindings(spec), 'VNET_RANGE_INVALID', 'error', 'vnet range 500-5000 has to be between 0 and 4095 for VLAN');
  });

  it('VNET_RANGE_INVALID fires when a VLAN range starts after it ends', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = '999-500';
    expectFinding(planFindings(spec), 'VNET_RANGE_INVALID', 'error', 'vnet range 999-500 starts after it ends');
  });

  it('VNET_RANGE_INVALID stays silent for a VXLAN range far above 4095', () => {
    const spec = advancedZoneDesign();
    Object.assign(physicalNetworkOf(zoneOf(spec), 'pn-guest'), { isolationMethod: 'VXLAN', vlanRanges: '5000-20000' });
    expectNoFinding(planFindings(spec), 'VNET_RANGE_INVALID');
  });

  it('VNET_RANGE_RESERVED_VLAN fires when a VLAN range ends at 4095', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = '3000-4095';
    expectFinding(planFindings(spec), 'VNET_RANGE_RESERVED_VLAN', 'warning', 'vnet range 3000-4095 includes VLAN 0 or 4095');
  });

  it('VNET_RANGE_RESERVED_VLAN fires when a VLAN range starts at 0', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = '0-99,500-999';
    expectFinding(planFindings(spec), 'VNET_RANGE_RESERVED_VLAN', 'warning', 'vnet range 0-99,500-999 includes VLAN 0 or 4095');
  });

  it('VNET_RANGE_RESERVED_VLAN stays silent for a VLAN range ending at 4094', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = '3000-4094';
    expectNoFinding(planFindings(spec), 'VNET_RANGE_RESERVED_VLAN');
  });

  it('VNET_RANGE_OVERLAP fires when two VLAN ranges of one physical network overlap', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = '500-999,900-1100';
    expectFinding(planFindings(spec), 'VNET_RANGE_OVERLAP', 'error', 'vnet ranges 500-999 and 900-1100 overlap');
  });

  it('VNET_RANGE_OVERLAP stays silent for adjacent VLAN ranges', () => {
    const spec = advancedZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-guest').vlanRanges = ['500-899', '900-1100'];
    expectNoFinding(planFindings(spec), 'VNET_RANGE_OVERLAP');
  });

  it('VNET_RANGE_IN_BASIC_ZONE fires when the physical network of a basic zone has a VLAN range', () => {
    const spec = basicZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-basic').vlanRanges = '500-599';
    expectFinding(planFindings(spec), 'VNET_RANGE_IN_BASIC_ZONE', 'error', 'basic zone basic1 takes no vnet range, got 500-599');
  });

  it('VNI_DUPLICATE_IN_ZONE fires when two VXLAN physical networks of a zone share VNIs', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    Object.assign(physicalNetworkOf(zone, 'pn-guest'), { isolationMethod: 'VXLAN', vlanRanges: '5000-5999' });
    zone.physicalNetworks!.push({ name: 'pn-guest2', isolationMethod: 'VXLAN', tags: ['gold'], vlanRanges: '5500-6499', traffic: [{ type: 'Guest' }] });
    expectFinding(planFindings(spec), 'VNI_DUPLICATE_IN_ZONE', 'error', 'VNIs of 5500-6499 already exist on physical network pn-guest (5000-5999) in zone dc1');
  });

  it('VNI_DUPLICATE_IN_ZONE stays silent when the VXLAN ranges of a zone are disjoint', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    Object.assign(physicalNetworkOf(zone, 'pn-guest'), { isolationMethod: 'VXLAN', vlanRanges: '5000-5999' });
    zone.physicalNetworks!.push({ name: 'pn-guest2', isolationMethod: 'VXLAN', tags: ['gold'], vlanRanges: '6000-6999', traffic: [{ type: 'Guest' }] });
    expectNoFinding(planFindings(spec), 'VNI_DUPLICATE_IN_ZONE');
  });

  it('VXLAN_MULTICAST_MEMBERSHIP_LIMIT fires when 21 VXLAN networks may reach one host', () => {
    const spec = advancedZoneDesign();
    Object.assign(physicalNetworkOf(zoneOf(spec), 'pn-guest'), { isolationMethod: 'VXLAN', vlanRanges: '5000-5999' });
    demandOf(spec, 'dc1').isolatedNetworks = 21;
    expectFinding(planFindings(spec), 'VXLAN_MULTICAST_MEMBERSHIP_LIMIT', 'warning', 'up to 21 VXLAN networks may reach one host', 'igmp_max_memberships of 20');
  });

  it('VXLAN_MULTICAST_MEMBERSHIP_LIMIT stays silent at exactly 20 VXLAN networks', () => {
    const spec = advancedZoneDesign();
    Object.assign(physicalNetworkOf(zoneOf(spec), 'pn-guest'), { isolationMethod: 'VXLAN', vlanRanges: '5000-5999' });
    demandOf(spec, 'dc1').isolatedNetworks = 20;
    expectNoFinding(planFindings(spec), 'VXLAN_MULTICAST_MEMBERSHIP_LIMIT');
  });
});
