/**
 * A served cloud for tests: the tiny datacenter (with a template) bootstrapped into a SQLite store,
 * on a manual clock, with drivers that answer at once (or after a latency the test advances
 * through), and the app listening on a loopback port. The client signs requests the way the
 * server's Java reference does.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioSpec } from '../../core/scenario/schema.js';
import { createApp } from '../../server/app.js';
import { PasswordHasher } from '../../server/auth/secrets.js';
import { SessionStore } from '../../server/auth/sessions.js';
import { type BootstrapAdmin, bootstrapCloud } from '../../server/bootstrap.js';
import { IMMEDIATE_DRIVERS, type ServeDriverOptions } from '../../server/drivers.js';
import { ServerRuntime } from '../../server/runtime.js';
import { MysqlStore } from '../../server/store/mysql.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import type { EventStore } from '../../server/store/store.js';
import { ManualTime } from '../../server/time.js';
import { RenderCache } from '../../server/views/render-cache.js';
import type { FieldType } from '../../server/views/view.js';
import { tinyDatacenter } from '../support/cloud.js';

/** 2026-01-01T12:00:00Z: every date a test sees counts from here. */
export const START_MS = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Cheap hashing: tests create users, they do not defend against guessers. */
export const TEST_PASSWORDS = new PasswordHasher({ N: 1024, r: 8, p: 1 });

export function servedSpec(): ScenarioSpec {
  return { ...tinyDatacenter(), templates: [{ name: 'ubuntu-22.04', sizeGiB: 2, hypervisor: 'KVM' }] };
}

export interface Served {
  url: string;
  time: ManualTime;
  runtime: ServerRuntime;
  store: EventStore;
  admin: BootstrapAdmin;
  /** The SQLite file (for a MySQL store: the URL of its database). */
  dbPath: string;
  close(): Promise<void>;
  /** The app's cache of rendered response objects. */
  renderCache: RenderCache;
  /** Closes the app and runtime, reopens the same database file, and serves it again. */
  restart(): Promise<Served>;
}

export interface ServeOptions {
  drivers?: ServeDriverOptions;
  spec?: ScenarioSpec;
  /** Where the manual clock starts; START_MS by default. */
  startMs?: number;
  /** The store: a SQLite file (default), or a database of its own on the test MariaDB server. */
  store?: 'sqlite' | 'mysql';
  /** The runtime writes a snapshot after this many batches (the runtime's default otherwise). */
  snapshotEveryBatches?: number;
}

/**
 * The MariaDB server MySQL-store tests use: CLOUDPLANE_TEST_MYSQL_URL (without a database), or
 * the local server `.ci/run` starts. Each test gets a database of its own and drops it.
 */
export function testMysqlServerUrl(): string {
  return (process.env['CLOUDPLANE_TEST_MYSQL_URL'] ?? 'mysql://cloudplane:cloudplane@127.0.0.1:3306/').replace(/\/?$/, '/');
}

let mysqlDatabases = 0;

async function openTestStore(kind: 'sqlite' | 'mysql', dir: string): Promise<{ store: EventStore; location: string }> {
  if (kind === 'sqlite') {
    const location = join(dir, 'cloud.db');
    return { store: new SqliteStore(location), location };
  }
  const location = `${testMysqlServerUrl()}cloudplane_test_${process.pid}_${Date.now().toString(36)}_${mysqlDatabases++}`;
  try {
    return { store: await MysqlStore.open(location), location };
  } catch (error) {
    throw new Error(`the MySQL store tests need a MariaDB or MySQL server at ${testMysqlServerUrl()} (.ci/run installs and starts one; or set CLOUDPLANE_TEST_MYSQL_URL): ${(error as Error).message}`);
  }
}

export async function reopenStore(location: string): Promise<EventStore> {
  return location.startsWith('mysql://') ? MysqlStore.open(location) : new SqliteStore(location);
}

async function listen(runtime: ServerRuntime, renderCache = new RenderCache()): Promise<{ server: Server; url: string; renderCache: RenderCache }> {
  const app = createApp({ runtime, passwords: TEST_PASSWORDS, sessions: new SessionStore(), log: () => undefined, renderCache });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/client/api`, renderCache };
}

function served(runtime: ServerRuntime, store: EventStore, time: ManualTime, admin: BootstrapAdmin, dbPath: string, dir: string, drivers: ServeDriverOptions, snapshotEveryBatches: number | undefined, listening: { server: Server; url: string; renderCache: RenderCache }): Served {
  const closeAll = async (removeFiles: boolean): Promise<void> => {
    await new Promise<void>((resolve) => listening.server.close(() => resolve()));
    listening.server.closeAllConnections();
    await runtime.close();
    if (removeFiles && store instanceof MysqlStore) await store.dropDatabase();
    await store.close();
    if (removeFiles) rmSync(dir, { recursive: true, force: true });
  };
  return {
    url: listening.url,
    time,
    runtime,
    store,
    admin,
    dbPath,
    renderCache: listening.renderCache,
    close: () => closeAll(true),
    async restart() {
      await closeAll(false);
      const reopened = await reopenStore(dbPath);
      const again = await ServerRuntime.load({ store: reopened, clock: time, scheduler: time, drivers, seed: 7, ...(snapshotEveryBatches === undefined ? {} : { snapshotEveryBatches }) });
      return served(again, reopened, time, admin, dbPath, dir, drivers, snapshotEveryBatches, await listen(again));
    },
  };
}

export async function serve(options: ServeOptions = {}): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudplane-serve-'));
  const { store, location: dbPath } = await openTestStore(options.store ?? 'sqlite', dir);
  const time = new ManualTime(options.startMs ?? START_MS);
  const drivers = options.drivers ?? IMMEDIATE_DRIVERS;
  const every = options.snapshotEveryBatches;
  const { runtime, admin } = await bootstrapCloud({ store, spec: options.spec ?? servedSpec(), origin: 'test', clock: time, scheduler: time, drivers, seed: 7, passwords: TEST_PASSWORDS, ...(every === undefined ? {} : { snapshotEveryBatches: every }) });
  return served(runtime, store, time, admin, dbPath, dir, drivers, every, await listen(runtime));
}

// ----- a client -----

/** Java's URLEncoder with `+` as `%20`, the server's reference encoding. */
export function javaEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The reference signature: names sorted, values Java-encoded, the whole string lowercased. */
export function referenceSignature(params: Record<string, string>, secretKey: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((name) => `${name}=${javaEncode(params[name]!)}`)
    .join('&')
    .toLowerCase();
  return createHmac('sha1', secretKey).update(canonical).digest('base64');
}

export function formEncode(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (when JSON). */
  body: Record<string, unknown>;
}

async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  if ((response.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text) as Record<string, unknown>;
  return { status: response.status, headers: response.headers, text, body };
}

export interface Keys {
  apiKey: string;
  secretKey: string;
}

/** A client that signs every call with the given keys (GET, or POST with the form body). */
export class SignedClient {
  constructor(
    private readonly url: string,
    private readonly keys: Keys,
  ) {}

  signed(command: string, params: Record<string, string> = {}): Record<string, string> {
    const all = { ...params, command, response: 'json', apiKey: this.keys.apiKey };
    return { ...all, signature: referenceSignature(all, this.keys.secretKey) };
  }

  async get(command: string, params: Record<string, string> = {}): Promise<Reply> {
    return reply(await fetch(`${this.url}?${formEncode(this.signed(command, params))}`));
  }

  async post(command: string, params: Record<string, string> = {}): Promise<Reply> {
    return reply(await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formEncode(this.signed(command, params)) }));
  }

  /** The inner object of a successful JSON reply. */
  async ok(command: string, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const r = await this.get(command, params);
    if (r.status !== 200) throw new Error(`${command} failed: ${r.status} ${r.text}`);
    return r.body[`${command.toLowerCase()}response`] as Record<string, unknown>;
  }
}

export async function rawGet(url: string, query: string, headers: Record<string, string> = {}): Promise<Reply> {
  return reply(await fetch(`${url}?${query}`, { headers }));
}

export async function rawPost(url: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  return reply(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body }));
}

/** The JSON type a declared field type must have (cloudstack-go fails on any other). */
export function matchesType(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'uuid':
      return typeof value === 'string';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/.test(value);
    case 'integer':
    case 'long':
      return Number.isInteger(value);
    case 'double':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
    case 'set':
      return Array.isArray(value);
    case 'map':
    case 'responseobject':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}
