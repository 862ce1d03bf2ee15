import { decide } from '../core/decider.js';
import type { VmKind } from '../core/model/compute.js';
import type { Id } from '../core/model/entities.js';
import { type CloudState, settingBoolean } from '../core/model/state.js';
import { SYSTEM_CALLER } from '../core/ports.js';
import { DEFAULT_DRIVER_OPTIONS, type DriverOptions } from './drivers.js';
import { rngFor } from './runtime.js';

/**
 * N-1: what the loss of each host would do, host by host, without touching the cloud. The core's
 * `decide` is pure, so the analysis asks it, for every host of the unchanged state, what it would
 * decide on `hostDown` and reads the answer: an HA VM given a `Starting` event is restarted on
 * the host named there; an HA VM given `Stopped` with "HA restart failed" is stranded, with the
 * core's reason; a VM without HA stops by design. Nothing is evolved, so every host is judged
 * against the same cloud, and the hosts can be split over workers in any way with the same result.
 *
 * Each host's decision draws from its own random stream (the seed and the host id), so the
 * result does not depend on the order hosts are looked at.
 *
 * Time to recover for a host comes from the simulated drivers' latency model: the failure is
 * noticed after at most the failure detection delay, and all restarts are decided at once, so
 * the last restarted VM runs after at most the detection delay plus the VM start latency.
 */

export interface HostLossVm {
  vm: string;
  vmId: Id;
  kind: VmKind;
  cpuMhz: number;
  memoryMiB: number;
  /** Restarted: the host HA picks. */
  toHost?: string;
  /** Stranded or down: the core's reason. */
  reason?: string;
}

export interface HostLoss {
  host: string;
  hostId: Id;
  cluster: string;
  clusterId: Id;
  pod: string;
  zone: string;
  /** VMs holding the host (running, starting, stopping, migrating): all of them go down with it. */
  vmsAffected: number;
  /** HA VMs the decision restarts on other hosts of the cluster. */
  restarted: number;
  /** Where each goes (with `keepRestarted`). */
  restartedVms?: HostLossVm[];
  /** HA VMs the cluster's other hosts could not take, with the core's reason. */
  stranded: HostLossVm[];
  /** VMs without HA (offering, local storage, zone setting): down by design. */
  downWithoutHa: number;
  /** What the stranded VMs ask for: the allocatable capacity the cluster lacks for this loss. */
  shortfall: { cpuMhz: number; memoryMiB: number };
  /** Upper bound from the latency model; null when nothing restarts. */
  timeToRecoverMs: number | null;
}

export interface NMinus1Options {
  seed: number;
  /** The virtual time the decisions are made at (only stamps the events). */
  nowMs?: number;
  /** Failure detection and VM start latencies for the time to recover. */
  drivers?: DriverOptions;
  /** Only these hosts (a worker's share); every host that is Up when absent. */
  hostIds?: readonly Id[];
  /** Keep the restarted VMs of each host (the where); off, only their count is kept. */
  keepRestarted?: boolean;
  /** Called every `progressEvery` hosts with the number done. */
  onProgress?: (done: number) => void;
  progressEvery?: number;
}

/** Hosts n-1 looks at: Up in the core (a host already down has nothing left to lose). */
export function hostsToEvaluate(state: CloudState): Id[] {
  const out: Id[] = [];
  for (const host of state.hosts.values()) if (host.status === 'Up') out.push(host.id);
  return out;
}

/** The loss of each host, judged against the unchanged state. */
export function evaluateHostLosses(state: CloudState, options: NMinus1Options): HostLoss[] {
  const drivers = options.drivers ?? DEFAULT_DRIVER_OPTIONS;
  const recoverBoundMs = drivers.failureDetectionMs.maxMs + drivers.vmStart.latencyMs.maxMs;
  const haZone = settingBoolean(state, 'vm.ha.enabled');
  const hostIds = options.hostIds ?? hostsToEvaluate(state);
  const every = options.progressEvery ?? 500;
  const out: HostLoss[] = [];
  for (let i = 0; i < hostIds.length; i++) {
    const hostId = hostIds[i]!;
    const host = state.hosts.get(hostId);
    if (!host) continue;
    const ctx = { nowMs: options.nowMs ?? 0, rng: rngFor(options.seed, `n-1:${hostId}`), actor: SYSTEM_CALLER, mode: 'enforce' as const };
    const decision = decide(state, { type: 'hostDown', hostId }, ctx);
    const loss: HostLoss = {
      host: host.name,
      hostId,
      cluster: state.clusters.get(host.clusterId)?.name ?? host.clusterId,
      clusterId: host.clusterId,
      pod: state.pods.get(host.podId)?.name ?? host.podId,
      zone: state.zones.get(host.zoneId)?.name ?? host.zoneId,
      vmsAffected: 0,
      restarted: 0,
      ...(options.keepRestarted ? { restartedVms: [] } : {}),
      stranded: [],
      downWithoutHa: 0,
      shortfall: { cpuMhz: 0, memoryMiB: 0 },
      timeToRecoverMs: null,
    };
    if (decision.ok) {
      for (const event of decision.events) {
        if (event.type !== 'vmStateChanged') continue;
        const vm = state.vms.get(event.vmId);
        if (!vm) continue;
        loss.vmsAffected++;
        const cpuMhz = vm.cpuNumber * vm.cpuSpeedMhz;
        if (event.state === 'Starting') {
          loss.restarted++;
          loss.restartedVms?.push({ vm: vm.name, vmId: vm.id, kind: vm.kind, cpuMhz, memoryMiB: vm.memoryMiB, toHost: state.hosts.get(event.hostId ?? '')?.name ?? event.hostId ?? '-' });
        } else if (vm.haEnabled && !vm.usesLocalStorage && haZone) {
          loss.stranded.push({ vm: vm.name, vmId: vm.id, kind: vm.kind, cpuMhz, memoryMiB: vm.memoryMiB, reason: event.reason ?? 'stopped' });
          loss.shortfall.cpuMhz += cpuMhz;
          loss.shortfall.memoryMiB += vm.memoryMiB;
        } else {
          loss.downWithoutHa++;
        }
      }
    }
    if (loss.restarted > 0) loss.timeToRecoverMs = recoverBoundMs;
    out.push(loss);
    if (options.onProgress && (i + 1) % every === 0) options.onProgress(i + 1);
  }
  options.onProgress?.(hostIds.length);
  return out;
}

export interface ClusterVerdict {
  cluster: string;
  clusterId: Id;
  pod: string;
  zone: string;
  /** Hosts of the cluster that were evaluated (Up). */
  hosts: number;
  /** HA VMs on those hosts (restarted or stranded when their host goes). */
  haVms: number;
  /** The hosts whose loss strands HA VMs, in host order. */
  losses: HostLoss[];
}

export interface NMinus1Result {
  seed: number;
  hostsEvaluated: number;
  /** VMs on the evaluated hosts: each goes down with its host in one of the cases. */
  vms: number;
  clusters: number;
  /** Clusters whose other hosts absorb the HA VMs of any one host. */
  clustersAbsorbing: number;
  /** Clusters that cannot absorb the loss of at least one of their hosts. */
  failing: ClusterVerdict[];
  /** Hosts whose loss strands HA VMs, over every cluster. */
  hostsStranding: number;
  /** The most HA VMs one host's loss strands. */
  worstStranded: number;
  /** Upper bound of the time to recover from any one host's loss; null when no host has HA VMs. */
  timeToRecoverMs: number | null;
}

/** Groups host losses by cluster (in the order hosts were given) into the n-1 verdict. */
export function summarizeHostLosses(seed: number, losses: readonly HostLoss[]): NMinus1Result {
  const byCluster = new Map<Id, ClusterVerdict>();
  let vms = 0;
  let timeToRecoverMs: number | null = null;
  let worstStranded = 0;
  let hostsStranding = 0;
  for (const loss of losses) {
    let verdict = byCluster.get(loss.clusterId);
    if (!verdict) {
      verdict = { cluster: loss.cluster, clusterId: loss.clusterId, pod: loss.pod, zone: loss.zone, hosts: 0, haVms: 0, losses: [] };
      byCluster.set(loss.clusterId, verdict);
    }
    verdict.hosts++;
    verdict.haVms += loss.restarted + loss.stranded.length;
    vms += loss.vmsAffected;
    if (loss.timeToRecoverMs !== null) timeToRecoverMs = Math.max(timeToRecoverMs ?? 0, loss.timeToRecoverMs);
    if (loss.stranded.length > 0) {
      verdict.losses.push(loss);
      hostsStranding++;
      worstStranded = Math.max(worstStranded, loss.stranded.length);
    }
  }
  const failing = [...byCluster.values()].filter((v) => v.losses.length > 0);
  return { seed, hostsEvaluated: losses.length, vms, clusters: byCluster.size, clustersAbsorbing: byCluster.size - failing.length, failing, hostsStranding, worstStranded, timeToRecoverMs };
}

/** N-1 over every host that is Up, in one thread. */
export function nMinus1(state: CloudState, options: NMinus1Options): NMinus1Result {
  return summarizeHostLosses(options.seed, evaluateHostLosses(state, options));
}
