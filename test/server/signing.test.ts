/**
 * Request signatures: the worked example of CloudStack's documentation, and a signature made the
 * way each client makes it (cs, cmk and cloudstack-go, csclient with its own qs encoding and pair
 * sort) is accepted for values where the clients disagree with Java's URLEncoder. The client-side
 * algorithms are written out here independently of the server's code; csclient's is its own
 * code path through the qs package it ships with.
 */
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalString, canonicalStrings, encodeValue, hmacSha1, parseExpires, sign, verifySignature } from '../../server/http/signing.js';

// The qs that csclient itself loads, resolved from csclient's own location.
const fromTest = createRequire(import.meta.url);
const qs = createRequire(fromTest.resolve('csclient'))('qs') as { stringify(value: unknown, options: { encode: boolean }): string };

const EXAMPLE_SECRET = 'VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ';
const EXAMPLE_KEY = 'plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg';

const hmac = (secret: string, text: string): string => createHmac('sha1', secret).update(text).digest('base64');

/** UTF-8 bytes of a string, percent-encoded except the given unreserved characters. */
function percentEncode(value: string, unreserved: RegExp): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && unreserved.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** cs 3.2: sorted(dict), urllib quote(v, safe="*"). */
function csSignature(params: Record<string, string>, secret: string): string {
  const text = Object.keys(params)
    .sort()
    .map((k) => `${k}=${percentEncode(params[k]!, /[A-Za-z0-9_.\-~*]/)}`)
    .join('&')
    .toLowerCase();
  return hmac(secret, text);
}

/** cmk and cloudstack-go: sort.Strings, url.QueryEscape then + to %20 and %2A to *. */
function cmkSignature(params: Record<string, string>, secret: string): string {
  const queryEscape = (v: string): string => percentEncode(v, /[A-Za-z0-9_.\-~ ]/).replace(/ /g, '+');
  const text = Object.keys(params)
    .sort()
    .map((k) => `${k}=${queryEscape(params[k]!).replace(/\+/g, '%20').replace(/%2A/g, '*')}`)
    .join('&')
    .toLowerCase();
  return hmac(secret, text);
}

/** csclient 0.6.4, as its __calculateSignature does it. */
function csclientSignature(params: Record<string, string>, secret: string): string {
  const ordered = qs.stringify(params, { encode: true }).replace(/%5B(\D*?)%5D/g, '.$1').replace(/%5B(\d*?)%5D/g, '[$1]').split('&').sort().join('&').toLowerCase();
  return hmac(secret, ordered);
}

const pairs = (params: Record<string, string>): [string, string][] => Object.entries(params);

describe('the worked example of the documentation', () => {
  const params: [string, string][] = [['apikey', EXAMPLE_KEY], ['command', 'listUsers'], ['response', 'json']];

  it('gives the documented string and signature', () => {
    expect(canonicalString(params, 'java', 'names')).toBe(`apikey=${EXAMPLE_KEY.toLowerCase()}&command=listusers&response=json`);
    expect(sign(EXAMPLE_SECRET, canonicalString(params, 'java', 'names'))).toBe('TTpdDq/7j/J58XCRHomKoQXEQds=');
  });

  it('verifies, and fails with another secret or a changed parameter', () => {
    expect(verifySignature([...params, ['signature', 'TTpdDq/7j/J58XCRHomKoQXEQds=']], EXAMPLE_SECRET, 'TTpdDq/7j/J58XCRHomKoQXEQds=')).toBe(true);
    expect(verifySignature(params, `${EXAMPLE_SECRET}x`, 'TTpdDq/7j/J58XCRHomKoQXEQds=')).toBe(false);
    expect(verifySignature([...params.slice(0, 2), ['response', 'xml']], EXAMPLE_SECRET, 'TTpdDq/7j/J58XCRHomKoQXEQds=')).toBe(false);
    expect(verifySignature(params, EXAMPLE_SECRET, 'not base64 at all')).toBe(false);
  });
});

describe('signatures as each client makes them', () => {
  const secret = 'client-secret';
  // Where clients and Java disagree: ~ (raw everywhere but Java), * (encoded by csclient only),
  // spaces, quotes and parentheses, non-ASCII, and a map parameter with brackets in its name.
  const params: Record<string, string> = {
    apiKey: 'key-1',
    command: 'deployVirtualMachine',
    response: 'json',
    name: 'web~1',
    displayname: "it's *the* (first) one",
    userdata: 'a b+c/d=é',
    'details[0].cpuNumber': '2',
  };

  it('computes different strings for different clients, and the server tries them all', () => {
    const java = canonicalString(pairs(params), 'java', 'names');
    expect(java).toContain('name=web%7e1');
    expect(canonicalString(pairs(params), 'rfc3986', 'names')).toContain('name=web~1');
    expect(canonicalString(pairs(params), 'rfc3986-star', 'names')).toContain('%2athe%2a');
    // Three encodings; sorting names or pairs agrees here (no name is a prefix of another).
    expect(canonicalStrings(pairs(params))).toHaveLength(3);
  });

  it('accepts a pair-sorted signature where it differs from the name-sorted one', () => {
    // "keyword" sorts before "keyword.x" by name, after it by pair ("=" is above ".").
    const prefixed = { apiKey: 'key-1', command: 'listZones', keyword: 'z', 'keyword.x': 'y' };
    expect(canonicalString(pairs(prefixed), 'java', 'names')).not.toBe(canonicalString(pairs(prefixed), 'java', 'pairs'));
    const signature = csclientSignature(prefixed, secret);
    expect(signature).not.toBe(hmac(secret, canonicalString(pairs(prefixed), 'java', 'names')));
    expect(verifySignature(pairs(prefixed), secret, signature)).toBe(true);
  });

  it.each([
    ['cs', csSignature],
    ['cmk and cloudstack-go', cmkSignature],
    ['csclient', csclientSignature],
  ])('accepts the signature of %s', (_client, signer) => {
    const signature = signer(params, secret);
    expect(verifySignature([...pairs(params), ['signature', signature]], secret, signature)).toBe(true);
    expect(verifySignature(pairs(params), 'other-secret', signature)).toBe(false);
  });

  it('accepts a signature whose + arrived unencoded and was decoded to a space', () => {
    let n = 0;
    let signature = '';
    // Find a value whose signature has a +, as one in about two does.
    do signature = cmkSignature({ ...params, name: `vm${n++}` }, secret);
    while (!signature.includes('+'));
    const received = signature.replace(/\+/g, ' ');
    expect(verifySignature(pairs({ ...params, name: `vm${n - 1}` }), secret, received)).toBe(true);
  });

  it('encodes values as Java does for the reference string', () => {
    expect(encodeValue('a b~c*d!é', 'java')).toBe('a%20b%7Ec*d%21%C3%A9');
    expect(encodeValue('a b~c*d!é', 'rfc3986')).toBe('a%20b~c*d%21%C3%A9');
    expect(encodeValue('a b~c*d!é', 'rfc3986-star')).toBe('a%20b~c%2Ad%21%C3%A9');
  });
});

describe('expires', () => {
  const at = Date.UTC(2026, 0, 1, 12, 10, 0);

  it.each([
    ['2026-01-01T12:10:00Z', 'ISO offset date-time with Z (cloudstack-go)'],
    ['2026-01-01T13:10:00+01:00', 'ISO offset date-time with an offset'],
    ['2026-01-01T12:10:00+0000', 'yyyy-MM-ddTHH:mm:ssZ (cs, csclient)'],
    ['2026-01-01T12:10:00.000Z', 'ISO instant with milliseconds'],
    ['2026-01-01T12:10:00.000000+0000', 'microseconds'],
    ['2026-01-01T12:10:00Z+0000', "the legacy yyyy-MM-dd'T'HH:mm:ss'Z'Z"],
    ['2026-01-01T07:10:00-0500', 'a negative offset'],
  ])('parses %s (%s)', (text) => {
    expect(parseExpires(text)).toBe(at);
  });

  it.each(['2026-02-30T12:00:00Z', '2026-01-01 12:10:00', '2026-01-01T25:00:00Z', 'tomorrow', '2026-01-01T12:10:00'])('refuses %s', (text) => {
    expect(parseExpires(text)).toBeUndefined();
  });
});

describe('hmacSha1', () => {
  it('gives the bytes of createHmac for short, block-sized and long keys and any message', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 130 }), fc.string({ unit: 'grapheme', maxLength: 300 }), (key, message) => {
        expect(hmacSha1(key, message).toString('base64')).toBe(createHmac('sha1', key).update(message, 'utf8').digest('base64'));
      }),
    );
    expect(hmacSha1('k'.repeat(64), 'm').toString('base64')).toBe(createHmac('sha1', 'k'.repeat(64)).update('m').digest('base64'));
  });
});
