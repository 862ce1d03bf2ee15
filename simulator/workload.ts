import type * as z from 'zod';
import { assert } from '../core/assert.js';
import type { Id } from '../core/model/entities.js';
import type { CloudState } from '../core/model/state.js';
import type { SeededRng } from '../core/rng.js';
import type { ScenarioSpec } from '../core/scenario/schema.js';
import { cumulativeWeights, type DurationDistribution } from './distributions.js';
import type { SimRuntime, StepResult } from './runtime.js';

/**
 * Workloads and faults: each is a named factory in a registry, a scenario's
 * `simulation:` section lists them by name with their options, and a run creates one instance
 * per entry. An instance goes through a fixed lifecycle:
 *
 * - `setup(env)` before virtual time starts: create accounts, register a demand modifier;
 * - `start(env)` schedules its first tasks; from then on it lives in the event queue;
 * - `stop(env)` ends new activity (a drill's healing phase); a fault heals what it broke;
 * - `check(env)` returns what it expected but did not see (empty: fine);
 * - `metrics()` returns its counters.
 *
 * Faults are workloads too: they break the physical world through the simulated drivers and
 * let the monitors report it, exactly as the management server would learn of it.
 */

export interface Workload {
  readonly name: string;
  setup?(env: SimEnv): void;
  start(env: SimEnv): void;
  stop?(env: SimEnv): void;
  check?(env: SimEnv): string[];
  metrics(): Record<string, number>;
}

/** A kind of thing a workload's options refer to by name. */
export type ReferenceKind = 'zone' | 'pod' | 'cluster' | 'host' | 'storagePool' | 'offering' | 'diskOffering' | 'network' | 'template' | 'domain';

export interface Reference {
  /** The option's key (or key path below the entry). */
  field: readonly (string | number)[];
  kind: ReferenceKind;
  name: string;
}

export interface WorkloadFactory<O = unknown> {
  readonly name: string;
  readonly kind: 'workload' | 'fault';
  /** One line for listings and documentation. */
  readonly summary: string;
  /** The entry's options, `name` included; a strict object, so unknown keys are errors. */
  readonly schema: z.ZodType<O>;
  /** At most one entry of this name per scenario (it sets something run-wide). */
  readonly single?: boolean;
  /** Names of the scenario the options refer to, checked when the file is read. */
  references?(options: O): Reference[];
  create(options: O): Workload;
}

const REGISTRY = new Map<string, WorkloadFactory<never>>();

/** Adds a factory to the registry; names are unique across workloads and faults. */
export function registerWorkload<O>(factory: WorkloadFactory<O>): WorkloadFactory<O> {
  assert(!REGISTRY.has(factory.name), `workload ${factory.name} is registered twice`);
  REGISTRY.set(factory.name, factory as unknown as WorkloadFactory<never>);
  return factory;
}

export function workloadFactory(name: string): WorkloadFactory<unknown> | undefined {
  return REGISTRY.get(name) as WorkloadFactory<unknown> | undefined;
}

export function registeredWorkloads(kind?: 'workload' | 'fault'): WorkloadFactory<unknown>[] {
  return [...REGISTRY.values()].filter((f) => kind === undefined || f.kind === kind) as WorkloadFactory<unknown>[];
}

/** An entry of a scenario's workloads or faults, with its checked options. */
export interface WorkloadEntry {
  name: string;
  options: unknown;
}

/** A typed entry, for code that builds simulations (swarm, tests) rather than reading files. */
export function workloadEntry<O extends { name: string }>(factory: WorkloadFactory<O>, options: O): WorkloadEntry {
  return { name: factory.name, options };
}

export function createWorkload(entry: WorkloadEntry): Workload {
  const factory = workloadFactory(entry.name);
  assert(factory !== undefined, `unknown workload ${entry.name}`);
  return factory.create(entry.options);
}

/**
 * How the arrival rate changes over time. `maxOver` bounds the factor on an interval, which
 * the arrival process needs to draw a time-varying Poisson process exactly (by thinning).
 */
export interface RateFactor {
  at(timeMs: number): number;
  maxOver(fromMs: number, toMs: number): number;
}

/**
 * What the demand workloads share: arrival-rate modifiers (growth, daily cycles), how long VMs
 * live, the offering mix, and the tenants (accounts and their networks). Modifier workloads
 * fill it in during setup; arrival workloads read it.
 */
export class Demand {
  readonly rateFactors: RateFactor[] = [];
  lifetime: { distribution: DurationDistribution; expunge: boolean } | undefined;
  private mix: { offeringIds: Id[]; cumulative: Float64Array } | undefined;
  /** Tenant accounts the workloads deploy for. */
  readonly accounts: Id[] = [];
  /** Networks created for tenants, by account, then zone (ids as keys: no string built per lookup). */
  readonly networks = new Map<Id, Map<Id, Id[]>>();

  networksOf(accountId: Id, zoneId: Id): readonly Id[] | undefined {
    return this.networks.get(accountId)?.get(zoneId);
  }

  /** Tenants with a network of their own in the zone, in the order they got their first one. */
  private readonly accountsByZone = new Map<Id, Id[]>();

  accountsIn(zoneId: Id): readonly Id[] {
    return this.accountsByZone.get(zoneId) ?? [];
  }

  addNetwork(accountId: Id, zoneId: Id, networkId: Id): void {
    let byZone = this.networks.get(accountId);
    if (!byZone) {
      byZone = new Map();
      this.networks.set(accountId, byZone);
    }
    const list = byZone.get(zoneId);
    if (list) {
      list.push(networkId);
      return;
    }
    byZone.set(zoneId, [networkId]);
    const tenants = this.accountsByZone.get(zoneId);
    if (tenants) tenants.push(accountId);
    else this.accountsByZone.set(zoneId, [accountId]);
  }

  rateFactorAt(timeMs: number): number {
    let factor = 1;
    for (const f of this.rateFactors) factor *= f.at(timeMs);
    return factor;
  }

  /** An upper bound of the combined factor on [fromMs, toMs] (the product of the maxima). */
  rateFactorMax(fromMs: number, toMs: number): number {
    let factor = 1;
    for (const f of this.rateFactors) factor *= f.maxOver(fromMs, toMs);
    return factor;
  }

  setOfferingMix(offeringIds: readonly Id[], weights: readonly number[]): void {
    assert(offeringIds.length > 0 && offeringIds.length === weights.length, 'an offering mix needs one weight per offering');
    this.mix = { offeringIds: [...offeringIds], cumulative: cumulativeWeights(weights) };
  }

  get offeringMix(): { offeringIds: readonly Id[]; cumulative: Float64Array } | undefined {
    return this.mix;
  }
}

/**
 * What a workload sees of the run: the state (to read only), the runtime (to submit commands
 * and schedule tasks), its own random stream, the shared demand, and names resolved to ids.
 */
export interface SimEnv {
  readonly runtime: SimRuntime;
  readonly state: Readonly<CloudState>;
  readonly rng: SeededRng;
  readonly demand: Demand;
  readonly names: Names;
  /** The scenario, for what the state does not keep (templates to register). */
  readonly scenario: ScenarioSpec;
  /** End of the faults phase (the run's length for plain simulations). */
  readonly horizonMs: number;
  /** Submits an API request now, as a user or operator would. */
  submit(command: Parameters<SimRuntime['submit']>[0]): StepResult;
  /** The id of a scenario template in the cloud, registered on first use. */
  templateId(name: string): Id | undefined;
}

/**
 * Scenario names to ids. Names were checked against the scenario when the file was read, so a
 * missing one here is a bug and asserts.
 */
export class Names {
  constructor(private readonly state: CloudState) {}

  private find<T extends { id: Id; name: string }>(records: Map<Id, T>, name: string, what: string, where?: (record: T) => boolean): T {
    for (const record of records.values()) if (record.name === name && (!where || where(record))) return record;
    assert(false, `${what} "${name}" does not exist in the cloud`);
  }

  zone(name: string): Id {
    return this.find(this.state.zones, name, 'zone').id;
  }

  pod(name: string): Id {
    return this.find(this.state.pods, name, 'pod').id;
  }

  cluster(name: string): Id {
    return this.find(this.state.clusters, name, 'cluster').id;
  }

  host(name: string): Id {
    return this.find(this.state.hosts, name, 'host').id;
  }

  storagePool(name: string): Id {
    return this.find(this.state.storagePools, name, 'storage pool').id;
  }

  offering(name: string): Id {
    return this.find(this.state.serviceOfferings, name, 'service offering', (o) => o.systemVmType === undefined).id;
  }

  diskOffering(name: string): Id {
    return this.find(this.state.diskOfferings, name, 'disk offering').id;
  }

  network(name: string, zoneId: Id): Id {
    return this.find(this.state.networks, name, 'network', (n) => n.zoneId === zoneId && n.state !== 'Destroy').id;
  }

  domain(name: string): Id {
    return this.find(this.state.domains, name, 'domain').id;
  }
}
