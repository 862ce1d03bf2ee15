import { IMAGE_STORE_FULL_SHARE } from '../core/data/storage.js';
import type { Command } from '../core/model/commands.js';
import type { VmState } from '../core/model/compute.js';
import type { Id } from '../core/model/entities.js';
import { type CloudState, settingNumber } from '../core/model/state.js';
import { poolFactor } from '../core/placement/storage.js';
import type { RuntimeObserver, SimRuntime, StepResult } from './runtime.js';
import type { Source } from './sources.js';

/**
 * Time series of a run. A `Sample` is taken every `sampleEveryMs` of virtual time (and once at
 * the start and once at the end). What does not change during a run (which clusters, pods and
 * networks exist, and their capacities) is listed once in the `ResourceCatalog`; a sample holds
 * per-resource numbers in arrays in catalog order, so `sample.clusters.cpuAllocatedMhz[i]` is
 * the allocation of `catalog.clusters[i]`. Shares are not stored: a share is its allocation over
 * its capacity, and a year of daily samples of a large cloud is memory the run keeps.
 *
 * Counts of deploys and refusals cover the interval since the previous sample; everything else
 * is the state at the sample's time.
 */

/**
 * Thresholds are shares of capacity, read from the cloud's settings when the run starts (with a
 * cluster's own overrides): `notificationThreshold` raises CloudStack's capacity alert;
 * `disableThreshold` is where allocation stops (the cluster, pool or image store takes nothing
 * that would take it past). Resources CloudStack does not gate (addresses, VLANs) have no
 * disable threshold.
 */
export interface ResourceCatalog {
  zones: { id: Id; name: string; publicIpsTotal: number; publicIpsNotificationThreshold: number }[];
  pods: { id: Id; name: string; zoneId: Id; reservedIpsTotal: number; reservedIpsNotificationThreshold: number }[];
  clusters: {
    id: Id;
    name: string;
    zoneId: Id;
    podId: Id;
    hosts: number;
    cpuCapacityMhz: number;
    memoryCapacityMiB: number;
    cpuNotificationThreshold: number;
    cpuDisableThreshold: number;
    memoryNotificationThreshold: number;
    memoryDisableThreshold: number;
  }[];
  physicalNetworks: { id: Id; name: string; zoneId: Id; isolationMethod: string; vnetsTotal: number; vnetsNotificationThreshold: number }[];
  /** `capacityGiB` is the raw size; allocation is measured against capacityGiB x overprovisioningFactor. */
  storagePools: { id: Id; name: string; zoneId: Id; scope: string; capacityGiB: number; overprovisioningFactor: number; notificationThreshold: number; disableThreshold: number }[];
  imageStores: { id: Id; name: string; zoneId?: Id; capacityGiB: number; notificationThreshold: number; disableThreshold: number }[];
  /**
   * The smallest and largest request a user deploy can make of each gated resource, from the
   * cloud's user compute offerings (CPU: cores x speed) and disk offerings and templates (a
   * volume). A cluster or pool within one request of its disable threshold refuses it.
   */
  requests: {
    cpuMhz: { smallest: number; largest: number };
    memoryMiB: { smallest: number; largest: number };
    volumeGiB: { smallest: number; largest: number };
  };
}

/** The image store fill level above which the core places no more templates or snapshots. */
export const IMAGE_STORE_DISABLE_THRESHOLD = IMAGE_STORE_FULL_SHARE;

/** Numbers of one sample, one per cluster or pool, read by index. */
export type SampleNumbers = readonly number[] | Int32Array;

export interface Sample {
  atMs: number;
  /** User VMs by state (states with none are absent). */
  vms: Partial<Record<VmState, number>>;
  /** Routers, secondary storage VMs and console proxies by state. */
  systemVms: Partial<Record<VmState, number>>;
  /** Deploy requests since the previous sample. */
  deploys: {
    accepted: number;
    rejected: number;
    rejectedByCode: Record<string, number>;
    /** Refusal messages with their numbers replaced by "#", so alike reasons group. */
    rejectedByReason: Record<string, number>;
  };
  /** API requests of any kind refused since the previous sample because the management server was down. */
  refusedWhileManagementDown: number;
  managementUp: boolean;
  /** Hosts the management server believes down. */
  hostsDown: number;
  clusters: {
    /** used + reserved of the Up and Enabled hosts. */
    cpuAllocatedMhz: SampleNumbers;
    memoryAllocatedMiB: SampleNumbers;
    /** Capacity of the Up and Enabled hosts x over-provisioning: a share is allocated over this. */
    cpuCapacityMhz: number[];
    memoryCapacityMiB: number[];
    hostsUp: number[];
  };
  pods: { reservedIpsInUse: number[] };
  physicalNetworks: { vnetsInUse: number[] };
  zones: { publicIpsInUse: number[] };
  storagePools: { allocatedGiB: SampleNumbers };
  imageStores: { usedGiB: number[] };
}

export function catalogOf(state: CloudState): ResourceCatalog {
  const c = state.capacity;
  const setting = (name: string): number => settingNumber(state, name);
  const cpuDisable = setting('cluster.cpu.allocated.capacity.disablethreshold');
  const memoryDisable = setting('cluster.memory.allocated.capacity.disablethreshold');
  return {
    zones: [...state.zones.values()].map((z) => ({ id: z.id, name: z.name, publicIpsTotal: state.pools.publicByZone.get(z.id)?.capacity ?? 0, publicIpsNotificationThreshold: setting('zone.virtualnetwork.publicip.capacity.notificationthreshold') })),
    pods: [...state.pods.values()].map((p) => ({ id: p.id, name: p.name, zoneId: p.zoneId, reservedIpsTotal: state.pools.reservedByPod.get(p.id)?.capacity ?? 0, reservedIpsNotificationThreshold: setting('pod.privateip.capacity.notificationthreshold') })),
    clusters: [...state.clusters.values()].map((cluster) => {
      const ordinal = c.clusterOrdinal.get(cluster.id)!;
      let cpuMhz = 0;
      let memoryMiB = 0;
      for (const host of c.clusterHosts[ordinal] ?? []) {
        cpuMhz += c.hostCpuTotalMhz[host]!;
        memoryMiB += c.hostMemoryTotalMiB[host]!;
      }
      return {
        id: cluster.id,
        name: cluster.name,
        zoneId: cluster.zoneId,
        podId: cluster.podId,
        hosts: c.clusterHosts[ordinal]?.length ?? 0,
        cpuCapacityMhz: cpuMhz * c.clusterCpuRatio[ordinal]!,
        memoryCapacityMiB: memoryMiB * c.clusterMemoryRatio[ordinal]!,
        cpuNotificationThreshold: setting('cluster.cpu.allocated.capacity.notificationthreshold'),
        cpuDisableThreshold: cluster.cpuDisableThreshold ?? cpuDisable,
        memoryNotificationThreshold: setting('cluster.memory.allocated.capacity.notificationthreshold'),
        memoryDisableThreshold: cluster.memoryDisableThreshold ?? memoryDisable,
      };
    }),
    physicalNetworks: [...state.physicalNetworks.values()].map((n) => ({ id: n.id, name: n.name, zoneId: n.zoneId, isolationMethod: n.isolationMethod, vnetsTotal: state.pools.vnetByPhysicalNetwork.get(n.id)?.capacity ?? 0, vnetsNotificationThreshold: setting('zone.vlan.capacity.notificationthreshold') })),
    storagePools: [...state.storagePools.values()].map((p) => ({
      id: p.id,
      name: p.name,
      zoneId: p.zoneId,
      scope: p.scope,
      capacityGiB: p.capacityGiB,
      overprovisioningFactor: poolFactor(state, p),
      notificationThreshold: setting('cluster.storage.allocated.capacity.notificationthreshold'),
      // Both of the core's pool limits (used, and allocated) bind at the same allocation share
      // for thin volumes; the lower one is where the pool stops.
      disableThreshold: Math.min(setting('pool.storage.allocated.capacity.disablethreshold'), setting('pool.storage.capacity.disablethreshold')),
    })),
    imageStores: [...state.imageStores.values()].map((s) => ({
      id: s.id,
      name: s.name,
      ...(s.zoneId === undefined ? {} : { zoneId: s.zoneId }),
      capacityGiB: s.capacityGiB,
      notificationThreshold: setting('zone.secstorage.capacity.notificationthreshold'),
      disableThreshold: IMAGE_STORE_DISABLE_THRESHOLD,
    })),
    requests: requestSizes(state),
  };
}

/** The smallest and largest user request of CPU, memory and volume size (0 when there is none). */
function requestSizes(state: CloudState): ResourceCatalog['requests'] {
  const range = (values: number[]): { smallest: number; largest: number } => (values.length === 0 ? { smallest: 0, largest: 0 } : { smallest: Math.min(...values), largest: Math.max(...values) });
  const offerings = [...state.serviceOfferings.values()].filter((o) => o.systemVmType === undefined);
  const templateSizes = [...state.templates.values()].map((t) => t.sizeGiB);
  // A root disk is the offering's size, else the template's (the core's default is 20 GiB).
  const rootDisks = offerings.flatMap((o) => (o.rootDiskGiB !== undefined ? [o.rootDiskGiB] : templateSizes.length > 0 ? templateSizes : [20]));
  const dataDisks = [...state.diskOfferings.values()].flatMap((d) => (d.sizeGiB !== undefined && d.sizeGiB > 0 ? [d.sizeGiB] : []));
  return {
    cpuMhz: range(offerings.map((o) => o.cpuNumber * o.cpuSpeedMhz)),
    memoryMiB: range(offerings.map((o) => o.memoryMiB)),
    volumeGiB: range([...rootDisks, ...dataDisks]),
  };
}

/**
 * Takes samples on a schedule and counts deploy outcomes in between. It is a runtime observer:
 * it reads the loop, never takes part in it.
 */
export class Sampler implements RuntimeObserver {
  readonly catalog: ResourceCatalog;
  readonly samples: Sample[] = [];
  private accepted = 0;
  private rejected = 0;
  private byCode: Record<string, number> = {};
  private byReason: Record<string, number> = {};
  private refusedBefore = 0;
  /** Distinct reasons kept; the rest are counted under "other". */
  private readonly reasonsMax = 50;
  private reasonsSeen = new Set<string>();

  constructor(
    private readonly runtime: SimRuntime,
    private readonly onSample?: (sample: Sample) => void,
  ) {
    this.catalog = catalogOf(runtime.state);
    this.refusedBefore = runtime.counters.refusedWhileManagementDown;
  }

  command(command: Command, result: StepResult, _source: Source): void {
    if (command.type !== 'deployVirtualMachine') return;
    if (result.ok) {
      this.accepted++;
      return;
    }
    this.rejected++;
    const code = result.rejection.code;
    this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    let reason = result.rejection.message.replace(/\d+(\.\d+)?/g, '#');
    if (!this.reasonsSeen.has(reason)) {
      if (this.reasonsSeen.size >= this.reasonsMax) reason = 'other';
      else this.reasonsSeen.add(reason);
    }
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
  }

  /** Samples now, and again every `everyMs` (the task reschedules itself). */
  every(everyMs: number): void {
    this.take();
    this.runtime.later(everyMs, () => this.every(everyMs));
  }

  take(): Sample {
    const state = this.runtime.state;
    const c = state.capacity;
    // The core keeps these counts as VMs change state: sampling never walks every VM.
    const vms = nonZero(state.index.vmCountsByState.user);
    const systemVms = nonZero(state.index.vmCountsByState.system);
    let hostsDown = 0;
    for (const host of state.hosts.values()) if (host.status !== 'Up') hostsDown++;
    const n = this.catalog.clusters.length;
    const cpuAllocatedMhz = new Array<number>(n);
    const memoryAllocatedMiB = new Array<number>(n);
    const cpuCapacityMhz = new Array<number>(n);
    const memoryCapacityMiB = new Array<number>(n);
    const hostsUp = new Array<number>(n);
    this.catalog.clusters.forEach((entry, i) => {
      const k = c.clusterOrdinal.get(entry.id)!;
      const cpuTotalMhz = c.clusterCpuTotalMhz[k]! * c.clusterCpuRatio[k]!;
      const memoryTotalMiB = c.clusterMemoryTotalMiB[k]! * c.clusterMemoryRatio[k]!;
      cpuAllocatedMhz[i] = c.clusterCpuAllocatedMhz[k]!;
      memoryAllocatedMiB[i] = c.clusterMemoryAllocatedMiB[k]!;
      cpuCapacityMhz[i] = cpuTotalMhz;
      memoryCapacityMiB[i] = memoryTotalMiB;
      let up = 0;
      for (const host of c.clusterHosts[k] ?? []) if (c.hostActive[host] === 1) up++;
      hostsUp[i] = up;
    });
    // Capacity and hosts up change only when hosts fail, come back or are added: a sample whose
    // arrays equal the previous sample's shares them, so a year of daily samples of a large cloud
    // does not keep 365 copies of the same numbers. Samples are read-only.
    const previous = this.samples[this.samples.length - 1]?.clusters;
    const clusters: Sample['clusters'] = {
      cpuAllocatedMhz: compactNumbers(cpuAllocatedMhz),
      memoryAllocatedMiB: compactNumbers(memoryAllocatedMiB),
      cpuCapacityMhz: sameOrNew(previous?.cpuCapacityMhz, cpuCapacityMhz),
      memoryCapacityMiB: sameOrNew(previous?.memoryCapacityMiB, memoryCapacityMiB),
      hostsUp: sameOrNew(previous?.hostsUp, hostsUp),
    };
    const refused = this.runtime.counters.refusedWhileManagementDown;
    const sample: Sample = {
      atMs: this.runtime.nowMs,
      vms,
      systemVms,
      deploys: { accepted: this.accepted, rejected: this.rejected, rejectedByCode: this.byCode, rejectedByReason: this.byReason },
      refusedWhileManagementDown: refused - this.refusedBefore,
      managementUp: state.managementUp,
      hostsDown,
      clusters,
      pods: { reservedIpsInUse: this.catalog.pods.map((p) => state.pools.reservedByPod.get(p.id)?.allocatedCount ?? 0) },
      physicalNetworks: { vnetsInUse: this.catalog.physicalNetworks.map((n) => state.pools.vnetByPhysicalNetwork.get(n.id)?.allocatedCount ?? 0) },
      zones: { publicIpsInUse: this.catalog.zones.map((z) => state.pools.publicByZone.get(z.id)?.allocatedCount ?? 0) },
      storagePools: { allocatedGiB: compactNumbers(this.catalog.storagePools.map((p) => state.index.poolAllocatedGiB.get(p.id) ?? 0)) },
      imageStores: { usedGiB: this.catalog.imageStores.map((s) => state.index.imageStoreUsedGiB.get(s.id) ?? 0) },
    };
    this.accepted = 0;
    this.rejected = 0;
    this.byCode = {};
    this.byReason = {};
    this.refusedBefore = refused;
    this.samples.push(sample);
    this.onSample?.(sample);
    return sample;
  }
}

/**
 * The numbers that change every day (allocations per cluster and pool) in four bytes each when
 * they are whole and fit, as MHz, MiB and GiB sums are: a year of daily samples of a zone of 500
 * clusters and 500 pools then holds 2 MB of them instead of 4. Short lists stay as they are.
 */
function compactNumbers(values: number[]): SampleNumbers {
  if (values.length < 64) return values;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if ((value | 0) !== value) return values;
  }
  return Int32Array.from(values);
}

/** The previous sample's array when it holds the same numbers, else the new one. */
function sameOrNew(previous: number[] | undefined, next: number[]): number[] {
  if (previous === undefined || previous.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) if (!Object.is(previous[i], next[i])) return next;
  return previous;
}

/** The states with at least one VM, in the core's order. */
function nonZero(counts: Readonly<Record<VmState, number>>): Partial<Record<VmState, number>> {
  const out: Partial<Record<VmState, number>> = {};
  for (const [vmState, count] of Object.entries(counts) as [VmState, number][]) if (count > 0) out[vmState] = count;
  return out;
}
