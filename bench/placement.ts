import { vmRecord } from '../core/evolve-lifecycle.js';
import { buildScenario } from '../core/scenario/build.js';
import type { Vm } from '../core/model/compute.js';
import type { CloudState } from '../core/model/state.js';
import { placeVm } from '../core/placement/placement.js';
import type { PlacementRequest } from '../core/placement/types.js';
import { SeededRng } from '../core/rng.js';
import { generateCloud } from './generate.js';

/**
 * Placement throughput on the generated 10,000-host cloud: placeVm with the capacity hold and
 * the volume's pool allocation applied after each placement (what evolve does with the result),
 * first-fit host order, a host tag carried by half of the clusters, the 0.85 thresholds.
 */

export interface PlacementFigures {
  placementsPerSecond: number;
  antiAffinityPerSecond: number;
  baselinePerSecond: number;
  placements: number;
}

const zoneIdCache = new WeakMap<CloudState, string[]>();
function zoneIdsOf(state: CloudState): string[] {
  let ids = zoneIdCache.get(state);
  if (!ids) {
    ids = [...state.zones.keys()];
    zoneIdCache.set(state, ids);
  }
  return ids;
}

function taggedCloud(): CloudState {
  const spec = generateCloud({ zones: 4, podsPerZone: 10, clustersPerPod: 25, hostsPerCluster: 10 });
  spec.settings = { 'vm.allocation.algorithm': 'firstfit', 'volume.allocation.algorithm': 'firstfit' };
  for (const zone of spec.zones) {
    for (const pod of zone.pods ?? []) {
      pod.clusters?.forEach((cluster, i) => {
        if (i % 2 === 0) for (const host of cluster.hosts ?? []) host.tags = ['ssd'];
      });
    }
  }
  return buildScenario(spec).state;
}

/** Requests go round the four zones, as arrivals from users of all of them would. */
function request(state: CloudState, vmId: string, affinityGroupIds: string[], i = 0): PlacementRequest {
  const zones = zoneIdsOf(state);
  return {
    vmId,
    kind: 'User',
    accountId: 'system',
    domainId: 'ROOT',
    ownerIsRootAdmin: false,
    zoneId: zones[i % zones.length]!,
    cpuNumber: 1,
    cpuSpeedMhz: 1000,
    memoryMiB: 2048,
    hostTags: ['ssd'],
    affinityGroupIds,
    volumes: [{ sizeGiB: 10, storageType: 'shared', storageTags: [] }],
    freshDeploy: true,
  };
}

/**
 * The records of the VMs to place, made before the clock starts: what is timed is placing them and
 * applying the result, not building records (holds are kept on VM records, see HoldTable).
 */
function records(prefix: string, count: number): Vm[] {
  return Array.from({ length: count }, (_, i) => vmRecord({
    id: `${prefix}-${i}`,
    name: `${prefix}-${i}`,
    kind: 'User',
    accountId: 'system',
    zoneId: '',
    serviceOfferingId: 'bench',
    state: 'Running',
    cpuNumber: 1,
    cpuSpeedMhz: 1000,
    memoryMiB: 2048,
    haEnabled: false,
    usesLocalStorage: false,
    hostTags: ['ssd'],
    affinityGroupIds: [],
    securityGroupIds: [],
    nics: [],
    volumeIds: [],
    stateChangedMs: 0,
  }));
}

/** The VM on its host, holding capacity there. */
function runOn(state: CloudState, vm: Vm, host: number): void {
  const hostId = state.capacity.hostIds[host]!;
  vm.hostId = hostId;
  vm.zoneId = state.hosts.get(hostId)!.zoneId;
  state.vms.set(vm.id, vm);
  state.capacity.hold(vm, { host, cpuMhz: 1000, memoryMiB: 2048, reserved: false, guest: true });
}

/** What evolve does with a placement: the VM on its host, holding capacity, and the volume on its pool. */
function commit(state: CloudState, vm: Vm, hostId: string, poolId: string): void {
  runOn(state, vm, state.capacity.hostOrdinal.get(hostId)!);
  state.index.poolAllocatedGiB.set(poolId, (state.index.poolAllocatedGiB.get(poolId) ?? 0) + 10);
}

function timed(fn: () => number): { count: number; ms: number } {
  const start = process.hrtime.bigint();
  const count = fn();
  return { count, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/**
 * The same decision made the straightforward way: scan every host of the zone, work out each
 * cluster's CPU share on the way, and keep the first fitting host of the least used cluster.
 */
function naivePlacement(state: CloudState, vm: Vm, zoneId: string): string | undefined {
  const capacity = state.capacity;
  let best = -1;
  let bestShare = Infinity;
  for (let h = 0; h < capacity.hostCount; h++) {
    const host = state.hosts.get(capacity.hostIds[h]!)!;
    if (host.zoneId !== zoneId || host.status !== 'Up' || host.resourceState !== 'Enabled' || !host.tags.includes('ssd')) continue;
    if (capacity.hostFreeCpuMhz(h) < 1000 || capacity.hostFreeMemoryMiB(h) < 2048) continue;
    const cluster = capacity.hostCluster[h]!;
    if (capacity.clusterCpuShare(cluster, 1000) > 0.85 || capacity.clusterMemoryShare(cluster, 2048) > 0.85) continue;
    const share = capacity.clusterCpuShare(cluster);
    if (share < bestShare) {
      bestShare = share;
      best = h;
    }
  }
  if (best < 0) return undefined;
  runOn(state, vm, best);
  return capacity.hostIds[best];
}

export function benchPlacement(count = 200_000): PlacementFigures {
  let state = taggedCloud();
  const rng = new SeededRng(1);
  // Warm up the JIT on a copy of the work, then measure on a fresh cloud.
  const warm = records('warm', 2000);
  for (let i = 0; i < warm.length; i++) {
    const placed = placeVm(state, request(state, warm[i]!.id, [], i), rng);
    if (placed.ok) commit(state, warm[i]!, placed.hostId, placed.poolIds[0]!);
  }
  state = taggedCloud();
  const plainVms = records('vm', count);
  const plain = timed(() => {
    let placed = 0;
    for (let i = 0; i < count; i++) {
      const vm = plainVms[i]!;
      const result = placeVm(state, request(state, vm.id, [], i), rng);
      if (!result.ok) throw new Error(`placement ${i} failed: ${result.message}`);
      commit(state, vm, result.hostId, result.poolIds[0]!);
      placed++;
    }
    return placed;
  });

  state = taggedCloud();
  const groupCount = Math.ceil(count / 4 / 10);
  for (let g = 0; g < groupCount; g++) state.affinityGroups.set(`group-${g}`, { id: `group-${g}`, name: `group-${g}`, type: 'host anti-affinity', accountId: 'system', vmIds: [] });
  const antiVms = records('anti', groupCount * 10);
  const anti = timed(() => {
    let placed = 0;
    for (let i = 0; i < groupCount * 10; i++) {
      const group = state.affinityGroups.get(`group-${Math.floor(i / 10)}`)!;
      const vm = antiVms[i]!;
      const result = placeVm(state, request(state, vm.id, [group.id], Math.floor(i / 10)), rng);
      if (!result.ok) throw new Error(`anti-affinity placement ${i} failed: ${result.message}`);
      commit(state, vm, result.hostId, result.poolIds[0]!);
      group.vmIds.push(vm.id);
      placed++;
    }
    return placed;
  });

  state = taggedCloud();
  const zones = zoneIdsOf(state);
  const baselineCount = Math.min(count, 5_000);
  const naiveVms = records('naive', baselineCount);
  const baseline = timed(() => {
    let placed = 0;
    for (let i = 0; i < baselineCount; i++) if (naivePlacement(state, naiveVms[i]!, zones[i % zones.length]!)) placed++;
    return placed;
  });
  return {
    placements: plain.count,
    placementsPerSecond: plain.count / (plain.ms / 1000),
    antiAffinityPerSecond: anti.count / (anti.ms / 1000),
    baselinePerSecond: baseline.count / (baseline.ms / 1000),
  };
}
