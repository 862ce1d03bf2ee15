/**
 * Rules about addresses: pod CIDRs and reserved ranges, host management addresses, public,
 * guest and storage IP ranges, and IPv6. Each test takes a fresh copy of a clean baseline
 * design, moves one address or range so that it breaks one rule, plans the design with
 * planScenario and expects the finding with its severity and a message naming the addresses.
 * Near-miss tests stop one address short of the rule's edge and expect silence.
 */
import { describe, expect, it } from 'vitest';
import {
  advancedZoneDesign,
  basicZone,
  basicZoneDesign,
  clusterOf,
  kvmHosts,
  physicalNetworkOf,
  podOf,
  twoZoneDesign,
  zoneOf,
} from '../../support/designs.js';
import type { ZoneSpec } from '../../../core/scenario/schema.js';
import { expectFinding, expectNoFinding, planFindings } from './helpers.js';

type PublicRange = NonNullable<ZoneSpec['publicRanges']>[number];

/** The baseline public range of dc1 (VLAN 100, 203.0.113.0/24, .10-.200) with some fields changed. */
function publicRange(change: Partial<PublicRange>): PublicRange {
  return { vlan: 100, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.10', endIp: '203.0.113.200', ...change };
}

function firstPublicRange(zone: ZoneSpec): PublicRange {
  return zone.publicRanges![0]!;
}

describe('pods', () => {
  it('POD_NAME_DUPLICATE fires when two pods of a zone share a name', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod2').name = 'pod1';
    expectFinding(planFindings(spec), 'POD_NAME_DUPLICATE', 'error', 'a pod named "pod1" already exists in zone dc1');
  });

  it('POD_CIDR_INVALID fires when a pod netmask is a /31', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').netmask = '255.255.255.254';
    expectFinding(planFindings(spec), 'POD_CIDR_INVALID', 'error', 'pod CIDR 192.168.10.0/31 is not a usable pod network');
  });

  it('POD_CIDR_INVALID fires when a pod netmask is a /7', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').netmask = '254.0.0.0';
    expectFinding(planFindings(spec), 'POD_CIDR_INVALID', 'error', 'pod CIDR 192.0.0.0/7 is not a usable pod network');
  });

  it('POD_CIDR_INVALID stays silent for a /30 pod, the smallest usable one', () => {
    const spec = advancedZoneDesign();
    const pod = podOf(zoneOf(spec), 'pod1');
    pod.netmask = '255.255.255.252';
    pod.reservedRanges = [{ startIp: '192.168.10.2' }];
    expectNoFinding(planFindings(spec), 'POD_CIDR_INVALID');
  });

  it('POD_CIDR_OVERLAPS_POD fires when a pod subnet lies inside the subnet of another pod of the zone', () => {
    const spec = advancedZoneDesign();
    const pod2 = podOf(zoneOf(spec), 'pod2');
    Object.assign(pod2, { gateway: '192.168.10.129', netmask: '255.255.255.128', reservedRanges: [{ startIp: '192.168.10.130', endIp: '192.168.10.140' }] });
    clusterOf(pod2, 'kvm-b').hosts = [kvmHosts('kvm-b', 4, '192.168.10.150')];
    expectFinding(planFindings(spec), 'POD_CIDR_OVERLAPS_POD', 'error', 'pod CIDR 192.168.10.128/25 conflicts with the CIDR 192.168.10.0/24 of pod pod1');
  });

  it('POD_CIDR_OVERLAPS_POD fires beside POD_NAME_DUPLICATE when two pods share name and subnet', () => {
    const spec = advancedZoneDesign();
    const pod2 = podOf(zoneOf(spec), 'pod2');
    Object.assign(pod2, { name: 'pod1', gateway: '192.168.10.1', reservedRanges: [{ startIp: '192.168.10.60', endIp: '192.168.10.70' }], clusters: [], storageRanges: [] });
    const findings = planFindings(spec);
    expectFinding(findings, 'POD_NAME_DUPLICATE', 'error', 'a pod named "pod1" already exists in zone dc1');
    expectFinding(findings, 'POD_CIDR_OVERLAPS_POD', 'error', 'pod CIDR 192.168.10.0/24 conflicts with the CIDR 192.168.10.0/24 of pod pod1');
  });

  it('POD_CIDR_OVERLAPS_POD and POD_CIDR_OVERLAPS_GUEST_CIDR stay silent when check.pod.cidrs is off', () => {
    const spec = advancedZoneDesign();
    spec.settings = { 'check.pod.cidrs': false };
    const zone = zoneOf(spec);
    zone.guestCidr = '192.168.0.0/16';
    Object.assign(podOf(zone, 'pod2'), { gateway: '192.168.10.129', netmask: '255.255.255.128' });
    const findings = planFindings(spec);
    expectNoFinding(findings, 'POD_CIDR_OVERLAPS_POD');
    expectNoFinding(findings, 'POD_CIDR_OVERLAPS_GUEST_CIDR');
  });

  it('POD_CIDR_OVERLAPS_GUEST_CIDR fires when the zone guest CIDR covers the pod subnets', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).guestCidr = '192.168.0.0/16';
    expectFinding(planFindings(spec), 'POD_CIDR_OVERLAPS_GUEST_CIDR', 'error', 'pod CIDR 192.168.10.0/24 conflicts with the zone guest CIDR 192.168.0.0/16');
  });

  it('POD_CIDR_OVERLAPS_OTHER_ZONE fires when a pod of another zone uses the same subnet', () => {
    const spec = advancedZoneDesign();
    // A basic zone copied from another site without renumbering its pod: 192.168.10.0/24 again.
    const copy = JSON.parse(JSON.stringify(basicZone()).replaceAll('192.168.30.', '192.168.10.')) as ZoneSpec;
    spec.zones.push(copy);
    expectFinding(planFindings(spec), 'POD_CIDR_OVERLAPS_OTHER_ZONE', 'warning',
      'pod CIDR 192.168.10.0/24 overlaps the CIDR 192.168.10.0/24 of pod pod1 in zone basic1');
  });

  it('POD_RANGES_OVERLAP fires when two reserved ranges of a pod overlap', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').reservedRanges.push({ startIp: '192.168.10.40', endIp: '192.168.10.60' });
    expectFinding(planFindings(spec), 'POD_RANGES_OVERLAP', 'error',
      'reserved range 192.168.10.40-192.168.10.60 overlaps reserved range 192.168.10.10-192.168.10.49 of pod pod1');
  });

  it('POD_RANGES_OVERLAP stays silent for an adjacent second reserved range', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').reservedRanges.push({ startIp: '192.168.10.50', endIp: '192.168.10.60' });
    expectNoFinding(planFindings(spec), 'POD_RANGES_OVERLAP');
  });

  it('POD_RANGE_GATEWAY_MISMATCH fires when an extra reserved range gives another gateway', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').reservedRanges.push({ startIp: '192.168.10.60', endIp: '192.168.10.69', gateway: '192.168.10.254' });
    expectFinding(planFindings(spec), 'POD_RANGE_GATEWAY_MISMATCH', 'error', 'gateway 192.168.10.254', 'pod pod1 uses gateway 192.168.10.1 in 192.168.10.0/24');
  });

  it('POD_RANGE_GATEWAY_MISMATCH fires when an extra reserved range gives another netmask', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').reservedRanges.push({ startIp: '192.168.10.60', endIp: '192.168.10.69', netmask: '255.255.0.0' });
    expectFinding(planFindings(spec), 'POD_RANGE_GATEWAY_MISMATCH', 'error', '/16', 'pod pod1 uses gateway 192.168.10.1 in 192.168.10.0/24');
  });

  it('POD_RANGE_GATEWAY_MISMATCH stays silent when an extra range repeats the pod gateway and netmask', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').reservedRanges.push({ startIp: '192.168.10.60', endIp: '192.168.10.69', gateway: '192.168.10.1', netmask: '255.255.255.0' });
    expectNoFinding(planFindings(spec), 'POD_RANGE_GATEWAY_MISMATCH');
  });
});

describe('the checks every IP range gets', () => {
  it('IP_RANGE_START_AFTER_END fires when a public range starts after it ends', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges = [publicRange({ startIp: '203.0.113.200', endIp: '203.0.113.10' })];
    expectFinding(planFindings(spec), 'IP_RANGE_START_AFTER_END', 'error', 'public range starts at 203.0.113.200 after its end 203.0.113.10');
  });

  it('IP_RANGE_START_AFTER_END fires when a pod reserved range starts after it ends', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').reservedRanges = [{ startIp: '192.168.10.49', endIp: '192.168.10.10' }];
    expectFinding(planFindings(spec), 'IP_RANGE_START_AFTER_END', 'error', 'reserved system range starts at 192.168.10.49 after its end 192.168.10.10');
  });

  it('IP_RANGE_OUTSIDE_CIDR fires when a public range ends outside its subnet', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges = [publicRange({ endIp: '203.0.114.20' })];
    expectFinding(planFindings(spec), 'IP_RANGE_OUTSIDE_CIDR', 'error', 'end address 203.0.114.20 of the public range is not in the CIDR 203.0.113.0/24');
  });

  it('IP_RANGE_OUTSIDE_CIDR fires when a storage range runs past the subnet of its gateway', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').storageRanges = [{ gateway: '172.16.20.1', netmask: '255.255.255.0', startIp: '172.16.20.200', endIp: '172.16.21.29', vlan: 200 }];
    expectFinding(planFindings(spec), 'IP_RANGE_OUTSIDE_CIDR', 'error', 'end address 172.16.21.29 of the storage range is not in the CIDR 172.16.20.0/24');
  });

  it('IP_RANGE_GATEWAY_OUTSIDE_CIDR fires when a storage range sits in another subnet than its gateway', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').storageRanges = [{ gateway: '172.16.20.1', netmask: '255.255.255.0', startIp: '172.16.10.10', endIp: '172.16.10.29', vlan: 200 }];
    const findings = planFindings(spec);
    expectFinding(findings, 'IP_RANGE_GATEWAY_OUTSIDE_CIDR', 'error', 'gateway 172.16.20.1 is not in 172.16.10.0/24, the subnet of the storage range 172.16.10.10-172.16.10.29');
    expectNoFinding(findings, 'IP_RANGE_OUTSIDE_CIDR');
  });

  it('IP_RANGE_GATEWAY_OUTSIDE_CIDR fires when a public range gives the gateway of another subnet', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges = [publicRange({ gateway: '198.51.100.1' })];
    expectFinding(planFindings(spec), 'IP_RANGE_GATEWAY_OUTSIDE_CIDR', 'error', 'gateway 198.51.100.1 is not in 203.0.113.0/24');
  });

  it('IP_RANGE_GATEWAY_IN_RANGE fires when a public range starts at its gateway', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges = [publicRange({ startIp: '203.0.113.1' })];
    expectFinding(planFindings(spec), 'IP_RANGE_GATEWAY_IN_RANGE', 'error', 'gateway 203.0.113.1 lies inside the public range 203.0.113.1-203.0.113.200');
  });

  it('IP_RANGE_GATEWAY_IN_RANGE stays silent when a public range starts at the gateway + 1', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges = [publicRange({ startIp: '203.0.113.2' })];
    expectNoFinding(planFindings(spec), 'IP_RANGE_GATEWAY_IN_RANGE');
  });

  it('IP_RANGE_INCLUDES_NETWORK_OR_BROADCAST fires when a public range ends at the broadcast address', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges = [publicRange({ endIp: '203.0.113.255' })];
    expectFinding(planFindings(spec), 'IP_RANGE_INCLUDES_NETWORK_OR_BROADCAST', 'warning',
      'public range 203.0.113.10-203.0.113.255 includes the broadcast address of 203.0.113.0/24');
  });

  it('IP_RANGE_INCLUDES_NETWORK_OR_BROADCAST fires when a public range starts at the network address', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges = [publicRange({ gateway: '203.0.113.254', startIp: '203.0.113.0' })];
    expectFinding(planFindings(spec), 'IP_RANGE_INCLUDES_NETWORK_OR_BROADCAST', 'warning',
      'public range 203.0.113.0-203.0.113.200 includes the network address of 203.0.113.0/24');
  });

  it('IP_RANGE_INCLUDES_NETWORK_OR_BROADCAST stays silent for a public range ending just below the broadcast address', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges = [publicRange({ endIp: '203.0.113.254' })];
    expectNoFinding(planFindings(spec), 'IP_RANGE_INCLUDES_NETWORK_OR_BROADCAST');
  });
});

describe('host management addresses', () => {
  it('HOST_NAME_DUPLICATE fires when two hosts of a cluster share a name', () => {
    const spec = advancedZoneDesign();
    clusterOf(podOf(zoneOf(spec), 'pod1'), 'kvm-a').hosts!.push({ ...kvmHosts('kvm-a', 1, '192.168.10.120'), name: 'kvm-a-h1' });
    expectFinding(planFindings(spec), 'HOST_NAME_DUPLICATE', 'error', 'a host named "kvm-a-h1" already exists in cluster kvm-a');
  });

  it('HOST_IP_DUPLICATE fires when two hosts of a zone share a management address', () => {
    const spec = advancedZoneDesign();
    clusterOf(podOf(zoneOf(spec), 'pod1'), 'kvm-a').hosts!.push({ ...kvmHosts('kvm-a', 1, '192.168.10.101'), name: 'kvm-a-h5' });
    expectFinding(planFindings(spec), 'HOST_IP_DUPLICATE', 'error', 'host kvm-a-h5 uses address 192.168.10.101, already used by host kvm-a-h1');
  });

  it('HOST_IP_DUPLICATE_OTHER_ZONE fires when a host of another zone has the same management address', () => {
    const spec = twoZoneDesign();
    clusterOf(podOf(zoneOf(spec, 'dc2'), 'pod1'), 'kvm-c').hosts = [kvmHosts('kvm-c', 4, '192.168.10.101')];
    expectFinding(planFindings(spec), 'HOST_IP_DUPLICATE_OTHER_ZONE', 'warning', 'host kvm-c-h1 uses address 192.168.10.101, also used by host kvm-a-h1 in zone dc1');
  });

  it('HOST_IP_OUTSIDE_POD_CIDR fires when a host address lies outside its pod subnet', () => {
    const spec = advancedZoneDesign();
    clusterOf(podOf(zoneOf(spec), 'pod1'), 'kvm-a').hosts = [kvmHosts('kvm-a', 4, '192.168.11.101')];
    expectFinding(planFindings(spec), 'HOST_IP_OUTSIDE_POD_CIDR', 'error', 'host kvm-a-h1 address 192.168.11.101 is outside pod pod1 CIDR 192.168.10.0/24');
  });

  it('HOST_IP_IN_RESERVED_RANGE fires when a host address lies in the pod reserved range', () => {
    const spec = advancedZoneDesign();
    clusterOf(podOf(zoneOf(spec), 'pod1'), 'kvm-a').hosts = [kvmHosts('kvm-a', 4, '192.168.10.46')];
    expectFinding(planFindings(spec), 'HOST_IP_IN_RESERVED_RANGE', 'error',
      'host kvm-a-h4 address 192.168.10.49 lies in the reserved system range 192.168.10.10-192.168.10.49 of pod pod1');
  });

  it('HOST_IP_IN_RESERVED_RANGE stays silent for hosts starting just after the reserved range', () => {
    const spec = advancedZoneDesign();
    clusterOf(podOf(zoneOf(spec), 'pod1'), 'kvm-a').hosts = [kvmHosts('kvm-a', 4, '192.168.10.50')];
    expectNoFinding(planFindings(spec), 'HOST_IP_IN_RESERVED_RANGE');
  });

  it('HOST_IP_IS_GATEWAY fires when a host takes the pod gateway address', () => {
    const spec = advancedZoneDesign();
    clusterOf(podOf(zoneOf(spec), 'pod1'), 'kvm-a').hosts = [kvmHosts('kvm-a', 4, '192.168.10.1')];
    expectFinding(planFindings(spec), 'HOST_IP_IS_GATEWAY', 'error', 'host kvm-a-h1 address 192.168.10.1 is the gateway of pod pod1');
  });
});

describe('public ranges', () => {
  it('PUBLIC_RANGE_VLAN_REQUIRED fires when a public range gives no VLAN', () => {
    const spec = advancedZoneDesign();
    delete firstPublicRange(zoneOf(spec)).vlan;
    expectFinding(planFindings(spec), 'PUBLIC_RANGE_VLAN_REQUIRED', 'error', 'public range 203.0.113.10-203.0.113.200 gives no VLAN');
  });

  it('PUBLIC_RANGE_VLAN_REQUIRED stays silent when the public range is untagged', () => {
    const spec = advancedZoneDesign();
    firstPublicRange(zoneOf(spec)).vlan = 'untagged';
    expectNoFinding(planFindings(spec), 'PUBLIC_RANGE_VLAN_REQUIRED');
  });

  it('PUBLIC_RANGE_NO_PUBLIC_NETWORK fires when no physical network of the zone carries Public traffic', () => {
    const spec = advancedZoneDesign();
    const infra = physicalNetworkOf(zoneOf(spec), 'pn-infra');
    infra.traffic = infra.traffic!.filter((t) => t.type !== 'Public');
    const hit = expectFinding(planFindings(spec), 'PUBLIC_RANGE_NO_PUBLIC_NETWORK', 'error', 'zone dc1 has no physical network with traffic type Public');
    expect(hit.path).toBe('zones/dc1/publicRanges/203.0.113.10-203.0.113.200');
  });

  it('PUBLIC_RANGE_OVERLAPS_OTHER_ZONE fires when two zones hand out the same public addresses', () => {
    const spec = twoZoneDesign();
    zoneOf(spec, 'dc2').publicRanges = [publicRange({ startIp: '203.0.113.150', endIp: '203.0.113.250' })];
    expectFinding(planFindings(spec), 'PUBLIC_RANGE_OVERLAPS_OTHER_ZONE', 'warning',
      'public range 203.0.113.150-203.0.113.250 overlaps public range 203.0.113.10-203.0.113.200 of zone dc1');
  });

  it('IP_RANGE_OVERLAP fires when two public ranges of one subnet and VLAN share addresses', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges!.push(publicRange({ startIp: '203.0.113.150', endIp: '203.0.113.250' }));
    expectFinding(planFindings(spec), 'IP_RANGE_OVERLAP', 'error',
      'range 203.0.113.150-203.0.113.250 hands out addresses of public range 203.0.113.10-203.0.113.200 (203.0.113.0/24, VLAN 100)');
  });

  it('IP_RANGE_OVERLAP fires for two /30 ranges on one VLAN that give the same address', () => {
    const spec = advancedZoneDesign();
    const link = { vlan: 101, gateway: '198.51.100.1', netmask: '255.255.255.252', startIp: '198.51.100.2' } as const;
    zoneOf(spec).publicRanges!.push({ ...link }, { ...link });
    expectFinding(planFindings(spec), 'IP_RANGE_OVERLAP', 'error', 'range 198.51.100.2 hands out addresses of public range 198.51.100.2 (198.51.100.0/30, VLAN 101)');
  });

  it('IP_RANGE_OVERLAP stays silent for two /31 ranges on one VLAN (point-to-point links are exempt)', () => {
    const spec = advancedZoneDesign();
    const link = { vlan: 101, gateway: '198.51.100.1', netmask: '255.255.255.254', startIp: '198.51.100.0' } as const;
    zoneOf(spec).publicRanges!.push({ ...link }, { ...link });
    expectNoFinding(planFindings(spec), 'IP_RANGE_OVERLAP');
  });

  it('IP_RANGE_SUBNET_MISMATCH fires when a range on the same VLAN overlaps with another netmask and gateway', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges!.push(publicRange({ gateway: '203.0.113.129', netmask: '255.255.255.128', startIp: '203.0.113.210', endIp: '203.0.113.220' }));
    expectFinding(planFindings(spec), 'IP_RANGE_SUBNET_MISMATCH', 'error',
      'range 203.0.113.210-203.0.113.220 on VLAN 100 overlaps public range 203.0.113.10-203.0.113.200 (203.0.113.0/24, VLAN 100) with another gateway or netmask');
  });

  it('IP_RANGE_SUBNET_MISMATCH and IP_RANGE_OVERLAP stay silent when a second range extends the subnet with free addresses', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges!.push(publicRange({ startIp: '203.0.113.210', endIp: '203.0.113.220' }));
    const findings = planFindings(spec);
    expectNoFinding(findings, 'IP_RANGE_SUBNET_MISMATCH');
    expectNoFinding(findings, 'IP_RANGE_OVERLAP');
  });

  it('IP_RANGE_SUBNET_CONFLICT fires when a public range on another VLAN reuses the subnet', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges!.push(publicRange({ vlan: 101, startIp: '203.0.113.210', endIp: '203.0.113.220' }));
    expectFinding(planFindings(spec), 'IP_RANGE_SUBNET_CONFLICT', 'error',
      'range 203.0.113.210-203.0.113.220 on VLAN 101 overlaps the subnet of public range 203.0.113.10-203.0.113.200 (203.0.113.0/24, VLAN 100)');
  });

  it('IP_RANGE_SUBNET_CONFLICT stays silent for a public range on another VLAN and another subnet', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges!.push({ vlan: 101, gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: '198.51.100.20' });
    expectNoFinding(planFindings(spec), 'IP_RANGE_SUBNET_CONFLICT');
  });

  it('IP_RANGE_OVERLAPS_POD_RANGE fires when a public range covers pod reserved addresses', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges!.push({ vlan: 102, gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.40', endIp: '192.168.10.60' });
    expectFinding(planFindings(spec), 'IP_RANGE_OVERLAPS_POD_RANGE', 'error',
      'range 192.168.10.40-192.168.10.60 overlaps the reserved range 192.168.10.10-192.168.10.49 of pod pod1');
  });

  it('IP_RANGE_VLAN_IN_GUEST_POOL fires when a public range uses a VLAN of the guest pool', () => {
    const spec = advancedZoneDesign();
    firstPublicRange(zoneOf(spec)).vlan = 600;
    expectFinding(planFindings(spec), 'IP_RANGE_VLAN_IN_GUEST_POOL', 'error', 'VLAN 600 is already used for dynamic guest allocation on physical network pn-guest (500-999)');
  });

  it('IP_RANGE_VLAN_IN_GUEST_POOL stays silent for the VLANs just outside the guest pool', () => {
    for (const vlan of [499, 1000]) {
      const spec = advancedZoneDesign();
      firstPublicRange(zoneOf(spec)).vlan = vlan;
      expectNoFinding(planFindings(spec), 'IP_RANGE_VLAN_IN_GUEST_POOL');
    }
  });

  it('IP_RANGE_DEDICATION_BASIC_ZONE fires when an Elastic IP basic zone dedicates a public range to an account', () => {
    const spec = basicZoneDesign();
    spec.domains = [{ name: 'customers' }];
    spec.accounts = [{ name: 'acme', domain: 'customers' }];
    const zone = zoneOf(spec);
    zone.elasticIp = true;
    physicalNetworkOf(zone, 'pn-basic').traffic!.push({ type: 'Public' });
    zone.publicRanges = [{ vlan: 'untagged', gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: '198.51.100.200', dedicatedTo: { domain: 'customers', account: 'acme' } }];
    const hit = expectFinding(planFindings(spec), 'IP_RANGE_DEDICATION_BASIC_ZONE', 'error', 'range 198.51.100.10-198.51.100.200 of basic zone basic1 is dedicated; ranges can be dedicated only in advanced zones');
    expect(hit.path).toBe('zones/basic1/publicRanges/198.51.100.10-198.51.100.200/dedicatedTo');
  });

  it('IP_RANGE_DEDICATION_BASIC_ZONE stays silent when an advanced zone dedicates a public range', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges!.push({ vlan: 101, gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: '198.51.100.20', dedicatedTo: { domain: 'customers', account: 'acme' } });
    expectNoFinding(planFindings(spec), 'IP_RANGE_DEDICATION_BASIC_ZONE');
  });
});

describe('guest ranges of pods', () => {
  it('GUEST_RANGE_POD_NOT_BASIC fires when a pod of an advanced zone gets a guest range', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').guestRanges = [{ gateway: '10.60.0.1', netmask: '255.255.255.0', startIp: '10.60.0.10', endIp: '10.60.0.50' }];
    const hit = expectFinding(planFindings(spec), 'GUEST_RANGE_POD_NOT_BASIC', 'error', 'pod pod1 is given for a guest range of advanced zone dc1; pods take guest ranges in basic zones only');
    expect(hit.path).toBe('zones/dc1/pods/pod1/guestRanges/10.60.0.10-10.60.0.50/pod');
  });

  it('IP_RANGE_OVERLAPS_HOST fires when a basic zone guest range includes a host address', () => {
    const spec = basicZoneDesign();
    podOf(zoneOf(spec), 'pod1').guestRanges = [{ gateway: '192.168.30.1', netmask: '255.255.255.0', startIp: '192.168.30.30', endIp: '192.168.30.250' }];
    expectFinding(planFindings(spec), 'IP_RANGE_OVERLAPS_HOST', 'error', 'range 192.168.30.30-192.168.30.250 includes the management address 192.168.30.31 of host kvm-basic-h1');
  });

  it('IP_RANGE_OVERLAPS_HOST fires when a public range includes a host address', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).publicRanges!.push({ vlan: 102, gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.100', endIp: '192.168.10.110' });
    expectFinding(planFindings(spec), 'IP_RANGE_OVERLAPS_HOST', 'error', 'range 192.168.10.100-192.168.10.110 includes the management address 192.168.10.101 of host kvm-a-h1');
  });

  it('IP_RANGE_OVERLAPS_HOST stays silent when the guest range starts right after the last host', () => {
    const spec = basicZoneDesign();
    podOf(zoneOf(spec), 'pod1').guestRanges = [{ gateway: '192.168.30.1', netmask: '255.255.255.0', startIp: '192.168.30.33', endIp: '192.168.30.250' }];
    expectNoFinding(planFindings(spec), 'IP_RANGE_OVERLAPS_HOST');
  });

  it('GUEST_RANGE_OUTSIDE_POD_CIDR stays silent when guest traffic has a bridge of its own', () => {
    const spec = basicZoneDesign();
    physicalNetworkOf(zoneOf(spec), 'pn-basic').traffic = [{ type: 'Management', labels: { kvm: 'cloudbr0' } }, { type: 'Guest', labels: { kvm: 'cloudbr1' } }];
    podOf(zoneOf(spec), 'pod1').guestRanges = [{ gateway: '10.30.0.1', netmask: '255.255.255.0', startIp: '10.30.0.10', endIp: '10.30.0.200' }];
    expectNoFinding(planFindings(spec), 'GUEST_RANGE_OUTSIDE_POD_CIDR');
  });

  it('GUEST_RANGE_OUTSIDE_POD_CIDR fires when a basic zone guest range lies outside the pod subnet', () => {
    const spec = basicZoneDesign();
    podOf(zoneOf(spec), 'pod1').guestRanges = [{ gateway: '10.30.0.1', netmask: '255.255.255.0', startIp: '10.30.0.10', endIp: '10.30.0.200' }];
    expectFinding(planFindings(spec), 'GUEST_RANGE_OUTSIDE_POD_CIDR', 'warning', 'guest range 10.30.0.10-10.30.0.200 is outside pod pod1 CIDR 192.168.30.0/24');
  });

  it('BASIC_POD_NO_GUEST_RANGE fires when a pod of a basic zone has no guest range', () => {
    const spec = basicZoneDesign();
    delete podOf(zoneOf(spec), 'pod1').guestRanges;
    expectFinding(planFindings(spec), 'BASIC_POD_NO_GUEST_RANGE', 'error', 'pod pod1 of basic zone basic1 has no guest IP range');
  });
});

describe('storage ranges', () => {
  it('STORAGE_RANGE_NO_STORAGE_NETWORK fires when no physical network of the zone carries Storage traffic', () => {
    const spec = advancedZoneDesign();
    const infra = physicalNetworkOf(zoneOf(spec), 'pn-infra');
    infra.traffic = infra.traffic!.filter((t) => t.type !== 'Storage');
    const hit = expectFinding(planFindings(spec), 'STORAGE_RANGE_NO_STORAGE_NETWORK', 'error', 'cannot find a storage network in zone dc1');
    expect(hit.path).toMatch(/^zones\/dc1\/pods\/pod[12]\/storageRanges\/172\.16\.[12]0\.10$/);
  });

  it('STORAGE_RANGE_OVERLAPS_POD_RANGE fires when a storage range overlaps the pod reserved range', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').storageRanges = [{ netmask: '255.255.255.0', startIp: '192.168.10.45', endIp: '192.168.10.55' }];
    expectFinding(planFindings(spec), 'STORAGE_RANGE_OVERLAPS_POD_RANGE', 'error',
      'the storage network range 192.168.10.45-192.168.10.55 overlaps the pod reserved range 192.168.10.10-192.168.10.49');
  });

  it('STORAGE_RANGES_OVERLAP fires when two storage ranges of a pod overlap', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').storageRanges!.push({ gateway: '172.16.10.1', netmask: '255.255.255.0', startIp: '172.16.10.25', endIp: '172.16.10.40', vlan: 200 });
    expectFinding(planFindings(spec), 'STORAGE_RANGES_OVERLAP', 'error',
      'the storage network range 172.16.10.25-172.16.10.40 overlaps storage range 172.16.10.10-172.16.10.29 of pod pod1');
  });

  it('STORAGE_RANGES_OVERLAP stays silent for an adjacent second storage range', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').storageRanges!.push({ gateway: '172.16.10.1', netmask: '255.255.255.0', startIp: '172.16.10.30', endIp: '172.16.10.40', vlan: 200 });
    expectNoFinding(planFindings(spec), 'STORAGE_RANGES_OVERLAP');
  });
});

describe('IPv6', () => {
  it('IPV6_RANGE_INVALID fires when a public IPv6 range is a /56', () => {
    const spec = advancedZoneDesign();
    Object.assign(firstPublicRange(zoneOf(spec)), { ip6Gateway: '2001:db8:1::1', ip6Cidr: '2001:db8:1::/56' });
    expectFinding(planFindings(spec), 'IPV6_RANGE_INVALID', 'error', 'ip6Cidr 2001:db8:1::/56 must be a /64');
  });

  it('IPV6_RANGE_INVALID fires when the IPv6 gateway lies outside the /64', () => {
    const spec = advancedZoneDesign();
    Object.assign(firstPublicRange(zoneOf(spec)), { ip6Gateway: '2001:db8:2::1', ip6Cidr: '2001:db8:1::/64' });
    expectFinding(planFindings(spec), 'IPV6_RANGE_INVALID', 'error', 'ip6Gateway 2001:db8:2::1 is not in 2001:db8:1::/64');
  });

  it('IPV6_RANGE_INVALID fires when a public range gives an IPv6 CIDR without its gateway', () => {
    const spec = advancedZoneDesign();
    firstPublicRange(zoneOf(spec)).ip6Cidr = '2001:db8:1::/64';
    expectFinding(planFindings(spec), 'IPV6_RANGE_INVALID', 'error', 'an IPv6 range needs both ip6Gateway and ip6Cidr');
  });

  it('IPV6_RANGE_INVALID stays silent for a /64 with its gateway inside', () => {
    const spec = advancedZoneDesign();
    Object.assign(firstPublicRange(zoneOf(spec)), { ip6Gateway: '2001:db8:1::1', ip6Cidr: '2001:db8:1::/64' });
    expectNoFinding(planFindings(spec), 'IPV6_RANGE_INVALID');
  });

  it('IPV6_GUEST_PREFIX_INVALID fires when the zone IPv6 guest prefix is a /64', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).ip6GuestPrefix = '2001:db8:100::/64';
    expectFinding(planFindings(spec), 'IPV6_GUEST_PREFIX_INVALID', 'error', 'IPv6 guest prefix 2001:db8:100::/64 must be a valid IPv6 CIDR shorter than /64');
  });

  it('IPV6_GUEST_PREFIX_INVALID stays silent for a /56 guest prefix', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).ip6GuestPrefix = '2001:db8:100::/56';
    expectNoFinding(planFindings(spec), 'IPV6_GUEST_PREFIX_INVALID');
  });

  it('IPV6_BASIC_ZONE fires when a basic zone gets an IPv6 guest prefix', () => {
    const spec = basicZoneDesign();
    zoneOf(spec).ip6GuestPrefix = '2001:db8:100::/56';
    const hit = expectFinding(planFindings(spec), 'IPV6_BASIC_ZONE', 'error', 'basic zones do not support IPv6');
    expect(hit.path).toBe('zones/basic1/ip6GuestPrefix');
  });
});
