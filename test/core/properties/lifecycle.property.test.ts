/**
 * Properties of the running cloud under any sequence of deploys, destroys, stops, starts, host
 * failures, host returns and migrations (fast-check generates the sequences; the global seed
 * replays them). After every command: no host holds more than its over-provisioned capacity,
 * every VM's capacity hold matches its state, no address or VLAN is held twice, members of a
 * strict anti-affinity group never share a host, and HA restarts stay in the failed host's
 * cluster. Replaying the event log into an empty cloud rebuilds the same state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evolve } from '../../../core/evolve.js';
import { snapshotOf } from '../../../core/model/snapshot.js';
import { type CloudState, emptyState } from '../../../core/model/state.js';
import { testCloud, type TestCloud } from '../../support/cloud.js';
import { applyLifecycleOp, lifecycleDesign, lifecycleOpArb, spreadGroups } from '../../support/lifecycle-ops.js';

function checkInvariants(state: CloudState): void {
  const capacity = state.capacity;
  for (let h = 0; h < capacity.hostCount; h++) {
    const cluster = capacity.hostCluster[h]!;
    const cpuLimit = capacity.hostCpuTotalMhz[h]! * capacity.clusterCpuRatio[cluster]!;
    const memoryLimit = capacity.hostMemoryTotalMiB[h]! * capacity.clusterMemoryRatio[cluster]!;
    expect(capacity.hostCpuUsedMhz[h]! + capacity.hostCpuReservedMhz[h]!, `CPU of ${capacity.hostIds[h]}`).toBeLessThanOrEqual(cpuLimit);
    expect(capacity.hostMemoryUsedMiB[h]! + capacity.hostMemoryReservedMiB[h]!, `memory of ${capacity.hostIds[h]}`).toBeLessThanOrEqual(memoryLimit);
  }
  for (const vm of state.vms.values()) {
    const hold = capacity.holdOf(vm);
    if (vm.state === 'Running' || vm.state === 'Starting' || vm.state === 'Stopping') {
      expect(hold?.reserved, `${vm.name} (${vm.state}) holds used capacity`).toBe(false);
      expect(capacity.hostIds[hold!.host]).toBe(vm.hostId);
    } else if (vm.state === 'Stopped') {
      if (hold) {
        expect(hold.reserved).toBe(true);
        expect(capacity.hostIds[hold.host]).toBe(vm.lastHostId);
      }
    } else {
      expect(hold, `${vm.name} (${vm.state}) holds nothing`).toBeUndefined();
    }
  }
  for (const vmId of capacity.holds.keys()) expect(state.vms.has(vmId)).toBe(true);
  // Addresses: each (pool space, address) held once, and the pools count exactly what is held.
  const held = new Map<string, string>();
  const note = (key: string, who: string) => {
    expect(held.get(key), `${key} held by ${who} and ${held.get(key)}`).toBeUndefined();
    held.set(key, who);
  };
  for (const vm of state.vms.values()) {
    for (const nic of vm.nics) {
      if (nic.ip === undefined || nic.role === 'public') continue;
      const network = nic.networkId ? state.networks.get(nic.networkId) : undefined;
      if (nic.role === 'guest' && network?.gateway === nic.ip) continue;
      note(`${nic.role}:${nic.podId ?? nic.networkId}:${nic.ip}`, vm.name);
    }
  }
  for (const ip of state.publicIps.values()) note(`public:${ip.zoneId}:${ip.ip}`, ip.id);
  for (const [zoneId, pool] of state.pools.publicByZone) expect(pool.allocatedCount).toBe([...state.publicIps.values()].filter((ip) => ip.zoneId === zoneId).length);
  const vlans = new Map<string, string>();
  for (const network of state.networks.values()) {
    if (!network.vlanFromPool) continue;
    const key = `${network.physicalNetworkId}:${network.vlan}`;
    expect(vlans.get(key), `VLAN ${key} held twice`).toBeUndefined();
    vlans.set(key, network.name);
  }
  for (const [pnId, pool] of state.pools.vnetByPhysicalNetwork) expect(pool.allocatedCount).toBe([...vlans.keys()].filter((k) => k.startsWith(`${pnId}:`)).length);
  // The counts the core keeps as VMs change state agree with a fresh count.
  const running = new Map<string, number>();
  const members = new Map<string, number>();
  const byState = { user: new Map<string, number>(), system: new Map<string, number>() };
  for (const vm of state.vms.values()) {
    const counts = vm.kind === 'User' ? byState.user : byState.system;
    counts.set(vm.state, (counts.get(vm.state) ?? 0) + 1);
    if (vm.kind === 'User') for (const nic of vm.nics) if (nic.networkId !== undefined) members.set(nic.networkId, (members.get(nic.networkId) ?? 0) + 1);
    if (vm.kind !== 'User' || !['Starting', 'Running', 'Stopping', 'Migrating'].includes(vm.state)) continue;
    for (const nic of vm.nics) if (nic.networkId !== undefined) running.set(nic.networkId, (running.get(nic.networkId) ?? 0) + 1);
  }
  for (const [networkId, counts] of state.index.vmsByNetwork) {
    expect(counts.running, `running VMs on ${state.networks.get(networkId)?.name}`).toBe(running.get(networkId) ?? 0);
    expect(counts.members, `member VMs of ${state.networks.get(networkId)?.name}`).toBe(members.get(networkId) ?? 0);
    expect(counts.members + counts.running, `the entry of ${state.networks.get(networkId)?.name}, which counts nothing`).toBeGreaterThan(0);
  }
  for (const [networkId, count] of running) expect(state.index.vmsByNetwork.get(networkId)?.running, `running VMs on ${state.networks.get(networkId)?.name}`).toBe(count);
  for (const [networkId, count] of members) expect(state.index.vmsByNetwork.get(networkId)?.members, `member VMs of ${state.networks.get(networkId)?.name}`).toBe(count);
  const routers = new Map<string, number>();
  for (const vm of state.vms.values()) {
    if (vm.kind === 'DomainRouter' && vm.servesId !== undefined && !['Destroyed', 'Expunging', 'Error'].includes(vm.state)) routers.set(vm.servesId, (routers.get(vm.servesId) ?? 0) + 1);
  }
  expect(new Map([...state.index.liveRoutersByServes].filter(([, n]) => n !== 0))).toEqual(routers);
  for (const kind of ['user', 'system'] as const) {
    for (const [vmState, count] of Object.entries(state.index.vmCountsByState[kind])) expect(count, `${kind} VMs ${vmState}`).toBe(byState[kind].get(vmState) ?? 0);
  }
  // Strict anti-affinity: no two running members on one host.
  for (const group of state.affinityGroups.values()) {
    if (group.type !== 'host anti-affinity') continue;
    const hosts = group.vmIds.map((id) => state.vms.get(id)).filter((vm) => vm?.hostId !== undefined).map((vm) => vm!.hostId);
    expect(new Set(hosts).size, `group ${group.name} members share a host`).toBe(hosts.length);
  }
}

describe('the running cloud under random operations', () => {
  it('keeps capacity, holds, addresses, VLANs and anti-affinity consistent after every command', () => {
    fc.assert(
      fc.property(fc.array(lifecycleOpArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 1000 }), (ops, seed) => {
        const cloud = testCloud(lifecycleDesign(), seed);
        const groupOf = spreadGroups(cloud);
        for (const op of ops) {
          applyLifecycleOp(cloud, op, groupOf);
          checkInvariants(cloud.state);
        }
        const replayed = emptyState(0);
        for (const event of buildEvents(cloud)) evolve(replayed, event);
        expect(snapshotOf(replayed)).toEqual(snapshotOf(cloud.state));
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 60) },
    );
  });
});

/** The whole event history: the build's events, then the run's. */
function buildEvents(cloud: TestCloud) {
  return [...cloud.buildEvents, ...cloud.events];
}
