/**
 * Rules about guest networks and VPCs: which network types a zone allows, gateways and CIDRs,
 * VLANs asked for by an admin, network domains and VPC tiers. Each test adds or changes one
 * network in a fresh copy of a clean baseline design, plans it with planScenario and expects the
 * finding with its severity and a message naming the values involved. Adding a second subnet
 * to an existing shared network is an API call the scenario format has no words for, so that
 * rule is driven through decide against the built baseline cloud.
 */
import { describe, expect, it } from 'vitest';
import {
  advancedZoneDesign,
  basicZoneDesign,
  securityGroupZoneDesign,
  zoneOf,
} from '../../support/designs.js';
import type { ZoneSpec } from '../../../core/scenario/schema.js';
import {
  acceptedFindings,
  builtState,
  context,
  decide,
  expectFinding,
  expectNoFinding,
  networkIdOf,
  planFindings,
  rejectionOf,
  zoneIdOf,
} from './helpers.js';

type VpcSpec = NonNullable<ZoneSpec['vpcs']>[number];
type TierSpec = NonNullable<VpcSpec['tiers']>[number];

function tier(name: string, gateway: string, netmask = '255.255.255.0'): TierSpec {
  return { name, gateway, netmask };
}

describe('network types per zone', () => {
  it('NETWORK_TYPE_NOT_ALLOWED_IN_ZONE fires when a security-group zone gets an isolated network', () => {
    const spec = securityGroupZoneDesign();
    zoneOf(spec).networks!.push({ name: 'tenant-net', type: 'Isolated' });
    const hit = expectFinding(planFindings(spec), 'NETWORK_TYPE_NOT_ALLOWED_IN_ZONE', 'error', 'isolated networks cannot be created in security-group enabled zone sg1');
    expect(hit.path).toBe('zones/sg1/networks/tenant-net');
  });

  it('NETWORK_TYPE_NOT_ALLOWED_IN_ZONE fires when a basic zone gets a VPC or an L2 network', () => {
    const spec = basicZoneDesign();
    const zone = zoneOf(spec);
    zone.vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16' }];
    zone.networks = [{ name: 'l2-net', type: 'L2' }];
    const findings = planFindings(spec);
    expectFinding(findings, 'NETWORK_TYPE_NOT_ALLOWED_IN_ZONE', 'error', 'VPCs cannot be created in basic zone basic1');
    expectFinding(findings, 'NETWORK_TYPE_NOT_ALLOWED_IN_ZONE', 'error', 'L2 networks cannot be created in basic zone basic1');
  });

  it('NETWORK_TYPE_NOT_ALLOWED_IN_ZONE stays silent for isolated networks, L2 networks and VPCs in an advanced zone', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    zone.networks = [{ name: 'tenant-net', type: 'Isolated' }, { name: 'l2-net', type: 'L2' }];
    zone.vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16', tiers: [tier('web', '10.100.1.1')] }];
    expectNoFinding(planFindings(spec), 'NETWORK_TYPE_NOT_ALLOWED_IN_ZONE');
  });

  it('NETWORK_BASIC_ZONE_SINGLE_GUEST fires when a basic zone gets a second guest network', () => {
    const spec = basicZoneDesign();
    zoneOf(spec).networks = [{ name: 'second-guest', type: 'Shared' }];
    const hit = expectFinding(planFindings(spec), 'NETWORK_BASIC_ZONE_SINGLE_GUEST', 'error', 'basic zone basic1 already has its guest network');
    expect(hit.path).toBe('zones/basic1/networks/second-guest');
  });

  it('NETWORK_BASIC_ZONE_CIDR_FORBIDDEN fires when a basic zone guest network gives a gateway', () => {
    const spec = basicZoneDesign();
    zoneOf(spec).networks = [{ name: 'second-guest', type: 'Shared', gateway: '192.168.31.1', netmask: '255.255.255.0' }];
    const hit = expectFinding(planFindings(spec), 'NETWORK_BASIC_ZONE_CIDR_FORBIDDEN', 'error', 'guest network second-guest of basic zone basic1 gives gateway 192.168.31.1, netmask 255.255.255.0; a basic zone guest network takes none');
    expect(hit.path).toBe('zones/basic1/networks/second-guest/gateway');
  });
});

describe('gateways, CIDRs and VLANs of guest networks', () => {
  it('NETWORK_GATEWAY_REQUIRED fires when a shared network of an advanced zone gives no gateway', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [{ name: 'shared-dmz', type: 'Shared', vlan: 300 }];
    const hit = expectFinding(planFindings(spec), 'NETWORK_GATEWAY_REQUIRED', 'error', 'shared network shared-dmz of advanced zone dc1 gives no gateway; it needs a gateway and netmask');
    expect(hit.path).toBe('zones/dc1/networks/shared-dmz/gateway');
  });

  it('NETWORK_GATEWAY_REQUIRED fires when an isolated network without source NAT gives no gateway', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [{ name: 'no-nat', type: 'Isolated', sourceNat: false }];
    const hit = expectFinding(planFindings(spec), 'NETWORK_GATEWAY_REQUIRED', 'error', 'isolated network no-nat (no source NAT) gives no gateway; it needs a gateway and netmask');
    expect(hit.path).toBe('zones/dc1/networks/no-nat/gateway');
  });

  it('NETWORK_GATEWAY_REQUIRED stays silent for an isolated network with source NAT, which takes the zone guest CIDR', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [{ name: 'tenant-net', type: 'Isolated' }];
    expectNoFinding(planFindings(spec), 'NETWORK_GATEWAY_REQUIRED');
  });

  it('NETWORK_CIDR_NOT_PRIVATE fires when an isolated network uses public address space', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [{ name: 'tenant-pub', type: 'Isolated', gateway: '198.51.100.1', netmask: '255.255.255.0' }];
    expectFinding(planFindings(spec), 'NETWORK_CIDR_NOT_PRIVATE', 'error', 'guest CIDR 198.51.100.0/24 is not in RFC 1918 or RFC 6598 space');
  });

  it('NETWORK_CIDR_NOT_PRIVATE fires when a VPC uses public address space', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).vpcs = [{ name: 'vpc1', cidr: '198.51.0.0/16' }];
    expectFinding(planFindings(spec), 'NETWORK_CIDR_NOT_PRIVATE', 'error', 'VPC CIDR 198.51.0.0/16 is not in RFC 1918 or RFC 6598 space');
  });

  it('NETWORK_CIDR_NOT_PRIVATE stays silent when non-RFC 1918 space is allowed', () => {
    const spec = advancedZoneDesign();
    spec.settings = { 'allow.non.rfc1918.compliant.ips': true };
    zoneOf(spec).networks = [{ name: 'tenant-pub', type: 'Isolated', gateway: '198.51.100.1', netmask: '255.255.255.0' }];
    zoneOf(spec).vpcs = [{ name: 'vpc1', cidr: '198.51.0.0/16' }];
    expectNoFinding(planFindings(spec), 'NETWORK_CIDR_NOT_PRIVATE');
  });

  it('NETWORK_VLAN_IN_GUEST_POOL fires when an L2 network asks for a VLAN of the guest pool', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [{ name: 'l2-backup', type: 'L2', vlan: 600 }];
    expectFinding(planFindings(spec), 'NETWORK_VLAN_IN_GUEST_POOL', 'error', 'VLAN 600 belongs to the dynamic guest range 500-999 of physical network pn-guest');
  });

  it('NETWORK_VLAN_IN_GUEST_POOL stays silent for a VLAN just outside the guest pool', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [{ name: 'l2-backup', type: 'L2', vlan: 1000 }];
    expectNoFinding(planFindings(spec), 'NETWORK_VLAN_IN_GUEST_POOL');
  });

  it('NETWORK_VLAN_IN_GUEST_POOL stays silent for a shared network that bypasses the VLAN overlap check', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [{ name: 'shared-dmz', type: 'Shared', vlan: 600, bypassVlanOverlapCheck: true, gateway: '10.60.0.1', netmask: '255.255.255.0' }];
    expectNoFinding(planFindings(spec), 'NETWORK_VLAN_IN_GUEST_POOL');
  });

  it('IP_RANGE_VLAN_IN_GUEST_POOL stays silent for the range of a shared network that bypasses the VLAN overlap check', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [{ name: 'shared-dmz', type: 'Shared', vlan: 600, bypassVlanOverlapCheck: true, gateway: '10.60.0.1', netmask: '255.255.255.0', startIp: '10.60.0.10', endIp: '10.60.0.100' }];
    const findings = planFindings(spec);
    expectNoFinding(findings, 'IP_RANGE_VLAN_IN_GUEST_POOL');
    expectNoFinding(findings, 'NETWORK_VLAN_IN_GUEST_POOL');
  });

  it('a shared network scoped to a domain keeps the domain', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [{ name: 'shared-customers', type: 'Shared', vlan: 310, domain: 'customers', gateway: '10.61.0.1', netmask: '255.255.255.0', startIp: '10.61.0.10', endIp: '10.61.0.100' }];
    const state = builtState(spec);
    const network = state.networks.get(networkIdOf(state, 'shared-customers'))!;
    expect(state.domains.get(network.domainId!)?.name).toBe('customers');
  });

  it('NETWORK_VLAN_IN_USE fires when two L2 networks of a zone ask for the same VLAN', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [{ name: 'l2-a', type: 'L2', vlan: 300 }, { name: 'l2-b', type: 'L2', vlan: 300 }];
    const hit = expectFinding(planFindings(spec), 'NETWORK_VLAN_IN_USE', 'error', 'VLAN 300 is already used by network l2-a in zone dc1');
    expect(hit.path).toBe('zones/dc1/networks/l2-b/vlan');
  });

  it('NETWORK_VLAN_IN_USE stays silent for two shared networks with their own subnets on one VLAN', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networks = [
      { name: 'shared-a', type: 'Shared', vlan: 300, gateway: '10.60.0.1', netmask: '255.255.255.0', startIp: '10.60.0.10', endIp: '10.60.0.100' },
      { name: 'shared-b', type: 'Shared', vlan: 300, gateway: '10.61.0.1', netmask: '255.255.255.0', startIp: '10.61.0.10', endIp: '10.61.0.100' },
    ];
    expectNoFinding(planFindings(spec), 'NETWORK_VLAN_IN_USE');
  });

  it('NETWORK_DOMAIN_INVALID fires when a zone network domain has a label with an underscore', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).networkDomain = 'dc1_cloud.example';
    expectFinding(planFindings(spec), 'NETWORK_DOMAIN_INVALID', 'error', 'network domain "dc1_cloud.example" has an invalid label "dc1_cloud"');
  });

  it('NETWORK_DOMAIN_INVALID fires when a network domain has a 64-character label', () => {
    const spec = advancedZoneDesign();
    const label = 'a'.repeat(64);
    zoneOf(spec).networks = [{ name: 'tenant-net', type: 'Isolated', networkDomain: `${label}.example` }];
    expectFinding(planFindings(spec), 'NETWORK_DOMAIN_INVALID', 'error', `has an invalid label "${label}"`);
  });

  it('NETWORK_DOMAIN_INVALID fires when a network domain is 191 characters long', () => {
    const spec = advancedZoneDesign();
    const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}`;
    expect(domain.length).toBe(191);
    zoneOf(spec).networkDomain = domain;
    expectFinding(planFindings(spec), 'NETWORK_DOMAIN_INVALID', 'error', 'network domain is 191 characters long, over 190');
  });

  it('NETWORK_DOMAIN_INVALID stays silent for 63-character labels in a 190-character domain', () => {
    const spec = advancedZoneDesign();
    const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(62)}`;
    expect(domain.length).toBe(190);
    zoneOf(spec).networkDomain = domain;
    expectNoFinding(planFindings(spec), 'NETWORK_DOMAIN_INVALID');
  });
});

describe('a second subnet on a shared network (API call)', () => {
  /** The security-group baseline: shared-sg is 10.50.0.0/22 on VLAN 300 with gateway 10.50.0.1. */
  function subnetCommand(state: ReturnType<typeof builtState>, gateway: string, netmask: string, startIp: string, endIp: string) {
    return {
      type: 'createVlanIpRange' as const,
      zoneId: zoneIdOf(state, 'sg1'),
      networkId: networkIdOf(state, 'shared-sg'),
      forVirtualNetwork: false,
      vlan: 300,
      gateway,
      netmask,
      startIp,
      endIp,
    };
  }

  it('NETWORK_SUBNET_NESTED fires when a new subnet of a shared network lies inside its existing subnet', () => {
    const state = builtState(securityGroupZoneDesign());
    const command = subnetCommand(state, '10.50.0.1', '255.255.255.0', '10.50.0.2', '10.50.0.9');
    expectFinding(acceptedFindings(decide(state, command, context('plan'))), 'NETWORK_SUBNET_NESTED', 'error',
      'subnet 10.50.0.0/24 is nested with 10.50.0.0/22 of the same network');
    const rejection = rejectionOf(decide(state, command, context('enforce')));
    expect(rejection.code).toBe('NETWORK_SUBNET_NESTED');
    expect(rejection.errorCode).toBe(431);
  });

  it('NETWORK_SUBNET_NESTED stays silent for a disjoint second subnet and for free addresses of the same subnet', () => {
    const state = builtState(securityGroupZoneDesign());
    const disjoint = acceptedFindings(decide(state, subnetCommand(state, '10.51.0.1', '255.255.255.0', '10.51.0.10', '10.51.0.200'), context('enforce')));
    expect(disjoint).toEqual([]);
    const extension = acceptedFindings(decide(state, subnetCommand(state, '10.50.0.1', '255.255.252.0', '10.50.0.2', '10.50.0.9'), context('enforce')));
    expect(extension).toEqual([]);
  });
});

describe('VPC tiers', () => {
  it('VPC_TIER_LIMIT fires when a VPC gets a fourth tier with vpc.max.networks at 3', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16', tiers: [tier('tier1', '10.100.1.1'), tier('tier2', '10.100.2.1'), tier('tier3', '10.100.3.1'), tier('tier4', '10.100.4.1')] }];
    const hit = expectFinding(planFindings(spec), 'VPC_TIER_LIMIT', 'error', 'VPC vpc1 already has 3 tiers, the vpc.max.networks limit of 3');
    expect(hit.path).toBe('zones/dc1/vpcs/vpc1/tiers/tier4');
  });

  it('VPC_TIER_LIMIT stays silent at exactly 3 tiers, and at 4 tiers when vpc.max.networks is 4', () => {
    const three = advancedZoneDesign();
    zoneOf(three).vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16', tiers: [tier('tier1', '10.100.1.1'), tier('tier2', '10.100.2.1'), tier('tier3', '10.100.3.1')] }];
    expectNoFinding(planFindings(three), 'VPC_TIER_LIMIT');
    const four = advancedZoneDesign();
    four.settings = { 'vpc.max.networks': 4 };
    zoneOf(four).vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16', tiers: [tier('tier1', '10.100.1.1'), tier('tier2', '10.100.2.1'), tier('tier3', '10.100.3.1'), tier('tier4', '10.100.4.1')] }];
    expectNoFinding(planFindings(four), 'VPC_TIER_LIMIT');
  });

  it('VPC_TIER_OUTSIDE_CIDR fires when a tier lies outside the VPC CIDR', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16', tiers: [tier('web', '10.200.1.1')] }];
    expectFinding(planFindings(spec), 'VPC_TIER_OUTSIDE_CIDR', 'error', 'tier CIDR 10.200.1.0/24 is not within VPC CIDR 10.100.0.0/16');
  });

  it('VPC_TIER_OVERLAP fires when two tiers of a VPC overlap', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16', tiers: [tier('web', '10.100.1.1'), tier('app', '10.100.1.129', '255.255.255.128')] }];
    // Tiers are built in name order: app first, then web overlaps it.
    expectFinding(planFindings(spec), 'VPC_TIER_OVERLAP', 'error', 'tier CIDR 10.100.1.0/24 overlaps tier app (10.100.1.128/25)');
  });

  it('VPC_TIER_OVERLAP stays silent for adjacent tiers', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16', tiers: [tier('web', '10.100.1.1', '255.255.255.128'), tier('app', '10.100.1.129', '255.255.255.128')] }];
    expectNoFinding(planFindings(spec), 'VPC_TIER_OVERLAP');
  });

  it('VPC_TIER_GATEWAY_IS_NETWORK fires when a tier gateway is its network address', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16', tiers: [tier('web', '10.100.1.0')] }];
    expectFinding(planFindings(spec), 'VPC_TIER_GATEWAY_IS_NETWORK', 'error', 'tier gateway 10.100.1.0 is the network address of 10.100.1.0/24');
  });

  it('VPC_TIER_DOMAIN_MISMATCH fires when a tier network domain differs from its VPC', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16', networkDomain: 'vpc1.cloud.example', tiers: [{ ...tier('web', '10.100.1.1'), networkDomain: 'web.other.example' }] }];
    expectFinding(planFindings(spec), 'VPC_TIER_DOMAIN_MISMATCH', 'error', 'tier network domain web.other.example differs from VPC domain vpc1.cloud.example');
  });

  it('VPC_TIER_DOMAIN_MISMATCH stays silent when the tier repeats the VPC domain', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).vpcs = [{ name: 'vpc1', cidr: '10.100.0.0/16', networkDomain: 'vpc1.cloud.example', tiers: [{ ...tier('web', '10.100.1.1'), networkDomain: 'vpc1.cloud.example' }] }];
    expectNoFinding(planFindings(spec), 'VPC_TIER_DOMAIN_MISMATCH');
  });
});
