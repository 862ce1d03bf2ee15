import type { Hypervisor } from '../data/hypervisors.js';
import type { VmKind } from '../model/compute.js';
import type { Host, Id, StorageType } from '../model/entities.js';
import { SmallMap, SmallSet } from '../small.js';

export const PLANNERS = ['FirstFitPlanner', 'UserDispersingPlanner', 'UserConcentratedPodPlanner', 'ImplicitDedicationPlanner'] as const;
export type PlannerName = (typeof PLANNERS)[number];

export const HOST_ALLOCATORS = ['random', 'firstfit', 'userdispersing', 'firstfitleastconsumed', 'userconcentratedpod_random', 'userconcentratedpod_firstfit'] as const;
export type HostAllocatorName = (typeof HOST_ALLOCATORS)[number];

/** One volume the VM needs on primary storage. */
export interface VolumeAsk {
  sizeGiB: number;
  storageType: StorageType;
  storageTags: readonly string[];
  /** The template copied to the pool with a root volume (counts once per pool). */
  templateId?: Id;
  templateSizeGiB?: number;
  /** A volume that already lives on a pool: the host must reach that pool. */
  currentPoolId?: Id;
}

export interface PlacementRequest {
  /** The VM being placed; its own holds and affinity memberships are taken into account. */
  vmId: Id;
  kind: VmKind;
  accountId: Id;
  domainId: Id;
  ownerIsRootAdmin: boolean;
  zoneId: Id;
  cpuNumber: number;
  cpuSpeedMhz: number;
  memoryMiB: number;
  hostTags: readonly string[];
  /** Only hosts of this hypervisor (the template's), when set. */
  hypervisor?: Hypervisor;
  affinityGroupIds: readonly Id[];
  volumes: readonly VolumeAsk[];
  /** The offering's planner; the `vm.deployment.planner` setting otherwise. */
  planner?: PlannerName;
  implicitMode?: 'Strict' | 'Preferred';
  lastHostId?: Id;
  /** A host named by the caller: only that host is tried (tags are not checked, as in CloudStack). */
  hostId?: Id;
  /** Narrowing: only this cluster (HA restarts, migrations) or pod. */
  clusterId?: Id;
  podId?: Id;
  avoidHostIds?: ReadonlySet<Id>;
  haRestart?: boolean;
  /** A new VM (thresholds always apply) rather than a start of a stopped one. */
  freshDeploy: boolean;
  /** Capacity already promised by earlier placements of the same decision. */
  pending?: PendingHolds;
}

interface PendingHost {
  cpuMhz: number;
  memoryMiB: number;
  guests: number;
}

interface PendingCluster {
  cpuMhz: number;
  memoryMiB: number;
  lostCpuTotalMhz: number;
  lostMemoryTotalMiB: number;
}

const NO_ENTRIES: ReadonlyMap<unknown, unknown> = new Map();
const NO_MEMBERS: ReadonlySet<unknown> = new Set();

function noEntries<K, V>(): ReadonlyMap<K, V> {
  return NO_ENTRIES as ReadonlyMap<K, V>;
}

function noMembers<T>(): ReadonlySet<T> {
  return NO_MEMBERS as ReadonlySet<T>;
}

/**
 * Capacity promised inside one decision (a VM and the router its network needs, or all the HA
 * restarts after a host failure) before any of it is in state: later placements of the same
 * decision count it as taken.
 */
export class PendingHolds {
  // A deploy makes one of these per decision and most use two of the five collections: each
  // is made on its first write, and reads of one never written see a shared empty one.
  // They are SmallMaps and SmallSets: their first entry in fields, a real Map or Set from a second.
  private hostsMap: SmallMap<number, PendingHost> | undefined;
  private clustersMap: SmallMap<number, PendingCluster> | undefined;
  private poolsMap: SmallMap<Id, number> | undefined;
  private lostHostsSet: SmallSet<number> | undefined;
  private releasedSet: SmallSet<Id> | undefined;

  get hosts(): ReadonlyMap<number, PendingHost> {
    return this.hostsMap ?? noEntries();
  }

  /** Per cluster: capacity promised (or given back), and the totals of hosts this decision takes out. */
  get clusters(): ReadonlyMap<number, PendingCluster> {
    return this.clustersMap ?? noEntries();
  }

  get pools(): ReadonlyMap<Id, number> {
    return this.poolsMap ?? noEntries();
  }

  /** Hosts this decision takes out of service (a failed host): nothing of theirs counts any more. */
  get lostHosts(): ReadonlySet<number> {
    return this.lostHostsSet ?? noMembers();
  }

  /** VMs this decision moves off the hold they have (a restart elsewhere): that hold is given back here. */
  get released(): ReadonlySet<Id> {
    return this.releasedSet ?? noMembers();
  }

  private clusterEntry(cluster: number): PendingCluster {
    const clusters = (this.clustersMap ??= new SmallMap());
    let c = clusters.get(cluster);
    if (!c) {
      c = { cpuMhz: 0, memoryMiB: 0, lostCpuTotalMhz: 0, lostMemoryTotalMiB: 0 };
      clusters.set(cluster, c);
    }
    return c;
  }

  /**
   * A host that fails in this decision: its capacity leaves the cluster's total and what it held
   * leaves the cluster's allocation, as evolve will do with the Down event, so the restarts the
   * same decision plans see the survivors only.
   */
  loseHost(host: number, cluster: number, capacity: { cpuTotalMhz: number; memoryTotalMiB: number; cpuAllocatedMhz: number; memoryAllocatedMiB: number }): void {
    if (this.lostHosts.has(host)) return;
    (this.lostHostsSet ??= new SmallSet()).add(host);
    const c = this.clusterEntry(cluster);
    c.cpuMhz -= capacity.cpuAllocatedMhz;
    c.memoryMiB -= capacity.memoryAllocatedMiB;
    c.lostCpuTotalMhz += capacity.cpuTotalMhz;
    c.lostMemoryTotalMiB += capacity.memoryTotalMiB;
  }

  add(host: number, cluster: number, cpuMhz: number, memoryMiB: number, guest: boolean): void {
    const hosts = (this.hostsMap ??= new SmallMap());
    const h = hosts.get(host) ?? { cpuMhz: 0, memoryMiB: 0, guests: 0 };
    h.cpuMhz += cpuMhz;
    h.memoryMiB += memoryMiB;
    if (guest) h.guests++;
    hosts.set(host, h);
    const c = this.clusterEntry(cluster);
    c.cpuMhz += cpuMhz;
    c.memoryMiB += memoryMiB;
  }

  /** A VM placed away from its current hold gives that hold back (unless its host was lost already). */
  release(vmId: Id, hold: { host: number; cpuMhz: number; memoryMiB: number; guest: boolean }, cluster: number): void {
    if (this.released.has(vmId)) return;
    (this.releasedSet ??= new SmallSet()).add(vmId);
    if (this.lostHosts.has(hold.host)) return;
    this.add(hold.host, cluster, -hold.cpuMhz, -hold.memoryMiB, false);
    if (hold.guest) this.hosts.get(hold.host)!.guests--;
  }

  addPool(poolId: Id, sizeGiB: number): void {
    const pools = (this.poolsMap ??= new SmallMap());
    pools.set(poolId, (pools.get(poolId) ?? 0) + sizeGiB);
  }
}

export type PlacementResult =
  | {
      ok: true;
      hostId: Id;
      /** The host's record and its ordinal in the capacity index, so callers need not look either up again. */
      host: Host;
      hostOrdinal: number;
      clusterId: Id;
      podId: Id;
      /** One pool per volume ask, in order. */
      poolIds: Id[];
      lastHostReused: boolean;
    }
  | {
      ok: false;
      /** CloudStack's insufficient-capacity error, in words a user can act on. */
      message: string;
      /** How many candidates each filter removed, by filter name. */
      removed: Record<string, number>;
    };
