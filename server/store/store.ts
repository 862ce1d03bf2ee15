import type { Command } from '../../core/model/commands.js';
import type { DomainEvent } from '../../core/model/events.js';
import type { JobRecord } from '../jobs.js';

/**
 * The durable store of a served cloud: an append-only log of the events of every decided
 * command, the async job records, the timers the core asked for, and snapshots. The runtime is
 * its only writer. A restart reads the latest snapshot and replays the events after it.
 *
 * Two kinds of store: SQLite commits before `append` returns (`synchronous: true`); MySQL
 * commits later (`synchronous: false`, `append` returns a promise). The runtime decides in
 * memory either way and answers a command only once its batch is committed (see runtime.ts).
 * Reads happen at start only and are asynchronous for both.
 */

/** Who caused a batch: the API caller, or the system (drivers, timers, the bootstrap). */
export interface ActorRef {
  userId: string;
  accountId: string;
}

/** A timer the core asked for (`timer` effect): kept so a restart can schedule it again. */
export interface TimerRecord {
  id: string;
  dueMs: number;
  command: Command;
}

/** What one decided command leaves behind: written whole or not at all. */
export interface AppendBatch {
  /** Its number in the log, given by the runtime: 1 for the first batch, then one more each. */
  batch: number;
  atMs: number;
  /** The command type (`deployVirtualMachine`, `vmStarted`, `bootstrap`). */
  command: string;
  actor: ActorRef;
  /** The events, each already serialized as JSON, in order. */
  events: readonly string[];
  /** Job records created or changed by this batch (whole records: the store keeps the last). */
  jobs: readonly JobRecord[];
  timersAdded: readonly TimerRecord[];
  timersRemoved: readonly string[];
}

export interface StoredBatch {
  batch: number;
  atMs: number;
  command: string;
  actor: ActorRef;
  events: DomainEvent[];
}

export interface StoredSnapshot {
  /** The last batch the snapshot includes; replay continues after it. */
  uptoBatch: number;
  createdMs: number;
  /** The state as snapshotOf() gives it, as JSON. */
  body: string;
}

/** Facts about the store itself, written once at the first start. */
export interface StoreMeta {
  formatVersion: number;
  /** The id namespace of the cloud (emptyState(idNamespace) is where replay starts). */
  idNamespace: number;
  createdMs: number;
  /** Where the cloud came from, for people: the scenario file and name. */
  origin: string;
  /** Set when the first start finished (cloud built, admin created): a store without it is unusable. */
  bootstrapped: boolean;
}

export const STORE_FORMAT_VERSION = 1;

/** What both kinds of store offer: the reads of a start, meta, and closing. */
interface StoreReads {
  /** What the store is, for people: `SQLite /var/lib/cloud.db`, `MySQL 10.11.18-MariaDB at host:3306/db`. */
  describe(): string;
  readMeta(): Promise<StoreMeta | undefined>;
  writeMeta(meta: StoreMeta): Promise<void>;
  /** The batches after `afterBatch` (0: all), oldest first, read lazily. */
  batches(afterBatch?: number): AsyncIterable<StoredBatch>;
  /** The number of the last batch, 0 when empty. */
  lastBatch(): Promise<number>;
  jobs(): Promise<JobRecord[]>;
  timers(): Promise<TimerRecord[]>;
  latestSnapshot(): Promise<StoredSnapshot | undefined>;
  close(): Promise<void>;
}

/** A store whose writes are committed when they return (SQLite); a failed write throws. */
export interface SyncEventStore extends StoreReads {
  readonly synchronous: true;
  /** Appends the batches in order, each whole or not at all; committed on return. */
  append(batches: readonly AppendBatch[]): void;
  /** Writes a snapshot and drops older ones (the log keeps everything they were made of). */
  saveSnapshot(snapshot: StoredSnapshot): void;
}

/** A store whose writes are committed when their promise resolves (MySQL). */
export interface AsyncEventStore extends StoreReads {
  readonly synchronous: false;
  /**
   * Appends the batches in order, each whole or not at all (several may share a transaction).
   * The promise resolves once they are committed and rejects if they are not; calls are
   * committed in the order they were made.
   */
  append(batches: readonly AppendBatch[]): Promise<void>;
  saveSnapshot(snapshot: StoredSnapshot): Promise<void>;
}

export type EventStore = SyncEventStore | AsyncEventStore;
