import { fail } from '../core/assert.js';
import type { Rng } from '../core/ports.js';

/**
 * Random draws and durations for workloads, faults and drivers. Every draw takes the seeded Rng
 * it must use, so which stream a number comes from is visible at the call site, and a run is
 * reproduced by its seed alone.
 */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** An average Gregorian month, so twelve of them make a year of 365.25 days. */
export const MONTH_MS = (365.25 / 12) * DAY_MS;

/** A closed interval of milliseconds that a latency is drawn from, uniformly. */
export interface RangeMs {
  minMs: number;
  maxMs: number;
}

/** A whole number of ms drawn uniformly from [minMs, maxMs]. */
export function drawRangeMs(rng: Rng, range: RangeMs): number {
  if (range.maxMs <= range.minMs) return range.minMs;
  return Math.round(range.minMs + rng.float() * (range.maxMs - range.minMs));
}

/** Exponentially distributed with the given mean: the gap between Poisson events. */
export function drawExponential(rng: Rng, mean: number): number {
  if (!(mean > 0)) fail(`an exponential draw needs a positive mean, got ${mean}`);
  // 1 - u lies in (0, 1], so the logarithm is finite.
  return -mean * Math.log(1 - rng.float());
}

/** An exponential gap in whole milliseconds (virtual time is counted in whole ms). */
export function drawExponentialMs(rng: Rng, meanMs: number): number {
  return Math.round(drawExponential(rng, meanMs));
}

/** A standard normal draw (Box-Muller; the second value is dropped so draws stay independent of call order). */
export function drawStandardNormal(rng: Rng): number {
  const u = 1 - rng.float();
  const v = rng.float();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** How long something lasts: the lifetime of a VM, the time to repair a host. */
export type DurationDistribution =
  | { kind: 'fixed'; valueMs: number }
  | { kind: 'exponential'; meanMs: number }
  /** Heavy-tailed: most VMs live near the median, a few very long. */
  | { kind: 'lognormal'; medianMs: number; sigma: number };

export function drawDurationMs(rng: Rng, distribution: DurationDistribution): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.valueMs;
    case 'exponential':
      return drawExponentialMs(rng, distribution.meanMs);
    case 'lognormal':
      return Math.round(distribution.medianMs * Math.exp(distribution.sigma * drawStandardNormal(rng)));
  }
}

export function describeDistribution(distribution: DurationDistribution): string {
  switch (distribution.kind) {
    case 'fixed':
      return `fixed ${formatDurationMs(distribution.valueMs)}`;
    case 'exponential':
      return `exponential, mean ${formatDurationMs(distribution.meanMs)}`;
    case 'lognormal':
      return `lognormal, median ${formatDurationMs(distribution.medianMs)}, sigma ${distribution.sigma}`;
  }
}

/**
 * Picks an index with probability proportional to its weight. `cumulative` holds running sums
 * of the weights (the last is the total), so a pick is a binary search, not a scan.
 */
export function drawWeighted(rng: Rng, cumulative: Float64Array): number {
  const total = cumulative[cumulative.length - 1]!;
  const x = rng.float() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };

/** "90s", "15m", "4h", "30d", "2w", "250ms", "1.5h" to milliseconds; undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}

/** Milliseconds as the largest units that express them: "2d 3h", "90s", "1h 30m", "250ms". */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return '0s';
  if (ms < SECOND_MS) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / SECOND_MS);
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** A virtual time as "day 12 03:04:05" (day 0 is the first day), for messages. */
export function formatSimTime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  const rest = ms - day * DAY_MS;
  const pad = (n: number): string => String(Math.floor(n)).padStart(2, '0');
  return `day ${day} ${pad(rest / HOUR_MS)}:${pad((rest % HOUR_MS) / MINUTE_MS)}:${pad((rest % MINUTE_MS) / SECOND_MS)}`;
}
