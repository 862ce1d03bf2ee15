import type { Command } from '../../core/model/commands.js';
import type { DomainEvent } from '../../core/model/events.js';
import type { JobRecord } from '../jobs.js';

/**
 * The durable store of a served cloud: an append-only log of the events of every decided
 * command, the async job records, the timers the core asked for, and (optionally) snapshots.
 * The runtime is its only writer. A restart reads the latest snapshot (when a restore function
 * is configured) and replays the events after it; without one it replays from the start.
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

/** What one decided command leaves behind, written in one transaction. */
export interface AppendBatch {
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

export interface EventStore {
  readMeta(): StoreMeta | undefined;
  writeMeta(meta: StoreMeta): void;
  /** Appends one batch atomically; returns its batch number. */
  append(batch: AppendBatch): number;
  /** The batches after `afterBatch` (0: all), oldest first, read lazily. */
  batches(afterBatch?: number): Iterable<StoredBatch>;
  /** The number of the last batch, 0 when empty. */
  lastBatch(): number;
  jobs(): JobRecord[];
  timers(): TimerRecord[];
  latestSnapshot(): StoredSnapshot | undefined;
  saveSnapshot(snapshot: StoredSnapshot): void;
  close(): void;
}
