import { invalidParameter } from '../errors.js';
import { hasMap, mapEntries, type RequestParams } from '../http/params.js';
import { parseExpires } from '../http/signing.js';

/**
 * The parameters of API commands, declared once: the type listApis reports (CloudStack's
 * lowercased CommandType), whether it is required, the description, and how a value is parsed.
 * Each builder carries the parsed TypeScript type, so a command's handler receives typed params.
 */

export type ParamType = 'uuid' | 'string' | 'boolean' | 'integer' | 'long' | 'short' | 'float' | 'date' | 'tzdate' | 'list' | 'map' | 'object';

export interface ParamSpec<T = unknown, R extends boolean = boolean> {
  readonly type: ParamType;
  readonly description: string;
  readonly required: R;
  readonly length: number;
  /** APIs that produce this parameter's values, for clients' completion (`listZones,createZone`). */
  readonly related?: string;
  readonly since?: string;
  /** Parses the value; `read` throws the CloudStack error for a malformed value. */
  readonly read: (input: ParamInput) => T | undefined;
  /** Marker for the parsed type; never set at run time. */
  readonly __type?: T;
}

/** What a parser gets: the parameter's name, the raw request, and the API for error messages. */
export interface ParamInput {
  apiName: string;
  name: string;
  params: RequestParams;
}

export type ParamSpecs = Readonly<Record<string, ParamSpec<unknown, boolean>>>;

/** The parsed parameters of a command, typed from its declaration. */
export type ParsedParams<P extends ParamSpecs> = {
  readonly [K in keyof P]: P[K] extends ParamSpec<infer T, infer R> ? (R extends true ? T : T | undefined) : never;
};

interface Options<R extends boolean> {
  required?: R;
  related?: string;
  since?: string;
  length?: number;
}

function spec<T, R extends boolean>(type: ParamType, description: string, options: Options<R> | undefined, read: (value: string, input: ParamInput) => T): ParamSpec<T, R> {
  return {
    type,
    description,
    required: (options?.required ?? false) as R,
    length: options?.length ?? 255,
    ...(options?.related === undefined ? {} : { related: options.related }),
    ...(options?.since === undefined ? {} : { since: options.since }),
    read: (input) => {
      const value = input.params.byName.get(input.name);
      return value === undefined ? undefined : read(value, input);
    },
  };
}

/** Midnight UTC of a calendar day; undefined for a day that does not exist (2026-13-01, 2026-02-30). */
function calendarDay(year: number, month: number, day: number): number | undefined {
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? ms : undefined;
}

/** A day's midnight plus a time of day; undefined for a day or time that does not exist. */
function atTimeOfDay(midnightMs: number | undefined, hours?: string, minutes?: string, seconds?: string): number | undefined {
  if (midnightMs === undefined || hours === undefined) return midnightMs;
  const [h, m, s] = [Number(hours), Number(minutes), Number(seconds)];
  return h > 23 || m > 59 || s > 59 ? undefined : midnightMs + ((h * 60 + m) * 60 + s) * 1000;
}

const bad = (input: ParamInput, value: string, why: string) => invalidParameter(input.apiName, input.name, value, why);

function integerIn(min: number, max: number, what: string) {
  return (value: string, input: ParamInput): number => {
    const trimmed = value.trim();
    if (!/^-?\d+$/.test(trimmed)) throw bad(input, value, `incorrect ${what} value format`);
    const n = Number(trimmed);
    if (!Number.isSafeInteger(n) || n < min || n > max) throw bad(input, value, `a value outside the range of ${what}`);
    return n;
  };
}

export const param = {
  /** An entity id: a UUID string (`-1` and other forms are passed on; the lookup says whether it exists). */
  uuid: <const R extends boolean = false>(description: string, options?: Options<R>) =>
    spec<string, R>('uuid', description, options, (value, input) => {
      if (value.trim() === '') throw bad(input, value, 'incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class');
      return value.trim();
    }),
  string: <const R extends boolean = false>(description: string, options?: Options<R>) =>
    spec<string, R>('string', description, options, (value, input) => {
      const max = options?.length ?? 255;
      if (value.length > max) throw bad(input, `${value.slice(0, 32)}...`, `a length over ${max} characters`);
      return value;
    }),
  boolean: <const R extends boolean = false>(description: string, options?: Options<R>) =>
    spec<boolean, R>('boolean', description, options, (value, input) => {
      const lower = value.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw bad(input, value, 'a value that is neither true nor false');
    }),
  integer: <const R extends boolean = false>(description: string, options?: Options<R>) => spec<number, R>('integer', description, options, integerIn(-(2 ** 31), 2 ** 31 - 1, 'integer')),
  long: <const R extends boolean = false>(description: string, options?: Options<R>) => spec<number, R>('long', description, options, integerIn(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'long')),
  /** A date in any format CloudStack accepts, or a plain `yyyy-MM-dd` (midnight UTC); epoch ms. */
  date: <const R extends boolean = false>(description: string, options?: Options<R>) =>
    spec<number, R>('date', description, options, (value, input) => {
      // yyyy-MM-dd, or yyyy-MM-dd HH:mm:ss (the usage commands' "new format"), both in UTC; else a zoned date.
      const local = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/.exec(value.trim());
      const ms = local ? atTimeOfDay(calendarDay(Number(local[1]), Number(local[2]), Number(local[3])), local[4], local[5], local[6]) : parseExpires(value.replace(' ', 'T'));
      if (ms === undefined || Number.isNaN(ms)) throw bad(input, value, 'an unparseable date (use yyyy-MM-dd, yyyy-MM-dd HH:mm:ss or yyyy-MM-ddTHH:mm:ssZ)');
      return ms;
    }),
  /** A comma-separated list; empty items are dropped. */
  list: <const R extends boolean = false>(description: string, options?: Options<R>) =>
    spec<string[], R>('list', description, options, (value) => value.split(',').map((item) => item.trim()).filter((item) => item !== '')),
  /** A map parameter: `name[0].key=k&name[0].value=v` or `name[0].field=v`, entries in index order. */
  map: <const R extends boolean = false>(description: string, options?: Options<R>): ParamSpec<Record<string, string>[], R> => ({
    type: 'map',
    description,
    required: (options?.required ?? false) as R,
    length: options?.length ?? 255,
    ...(options?.related === undefined ? {} : { related: options.related }),
    read: (input) => (hasMap(input.params, input.name) ? mapEntries(input.params, input.name) : undefined),
  }),
  /** One of a fixed set of words, matched without case; the canonical spelling is returned. */
  choice: <W extends string, const R extends boolean = false>(description: string, words: readonly W[], options?: Options<R>) =>
    spec<W, R>('string', description, options, (value, input) => {
      const found = words.find((w) => w.toLowerCase() === value.trim().toLowerCase());
      if (found === undefined) throw bad(input, value, `a value that is not one of ${words.join(', ')}`);
      return found;
    }),
} as const;
