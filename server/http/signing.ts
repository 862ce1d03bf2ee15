import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/**
 * CloudStack's API request signature (ApiServer.verifyRequest): the parameters but `signature`,
 * sorted by name, each `name=encode(value)`, joined with `&`, the whole string lowercased, then
 * HMAC-SHA1 with the user's secret key and Base64.
 *
 * Clients disagree with the server's Java encoding in small ways (`~`, `*`) and one of them sorts
 * whole `name=value` pairs instead of names, so the server computes the string every way a client
 * does and accepts a match on any of them; HMAC is cheap.
 */

/** How a client encodes a value before lowercasing. */
export type ValueEncoding =
  /** Java URLEncoder with `+` turned into `%20`: only `A-Za-z0-9.-*_` stay raw, `~` becomes `%7E`. */
  | 'java'
  /** RFC 3986 with `*` kept raw (cs, cmk, cloudstack-go): `~` stays raw. */
  | 'rfc3986'
  /** RFC 3986 with `*` encoded (csclient's qs). */
  | 'rfc3986-star';

export type SortOrder = 'names' | 'pairs';

export const VALUE_ENCODINGS: readonly ValueEncoding[] = ['java', 'rfc3986', 'rfc3986-star'];
export const SORT_ORDERS: readonly SortOrder[] = ['names', 'pairs'];

/** A UTF-16 surrogate without its partner, which UTF-8 cannot encode (Java writes `?` for it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const UNRESERVED = /^[A-Za-z0-9._-]*$/;

/** encodeURIComponent leaves `!'()*~` raw; each variant escapes some of them. */
export function encodeValue(value: string, encoding: ValueEncoding): string {
  // Most values (ids, names, numbers) need no escaping in any variant.
  if (UNRESERVED.test(value)) return value;
  const base = encodeURIComponent(value.replace(LONE_SURROGATE, '?')).replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  switch (encoding) {
    case 'java':
      return base.replace(/~/g, '%7E');
    case 'rfc3986':
      return base;
    case 'rfc3986-star':
      return base.replace(/\*/g, '%2A');
  }
}

/** Java String.compareTo and JavaScript's default sort agree: UTF-16 code units. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The lowercased string a client signs, for one encoding and sort order. */
export function canonicalString(params: ReadonlyArray<readonly [string, string]>, encoding: ValueEncoding, order: SortOrder): string {
  const kept = params.filter(([name]) => name.toLowerCase() !== 'signature');
  let pairs: string[];
  if (order === 'names') {
    pairs = [...kept].sort(([a], [b]) => compareCodeUnits(a, b)).map(([name, value]) => `${name}=${encodeValue(value, encoding)}`);
  } else {
    pairs = kept.map(([name, value]) => `${name}=${encodeValue(value, encoding)}`).sort(compareCodeUnits);
  }
  return pairs.join('&').toLowerCase();
}

/** Every distinct string some client would have signed for these parameters. */
export function canonicalStrings(params: ReadonlyArray<readonly [string, string]>): string[] {
  const out = new Set<string>();
  for (const encoding of VALUE_ENCODINGS) for (const order of SORT_ORDERS) out.add(canonicalString(params, encoding, order));
  return [...out];
}

export function sign(secretKey: string, canonical: string): string {
  return createHmac('sha1', secretKey).update(canonical, 'utf8').digest('base64');
}

/**
 * Whether `signature` signs `params` with `secretKey` under any client's rules. A `+` of the
 * signature that arrived unencoded was decoded to a space; it is turned back. Compared in
 * constant time per candidate.
 */
export function verifySignature(params: ReadonlyArray<readonly [string, string]>, secretKey: string, signature: string): boolean {
  const given = Buffer.from(signature.replace(/ /g, '+'), 'base64');
  if (given.length !== 20) return false;
  // Values without a character the variants encode differently have one canonical string per
  // order (the common case); only then are the other encodings worth computing.
  const tried = new Set<string>();
  for (const encoding of VALUE_ENCODINGS) {
    for (const order of SORT_ORDERS) {
      const canonical = canonicalString(params, encoding, order);
      if (tried.has(canonical)) continue;
      tried.add(canonical);
      // Constant-time per candidate; which client variant matched is no secret.
      if (timingSafeEqual(hmacSha1(secretKey, canonical), given)) return true;
    }
    if (!params.some(([, value]) => ENCODING_SENSITIVE.test(value))) return false;
  }
  return false;
}

/** A secret key's HMAC pads (RFC 2104), kept per key: every signed request of a user needs them. */
const PADS = new Map<string, { inner: Buffer; outer: Buffer }>();
const BLOCK_BYTES = 64;

function padsOf(secretKey: string): { inner: Buffer; outer: Buffer } {
  let pads = PADS.get(secretKey);
  if (pads === undefined) {
    let key = Buffer.from(secretKey, 'utf8');
    if (key.length > BLOCK_BYTES) key = hash('sha1', key, 'buffer');
    const inner = Buffer.alloc(BLOCK_BYTES, 0x36);
    const outer = Buffer.alloc(BLOCK_BYTES, 0x5c);
    for (let i = 0; i < key.length; i++) {
      inner[i]! ^= key[i]!;
      outer[i]! ^= key[i]!;
    }
    if (PADS.size >= 10_000) PADS.clear();
    pads = { inner, outer };
    PADS.set(secretKey, pads);
  }
  return pads;
}

/**
 * HMAC-SHA1 from two one-shot hashes over the kept pads: the same bytes as createHmac, without
 * building a stream object per request (which cost more than the hashing).
 */
export function hmacSha1(secretKey: string, message: string): Buffer {
  const { inner, outer } = padsOf(secretKey);
  const innerHash = hash('sha1', Buffer.concat([inner, Buffer.from(message, 'utf8')]), 'buffer');
  return hash('sha1', Buffer.concat([outer, innerHash]), 'buffer');
}

/** The characters the client variants encode differently (`~`, `*`), or that encode per character. */
const ENCODING_SENSITIVE = /[~*]/;

/**
 * Parses an `expires` value in any format CloudStack's DateUtil accepts: ISO offset date-time
 * (`2026-01-01T12:00:00Z`, `+01:00`), `yyyy-MM-dd'T'HH:mm:ssZ` (`+0000`), ISO instant with a
 * fraction (`.123Z`, up to nanoseconds), and the legacy `yyyy-MM-dd'T'HH:mm:ss'Z'Z`
 * (`2026-01-01T12:00:00Z+0000`). Returns epoch milliseconds, or undefined.
 */
export function parseExpires(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|Z?([+-])(\d{2}):?(\d{2}))$/.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetH, offsetM] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utcMs);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not round-trip does not exist.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  const fractionMs = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const offsetMs = zulu !== undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetH) * 60 + Number(offsetM)) * 60_000;
  if (zulu === undefined && (Number(offsetH) > 18 || Number(offsetM) > 59)) return undefined;
  return utcMs + fractionMs - offsetMs;
}
