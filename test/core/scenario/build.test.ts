/**
 * Building a cloud from a scenario: the same file gives the same state and ids every time, the
 * order entities are written in changes nothing (not the ids, not the findings), and replaying
 * the recorded events from an empty state rebuilds the identical cloud.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evolve } from '../../../core/evolve.js';
import { snapshotOf } from '../../../core/model/snapshot.js';
import { emptyState } from '../../../core/model/state.js';
import { planScenario } from '../../../core/plan.js';
import { buildScenario } from '../../../core/scenario/build.js';
import type { ScenarioSpec } from '../../../core/scenario/schema.js';

/** A design with several deliberate problems, so there are findings whose order could vary. */
function design(): ScenarioSpec {
  return {
    version: 1,
    name: 'order-test',
    offerings: { compute: [{ name: 'm1', cpuNumber: 2, cpuSpeedMhz: 2000, memoryMiB: 4096 }, { name: 'm2', cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 1024, offerHa: true }] },
    zones: [
      {
        name: 'zone-b',
        networkType: 'Advanced',
        physicalNetworks: [
          { name: 'net1', vlanRanges: '100-199', traffic: [{ type: 'Management' }, { type: 'Guest' }, { type: 'Public' }] },
          { name: 'net2', vlanRanges: '150-160', traffic: [{ type: 'Guest' }, { type: 'Public' }] },
        ],
        publicRanges: [
          { vlan: 20, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.10', endIp: '203.0.113.20' },
          { vlan: 20, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.15', endIp: '203.0.113.30' },
        ],
        pods: [
          {
            name: 'p1', gateway: '10.0.0.1', netmask: '255.255.255.0', reservedRanges: [{ startIp: '10.0.0.10', endIp: '10.0.0.20' }],
            clusters: [
              {
                name: 'c1', hypervisor: 'KVM',
                hosts: [{ name: 'h{n}', count: 3, ip: '10.0.0.30', cpuCores: 8, cpuMhz: 2000, memoryGiB: 32 }, { name: 'x1', ip: '10.0.0.15', cpuCores: 8, cpuMhz: 2000, memoryGiB: 32 }],
                primaryStorage: [{ name: 'ps1', protocol: 'NFS', capacityGiB: 1000 }],
              },
              { name: 'c2', hypervisor: 'VMware', hosts: [{ name: 'v1', ip: '10.0.0.40', cpuCores: 8, cpuMhz: 2000, memoryGiB: 32 }], primaryStorage: [{ name: 'ps2', protocol: 'RBD', capacityGiB: 1000 }] },
            ],
          },
          { name: 'p0', gateway: '10.0.0.129', netmask: '255.255.255.128', reservedRanges: [{ startIp: '10.0.0.130', endIp: '10.0.0.140' }] },
        ],
        secondaryStorage: [{ name: 'ss', capacityGiB: 50 }],
      },
      {
        name: 'zone-a',
        networkType: 'Basic',
        physicalNetworks: [{ name: 'n', traffic: [{ type: 'Management' }, { type: 'Guest' }] }],
        pods: [{ name: 'p', gateway: '10.0.0.1', netmask: '255.255.255.0', reservedRanges: [{ startIp: '10.0.0.2', endIp: '10.0.0.9' }], guestRanges: [{ gateway: '10.0.0.1', netmask: '255.255.255.0', startIp: '10.0.0.100', endIp: '10.0.0.200' }], clusters: [{ name: 'k', hypervisor: 'KVM', hosts: [{ name: 'h1', ip: '10.0.0.30', cpuCores: 8, cpuMhz: 2000, memoryGiB: 32 }], primaryStorage: [{ name: 'ps', protocol: 'NFS', capacityGiB: 500 }] }] }],
        secondaryStorage: [{ name: 'ss', capacityGiB: 200 }],
      },
    ],
    demand: [{ zone: 'zone-b', accounts: 5, isolatedNetworks: 30, vms: [{ offering: 'm1', count: 20 }, { offering: 'm2', count: 10 }] }],
  };
}

const findingKey = (f: { code: string; severity: string; path: string; message: string }): string => `${f.severity} ${f.code} ${f.path} ${f.message}`;

/** Reverses or rotates every list in the spec that the builder orders canonically. */
function permute(spec: ScenarioSpec, pick: (length: number) => number[]): ScenarioSpec {
  const copy = structuredClone(spec);
  const reorder = <T>(list: T[] | undefined): T[] | undefined => (list ? pick(list.length).map((i) => list[i]!) : list);
  copy.zones = reorder(copy.zones)!;
  for (const zone of copy.zones) {
    zone.physicalNetworks = reorder(zone.physicalNetworks);
    zone.publicRanges = reorder(zone.publicRanges);
    zone.pods = reorder(zone.pods);
    for (const pod of zone.pods ?? []) {
      pod.clusters = reorder(pod.clusters);
      for (const cluster of pod.clusters ?? []) cluster.hosts = reorder(cluster.hosts);
    }
  }
  if (copy.offerings) copy.offerings.compute = reorder(copy.offerings.compute);
  return copy;
}

describe('building a scenario', () => {
  it('gives identical state and ids when built twice', () => {
    const a = buildScenario(design());
    const b = buildScenario(design());
    expect(snapshotOf(a.state)).toEqual(snapshotOf(b.state));
    expect([...a.state.hosts.keys()]).toEqual([...b.state.hosts.keys()]);
    expect(a.state.hosts.size).toBe(6);
  });

  it('does not depend on the order entities appear in the file', () => {
    const reference = planScenario(design()).report;
    const referenceIds = snapshotOf(buildScenario(design()).state);
    expect(reference.findings.filter((f) => f.severity === 'error').length).toBeGreaterThan(3);
    fc.assert(
      fc.property(fc.infiniteStream(fc.nat()), (stream) => {
        const iterator = stream[Symbol.iterator]();
        const pick = (length: number): number[] => {
          const order = Array.from({ length }, (_, i) => i);
          for (let i = length - 1; i > 0; i--) {
            const j = iterator.next().value! % (i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          return order;
        };
        const shuffled = permute(design(), pick);
        const report = planScenario(shuffled).report;
        expect(report.findings.map(findingKey)).toEqual(reference.findings.map(findingKey));
        expect(report.budgets).toEqual(reference.budgets);
        expect(snapshotOf(buildScenario(shuffled).state)).toEqual(referenceIds);
      }),
      { numRuns: 30 },
    );
  });

  it('rebuilds the identical state by replaying its events from an empty cloud', () => {
    const built = buildScenario(design());
    const replayed = emptyState(0);
    for (const event of built.events) evolve(replayed, event);
    expect(snapshotOf(replayed)).toEqual(snapshotOf(built.state));
    expect(replayed.index.hostsByCluster).toEqual(built.state.index.hostsByCluster);
  });

  it('records where each entity was declared', () => {
    const built = buildScenario(design());
    const host = [...built.state.hosts.values()].find((h) => h.name === 'h2')!;
    expect(built.origins.get(host.id)).toEqual(['zones', 0, 'pods', 0, 'clusters', 0, 'hosts', 0]);
  });
});
