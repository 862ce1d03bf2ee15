import { type HypervisorCapabilities, HYPERVISOR_CAPABILITIES } from '../../core/data/hypervisors.js';
import type { Id, StoragePool } from '../../core/model/entities.js';
import { type CloudState, clustersOf, physicalNetworksOf, podsOf, storagePoolsOf } from '../../core/model/state.js';
import { poolFactor } from '../../core/placement/storage.js';
import { defineView, field } from './view.js';

/**
 * listCapacity's rows, read from what the core keeps: the capacity index's cluster totals and
 * allocations (Up and Enabled hosts, with the cluster's over-provisioning), the storage pools'
 * allocation, the image stores' use, and the address and VNET pools. Rows are per zone, or per
 * pod (podid) or cluster (clusterid), one per capacity type, as CloudStack groups them.
 */

export const CAPACITY_TYPES = {
  0: 'MEMORY',
  1: 'CPU',
  2: 'STORAGE',
  3: 'STORAGE_ALLOCATED',
  4: 'VIRTUAL_NETWORK_PUBLIC_IP',
  5: 'PRIVATE_IP',
  6: 'SECONDARY_STORAGE',
  7: 'VLAN',
  8: 'DIRECT_ATTACHED_PUBLIC_IP',
  9: 'LOCAL_STORAGE',
} as const;
export type CapacityType = keyof typeof CAPACITY_TYPES;

export interface CapacityRow {
  type: CapacityType;
  zoneId: Id;
  podId?: Id;
  clusterId?: Id;
  total: number;
  used: number;
  /** Shown as capacityallocated where CloudStack tells allocation apart (CPU, memory, storage). */
  allocated?: number;
}

const MIB_BYTES = 1024 ** 2;
const GIB_BYTES = 1024 ** 3;

interface Sums {
  total: number;
  used: number;
  allocated: number;
  /** Whether anything the row counts exists (a row of zeros is shown then, none otherwise). */
  any: boolean;
}

const empty = (): Sums => ({ total: 0, used: 0, allocated: 0, any: false });

function add(sums: Sums, total: number, used: number, allocated = used): void {
  sums.total += total;
  sums.used += used;
  sums.allocated += allocated;
  sums.any = true;
}

/** CPU (1), memory (0), primary storage (2, 3) and local storage (9) of a set of clusters and pools. */
function computeAndStorage(state: CloudState, clusterIds: readonly Id[], pools: readonly StoragePool[]): Map<CapacityType, Sums> {
  const c = state.capacity;
  const memory = empty();
  const cpu = empty();
  for (const id of clusterIds) {
    const k = c.clusterOrdinal.get(id);
    if (k === undefined || (c.clusterHosts[k]?.length ?? 0) === 0) continue;
    add(memory, c.clusterMemoryTotalMiB[k]! * c.clusterMemoryRatio[k]! * MIB_BYTES, c.clusterMemoryAllocatedMiB[k]! * MIB_BYTES);
    add(cpu, c.clusterCpuTotalMhz[k]! * c.clusterCpuRatio[k]!, c.clusterCpuAllocatedMhz[k]!);
  }
  const used = empty();
  const allocated = empty();
  const local = empty();
  for (const pool of pools) {
    const factor = poolFactor(state, pool);
    const allocatedGiB = state.index.poolAllocatedGiB.get(pool.id) ?? 0;
    add(used, pool.capacityGiB * GIB_BYTES, Math.round((allocatedGiB / factor) * GIB_BYTES), Math.round(allocatedGiB * GIB_BYTES));
    add(pool.scope === 'HOST' ? local : allocated, Math.round(pool.capacityGiB * factor * GIB_BYTES), Math.round(allocatedGiB * GIB_BYTES));
  }
  return new Map<CapacityType, Sums>([[0, memory], [1, cpu], [2, used], [3, allocated], [9, local]]);
}

function addressSums(pools: readonly ({ capacity: number; allocatedCount: number } | undefined)[]): Sums {
  const sums = empty();
  for (const pool of pools) if (pool) add(sums, pool.capacity, pool.allocatedCount);
  return sums;
}

function rowsOf(sums: Map<CapacityType, Sums>, where: Pick<CapacityRow, 'zoneId' | 'podId' | 'clusterId'>): CapacityRow[] {
  const rows: CapacityRow[] = [];
  for (const [type, s] of [...sums].sort(([a], [b]) => a - b)) {
    if (!s.any) continue;
    const withAllocation = type === 0 || type === 1 || type === 2 || type === 3 || type === 9;
    rows.push({ type, ...where, total: s.total, used: s.used, ...(withAllocation ? { allocated: s.allocated } : {}) });
  }
  return rows;
}

export function clusterCapacity(state: CloudState, clusterId: Id): CapacityRow[] {
  const cluster = state.clusters.get(clusterId);
  if (!cluster) return [];
  const pools = storagePoolsOf(state, cluster.zoneId).filter((p) => p.clusterId === cluster.id);
  return rowsOf(computeAndStorage(state, [cluster.id], pools), { zoneId: cluster.zoneId, podId: cluster.podId, clusterId: cluster.id });
}

export function podCapacity(state: CloudState, podId: Id): CapacityRow[] {
  const pod = state.pods.get(podId);
  if (!pod) return [];
  const sums = computeAndStorage(state, clustersOf(state, pod.id).map((c) => c.id), storagePoolsOf(state, pod.zoneId).filter((p) => p.podId === pod.id));
  sums.set(5, addressSums([state.pools.reservedByPod.get(pod.id)]));
  return rowsOf(sums, { zoneId: pod.zoneId, podId: pod.id });
}

export function zoneCapacity(state: CloudState, zoneId: Id): CapacityRow[] {
  const pods = podsOf(state, zoneId);
  const sums = computeAndStorage(state, pods.flatMap((p) => clustersOf(state, p.id).map((c) => c.id)), storagePoolsOf(state, zoneId));
  sums.set(4, addressSums([state.pools.publicByZone.get(zoneId)]));
  sums.set(5, addressSums(pods.map((p) => state.pools.reservedByPod.get(p.id))));
  const secondary = empty();
  for (const store of state.imageStores.values()) {
    if (store.zoneId === zoneId && store.role === 'Image') add(secondary, store.capacityGiB * GIB_BYTES, Math.round((state.index.imageStoreUsedGiB.get(store.id) ?? 0) * GIB_BYTES));
  }
  sums.set(6, secondary);
  sums.set(7, addressSums(physicalNetworksOf(state, zoneId).filter((n) => n.vnetRanges.length > 0).map((n) => state.pools.vnetByPhysicalNetwork.get(n.id))));
  const direct = [
    ...pods.map((p) => state.pools.basicGuestByPod.get(p.id)),
    ...(state.index.networksByZone.get(zoneId) ?? []).map((id) => state.networks.get(id)).filter((n) => n?.guestType === 'Shared' && n.state !== 'Destroy').map((n) => state.pools.guestByNetwork.get(n!.id)),
  ];
  sums.set(8, addressSums(direct));
  return rowsOf(sums, { zoneId });
}

/** CloudStack's percentused: used / total x 100 in float, as DecimalFormat("##.##") prints it ("12.5", ".5", "0"). */
export function percentUsed(used: number, total: number): string {
  if (total === 0) return '0';
  const value = Math.fround(Math.fround(Math.fround(used) / Math.fround(total)) * 100);
  // Java's default rounding: half-even at two decimals.
  const scaled = value * 100;
  const floor = Math.floor(scaled);
  const fraction = scaled - floor;
  const hundredths = fraction > 0.5 || (fraction === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  const whole = Math.floor(hundredths / 100);
  const decimals = String(hundredths % 100).padStart(2, '0').replace(/0+$/, '');
  if (whole === 0 && decimals === '') return '0';
  return `${whole === 0 ? '' : whole}${decimals === '' ? '' : `.${decimals}`}`;
}

export const capacityView = defineView<CapacityRow>([
  field('type', 'integer', 'the capacity type: 0 memory, 1 CPU, 2 storage, 3 storage allocated, 4 public IPs, 5 private IPs, 6 secondary storage, 7 VLANs, 8 direct attached public IPs, 9 local storage', (r) => r.type),
  field('name', 'string', 'the name of the capacity type', (r) => CAPACITY_TYPES[r.type]),
  field('zoneid', 'string', 'the zone of the capacity', (r) => r.zoneId),
  field('zonename', 'string', 'the name of that zone', (r, ctx) => ctx.state.zones.get(r.zoneId)?.name),
  field('podid', 'string', 'the pod of the capacity', (r) => r.podId),
  field('podname', 'string', 'the name of that pod', (r, ctx) => (r.podId === undefined ? undefined : ctx.state.pods.get(r.podId)?.name)),
  field('clusterid', 'string', 'the cluster of the capacity', (r) => r.clusterId),
  field('clustername', 'string', 'the name of that cluster', (r, ctx) => (r.clusterId === undefined ? undefined : ctx.state.clusters.get(r.clusterId)?.name)),
  field('capacitytotal', 'long', 'the total capacity (bytes, MHz or a count)', (r) => r.total),
  field('capacityused', 'long', 'the capacity used, with what stopped VMs still reserve', (r) => r.used),
  field('capacityallocated', 'long', 'the capacity allocated', (r) => r.allocated),
  field('percentused', 'string', 'the share used, in percent', (r) => percentUsed(r.used, r.total)),
]);

export const hypervisorView = defineView<{ name: string }>([field('name', 'string', 'the name of the hypervisor', (h) => h.name)]);

/** Capability rows are data, not entities: their ids are fixed, one per row of the table. */
export function hypervisorCapabilityId(row: HypervisorCapabilities): string {
  const index = HYPERVISOR_CAPABILITIES.indexOf(row);
  return `00000000-0000-4000-8000-0000000c${(index + 1).toString(16).padStart(4, '0')}`;
}

export const hypervisorCapabilitiesView = defineView<HypervisorCapabilities>([
  field('id', 'string', 'the ID of the capability row', hypervisorCapabilityId),
  field('hypervisor', 'string', 'the hypervisor', (r) => r.hypervisor),
  field('hypervisorversion', 'string', 'the hypervisor version', (r) => r.version),
  field('maxguestslimit', 'long', 'the most guest VMs a host runs', (r) => r.maxGuestsLimit),
  field('maxdatavolumeslimit', 'integer', 'the most data volumes a VM takes', (r) => r.maxDataVolumesLimit),
  field('maxhostspercluster', 'integer', 'the most hosts a cluster takes', (r) => r.maxHostsPerCluster),
  field('securitygroupenabled', 'boolean', 'whether security groups are supported', (r) => r.securityGroupEnabled),
  field('storagemotionenabled', 'boolean', 'whether storage live migration is supported', (r) => r.storageMotionSupported),
]);
