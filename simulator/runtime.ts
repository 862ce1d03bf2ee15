import { type DecideContext, type Rejection, step } from '../core/decider.js';
import type { Effect } from '../core/effects.js';
import type { Command } from '../core/model/commands.js';
import type { DomainEvent } from '../core/model/events.js';
import type { CloudState } from '../core/model/state.js';
import { SYSTEM_CALLER } from '../core/ports.js';
import { SeededRng } from '../core/rng.js';
import { type DriverOptions, SimDrivers } from './drivers.js';
import { InvariantChecker, type InvariantOptions } from './invariants.js';
import { Dispatcher } from './queue.js';
import { API, type Source } from './sources.js';

/**
 * The single-writer loop of a simulated cloud. Every change goes through `submit`: the command is
 * decided and evolved by the core's `step` at the virtual time of the clock, the invariants are
 * checked, and the effects are handed to the simulated drivers, which schedule their reports
 * back into the queue as commands. Nothing else mutates the state.
 *
 * While the management server is down the core refuses every command but the management
 * server's own up and down reports. The runtime then holds reports (agents, monitors, timers)
 * and replays them in their original order as soon as the management server is back; API
 * requests are refused and counted, as a user would see them fail.
 */

/**
 * A unit of work in the queue: a report to deliver, a workload's next arrival, a sample. A task
 * is usually a function made once and given its data as the argument, so scheduling does not
 * allocate a closure per event.
 */
export type Task = (arg: never) => void;
type AnyTask = (arg: unknown) => void;

/** What `submit` returns: the core's own result, untouched. */
export type StepResult = ReturnType<typeof step>;

/** Watches the loop without taking part in it: metrics samplers, forecasters, tracers. */
export interface RuntimeObserver {
  /** After a command was decided, accepted or refused. */
  command?(command: Command, result: StepResult, source: Source, atMs: number): void;
  /** After each domain event was applied. */
  event?(event: DomainEvent, atMs: number): void;
}

export interface CommandCounts {
  accepted: number;
  rejected: number;
}

export interface RuntimeCounters {
  /** Commands accepted by the core (each is one "event" for the invariant checkers). */
  steps: number;
  /** Domain events applied. */
  domainEvents: number;
  /** Per command type. */
  commands: Record<string, CommandCounts>;
  /** Refusals by finding code, whatever the source. */
  rejectionsByCode: Record<string, number>;
  /** API requests refused because the management server was down. */
  refusedWhileManagementDown: number;
  /** Reports held while the management server was down, and replayed after. */
  heldReports: number;
  replayedReports: number;
}

export interface RuntimeOptions {
  seed: number;
  startMs?: number;
  /** Keep every domain event, deep-copied as it is applied, in `eventLog`. Off for long runs. */
  recordEvents?: boolean;
  /** Invariant checking (see invariants.ts); false turns it off. */
  invariants?: Partial<InvariantOptions> | false;
  drivers?: DriverOptions;
}

export interface LoggedEvent {
  atMs: number;
  event: DomainEvent;
}

/**
 * A random stream for one purpose ("core", "drivers", "workload:0:steadyArrivals"), derived from
 * the seed and the label only. Streams do not depend on the order they are created in, so adding
 * a fault to a scenario does not change the arrivals its workloads draw.
 */
export function rngFor(seed: number, label: string): SeededRng {
  const text = `${seed}/${label}`;
  let low = 0x811c9dc5;
  let high = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    low = Math.imul(low ^ c, 0x01000193) >>> 0;
    high = Math.imul(high ^ c, 0x5bd1e995) >>> 0;
  }
  // 21 high bits and 32 low bits: a safe integer, both halves mixed by SeededRng.
  return new SeededRng((high & 0x1fffff) * 0x100000000 + low);
}

const MANAGEMENT_REPORTS: ReadonlySet<string> = new Set(['managementServerUp', 'managementServerDown']);

const MANAGEMENT_DOWN_MESSAGE = 'the management server is down; running VMs go on, but nothing can be changed until it returns';

export class SimRuntime {
  readonly state: CloudState;
  readonly seed: number;
  readonly dispatcher: Dispatcher<AnyTask>;
  readonly ctx: DecideContext;
  readonly drivers: SimDrivers;
  readonly checker: InvariantChecker | undefined;
  readonly counters: RuntimeCounters = {
    steps: 0,
    domainEvents: 0,
    commands: {},
    rejectionsByCode: {},
    refusedWhileManagementDown: 0,
    heldReports: 0,
    replayedReports: 0,
  };
  readonly eventLog: LoggedEvent[] | undefined;
  private readonly observers: RuntimeObserver[] = [];
  /** Held reports, oldest first; `heldFrom` is the next one to replay. */
  private held: { command: Command; source: Source }[] = [];
  private heldFrom = 0;
  private replaying = false;
  /** One delivering function per source, made once. */
  private readonly deliverers = new Map<Source, AnyTask>();

  constructor(state: CloudState, options: RuntimeOptions) {
    this.state = state;
    this.seed = options.seed;
    this.dispatcher = new Dispatcher<AnyTask>((task, arg) => task(arg), options.startMs ?? 0);
    this.ctx = { nowMs: this.dispatcher.nowMs(), rng: rngFor(options.seed, 'core'), actor: SYSTEM_CALLER, mode: 'enforce' };
    this.eventLog = options.recordEvents ? [] : undefined;
    this.checker = options.invariants === false ? undefined : new InvariantChecker(state, options.seed, options.invariants ?? {});
    this.drivers = new SimDrivers(this, rngFor(options.seed, 'drivers'), options.drivers);
  }

  get nowMs(): number {
    return this.dispatcher.nowMs();
  }

  /** Reports waiting for the management server. */
  get heldCount(): number {
    return this.held.length - this.heldFrom;
  }

  observe(observer: RuntimeObserver): void {
    this.observers.push(observer);
  }

  /**
   * Decides a command now. API requests are refused while the management server is down (the
   * core refuses its lifecycle commands itself; the runtime refuses the rest, such as
   * createAccount, which the core does not gate). Held sources wait for its return instead.
   */
  submit(command: Command, source: Source = API): StepResult {
    this.ctx.nowMs = this.dispatcher.nowMs();
    const result: StepResult = !this.state.managementUp && !source.held && !MANAGEMENT_REPORTS.has(command.type) ? managementDown() : step(this.state, command, this.ctx);
    const counts = (this.counters.commands[command.type] ??= { accepted: 0, rejected: 0 });
    if (result.ok) {
      counts.accepted++;
      this.applied(result.step.events, result.step.effects);
    } else {
      counts.rejected++;
      const code = result.rejection.code;
      this.counters.rejectionsByCode[code] = (this.counters.rejectionsByCode[code] ?? 0) + 1;
      if (code === 'RESOURCE_UNAVAILABLE' && !this.state.managementUp) {
        if (source.held) {
          this.held.push({ command, source });
          this.counters.heldReports++;
        } else {
          this.counters.refusedWhileManagementDown++;
        }
      }
    }
    for (const observer of this.observers) observer.command?.(command, result, source, this.ctx.nowMs);
    if (this.state.managementUp && this.heldCount > 0 && !this.replaying) this.replayHeld();
    return result;
  }

  /** Delivers a command `delayMs` from now. */
  send(delayMs: number, command: Command, source: Source): void {
    let deliver = this.deliverers.get(source);
    if (!deliver) {
      deliver = (arg: unknown): void => {
        this.submit(arg as Command, source);
      };
      this.deliverers.set(source, deliver);
    }
    this.dispatcher.schedule(delayMs, deliver, command);
  }

  /** Runs a task `delayMs` from now, with its argument. */
  later(delayMs: number, task: () => void): void;
  later<A>(delayMs: number, task: (arg: A) => void, arg: A): void;
  later(delayMs: number, task: (arg: never) => void, arg?: unknown): void {
    this.dispatcher.schedule(delayMs, task as AnyTask, arg);
  }

  runUntil(timeMs: number): number {
    return this.dispatcher.runUntil(timeMs);
  }

  advanceBy(ms: number): number {
    return this.dispatcher.advanceBy(ms);
  }

  advanceUntilIdle(tasksMax?: number): number {
    return this.dispatcher.advanceUntilIdle(tasksMax);
  }

  private applied(events: readonly DomainEvent[], effects: readonly Effect[]): void {
    const atMs = this.ctx.nowMs;
    this.counters.steps++;
    this.counters.domainEvents += events.length;
    for (const event of events) {
      // evolve keeps references into event payloads (a vmCreated's vm becomes the state's
      // record), so a log kept in memory must copy each event before later events change it.
      this.eventLog?.push({ atMs, event: structuredClone(event) });
      this.checker?.observe(event);
      for (const observer of this.observers) observer.event?.(event, atMs);
    }
    this.checker?.afterStep(this.counters.steps, atMs);
    for (const effect of effects) this.drivers.apply(effect);
  }

  /** Agents reconnect: what they reported during the outage is decided now, in order. */
  private replayHeld(): void {
    this.replaying = true;
    try {
      while (this.state.managementUp && this.heldFrom < this.held.length) {
        const { command, source } = this.held[this.heldFrom++]!;
        this.counters.replayedReports++;
        this.submit(command, source);
      }
      if (this.heldFrom === this.held.length) {
        this.held = [];
        this.heldFrom = 0;
      }
    } finally {
      this.replaying = false;
    }
  }
}

function managementDown(): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { code: 'RESOURCE_UNAVAILABLE', errorCode: 534, message: MANAGEMENT_DOWN_MESSAGE, findings: [] } };
}
