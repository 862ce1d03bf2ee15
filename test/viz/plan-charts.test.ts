import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planScenarioText } from '../../core/plan.js';
import { ipSpaceChart, ipSpaceFromPlan, type IpSpaceRow } from '../../viz/charts/ip-space.js';
import { topologyChart, topologyFromPlan, type TopologyRegion } from '../../viz/charts/topology.js';
import { vlanPoolChart, vlanPoolsFromPlan, type VlanPool } from '../../viz/charts/vlan.js';
import { compareSvg, matchGolden } from './golden.js';
import { svgTexts, wellFormedProblems } from './xml.js';

const REGIONS: TopologyRegion[] = [
  {
    name: 'eu',
    zones: [
      {
        name: 'ams1',
        utilization: 0.9,
        storagePools: ['ceph-1'],
        systemVms: { secondaryStorageVms: 1, consoleProxies: 1, routers: 12 },
        pods: [
          {
            name: 'rack-1',
            utilization: 0.9,
            clusters: [
              { name: 'kvm-a', hypervisor: 'KVM', utilization: 0.9, storagePools: ['nfs-a', 'nfs-b'], hosts: [{ name: 'h1', utilization: 0.95 }, { name: 'h2', utilization: 0.85 }, { name: 'h3', utilization: 0.4 }] },
              { name: 'xen-b', hypervisor: 'XenServer', utilization: 0.3, storagePools: [], hosts: [{ name: 'x1', utilization: 0.3 }] },
            ],
          },
        ],
      },
    ],
  },
];

const IP_ROWS: IpSpaceRow[] = [
  {
    label: 'zone ams1 pod rack-1',
    cidr: '10.1.0.0/24',
    spans: [
      { kind: 'gateway', first: '10.1.0.1', last: '10.1.0.1' },
      { kind: 'reserved', first: '10.1.0.10', last: '10.1.0.59' },
      { kind: 'systemVm', first: '10.1.0.10', last: '10.1.0.11' },
      { kind: 'router', first: '10.1.0.12', last: '10.1.0.30' },
      { kind: 'host', first: '10.1.0.100', last: '10.1.0.100', label: 'host h1' },
      { kind: 'host', first: '10.1.0.101', last: '10.1.0.101', label: 'host h2' },
    ],
  },
  { label: 'zone ams1 public (VLAN 50)', cidr: '198.51.100.0/26', spans: [{ kind: 'gateway', first: '198.51.100.1', last: '198.51.100.1' }, { kind: 'public', first: '198.51.100.2', last: '198.51.100.62' }, { kind: 'publicUsed', first: '198.51.100.2', last: '198.51.100.21' }] },
];

const POOLS: VlanPool[] = [
  { zone: 'ams1', physicalNetwork: 'guest-net', isolation: 'VLAN', ranges: [{ first: 100, last: 199 }, { first: 3000, last: 3099 }], used: 180, total: 200, notificationThreshold: 0.75 },
  { zone: 'ams1', physicalNetwork: 'overlay', isolation: 'VXLAN', ranges: [{ first: 10_000, last: 19_999 }], used: 1_200, total: 10_000 },
];

function plan(name: string): ReturnType<typeof planScenarioText> & { ok: true } {
  const outcome = planScenarioText(readFileSync(fileURLToPath(new URL(`../../scenarios/${name}.yaml`, import.meta.url)), 'utf8'));
  if (!outcome.ok) throw new Error(`${name} does not parse`);
  return outcome;
}

describe('topologyChart', () => {
  it('matches its golden SVG, drawing each host', () => {
    const svg = topologyChart(REGIONS);
    expect(matchGolden('topology', svg).firstDifference).toBeUndefined();
    expect(wellFormedProblems(svg)).toEqual([]);
    const texts = svgTexts(svg);
    expect(texts).toEqual(expect.arrayContaining(['Topology: regions, zones, pods, clusters, hosts', 'regions', 'zones', 'pods', 'clusters', 'hosts', 'h1 95%', 'SSVM 1 · CPVM 1 · VR 12', 'pool nfs-a', 'zone-wide pool ceph-1', '75–85% (notification)']));
  });

  it('aggregates the hosts of each cluster above maxHostsDrawn, and says so', () => {
    const svg = topologyChart(REGIONS, { maxHostsDrawn: 3 });
    expect(matchGolden('topology-aggregated', svg).firstDifference).toBeUndefined();
    const texts = svgTexts(svg);
    expect(texts).toContain('hosts (aggregated per cluster)');
    expect(texts).toContain('3 hosts 73%');
    expect(texts).not.toContain('h1 95%');
    expect(texts.some((t) => t.startsWith('4 hosts are more than 3: each cluster'))).toBe(true);
    expect(compareSvg(topologyChart(REGIONS), svg).same).toBe(false);
  });

  it('stays within a readable height for the large scenario', () => {
    const { report, state } = plan('large-redundant');
    const svg = topologyChart(topologyFromPlan(report, state));
    expect(wellFormedProblems(svg)).toEqual([]);
    expect(svgTexts(svg)).toContain('kvm-a1-01 68%');
    const height = Number(/height="(\d+)/.exec(svg)![1]);
    expect(height).toBeLessThan(34 * 22 + 200);
  });
});

describe('ipSpaceChart', () => {
  it('matches its golden SVG and draws every span to scale within its CIDR', () => {
    const svg = ipSpaceChart(IP_ROWS);
    expect(matchGolden('ip-space', svg).firstDifference).toBeUndefined();
    expect(wellFormedProblems(svg)).toEqual([]);
    const texts = svgTexts(svg);
    expect(texts).toEqual(expect.arrayContaining(['IP space by pod and range', 'gateway', 'reserved system range', 'hosts and management servers', 'free', '10.1.0.0', '10.1.0.255']));
    expect(texts).toContain('gateway 1 · reserved 50 · system VMs 2 · routers 19 · hosts 2 · free 203');
    // 960 px wide, 16 px margins: a /24 is 928 px, 3.625 px an address; the reserved range starts at .10.
    expect(svg).toContain('<rect x="52.3" y="');
  });

  it('fills pods from the plan: gateway, reserved range, hosts; public ranges with the planned IPs', () => {
    const { report, state } = plan('large-redundant');
    const rows = ipSpaceFromPlan(report, state);
    expect(rows.map((r) => r.label)).toEqual(['zone dc1 pod pod-a', 'zone dc1 pod pod-b', 'zone dc1 pod pod-c', 'zone dc1 public (VLAN 50)', 'zone dc1 public (VLAN 51)']);
    const podC = rows[2]!;
    expect(podC.spans.filter((s) => s.kind === 'gateway')).toHaveLength(1);
    expect(podC.spans.some((s) => s.kind === 'router')).toBe(true);
    expect(wellFormedProblems(ipSpaceChart(rows))).toEqual([]);
    // The public ranges' taken addresses are planned in a plan, and in use on a running cloud.
    expect(svgTexts(ipSpaceChart(rows))).toContain('public IPs planned');
    const live = svgTexts(ipSpaceChart(rows, { live: true }));
    expect(live).toContain('public IPs in use');
    expect(live).not.toContain('public IPs planned');
  });
});

describe('vlanPoolChart', () => {
  it('matches its golden SVG, with use, thresholds and the ranges in the ID space', () => {
    const svg = vlanPoolChart(POOLS);
    expect(matchGolden('vlan', svg).firstDifference).toBeUndefined();
    expect(wellFormedProblems(svg)).toEqual([]);
    const texts = svgTexts(svg);
    expect(texts).toEqual(expect.arrayContaining(['Guest VLAN/VNI pools by physical network', '180 of 200 VLAN IDs (90%)', '1,200 of 10,000 VXLAN IDs (12%)', 'VLAN IDs', 'VXLAN IDs', 'in use', 'notification threshold']));
    expect(compareSvg(svg, vlanPoolChart(POOLS.map((p) => ({ ...p, used: p.used - 50 })))).same).toBe(false);
  });

  it('comes from the plan: one pool per guest physical network', () => {
    const { report, state } = plan('multi-site');
    const pools = vlanPoolsFromPlan(report, state);
    expect(pools.map((p) => `${p.zone}/${p.physicalNetwork}`)).toEqual(['ams1/ams1-guest', 'fra1/fra1-guest']);
    expect(pools[0]!.ranges).toEqual([{ first: 2000, last: 2199 }]);
  });
});
