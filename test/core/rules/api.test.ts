/**
 * The rules as an API caller meets them. Each test builds a clean baseline cloud, then sends
 * single commands through decide and step (core/decider.ts) with a fixed context: virtual time
 * zero, a random source seeded with 1, the system caller.
 *
 * - INVALID_PARAMETER and ENTITY_NOT_FOUND: malformed or dangling parameters are refused in
 *   both modes with CloudStack's parameter error 431; scenario files reach them too.
 * - POD_RANGE_OVERLAPS_PUBLIC_RANGE: a scenario creates pods before public ranges, so only a
 *   caller adding a pod to a running zone meets this rule.
 * - Enforce mode: a command that breaks an error rule is refused with that code and
 *   CloudStack's error number (530 for the rules CloudStack raises as internal errors, 431 for
 *   the rest) and leaves the state untouched; the same command in plan mode is applied and
 *   reports the finding. Warnings never refuse a command.
 */
import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../../core/decide/support.js';
import type { Command } from '../../../core/model/commands.js';
import type { CloudState } from '../../../core/model/state.js';
import type { FindingCode } from '../../../core/rules/codes.js';
import { buildScenario } from '../../../core/scenario/build.js';
import type { ScenarioSpec } from '../../../core/scenario/schema.js';
import {
  advancedZoneDesign,
  basicZoneDesign,
  clusterOf,
  demandOf,
  kvmHosts,
  podOf,
  securityGroupZoneDesign,
  zoneOf,
} from '../../support/designs.js';
import {
  acceptedFindings,
  builtState,
  clusterIdOf,
  context,
  decide,
  expectFinding,
  expectNoFinding,
  physicalNetworkIdOf,
  planFindings,
  podIdOf,
  rejectionOf,
  step,
  zoneIdOf,
} from './helpers.js';

/** A third pod for zone dc1 with some fields changed; as given it is valid. */
function newPod(state: CloudState, change: Partial<Extract<Command, { type: 'createPod' }>> = {}): Command {
  return { type: 'createPod', zoneId: zoneIdOf(state, 'dc1'), name: 'pod3', gateway: '192.168.30.1', netmask: '255.255.255.0', startIp: '192.168.30.10', endIp: '192.168.30.49', ...change };
}

/** A fifth host for cluster kvm-a, alike to the others; as given it is valid. */
function newHost(state: CloudState, change: Partial<Extract<Command, { type: 'addHost' }>> = {}): Command {
  return { type: 'addHost', clusterId: clusterIdOf(state, 'kvm-a'), name: 'kvm-a-h5', ip: '192.168.10.105', cpuCores: 32, cpuMhz: 2400, memoryMiB: 262144, ...change };
}

describe('parameters an API caller gets wrong', () => {
  it('INVALID_PARAMETER fires when a pod gateway is not an IPv4 address, with every malformed parameter listed', () => {
    const state = builtState(advancedZoneDesign());
    for (const mode of ['enforce', 'plan'] as const) {
      const rejection = rejectionOf(decide(state, newPod(state, { gateway: '192.168.30.300', netmask: '255.0.255.0' }), context(mode)));
      expect(rejection.code).toBe('INVALID_PARAMETER');
      expect(rejection.errorCode).toBe(431);
      expect(rejection.message).toBe('gateway "192.168.30.300" is not a valid IPv4 address');
      expectFinding(rejection.findings, 'INVALID_PARAMETER', 'error', 'gateway "192.168.30.300" is not a valid IPv4 address');
      expectFinding(rejection.findings, 'INVALID_PARAMETER', 'error', 'netmask "255.0.255.0" is not a valid netmask');
    }
  });

  it('INVALID_PARAMETER fires when a host has 0 CPU cores', () => {
    const state = builtState(advancedZoneDesign());
    const rejection = rejectionOf(decide(state, newHost(state, { cpuCores: 0 }), context('plan')));
    expect(rejection.code).toBe('INVALID_PARAMETER');
    expect(rejection.errorCode).toBe(431);
    expectFinding(rejection.findings, 'INVALID_PARAMETER', 'error', 'cpuCores must be a positive integer, got 0');
  });

  it('INVALID_PARAMETER fires when a scenario sets an unknown setting or a setting below its minimum', () => {
    const spec = advancedZoneDesign();
    spec.settings = { 'no.such.setting': 1, 'max.ssvm.count': 0 };
    const findings = planFindings(spec);
    expectFinding(findings, 'INVALID_PARAMETER', 'error', 'unknown setting "no.such.setting"');
    expectFinding(findings, 'INVALID_PARAMETER', 'error', 'max.ssvm.count must be at least 1, got 0');
  });

  it('INVALID_PARAMETER stays silent for well-formed parameters', () => {
    const state = builtState(advancedZoneDesign());
    expect(acceptedFindings(decide(state, newPod(state), context('enforce')))).toEqual([]);
    expect(acceptedFindings(decide(state, newHost(state), context('enforce')))).toEqual([]);
  });

  it('ENTITY_NOT_FOUND fires when a pod names a zone that does not exist', () => {
    const state = builtState(advancedZoneDesign());
    for (const mode of ['enforce', 'plan'] as const) {
      const rejection = rejectionOf(decide(state, newPod(state, { zoneId: 'zone-404' }), context(mode)));
      expect(rejection.code).toBe('ENTITY_NOT_FOUND');
      expect(rejection.errorCode).toBe(431);
      expect(rejection.message).toBe('zone zone-404 does not exist');
    }
  });

  it('ENTITY_NOT_FOUND fires when a host names a cluster that does not exist', () => {
    const state = builtState(advancedZoneDesign());
    const rejection = rejectionOf(decide(state, newHost(state, { clusterId: 'cluster-404' }), context('plan')));
    expect(rejection.code).toBe('ENTITY_NOT_FOUND');
    expect(rejection.message).toBe('cluster cluster-404 does not exist');
  });

  it('ENTITY_NOT_FOUND fires when a scenario plans VMs of an undeclared offering or puts a zone in an undeclared region', () => {
    const spec = advancedZoneDesign();
    demandOf(spec, 'dc1').vms!.push({ offering: 'xlarge', count: 5 });
    zoneOf(spec).region = 'mars';
    const findings = planFindings(spec);
    expectFinding(findings, 'ENTITY_NOT_FOUND', 'error', 'region "mars" is not declared');
    // The zone is not built without its region, so the demand for it names an unknown zone.
    expectFinding(findings, 'DEMAND_UNKNOWN_ZONE', 'error', 'demand names zone "dc1"');
    const offering = advancedZoneDesign();
    demandOf(offering, 'dc1').vms!.push({ offering: 'xlarge', count: 5 });
    const hit = expectFinding(planFindings(offering), 'ENTITY_NOT_FOUND', 'error', 'compute offering "xlarge" is not declared');
    expect(hit.path).toBe('demand/0/vms/2/offering');
  });
});

describe('a pod added to a running zone', () => {
  it('POD_RANGE_OVERLAPS_PUBLIC_RANGE fires when the reserved range of a new pod covers public addresses', () => {
    const state = builtState(advancedZoneDesign());
    const command = newPod(state, { gateway: '203.0.113.1', startIp: '203.0.113.150', endIp: '203.0.113.160' });
    expectFinding(acceptedFindings(decide(state, command, context('plan'))), 'POD_RANGE_OVERLAPS_PUBLIC_RANGE', 'error',
      'reserved range 203.0.113.150-203.0.113.160 overlaps public range 203.0.113.10-203.0.113.200');
  });

  it('POD_RANGE_OVERLAPS_PUBLIC_RANGE fires when an extra reserved range of a pod covers public addresses', () => {
    const state = builtState(advancedZoneDesign());
    const command: Command = { type: 'createManagementNetworkIpRange', podId: podIdOf(state, 'dc1', 'pod1'), startIp: '203.0.113.190', endIp: '203.0.113.210' };
    expectFinding(acceptedFindings(decide(state, command, context('plan'))), 'POD_RANGE_OVERLAPS_PUBLIC_RANGE', 'error',
      'reserved range 203.0.113.190-203.0.113.210 overlaps public range 203.0.113.10-203.0.113.200');
  });

  it('POD_RANGE_OVERLAPS_PUBLIC_RANGE stays silent when the reserved range starts just after the public range', () => {
    const state = builtState(advancedZoneDesign());
    const command = newPod(state, { gateway: '203.0.113.1', startIp: '203.0.113.201', endIp: '203.0.113.210' });
    expectNoFinding(acceptedFindings(decide(state, command, context('plan'))), 'POD_RANGE_OVERLAPS_PUBLIC_RANGE');
  });
});

/** One command that breaks one error rule of a built baseline, and what enforce mode answers. */
interface EnforceCase {
  code: FindingCode;
  errorCode: 431 | 530;
  design: () => ScenarioSpec;
  command: (state: CloudState) => Command;
  /** Fragments the rejection message must contain. */
  message: string[];
}

/** A vSphere cluster of exactly 32 hosts (the default limit) in pod1 of the advanced baseline. */
function fullVmwareDesign(): ScenarioSpec {
  const spec = advancedZoneDesign();
  podOf(zoneOf(spec), 'pod1').clusters = [{
    name: 'vmw-a',
    hypervisor: 'VMware',
    hosts: [{ ...kvmHosts('vmw-a', 32, '192.168.10.101'), numberFrom: 10 }],
    primaryStorage: [{ name: 'ps-vmw-a', protocol: 'NFS', capacityTiB: 4 }],
  }];
  return spec;
}

const ENFORCE_CASES: EnforceCase[] = [
  {
    code: 'POD_CIDR_OVERLAPS_POD', errorCode: 431, design: advancedZoneDesign,
    command: (state) => newPod(state, { gateway: '192.168.10.129', netmask: '255.255.255.128', startIp: '192.168.10.130', endIp: '192.168.10.140' }),
    message: ['pod CIDR 192.168.10.128/25 conflicts with the CIDR 192.168.10.0/24 of pod pod1'],
  },
  {
    code: 'HOST_IP_IN_RESERVED_RANGE', errorCode: 431, design: advancedZoneDesign,
    command: (state) => newHost(state, { ip: '192.168.10.20' }),
    message: ['host kvm-a-h5 address 192.168.10.20 lies in the reserved system range 192.168.10.10-192.168.10.49 of pod pod1'],
  },
  {
    code: 'IP_RANGE_OVERLAP', errorCode: 431, design: advancedZoneDesign,
    command: (state) => ({ type: 'createVlanIpRange', zoneId: zoneIdOf(state, 'dc1'), forVirtualNetwork: true, vlan: 100, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.150', endIp: '203.0.113.250' }),
    message: ['range 203.0.113.150-203.0.113.250 hands out addresses of public range 203.0.113.10-203.0.113.200'],
  },
  {
    code: 'ZONE_NAME_DUPLICATE', errorCode: 431, design: advancedZoneDesign,
    command: () => ({ type: 'createZone', name: 'dc1', networkType: 'Advanced' }),
    message: ['zone name "dc1" is already used'],
  },
  {
    code: 'TRAFFIC_TYPE_DUPLICATE', errorCode: 530, design: advancedZoneDesign,
    command: (state) => ({ type: 'addTrafficType', physicalNetworkId: physicalNetworkIdOf(state, 'pn-guest'), trafficType: 'Management' }),
    message: ['zone dc1 already has a physical network with the traffic type Management (pn-infra)'],
  },
  {
    code: 'ZONE_BASIC_MULTIPLE_PHYSICAL_NETWORKS', errorCode: 530, design: basicZoneDesign,
    command: (state) => ({ type: 'createPhysicalNetwork', zoneId: zoneIdOf(state, 'basic1'), name: 'pn-basic-2' }),
    message: ['cannot add physical network pn-basic-2 to basic zone basic1: it already has pn-basic'],
  },
  {
    code: 'STORAGE_RANGE_NO_STORAGE_NETWORK', errorCode: 530, design: securityGroupZoneDesign,
    command: (state) => ({ type: 'createStorageNetworkIpRange', podId: podIdOf(state, 'sg1', 'pod1'), gateway: '172.16.40.1', netmask: '255.255.255.0', startIp: '172.16.40.10', endIp: '172.16.40.29' }),
    message: ['cannot find a storage network in zone sg1'],
  },
  {
    code: 'STORAGE_RANGE_OVERLAPS_POD_RANGE', errorCode: 530, design: advancedZoneDesign,
    command: (state) => ({ type: 'createStorageNetworkIpRange', podId: podIdOf(state, 'dc1', 'pod1'), netmask: '255.255.255.0', startIp: '192.168.10.45', endIp: '192.168.10.55' }),
    message: ['the storage network range 192.168.10.45-192.168.10.55 overlaps the pod reserved range 192.168.10.10-192.168.10.49'],
  },
  {
    code: 'STORAGE_RANGES_OVERLAP', errorCode: 530, design: advancedZoneDesign,
    command: (state) => ({ type: 'createStorageNetworkIpRange', podId: podIdOf(state, 'dc1', 'pod1'), gateway: '172.16.10.1', netmask: '255.255.255.0', startIp: '172.16.10.25', endIp: '172.16.10.40', vlan: 200 }),
    message: ['the storage network range 172.16.10.25-172.16.10.40 overlaps storage range 172.16.10.10-172.16.10.29 of pod pod1'],
  },
  {
    code: 'CLUSTER_HOSTS_OVER_MAX', errorCode: 530, design: fullVmwareDesign,
    command: (state) => ({ type: 'addHost', clusterId: clusterIdOf(state, 'vmw-a'), name: 'vmw-a-h42', ip: '192.168.10.133', cpuSockets: 2, cpuCores: 32, cpuMhz: 2400, memoryMiB: 262144 }),
    message: ['cluster vmw-a is too big to add host vmw-a-h42: it has 32 hosts and vSphere default allows 32'],
  },
];

describe('enforce mode refuses what plan mode reports', () => {
  it.each(ENFORCE_CASES)('$code: enforce refuses the command with error $errorCode and plan applies it with the finding', ({ code, errorCode, design, command, message }) => {
    expect(errorCodeOf(code)).toBe(errorCode);

    const enforced = builtState(design());
    const before = JSON.stringify({ idSeq: enforced.idSeq, pods: enforced.pods.size, hosts: enforced.hosts.size, zones: enforced.zones.size, ranges: enforced.vlanIpRanges.size, storage: enforced.storageNetworkIpRanges.size, networks: enforced.physicalNetworks.size });
    const refused = step(enforced, command(enforced), context('enforce'));
    if (refused.ok) expect.fail(`enforce mode applied the command, with findings ${refused.step.findings.map((f) => f.code).join(', ') || '(none)'}`);
    const rejection = refused.rejection;
    expect(rejection.code).toBe(code);
    expect(rejection.errorCode).toBe(errorCode);
    for (const fragment of message) expect(rejection.message).toContain(fragment);
    expectFinding(rejection.findings, code, 'error', ...message);
    const after = JSON.stringify({ idSeq: enforced.idSeq, pods: enforced.pods.size, hosts: enforced.hosts.size, zones: enforced.zones.size, ranges: enforced.vlanIpRanges.size, storage: enforced.storageNetworkIpRanges.size, networks: enforced.physicalNetworks.size });
    expect(after).toBe(before);

    const planned = builtState(design());
    const seqBefore = planned.idSeq;
    const applied = step(planned, command(planned), context('plan'));
    if (!applied.ok) expect.fail(`plan mode refused the command: ${applied.rejection.code} ${applied.rejection.message}`);
    expect(applied.step.events.length).toBeGreaterThan(0);
    expectFinding(applied.step.findings, code, 'error', ...message);
    if (applied.step.events.some((e) => 'idSeq' in e)) expect(planned.idSeq).toBeGreaterThan(seqBefore);
  });

  it('enforce mode accepts a command that only raises a warning, and reports the warning', () => {
    const state = builtState(advancedZoneDesign());
    const findings = acceptedFindings(decide(state, newHost(state, { memoryMiB: 524288 }), context('enforce')));
    expectFinding(findings, 'CLUSTER_HOSTS_HETEROGENEOUS', 'warning', 'host kvm-a-h5 (32 cores at 2400 MHz, 524288 MiB) differs from host kvm-a-h1');
  });

  it('enforce mode refuses with the first error and still lists every finding of the command', () => {
    const state = builtState(advancedZoneDesign());
    const rejection = rejectionOf(decide(state, newHost(state, { ip: '192.168.10.1', memoryMiB: 524288 }), context('enforce')));
    expect(rejection.code).toBe('HOST_IP_IS_GATEWAY');
    const codes = rejection.findings.map((f) => f.code);
    expect(codes).toContain('HOST_IP_IS_GATEWAY');
    expect(codes).toContain('CLUSTER_HOSTS_HETEROGENEOUS');
  });

  it('a scenario built in enforce mode leaves out the refused pod and records why', () => {
    const spec = advancedZoneDesign();
    const zone = zoneOf(spec);
    Object.assign(podOf(zone, 'pod2'), { gateway: '192.168.10.129', netmask: '255.255.255.128', reservedRanges: [{ startIp: '192.168.10.130', endIp: '192.168.10.140' }] });
    clusterOf(podOf(zone, 'pod2'), 'kvm-b').hosts = [kvmHosts('kvm-b', 4, '192.168.10.150')];
    const enforced = buildScenario(spec, { mode: 'enforce' });
    expect([...enforced.state.pods.values()].map((p) => p.name)).toEqual(['pod1']);
    expectFinding(enforced.findings, 'POD_CIDR_OVERLAPS_POD', 'error', 'pod CIDR 192.168.10.128/25 conflicts with the CIDR 192.168.10.0/24 of pod pod1');
    const planned = buildScenario(spec, { mode: 'plan' });
    expect([...planned.state.pods.values()].map((p) => p.name).sort()).toEqual(['pod1', 'pod2']);
  });
});
