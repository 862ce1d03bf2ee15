import * as z from 'zod';
import type { Id } from '../core/model/entities.js';
import { drawDurationMs, drawExponentialMs, type DurationDistribution, MINUTE_MS, HOUR_MS, SECOND_MS } from './distributions.js';
import { duration, name, obj, positiveDuration, timing } from './options.js';
import type { Reference, SimEnv, Workload } from './workload.js';
import { registerWorkload } from './workload.js';

/**
 * The named faults. Each breaks part of the physical world through the simulated drivers and
 * repairs it after a repair time; the failure monitors tell the management server, which reacts
 * as CloudStack does (HA restarts, stopped VMs with a reason).
 *
 * Timing is either `at` (one failure at that virtual time) or `mtbf` (failures drawn at random,
 * as a Poisson process with that mean time between failures per target). Repairs take `repair`
 * (fixed) or a time drawn with mean `mttr` (exponential), or the fault's default. A target
 * already broken by the same fault is not broken again.
 */

const timingShape = {
  at: duration.optional(),
  mtbf: positiveDuration.optional(),
  repair: duration.optional(),
  mttr: positiveDuration.optional(),
};

interface Timing {
  at?: number | undefined;
  mtbf?: number | undefined;
  repair?: number | undefined;
  mttr?: number | undefined;
}

function repairOf(options: Timing, fallback: DurationDistribution): DurationDistribution {
  if (options.repair !== undefined) return { kind: 'fixed', valueMs: options.repair };
  if (options.mttr !== undefined) return { kind: 'exponential', meanMs: options.mttr };
  return fallback;
}

abstract class Fault implements Workload {
  abstract readonly name: string;
  /** Broken targets and when they broke. */
  private readonly active = new Map<Id, number>();
  private targets: Id[] = [];
  private injected = 0;
  private restored = 0;
  private skipped = 0;
  private downtimeMsTotal = 0;
  private stopped = false;

  constructor(
    private readonly timingOptions: Timing,
    private readonly repair: DurationDistribution,
    private readonly count = 1,
  ) {}

  /** What this fault can break, in a deterministic order. */
  protected abstract candidates(env: SimEnv): Id[];
  protected abstract inject(env: SimEnv, target: Id): void;
  protected abstract restore(env: SimEnv, target: Id): void;

  setup(env: SimEnv): void {
    this.targets = this.candidates(env);
  }

  start(env: SimEnv): void {
    const { at } = this.timingOptions;
    if (at !== undefined) env.runtime.later(at, () => this.occur(env, this.count));
    else this.nextRandom(env);
  }

  /** No new failures; everything broken is repaired now (a drill's healing phase). */
  stop(env: SimEnv): void {
    this.stopped = true;
    for (const target of [...this.active.keys()]) this.heal(env, target);
  }

  metrics(): Record<string, number> {
    return { injected: this.injected, restored: this.restored, skipped: this.skipped, downtimeMsTotal: this.downtimeMsTotal, active: this.active.size };
  }

  private nextRandom(env: SimEnv): void {
    const mtbf = this.timingOptions.mtbf;
    if (this.stopped || mtbf === undefined || this.targets.length === 0) return;
    // One process for all targets: the superposition of per-target processes of mean mtbf.
    env.runtime.later(drawExponentialMs(env.rng, mtbf / this.targets.length), () => {
      if (this.stopped) return;
      this.occur(env, 1);
      this.nextRandom(env);
    });
  }

  private occur(env: SimEnv, count: number): void {
    if (this.stopped) return;
    const healthy = this.targets.filter((t) => !this.active.has(t));
    if (healthy.length === 0) {
      this.skipped++;
      return;
    }
    for (let i = 0; i < count && healthy.length > 0; i++) {
      const at = healthy.length === 1 ? 0 : env.rng.intInclusive(0, healthy.length - 1);
      const target = healthy[at]!;
      healthy.splice(at, 1);
      this.active.set(target, env.runtime.nowMs);
      this.injected++;
      this.inject(env, target);
      env.runtime.later(drawDurationMs(env.rng, this.repair), () => this.heal(env, target));
    }
  }

  private heal(env: SimEnv, target: Id): void {
    const since = this.active.get(target);
    if (since === undefined) return;
    this.active.delete(target);
    this.downtimeMsTotal += env.runtime.nowMs - since;
    this.restored++;
    this.restore(env, target);
  }
}

const ref = (field: string, kind: Reference['kind'], value: string | undefined): Reference[] => (value === undefined ? [] : [{ field: [field], kind, name: value }]);

function hostsOfPod(env: SimEnv, podId: Id): Id[] {
  const out: Id[] = [];
  for (const clusterId of env.state.index.clustersByPod.get(podId) ?? []) out.push(...(env.state.index.hostsByCluster.get(clusterId) ?? []));
  return out;
}

// ----- hostCrash -----

const hostCrashSchema = obj({
  name: z.literal('hostCrash'),
  ...timingShape,
  /** Only this host (by name); otherwise a random host of the filters below. */
  host: name.optional(),
  cluster: name.optional(),
  pod: name.optional(),
  zone: name.optional(),
  /** Hosts crashing together at `at`. */
  count: z.number().int().positive().optional(),
}).superRefine(timing);

class HostCrash extends Fault {
  readonly name = 'hostCrash';

  constructor(private readonly options: z.output<typeof hostCrashSchema>) {
    super(options, repairOf(options, { kind: 'exponential', meanMs: 2 * HOUR_MS }), options.count ?? 1);
  }

  protected candidates(env: SimEnv): Id[] {
    const o = this.options;
    if (o.host !== undefined) return [env.names.host(o.host)];
    const clusterId = o.cluster === undefined ? undefined : env.names.cluster(o.cluster);
    const podId = o.pod === undefined ? undefined : env.names.pod(o.pod);
    const zoneId = o.zone === undefined ? undefined : env.names.zone(o.zone);
    return [...env.state.hosts.values()].filter((h) => (clusterId === undefined || h.clusterId === clusterId) && (podId === undefined || h.podId === podId) && (zoneId === undefined || h.zoneId === zoneId)).map((h) => h.id);
  }

  protected inject(env: SimEnv, hostId: Id): void {
    env.runtime.drivers.failHost(hostId);
  }

  protected restore(env: SimEnv, hostId: Id): void {
    env.runtime.drivers.repairHost(hostId);
  }
}

export const hostCrash = registerWorkload({
  name: 'hostCrash',
  kind: 'fault',
  summary: 'a host crashes (its VMs die with it) and reboots after the repair time',
  schema: hostCrashSchema,
  references: (o) => [...ref('host', 'host', o.host), ...ref('cluster', 'cluster', o.cluster), ...ref('pod', 'pod', o.pod), ...ref('zone', 'zone', o.zone)],
  create: (o) => new HostCrash(o),
});

// ----- primaryStorageOutage -----

const storageOutageSchema = obj({
  name: z.literal('primaryStorageOutage'),
  ...timingShape,
  /** Only this pool (by name); otherwise a random shared pool of the zone filter. */
  storagePool: name.optional(),
  zone: name.optional(),
}).superRefine(timing);

class PrimaryStorageOutage extends Fault {
  readonly name = 'primaryStorageOutage';

  constructor(private readonly options: z.output<typeof storageOutageSchema>) {
    super(options, repairOf(options, { kind: 'fixed', valueMs: 30 * MINUTE_MS }));
  }

  protected candidates(env: SimEnv): Id[] {
    if (this.options.storagePool !== undefined) return [env.names.storagePool(this.options.storagePool)];
    const zoneId = this.options.zone === undefined ? undefined : env.names.zone(this.options.zone);
    // A host's local disk fails with its host; shared pools are what an outage takes down.
    return [...env.state.storagePools.values()].filter((p) => p.scope !== 'HOST' && (zoneId === undefined || p.zoneId === zoneId)).map((p) => p.id);
  }

  protected inject(env: SimEnv, poolId: Id): void {
    env.runtime.drivers.failPool(poolId);
  }

  protected restore(env: SimEnv, poolId: Id): void {
    env.runtime.drivers.repairPool(poolId);
  }
}

export const primaryStorageOutage = registerWorkload({
  name: 'primaryStorageOutage',
  kind: 'fault',
  summary: 'a primary storage pool becomes unreachable: its VMs stop, HA VMs restart when it returns',
  schema: storageOutageSchema,
  references: (o) => [...ref('storagePool', 'storagePool', o.storagePool), ...ref('zone', 'zone', o.zone)],
  create: (o) => new PrimaryStorageOutage(o),
});

// ----- podSwitchFailure -----

const podSwitchSchema = obj({
  name: z.literal('podSwitchFailure'),
  ...timingShape,
  pod: name.optional(),
  zone: name.optional(),
}).superRefine(timing);

class PodSwitchFailure extends Fault {
  readonly name = 'podSwitchFailure';

  constructor(private readonly options: z.output<typeof podSwitchSchema>) {
    super(options, repairOf(options, { kind: 'fixed', valueMs: HOUR_MS }));
  }

  protected candidates(env: SimEnv): Id[] {
    if (this.options.pod !== undefined) return [env.names.pod(this.options.pod)];
    const zoneId = this.options.zone === undefined ? undefined : env.names.zone(this.options.zone);
    return [...env.state.pods.values()].filter((p) => zoneId === undefined || p.zoneId === zoneId).map((p) => p.id);
  }

  // The top-of-rack switch cuts every host of the pod off: for the management server (and for
  // the VMs' users) they are down. The model does not keep VMs running behind a dead switch.
  protected inject(env: SimEnv, podId: Id): void {
    for (const hostId of hostsOfPod(env, podId)) env.runtime.drivers.failHost(hostId);
  }

  protected restore(env: SimEnv, podId: Id): void {
    for (const hostId of hostsOfPod(env, podId)) env.runtime.drivers.repairHost(hostId);
  }
}

export const podSwitchFailure = registerWorkload({
  name: 'podSwitchFailure',
  kind: 'fault',
  summary: 'the top-of-rack switch of a pod fails: all hosts of the pod are down for the repair time',
  schema: podSwitchSchema,
  references: (o) => [...ref('pod', 'pod', o.pod), ...ref('zone', 'zone', o.zone)],
  create: (o) => new PodSwitchFailure(o),
});

// ----- zoneOutage -----

const zoneOutageSchema = obj({
  name: z.literal('zoneOutage'),
  ...timingShape,
  zone: name.optional(),
}).superRefine(timing);

class ZoneOutage extends Fault {
  readonly name = 'zoneOutage';

  constructor(private readonly options: z.output<typeof zoneOutageSchema>) {
    super(options, repairOf(options, { kind: 'fixed', valueMs: 2 * HOUR_MS }));
  }

  protected candidates(env: SimEnv): Id[] {
    return this.options.zone !== undefined ? [env.names.zone(this.options.zone)] : [...env.state.zones.keys()];
  }

  protected inject(env: SimEnv, zoneId: Id): void {
    for (const host of env.state.hosts.values()) if (host.zoneId === zoneId) env.runtime.drivers.failHost(host.id);
    for (const poolId of env.state.index.storagePoolsByZone.get(zoneId) ?? []) env.runtime.drivers.failPool(poolId);
  }

  protected restore(env: SimEnv, zoneId: Id): void {
    for (const host of env.state.hosts.values()) if (host.zoneId === zoneId) env.runtime.drivers.repairHost(host.id);
    for (const poolId of env.state.index.storagePoolsByZone.get(zoneId) ?? []) env.runtime.drivers.repairPool(poolId);
  }
}

export const zoneOutage = registerWorkload({
  name: 'zoneOutage',
  kind: 'fault',
  summary: 'a whole zone (its hosts and primary storage) goes dark for the repair time',
  schema: zoneOutageSchema,
  references: (o) => ref('zone', 'zone', o.zone),
  create: (o) => new ZoneOutage(o),
});

// ----- managementServerOutage and databaseFailover -----

const MANAGEMENT = 'management';

class ManagementOutage extends Fault {
  constructor(
    readonly name: string,
    options: Timing,
    fallback: DurationDistribution,
  ) {
    super(options, repairOf(options, fallback));
  }

  protected candidates(): Id[] {
    return [MANAGEMENT];
  }

  protected inject(env: SimEnv): void {
    env.runtime.drivers.failManagement();
  }

  protected restore(env: SimEnv): void {
    env.runtime.drivers.repairManagement();
  }
}

const managementOutageSchema = obj({ name: z.literal('managementServerOutage'), ...timingShape }).superRefine(timing);

export const managementServerOutage = registerWorkload({
  name: 'managementServerOutage',
  kind: 'fault',
  summary: 'every management server stops: the API refuses requests, running VMs run on, agents report on return',
  schema: managementOutageSchema,
  create: (o) => new ManagementOutage('managementServerOutage', o, { kind: 'fixed', valueMs: 15 * MINUTE_MS }),
});

const databaseFailoverSchema = obj({ name: z.literal('databaseFailover'), ...timingShape }).superRefine(timing);

export const databaseFailover = registerWorkload({
  name: 'databaseFailover',
  kind: 'fault',
  summary: 'the database fails over to its replica: a short management outage (about a minute)',
  schema: databaseFailoverSchema,
  create: (o) => new ManagementOutage('databaseFailover', o, { kind: 'lognormal', medianMs: 45 * SECOND_MS, sigma: 0.5 }),
});
