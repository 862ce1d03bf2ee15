import mysql from 'mysql2/promise';
import type { DomainEvent } from '../../core/model/events.js';
import type { JobRecord } from '../jobs.js';
import { type AppendBatch, type AsyncEventStore, STORE_FORMAT_VERSION, type StoredBatch, type StoredSnapshot, type StoreMeta, type TimerRecord } from './store.js';

/**
 * The production store: MySQL or MariaDB (mysql2), as CloudStack itself keeps its database. The
 * tables are those of the SQLite store; InnoDB transactions make each append whole or absent.
 * Appends arrive in groups (the runtime's group commit): a group is one transaction, so a burst
 * of commands costs one fsync rather than one each. Writes are chained: a later call never
 * commits before an earlier one.
 *
 * Large values are cut to fit `max_allowed_packet`: event rows go in statements of at most
 * STATEMENT_BYTES, and a snapshot is stored in parts of SNAPSHOT_PART_CHARS characters.
 */

/** A MySQL URL: mysql://user:password@host:port/database, or ?socket=/path for a Unix socket. */
export interface MysqlLocation {
  host?: string;
  port?: number;
  socketPath?: string;
  user: string;
  password?: string;
  database: string;
}

const STATEMENT_BYTES = 1 << 20;
const SNAPSHOT_PART_CHARS = 4 << 20;
/** Batches read per query while replaying: the log is read lazily, a page at a time. */
const REPLAY_PAGE_BATCHES = 2000;

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS meta (k VARCHAR(64) PRIMARY KEY, v LONGTEXT NOT NULL) ENGINE=InnoDB',
  `CREATE TABLE IF NOT EXISTS batches (
     batch BIGINT PRIMARY KEY, at_ms BIGINT NOT NULL, command VARCHAR(100) NOT NULL,
     user_id VARCHAR(64) NOT NULL, account_id VARCHAR(64) NOT NULL) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS events (
     seq BIGINT AUTO_INCREMENT PRIMARY KEY, batch BIGINT NOT NULL, type VARCHAR(100) NOT NULL,
     body LONGTEXT NOT NULL, INDEX events_by_batch (batch)) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS jobs (
     seq BIGINT AUTO_INCREMENT PRIMARY KEY, id VARCHAR(64) NOT NULL UNIQUE, status INT NOT NULL,
     created_ms BIGINT NOT NULL, account_id VARCHAR(64) NOT NULL, record LONGTEXT NOT NULL) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS timers (
     seq BIGINT AUTO_INCREMENT PRIMARY KEY, id VARCHAR(64) NOT NULL UNIQUE, due_ms BIGINT NOT NULL,
     command LONGTEXT NOT NULL) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS snapshot_parts (
     upto_batch BIGINT NOT NULL, part INT NOT NULL, created_ms BIGINT NOT NULL, body LONGTEXT NOT NULL,
     PRIMARY KEY (upto_batch, part)) ENGINE=InnoDB`,
];

/** Reads a mysql:// URL; throws with the reason when it is not one. */
export function parseMysqlUrl(text: string): MysqlLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${text} is not a URL (expected mysql://user:password@host:port/database)`);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') throw new Error(`${text}: the scheme must be mysql:// (or mariadb://)`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) throw new Error(`${text}: name the database after the host, as mysql://user:password@host/cloudplane (letters, digits, _ and $)`);
  if (url.username === '') throw new Error(`${text}: name the user, as mysql://user:password@host/${database}`);
  const socket = url.searchParams.get('socket');
  const port = url.port === '' ? undefined : Number(url.port);
  return {
    user: decodeURIComponent(url.username),
    database,
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(socket ? { socketPath: socket } : { host: url.hostname || 'localhost', ...(port === undefined ? {} : { port }) }),
  };
}

/** The URL with its password hidden, for messages. */
export function redactMysqlUrl(text: string): string {
  return text.replace(/^(\w+:\/\/[^:/@]*):[^@]*@/, '$1:***@');
}

export class MysqlStore implements AsyncEventStore {
  readonly synchronous = false;
  /** The chain every write joins, so writes commit in the order they were asked for. */
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly connection: mysql.Connection,
    private readonly description: string,
  ) {}

  /** Connects, creates the database and its tables when missing, and checks the store's format. */
  static async open(url: string): Promise<MysqlStore> {
    const location = parseMysqlUrl(url);
    const { database, ...server } = location;
    const connection = await mysql.createConnection({ ...server, charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: false, multipleStatements: false });
    try {
      await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      await connection.query(`USE \`${database}\``);
      for (const statement of SCHEMA) await connection.query(statement);
      const [rows] = await connection.query('SELECT VERSION() AS version');
      const version = (rows as { version: string }[])[0]?.version ?? 'unknown version';
      const where = location.socketPath ?? `${location.host ?? 'localhost'}:${location.port ?? 3306}`;
      const store = new MysqlStore(connection, `MySQL ${version} at ${where}/${database}`);
      const meta = await store.readMeta();
      if (meta && meta.formatVersion !== STORE_FORMAT_VERSION) throw new Error(`the database holds a store of format ${meta.formatVersion}; this cloudplane reads format ${STORE_FORMAT_VERSION}`);
      return store;
    } catch (error) {
      await connection.end().catch(() => undefined);
      throw error;
    }
  }

  describe(): string {
    return this.description;
  }

  async readMeta(): Promise<StoreMeta | undefined> {
    const [rows] = await this.connection.query("SELECT v FROM meta WHERE k = 'store'");
    const row = (rows as { v: string }[])[0];
    return row === undefined ? undefined : (JSON.parse(row.v) as StoreMeta);
  }

  writeMeta(meta: StoreMeta): Promise<void> {
    return this.chain(async () => {
      await this.connection.query("INSERT INTO meta (k, v) VALUES ('store', ?) ON DUPLICATE KEY UPDATE v = VALUES(v)", [JSON.stringify({ ...meta, formatVersion: STORE_FORMAT_VERSION })]);
    });
  }

  append(batches: readonly AppendBatch[]): Promise<void> {
    return this.chain(() => this.transaction(async () => {
      const batchRows = batches.map((b) => [b.batch, b.atMs, b.command, b.actor.userId, b.actor.accountId]);
      if (batchRows.length > 0) await this.connection.query('INSERT INTO batches (batch, at_ms, command, user_id, account_id) VALUES ?', [batchRows]);
      await this.insertInParts('INSERT INTO events (batch, type, body) VALUES ?', batches.flatMap((b) => b.events.map((body) => [b.batch, eventType(body), body])));
      // A job changed twice in one group keeps its last record.
      const jobs = new Map<string, JobRecord>();
      for (const b of batches) for (const job of b.jobs) jobs.set(job.id, job);
      await this.insertInParts(
        'INSERT INTO jobs (id, status, created_ms, account_id, record) VALUES ? ON DUPLICATE KEY UPDATE status = VALUES(status), record = VALUES(record)',
        [...jobs.values()].map((job) => [job.id, job.status, job.createdMs, job.accountId, JSON.stringify(job)]),
      );
      // Timers in order: one added and removed within the group never reaches the table.
      for (const b of batches) {
        await this.insertInParts('INSERT INTO timers (id, due_ms, command) VALUES ?', b.timersAdded.map((t) => [t.id, t.dueMs, JSON.stringify(t.command)]));
        if (b.timersRemoved.length > 0) await this.connection.query('DELETE FROM timers WHERE id IN (?)', [b.timersRemoved]);
      }
    }));
  }

  async *batches(afterBatch = 0): AsyncIterable<StoredBatch> {
    let from = afterBatch;
    for (;;) {
      const [rows] = await this.connection.query(
        `SELECT b.batch, b.at_ms, b.command, b.user_id, b.account_id, e.body FROM
           (SELECT * FROM batches WHERE batch > ? ORDER BY batch LIMIT ?) b
           LEFT JOIN events e ON e.batch = b.batch ORDER BY b.batch, e.seq`,
        [from, REPLAY_PAGE_BATCHES],
      );
      const page = rows as { batch: number; at_ms: number; command: string; user_id: string; account_id: string; body: string | null }[];
      if (page.length === 0) return;
      let current: StoredBatch | undefined;
      for (const row of page) {
        const batch = Number(row.batch);
        if (current === undefined || current.batch !== batch) {
          if (current !== undefined) yield current;
          current = { batch, atMs: Number(row.at_ms), command: row.command, actor: { userId: row.user_id, accountId: row.account_id }, events: [] };
        }
        if (row.body !== null) current.events.push(JSON.parse(row.body) as DomainEvent);
      }
      yield current!;
      from = current!.batch;
    }
  }

  async lastBatch(): Promise<number> {
    const [rows] = await this.connection.query('SELECT MAX(batch) AS last FROM batches');
    const last = (rows as { last: number | string | null }[])[0]?.last;
    return last === null || last === undefined ? 0 : Number(last);
  }

  async jobs(): Promise<JobRecord[]> {
    const [rows] = await this.connection.query('SELECT record FROM jobs ORDER BY created_ms, seq');
    return (rows as { record: string }[]).map((row) => JSON.parse(row.record) as JobRecord);
  }

  async timers(): Promise<TimerRecord[]> {
    const [rows] = await this.connection.query('SELECT id, due_ms, command FROM timers ORDER BY due_ms, seq');
    return (rows as { id: string; due_ms: number | string; command: string }[]).map((row) => ({ id: row.id, dueMs: Number(row.due_ms), command: JSON.parse(row.command) as TimerRecord['command'] }));
  }

  async latestSnapshot(): Promise<StoredSnapshot | undefined> {
    // The newest snapshot whose parts are all there (a part count is the number of rows).
    const [heads] = await this.connection.query('SELECT upto_batch, MAX(created_ms) AS created_ms FROM snapshot_parts GROUP BY upto_batch ORDER BY upto_batch DESC LIMIT 1');
    const head = (heads as { upto_batch: number | string; created_ms: number | string }[])[0];
    if (head === undefined) return undefined;
    const [parts] = await this.connection.query('SELECT body FROM snapshot_parts WHERE upto_batch = ? ORDER BY part', [head.upto_batch]);
    return { uptoBatch: Number(head.upto_batch), createdMs: Number(head.created_ms), body: (parts as { body: string }[]).map((p) => p.body).join('') };
  }

  saveSnapshot(snapshot: StoredSnapshot): Promise<void> {
    return this.chain(() => this.transaction(async () => {
      const parts = Math.max(1, Math.ceil(snapshot.body.length / SNAPSHOT_PART_CHARS));
      await this.connection.query('DELETE FROM snapshot_parts WHERE upto_batch = ?', [snapshot.uptoBatch]);
      for (let part = 0; part < parts; part++) {
        const body = snapshot.body.slice(part * SNAPSHOT_PART_CHARS, (part + 1) * SNAPSHOT_PART_CHARS);
        await this.connection.query('INSERT INTO snapshot_parts (upto_batch, part, created_ms, body) VALUES (?, ?, ?, ?)', [snapshot.uptoBatch, part, snapshot.createdMs, body]);
      }
      await this.connection.query('DELETE FROM snapshot_parts WHERE upto_batch < ?', [snapshot.uptoBatch]);
    }));
  }

  async close(): Promise<void> {
    await this.writes.catch(() => undefined);
    await this.connection.end().catch(() => undefined);
  }

  /** Removes every table of the store (tests use a database each and drop it). */
  async dropDatabase(): Promise<void> {
    await this.writes.catch(() => undefined);
    const [rows] = await this.connection.query('SELECT DATABASE() AS db');
    const db = (rows as { db: string }[])[0]?.db;
    if (db) await this.connection.query(`DROP DATABASE \`${db}\``);
  }

  private chain(write: () => Promise<void>): Promise<void> {
    const next = this.writes.then(write);
    // A failed write fails its caller; the chain goes on so close() still finishes.
    this.writes = next.catch(() => undefined);
    return next;
  }

  private async transaction(work: () => Promise<void>): Promise<void> {
    await this.connection.beginTransaction();
    try {
      await work();
      await this.connection.commit();
    } catch (error) {
      await this.connection.rollback().catch(() => undefined);
      throw error;
    }
  }

  /** A multi-row insert cut into statements of at most STATEMENT_BYTES (max_allowed_packet is often 16 MiB or less). */
  private async insertInParts(sql: string, rows: readonly (readonly unknown[])[]): Promise<void> {
    let part: (readonly unknown[])[] = [];
    let bytes = 0;
    for (const row of rows) {
      const size = row.reduce<number>((sum, value) => sum + (typeof value === 'string' ? value.length * 3 : 20), 0);
      if (part.length > 0 && bytes + size > STATEMENT_BYTES) {
        await this.connection.query(sql, [part]);
        part = [];
        bytes = 0;
      }
      part.push(row);
      bytes += size;
    }
    if (part.length > 0) await this.connection.query(sql, [part]);
  }
}

/** The event type, read from the serialized event (it is always the first key written). */
export function eventType(body: string): string {
  const match = /^\{"type":"([^"]+)"/.exec(body);
  return match ? match[1]! : (JSON.parse(body) as { type: string }).type;
}
