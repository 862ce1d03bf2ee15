import { DAY_MS } from './distributions.js';
import type { ResourceCatalog, Sample } from './metrics.js';

/**
 * Forecasts: from a run's samples, one time series per resource (its share of capacity over
 * time), the dates at which each first reaches its notification threshold, its disable threshold
 * and exhaustion, the first resource to run out, and the deploys refused along the way.
 *
 * Pure and deterministic: the output depends on the catalog, the samples and the options only.
 * Dates are virtual time counted from a start date (the `simulation:` section's `startDate`, else
 * 2026-01-01), never the wall clock.
 *
 * Levels. Each series is read against three shares of its capacity:
 *
 * | series | notification | disable | exhaustion |
 * |---|---|---|---|
 * | cluster CPU, memory | `cluster.{cpu,memory}.allocated.capacity.notificationthreshold` | the disable threshold (the cluster's own, else `cluster.{cpu,memory}.allocated.capacity.disablethreshold`) less the largest user offering: the cluster starts refusing deploys | the disable threshold less the smallest user offering: the cluster refuses every deploy |
 * | zone CPU, memory | the same, weighted by cluster capacity | capacity-weighted mean of its clusters' levels | capacity-weighted mean of its clusters' levels |
 * | primary storage pool (allocated, over-provisioned) | `cluster.storage.allocated.capacity.notificationthreshold` | `pool.storage.allocated.capacity.disablethreshold` (the lower of it and `pool.storage.capacity.disablethreshold`) less the largest volume | the same less the smallest volume |
 * | zone primary storage (every pool of the zone) | capacity-weighted mean of its pools' levels | the same | the same |
 * | secondary storage (image store) | `zone.secstorage.capacity.notificationthreshold` | 0.9, where the core stops placing templates and snapshots | 0.9 |
 * | pod reserved IPs, guest VLANs/VNIs, public IPs | `pod.privateip…`, `zone.vlan…`, `zone.virtualnetwork.publicip.capacity.notificationthreshold` | 0.85 (CloudStack does not gate these; the same level as the gated ones) | 1: every address or VLAN in use |
 *
 * A gated resource never passes its disable threshold (allocation stops there), so reaching it
 * means coming within one request of it. Zone series sum their members: a zone's CPU, memory or
 * primary storage is exhausted only when (nearly) every cluster or pool is, whereas one pool can
 * fill while the others still take volumes. Deploys refused for capacity (INSUFFICIENT_CAPACITY)
 * are dated separately (`deploys.firstCapacityRefusal`).
 *
 * Crossing dates are interpolated linearly between the last sample below a level and the first
 * at or above it. When nothing is exhausted within the horizon, a projection extends each rising
 * series with the least-squares line through the samples of the second half of the run,
 * anchored at its last share, and names the first to reach exhaustion past the horizon.
 */

export const DEFAULT_START_DATE = '2026-01-01';

/** The level used as "disable" for resources CloudStack does not gate (addresses, VLANs). */
export const UNGATED_DISABLE_LEVEL = 0.85;

/** Shares are compared with this tolerance, so 0.75 computed as 3/4 of something counts as 0.75. */
const EPSILON = 1e-9;

export type SeriesKind = 'zone.cpu' | 'zone.memory' | 'cluster.cpu' | 'cluster.memory' | 'zone.primaryStorage' | 'pool.storage' | 'imageStore.storage' | 'pod.reservedIps' | 'physicalNetwork.vnets' | 'zone.publicIps';

export type LevelName = 'notification' | 'disable' | 'exhaustion';

/** A moment of virtual time, with its day number (0: the first day) and calendar date. */
export interface ForecastDate {
  atMs: number;
  day: number;
  date: string;
}

export interface ForecastSeries {
  /** `<kind>/<zone>/<name>`: unique, stable across runs of the same scenario. */
  key: string;
  kind: SeriesKind;
  /** The zone's name ('' for a region-wide image store). */
  zone: string;
  /** The resource's name: the cluster, pool, store, pod or physical network; the zone for zone series. */
  name: string;
  /** What is counted: "allocated CPU", "primary storage", "public IPs", ... */
  resource: string;
  unit: string;
  /** Full capacity in `unit` (clusters: every host, over-provisioned; pools: over-provisioned). */
  capacity: number;
  /** The levels the crossings are read at, as shares of capacity (see the table above). */
  levels: Record<LevelName, number>;
  /** Share of capacity in use at each sample (`Forecast.timesMs`), to a millionth; null when nothing is up to measure against. */
  shares: (number | null)[];
  crossings: Record<LevelName, ForecastDate | null>;
  peakShare: number | null;
  lastShare: number | null;
  /** Change of the share per day over the second half of the run (least squares); null with too few samples. */
  trendPerDay: number | null;
  /** Not exhausted within the horizon but rising: where the trend reaches the exhaustion level. */
  projectedExhaustion: ForecastDate | null;
}

/** A resource named in a verdict. */
export interface ResourceAt extends ForecastDate {
  key: string;
  kind: SeriesKind;
  zone: string;
  name: string;
  resource: string;
}

export interface DeployTimeline {
  /** Per sample (aligned with `Forecast.timesMs`): deploys since the previous sample. */
  accepted: number[];
  rejected: number[];
  /** Per refusal code and per reason (numbers replaced by "#"), aligned the same way; most frequent first. */
  rejectedByCode: Record<string, number[]>;
  rejectedByReason: Record<string, number[]>;
  totals: { accepted: number; rejected: number; byCode: Record<string, number>; byReason: Record<string, number> };
  /** The first sample interval with a refusal (its end), or null. */
  firstRejection: ForecastDate | null;
  /** The first sample interval with a deploy refused for lack of capacity (INSUFFICIENT_CAPACITY), or null. */
  firstCapacityRefusal: ForecastDate | null;
}

export interface Forecast {
  startDate: string;
  horizonMs: number;
  /** Virtual time of each sample. */
  timesMs: number[];
  /** User VMs running at each sample. */
  runningVms: number[];
  series: ForecastSeries[];
  /** The earliest exhaustion within the horizon; null when nothing runs out. */
  firstToRunOut: ResourceAt | null;
  /** Only when nothing runs out: the earliest exhaustion the linear trends project past the horizon. */
  projection: (ResourceAt & { basis: string }) | null;
  deploys: DeployTimeline;
}

export interface ForecastOptions {
  /** YYYY-MM-DD of virtual time 0; default 2026-01-01. */
  startDate?: string;
  /** The end of the forecast; default the last sample's time. */
  horizonMs?: number;
}

/** How a projection is made; printed with it. */
export const PROJECTION_BASIS = 'linear trend of the second half of the run';

/** The calendar date (YYYY-MM-DD, UTC) `atMs` after midnight of `startDate`. */
export function calendarDate(startDate: string, atMs: number): string {
  const startMs = Date.UTC(Number(startDate.slice(0, 4)), Number(startDate.slice(5, 7)) - 1, Number(startDate.slice(8, 10)));
  return new Date(startMs + atMs).toISOString().slice(0, 10);
}

export function forecastDate(startDate: string, atMs: number): ForecastDate {
  return { atMs, day: Math.floor(atMs / DAY_MS), date: calendarDate(startDate, atMs) };
}

export function forecast(result: { catalog: ResourceCatalog; samples: readonly Sample[] }, options: ForecastOptions = {}): Forecast {
  const { catalog, samples } = result;
  const startDate = options.startDate ?? DEFAULT_START_DATE;
  const timesMs = samples.map((s) => s.atMs);
  const horizonMs = options.horizonMs ?? timesMs[timesMs.length - 1] ?? 0;
  const series = seriesOf(catalog, samples).map((raw) => finishSeries(raw, timesMs, startDate, horizonMs));
  const resourceAt = (s: ForecastSeries, at: ForecastDate): ResourceAt => ({ key: s.key, kind: s.kind, zone: s.zone, name: s.name, resource: s.resource, ...at });
  let first: ResourceAt | null = null;
  for (const s of series) {
    const at = s.crossings.exhaustion;
    if (at && at.atMs <= horizonMs && (!first || at.atMs < first.atMs)) first = resourceAt(s, at);
  }
  let projection: Forecast['projection'] = null;
  if (!first) {
    for (const s of series) {
      const at = s.projectedExhaustion;
      if (at && (!projection || at.atMs < projection.atMs)) projection = { ...resourceAt(s, at), basis: PROJECTION_BASIS };
    }
  }
  return { startDate, horizonMs, timesMs, runningVms: samples.map((s) => s.vms.Running ?? 0), series, firstToRunOut: first, projection, deploys: deployTimeline(samples, startDate) };
}

/** A series before its crossings are read. */
interface RawSeries {
  kind: SeriesKind;
  zone: string;
  name: string;
  resource: string;
  unit: string;
  capacity: number;
  levels: Record<LevelName, number>;
  shares: (number | null)[];
}

const clampShare = (x: number): number => Math.max(0, x);
/** Shares in the output are rounded to a millionth: enough for any chart, and short. */
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const round6OrNull = (x: number | null): number | null => (x === null ? null : round6(x));
const ratio = (used: number, total: number): number | null => (total > 0 ? used / total : null);

function seriesOf(catalog: ResourceCatalog, samples: readonly Sample[]): RawSeries[] {
  const zoneName = new Map(catalog.zones.map((z) => [z.id, z.name]));
  const zoneOf = (id: string | undefined): string => (id === undefined ? '' : zoneName.get(id) ?? id);
  const { requests } = catalog;
  const out: RawSeries[] = [];

  // Clusters and zones: CPU and memory, measured against the capacity of the hosts that are up.
  const clusterLevels = catalog.clusters.map((c) => ({
    cpu: gatedLevels(c.cpuNotificationThreshold, c.cpuDisableThreshold, requests.cpuMhz, c.cpuCapacityMhz),
    memory: gatedLevels(c.memoryNotificationThreshold, c.memoryDisableThreshold, requests.memoryMiB, c.memoryCapacityMiB),
  }));
  for (const zone of catalog.zones) {
    const members = catalog.clusters.map((c, i) => ({ c, i })).filter(({ c }) => c.zoneId === zone.id);
    if (members.length === 0) continue;
    for (const what of ['cpu', 'memory'] as const) {
      const capacityOf = (i: number): number => (what === 'cpu' ? catalog.clusters[i]!.cpuCapacityMhz : catalog.clusters[i]!.memoryCapacityMiB);
      const capacity = members.reduce((sum, { i }) => sum + capacityOf(i), 0);
      if (capacity <= 0) continue;
      const weighted = (level: LevelName): number => members.reduce((sum, { i }) => sum + clusterLevels[i]![what][level] * capacityOf(i), 0) / capacity;
      out.push({
        kind: what === 'cpu' ? 'zone.cpu' : 'zone.memory',
        zone: zone.name,
        name: zone.name,
        ...(what === 'cpu' ? { resource: 'allocated CPU', unit: 'MHz' } : { resource: 'allocated memory', unit: 'MiB' }),
        capacity,
        levels: { notification: weighted('notification'), disable: weighted('disable'), exhaustion: weighted('exhaustion') },
        shares: samples.map((s) => {
          let used = 0;
          let total = 0;
          for (const { i } of members) {
            used += what === 'cpu' ? s.clusters.cpuAllocatedMhz[i]! : s.clusters.memoryAllocatedMiB[i]!;
            total += what === 'cpu' ? s.clusters.cpuCapacityMhz[i]! : s.clusters.memoryCapacityMiB[i]!;
          }
          return ratio(used, total);
        }),
      });
    }
  }
  catalog.clusters.forEach((c, i) => {
    if (c.cpuCapacityMhz > 0) out.push({ kind: 'cluster.cpu', zone: zoneOf(c.zoneId), name: c.name, resource: 'allocated CPU', unit: 'MHz', capacity: c.cpuCapacityMhz, levels: clusterLevels[i]!.cpu, shares: samples.map((s) => ratio(s.clusters.cpuAllocatedMhz[i]!, s.clusters.cpuCapacityMhz[i]!)) });
    if (c.memoryCapacityMiB > 0) out.push({ kind: 'cluster.memory', zone: zoneOf(c.zoneId), name: c.name, resource: 'allocated memory', unit: 'MiB', capacity: c.memoryCapacityMiB, levels: clusterLevels[i]!.memory, shares: samples.map((s) => ratio(s.clusters.memoryAllocatedMiB[i]!, s.clusters.memoryCapacityMiB[i]!)) });
  });
  // Primary storage: the zone's pools together, then each pool.
  const pools = catalog.storagePools.map((p, i) => {
    const capacity = p.capacityGiB * p.overprovisioningFactor;
    return { p, i, capacity, levels: gatedLevels(p.notificationThreshold, p.disableThreshold, requests.volumeGiB, capacity) };
  }).filter((x) => x.capacity > 0);
  for (const zone of catalog.zones) {
    const members = pools.filter(({ p }) => p.zoneId === zone.id);
    const capacity = members.reduce((sum, m) => sum + m.capacity, 0);
    if (capacity <= 0) continue;
    const weighted = (level: LevelName): number => members.reduce((sum, m) => sum + m.levels[level] * m.capacity, 0) / capacity;
    out.push({
      kind: 'zone.primaryStorage',
      zone: zone.name,
      name: zone.name,
      resource: 'primary storage',
      unit: 'GiB',
      capacity,
      levels: { notification: weighted('notification'), disable: weighted('disable'), exhaustion: weighted('exhaustion') },
      shares: samples.map((s) => ratio(members.reduce((sum, m) => sum + s.storagePools.allocatedGiB[m.i]!, 0), capacity)),
    });
  }
  for (const { p, i, capacity, levels } of pools) {
    out.push({ kind: 'pool.storage', zone: zoneOf(p.zoneId), name: p.name, resource: 'primary storage', unit: 'GiB', capacity, levels, shares: samples.map((s) => ratio(s.storagePools.allocatedGiB[i]!, capacity)) });
  }
  catalog.imageStores.forEach((store, i) => {
    if (store.capacityGiB <= 0) return;
    out.push({
      kind: 'imageStore.storage',
      zone: zoneOf(store.zoneId),
      name: store.name,
      resource: 'secondary storage',
      unit: 'GiB',
      capacity: store.capacityGiB,
      levels: { notification: store.notificationThreshold, disable: store.disableThreshold, exhaustion: store.disableThreshold },
      shares: samples.map((s) => ratio(s.imageStores.usedGiB[i]!, store.capacityGiB)),
    });
  });
  catalog.pods.forEach((p, i) => {
    if (p.reservedIpsTotal <= 0) return;
    out.push({ kind: 'pod.reservedIps', zone: zoneOf(p.zoneId), name: p.name, resource: 'reserved system IPs', unit: 'IPs', capacity: p.reservedIpsTotal, levels: ungatedLevels(p.reservedIpsNotificationThreshold), shares: samples.map((s) => ratio(s.pods.reservedIpsInUse[i]!, p.reservedIpsTotal)) });
  });
  catalog.physicalNetworks.forEach((n, i) => {
    if (n.vnetsTotal <= 0) return;
    const vlan = n.isolationMethod === 'VLAN' || n.isolationMethod === '';
    out.push({ kind: 'physicalNetwork.vnets', zone: zoneOf(n.zoneId), name: n.name, resource: vlan ? 'guest VLANs' : 'guest VNIs', unit: vlan ? 'VLANs' : 'VNIs', capacity: n.vnetsTotal, levels: ungatedLevels(n.vnetsNotificationThreshold), shares: samples.map((s) => ratio(s.physicalNetworks.vnetsInUse[i]!, n.vnetsTotal)) });
  });
  catalog.zones.forEach((z, i) => {
    if (z.publicIpsTotal <= 0) return;
    out.push({ kind: 'zone.publicIps', zone: z.name, name: z.name, resource: 'public IPs', unit: 'IPs', capacity: z.publicIpsTotal, levels: ungatedLevels(z.publicIpsNotificationThreshold), shares: samples.map((s) => ratio(s.zones.publicIpsInUse[i]!, z.publicIpsTotal)) });
  });
  return out;
}

/** Levels of a resource that allocation stops at `disable`: within one request of it. */
function gatedLevels(notification: number, disable: number, request: { smallest: number; largest: number }, capacity: number): Record<LevelName, number> {
  const share = (amount: number): number => (capacity > 0 ? amount / capacity : 0);
  return { notification, disable: clampShare(disable - share(request.largest)), exhaustion: clampShare(disable - share(request.smallest)) };
}

function ungatedLevels(notification: number): Record<LevelName, number> {
  return { notification, disable: UNGATED_DISABLE_LEVEL, exhaustion: 1 };
}

function finishSeries(raw: RawSeries, timesMs: readonly number[], startDate: string, horizonMs: number): ForecastSeries {
  const crossing = (level: number): ForecastDate | null => {
    const atMs = firstCrossingMs(timesMs, raw.shares, level);
    return atMs === null ? null : forecastDate(startDate, atMs);
  };
  const crossings = { notification: crossing(raw.levels.notification), disable: crossing(raw.levels.disable), exhaustion: crossing(raw.levels.exhaustion) };
  let peak: number | null = null;
  let last: { atMs: number; share: number } | null = null;
  raw.shares.forEach((share, i) => {
    if (share === null) return;
    if (peak === null || share > peak) peak = share;
    last = { atMs: timesMs[i]!, share };
  });
  const slopePerMs = trendSlopePerMs(timesMs, raw.shares);
  let projectedExhaustion: ForecastDate | null = null;
  const lastPoint = last as { atMs: number; share: number } | null;
  if ((crossings.exhaustion === null || crossings.exhaustion.atMs > horizonMs) && slopePerMs !== null && slopePerMs > 0 && lastPoint) {
    const atMs = Math.round(lastPoint.atMs + (raw.levels.exhaustion - lastPoint.share) / slopePerMs);
    projectedExhaustion = forecastDate(startDate, Math.max(atMs, lastPoint.atMs));
  }
  return {
    key: `${raw.kind}/${raw.zone}/${raw.name}`,
    ...raw,
    levels: { notification: round6(raw.levels.notification), disable: round6(raw.levels.disable), exhaustion: round6(raw.levels.exhaustion) },
    shares: raw.shares.map(round6OrNull),
    crossings,
    peakShare: round6OrNull(peak),
    lastShare: lastPoint ? round6(lastPoint.share) : null,
    trendPerDay: slopePerMs === null ? null : Math.round(slopePerMs * DAY_MS * 1e9) / 1e9,
    projectedExhaustion,
  };
}

/**
 * The first time the series reaches `level`: interpolated between the last sample below it and
 * the first at or above it; the first sample's time when it starts there (or follows a gap).
 */
export function firstCrossingMs(timesMs: readonly number[], shares: readonly (number | null)[], level: number): number | null {
  let previous: { atMs: number; share: number } | null = null;
  for (let i = 0; i < shares.length; i++) {
    const share = shares[i];
    const atMs = timesMs[i]!;
    if (share === null || share === undefined) {
      previous = null;
      continue;
    }
    if (share >= level - EPSILON) {
      if (!previous || share <= previous.share) return atMs;
      const fraction = Math.min(1, Math.max(0, (level - previous.share) / (share - previous.share)));
      return Math.round(previous.atMs + fraction * (atMs - previous.atMs));
    }
    previous = { atMs, share };
  }
  return null;
}

/** Least-squares slope (share per ms) of the samples at or after half the run; null with fewer than two. */
export function trendSlopePerMs(timesMs: readonly number[], shares: readonly (number | null)[]): number | null {
  if (timesMs.length === 0) return null;
  const fromMs = timesMs[timesMs.length - 1]! / 2;
  let n = 0;
  let sumT = 0;
  let sumS = 0;
  for (let i = 0; i < shares.length; i++) {
    const share = shares[i];
    if (share === null || share === undefined || timesMs[i]! < fromMs) continue;
    n++;
    sumT += timesMs[i]!;
    sumS += share;
  }
  if (n < 2) return null;
  const meanT = sumT / n;
  const meanS = sumS / n;
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < shares.length; i++) {
    const share = shares[i];
    if (share === null || share === undefined || timesMs[i]! < fromMs) continue;
    covariance += (timesMs[i]! - meanT) * (share - meanS);
    variance += (timesMs[i]! - meanT) ** 2;
  }
  return variance > 0 ? covariance / variance : null;
}

function deployTimeline(samples: readonly Sample[], startDate: string): DeployTimeline {
  const byCode = new Map<string, number>();
  const byReason = new Map<string, number>();
  let accepted = 0;
  let rejected = 0;
  let firstRejection: ForecastDate | null = null;
  let firstCapacityRefusal: ForecastDate | null = null;
  for (const s of samples) {
    accepted += s.deploys.accepted;
    rejected += s.deploys.rejected;
    if (s.deploys.rejected > 0 && !firstRejection) firstRejection = forecastDate(startDate, s.atMs);
    if ((s.deploys.rejectedByCode[CAPACITY_CODE] ?? 0) > 0 && !firstCapacityRefusal) firstCapacityRefusal = forecastDate(startDate, s.atMs);
    for (const [code, n] of Object.entries(s.deploys.rejectedByCode)) byCode.set(code, (byCode.get(code) ?? 0) + n);
    for (const [reason, n] of Object.entries(s.deploys.rejectedByReason)) byReason.set(reason, (byReason.get(reason) ?? 0) + n);
  }
  // Most frequent first, then by name: the order does not depend on when a refusal first came.
  const order = (totals: Map<string, number>): [string, number][] => [...totals].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const codes = order(byCode);
  const reasons = order(byReason);
  return {
    accepted: samples.map((s) => s.deploys.accepted),
    rejected: samples.map((s) => s.deploys.rejected),
    rejectedByCode: Object.fromEntries(codes.map(([code]) => [code, samples.map((s) => s.deploys.rejectedByCode[code] ?? 0)])),
    rejectedByReason: Object.fromEntries(reasons.map(([reason]) => [reason, samples.map((s) => s.deploys.rejectedByReason[reason] ?? 0)])),
    totals: { accepted, rejected, byCode: Object.fromEntries(codes), byReason: Object.fromEntries(reasons) },
    firstRejection,
    firstCapacityRefusal,
  };
}

/** The refusal code of a deploy that found no room (CloudStack's InsufficientCapacityException). */
export const CAPACITY_CODE = 'INSUFFICIENT_CAPACITY';

// ----- Monte Carlo -----

export interface Percentiles {
  /** Exhaustion dates; null where that share of runs did not exhaust the resource within the horizon. */
  p10: ForecastDate | null;
  p50: ForecastDate | null;
  p90: ForecastDate | null;
}

export interface ResourceSpread {
  key: string;
  kind: SeriesKind;
  zone: string;
  name: string;
  resource: string;
  /** Runs in which the resource was exhausted within the horizon. */
  exhaustedRuns: number;
  exhaustion: Percentiles;
  /** Runs in which it was the first to run out, and their share of all runs. */
  firstRuns: number;
  firstShare: number;
}

export interface MonteCarloForecast {
  seeds: number[];
  startDate: string;
  horizonMs: number;
  /** Every resource exhausted in at least one run: earliest median first (runs without exhaustion count as later than any date). */
  resources: ResourceSpread[];
  /** When deploys are first refused for lack of capacity, across runs (null: after the horizon). */
  firstCapacityRefusal: Percentiles;
  /** Runs in which nothing ran out. */
  noExhaustionRuns: number;
  noExhaustionShare: number;
}

/**
 * Percentiles by nearest rank: the p-th percentile of n values is the ceil(p x n)-th smallest.
 * A run that did not exhaust the resource counts as later than every date.
 */
export function nearestRank<T>(sorted: readonly T[], p: number): T | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1];
}

/** Summarises forecasts of the same scenario run with different seeds (in seed order). */
export function summarizeRuns(seeds: readonly number[], forecasts: readonly Forecast[]): MonteCarloForecast {
  const first = forecasts[0];
  const startDate = first?.startDate ?? DEFAULT_START_DATE;
  const horizonMs = first?.horizonMs ?? 0;
  const n = forecasts.length;
  const described = new Map<string, ForecastSeries>();
  for (const f of forecasts) for (const s of f.series) if (!described.has(s.key)) described.set(s.key, s);
  const resources: ResourceSpread[] = [];
  const percentiles = (times: number[]): Percentiles => {
    const sorted = [...times].sort((a, b) => a - b);
    const at = (p: number): ForecastDate | null => {
      const value = nearestRank(sorted, p);
      return value === undefined || !Number.isFinite(value) ? null : forecastDate(startDate, value);
    };
    return { p10: at(0.1), p50: at(0.5), p90: at(0.9) };
  };
  for (const [key, s] of described) {
    const times = forecasts.map((f) => {
      const at = f.series.find((x) => x.key === key)?.crossings.exhaustion;
      return at && at.atMs <= f.horizonMs ? at.atMs : Infinity;
    });
    const exhaustedRuns = times.filter(Number.isFinite).length;
    const firstRuns = forecasts.filter((f) => f.firstToRunOut?.key === key).length;
    if (exhaustedRuns === 0 && firstRuns === 0) continue;
    resources.push({ key, kind: s.kind, zone: s.zone, name: s.name, resource: s.resource, exhaustedRuns, exhaustion: percentiles(times), firstRuns, firstShare: n > 0 ? firstRuns / n : 0 });
  }
  const later = (x: ForecastDate | null): number => x?.atMs ?? Infinity;
  resources.sort((a, b) => later(a.exhaustion.p50) - later(b.exhaustion.p50) || later(a.exhaustion.p10) - later(b.exhaustion.p10) || b.firstRuns - a.firstRuns || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const noExhaustionRuns = forecasts.filter((f) => f.firstToRunOut === null).length;
  const firstCapacityRefusal = percentiles(forecasts.map((f) => f.deploys.firstCapacityRefusal?.atMs ?? Infinity));
  return { seeds: [...seeds], startDate, horizonMs, resources, firstCapacityRefusal, noExhaustionRuns, noExhaustionShare: n > 0 ? noExhaustionRuns / n : 0 };
}
