import { capabilitiesOf, DISPLAY_NAME, enforcesMaxGuests } from '../data/hypervisors.js';
import { formatCount } from '../format.js';
import { CHANGE_LOG_SIZE, type CapacityIndex, type Hold } from '../capacity.js';
import { type AffinityGroup, isZoneSystemVm } from '../model/compute.js';
import type { Cluster, Dedication, Host, Id, Zone } from '../model/entities.js';
import { type CloudState, settingBoolean, settingNumber, settingString } from '../model/state.js';
import type { Rng } from '../ports.js';
import { choosePools } from './storage.js';
import type { HostAllocatorName, PlacementRequest, PlacementResult, PlannerName } from './types.js';

/**
 * Where a VM goes, decided the way CloudStack's DeploymentPlanningManager does it:
 * dedication and disabled resources first (into the avoid set), affinity processors, the last
 * host when it still fits, then the planner's cluster order, the host allocator's host order,
 * and storage pools for every volume. Each filter counts what it removed, so a failure says
 * exactly why ("9,800 hosts lacked 4,096 MiB of free memory; the most free was 2,048 MiB").
 */

const NO_KEYS: Set<string> = new Set();

/** Counts of removed candidates per reason, and the best numbers seen, for the failure message. */
export class Tally {
  /**
   * Counting costs time on every candidate, so the first attempt of a placement runs without
   * it; only when that attempt fails does a second, counting attempt explain why.
   */
  constructor(readonly active: boolean) {
    this.removed = {};
    this.seen = active ? new Set() : NO_KEYS;
  }

  readonly removed: Record<string, number>;
  /** Candidates already counted per reason: a host seen in two passes counts once. */
  private readonly seen: Set<string>;
  clustersConsidered = 0;
  hostsConsidered = 0;
  mostFreeMemoryMiB = -Infinity;
  mostFreeCpuMhz = -Infinity;

  count(reason: string, candidate?: number | string): void {
    if (!this.active) return;
    if (candidate !== undefined) {
      const key = `${reason}\u0000${candidate}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    this.removed[reason] = (this.removed[reason] ?? 0) + 1;
  }
}

interface Context {
  state: CloudState;
  capacity: CapacityIndex;
  request: PlacementRequest;
  rng: Rng;
  tally: Tally;
  zone: Zone;
  cpuMhz: number;
  haTag: string;
  /** Hosts no member of a strict anti-affinity group may share, and the hosts strict affinity requires. */
  antiHosts: Set<Id>;
  affinityHosts: Set<Id> | undefined;
  /** Non-strict affinity priorities per host (+1 per affinity member, -1 per anti-affinity member). */
  priority: Map<Id, number> | undefined;
  /** Explicit dedication: resources the VM must use (when it opted in) or must avoid. */
  dedication: DedicationRule;
  /** ImplicitDedicationPlanner host classes, when that planner runs. */
  implicit: ImplicitClasses | undefined;
  thresholds: boolean;
  topology: TopologyCache;
  /** The VM's own hold, looked up once (a stopped VM's reservation counts as free for it). */
  own: Hold | undefined;
  /** Clusters carrying the requested host tags (undefined when none are asked for). */
  tagMask: Uint8Array | undefined;
}

/** Shared empty set: most placements have no anti-affinity, and should not allocate one. */
const NO_HOSTS: Set<Id> = new Set();

type DedicationRule =
  | { kind: 'none' }
  | { kind: 'avoid-dedicated' }
  | { kind: 'only-own'; domainId: Id; accountId: Id };

/** The first, silent attempt's tally: nothing read from it survives a failed attempt, so one serves all. */
const SILENT = new Tally(false);

export function placeVm(state: CloudState, request: PlacementRequest, rng: Rng): PlacementResult {
  const first = attempt(state, request, rng, SILENT);
  return first.ok ? first : attempt(state, request, rng, new Tally(true));
}

function attempt(state: CloudState, request: PlacementRequest, rng: Rng, tally: Tally): PlacementResult {
  const zone = state.zones.get(request.zoneId);
  if (!zone) return fail(tally, `zone ${request.zoneId} does not exist`);
  if (zone.allocationState === 'Disabled' && !request.ownerIsRootAdmin) {
    return fail(tally, `zone ${zone.name} is disabled; only a root admin can deploy there`);
  }
  if (zone.dedication && !request.ownerIsRootAdmin && isUserOrRouter(request) && !owns(state, zone.dedication, request)) {
    return fail(tally, `zone ${zone.name} is dedicated to ${describeDedication(state, zone.dedication)}; ${request.kind === 'User' ? 'this account cannot deploy there' : 'this router cannot run there'}`);
  }
  const topologyCache = topology(state);
  const settings = topologyCache.settings;
  const context: Context = {
    state,
    capacity: state.capacity,
    request,
    rng,
    tally,
    zone,
    cpuMhz: request.cpuNumber * request.cpuSpeedMhz,
    haTag: settings.haTag,
    antiHosts: NO_HOSTS,
    affinityHosts: undefined,
    priority: undefined,
    dedication: dedicationRule(state, request),
    implicit: undefined,
    thresholds: request.freshDeploy || settings.thresholdsOnStart,
    topology: topologyCache,
    // A VM being deployed has no record yet, so no hold.
    own: request.freshDeploy ? undefined : holdOfVm(state, request.vmId),
    tagMask: undefined,
  };
  if (request.hostTags.length > 0) context.tagMask = taggedClusters(context.topology, request.hostTags);
  const conflict = applyAffinity(context);
  if (conflict) return fail(tally, conflict);

  if (request.hostId !== undefined) return placeOnNamedHost(context, request.hostId);

  const planner = request.planner ?? settings.planner;
  if (planner === 'ImplicitDedicationPlanner') context.implicit = implicitClasses(context);

  // The last host first, when the VM has one; an HA restart skips it when ha.tag names HA hosts.
  if (request.lastHostId !== undefined && !(request.haRestart && settings.haTag !== '')) {
    const host = state.capacity.hostOrdinal.get(request.lastHostId);
    if (host !== undefined) {
      const placed = tryHost(context, host, true);
      if (placed) {
        placed.lastHostReused = true;
        return placed;
      }
    }
  }

  const clusters = orderClusters(context, planner);
  // The implicit dedication planner walks the clusters once per host class: hosts already
  // running the account's implicitly dedicated VMs, then empty hosts, then (preferred mode)
  // any host. Every other planner walks them once.
  const passes: (ImplicitClasses['pass'] | undefined)[] = context.implicit
    ? ['own', 'empty', ...(request.implicitMode === 'Preferred' ? (['shared'] as const) : [])]
    : [undefined];
  for (const pass of passes) {
    if (context.implicit && pass) context.implicit.pass = pass;
    for (const cluster of clusters) {
      if (!clusterEligible(context, cluster)) continue;
      tally.clustersConsidered++;
      const placed = tryHostsOf(context, cluster);
      if (placed) return placed;
    }
  }
  return fail(tally, insufficientCapacity(context));
}

function isUserOrRouter(request: PlacementRequest): boolean {
  return request.kind === 'User' || request.kind === 'DomainRouter';
}

function owns(state: CloudState, dedication: Dedication, request: Pick<PlacementRequest, 'accountId' | 'domainId'>): boolean {
  if (dedication.accountId !== undefined) return dedication.accountId === request.accountId;
  return domainWithin(state, request.domainId, dedication.domainId);
}

/** Whether `domainId` is `ancestorId` or below it. */
function domainWithin(state: CloudState, domainId: Id, ancestorId: Id): boolean {
  for (let d: Id | undefined = domainId; d !== undefined; d = state.domains.get(d)?.parentId) {
    if (d === ancestorId) return true;
  }
  return false;
}

function describeDedication(state: CloudState, dedication: Dedication): string {
  if (dedication.accountId !== undefined) return `account ${state.accounts.get(dedication.accountId)?.name ?? dedication.accountId}`;
  return `domain ${state.domains.get(dedication.domainId)?.path ?? dedication.domainId}`;
}

function dedicationRule(state: CloudState, request: PlacementRequest): DedicationRule {
  // System VMs ignore explicit dedication (routers avoid what belongs to someone else).
  if (isZoneSystemVm(request.kind)) return NO_DEDICATION_RULE;
  const explicit = request.affinityGroupIds.some((id) => state.affinityGroups.get(id)?.type === 'ExplicitDedication');
  if (explicit || request.kind !== 'User') return { kind: 'only-own', domainId: request.domainId, accountId: request.accountId };
  return AVOID_DEDICATED;
}

const NO_DEDICATION_RULE: DedicationRule = { kind: 'none' };
const AVOID_DEDICATED: DedicationRule = { kind: 'avoid-dedicated' };

/** Whether the dedication nearest to a host (its own, its cluster's, pod's or zone's) lets this VM in. */
function dedicationAllows(context: Context, dedication: Dedication | undefined): boolean {
  const rule = context.dedication;
  if (rule.kind === 'none') return true;
  if (rule.kind === 'avoid-dedicated') return dedication === undefined;
  if (dedication === undefined) return context.request.kind !== 'User';
  return owns(context.state, dedication, { accountId: rule.accountId, domainId: rule.domainId });
}

/**
 * Affinity processors. Strict anti-affinity: hosts of other members (running, or stopped but
 * still holding capacity there) are avoided. Strict affinity: if members run somewhere, the VM
 * must join them. Non-strict groups only reorder hosts.
 */
function applyAffinity(context: Context): string | undefined {
  const { state, request } = context;
  for (const groupId of request.affinityGroupIds) {
    const group: AffinityGroup | undefined = state.affinityGroups.get(groupId);
    if (!group) continue;
    const memberHosts: Id[] = [];
    for (const vmId of group.vmIds) {
      if (vmId === request.vmId) continue;
      const hold = holdOfVm(state, vmId);
      if (hold) memberHosts.push(state.capacity.hostIds[hold.host]!);
    }
    switch (group.type) {
      case 'host anti-affinity':
        if (context.antiHosts === NO_HOSTS) context.antiHosts = new Set();
        for (const h of memberHosts) context.antiHosts.add(h);
        break;
      case 'host affinity': {
        const running = group.vmIds.filter((id) => id !== request.vmId && state.vms.get(id)?.state === 'Running').map((id) => state.vms.get(id)!.hostId!);
        if (running.length > 0) {
          const set = new Set(running);
          if (context.affinityHosts) {
            const both = new Set([...context.affinityHosts].filter((h) => set.has(h)));
            if (both.size === 0) return `the affinity rules associated to the VM conflict: group ${group.name} runs on other hosts than another affinity group`;
            context.affinityHosts = both;
          } else {
            context.affinityHosts = set;
          }
        }
        break;
      }
      case 'non-strict host anti-affinity':
      case 'non-strict host affinity': {
        context.priority ??= new Map();
        const delta = group.type === 'non-strict host affinity' ? 1 : -1;
        for (const h of memberHosts) context.priority.set(h, (context.priority.get(h) ?? 0) + delta);
        break;
      }
      case 'ExplicitDedication':
        break;
    }
  }
  if (context.affinityHosts) {
    for (const h of context.antiHosts) context.affinityHosts.delete(h);
    if (context.affinityHosts.size === 0) return 'the affinity rules associated to the VM conflict: every host its affinity group runs on is excluded by its anti-affinity group';
  }
  return undefined;
}

function placeOnNamedHost(context: Context, hostId: Id): PlacementResult {
  const host = context.capacity.hostOrdinal.get(hostId);
  if (host === undefined) return fail(context.tally, `host ${hostId} does not exist`);
  const placed = tryHost(context, host, true, true);
  if (placed) return placed;
  const name = context.state.hosts.get(hostId)?.name ?? hostId;
  return fail(context.tally, `host ${name} cannot take the VM: ${describeRemoved(context.tally) || 'it does not fit'}`);
}

// ----- cluster ordering (the planners) -----

/** Cluster ordinals in the order a planner tries them. */
type ClusterOrder = readonly number[] | Int32Array;

interface OrderCache {
  metric: string;
  /** An Int32Array, so that moving a cluster shifts the ones it passes with one copyWithin. */
  order: Int32Array;
  keys: Float64Array;
  /** 1 for the clusters of the zone. */
  member: Uint8Array;
  /** The capacity version the order reflects. */
  seen: number;
  topologyVersion: number;
}

const orderCaches = new WeakMap<CapacityIndex, Map<Id, OrderCache>>();

function metricKey(state: CloudState): string {
  const kind = settingString(state, 'host.capacityType.to.order.clusters');
  return kind === 'COMBINED' ? `COMBINED:${settingNumber(state, 'host.capacityType.to.order.clusters.cputomemoryweight')}` : kind;
}

/** Utilisation of a cluster in the ordering capacity (least used first). */
function clusterUsage(capacity: CapacityIndex, cluster: number, metric: string): number {
  if (metric === 'RAM') return capacity.clusterMemoryShare(cluster);
  if (metric.startsWith('COMBINED')) {
    const w = Number(metric.slice('COMBINED:'.length));
    const cpu = capacity.clusterCpuShare(cluster);
    const memory = capacity.clusterMemoryShare(cluster);
    // A cluster with no capacity sorts last whatever the weight (0 x Infinity would be NaN).
    return cpu === Infinity || memory === Infinity ? Infinity : w * cpu + (1 - w) * memory;
  }
  return capacity.clusterCpuShare(cluster);
}

function zoneClusters(state: CloudState, zoneId: Id): number[] {
  const out: number[] = [];
  for (const podId of state.index.podsByZone.get(zoneId) ?? []) {
    for (const clusterId of state.index.clustersByPod.get(podId) ?? []) {
      const ordinal = state.capacity.clusterOrdinal.get(clusterId);
      if (ordinal !== undefined) out.push(ordinal);
    }
  }
  return out;
}

/**
 * The zone's clusters by ascending utilisation, kept sorted between placements: only clusters
 * whose numbers moved since the last call (by their stamp) are re-inserted, so a placement does
 * not sort the whole zone again.
 */
function capacityOrder(state: CloudState, zoneId: Id): Int32Array {
  const capacity = state.capacity;
  let caches = orderCaches.get(capacity);
  if (!caches) {
    caches = new Map();
    orderCaches.set(capacity, caches);
  }
  const metric = topology(state).settings.metric;
  let cache = caches.get(zoneId);
  if (!cache || cache.metric !== metric || cache.topologyVersion !== capacity.topologyVersion) {
    const clusters = zoneClusters(state, zoneId);
    const keys = new Float64Array(capacity.clusterCount);
    const member = new Uint8Array(capacity.clusterCount);
    for (const c of clusters) {
      keys[c] = clusterUsage(capacity, c, metric);
      member[c] = 1;
    }
    clusters.sort((a, b) => keys[a]! - keys[b]! || a - b);
    cache = { metric, order: Int32Array.from(clusters), keys, member, seen: capacity.version, topologyVersion: capacity.topologyVersion };
    caches.set(zoneId, cache);
    return cache.order;
  }
  if (cache.seen === capacity.version) return cache.order;
  const { order, keys, member } = cache;
  // Recent changes come from the capacity's change log; after a long gap, from every stamp.
  if (capacity.version - cache.seen <= CHANGE_LOG_SIZE) {
    for (let v = cache.seen + 1; v <= capacity.version; v++) {
      const cluster = capacity.changeLog[v % CHANGE_LOG_SIZE]!;
      if (member[cluster] === 1) resort(order, keys, cluster, clusterUsage(capacity, cluster, metric));
    }
  } else {
    const stamps = capacity.clusterStamp;
    const moved = order.filter((cluster) => stamps[cluster]! > cache!.seen);
    for (const cluster of moved) resort(order, keys, cluster, clusterUsage(capacity, cluster, metric));
  }
  cache.seen = capacity.version;
  return order;
}

/** Moves a cluster whose key changed to its place in the order (ties by ordinal). */
function resort(order: Int32Array, keys: Float64Array, cluster: number, key: number): void {
  const oldKey = keys[cluster]!;
  if (key === oldKey) return;
  const found = positionOf(order, keys, cluster, oldKey);
  const from = order[found] === cluster ? found : order.indexOf(cluster);
  keys[cluster] = key;
  // The others are still in order: a binary search finds where the cluster goes, and the ones it
  // passes shift by one in a single copy. A placement moves its cluster past every cluster about
  // as full, a hundred or more in a large zone, which one by one was a loop of comparisons.
  if (key > oldKey) {
    // It goes just before the first cluster after `from` that comes after its new key.
    const to = positionOf(order, keys, cluster, key, from + 1, order.length) - 1;
    order.copyWithin(from, from + 1, to + 1);
    order[to] = cluster;
  } else {
    // It goes where the first cluster before `from` that does not come before its new key is.
    const to = positionOf(order, keys, cluster, key, 0, from);
    order.copyWithin(to + 1, to, from);
    order[to] = cluster;
  }
}

/** Whether `other` sorts before (key, cluster): by key, then by ordinal. */
function precedes(keys: Float64Array, other: number, cluster: number, key: number): boolean {
  const otherKey = keys[other]!;
  return otherKey < key || (otherKey === key && other < cluster);
}

/**
 * Where (key, cluster) sits, or would sit, among order[from..to), sorted by key and then by
 * ordinal: the first position there whose cluster does not come before it.
 */
function positionOf(order: Int32Array, keys: Float64Array, cluster: number, key: number, from = 0, to = order.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (precedes(keys, order[mid]!, cluster, key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function orderClusters(context: Context, planner: PlannerName): ClusterOrder {
  const { state, request } = context;
  const metric = context.topology.settings.metric;
  let order: ClusterOrder = capacityOrder(state, request.zoneId);
  if (request.clusterId !== undefined) {
    const only = state.capacity.clusterOrdinal.get(request.clusterId);
    return only === undefined ? [] : [only];
  }
  if (request.podId !== undefined) order = Array.from(order).filter((c) => state.clusters.get(state.capacity.clusterIds[c]!)?.podId === request.podId);
  if (context.topology.settings.podsFirst) order = podFirst(context, order, metric);
  if (planner === 'UserDispersingPlanner') return userDispersing(context, order);
  if (planner === 'UserConcentratedPodPlanner') return userConcentrated(context, order);
  return order;
}

/** Pods ordered by their own utilisation first, then the clusters of each pod in capacity order. */
function podFirst(context: Context, order: ClusterOrder, metric: string): number[] {
  const { state, capacity } = context;
  const podOf = (c: number): Id => state.clusters.get(capacity.clusterIds[c]!)!.podId;
  const podKey = new Map<Id, number>();
  const sums = new Map<Id, { used: number; total: number }>();
  for (const c of order) {
    const pod = podOf(c);
    const s = sums.get(pod) ?? { used: 0, total: 0 };
    const cpu = metric !== 'RAM';
    s.used += cpu ? capacity.clusterCpuAllocatedMhz[c]! : capacity.clusterMemoryAllocatedMiB[c]!;
    s.total += cpu ? capacity.clusterCpuTotalMhz[c]! * capacity.clusterCpuRatio[c]! : capacity.clusterMemoryTotalMiB[c]! * capacity.clusterMemoryRatio[c]!;
    sums.set(pod, s);
  }
  for (const [pod, s] of sums) podKey.set(pod, s.total > 0 ? s.used / s.total : Infinity);
  return [...order].sort((a, b) => podKey.get(podOf(a))! - podKey.get(podOf(b))! || order.indexOf(a) - order.indexOf(b));
}

/** The account's VMs per cluster (holds count: running, starting and stopped-but-reserved). */
function accountVmsByCluster(context: Context): { byCluster: Map<number, number>; byHost: Map<number, number>; total: number } {
  const { state, capacity, request } = context;
  const byCluster = new Map<number, number>();
  const byHost = new Map<number, number>();
  let total = 0;
  for (const vmId of state.index.vmsByAccount.get(request.accountId) ?? []) {
    const hold = holdOfVm(state, vmId);
    if (!hold || vmId === request.vmId) continue;
    total++;
    byHost.set(hold.host, (byHost.get(hold.host) ?? 0) + 1);
    const cluster = capacity.hostCluster[hold.host]!;
    byCluster.set(cluster, (byCluster.get(cluster) ?? 0) + 1);
  }
  return { byCluster, byHost, total };
}

function userDispersing(context: Context, order: ClusterOrder): number[] {
  const weight = context.topology.settings.dispersionWeight;
  const { byCluster, total } = accountVmsByCluster(context);
  const metric = metricKey(context.state);
  const score = (c: number): number => {
    const dispersion = total > 0 ? (byCluster.get(c) ?? 0) / total : 0;
    return weight >= 1 ? dispersion : clusterUsage(context.capacity, c, metric) * (1 - weight) + dispersion * weight;
  };
  const rank = new Map(Array.from(order, (c, i) => [c, i] as const));
  return [...order].sort((a, b) => score(a) - score(b) || rank.get(a)! - rank.get(b)!);
}

function userConcentrated(context: Context, order: ClusterOrder): number[] {
  const { state, capacity } = context;
  const { byCluster } = accountVmsByCluster(context);
  const podsWithVms = new Set<Id>();
  for (const c of byCluster.keys()) podsWithVms.add(state.clusters.get(capacity.clusterIds[c]!)!.podId);
  const inPod = (c: number): boolean => podsWithVms.has(state.clusters.get(capacity.clusterIds[c]!)!.podId);
  const all = Array.from(order);
  return [...all.filter(inPod), ...all.filter((c) => !inPod(c))];
}

// ----- implicit dedication -----

interface ImplicitClasses {
  /** Host ordinals by class (hosts strictly dedicated to others are refused for every planner). */
  own: Set<number>;
  empty: Set<number>;
  /** Which class the current pass accepts. */
  pass: 'own' | 'empty' | 'shared';
}

function implicitClasses(context: Context): ImplicitClasses {
  const { state, capacity, request } = context;
  const classes: ImplicitClasses = { own: new Set(), empty: new Set(), pass: 'own' };
  const occupants = new Map<number, { own: boolean; other: boolean }>();
  for (const [vmId, hold] of capacity.holds) {
    if (vmId === request.vmId) continue;
    const vm = state.vms.get(vmId);
    const o = occupants.get(hold.host) ?? { own: false, other: false };
    if (vm && vm.kind === 'User' && vm.accountId === request.accountId && vm.implicitDedication !== undefined) o.own = true;
    else o.other = true;
    occupants.set(hold.host, o);
  }
  for (let host = 0; host < capacity.hostCount; host++) {
    const o = occupants.get(host);
    if (!o) classes.empty.add(host);
    else if (o.own && !o.other) classes.own.add(host);
  }
  return classes;
}

// ----- host ordering (the host allocators) -----

/** What placement needs of a cluster that only changes with the topology, cached per version. */
interface ClusterInfo {
  record: Cluster;
  podDisabled: boolean;
  /** The dedication nearest to the cluster (its own, its pod's, its zone's). */
  dedication: Dedication | undefined;
  hasDedicatedHost: boolean;
  tags: Set<string>;
  cpuLimit: number;
  memoryLimit: number;
}

/** The settings placement reads, read once per topology version (a setting change bumps it). */
export interface PlacementSettings {
  haTag: string;
  planner: PlannerName;
  thresholdsOnStart: boolean;
  allocator: HostAllocatorName;
  metric: string;
  podsFirst: boolean;
  dispersionWeight: number;
  volumeAlgorithm: string;
  poolUsedLimit: number;
  poolAllocatedLimit: number;
  storageFactor: number;
}

/** What placement reads about a host that only changes with the topology. */
interface HostInfo {
  record: Host;
  /** The dedication nearest to the host: its own, its cluster's, its pod's or its zone's. */
  dedication: Dedication | undefined;
  /** Guests the hypervisor allows on the host (Infinity where no limit is enforced, as on KVM). */
  maxGuests: number;
}

interface TopologyCache {
  version: number;
  settings: PlacementSettings;
  clusters: ClusterInfo[];
  /** By host ordinal. */
  hosts: HostInfo[];
  /** For each set of host tags asked for: 1 for clusters with a host carrying them all. */
  tagged: Map<string, Uint8Array>;
}

const topologyCaches = new WeakMap<CapacityIndex, TopologyCache>();

function topology(state: CloudState): TopologyCache {
  const capacity = state.capacity;
  let cache = topologyCaches.get(capacity);
  if (cache && cache.version === capacity.topologyVersion) return cache;
  const cpuDefault = settingNumber(state, 'cluster.cpu.allocated.capacity.disablethreshold');
  const memoryDefault = settingNumber(state, 'cluster.memory.allocated.capacity.disablethreshold');
  const clusters = capacity.clusterIds.map((id, ordinal): ClusterInfo => {
    const record = state.clusters.get(id)!;
    const pod = state.pods.get(record.podId)!;
    const hosts = capacity.clusterHosts[ordinal]!.map((h) => state.hosts.get(capacity.hostIds[h]!)!);
    return {
      record,
      podDisabled: pod.allocationState === 'Disabled',
      dedication: record.dedication ?? pod.dedication ?? state.zones.get(record.zoneId)?.dedication,
      hasDedicatedHost: hosts.some((h) => h.dedication !== undefined),
      tags: new Set(hosts.flatMap((h) => h.tags)),
      cpuLimit: record.cpuDisableThreshold ?? cpuDefault,
      memoryLimit: record.memoryDisableThreshold ?? memoryDefault,
    };
  });
  const settings: PlacementSettings = {
    haTag: settingString(state, 'ha.tag'),
    planner: settingString(state, 'vm.deployment.planner') as PlannerName,
    thresholdsOnStart: settingBoolean(state, 'cluster.threshold.enabled'),
    allocator: settingString(state, 'vm.allocation.algorithm') as HostAllocatorName,
    metric: metricKey(state),
    podsFirst: settingBoolean(state, 'apply.allocation.algorithm.to.pods'),
    dispersionWeight: settingNumber(state, 'vm.user.dispersion.weight'),
    volumeAlgorithm: settingString(state, 'volume.allocation.algorithm'),
    poolUsedLimit: settingNumber(state, 'pool.storage.capacity.disablethreshold'),
    poolAllocatedLimit: settingNumber(state, 'pool.storage.allocated.capacity.disablethreshold'),
    storageFactor: settingNumber(state, 'storage.overprovisioning.factor'),
  };
  const hosts = capacity.hostIds.map((id): HostInfo => {
    const record = state.hosts.get(id)!;
    const cluster = state.clusters.get(record.clusterId)!;
    return {
      record,
      dedication: record.dedication ?? cluster.dedication ?? state.pods.get(record.podId)!.dedication ?? state.zones.get(record.zoneId)!.dedication,
      maxGuests: enforcesMaxGuests(record.hypervisor) ? capabilitiesOf(cluster.hypervisor, cluster.hypervisorVersion).maxGuestsLimit : Infinity,
    };
  });
  cache = { version: capacity.topologyVersion, settings, clusters, hosts, tagged: new Map() };
  topologyCaches.set(capacity, cache);
  return cache;
}

/** The placement settings of a state (cached with its topology). */
export function placementSettings(state: CloudState): PlacementSettings {
  return topology(state).settings;
}

/** FirstFitPlanner drops clusters where no host carries the offering's tags. */
function taggedClusters(cache: TopologyCache, tags: readonly string[]): Uint8Array {
  const key = tags.join('\u0000');
  let mask = cache.tagged.get(key);
  if (!mask) {
    mask = Uint8Array.from(cache.clusters, (info) => (tags.every((t) => info.tags.has(t)) ? 1 : 0));
    cache.tagged.set(key, mask);
  }
  return mask;
}

function clusterEligible(context: Context, cluster: number): boolean {
  const { capacity, request, tally } = context;
  if (context.tagMask !== undefined && context.tagMask[cluster] === 0) {
    if (tally.active) tally.count(`cluster without a host tagged ${request.hostTags.join(', ')}`, `c${cluster}`);
    return false;
  }
  const info = context.topology.clusters[cluster]!;
  const record = info.record;
  if (!request.ownerIsRootAdmin && (record.allocationState === 'Disabled' || info.podDisabled)) {
    if (tally.active) tally.count(record.allocationState === 'Disabled' ? 'cluster disabled' : 'cluster in a disabled pod', `c${cluster}`);
    return false;
  }
  // A cluster dedicated (itself, or through its pod) to someone else is skipped whole; an
  // undedicated one may still hold hosts dedicated one by one, so the hosts decide.
  if (context.dedication.kind !== 'none') {
    if (info.dedication !== undefined && !dedicationAllows(context, info.dedication)) {
      if (tally.active) tally.count('cluster dedicated to another owner', `c${cluster}`);
      return false;
    }
    if (info.dedication === undefined && context.dedication.kind === 'only-own' && request.kind === 'User' && !info.hasDedicatedHost) {
      if (tally.active) tally.count("cluster not dedicated to the VM's owner", `c${cluster}`);
      return false;
    }
  }
  if (request.hypervisor !== undefined && record.hypervisor !== request.hypervisor) {
    if (tally.active) tally.count(`cluster of another hypervisor than ${DISPLAY_NAME[request.hypervisor]}`, `c${cluster}`);
    return false;
  }
  if (record.hypervisor === 'BareMetal' && request.kind !== 'User') {
    if (tally.active) tally.count('bare metal cluster', `c${cluster}`);
    return false;
  }
  // A cluster with no host Up and Enabled has no capacity to measure: its hosts say why.
  if (context.thresholds && capacity.clusterCpuTotalMhz[cluster]! > 0) {
    const own = ownHold(context, cluster);
    const pending = request.pending?.clusters.get(cluster);
    if (capacity.clusterCpuShare(cluster, context.cpuMhz - own.cpuMhz + (pending?.cpuMhz ?? 0), pending?.lostCpuTotalMhz ?? 0) > info.cpuLimit) {
      if (tally.active) tally.count(`cluster over the ${info.cpuLimit} CPU disable threshold`, `c${cluster}`);
      return false;
    }
    if (capacity.clusterMemoryShare(cluster, request.memoryMiB - own.memoryMiB + (pending?.memoryMiB ?? 0), pending?.lostMemoryTotalMiB ?? 0) > info.memoryLimit) {
      if (tally.active) tally.count(`cluster over the ${info.memoryLimit} memory disable threshold`, `c${cluster}`);
      return false;
    }
  }
  return true;
}

/** What the VM itself already holds in a cluster (a stopped VM's reservation on its last host). */
function ownHold(context: Context, cluster: number): { cpuMhz: number; memoryMiB: number } {
  const hold = context.own;
  // A hold given back earlier in the decision (a lost host, a VM that moved) is counted there already.
  if (!hold || context.capacity.hostCluster[hold.host] !== cluster || context.capacity.hostActive[hold.host] !== 1 || context.request.pending?.lostHosts.has(hold.host) || context.request.pending?.released.has(context.request.vmId)) {
    return { cpuMhz: 0, memoryMiB: 0 };
  }
  return { cpuMhz: hold.cpuMhz, memoryMiB: hold.memoryMiB };
}

/**
 * Tries the hosts of a cluster in the host allocator's order. The random allocators shuffle the
 * hosts as CloudStack does (every order equally likely), but draw the order one host at a time
 * and stop at the first that fits: a cluster with room rarely needs more than a draw or two,
 * where a full shuffle draws once per host on every placement.
 */
function tryHostsOf(context: Context, cluster: number): Extract<PlacementResult, { ok: true }> | undefined {
  const allocator = context.topology.settings.allocator;
  if ((allocator === 'random' || allocator === 'userconcentratedpod_random') && !context.priority) {
    const order = context.capacity.clusterHosts[cluster]!.slice();
    for (let i = 0; i < order.length; i++) {
      const j = i === order.length - 1 ? i : context.rng.intInclusive(i, order.length - 1);
      const host = order[j]!;
      order[j] = order[i]!;
      order[i] = host;
      const placed = tryHost(context, host, false);
      if (placed) return placed;
    }
    return undefined;
  }
  for (const host of orderHosts(context, cluster)) {
    const placed = tryHost(context, host, false);
    if (placed) return placed;
  }
  return undefined;
}

function orderHosts(context: Context, cluster: number): readonly number[] {
  const { state, capacity, rng } = context;
  const hosts = capacity.clusterHosts[cluster]!;
  const allocator = context.topology.settings.allocator;
  let ordered: readonly number[] = hosts;
  switch (allocator) {
    case 'firstfit':
    case 'userconcentratedpod_firstfit':
      break;
    case 'random':
    case 'userconcentratedpod_random': {
      const copy = [...hosts];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = rng.intInclusive(0, i);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      ordered = copy;
      break;
    }
    case 'userdispersing': {
      const { byHost } = accountVmsByCluster(context);
      ordered = [...hosts].sort((a, b) => (byHost.get(a) ?? 0) - (byHost.get(b) ?? 0) || a - b);
      break;
    }
    case 'firstfitleastconsumed': {
      const metric = metricKey(state);
      const free = (h: number): number =>
        metric === 'RAM' ? capacity.hostFreeMemoryMiB(h) : metric.startsWith('COMBINED') ? capacity.hostFreeCpuMhz(h) / Math.max(1, capacity.hostCpuTotalMhz[h]!) + capacity.hostFreeMemoryMiB(h) / Math.max(1, capacity.hostMemoryTotalMiB[h]!) : capacity.hostFreeCpuMhz(h);
      ordered = [...hosts].sort((a, b) => free(b) - free(a) || a - b);
      break;
    }
  }
  if (context.priority) {
    const priority = context.priority;
    const rank = (h: number): number => priority.get(capacity.hostIds[h]!) ?? 0;
    ordered = [...ordered].sort((a, b) => rank(b) - rank(a));
  }
  return ordered;
}

/**
 * Checks one host and, when it fits, picks pools for every volume. `reuse` lets a stopped VM
 * count its own reservation on the host as free (its last host, or a host named by the caller).
 */
function tryHost(context: Context, host: number, reuse: boolean, named = false): Extract<PlacementResult, { ok: true }> | undefined {
  const { state, capacity, request, tally } = context;
  tally.hostsConsidered++;
  const info: HostInfo | undefined = context.topology.hosts[host];
  const record = info?.record;
  if (!info || !record || record.zoneId !== request.zoneId) {
    if (tally.active) tally.count('host in another zone', host);
    return undefined;
  }
  const hostId = record.id;
  if (record.status !== 'Up') {
    if (tally.active) tally.count(`host ${record.status === 'Down' ? 'down' : 'not Up'}`, host);
    return undefined;
  }
  if (record.resourceState !== 'Enabled') {
    if (tally.active) tally.count(record.resourceState === 'Disabled' ? 'host disabled' : 'host in maintenance', host);
    return undefined;
  }
  if (request.clusterId !== undefined && record.clusterId !== request.clusterId) {
    if (tally.active) tally.count('host outside the cluster', host);
    return undefined;
  }
  if (request.avoidHostIds?.has(hostId)) {
    if (tally.active) tally.count('host avoided (failed before)', host);
    return undefined;
  }
  const cluster = capacity.hostCluster[host]!;
  if (reuse && !clusterEligible(context, cluster)) return undefined;
  const dedication = info.dedication;
  if (!dedicationAllows(context, dedication)) {
    if (tally.active) tally.count(dedication === undefined ? 'host not dedicated to the VM\'s owner' : 'host dedicated to another owner', host);
    return undefined;
  }
  if (context.haTag !== '') {
    const tagged = record.tags.includes(context.haTag);
    if (tagged !== Boolean(request.haRestart)) {
      if (tally.active) tally.count(tagged ? `host reserved for HA restarts (${context.haTag})` : `host not tagged ${context.haTag} for HA restarts`, host);
      return undefined;
    }
  }
  if (!named) {
    for (const tag of request.hostTags) {
      if (!record.tags.includes(tag)) {
        if (tally.active) tally.count(`host without the host tag ${tag}`, host);
        return undefined;
      }
    }
  }
  if (context.antiHosts.has(hostId)) {
    if (tally.active) tally.count('host with a member of its host anti-affinity group', host);
    return undefined;
  }
  if (context.affinityHosts && !context.affinityHosts.has(hostId)) {
    if (tally.active) tally.count('host without the members of its host affinity group', host);
    return undefined;
  }
  // A host a strict implicit dedication reserved (planner usage Dedicated) takes no VM of
  // another account, whatever planner placed that VM.
  const strictOwner = capacity.strictHosts.get(host)?.accountId;
  if (strictOwner !== undefined && strictOwner !== request.accountId) {
    if (tally.active) tally.count('host implicitly dedicated (strict) to another account', host);
    return undefined;
  }
  if (context.implicit) {
    const implicit = context.implicit;
    const inClass = implicit.pass === 'own' ? implicit.own.has(host) : implicit.pass === 'empty' ? implicit.empty.has(host) : true;
    if (!inClass) {
      if (implicit.pass !== 'own' && tally.active) tally.count('host shared with other accounts (implicit dedication)', host);
      return undefined;
    }
  }
  const own = context.own;
  const pending = request.pending?.hosts.get(host);
  const guestCount = capacity.hostGuests[host]! - (own && own.host === host && own.guest ? 1 : 0) + (pending?.guests ?? 0);
  if (guestCount >= info.maxGuests) {
    if (tally.active) tally.count(`host full: max ${info.maxGuests} guests per host`, host);
    return undefined;
  }
  if (record.cpuCores < request.cpuNumber || record.cpuMhz < request.cpuSpeedMhz) {
    if (tally.active) tally.count('host with too few cores or too slow cores', host);
    return undefined;
  }
  const giveBack = own && own.host === host && (reuse || own.reserved) ? own : undefined;
  const freeCpu = capacity.hostFreeCpuMhz(host) + (giveBack ? giveBack.cpuMhz : 0) - (pending?.cpuMhz ?? 0);
  const freeMemory = capacity.hostFreeMemoryMiB(host) + (giveBack ? giveBack.memoryMiB : 0) - (pending?.memoryMiB ?? 0);
  if (freeMemory > tally.mostFreeMemoryMiB) tally.mostFreeMemoryMiB = freeMemory;
  if (freeCpu > tally.mostFreeCpuMhz) tally.mostFreeCpuMhz = freeCpu;
  if (freeCpu < context.cpuMhz) {
    if (tally.active) tally.count('host without enough free CPU', host);
    return undefined;
  }
  if (freeMemory < request.memoryMiB) {
    if (tally.active) tally.count('host without enough free memory', host);
    return undefined;
  }
  const pools = choosePools(state, record, request.volumes, request.accountId, context.rng, tally, context.topology.settings, request.pending?.pools);
  if (!pools) return undefined;
  return { ok: true, hostId, host: record, hostOrdinal: host, clusterId: record.clusterId, podId: record.podId, poolIds: pools, lastHostReused: false };
}

function describeRemoved(tally: Tally): string {
  const entries = Object.entries(tally.removed).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return entries.map(([reason, n]) => `${formatCount(n)} ${reason.replace(/^(host|cluster)/, (w) => (n === 1 ? w : `${w}s`))}`).join(', ');
}

function insufficientCapacity(context: Context): string {
  const { request, tally, zone } = context;
  const ask = `${request.cpuNumber} x ${request.cpuSpeedMhz} MHz and ${formatCount(request.memoryMiB)} MiB`;
  const parts = [`Unable to create a deployment for ${request.kind === 'User' ? 'the VM' : `the ${request.kind}`} (${ask}) in zone ${zone.name}: no host fits`];
  const removed = describeRemoved(tally);
  if (removed) parts.push(`removed: ${removed}`);
  if (tally.removed['host without enough free memory'] && Number.isFinite(tally.mostFreeMemoryMiB)) {
    parts.push(`the most free memory on a candidate host is ${formatCount(Math.max(0, Math.floor(tally.mostFreeMemoryMiB)))} MiB`);
  }
  if (tally.removed['host without enough free CPU'] && Number.isFinite(tally.mostFreeCpuMhz)) {
    parts.push(`the most free CPU on a candidate host is ${formatCount(Math.max(0, Math.floor(tally.mostFreeCpuMhz)))} MHz`);
  }
  if (tally.clustersConsidered === 0 && !removed) parts.push('the zone has no enabled cluster with hosts');
  return parts.join('; ');
}

function fail(tally: Tally, message: string): PlacementResult {
  return { ok: false, message, removed: { ...tally.removed } };
}

/** The hold of the VM with this id, if it exists and holds. */
function holdOfVm(state: CloudState, vmId: Id): Hold | undefined {
  const vm = state.vms.get(vmId);
  return vm === undefined ? undefined : state.capacity.holdOf(vm);
}
