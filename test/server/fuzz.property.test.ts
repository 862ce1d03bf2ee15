/**
 * Random requests at every command of the registry, as the root admin and as a user: wrong
 * types, missing and unknown parameters, huge and unicode values, control characters, negative
 * page sizes, real ids of other things. Every answer is CloudStack's: 200, or an error with
 * `errorcode` equal to the HTTP status, a CloudStack code, and a text without a stack trace;
 * never the catch-all internal error, which is what an exception escaping a handler becomes.
 * Afterwards the cloud still passes the invariant checkers.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotOf } from '../../core/model/snapshot.js';
import { defaultRegistry } from '../../server/commands/index.js';
import type { AnyCommand } from '../../server/registry/command.js';
import { addressProblems, allHoldProblems, capacityProblems } from '../../simulator/invariants.js';
import { formEncode, referenceSignature, type Served, serve, SignedClient } from './support.js';

type Obj = Record<string, unknown>;

/** The codes CloudStack answers errors with (ApiErrorCode), and the servlet's own 401 and 432. */
const CLOUDSTACK_ERROR_CODES = new Set([401, 405, 413, 430, 431, 432, 530, 531, 532, 533, 534, 535, 536, 537]);
const STACK_TRACE = /\bat [\w.<>]+ \(|\.[tj]s:\d+:\d+|node:internal|TypeError|ReferenceError|RangeError|SyntaxError|undefined is not|Cannot read properties/;
const INTERNAL = 'Internal error executing command';

const registry = defaultRegistry();
const commands: readonly AnyCommand[] = [...registry.all()].filter((c) => c.name !== 'logout');

let cloud: Served;
let admin: SignedClient;
let user: SignedClient;
/** Ids of real things (zones, offerings, VMs of others...), so some requests reach past the lookups. */
let realIds: string[] = [];

beforeAll(async () => {
  cloud = await serve();
  admin = new SignedClient(cloud.url, cloud.admin);
  await admin.ok('createAccount', { username: 'fuzz', password: 'pw', email: 'f@example.com', firstname: 'F', lastname: 'Z', account: 'fuzz-co' });
  const fuzzUser = ((await admin.ok('listUsers', { username: 'fuzz', listall: 'true' })).user as Obj[])[0]!;
  const keys = await admin.ok('registerUserKeys', { id: fuzzUser.id as string });
  const userkeys = keys.userkeys as Obj;
  user = new SignedClient(cloud.url, { apiKey: userkeys.apikey as string, secretKey: userkeys.secretkey as string });
  const ids = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(value)) ids.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(snapshotOf(cloud.runtime.state));
  // The root admin's own account and user stay: without them the rest of the run proves little.
  ids.delete(cloud.admin.accountId);
  ids.delete(cloud.admin.userId);
  realIds = [...ids].sort();
});

afterAll(async () => {
  await cloud.close();
});

const awkward = fc.constantFrom('', ' ', '-1', '0', '-500', '1e309', '99999999999999999999', 'NaN', 'null', 'true', 'FALSE', '[]', '{}', '../../etc/passwd', "'; DROP TABLE jobs; --", '%00', '\u0000', '\u0007bell', 'a'.repeat(5000), '2026-13-45', '1970-01-01T00:00:00+0000', 'Running', 'KVM', 'Advanced', 'ROOT', '*');
const value = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: awkward },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 2, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: fc.nat().map((n) => realIds[n % Math.max(1, realIds.length)] ?? '') },
    { weight: 1, arbitrary: fc.array(fc.nat(), { maxLength: 3 }).map((ns) => ns.map((n) => realIds[n % Math.max(1, realIds.length)]).join(',')) },
  );

/** A request for one command: some of its parameters (names in any case), some unknown ones, some map entries. */
const request = fc
  .record({
    command: fc.constantFrom(...commands),
    asUser: fc.boolean(),
    picks: fc.array(fc.tuple(fc.nat(), value(), fc.boolean()), { maxLength: 8 }),
    extras: fc.array(fc.tuple(fc.constantFrom('page', 'pagesize', 'listall', 'isrecursive', 'keyword', 'tags[0].key', 'tags[0].value', 'details[0].cpuNumber', 'nosuchparameter', 'response'), value()), { maxLength: 3 }),
  })
  .map(({ command, asUser, picks, extras }) => {
    const names = Object.keys(command.params);
    const params: Record<string, string> = {};
    for (const [n, v, upper] of picks) {
      if (names.length === 0) break;
      const name = names[n % names.length]!;
      params[upper ? name.toUpperCase() : name] = v;
    }
    for (const [name, v] of extras) if (name !== 'response') params[name] = v;
    return { command: command.name, asUser, params };
  });

async function call(client: SignedClient, command: string, params: Record<string, string>): Promise<{ status: number; body: Obj; text: string }> {
  const reply = await client.post(command, params);
  return { status: reply.status, body: reply.body, text: reply.text };
}

function checkAnswer(command: string, params: Record<string, string>, answer: { status: number; body: Obj; text: string }): void {
  const where = `${command} ${JSON.stringify(params).slice(0, 400)}`;
  expect(answer.status, where).not.toBe(500);
  if (answer.status === 200) return;
  expect(answer.text, where).not.toMatch(STACK_TRACE);
  expect(CLOUDSTACK_ERROR_CODES.has(answer.status), `${where}: HTTP ${answer.status}`).toBe(true);
  const keys = Object.keys(answer.body);
  expect(keys.length, where).toBe(1);
  const inner = answer.body[keys[0]!] as Obj;
  expect(inner.errorcode, where).toBe(answer.status);
  expect(typeof inner.errortext, where).toBe('string');
  expect(inner.errortext as string, where).not.toContain(INTERNAL);
}

describe('random parameters at every command', () => {
  it('are answered with CloudStack errors, never an internal error or a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ command, asUser, params }) => {
        checkAnswer(command, params, await call(asUser ? user : admin, command, params));
      }),
      { numRuns: 1500 },
    );
    const state = cloud.runtime.state;
    expect([...capacityProblems(state), ...allHoldProblems(state), ...addressProblems(state)]).toEqual([]);
  });

  it('answer 431 to a malformed value of a typed parameter, and to a missing required one', async () => {
    const typed = commands.flatMap((c) =>
      Object.entries(c.params)
        .filter(([, spec]) => spec.type === 'boolean' || spec.type === 'integer' || spec.type === 'long' || spec.type === 'date')
        .map(([name, spec]) => ({ command: c, name, type: spec.type })),
    );
    expect(typed.length).toBeGreaterThan(10);
    const garbage = { boolean: fc.constantFrom('maybe', 'yes', '1', ''), integer: fc.constantFrom('abc', '1.5', '99999999999', '-', ''), long: fc.constantFrom('x', '1e3', '99999999999999999999', ''), date: fc.constantFrom('yesterday', '2026-13-01', '') } as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...typed), fc.boolean(), fc.nat(), async ({ command, name, type }, asUser, pick) => {
        const bad = fc.sample(garbage[type as keyof typeof garbage], { numRuns: 1, seed: pick })[0]!;
        // The required parameters present and well-formed would be best; the malformed one must be found first either way.
        const answer = await call(asUser ? user : admin, command.name, { [name]: bad });
        checkAnswer(command.name, { [name]: bad }, answer);
        // A user may not see the command at all (401); otherwise the value is refused before anything else.
        if (answer.status !== 401) expect(answer.status, `${command.name} ${name}=${JSON.stringify(bad)}`).toBe(431);
      }),
      { numRuns: 300 },
    );
    for (const command of commands) {
      const required = Object.entries(command.params).filter(([, spec]) => spec.required);
      if (required.length === 0 || command.authentication === 'none') continue;
      const answer = await call(admin, command.name, {});
      expect(answer.status, command.name).toBe(431);
      expect(((answer.body[`${command.name.toLowerCase()}response`] as Obj).errortext as string)).toMatch(/due to missing parameter/);
    }
  });

  it('answer negative and huge page sizes with 431, and pagesize=-1 with everything', async () => {
    for (const pagesize of ['-2', '-500', '0', '2147483648', 'many']) {
      const answer = await call(admin, 'listZones', { pagesize, page: '1' });
      checkAnswer('listZones', { pagesize }, answer);
      expect(answer.status, `pagesize=${pagesize}`).toBe(431);
    }
    const all = await call(admin, 'listZones', { pagesize: '-1' });
    expect(all.status).toBe(200);
  });

  it('answer an unsigned or wrongly signed request with 401, whatever its command', async () => {
    for (const command of commands.slice(0, 40)) {
      if (command.authentication === 'none') continue;
      const params = { command: command.name, response: 'json', apiKey: cloud.admin.apiKey };
      const signature = referenceSignature(params, `${cloud.admin.secretKey}x`);
      const reply = await fetch(`${cloud.url}?${formEncode({ ...params, signature })}`);
      expect(reply.status, command.name).toBe(401);
    }
  });
});
