import { API_ERROR, ApiError } from '../errors.js';

/**
 * The parameters of one API request, as CloudStack's servlet sees them: the query string and a
 * form-encoded body merged (query first), decoded with form rules (`+` is a space) as UTF-8;
 * when a name repeats, its first value counts. Names are matched without regard to case, but
 * the names as received are kept: the signature is computed over them.
 */
export interface RequestParams {
  /** One entry per name as received (exact spelling), with its first value, in arrival order. */
  readonly received: ReadonlyArray<readonly [string, string]>;
  /** By lowercased name, first value wins. */
  readonly byName: ReadonlyMap<string, string>;
}

/** ASCII control characters, which CloudStack refuses in any value (HTTP 431). */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new ApiError(API_ERROR.MALFORMED_PARAMETER, `malformed percent-encoding in "${text.slice(0, 64)}"`);
  }
}

function pairsOf(encoded: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of encoded.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const name = decodeComponent(at < 0 ? part : part.slice(0, at));
    const value = at < 0 ? '' : decodeComponent(part.slice(at + 1));
    if (name !== '') pairs.push([name, value]);
  }
  return pairs;
}

/** Parses a request's query string and (form-encoded) body; throws ApiError 430/431 on bad input. */
export function parseRequestParams(queryString: string, formBody: string | undefined): RequestParams {
  const received: [string, string][] = [];
  const seen = new Set<string>();
  const byName = new Map<string, string>();
  for (const [name, value] of [...pairsOf(queryString), ...pairsOf(formBody ?? '')]) {
    if (CONTROL_CHARACTERS.test(value) || CONTROL_CHARACTERS.test(name)) {
      throw new ApiError(API_ERROR.PARAM_ERROR, `Received value containing control characters for parameter ${name.replace(CONTROL_CHARACTERS, '?')}`);
    }
    if (!seen.has(name)) {
      seen.add(name);
      received.push([name, value]);
    }
    const lower = name.toLowerCase();
    if (!byName.has(lower)) byName.set(lower, value);
  }
  return { received, byName };
}

/**
 * The entries of a map parameter (`tags[0].key=k&tags[0].value=v`, `details[0].cpuNumber=2`), in
 * index order, each with its field names as sent. The map's own name is matched without case.
 */
export function mapEntries(params: RequestParams, mapName: string): Record<string, string>[] {
  const prefix = `${mapName.toLowerCase()}[`;
  const byIndex = new Map<number, Record<string, string>>();
  for (const [name, value] of params.received) {
    if (!name.toLowerCase().startsWith(prefix)) continue;
    const match = /^[^[]+\[(\d+)\]\.(.+)$/.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    const entry = byIndex.get(index) ?? {};
    if (!(match[2]! in entry)) entry[match[2]!] = value;
    byIndex.set(index, entry);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
}

/** Whether the request carries any entry of a map parameter. */
export function hasMap(params: RequestParams, mapName: string): boolean {
  const prefix = `${mapName.toLowerCase()}[`;
  return params.received.some(([name]) => name.toLowerCase().startsWith(prefix));
}
