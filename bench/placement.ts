import { buildScenario } from '../core/scenario/build.js';
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

/** What evolve does with a placement: the host hold and the volume on its pool. */
function commit(state: CloudState, vmId: string, hostId: string, poolId: string): void {
  const host = state.capacity.hostOrdinal.get(hostId)!;
  state.capacity.hold(vmId, { host, cpuMhz: 1000, memoryMiB: 2048, reserved: false, guest: true });
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
function naivePlacement(state: CloudState, vmId: string, zoneId: string): string | undefined {
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
  capacity.hold(vmId, { host: best, cpuMhz: 1000, memoryMiB: 2048, reserved: false, guest: true });
  return capacity.hostIds[best];
}

export function benchPlacement(count = 200_000): PlacementFigures {
  let state = taggedCloud();
  const rng = new SeededRng(1);
  // Warm up the JIT on a copy of the work, then measure on a fresh cloud.
  for (let i = 0; i < 2000; i++) {
    const placed = placeVm(state, request(state, `warm-${i}`, [], i), rng);
    if (placed.ok) commit(state, `warm-${i}`, placed.hostId, placed.poolIds[0]!);
  }
  state = taggedCloud();
  const plain = timed(() => {
    let placed = 0;
    for (let i = 0; i < count; i++) {
      const result = placeVm(state, request(state, `vm-${i}`, [], i), rng);
      if (!result.ok) throw new Error(`placement ${i} failed: ${result.message}`);
      commit(state, `vm-${i}`, result.hostId, result.poolIds[0]!);
      placed++;
    }
    return placed;
  });

  state = taggedCloud();
  const groupCount = Math.ceil(count / 4 / 10);
  for (let g = 0; g < groupCount; g++) state.affinityGroups.set(`group-${g}`, { id: `group-${g}`, name: `group-${g}`, type: 'host anti-affinity', accountId: 'system', vmIds: [] });
  const anti = timed(() => {
    let placed = 0;
    for (let i = 0; i < groupCount * 10; i++) {
      const group = state.affinityGroups.get(`group-${Math.floor(i / 10)}`)!;
      const vmId = `anti-${i}`;
      const result = placeVm(state, request(state, vmId, [group.id], Math.floor(i / 10)), rng);
      if (!result.ok) throw new Error(`anti-affinity placement ${i} failed: ${result.message}`);
      commit(state, vmId, result.hostId, result.poolIds[0]!);
      group.vmIds.push(vmId);
      placed++;
    }
    return placed;
  });

  state = taggedCloud();
  const zones = zoneIdsOf(state);
  const baselineCount = Math.min(count, 5_000);
  const baseline = timed(() => {
    let placed = 0;
    for (let i = 0; i < baselineCount; i++) if (naivePlacement(state, `naive-${i}`, zones[i % zones.length]!)) placed++;
    return placed;
  });
  return {
    placements: plain.count,
    placementsPerSecond: plain.count / (plain.ms / 1000),
    antiAffinityPerSecond: anti.count / (anti.ms / 1000),
    baselinePerSecond: baseline.count / (baseline.ms / 1000),
  };
}
