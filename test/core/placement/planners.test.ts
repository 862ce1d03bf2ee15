/**
 * Placement as CloudStack's DeploymentPlanningManager does it, checked on small clouds where
 * every choice can be predicted: cluster order by the configured capacity type, the planners
 * (user dispersing, user concentrated pod, implicit dedication strict and preferred), the host
 * allocators, the last host, the 0.85 thresholds, stopped VMs holding capacity, host states,
 * tags, dedication and affinity.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScenarioSpec } from '../../../core/scenario/schema.js';
import { testCloud, type TestCloud } from '../../support/cloud.js';

/** One zone, pods p1 and p2, each with one KVM cluster of `hosts` hosts (16 cores x 2000 MHz, 64 GiB). */
function twoClusters(options: { pods?: number; hosts?: number; settings?: Record<string, string | number | boolean>; hostTags?: Record<string, string[]>; vmware?: boolean } = {}): ScenarioSpec {
  const pod = (name: string, octet: number) => ({
    name,
    gateway: `10.0.${octet}.1`,
    netmask: '255.255.255.0',
    reservedRanges: [{ startIp: `10.0.${octet}.2`, endIp: `10.0.${octet}.20` }],
    clusters: [
      {
        name: `${name}-c`,
        hypervisor: options.vmware ? ('VMware' as const) : ('KVM' as const),
        hosts: Array.from({ length: options.hosts ?? 2 }, (_, i) => ({
          name: `${name}-h${i + 1}`,
          ip: `10.0.${octet}.${101 + i}`,
          cpuCores: 16,
          cpuMhz: 2000,
          memoryGiB: 64,
          ...(options.hostTags?.[`${name}-h${i + 1}`] ? { tags: options.hostTags[`${name}-h${i + 1}`] } : {}),
        })),
        primaryStorage: [{ name: `${name}-nfs`, protocol: 'NFS' as const, capacityGiB: 4000 }],
      },
    ],
  });
  return {
    version: 1,
    name: 'two-clusters',
    settings: { 'vm.allocation.algorithm': 'firstfit', 'volume.allocation.algorithm': 'firstfit', 'max.account.cpus': -1, 'max.account.memory': -1, 'max.account.primary.storage': -1, 'max.account.user.vms': -1, 'max.account.volumes': -1, ...options.settings },
    domains: [{ name: 'd1' }],
    accounts: [{ name: 'alice' }, { name: 'bob' }, { name: 'carol', domain: 'd1' }],
    offerings: {
      compute: [
        { name: 'cpu-heavy', cpuNumber: 8, cpuSpeedMhz: 2000, memoryMiB: 2048, rootDiskGiB: 10 },
        { name: 'ram-heavy', cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 32768, rootDiskGiB: 10 },
        { name: 'small', cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 1024, rootDiskGiB: 10 },
        { name: 'tiny', cpuNumber: 1, cpuSpeedMhz: 100, memoryMiB: 256, rootDiskGiB: 1 },
        { name: 'tagged', cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 1024, rootDiskGiB: 10, hostTags: ['gpu'] },
        { name: 'strict', cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 1024, rootDiskGiB: 10, deploymentPlanner: 'ImplicitDedicationPlanner' },
        { name: 'dispersing', cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 1024, rootDiskGiB: 10, deploymentPlanner: 'UserDispersingPlanner' },
        { name: 'concentrated', cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 1024, rootDiskGiB: 10, deploymentPlanner: 'UserConcentratedPodPlanner' },
      ],
    },
    zones: [
      {
        name: 'z1',
        networkType: 'Advanced',
        physicalNetworks: [{ name: 'pn', vlanRanges: '100-199', traffic: [{ type: 'Management' }, { type: 'Guest' }, { type: 'Public' }] }],
        publicRanges: [{ vlan: 50, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.10', endIp: '203.0.113.99' }],
        pods: Array.from({ length: options.pods ?? 2 }, (_, i) => pod(`p${i + 1}`, i + 1)),
        secondaryStorage: [{ name: 'ss', capacityGiB: 1000 }],
        networks: [{ name: 'l2', type: 'L2', vlan: 300 }],
      },
    ],
  };
}

function deployer(cloud: TestCloud) {
  const zoneId = cloud.idOf('zone', 'z1');
  const networkIds = [cloud.idOf('network', 'l2')];
  let n = 0;
  return (account: string, offering: string, extra: Record<string, unknown> = {}) => {
    const name = `vm${++n}`;
    const refused = cloud.run({ type: 'deployVirtualMachine', zoneId, accountId: cloud.idOf('account', account), serviceOfferingId: cloud.idOf('offering', offering), networkIds, name, ...extra });
    return refused ? `refused: ${refused.message}` : cloud.hostName(cloud.vm(name).hostId)!;
  };
}

describe('cluster order (FirstFitPlanner)', () => {
  it('sends each VM to the cluster with the least allocated CPU by default', () => {
    const cloud = testCloud(twoClusters());
    const deploy = deployer(cloud);
    expect([deploy('alice', 'cpu-heavy'), deploy('alice', 'cpu-heavy'), deploy('alice', 'cpu-heavy')]).toEqual(['p1-h1', 'p2-h1', 'p1-h1']);
  });

  it('orders by memory when host.capacityType.to.order.clusters is RAM', () => {
    const cloud = testCloud(twoClusters({ settings: { 'host.capacityType.to.order.clusters': 'RAM' } }));
    const deploy = deployer(cloud);
    // A CPU-heavy VM on p1 leaves its memory almost free, so RAM ordering sends the next one to p1 too.
    const hosts = [deploy('alice', 'cpu-heavy'), deploy('alice', 'ram-heavy'), deploy('alice', 'cpu-heavy')];
    expect(hosts).toEqual(['p1-h1', 'p2-h1', 'p1-h1']);
  });

  it('weighs CPU against memory with COMBINED', () => {
    const cloud = testCloud(twoClusters({ settings: { 'host.capacityType.to.order.clusters': 'COMBINED', 'host.capacityType.to.order.clusters.cputomemoryweight': 0 } }));
    const deploy = deployer(cloud);
    // Weight 0 is pure memory: the 2 GiB of the first VM make p1 the more used cluster.
    expect([deploy('alice', 'cpu-heavy'), deploy('alice', 'cpu-heavy')]).toEqual(['p1-h1', 'p2-h1']);
  });

  it('excludes a cluster that would pass the 0.85 CPU disable threshold', () => {
    const cloud = testCloud(twoClusters());
    const deploy = deployer(cloud);
    // Each cluster holds 64,000 MHz; six 16,000 MHz VMs fill both to 75 %, the seventh passes 0.85 anywhere.
    const hosts = Array.from({ length: 6 }, () => deploy('alice', 'cpu-heavy').slice(0, 2));
    expect(hosts.sort()).toEqual(['p1', 'p1', 'p1', 'p2', 'p2', 'p2']);
    expect(deploy('alice', 'cpu-heavy')).toBe('refused: Unable to create a deployment for the VM (8 x 2000 MHz and 2,048 MiB) in zone z1: no host fits; removed: 2 clusters over the 0.85 CPU disable threshold');
  });
});

describe('cluster order kept between placements', () => {
  it('always sends a VM to the least allocated cluster (by CPU, then by creation) however deploys and expunges interleave', () => {
    const offerings = ['small', 'tiny'] as const;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...offerings), fc.nat(40)), { minLength: 1, maxLength: 40 }), (ops) => {
        const cloud = testCloud(twoClusters({ pods: 6 }));
        const deploy = deployer(cloud);
        const clusterIds = Array.from({ length: 6 }, (_, i) => cloud.idOf('cluster', `p${i + 1}-c`));
        const live: string[] = [];
        const allocatedMhz = (clusterId: string): number => {
          let sum = 0;
          for (const vm of cloud.state.vms.values()) if (vm.kind === 'User' && vm.hostId !== undefined && cloud.state.hosts.get(vm.hostId)!.clusterId === clusterId) sum += vm.cpuNumber * vm.cpuSpeedMhz;
          return sum;
        };
        for (const op of ops) {
          if (typeof op === 'number') {
            if (live.length === 0) continue;
            const [name] = live.splice(op % live.length, 1);
            cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm(name!).id, expunge: true });
            continue;
          }
          // Every cluster has the same capacity, so the least used one is the least allocated.
          const before = clusterIds.map(allocatedMhz);
          const expected = clusterIds[before.indexOf(Math.min(...before))];
          const host = deploy('alice', op);
          expect(host).not.toMatch(/^refused/);
          const vm = [...cloud.state.vms.values()].filter((v) => v.kind === 'User').at(-1)!;
          expect(cloud.state.hosts.get(vm.hostId!)!.clusterId).toBe(expected);
          live.push(vm.name);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('the other planners', () => {
  it('UserDispersingPlanner spreads an account over clusters by its VM count', () => {
    const cloud = testCloud(twoClusters());
    const deploy = deployer(cloud);
    deploy('bob', 'cpu-heavy'); // p1 is now the busier cluster by CPU
    // Ties in the account's VM counts fall back to capacity order: p2 first, then p1 (alice has
    // one VM on p2 and none on p1), then p2 again (one each, and p2 is less used).
    expect([deploy('alice', 'dispersing'), deploy('alice', 'dispersing'), deploy('alice', 'dispersing')].map((h) => h.slice(0, 2))).toEqual(['p2', 'p1', 'p2']);
  });

  it('UserConcentratedPodPlanner keeps an account in the pods it already uses', () => {
    const cloud = testCloud(twoClusters());
    const deploy = deployer(cloud);
    expect(deploy('alice', 'concentrated')).toBe('p1-h1');
    deploy('bob', 'cpu-heavy');
    deploy('bob', 'cpu-heavy');
    // FirstFit alone would now pick p2 (less CPU used); the account's pod p1 comes first.
    expect(deploy('alice', 'concentrated').slice(0, 2)).toBe('p1');
  });

  it('ImplicitDedicationPlanner (strict) keeps hosts to one account and fails when none is free', () => {
    const cloud = testCloud(twoClusters({ hosts: 1 }));
    const deploy = deployer(cloud);
    expect(deploy('alice', 'strict')).toBe('p1-h1');
    expect(deploy('alice', 'strict')).toBe('p1-h1');
    expect(deploy('bob', 'strict')).toBe('p2-h1');
    expect(deploy('carol', 'strict')).toBe('refused: Unable to create a deployment for the VM (1 x 1000 MHz and 1,024 MiB) in zone z1: no host fits; removed: 2 hosts implicitly dedicated (strict) to another account');
    // A VM of another planner cannot share a strictly dedicated host either.
    expect(deploy('carol', 'small')).toBe('refused: Unable to create a deployment for the VM (1 x 1000 MHz and 1,024 MiB) in zone z1: no host fits; removed: 2 hosts implicitly dedicated (strict) to another account');
  });
});

describe('hosts: allocators, last host, states and tags', () => {
  it('firstfit takes hosts in the order they were added; firstfitleastconsumed the freest', () => {
    const first = deployer(testCloud(twoClusters({ hosts: 3 })));
    expect([first('alice', 'small'), first('alice', 'small'), first('alice', 'small')]).toEqual(['p1-h1', 'p2-h1', 'p1-h1']);
    const least = deployer(testCloud(twoClusters({ hosts: 3, settings: { 'vm.allocation.algorithm': 'firstfitleastconsumed' } })));
    expect([least('alice', 'small'), least('alice', 'small'), least('alice', 'small')]).toEqual(['p1-h1', 'p2-h1', 'p1-h2']);
  });

  it('random picks hosts from the seeded generator: the same seed, the same hosts', () => {
    const run = (seed: number) => {
      const deploy = deployer(testCloud(twoClusters({ hosts: 4, settings: { 'vm.allocation.algorithm': 'random' } }), seed));
      return Array.from({ length: 12 }, () => deploy('alice', 'small'));
    };
    expect(run(7)).toEqual(run(7));
    expect(new Set(run(7)).size).toBeGreaterThan(2);
    expect(run(7)).not.toEqual(run(8));
  });

  it('starts a stopped VM on its last host, whose capacity it kept reserved', () => {
    const cloud = testCloud(twoClusters());
    const deploy = deployer(cloud);
    expect(deploy('alice', 'cpu-heavy')).toBe('p1-h1');
    const vm = cloud.vm('vm1');
    cloud.ok({ type: 'stopVirtualMachine', id: vm.id });
    const host = cloud.state.capacity.hostOrdinal.get(cloud.idOf('host', 'p1-h1'))!;
    expect(cloud.state.capacity.hostCpuReservedMhz[host]).toBe(16_000);
    expect(deploy('bob', 'cpu-heavy')).toBe('p2-h1');
    cloud.ok({ type: 'startVirtualMachine', id: vm.id });
    expect(cloud.hostName(cloud.vm('vm1').hostId)).toBe('p1-h1');
    expect(cloud.state.capacity.hostCpuReservedMhz[host]).toBe(0);
    expect(cloud.state.capacity.hostCpuUsedMhz[host]).toBe(16_000);
  });

  it('releases a stopped VM\'s reservation after capacity.skipcounting.hours (3600 s)', () => {
    const cloud = testCloud(twoClusters());
    deployer(cloud)('alice', 'cpu-heavy');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    const host = cloud.state.capacity.hostOrdinal.get(cloud.idOf('host', 'p1-h1'))!;
    cloud.advance(3_599_000);
    expect(cloud.state.capacity.hostCpuReservedMhz[host]).toBe(16_000);
    cloud.advance(1_000);
    expect(cloud.state.capacity.hostCpuReservedMhz[host]).toBe(0);
  });

  it('skips disabled, maintenance and down hosts, and says so', () => {
    const cloud = testCloud(twoClusters({ hosts: 1 }));
    cloud.ok({ type: 'updateHost', id: cloud.idOf('host', 'p1-h1'), allocationState: 'Disabled' });
    cloud.ok({ type: 'hostDown', hostId: cloud.idOf('host', 'p2-h1') });
    expect(deployer(cloud)('alice', 'small')).toBe('refused: Unable to create a deployment for the VM (1 x 1000 MHz and 1,024 MiB) in zone z1: no host fits; removed: 1 host disabled, 1 host down');
  });

  it('honours host tags: a tagged offering goes only to hosts carrying the tag', () => {
    const cloud = testCloud(twoClusters({ hostTags: { 'p2-h2': ['gpu'] } }));
    const deploy = deployer(cloud);
    expect([deploy('alice', 'tagged'), deploy('alice', 'tagged')]).toEqual(['p2-h2', 'p2-h2']);
    expect(deploy('alice', 'small')).toBe('p1-h1');
  });

  it('counts max guests per host on VMware but not on KVM', () => {
    const vmware = deployer(testCloud(twoClusters({ hosts: 1, vmware: true })));
    // vSphere's default capability row allows 128 guests per host; KVM's limit is not enforced.
    for (let i = 0; i < 256; i++) expect(vmware('alice', 'tiny')).not.toMatch(/^refused/);
    expect(vmware('alice', 'tiny')).toBe('refused: Unable to create a deployment for the VM (1 x 100 MHz and 256 MiB) in zone z1: no host fits; removed: 2 hosts full: max 128 guests per host');
    const kvm = deployer(testCloud(twoClusters({ hosts: 1 })));
    for (let i = 0; i < 257; i++) expect(kvm('alice', 'tiny')).not.toMatch(/^refused/);
  });
});

describe('dedication and affinity', () => {
  it('keeps a dedicated cluster to its domain, and others out of it', () => {
    const spec = twoClusters();
    spec.zones[0]!.pods![1]!.clusters![0]!.dedicatedTo = { domain: 'd1' };
    const cloud = testCloud(spec);
    const deploy = deployer(cloud);
    expect([deploy('alice', 'small'), deploy('alice', 'small')]).toEqual(['p1-h1', 'p1-h1']);
    cloud.ok({ type: 'createAffinityGroup', name: 'dedicated', affinityType: 'ExplicitDedication', accountId: cloud.idOf('account', 'carol') });
    const group = [...cloud.state.affinityGroups.values()][0]!.id;
    expect(deploy('carol', 'small', { affinityGroupIds: [group] })).toBe('p2-h1');
  });

  it('never puts two members of a strict anti-affinity group on one host', () => {
    const cloud = testCloud(twoClusters({ hosts: 2 }));
    cloud.ok({ type: 'createAffinityGroup', name: 'spread', affinityType: 'host anti-affinity', accountId: cloud.idOf('account', 'alice') });
    const group = [...cloud.state.affinityGroups.values()][0]!.id;
    const deploy = deployer(cloud);
    const hosts = Array.from({ length: 4 }, () => deploy('alice', 'small', { affinityGroupIds: [group] }));
    expect(new Set(hosts).size).toBe(4);
    expect(deploy('alice', 'small', { affinityGroupIds: [group] })).toMatch(/^refused: .*4 hosts with a member of its host anti-affinity group/);
  });

  it('keeps the members of a strict affinity group on one host', () => {
    const cloud = testCloud(twoClusters({ hosts: 2 }));
    cloud.ok({ type: 'createAffinityGroup', name: 'pack', affinityType: 'host affinity', accountId: cloud.idOf('account', 'alice') });
    const group = [...cloud.state.affinityGroups.values()][0]!.id;
    const deploy = deployer(cloud);
    deploy('bob', 'cpu-heavy');
    const hosts = Array.from({ length: 3 }, () => deploy('alice', 'small', { affinityGroupIds: [group] }));
    expect(new Set(hosts).size).toBe(1);
  });

  it('spreads non-strict anti-affinity members when it can, and still places when it cannot', () => {
    const cloud = testCloud(twoClusters({ hosts: 1 }));
    cloud.ok({ type: 'createAffinityGroup', name: 'soft', affinityType: 'non-strict host anti-affinity', accountId: cloud.idOf('account', 'alice') });
    const group = [...cloud.state.affinityGroups.values()][0]!.id;
    const deploy = deployer(cloud);
    const hosts = Array.from({ length: 3 }, () => deploy('alice', 'small', { affinityGroupIds: [group] }));
    expect(hosts.filter((h) => !h.startsWith('refused'))).toHaveLength(3);
  });
});
