import * as z from 'zod';
import { closest } from '../core/scenario/schema.js';
import { parseDurationMs, type RangeMs } from './distributions.js';

/**
 * zod building blocks for the `simulation:` section, in the scenario format's conventions:
 * strict objects whose unknown keys name the closest known key, durations written with their
 * unit ("90s", "4h", "30d"), probabilities in [0, 1].
 */

/** A strict object: an unknown key is an error that suggests the key it probably meant. */
export function obj<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      return (issue.keys as string[])
        .map((key) => {
          const hint = closest(key, known);
          return `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
        })
        .join('; ');
    },
  });
}

export const name = z.string().trim().min(1, 'must not be empty');

const DURATION_HINT = 'write a duration with its unit: 250ms, 90s, 15m, 4h, 30d or 2w';

/** A duration as text with a unit, to milliseconds. */
export const duration = z.unknown().transform((value, ctx): number => {
  const ms = typeof value === 'string' ? parseDurationMs(value) : undefined;
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `${typeof value === 'string' ? `"${value}" is not a duration` : `expected a duration, got ${describe(value)}`}; ${DURATION_HINT}` });
    return z.NEVER;
  }
  return ms;
});

/** A positive duration (a time between failures, a lifetime). */
export const positiveDuration = duration.refine((ms) => ms > 0, { message: 'must be longer than 0s' });

/** A latency: one duration (fixed) or `[min, max]`, drawn uniformly. */
export const latencyRange = z.unknown().transform((value, ctx): RangeMs => {
  const one = (v: unknown): number | undefined => (typeof v === 'string' ? parseDurationMs(v) : undefined);
  if (typeof value === 'string') {
    const ms = one(value);
    if (ms !== undefined) return { minMs: ms, maxMs: ms };
  } else if (Array.isArray(value) && value.length === 2) {
    const [minMs, maxMs] = [one(value[0]), one(value[1])];
    if (minMs !== undefined && maxMs !== undefined) {
      if (minMs <= maxMs) return { minMs, maxMs };
      ctx.addIssue({ code: 'custom', message: `the range starts after it ends (${String(value[0])} > ${String(value[1])})` });
      return z.NEVER;
    }
  }
  ctx.addIssue({ code: 'custom', message: `expected a duration or a [min, max] pair of durations, got ${describe(value)}; ${DURATION_HINT}` });
  return z.NEVER;
});

export const probability = z.number().min(0).max(1);

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Cross-field rules of fault timing: exactly one of `at` and `mtbf`, at most one of `repair`
 * and `mttr`. Added with superRefine so every broken rule is reported with its key.
 */
export function timing(value: { at?: number | undefined; mtbf?: number | undefined; repair?: number | undefined; mttr?: number | undefined }, ctx: z.core.$RefinementCtx): void {
  if ((value.at === undefined) === (value.mtbf === undefined)) {
    ctx.addIssue({ code: 'custom', path: value.at === undefined ? [] : ['mtbf'], message: value.at === undefined ? 'give either at (one failure at that time) or mtbf (failures drawn at random)' : 'give at or mtbf, not both' });
  }
  if (value.repair !== undefined && value.mttr !== undefined) ctx.addIssue({ code: 'custom', path: ['mttr'], message: 'give repair (a fixed time) or mttr (a mean), not both' });
}
