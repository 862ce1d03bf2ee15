/**
 * Known-good datacenter designs for rule tests. Each function returns a fresh ScenarioSpec, so a
 * test may change it freely without touching any other test. The designs are realistic small
 * clouds that follow CloudStack's rules and the documentation's advice: planned through
 * planScenario they give no error and no warning, which the rule tests check before relying on
 * them. A test breaks one rule by changing one thing and expects the matching finding.
 *
 * - advancedZoneDesign: zone dc1, advanced networking without security groups, two physical
 *   networks (management, public and storage on one; guest VLANs 500-999 on the other), a
 *   public range on VLAN 100, two pods with one KVM cluster of four hosts each, NFS primary
 *   storage per cluster, NFS secondary storage, two management servers behind a load balancer
 *   and a demand of isolated networks and VMs.
 * - basicZoneDesign: zone basic1, basic networking with security groups, one physical network,
 *   one pod with a guest range inside its CIDR.
 * - securityGroupZoneDesign: zone sg1, advanced networking with security groups, one shared
 *   network on VLAN 300.
 *
 * The small helpers at the end find a named part of a design and throw when it is missing, so
 * a mutation never silently edits nothing.
 */
import type { ClusterSpec, HostSpec, PodSpec, ScenarioSpec, ZoneSpec } from '../../core/scenario/schema.js';

/** Offerings, templates and ISOs shared by every design. */
function catalog(): Pick<ScenarioSpec, 'offerings' | 'templates' | 'isos'> {
  return {
    offerings: {
      compute: [
        { name: 'small', cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 1024 },
        { name: 'medium', cpuNumber: 2, cpuSpeedMhz: 2000, memoryMiB: 4096, offerHa: true },
      ],
      disk: [{ name: 'data-50', sizeGiB: 50 }],
    },
    templates: [{ name: 'ubuntu-22.04', sizeGiB: 10, hypervisor: 'KVM' }],
    isos: [{ name: 'rescue', sizeGiB: 1 }],
  };
}

/** One KVM host entry: `count` alike hosts numbered from 1, with consecutive addresses. */
export function kvmHosts(prefix: string, count: number, firstIp: string): HostSpec {
  return { name: `${prefix}-h{n}`, count, ip: firstIp, cpuSockets: 2, cpuCores: 32, cpuMhz: 2400, memoryGiB: 256 };
}

/** A KVM cluster of four alike hosts with one 4 TiB NFS pool named ps-<cluster>. */
export function kvmCluster(name: string, firstHostIp: string, nfsServer: string): ClusterSpec {
  return {
    name,
    hypervisor: 'KVM',
    hosts: [kvmHosts(name, 4, firstHostIp)],
    primaryStorage: [{ name: `ps-${name}`, protocol: 'NFS', url: `nfs://${nfsServer}/export/ps-${name}`, capacityTiB: 4 }],
  };
}

/** A pod on 192.168.<octet>.0/24 with its gateway at .1, reserved system range .10-.49 and a storage range. */
export function advancedPod(name: string, octet: number, clusterName: string): PodSpec {
  return {
    name,
    gateway: `192.168.${octet}.1`,
    netmask: '255.255.255.0',
    reservedRanges: [{ startIp: `192.168.${octet}.10`, endIp: `192.168.${octet}.49` }],
    storageRanges: [{ gateway: `172.16.${octet}.1`, netmask: '255.255.255.0', startIp: `172.16.${octet}.10`, endIp: `172.16.${octet}.29`, vlan: 200 }],
    clusters: [kvmCluster(clusterName, `192.168.${octet}.101`, '192.168.5.21')],
  };
}

export function advancedZone(): ZoneSpec {
  return {
    name: 'dc1',
    networkType: 'Advanced',
    guestCidr: '10.1.0.0/16',
    dns: ['192.0.2.53'],
    internalDns: ['192.168.5.2'],
    networkDomain: 'dc1.cloud.example',
    physicalNetworks: [
      {
        name: 'pn-infra',
        isolationMethod: 'VLAN',
        traffic: [
          { type: 'Management', labels: { kvm: 'cloudbr0' } },
          { type: 'Public', labels: { kvm: 'cloudbr1' } },
          { type: 'Storage', labels: { kvm: 'cloudbr2' } },
        ],
      },
      { name: 'pn-guest', isolationMethod: 'VLAN', vlanRanges: '500-999', traffic: [{ type: 'Guest', labels: { kvm: 'cloudbr3' } }] },
    ],
    publicRanges: [{ vlan: 100, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.10', endIp: '203.0.113.200' }],
    pods: [advancedPod('pod1', 10, 'kvm-a'), advancedPod('pod2', 20, 'kvm-b')],
    secondaryStorage: [{ name: 'ss1', provider: 'NFS', url: 'nfs://192.168.5.20/export/secondary', capacityTiB: 2 }],
  };
}

/**
 * The main baseline. Its demand, per cluster: about 44 % of CPU, 13 % of memory, 25 % of
 * primary storage; zone-wide: 32 of 191 public IPs, 20 of 500 guest VLANs, 2 of 40 reserved
 * pod addresses; per account: well under CloudStack's default limits.
 */
export function advancedZoneDesign(): ScenarioSpec {
  return {
    version: 1,
    name: 'baseline-advanced',
    description: 'A two-pod KVM advanced zone that follows every rule',
    domains: [{ name: 'customers' }],
    accounts: [{ name: 'acme', domain: 'customers' }],
    ...catalog(),
    management: {
      servers: [
        { name: 'ms1', ip: '192.168.5.11' },
        { name: 'ms2', ip: '192.168.5.12' },
      ],
      loadBalancer: { vip: '192.168.5.10' },
      database: { engine: 'mysql', nodes: 2, replication: 'primary-replica' },
    },
    zones: [advancedZone()],
    demand: [
      {
        zone: 'dc1',
        accounts: 40,
        isolatedNetworks: 20,
        acquiredPublicIps: 10,
        consoleSessions: 20,
        vms: [
          { offering: 'small', count: 100, template: 'ubuntu-22.04' },
          { offering: 'medium', count: 40, template: 'ubuntu-22.04', dataDisks: [{ offering: 'data-50' }] },
        ],
        snapshots: { perVolume: 1, sizeRatio: 0.25 },
      },
    ],
  };
}

/**
 * A second advanced zone, dc2, with its own addresses everywhere: pods on 192.168.110.0/24 and
 * 192.168.120.0/24, public range 198.51.100.10-198.51.100.200. Added to the main baseline it
 * stays clean, so rules across zones can be tested by making one address collide.
 */
export function secondAdvancedZone(): ZoneSpec {
  const zone = advancedZone();
  zone.name = 'dc2';
  zone.networkDomain = 'dc2.cloud.example';
  zone.pods = [advancedPod('pod1', 110, 'kvm-c'), advancedPod('pod2', 120, 'kvm-d')];
  zone.publicRanges = [{ vlan: 100, gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: '198.51.100.200' }];
  zone.secondaryStorage = [{ name: 'ss2', provider: 'NFS', url: 'nfs://192.168.5.20/export/secondary-dc2', capacityTiB: 2 }];
  return zone;
}

/** The main baseline with a second zone (dc2) that has no demand of its own. */
export function twoZoneDesign(): ScenarioSpec {
  const spec = advancedZoneDesign();
  spec.name = 'baseline-two-zones';
  spec.zones.push(secondAdvancedZone());
  return spec;
}

export function basicZone(): ZoneSpec {
  return {
    name: 'basic1',
    networkType: 'Basic',
    physicalNetworks: [{ name: 'pn-basic', traffic: [{ type: 'Management' }, { type: 'Guest' }] }],
    pods: [
      {
        name: 'pod1',
        gateway: '192.168.30.1',
        netmask: '255.255.255.0',
        reservedRanges: [{ startIp: '192.168.30.10', endIp: '192.168.30.29' }],
        guestRanges: [{ gateway: '192.168.30.1', netmask: '255.255.255.0', startIp: '192.168.30.100', endIp: '192.168.30.250' }],
        clusters: [
          {
            name: 'kvm-basic',
            hypervisor: 'KVM',
            hosts: [{ ...kvmHosts('kvm-basic', 2, '192.168.30.31'), cpuCores: 16, memoryGiB: 128 }],
            primaryStorage: [{ name: 'ps-basic', protocol: 'NFS', url: 'nfs://192.168.30.5/export/ps-basic', capacityTiB: 2 }],
          },
        ],
      },
    ],
    secondaryStorage: [{ name: 'ss-basic', provider: 'NFS', url: 'nfs://192.168.30.5/export/secondary', capacityGiB: 500 }],
  };
}

/** A basic zone (security groups, one pod, 50 VMs on 151 guest addresses). */
export function basicZoneDesign(): ScenarioSpec {
  return {
    version: 1,
    name: 'baseline-basic',
    ...catalog(),
    zones: [basicZone()],
    demand: [{ zone: 'basic1', accounts: 10, vms: [{ offering: 'small', count: 50, template: 'ubuntu-22.04' }] }],
  };
}

export function securityGroupZone(): ZoneSpec {
  return {
    name: 'sg1',
    networkType: 'Advanced',
    securityGroups: true,
    physicalNetworks: [{ name: 'pn-sg', isolationMethod: 'VLAN', vlanRanges: '600-699', traffic: [{ type: 'Management' }, { type: 'Guest' }] }],
    pods: [
      {
        name: 'pod1',
        gateway: '192.168.40.1',
        netmask: '255.255.255.0',
        reservedRanges: [{ startIp: '192.168.40.10', endIp: '192.168.40.29' }],
        clusters: [
          {
            name: 'kvm-sg',
            hypervisor: 'KVM',
            hosts: [{ ...kvmHosts('kvm-sg', 2, '192.168.40.31'), cpuCores: 16, memoryGiB: 128 }],
            primaryStorage: [{ name: 'ps-sg', protocol: 'NFS', url: 'nfs://192.168.40.5/export/ps-sg', capacityTiB: 2 }],
          },
        ],
      },
    ],
    secondaryStorage: [{ name: 'ss-sg', provider: 'NFS', url: 'nfs://192.168.40.5/export/secondary', capacityGiB: 500 }],
    networks: [{ name: 'shared-sg', type: 'Shared', vlan: 300, gateway: '10.50.0.1', netmask: '255.255.252.0', startIp: '10.50.0.10', endIp: '10.50.3.250' }],
  };
}

/** An advanced zone with security groups: no public traffic, guests on one shared network. */
export function securityGroupZoneDesign(): ScenarioSpec {
  return {
    version: 1,
    name: 'baseline-security-groups',
    ...catalog(),
    zones: [securityGroupZone()],
    demand: [{ zone: 'sg1', accounts: 10, vms: [{ offering: 'small', count: 50, template: 'ubuntu-22.04' }] }],
  };
}

/** Every baseline, by name, for table-driven checks. */
export const BASELINES: Readonly<Record<string, () => ScenarioSpec>> = {
  advanced: advancedZoneDesign,
  'two zones': twoZoneDesign,
  basic: basicZoneDesign,
  'security groups': securityGroupZoneDesign,
};

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the design has no ${what}`);
  return value;
}

/** The zone of a design by name (the first zone when no name is given). */
export function zoneOf(spec: ScenarioSpec, name?: string): ZoneSpec {
  return must(name === undefined ? spec.zones[0] : spec.zones.find((z) => z.name === name), `zone ${name ?? '#0'}`);
}

export function podOf(zone: ZoneSpec, name: string): PodSpec {
  return must(zone.pods?.find((p) => p.name === name), `pod ${name} in zone ${zone.name}`);
}

export function clusterOf(pod: PodSpec, name: string): ClusterSpec {
  return must(pod.clusters?.find((c) => c.name === name), `cluster ${name} in pod ${pod.name}`);
}

export function physicalNetworkOf(zone: ZoneSpec, name: string): NonNullable<ZoneSpec['physicalNetworks']>[number] {
  return must(zone.physicalNetworks?.find((n) => n.name === name), `physical network ${name} in zone ${zone.name}`);
}

export function demandOf(spec: ScenarioSpec, zone: string): NonNullable<ScenarioSpec['demand']>[number] {
  return must(spec.demand?.find((d) => d.zone === zone), `demand for zone ${zone}`);
}
