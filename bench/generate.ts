import { formatIpv4 } from '../core/net/ipv4.js';
import type { ScenarioSpec } from '../core/scenario/schema.js';

/**
 * A generated cloud for benchmarks: `zones` advanced zones of `podsPerZone` pods, each pod a /22
 * with `clustersPerPod` KVM clusters of `hostsPerCluster` hosts, every host listed on its own
 * (no counts), with physical networks, public ranges, storage and demand to match.
 */
export interface GeneratedCloudOptions {
  zones: number;
  podsPerZone: number;
  clustersPerPod: number;
  hostsPerCluster: number;
}

export function generateCloud(options: GeneratedCloudOptions): ScenarioSpec {
  const zones: ScenarioSpec['zones'] = [];
  for (let z = 0; z < options.zones; z++) {
    const pods: NonNullable<ScenarioSpec['zones'][number]['pods']> = [];
    for (let p = 0; p < options.podsPerZone; p++) {
      // Pod p of zone z is 10.(z*16 + p/…).x.0/22: each pod gets its own /22.
      const base = ((10 << 24) | (z << 20) | (p << 10)) >>> 0;
      const clusters = [];
      let hostIndex = 0;
      for (let c = 0; c < options.clustersPerPod; c++) {
        const hosts = [];
        for (let h = 0; h < options.hostsPerCluster; h++) {
          hosts.push({ name: `z${z}p${p}c${c}h${h}`, ip: formatIpv4(base + 256 + hostIndex++), cpuCores: 32, cpuMhz: 2600, memoryGiB: 256 });
        }
        clusters.push({
          name: `z${z}-p${p}-c${c}`,
          hypervisor: 'KVM' as const,
          hosts,
          primaryStorage: [{ name: `z${z}-p${p}-c${c}-nfs`, protocol: 'NFS' as const, capacityGiB: 4096 }],
        });
      }
      pods.push({
        name: `z${z}-pod${p}`,
        gateway: formatIpv4(base + 1),
        netmask: '255.255.252.0',
        reservedRanges: [{ startIp: formatIpv4(base + 2), endIp: formatIpv4(base + 200) }],
        clusters,
      });
    }
    const publicBase = ((198 << 24) | (18 << 16) | (z << 12)) >>> 0;
    zones.push({
      name: `zone${z}`,
      networkType: 'Advanced',
      guestCidr: '10.250.0.0/16',
      physicalNetworks: [
        { name: `z${z}-mgmt`, traffic: [{ type: 'Management' }] },
        { name: `z${z}-guest`, vlanRanges: '100-3999', traffic: [{ type: 'Guest' }, { type: 'Public' }] },
      ],
      // Each zone's public /20 comes from 198.18.0.0/15 (benchmarking space, RFC 2544).
      publicRanges: [{ vlan: 50, gateway: formatIpv4(publicBase + 1), netmask: '255.255.240.0', startIp: formatIpv4(publicBase + 10), endIp: formatIpv4(publicBase + 4000) }],
      pods,
      secondaryStorage: [{ name: `z${z}-secondary`, capacityGiB: 50_000 }],
    });
  }
  return {
    version: 1,
    name: `generated-${options.zones * options.podsPerZone * options.clustersPerPod * options.hostsPerCluster}-hosts`,
    offerings: {
      compute: [
        { name: 'small', cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 2048, offerHa: true },
        { name: 'large', cpuNumber: 8, cpuSpeedMhz: 2000, memoryMiB: 16384 },
      ],
    },
    templates: [{ name: 'linux', sizeGiB: 10 }],
    zones,
    demand: zones.map((zone) => ({
      zone: zone.name,
      accounts: 2000,
      isolatedNetworks: 2000,
      acquiredPublicIps: 500,
      vms: [
        { offering: 'small', count: 20_000, template: 'linux' },
        { offering: 'large', count: 2_000, template: 'linux' },
      ],
    })),
  };
}
