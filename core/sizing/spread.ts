import { assert } from '../assert.js';
import { capabilitiesOf, enforcesMaxGuests } from '../data/hypervisors.js';
import type { Cluster, Host, Id, Pod, Zone } from '../model/entities.js';
import { type CloudState, clustersOf, hostsOf, podsOf, settingNumber, settingString, storagePoolsOf } from '../model/state.js';

/**
 * Where planned VMs would land. CloudStack's FirstFit planner sends each VM to the least used
 * cluster (by `host.capacityType.to.order.clusters`), so in steady state the clusters a VM group
 * may use end up equally used. `spreadGroup` computes that end state directly by water-filling
 * instead of placing VMs one by one: it finds the utilisation level u at which the eligible
 * clusters together absorb the group, and gives each cluster what brings it up to u.
 */

export interface ClusterLoad {
  cpuMhz: number;
  memoryMiB: number;
  /** HA-enabled share of the load (restarted elsewhere when a host fails). */
  haCpuMhz: number;
  haMemoryMiB: number;
  userVms: number;
  systemVms: number;
  routers: number;
  /** The part of cpuMhz and memoryMiB that system VMs and routers take. */
  systemCpuMhz: number;
  systemMemoryMiB: number;
  routerCpuMhz: number;
  routerMemoryMiB: number;
  sharedStorageGiB: number;
  localStorageGiB: number;
  /** Distinct templates whose copies land on this cluster's primary storage, with sizes. */
  templates: Map<string, number>;
  /** VMs per shared network id. */
  vmsByNetwork: Map<Id, number>;
}

export interface ClusterCapacity {
  zone: Zone;
  pod: Pod;
  cluster: Cluster;
  /** Hosts that take new user VMs (enabled, not reserved for HA, not dedicated elsewhere). */
  hosts: Host[];
  allHosts: Host[];
  cpuMhz: number;
  memoryMiB: number;
  localStorageGiB: number;
  largestHostCpuMhz: number;
  largestHostMemoryMiB: number;
  /** Max guests per host, or undefined when the hypervisor does not enforce one (KVM). */
  maxGuestsPerHost?: number;
  hostTags: Set<string>[];
  /** Storage tags of each shared pool the cluster reaches. */
  sharedPoolTags: string[][];
  available: boolean;
  load: ClusterLoad;
}

export interface VmShape {
  cpuMhz: number;
  memoryMiB: number;
}

function emptyLoad(): ClusterLoad {
  return {
    cpuMhz: 0,
    memoryMiB: 0,
    haCpuMhz: 0,
    haMemoryMiB: 0,
    userVms: 0,
    systemVms: 0,
    routers: 0,
    systemCpuMhz: 0,
    systemMemoryMiB: 0,
    routerCpuMhz: 0,
    routerMemoryMiB: 0,
    sharedStorageGiB: 0,
    localStorageGiB: 0,
    templates: new Map(),
    vmsByNetwork: new Map(),
  };
}

/** The capacity of every cluster of a zone, in zone order (pods, then clusters, as created). */
export function zoneCapacities(state: CloudState, zone: Zone): ClusterCapacity[] {
  const haTag = settingString(state, 'ha.tag');
  const out: ClusterCapacity[] = [];
  const pools = storagePoolsOf(state, zone.id);
  for (const pod of podsOf(state, zone.id)) {
    for (const cluster of clustersOf(state, pod.id)) {
      const allHosts = hostsOf(state, cluster.id);
      const zoneDedicated = zone.dedication !== undefined;
      const hosts = allHosts.filter(
        (h) => h.resourceState === 'Enabled' && (haTag === '' || !h.tags.includes(haTag)) && (zoneDedicated || h.dedication === undefined),
      );
      const capabilities = capabilitiesOf(cluster.hypervisor, cluster.hypervisorVersion);
      const hostCpu = (h: Host): number => h.cpuCores * h.cpuMhz;
      const sharedPoolTags = pools
        .filter((p) => (p.scope === 'CLUSTER' && p.clusterId === cluster.id) || (p.scope === 'ZONE' && p.hypervisor === cluster.hypervisor))
        .map((p) => p.tags);
      const capacity: ClusterCapacity = {
        zone,
        pod,
        cluster,
        hosts,
        allHosts,
        cpuMhz: hosts.reduce((sum, h) => sum + hostCpu(h), 0),
        memoryMiB: hosts.reduce((sum, h) => sum + h.memoryMiB, 0),
        localStorageGiB: hosts.reduce((sum, h) => sum + h.localStorageGiB, 0),
        largestHostCpuMhz: hosts.reduce((max, h) => Math.max(max, hostCpu(h)), 0),
        largestHostMemoryMiB: hosts.reduce((max, h) => Math.max(max, h.memoryMiB), 0),
        hostTags: hosts.map((h) => new Set(h.tags)),
        sharedPoolTags,
        available:
          hosts.length > 0 &&
          cluster.hypervisor !== 'BareMetal' &&
          cluster.allocationState === 'Enabled' &&
          pod.allocationState === 'Enabled' &&
          (zoneDedicated || (cluster.dedication === undefined && pod.dedication === undefined)),
        load: emptyLoad(),
      };
      if (enforcesMaxGuests(cluster.hypervisor)) capacity.maxGuestsPerHost = capabilities.maxGuestsLimit;
      out.push(capacity);
    }
  }
  return out;
}

export interface OrderMetric {
  kind: 'CPU' | 'RAM' | 'COMBINED';
  cpuWeight: number;
}

export function orderMetric(state: CloudState): OrderMetric {
  const kind = settingString(state, 'host.capacityType.to.order.clusters');
  return {
    kind: kind === 'RAM' || kind === 'COMBINED' ? kind : 'CPU',
    cpuWeight: settingNumber(state, 'host.capacityType.to.order.clusters.cputomemoryweight'),
  };
}

/** Utilisation of a cluster in the ordering metric, and how much one VM of `shape` adds to it. */
function metricLine(c: ClusterCapacity, shape: VmShape, metric: OrderMetric): { start: number; slope: number } {
  const cpuTotal = c.cpuMhz * c.cluster.cpuOvercommitRatio;
  const memoryTotal = c.memoryMiB * c.cluster.memoryOvercommitRatio;
  const cpu = { start: c.load.cpuMhz / cpuTotal, slope: shape.cpuMhz / cpuTotal };
  const ram = { start: c.load.memoryMiB / memoryTotal, slope: shape.memoryMiB / memoryTotal };
  if (metric.kind === 'CPU') return cpu;
  if (metric.kind === 'RAM') return ram;
  const w = metric.cpuWeight;
  return { start: w * cpu.start + (1 - w) * ram.start, slope: w * cpu.slope + (1 - w) * ram.slope };
}

/**
 * How many of `count` VMs of `shape` each eligible cluster takes (whole VMs; the remainder of
 * the rounding goes to the clusters with the largest fractional share, then the least used).
 */
export function spreadGroup(eligible: readonly ClusterCapacity[], count: number, shape: VmShape, metric: OrderMetric): number[] {
  const shares = eligible.map(() => 0);
  if (count === 0 || eligible.length === 0) return shares;
  const lines = eligible.map((c) => metricLine(c, shape, metric));
  if (lines.some((l) => !(l.slope > 0))) {
    // A VM that weighs nothing in the metric: spread evenly.
    return eligible.map((_, i) => Math.floor(count / eligible.length) + (i < count % eligible.length ? 1 : 0));
  }
  const absorbed = (u: number): number => lines.reduce((sum, l) => sum + Math.max(0, (u - l.start) / l.slope), 0);
  let low = Math.min(...lines.map((l) => l.start));
  let high = low + 1;
  while (absorbed(high) < count) high = low + (high - low) * 2;
  for (let i = 0; i < 64; i++) {
    const mid = (low + high) / 2;
    if (absorbed(mid) < count) low = mid;
    else high = mid;
  }
  const exact = lines.map((l) => Math.max(0, (high - l.start) / l.slope));
  let given = 0;
  for (let i = 0; i < exact.length; i++) {
    shares[i] = Math.floor(exact[i]!);
    given += shares[i]!;
  }
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x), start: lines[i]!.start })).sort((a, b) => b.frac - a.frac || a.start - b.start || a.i - b.i);
  for (let k = 0; given < count; k = (k + 1) % order.length) {
    shares[order[k]!.i]!++;
    given++;
  }
  assert(given === count, `spread handed out ${given} of ${count} VMs`);
  return shares;
}

/** Whether a cluster can take a VM with these host tags (some host carries all of them). */
export function hostsCarry(c: ClusterCapacity, tags: readonly string[]): boolean {
  if (tags.length === 0) return c.hosts.length > 0;
  return c.hostTags.some((set) => tags.every((t) => set.has(t)));
}

/** Whether a cluster reaches a shared pool carrying every storage tag. */
export function poolsCarry(c: ClusterCapacity, tags: readonly string[]): boolean {
  return c.sharedPoolTags.some((poolTags) => tags.every((t) => poolTags.includes(t)));
}
