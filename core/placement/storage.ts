import { POOL_TYPE } from '../data/storage.js';
import type { Host, Id, StoragePool } from '../model/entities.js';
import { type CloudState, settingNumber } from '../model/state.js';
import type { Rng } from '../ports.js';
import type { PlacementSettings, Tally } from './placement.js';
import type { VolumeAsk } from './types.js';

/**
 * Storage pool allocation for the volumes of a VM on a chosen host (AbstractStoragePoolAllocator):
 * local volumes on the host's own pool, shared volumes on a pool of its cluster or a zone-wide
 * pool of its hypervisor; the pool must carry every storage tag and stay under both disable
 * thresholds (used, and allocated against over-provisioned capacity) with the new volume.
 */

/** Over-provisioning factor of a pool: its own, else the setting when its type allows it. */
export function poolFactor(state: CloudState, pool: StoragePool): number {
  if (pool.overprovisioningFactor !== undefined) return pool.overprovisioningFactor;
  return POOL_TYPE[pool.protocol].overprovisioning ? settingNumber(state, 'storage.overprovisioning.factor') : 1;
}

/** Shared pools a cluster reaches, cached per state until pools are added. */
const sharedPoolCache = new WeakMap<CloudState['index'], { size: number; byCluster: Map<Id, StoragePool[]> }>();

function sharedPoolsOf(state: CloudState, host: Host): StoragePool[] {
  let cache = sharedPoolCache.get(state.index);
  if (!cache || cache.size !== state.storagePools.size) {
    cache = { size: state.storagePools.size, byCluster: new Map() };
    sharedPoolCache.set(state.index, cache);
  }
  let pools = cache.byCluster.get(host.clusterId);
  if (!pools) {
    pools = [];
    for (const id of state.index.storagePoolsByZone.get(host.zoneId) ?? []) {
      const pool = state.storagePools.get(id)!;
      if ((pool.scope === 'CLUSTER' && pool.clusterId === host.clusterId) || (pool.scope === 'ZONE' && pool.hypervisor === host.hypervisor)) pools.push(pool);
    }
    cache.byCluster.set(host.clusterId, pools);
  }
  return pools;
}

function localPoolsOf(state: CloudState, host: Host): StoragePool[] {
  const out: StoragePool[] = [];
  for (const id of state.index.storagePoolsByZone.get(host.zoneId) ?? []) {
    const pool = state.storagePools.get(id)!;
    if (pool.scope === 'HOST' && pool.hostId === host.id) out.push(pool);
  }
  return out;
}

export function poolReachable(pool: StoragePool, host: Host): boolean {
  if (pool.scope === 'HOST') return pool.hostId === host.id;
  if (pool.scope === 'CLUSTER') return pool.clusterId === host.clusterId;
  return pool.zoneId === host.zoneId && pool.hypervisor === host.hypervisor;
}

/** Pool ids for every volume, in order, or undefined (with the reason tallied). */
export function choosePools(state: CloudState, host: Host, volumes: readonly VolumeAsk[], accountId: Id, rng: Rng, tally: Tally, settings: PlacementSettings, promised?: ReadonlyMap<Id, number>): Id[] | undefined {
  if (volumes.length === 0) return [];
  const usedLimit = settings.poolUsedLimit;
  const allocatedLimit = settings.poolAllocatedLimit;
  const algorithm = settings.volumeAlgorithm;
  const firstFit = algorithm === 'firstfit' || algorithm === 'userconcentratedpod_firstfit';
  // Volumes of one VM already chosen in this call, per pool (only needed past the first volume).
  let pending: Map<Id, number> | undefined;
  const chosen: Id[] = [];
  for (const ask of volumes) {
    if (ask.currentPoolId !== undefined) {
      const pool = state.storagePools.get(ask.currentPoolId);
      if (!pool || !poolReachable(pool, host)) {
        if (tally.active) tally.count('host out of reach of the pool of an existing volume', host.id);
        return undefined;
      }
      if (pool.state !== 'Up') {
        if (tally.active) tally.count(`host cut off from an existing volume (pool ${pool.name} is ${pool.state})`, host.id);
        return undefined;
      }
      chosen.push(pool.id);
      continue;
    }
    const candidates = ask.storageType === 'local' ? localPoolsOf(state, host) : sharedPoolsOf(state, host);
    const fitting: StoragePool[] = [];
    for (const pool of candidates) {
      if (pool.state !== 'Up') continue;
      if (!ask.storageTags.every((t) => pool.tags.includes(t))) continue;
      const allocated = (state.index.poolAllocatedGiB.get(pool.id) ?? 0) + (pending?.get(pool.id) ?? 0) + (promised?.get(pool.id) ?? 0);
      const template = ask.templateId !== undefined && !state.index.poolTemplates.get(pool.id)?.has(ask.templateId) ? ask.templateSizeGiB ?? 0 : 0;
      // Volumes are thin: on average a pool's used bytes are its allocation divided by its
      // over-provisioning factor, so the allocated threshold is the one that binds, as in practice.
      const factor = pool.overprovisioningFactor ?? (POOL_TYPE[pool.protocol].overprovisioning ? settings.storageFactor : 1);
      if (allocated / factor / pool.capacityGiB > usedLimit) continue;
      if ((allocated + ask.sizeGiB + template) / (pool.capacityGiB * factor) > allocatedLimit) continue;
      fitting.push(pool);
      if (firstFit) break;
    }
    if (fitting.length === 0) {
      if (tally.active) tally.count(candidates.length === 0 ? `host without ${ask.storageType} primary storage` : `host without a ${ask.storageType} pool with ${ask.sizeGiB} GiB free${ask.storageTags.length ? ` and tags ${ask.storageTags.join(', ')}` : ''}`, host.id);
      return undefined;
    }
    const pool = firstFit ? fitting[0]! : orderPools(state, fitting, algorithm, accountId, rng)[0]!;
    if (volumes.length > 1) {
      pending ??= new Map();
      pending.set(pool.id, (pending.get(pool.id) ?? 0) + ask.sizeGiB);
    }
    chosen.push(pool.id);
  }
  return chosen;
}

function orderPools(state: CloudState, pools: StoragePool[], algorithm: string, accountId: Id, rng: Rng): StoragePool[] {
  if (pools.length <= 1) return pools;
  switch (algorithm) {
    case 'firstfit':
    case 'userconcentratedpod_firstfit':
      return pools;
    case 'firstfitleastconsumed': {
      const free = (p: StoragePool): number => p.capacityGiB * poolFactor(state, p) - (state.index.poolAllocatedGiB.get(p.id) ?? 0);
      return [...pools].sort((a, b) => free(b) - free(a));
    }
    case 'userdispersing': {
      const count = new Map<Id, number>();
      for (const vmId of state.index.vmsByAccount.get(accountId) ?? []) {
        for (const volumeId of state.vms.get(vmId)?.volumeIds ?? []) {
          const poolId = state.volumes.get(volumeId)?.storagePoolId;
          if (poolId !== undefined) count.set(poolId, (count.get(poolId) ?? 0) + 1);
        }
      }
      return [...pools].sort((a, b) => (count.get(a.id) ?? 0) - (count.get(b.id) ?? 0));
    }
    default: {
      const copy = [...pools];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = rng.intInclusive(0, i);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    }
  }
}
