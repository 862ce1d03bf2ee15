import { randomInt, randomUUID } from 'node:crypto';
import { type DecideContext, decide, effectsOf, evolve, type Rejection } from '../core/decider.js';
import type { Effect } from '../core/effects.js';
import type { Command } from '../core/model/commands.js';
import type { DomainEvent } from '../core/model/events.js';
import { type CloudState, emptyState } from '../core/model/state.js';
import { restoreState } from '../core/model/restore.js';
import { snapshotOf } from '../core/model/snapshot.js';
import { type Caller, type Clock, SYSTEM_CALLER } from '../core/ports.js';
import { SeededRng } from '../core/rng.js';
import { ActivityLog, type ActivitySnapshot } from './activity.js';
import { DEFAULT_SERVE_DRIVERS, type ServeDriverOptions, ServeDrivers } from './drivers.js';
import { API_ERROR, ApiError } from './errors.js';
import { type JobAwait, JobBook, type JobRecord, judge, type ResultRenderer } from './jobs.js';
import type { ActorRef, AppendBatch, EventStore, TimerRecord } from './store/store.js';

/** A batch as step() leaves it: the runtime numbers it when it is written. */
type UnnumberedBatch = Omit<AppendBatch, 'batch'>;

/** A batch waiting for an asynchronous store, with what runs once it is committed. */
interface UnwrittenBatch {
  batch: AppendBatch;
  afterCommit: (() => void) | undefined;
}
import type { Scheduler } from './time.js';
import { renderJobResult } from './views/activity.js';

/**
 * The management server's single writer. Every change of the cloud goes through `submit`: the
 * core decides the command, the events are applied, the jobs it finishes are settled, and the
 * events, job records and new timers are written to the store in one transaction. Only then do
 * the effects go to the drivers, whose reports come back through `submit` like any command.
 *
 * Node runs one thing at a time, and `submit` is synchronous from decide to the store's commit,
 * so commands are serialized by construction; reports a driver answers at once are queued and
 * decided right after the command that caused them, never inside it.
 *
 * With an asynchronous store (MySQL) the command is still decided and applied at once, but its
 * batch is committed later, several batches to a transaction (group commit); its effects go to
 * the drivers, and its timers are scheduled, only after the commit. The app answers a request
 * only when `durable()` resolves, so no client ever sees a change the disk does not hold.
 *
 * A write the store refuses after the state moved on leaves memory ahead of the disk: the
 * runtime then refuses everything (530) until it is restarted, which replays what the disk holds.
 */

export interface RuntimeOptions {
  store: EventStore;
  clock: Clock;
  scheduler: Scheduler;
  drivers?: ServeDriverOptions;
  /** Renders a finished job's result object; by default the API views. */
  renderJobResult?: ResultRenderer;
  /** Seed of the core's random draws (placement under random allocators, driver failures); random when absent. */
  seed?: number;
  /** `false`: every start replays the event log from the first event, ignoring snapshots. */
  restoreSnapshot?: false;
  /**
   * With a synchronous store (SQLite): commit the batches of one turn of the event loop in one
   * transaction, answering and driving effects after it, as with an asynchronous store. Off:
   * each batch is committed within its command (tests use this to see effects at once).
   */
  groupCommit?: boolean;
  /** A snapshot is written after this many batches since the last one (0: never on its own). */
  snapshotEveryBatches?: number;
  log?: (line: string) => void;
}

/** How a command that starts an async job describes the job. */
export interface JobPlan {
  apiName: string;
  cmdClass: string;
  responseObject: string;
  instanceType?: string;
  /** The entity the job is about: known beforehand (start, stop) or found in the events (deploy). */
  instanceId?: string | ((events: readonly DomainEvent[]) => string | undefined);
  /** What finishes the job; absent: it is done when the command is decided. */
  awaiting?: (instanceId: string | undefined) => JobAwait | undefined;
  /** The result when the entity is gone by the end (destroy with expunge). */
  fallbackResult?: JobRecord['result'];
  /** A job id the client chose (`injectedjobid`). */
  jobId?: string;
}

export interface SubmitOptions {
  job?: JobPlan;
  /** The durable timer this command comes from; it is removed in the same transaction. */
  timerId?: string;
}

export type SubmitResult =
  | { ok: true; events: readonly DomainEvent[]; job?: JobRecord }
  | { ok: false; rejection: Rejection; job?: JobRecord };

/**
 * Refusals an async command reports as a failed job rather than as an error of the request:
 * CloudStack checks parameters and permissions before it queues a job, and finds capacity,
 * limits and state problems while the job runs.
 */
const REQUEST_ERRORS: ReadonlySet<number> = new Set([API_ERROR.PARAM_ERROR, API_ERROR.MALFORMED_PARAMETER, API_ERROR.ACCOUNT_ERROR]);

/** Batches between automatic snapshots: a restart replays at most this many after the snapshot. */
export const DEFAULT_SNAPSHOT_EVERY_BATCHES = 20_000;

export const SYSTEM_ACTOR: ActorRef = { userId: 'system', accountId: 'system' };

function actorRef(caller: Caller): ActorRef {
  return { userId: caller.userId, accountId: caller.accountId };
}

export class ServerRuntime {
  readonly state: CloudState;
  readonly jobs: JobBook;
  readonly activity: ActivityLog;
  readonly store: EventStore;
  readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly drivers: ServeDrivers;
  private readonly ctx: DecideContext;
  private readonly log: (line: string) => void;
  private readonly queue: Command[] = [];
  private readonly timers = new Map<string, () => void>();
  /** Counts the events applied: two reads at the same version see the same state. */
  version = 0;
  private readonly observers: ((event: DomainEvent) => void)[] = [];
  private busy = false;
  private closed = false;
  private broken: Error | undefined;
  /** The last batch numbered (written, being written, or replayed). */
  private lastBatch = 0;
  /** The last batch the store has committed. */
  private committedBatch = 0;
  /** The batch the latest snapshot includes. */
  private snapshotBatch = 0;
  private readonly snapshotEveryBatches: number;
  private readonly groupCommit: boolean;
  /** The snapshot being written, if any (idle() waits for it). */
  private snapshotWrite: Promise<void> = Promise.resolve();
  /** Asynchronous stores: batches not yet handed to the store, and whether a write is under way. */
  private unwritten: UnwrittenBatch[] = [];
  private writing = false;
  private readonly durableWaiters: { upto: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  private constructor(options: RuntimeOptions, state: CloudState, activity?: ActivityLog) {
    this.state = state;
    this.store = options.store;
    this.clock = options.clock;
    this.scheduler = options.scheduler;
    this.log = options.log ?? (() => undefined);
    this.snapshotEveryBatches = options.snapshotEveryBatches ?? DEFAULT_SNAPSHOT_EVERY_BATCHES;
    this.groupCommit = options.groupCommit ?? false;
    this.activity = activity ?? new ActivityLog(state.idNamespace);
    this.jobs = new JobBook(options.renderJobResult ?? renderJobResult, this.activity);
    const seed = options.seed ?? randomInt(0, 2 ** 47);
    const rng = new SeededRng(seed);
    this.ctx = { nowMs: options.clock.nowMs(), rng: rng.fork('core'), actor: SYSTEM_CALLER, mode: 'enforce' };
    this.drivers = new ServeDrivers(
      { enqueue: (report) => this.queue.push(report), submitReport: (report) => this.submitQuietly(report) },
      options.scheduler,
      rng.fork('drivers'),
      options.drivers ?? DEFAULT_SERVE_DRIVERS,
    );
  }

  /**
   * Loads the cloud of a store that was bootstrapped (see bootstrap.ts): the latest snapshot when
   * a restore function is given, then the events after it; then resumes what was under way.
   */
  static async load(options: RuntimeOptions): Promise<ServerRuntime> {
    const meta = await options.store.readMeta();
    if (!meta) throw new Error('the store holds no cloud: it was never bootstrapped');
    const snapshot = options.restoreSnapshot === false ? undefined : await options.store.latestSnapshot();
    const restored = snapshot ? restoreSnapshotBody(snapshot.body) : undefined;
    const runtime = restored ? new ServerRuntime(options, restored.state, restored.activity) : new ServerRuntime(options, emptyState(meta.idNamespace));
    runtime.snapshotBatch = snapshot?.uptoBatch ?? 0;
    await runtime.replay(snapshot?.uptoBatch ?? 0);
    runtime.jobs.load(await options.store.jobs());
    await runtime.resume();
    return runtime;
  }

  /**
   * Calls `observer` with every event applied from now on, after it is applied (caches of what
   * the state renders to use it to drop what changed).
   */
  observeEvents(observer: (event: DomainEvent) => void): void {
    this.observers.push(observer);
  }

  /** The time the core sees now. */
  nowMs(): number {
    return this.clock.nowMs();
  }

  /**
   * A context for the core's read-only questions (which hosts would take a VM): the caller and
   * the time, and a generator of its own, so that asking leaves the runtime's draws as they were.
   */
  queryContext(caller: Caller): DecideContext {
    return { nowMs: this.clock.nowMs(), rng: new SeededRng(0), actor: caller, mode: 'enforce' };
  }

  /**
   * Decides a command as `caller`, then the reports it leads to at once. A rejection is returned,
   * not thrown; with a job plan, refusals found "while the job runs" also fail a new job.
   */
  submit(command: Command, caller: Caller, options: SubmitOptions = {}): SubmitResult {
    if (this.broken) throw new ApiError(API_ERROR.INTERNAL_ERROR, 'the management server lost its database and must be restarted');
    if (this.closed) throw new ApiError(API_ERROR.RESOURCE_UNAVAILABLE, 'the management server is shutting down', 4380);
    if (this.busy) throw new Error(`submit(${command.type}) while another command is being decided`);
    this.busy = true;
    try {
      const result = this.step(command, caller, options);
      this.drain();
      return result;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Resolves when every batch decided so far is committed (at once with a synchronous store);
   * rejects when the store refused a write. The app answers a request only after this.
   */
  durable(): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.committedBatch >= this.lastBatch) return Promise.resolve();
    return new Promise((resolve, reject) => this.durableWaiters.push({ upto: this.lastBatch, resolve, reject }));
  }

  /** Resolves when every batch is committed and no snapshot is being written. */
  async idle(): Promise<void> {
    await this.durable();
    await this.snapshotWrite;
  }

  /**
   * Writes a snapshot of the state as of the last batch, once that batch is committed (a
   * snapshot never includes what the log may lose). A restart starts from the latest one.
   */
  async saveSnapshot(): Promise<void> {
    const uptoBatch = this.lastBatch;
    const body = snapshotBody(this.state, this.activity);
    this.snapshotBatch = uptoBatch;
    const write = this.durable().then(() => this.store.saveSnapshot({ uptoBatch, createdMs: this.clock.nowMs(), body }));
    this.snapshotWrite = this.snapshotWrite.then(() => write).catch(() => undefined);
    await write;
  }

  /** Stops timers and drivers' pending answers from reaching the state, then waits for the writes under way; the store stays open. */
  async close(): Promise<void> {
    this.closed = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    await this.idle().catch(() => undefined);
  }

  // ----- the loop -----

  private step(command: Command, caller: Caller, options: SubmitOptions): SubmitResult {
    const nowMs = this.clock.nowMs();
    this.ctx.nowMs = nowMs;
    this.ctx.actor = caller;
    const actor = actorRef(caller);
    const decision = decide(this.state, command, this.ctx);
    if (!decision.ok) {
      let job: JobRecord | undefined;
      if (options.job && !REQUEST_ERRORS.has(decision.rejection.errorCode)) {
        job = this.jobs.fail(this.newJob(options.job, caller, [], nowMs), decision.rejection.errorCode, decision.rejection.message, nowMs);
        this.jobs.add(job);
      }
      this.persist({ atMs: nowMs, command: command.type, actor, events: [], jobs: job ? [job] : [], timersAdded: [], timersRemoved: options.timerId ? [options.timerId] : [] }, undefined);
      return job ? { ok: false, rejection: decision.rejection, job } : { ok: false, rejection: decision.rejection };
    }
    // Serialized before evolve: the log must hold the events exactly as decided.
    const serialized = decision.events.map((event) => JSON.stringify(event));
    const effects: Effect[] = [];
    for (const event of decision.events) {
      this.activity.observe(event, this.state, nowMs, actor);
      evolve(this.state, event);
      this.version++;
      for (const observer of this.observers) observer(event);
      effects.push(...effectsOf(event, this.state));
    }
    let job: JobRecord | undefined;
    if (options.job) {
      job = this.newJob(options.job, caller, decision.events, nowMs);
      this.jobs.add(job);
    }
    const changed = this.jobs.settle(this.state, nowMs);
    const jobWrites = job && !changed.some((j) => j.id === job!.id) ? [job, ...changed] : changed;
    const timersAdded: TimerRecord[] = [];
    for (const effect of effects) {
      if (effect.kind === 'timer') timersAdded.push({ id: randomUUID(), dueMs: nowMs + Math.max(0, effect.delayMs), command: effect.command });
    }
    this.persist({ atMs: nowMs, command: command.type, actor, events: serialized, jobs: jobWrites, timersAdded, timersRemoved: options.timerId ? [options.timerId] : [] }, () => {
      for (const timer of timersAdded) this.schedule(timer);
      for (const effect of effects) if (effect.kind !== 'timer') this.drivers.apply(effect);
    });
    return { ok: true, events: decision.events, ...(job ? { job: this.jobs.get(job.id)! } : {}) };
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const report = this.queue.shift()!;
      this.step(report, SYSTEM_CALLER, {});
    }
  }

  private newJob(plan: JobPlan, caller: Caller, events: readonly DomainEvent[], nowMs: number): JobRecord {
    const instanceId = typeof plan.instanceId === 'function' ? plan.instanceId(events) : plan.instanceId;
    const awaiting = plan.awaiting?.(instanceId);
    return {
      id: plan.jobId ?? randomUUID(),
      apiName: plan.apiName,
      cmdClass: plan.cmdClass,
      accountId: caller.accountId,
      userId: caller.userId,
      domainId: caller.domainId,
      status: 0,
      resultCode: 0,
      createdMs: nowMs,
      responseObject: plan.responseObject,
      ...(plan.instanceType === undefined ? {} : { instanceType: plan.instanceType }),
      ...(instanceId === undefined ? {} : { instanceId }),
      ...(awaiting === undefined ? {} : { awaiting }),
      ...(plan.fallbackResult === undefined ? {} : { fallbackResult: plan.fallbackResult }),
    };
  }

  /**
   * Writes a batch: at once with a synchronous store (then `afterCommit` runs), or queued for the
   * next group commit of an asynchronous one (and `afterCommit` runs when it is committed).
   */
  private persist(unnumbered: UnnumberedBatch, afterCommit: (() => void) | undefined): void {
    if (unnumbered.events.length === 0 && unnumbered.jobs.length === 0 && unnumbered.timersAdded.length === 0 && unnumbered.timersRemoved.length === 0) {
      afterCommit?.();
      return;
    }
    const batch: AppendBatch = { batch: this.lastBatch + 1, ...unnumbered };
    if (this.store.synchronous && !this.groupCommit) {
      try {
        this.store.append([batch]);
      } catch (error) {
        this.fail(error as Error);
        throw new ApiError(API_ERROR.INTERNAL_ERROR, 'the management server could not write to its database');
      }
      this.lastBatch = batch.batch;
      this.committedBatch = batch.batch;
      afterCommit?.();
      this.maybeSnapshot();
      return;
    }
    this.lastBatch = batch.batch;
    this.unwritten.push({ batch, afterCommit });
    this.writeUnwritten();
  }

  /**
   * Hands every queued batch to the store in one write, one write at a time: at once for an
   * asynchronous store (batches decided while it writes wait for the next write), at the end of
   * this turn of the event loop for a synchronous one in group-commit mode.
   */
  private writeUnwritten(): void {
    if (this.writing || this.broken || this.unwritten.length === 0) return;
    const store = this.store;
    this.writing = true;
    if (store.synchronous) {
      setImmediate(() => {
        const group = this.unwritten;
        this.unwritten = [];
        try {
          store.append(group.map((u) => u.batch));
        } catch (error) {
          this.writing = false;
          this.fail(error as Error);
          return;
        }
        this.committed(group);
      });
      return;
    }
    const group = this.unwritten;
    this.unwritten = [];
    store.append(group.map((u) => u.batch)).then(
      () => this.committed(group),
      (error: unknown) => {
        this.writing = false;
        this.fail(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /** After a group is committed: its effects and timers, the reports they bring, the waiting answers, the next group. */
  private committed(group: readonly UnwrittenBatch[]): void {
    this.writing = false;
    this.committedBatch = group[group.length - 1]!.batch.batch;
    // What the commands asked the drivers and timers to do happens only now, still one thing
    // at a time; reports answered at once are decided before the waiting requests are
    // answered, as they are with a synchronous store.
    this.busy = true;
    try {
      for (const unwritten of group) unwritten.afterCommit?.();
      this.drain();
    } catch (error) {
      this.log(`cloudplane serve: after a commit: ${(error as Error).message}`);
    } finally {
      this.busy = false;
    }
    this.settleWaiters();
    this.maybeSnapshot();
    this.writeUnwritten();
  }

  private settleWaiters(): void {
    for (let i = this.durableWaiters.length - 1; i >= 0; i--) {
      const waiter = this.durableWaiters[i]!;
      if (waiter.upto <= this.committedBatch) {
        this.durableWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  private fail(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    this.log(`cloudplane serve: the store refused a write (${error.message}); refusing every command until restarted`);
    for (const waiter of this.durableWaiters.splice(0)) waiter.reject(error);
  }

  /** A snapshot every snapshotEveryBatches batches, written in the background. */
  private maybeSnapshot(): void {
    if (this.snapshotEveryBatches <= 0 || this.closed || this.lastBatch - this.snapshotBatch < this.snapshotEveryBatches) return;
    this.saveSnapshot().catch((error: unknown) => this.log(`cloudplane serve: a snapshot could not be written: ${(error as Error).message}`));
  }

  /** A report or timer arriving on its own: decided now; a failure is logged, never thrown into a timer. */
  private submitQuietly(command: Command, options: SubmitOptions = {}): void {
    if (this.closed) return;
    try {
      this.submit(command, SYSTEM_CALLER, options);
    } catch (error) {
      this.log(`cloudplane serve: ${command.type} could not be decided: ${(error as Error).message}`);
    }
  }

  private schedule(timer: TimerRecord): void {
    if (this.closed) return;
    const cancel = this.scheduler.after(Math.max(0, timer.dueMs - this.clock.nowMs()), () => {
      this.timers.delete(timer.id);
      this.submitQuietly(timer.command, { timerId: timer.id });
    });
    this.timers.set(timer.id, cancel);
  }

  // ----- start -----

  private async replay(afterBatch: number): Promise<void> {
    this.lastBatch = afterBatch;
    for await (const batch of this.store.batches(afterBatch)) {
      for (const event of batch.events) {
        this.activity.observe(event, this.state, batch.atMs, batch.actor);
        evolve(this.state, event);
        this.version++;
      }
      this.lastBatch = batch.batch;
    }
    this.committedBatch = this.lastBatch;
  }

  /**
   * After a restart: timers are scheduled again, VMs caught starting or stopping are driven
   * again (the simulated agents answer as they would have), and every unfinished job is judged.
   * A job whose VM is still on its way stays pending; one whose command can no longer finish
   * fails with the reason.
   */
  private async resume(): Promise<void> {
    const nowMs = this.clock.nowMs();
    for (const timer of await this.store.timers()) this.schedule(timer);
    this.busy = true;
    try {
      for (const vm of this.state.vms.values()) {
        if (vm.state === 'Starting' && vm.hostId !== undefined) this.drivers.apply({ kind: 'vm.start', vmId: vm.id, hostId: vm.hostId });
        if (vm.state === 'Stopping' && vm.hostId !== undefined) this.drivers.apply({ kind: 'vm.stop', vmId: vm.id, hostId: vm.hostId, forced: false });
      }
      const changed = this.jobs.settle(this.state, nowMs);
      for (const job of this.jobs.pendingJobs()) {
        const verdict = job.awaiting ? judge(this.state, job.awaiting) : undefined;
        if (verdict && !verdict.done && verdict.transitional) continue;
        changed.push(this.jobs.fail(job, API_ERROR.INTERNAL_ERROR, 'the management server restarted while the job ran, and the job cannot finish; run the command again', nowMs));
      }
      if (changed.length > 0) this.persist({ atMs: nowMs, command: 'resumeJobs', actor: SYSTEM_ACTOR, events: [], jobs: changed, timersAdded: [], timersRemoved: [] }, undefined);
      this.drain();
    } finally {
      this.busy = false;
    }
    await this.durable();
  }
}

/**
 * What a snapshot holds: the core's state (snapshotOf) and what the server derived from the
 * events before it (the activity log: CloudStack events and creation dates), which replaying only
 * the later events could not rebuild.
 */
interface SnapshotBody {
  version: 1;
  state: Record<string, unknown>;
  activity: ActivitySnapshot;
}

function snapshotBody(state: CloudState, activity: ActivityLog): string {
  const body: SnapshotBody = { version: 1, state: snapshotOf(state), activity: activity.toSnapshot() };
  return JSON.stringify(body);
}

function restoreSnapshotBody(text: string): { state: CloudState; activity: ActivityLog } {
  const body = JSON.parse(text) as SnapshotBody;
  if (body.version !== 1) throw new Error(`the latest snapshot has format ${String(body.version)}; this cloudplane reads format 1`);
  const state = restoreState(body.state);
  return { state, activity: ActivityLog.fromSnapshot(state.idNamespace, body.activity) };
}
