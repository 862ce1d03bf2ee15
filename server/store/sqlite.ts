import Database from 'better-sqlite3';
import type { DomainEvent } from '../../core/model/events.js';
import type { JobRecord } from '../jobs.js';
import { type AppendBatch, STORE_FORMAT_VERSION, type StoredBatch, type StoredSnapshot, type StoreMeta, type SyncEventStore, type TimerRecord } from './store.js';

/**
 * The embedded store: one SQLite file (better-sqlite3, synchronous). Each batch is one
 * transaction over the batch row, its event rows, its job records and its timers, so a crash
 * leaves either all of a decided command or none of it. WAL journaling: readers never block the
 * writer, and a committed batch survives the process dying.
 */
export class SqliteStore implements SyncEventStore {
  readonly synchronous = true;
  private readonly db: Database.Database;
  private readonly insertBatch: Database.Statement;
  private readonly insertEvent: Database.Statement;
  private readonly upsertJob: Database.Statement;
  private readonly insertTimer: Database.Statement;
  private readonly deleteTimer: Database.Statement;
  private readonly appendTransaction: (batches: readonly AppendBatch[]) => void;
  private readonly snapshotTransaction: (snapshot: StoredSnapshot) => void;

  /** Opens (creating if needed) the store at `path`; `:memory:` keeps it in memory. */
  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS batches (
        batch INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, command TEXT NOT NULL, user_id TEXT NOT NULL, account_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY, batch INTEGER NOT NULL REFERENCES batches (batch), type TEXT NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS events_by_batch ON events (batch);
      CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY, status INTEGER NOT NULL, created_ms INTEGER NOT NULL, account_id TEXT NOT NULL, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS timers (id TEXT PRIMARY KEY, due_ms INTEGER NOT NULL, command TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS snapshots (upto_batch INTEGER PRIMARY KEY, created_ms INTEGER NOT NULL, body TEXT NOT NULL);
    `);
    this.insertBatch = this.db.prepare('INSERT INTO batches (batch, at_ms, command, user_id, account_id) VALUES (?, ?, ?, ?, ?)');
    this.insertEvent = this.db.prepare('INSERT INTO events (batch, type, body) VALUES (?, ?, ?)');
    this.upsertJob = this.db.prepare(
      'INSERT INTO jobs (id, status, created_ms, account_id, record) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, record = excluded.record',
    );
    this.insertTimer = this.db.prepare('INSERT INTO timers (id, due_ms, command) VALUES (?, ?, ?)');
    this.deleteTimer = this.db.prepare('DELETE FROM timers WHERE id = ?');
    this.appendTransaction = this.db.transaction((batches: readonly AppendBatch[]): void => {
      for (const batch of batches) {
        this.insertBatch.run(batch.batch, batch.atMs, batch.command, batch.actor.userId, batch.actor.accountId);
        for (const body of batch.events) this.insertEvent.run(batch.batch, eventType(body), body);
        for (const job of batch.jobs) this.upsertJob.run(job.id, job.status, job.createdMs, job.accountId, JSON.stringify(job));
        for (const timer of batch.timersAdded) this.insertTimer.run(timer.id, timer.dueMs, JSON.stringify(timer.command));
        for (const id of batch.timersRemoved) this.deleteTimer.run(id);
      }
    });
    const insertSnapshot = this.db.prepare('INSERT OR REPLACE INTO snapshots (upto_batch, created_ms, body) VALUES (?, ?, ?)');
    const deleteOlderSnapshots = this.db.prepare('DELETE FROM snapshots WHERE upto_batch < ?');
    this.snapshotTransaction = this.db.transaction((snapshot: StoredSnapshot): void => {
      insertSnapshot.run(snapshot.uptoBatch, snapshot.createdMs, snapshot.body);
      deleteOlderSnapshots.run(snapshot.uptoBatch);
    });
  }

  describe(): string {
    return `SQLite ${this.path}`;
  }

  readMeta(): Promise<StoreMeta | undefined> {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'store'").get() as { value: string } | undefined;
    return Promise.resolve(row === undefined ? undefined : (JSON.parse(row.value) as StoreMeta));
  }

  writeMeta(meta: StoreMeta): Promise<void> {
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('store', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify({ ...meta, formatVersion: STORE_FORMAT_VERSION }));
    return Promise.resolve();
  }

  append(batches: readonly AppendBatch[]): void {
    this.appendTransaction(batches);
  }

  async *batches(afterBatch = 0): AsyncIterable<StoredBatch> {
    yield* this.batchesNow(afterBatch);
  }

  /** The batches after `afterBatch`, read lazily in this call (the store's own reads are synchronous). */
  *batchesNow(afterBatch = 0): Iterable<StoredBatch> {
    const rows = this.db
      .prepare('SELECT b.batch, b.at_ms, b.command, b.user_id, b.account_id, e.body FROM batches b LEFT JOIN events e ON e.batch = b.batch WHERE b.batch > ? ORDER BY b.batch, e.seq')
      .iterate(afterBatch) as Iterable<{ batch: number; at_ms: number; command: string; user_id: string; account_id: string; body: string | null }>;
    let current: StoredBatch | undefined;
    for (const row of rows) {
      if (current === undefined || current.batch !== row.batch) {
        if (current !== undefined) yield current;
        current = { batch: row.batch, atMs: row.at_ms, command: row.command, actor: { userId: row.user_id, accountId: row.account_id }, events: [] };
      }
      if (row.body !== null) current.events.push(JSON.parse(row.body) as DomainEvent);
    }
    if (current !== undefined) yield current;
  }

  lastBatch(): Promise<number> {
    const row = this.db.prepare('SELECT MAX(batch) AS last FROM batches').get() as { last: number | null };
    return Promise.resolve(row.last ?? 0);
  }

  jobs(): Promise<JobRecord[]> {
    return Promise.resolve((this.db.prepare('SELECT record FROM jobs ORDER BY created_ms, rowid').all() as { record: string }[]).map((row) => JSON.parse(row.record) as JobRecord));
  }

  timers(): Promise<TimerRecord[]> {
    const rows = this.db.prepare('SELECT id, due_ms, command FROM timers ORDER BY due_ms, rowid').all() as { id: string; due_ms: number; command: string }[];
    return Promise.resolve(rows.map((row) => ({ id: row.id, dueMs: row.due_ms, command: JSON.parse(row.command) as TimerRecord['command'] })));
  }

  latestSnapshot(): Promise<StoredSnapshot | undefined> {
    const row = this.db.prepare('SELECT upto_batch, created_ms, body FROM snapshots ORDER BY upto_batch DESC LIMIT 1').get() as { upto_batch: number; created_ms: number; body: string } | undefined;
    return Promise.resolve(row === undefined ? undefined : { uptoBatch: row.upto_batch, createdMs: row.created_ms, body: row.body });
  }

  saveSnapshot(snapshot: StoredSnapshot): void {
    this.snapshotTransaction(snapshot);
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}

/** The event type, read from the serialized event (it is always the first key written). */
function eventType(body: string): string {
  const match = /^\{"type":"([^"]+)"/.exec(body);
  return match ? match[1]! : (JSON.parse(body) as { type: string }).type;
}
