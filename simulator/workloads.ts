import * as z from 'zod';
import type { Command } from '../core/model/commands.js';
import type { Id } from '../core/model/entities.js';
import { cumulativeWeights, DAY_MS, drawDurationMs, drawExponentialMs, drawWeighted, HOUR_MS, MONTH_MS, type DurationDistribution } from './distributions.js';
import { name, obj, positiveDuration, probability } from './options.js';
import type { SimEnv, Workload } from './workload.js';
import { registerWorkload } from './workload.js';

/**
 * The demand workloads. `steadyArrivals` deploys VMs as a Poisson process; the others shape it:
 * `monthlyGrowth` and `dailyCycle` multiply its rate, `vmLifetimes` destroys each VM at the end
 * of a drawn life, `offeringMix` picks the offerings, `newAccounts` brings tenants and their
 * networks. Modifiers apply to every arrival stream of the run.
 */

/** A user whose request was refused because nobody answered tries again after this long. */
const RETRY_MS = HOUR_MS;

/** Arrivals are drawn in windows this long: short enough that a daily cycle's bound is tight. */
const WINDOW_MS = HOUR_MS;

// ----- steadyArrivals -----

const steadyArrivalsSchema = obj({
  name: z.literal('steadyArrivals'),
  /** Mean deploys per day before modifiers. */
  perDay: z.number().positive(),
  /** The zone to deploy in; every enabled core zone, at random, when absent. */
  zone: name.optional(),
  /** A network to put every VM on (by name, in the zone); the account's networks otherwise. */
  network: name.optional(),
  /** A template of the scenario's `templates:`, registered at setup. */
  template: name.optional(),
  /** The check fails when fewer deploys than this share were accepted. */
  minAcceptedShare: probability.optional(),
  /** VMs deployed on top of the arrivals at the start, at times drawn uniformly over `rampUp`: a standing population. */
  initial: z.number().int().min(0).optional(),
  /** How long the initial deploys take (default 1d). */
  rampUp: positiveDuration.optional(),
  /** Deploy only for tenants with a network of their own in the zone (from newAccounts), when there are any. */
  localTenants: z.boolean().optional(),
  /**
   * Kinds of VMs, each deploy drawing one by weight (instead of the offering mix and `template`):
   * its compute offering, template, one data disk and a root disk size.
   */
  groups: z
    .array(obj({ offering: name, weight: z.number().positive(), template: name.optional(), diskOffering: name.optional(), dataDiskGiB: z.number().positive().optional(), rootDiskGiB: z.number().positive().optional() }))
    .min(1)
    .optional(),
});
type SteadyArrivalsOptions = z.output<typeof steadyArrivalsSchema>;

/** A group of `groups`, resolved to ids. */
interface VmGroupIds {
  offeringId: Id;
  templateId?: Id;
  diskOfferingId?: Id;
  dataDiskSizeGiB?: number;
  rootDiskSizeGiB?: number;
}

class SteadyArrivals implements Workload {
  readonly name = 'steadyArrivals';
  private attempted = 0;
  private accepted = 0;
  private rejected = 0;
  private destroyed = 0;
  private destroyRetries = 0;
  private stopped = false;
  private zoneIds: Id[] = [];
  private networkIds: Map<Id, Id> | undefined;
  private templateId: Id | undefined;
  private offeringIds: Id[] = [];
  private groups: { members: VmGroupIds[]; cumulative: Float64Array } | undefined;

  constructor(private readonly options: SteadyArrivalsOptions) {}

  setup(env: SimEnv): void {
    const zones = this.options.zone !== undefined ? [env.names.zone(this.options.zone)] : [...env.state.zones.values()].filter((z) => z.zoneType !== 'Edge' && z.allocationState === 'Enabled').map((z) => z.id);
    this.zoneIds = zones;
    if (this.options.network !== undefined) {
      this.networkIds = new Map(zones.map((zoneId) => [zoneId, env.names.network(this.options.network!, zoneId)]));
    }
    if (this.options.template !== undefined) this.templateId = env.templateId(this.options.template);
    this.offeringIds = [...env.state.serviceOfferings.values()].filter((o) => o.systemVmType === undefined).map((o) => o.id);
    if (this.options.groups !== undefined) {
      const members = this.options.groups.map((g): VmGroupIds => {
        const templateId = g.template === undefined ? undefined : env.templateId(g.template);
        return {
          offeringId: env.names.offering(g.offering),
          ...(templateId === undefined ? {} : { templateId }),
          ...(g.diskOffering === undefined ? {} : { diskOfferingId: env.names.diskOffering(g.diskOffering) }),
          ...(g.dataDiskGiB === undefined ? {} : { dataDiskSizeGiB: g.dataDiskGiB }),
          ...(g.rootDiskGiB === undefined ? {} : { rootDiskSizeGiB: g.rootDiskGiB }),
        };
      });
      this.groups = { members, cumulative: cumulativeWeights(this.options.groups.map((g) => g.weight)) };
    }
  }

  start(env: SimEnv): void {
    // Tenants come from newAccounts when it runs; otherwise the scenario's own accounts, or one.
    if (env.demand.accounts.length === 0) {
      for (const account of env.state.accounts.values()) if (account.id !== 'system') env.demand.accounts.push(account.id);
    }
    if (env.demand.accounts.length === 0) {
      const created = env.submit({ type: 'createAccount', name: 'tenant' });
      if (created.ok) for (const event of created.step.events) if (event.type === 'accountCreated') env.demand.accounts.push(event.account.id);
    }
    this.env = env;
    const initial = this.options.initial ?? 0;
    if (initial > 0) {
      const rampUpMs = this.options.rampUp ?? DAY_MS;
      const times: number[] = [];
      for (let i = 0; i < initial; i++) times.push(Math.floor(env.rng.float() * rampUpMs));
      // Scheduled in time order, so ties keep the order they were drawn in.
      times.sort((a, b) => a - b);
      for (const timeMs of times) env.runtime.later(timeMs, this.initialArrival, env);
    }
    this.next(env);
  }

  private readonly initialArrival = (env: SimEnv): void => {
    if (!this.stopped) this.arrive(env);
  };

  stop(): void {
    this.stopped = true;
  }

  check(): string[] {
    const min = this.options.minAcceptedShare;
    if (min === undefined || this.attempted === 0) return [];
    const share = this.accepted / this.attempted;
    return share < min ? [`steadyArrivals: ${this.accepted} of ${this.attempted} deploys accepted (${(share * 100).toFixed(1)}%), below ${(min * 100).toFixed(1)}%`] : [];
  }

  metrics(): Record<string, number> {
    return { attempted: this.attempted, accepted: this.accepted, rejected: this.rejected, destroyed: this.destroyed, destroyRetries: this.destroyRetries };
  }

  /**
   * The next arrival of a Poisson process whose rate changes with time, drawn by thinning:
   * candidates come at the highest rate the window can reach and each is kept with probability
   * rate(t) / rateMax. Past the window the draw starts again (the process is memoryless).
   * The tasks are made once per workload and take their data as arguments, so the queue holds
   * no closure per VM.
   */
  private next(env: SimEnv): void {
    if (this.stopped) return;
    const nowMs = env.runtime.nowMs;
    const baseRatePerMs = this.options.perDay / DAY_MS;
    const rateMaxPerMs = baseRatePerMs * env.demand.rateFactorMax(nowMs, nowMs + WINDOW_MS);
    const gapMs = rateMaxPerMs > 0 ? drawExponentialMs(env.rng, 1 / rateMaxPerMs) : Infinity;
    if (gapMs > WINDOW_MS) {
      env.runtime.later(WINDOW_MS, this.windowEnd, env);
      return;
    }
    this.rateMaxPerMs = rateMaxPerMs;
    env.runtime.later(gapMs, this.candidate, env);
  }

  /** The bound the pending candidate was drawn with. */
  private rateMaxPerMs = 0;

  private readonly windowEnd = (env: SimEnv): void => this.next(env);

  private readonly candidate = (env: SimEnv): void => {
    if (this.stopped) return;
    const rate = (this.options.perDay / DAY_MS) * env.demand.rateFactorAt(env.runtime.nowMs);
    if (env.rng.float() * this.rateMaxPerMs < rate) this.arrive(env);
    this.next(env);
  };

  private arrive(env: SimEnv): void {
    const { demand, rng } = env;
    if (demand.accounts.length === 0 || this.zoneIds.length === 0) return;
    const zoneId = this.zoneIds.length === 1 ? this.zoneIds[0]! : this.zoneIds[rng.intInclusive(0, this.zoneIds.length - 1)]!;
    const local = this.options.localTenants ? demand.accountsIn(zoneId) : undefined;
    const tenants = local && local.length > 0 ? local : demand.accounts;
    const accountId = tenants[rng.intInclusive(0, tenants.length - 1)]!;
    const group = this.groups ? this.groups.members[drawWeighted(rng, this.groups.cumulative)]! : undefined;
    const mix = demand.offeringMix;
    const serviceOfferingId = group ? group.offeringId : mix ? mix.offeringIds[drawWeighted(rng, mix.cumulative)]! : this.offeringIds[rng.intInclusive(0, this.offeringIds.length - 1)];
    if (serviceOfferingId === undefined) return;
    const named = this.networkIds?.get(zoneId);
    const own = named === undefined ? demand.networksOf(accountId, zoneId) : undefined;
    const networkId = named ?? (own && own.length > 0 ? own[rng.intInclusive(0, own.length - 1)] : undefined);
    const command: Command = { type: 'deployVirtualMachine', zoneId, accountId, serviceOfferingId };
    if (networkId !== undefined) command.networkIds = [networkId];
    const templateId = group ? group.templateId : this.templateId;
    if (templateId !== undefined) command.templateId = templateId;
    if (group?.diskOfferingId !== undefined) command.diskOfferingId = group.diskOfferingId;
    if (group?.dataDiskSizeGiB !== undefined) command.dataDiskSizeGiB = group.dataDiskSizeGiB;
    if (group?.rootDiskSizeGiB !== undefined) command.rootDiskSizeGiB = group.rootDiskSizeGiB;
    this.attempted++;
    const result = env.submit(command);
    if (!result.ok) {
      this.rejected++;
      return;
    }
    this.accepted++;
    const lifetime = demand.lifetime;
    if (!lifetime) return;
    let vmId: Id | undefined;
    // The user VM is the last one created; routers of a newly implemented network come first.
    for (const event of result.step.events) if (event.type === 'vmCreated' && event.vm.kind === 'User') vmId = event.vm.id;
    if (vmId === undefined) return;
    env.runtime.later(drawDurationMs(rng, lifetime.distribution), this.endOfLife, vmId);
  }

  private env: SimEnv | undefined;

  /** A VM's life is over: its owner destroys it, and tries again later if nobody answers. */
  private readonly endOfLife = (vmId: Id): void => {
    const env = this.env!;
    const result = env.submit({ type: 'destroyVirtualMachine', id: vmId, expunge: env.demand.lifetime?.expunge ?? false });
    if (result.ok) {
      this.destroyed++;
    } else if (result.rejection.code === 'RESOURCE_UNAVAILABLE') {
      this.destroyRetries++;
      env.runtime.later(RETRY_MS, this.endOfLife, vmId);
    }
  };
}

export const steadyArrivals = registerWorkload({
  name: 'steadyArrivals',
  kind: 'workload',
  summary: 'deploys VMs as a Poisson process of perDay arrivals, shaped by the other demand workloads',
  schema: steadyArrivalsSchema,
  references: (o) => [
    ...(o.zone === undefined ? [] : [{ field: ['zone'], kind: 'zone' as const, name: o.zone }]),
    ...(o.network === undefined ? [] : [{ field: ['network'], kind: 'network' as const, name: o.network }]),
    ...(o.template === undefined ? [] : [{ field: ['template'], kind: 'template' as const, name: o.template }]),
    ...(o.groups ?? []).flatMap((g, i) => [
      { field: ['groups', i, 'offering'], kind: 'offering' as const, name: g.offering },
      ...(g.template === undefined ? [] : [{ field: ['groups', i, 'template'], kind: 'template' as const, name: g.template }]),
      ...(g.diskOffering === undefined ? [] : [{ field: ['groups', i, 'diskOffering'], kind: 'diskOffering' as const, name: g.diskOffering }]),
    ]),
  ],
  create: (o) => new SteadyArrivals(o),
});

// ----- monthlyGrowth -----

const monthlyGrowthSchema = obj({
  name: z.literal('monthlyGrowth'),
  /** Compound growth of the arrival rate per month, in percent (negative: decline). */
  percent: z.number().min(-100),
});

export const monthlyGrowth = registerWorkload({
  name: 'monthlyGrowth',
  kind: 'workload',
  summary: 'multiplies arrival rates by (1 + percent/100) per month, compounding',
  schema: monthlyGrowthSchema,
  create: (o) => {
    const base = 1 + o.percent / 100;
    const at = (timeMs: number): number => Math.pow(base, timeMs / MONTH_MS);
    return {
      name: 'monthlyGrowth',
      setup: (env: SimEnv) => {
        // Monotonic, so the bound of an interval is at one of its ends.
        env.demand.rateFactors.push({ at, maxOver: (fromMs, toMs) => Math.max(at(fromMs), at(toMs)) });
      },
      start: () => undefined,
      metrics: () => ({ percent: o.percent }),
    };
  },
});

// ----- dailyCycle -----

const dailyCycleSchema = obj({
  name: z.literal('dailyCycle'),
  /** 0: flat; 0.5: the peak hour sees 1.5x the mean rate, the trough 0.5x. */
  amplitude: z.number().min(0).max(1),
  /** Hour of the day (0-24, virtual time) with the most arrivals. */
  peakHour: z.number().min(0).max(24).optional(),
});

export const dailyCycle = registerWorkload({
  name: 'dailyCycle',
  kind: 'workload',
  summary: 'modulates arrival rates by 1 + amplitude x cos(hours from the peak hour), a day long',
  schema: dailyCycleSchema,
  create: (o) => {
    const peakMs = (o.peakHour ?? 14) * HOUR_MS;
    const at = (timeMs: number): number => 1 + o.amplitude * Math.cos((2 * Math.PI * (timeMs - peakMs)) / DAY_MS);
    return {
      name: 'dailyCycle',
      setup: (env: SimEnv) => {
        env.demand.rateFactors.push({
          at,
          maxOver: (fromMs, toMs) => {
            if (toMs - fromMs >= DAY_MS) return 1 + o.amplitude;
            // A peak inside the interval bounds it; otherwise the larger end does.
            const peakAfter = fromMs + ((((peakMs - fromMs) % DAY_MS) + DAY_MS) % DAY_MS);
            return peakAfter <= toMs ? 1 + o.amplitude : Math.max(at(fromMs), at(toMs));
          },
        });
      },
      start: () => undefined,
      metrics: () => ({ amplitude: o.amplitude, peakHour: o.peakHour ?? 14 }),
    };
  },
});

// ----- vmLifetimes -----

const vmLifetimesSchema = obj({
  name: z.literal('vmLifetimes'),
  distribution: z.enum(['fixed', 'exponential', 'lognormal']),
  /** fixed: every VM lives this long. */
  value: positiveDuration.optional(),
  /** exponential: the mean life. */
  mean: positiveDuration.optional(),
  /** lognormal: the median life and the spread (sigma of the underlying normal). */
  median: positiveDuration.optional(),
  sigma: z.number().positive().optional(),
  /** Destroy with expunge (no expunge.delay wait). */
  expunge: z.boolean().optional(),
}).superRefine((o, ctx) => {
  const needs: Record<string, string[]> = { fixed: ['value'], exponential: ['mean'], lognormal: ['median', 'sigma'] };
  for (const key of needs[o.distribution] ?? []) {
    if ((o as Record<string, unknown>)[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required for a ${o.distribution} distribution` });
  }
  for (const key of ['value', 'mean', 'median', 'sigma']) {
    if ((o as Record<string, unknown>)[key] !== undefined && !needs[o.distribution]!.includes(key)) ctx.addIssue({ code: 'custom', path: [key], message: `does not apply to a ${o.distribution} distribution (it takes ${needs[o.distribution]!.join(' and ')})` });
  }
});

export function lifetimeDistribution(o: z.output<typeof vmLifetimesSchema>): DurationDistribution {
  switch (o.distribution) {
    case 'fixed':
      return { kind: 'fixed', valueMs: o.value! };
    case 'exponential':
      return { kind: 'exponential', meanMs: o.mean! };
    case 'lognormal':
      return { kind: 'lognormal', medianMs: o.median!, sigma: o.sigma! };
  }
}

export const vmLifetimes = registerWorkload({
  name: 'vmLifetimes',
  kind: 'workload',
  summary: 'destroys every deployed VM at the end of a life drawn from a distribution',
  schema: vmLifetimesSchema,
  single: true,
  create: (o) => ({
    name: 'vmLifetimes',
    setup: (env: SimEnv) => {
      env.demand.lifetime = { distribution: lifetimeDistribution(o), expunge: o.expunge ?? false };
    },
    start: () => undefined,
    metrics: () => ({}),
  }),
});

// ----- offeringMix -----

const offeringMixSchema = obj({
  name: z.literal('offeringMix'),
  /** Relative weights by offering name. */
  weights: z.record(z.string(), z.number().min(0)).refine((w) => Object.values(w).some((v) => v > 0), { message: 'needs at least one positive weight' }),
});

export const offeringMix = registerWorkload({
  name: 'offeringMix',
  kind: 'workload',
  summary: 'picks the offering of each deploy by weight',
  schema: offeringMixSchema,
  single: true,
  references: (o) => Object.keys(o.weights).map((offering) => ({ field: ['weights', offering], kind: 'offering' as const, name: offering })),
  create: (o) => ({
    name: 'offeringMix',
    setup: (env: SimEnv) => {
      // Sorted by name, so the file's key order does not change the draws.
      const entries = Object.entries(o.weights).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      env.demand.setOfferingMix(entries.map(([offering]) => env.names.offering(offering)), entries.map(([, weight]) => weight));
    },
    start: () => undefined,
    metrics: () => ({}),
  }),
});

// ----- newAccounts -----

const newAccountsSchema = obj({
  name: z.literal('newAccounts'),
  /** Accounts created before the first arrival. */
  initial: z.number().int().min(0).optional(),
  /** Mean new accounts per month (Poisson). */
  perMonth: z.number().min(0).optional(),
  /** Isolated networks each new account creates in the zone(s); 0 leaves it to the deploys. */
  networksPerAccount: z.number().int().min(0).optional(),
  /** Where the networks go; every advanced zone without security groups when absent. */
  zone: name.optional(),
  domain: name.optional(),
  /** Account names are `<prefix>-<n>`. */
  prefix: name.optional(),
});
type NewAccountsOptions = z.output<typeof newAccountsSchema>;

class NewAccounts implements Workload {
  readonly name = 'newAccounts';
  private created = 0;
  private refused = 0;
  private networks = 0;
  private stopped = false;
  private sequence = 0;
  private zoneIds: Id[] = [];
  private domainId: Id | undefined;

  constructor(private readonly options: NewAccountsOptions) {}

  setup(env: SimEnv): void {
    this.zoneIds = this.options.zone !== undefined ? [env.names.zone(this.options.zone)] : [...env.state.zones.values()].filter((z) => z.networkType === 'Advanced' && !z.securityGroupsEnabled && z.zoneType !== 'Edge').map((z) => z.id);
    if (this.options.domain !== undefined) this.domainId = env.names.domain(this.options.domain);
    for (let i = 0; i < (this.options.initial ?? 0); i++) this.createAccount(env);
  }

  start(env: SimEnv): void {
    this.next(env);
  }

  stop(): void {
    this.stopped = true;
  }

  metrics(): Record<string, number> {
    return { created: this.created, refused: this.refused, networks: this.networks };
  }

  private next(env: SimEnv): void {
    const perMonth = this.options.perMonth ?? 0;
    if (this.stopped || perMonth <= 0) return;
    env.runtime.later(drawExponentialMs(env.rng, MONTH_MS / perMonth), () => {
      if (this.stopped) return;
      this.createAccount(env);
      this.next(env);
    });
  }

  private createAccount(env: SimEnv): void {
    const accountName = `${this.options.prefix ?? 'tenant'}-${++this.sequence}`;
    const result = env.submit({ type: 'createAccount', name: accountName, ...(this.domainId === undefined ? {} : { domainId: this.domainId }) });
    const event = result.ok ? result.step.events.find((e) => e.type === 'accountCreated') : undefined;
    if (!event || event.type !== 'accountCreated') {
      this.refused++;
      return;
    }
    this.created++;
    const accountId = event.account.id;
    env.demand.accounts.push(accountId);
    for (const zoneId of this.zoneIds) {
      for (let k = 1; k <= (this.options.networksPerAccount ?? 0); k++) {
        const network = env.submit({ type: 'createNetwork', zoneId, name: `${accountName}-net${k}`, guestType: 'Isolated', accountId });
        const created = network.ok ? network.step.events.find((e) => e.type === 'networkCreated') : undefined;
        if (!created || created.type !== 'networkCreated') continue;
        this.networks++;
        env.demand.addNetwork(accountId, zoneId, created.network.id);
      }
    }
  }
}

export const newAccounts = registerWorkload({
  name: 'newAccounts',
  kind: 'workload',
  summary: 'creates tenant accounts (initial, then perMonth) and their isolated networks',
  schema: newAccountsSchema,
  references: (o) => [
    ...(o.zone === undefined ? [] : [{ field: ['zone'], kind: 'zone' as const, name: o.zone }]),
    ...(o.domain === undefined ? [] : [{ field: ['domain'], kind: 'domain' as const, name: o.domain }]),
  ],
  create: (o) => new NewAccounts(o),
});
