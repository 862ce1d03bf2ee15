/**
 * Every derived structure of a state as plain data, so two states can be compared with toEqual:
 * the indexes, the capacity index (hosts, clusters, ratios, active flags, used and reserved
 * capacity, guests, holds, strict implicit-dedication hosts) and every address and VNET pool
 * (its intervals, blocked values and allocations).
 *
 * What carries no meaning for any reader is left out, so a state rebuilt from its records and
 * the state evolve kept can be equal:
 * - map keys are sorted (readers look keys up; nothing iterates an index map for its order);
 * - empty lists and sets, zero counts and all-zero account usage are dropped (readers use ?? 0);
 * - the order of a few sets is sorted where no reader depends on it (see UNORDERED);
 * - link-local pools with nothing allocated are dropped (decide treats a missing one as fresh);
 * - the capacity index's version counters, cluster stamps and change log are left out: they
 *   only tell placement caches, which are kept per capacity index, what changed since they looked.
 * Lists and sets whose order a reader does see (the VMs of a host, of an account, of what a
 * router serves, hosts by address) keep their order.
 */
import { AccountVms } from '../../core/account-vms.js';
import type { CloudState } from '../../core/model/state.js';
import type { IdPool } from '../../core/net/pool.js';

/** Index sets that readers only ask about membership (poolTemplates) or read in sorted order (rulesByVm, see expungeEvents). */
const UNORDERED: ReadonlySet<string> = new Set(['poolTemplates', 'rulesByVm']);

export function derivedOf(state: CloudState): Record<string, unknown> {
  return { index: indexDigest(state), capacity: capacityDigest(state), pools: poolsDigest(state) };
}

function byKey<K, V>(map: ReadonlyMap<K, V>): [K, V][] {
  return [...map].sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

function indexDigest(state: CloudState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(state.index)) {
    if (name === 'vmsByHostOrdinal') {
      // The host lists by ordinal, as [host id, VM ids] for the hosts that hold VMs.
      out[name] = state.index.vmsByHostOrdinal.flatMap((list, ordinal) => {
        const digest = entryDigest(list ?? [], false);
        return digest === undefined ? [] : [[state.capacity.hostIds[ordinal], digest]];
      });
      continue;
    }
    if (!(value instanceof Map)) {
      out[name] = value;
      continue;
    }
    const entries: [unknown, unknown][] = [];
    for (const [key, entry] of byKey(value as Map<unknown, unknown>)) {
      const digest = entryDigest(entry, UNORDERED.has(name));
      if (digest !== undefined) entries.push([key, digest]);
    }
    out[name] = entries;
  }
  return out;
}

/** An index entry as data, or undefined when it means the same as no entry. */
function entryDigest(entry: unknown, unordered: boolean): unknown {
  if (entry instanceof Set || Array.isArray(entry) || entry instanceof AccountVms) {
    // Lists of records (the host index) compare by the records' ids.
    const list = [...(entry as Iterable<unknown>)].map((item) => (typeof item === 'object' && item !== null && 'id' in item ? (item as { id: unknown }).id : item));
    if (list.length === 0) return undefined;
    return unordered ? list.map(String).sort() : list;
  }
  if (typeof entry === 'number') return entry === 0 ? undefined : entry;
  if (typeof entry === 'object' && entry !== null) return Object.values(entry).every((v) => v === 0) ? undefined : entry;
  return entry;
}

function capacityDigest(state: CloudState): Record<string, unknown> {
  const c = state.capacity;
  return {
    hosts: c.hostIds.map((id, h) => ({
      id,
      ordinal: c.hostOrdinal.get(id),
      cluster: c.hostCluster[h],
      cpuTotalMhz: c.hostCpuTotalMhz[h],
      memoryTotalMiB: c.hostMemoryTotalMiB[h],
      cpuUsedMhz: c.hostCpuUsedMhz[h],
      memoryUsedMiB: c.hostMemoryUsedMiB[h],
      cpuReservedMhz: c.hostCpuReservedMhz[h],
      memoryReservedMiB: c.hostMemoryReservedMiB[h],
      guests: c.hostGuests[h],
      active: c.hostActive[h],
    })),
    hostCount: c.hostCount,
    clusters: c.clusterIds.map((id, k) => ({
      id,
      ordinal: c.clusterOrdinal.get(id),
      hosts: c.clusterHosts[k],
      cpuRatio: c.clusterCpuRatio[k],
      memoryRatio: c.clusterMemoryRatio[k],
      cpuTotalMhz: c.clusterCpuTotalMhz[k],
      memoryTotalMiB: c.clusterMemoryTotalMiB[k],
      cpuAllocatedMhz: c.clusterCpuAllocatedMhz[k],
      memoryAllocatedMiB: c.clusterMemoryAllocatedMiB[k],
    })),
    clusterCount: c.clusterCount,
    holds: byKey(new Map(c.holds)),
    strictHosts: byKey(c.strictHosts),
  };
}

function poolDigest(pool: IdPool): Record<string, unknown> {
  return {
    intervals: pool.intervals,
    capacity: pool.capacity,
    allocatedCount: pool.allocatedCount,
    blocked: pool.blockedValues(),
    allocated: pool.allocatedValues(),
  };
}

function poolsDigest(state: CloudState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, pools] of Object.entries(state.pools) as [string, Map<string, IdPool>][]) {
    out[name] = byKey(pools)
      .filter(([, pool]) => name !== 'linkLocalByPod' || pool.allocatedCount > 0)
      .map(([key, pool]) => [key, poolDigest(pool)]);
  }
  return out;
}
