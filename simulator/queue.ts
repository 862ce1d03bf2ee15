import { assert } from '../core/assert.js';
import type { Clock } from '../core/ports.js';

/**
 * Virtual time for the simulator: a binary heap of pending tasks ordered by (timeMs, seq), a
 * clock that only moves forward, and a dispatcher that runs tasks in that order.
 *
 * `seq` is an insertion counter. It gives a total order to tasks due at the same virtual
 * millisecond (first scheduled, first run), so two runs that schedule the same tasks in the same
 * order run them in the same order, whatever the heap's internal layout.
 *
 * The heap keeps times and sequence numbers in typed arrays beside plain arrays of items and
 * their arguments, so scheduling allocates no wrapper object per task, and a task can be a
 * shared function with its data as the argument rather than a new closure: at a million VMs
 * the queue holds one entry per live VM (its end of life) and per in-flight report, and every
 * byte per entry, and every object the garbage collector must trace, counts.
 */
export class EventQueue<T> {
  private timesMs = new Float64Array(64);
  private seqs = new Float64Array(64);
  private items: (T | undefined)[] = new Array<T | undefined>(64);
  private args: unknown[] = new Array<unknown>(64);
  private count = 0;
  private nextSeq = 0;
  /** Time, sequence number and argument of the task `pop` returned last. */
  poppedTimeMs = 0;
  poppedSeq = -1;
  poppedArg: unknown = undefined;

  get size(): number {
    return this.count;
  }

  /** Adds a task (with an optional argument for it); returns its sequence number. */
  push(timeMs: number, item: T, arg?: unknown): number {
    assert(Number.isFinite(timeMs), `task time must be finite, got ${timeMs}`);
    if (this.count === this.timesMs.length) this.grow();
    const seq = this.nextSeq++;
    let at = this.count++;
    // Sift up: move parents that come later down until the new task's place is found.
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentTimeMs = this.timesMs[parent]!;
      if (parentTimeMs < timeMs || (parentTimeMs === timeMs && this.seqs[parent]! < seq)) break;
      this.move(parent, at);
      at = parent;
    }
    this.timesMs[at] = timeMs;
    this.seqs[at] = seq;
    this.items[at] = item;
    this.args[at] = arg;
    return seq;
  }

  /** The time of the next task, or Infinity when the queue is empty. */
  peekTimeMs(): number {
    return this.count === 0 ? Infinity : this.timesMs[0]!;
  }

  /** Takes the next task (earliest time, then lowest seq); undefined when empty. */
  pop(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[0];
    this.poppedTimeMs = this.timesMs[0]!;
    this.poppedSeq = this.seqs[0]!;
    this.poppedArg = this.args[0];
    const last = --this.count;
    const lastTimeMs = this.timesMs[last]!;
    const lastSeq = this.seqs[last]!;
    const lastItem = this.items[last];
    const lastArg = this.args[last];
    // Drop the references, so what ran can be collected.
    this.items[last] = undefined;
    this.args[last] = undefined;
    if (last > 0) {
      // Sift down the former last task from the root.
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        if (left >= last) break;
        const right = left + 1;
        let child = left;
        if (right < last && this.before(right, left)) child = right;
        const childTimeMs = this.timesMs[child]!;
        if (lastTimeMs < childTimeMs || (lastTimeMs === childTimeMs && lastSeq < this.seqs[child]!)) break;
        this.move(child, at);
        at = child;
      }
      this.timesMs[at] = lastTimeMs;
      this.seqs[at] = lastSeq;
      this.items[at] = lastItem;
      this.args[at] = lastArg;
    }
    return item;
  }

  private before(a: number, b: number): boolean {
    const ta = this.timesMs[a]!;
    const tb = this.timesMs[b]!;
    return ta < tb || (ta === tb && this.seqs[a]! < this.seqs[b]!);
  }

  private move(from: number, to: number): void {
    this.timesMs[to] = this.timesMs[from]!;
    this.seqs[to] = this.seqs[from]!;
    this.items[to] = this.items[from];
    this.args[to] = this.args[from];
  }

  /** Half again as large: with a slot per live VM, doubling would leave a third of a big queue unused. */
  private grow(): void {
    const size = Math.ceil(this.timesMs.length * 1.5);
    const timesMs = new Float64Array(size);
    timesMs.set(this.timesMs);
    const seqs = new Float64Array(size);
    seqs.set(this.seqs);
    this.timesMs = timesMs;
    this.seqs = seqs;
    this.items.length = size;
    this.args.length = size;
  }
}

/**
 * A clock that never runs backwards. Time only moves when the dispatcher reaches a task or is
 * told to advance; nothing else in the simulator reads a wall clock.
 */
export class SimClock implements Clock {
  private currentMs: number;

  constructor(startMs = 0) {
    assert(Number.isFinite(startMs), `clock start must be finite, got ${startMs}`);
    this.currentMs = startMs;
  }

  nowMs(): number {
    return this.currentMs;
  }

  /** Moves the clock to `timeMs`; moving backwards is a bug. */
  advanceTo(timeMs: number): void {
    assert(timeMs >= this.currentMs, `the clock cannot go back in time: now ${this.currentMs} ms, asked for ${timeMs} ms`);
    this.currentMs = timeMs;
  }
}

/**
 * Runs tasks from an EventQueue against a SimClock: the clock jumps to each task's time before
 * the task runs. `run` is called once per task, with the task's argument, in (timeMs, seq) order.
 */
export class Dispatcher<T> {
  readonly clock: SimClock;
  readonly queue = new EventQueue<T>();
  /** Tasks run since the start. */
  tasksRun = 0;

  constructor(
    private readonly run: (item: T, arg: unknown) => void,
    startMs = 0,
  ) {
    this.clock = new SimClock(startMs);
  }

  nowMs(): number {
    return this.clock.nowMs();
  }

  /**
   * Schedules a task `delayMs` from now; a negative delay would be time travel. Virtual time is
   * whole milliseconds, so times print, compare and serialize exactly.
   */
  schedule(delayMs: number, item: T, arg?: unknown): void {
    assert(delayMs >= 0 && Number.isSafeInteger(delayMs), `a delay must be a whole, non-negative number of ms, got ${delayMs}`);
    this.queue.push(this.clock.nowMs() + delayMs, item, arg);
  }

  /** Schedules a task at an absolute time, which must not be in the past. */
  scheduleAt(timeMs: number, item: T, arg?: unknown): void {
    assert(timeMs >= this.clock.nowMs(), `cannot schedule at ${timeMs} ms: the clock is at ${this.clock.nowMs()} ms`);
    assert(Number.isSafeInteger(timeMs), `a task time must be a whole number of ms, got ${timeMs}`);
    this.queue.push(timeMs, item, arg);
  }

  /** Runs the next task, if any, moving the clock to its time. Returns false when idle. */
  step(): boolean {
    if (this.queue.size === 0) return false;
    const item = this.queue.pop() as T;
    const arg = this.queue.poppedArg;
    this.queue.poppedArg = undefined;
    this.clock.advanceTo(this.queue.poppedTimeMs);
    this.tasksRun++;
    this.run(item, arg);
    return true;
  }

  /**
   * Runs every task due at or before `timeMs` (including tasks they schedule within that
   * window), then leaves the clock at `timeMs`. Returns the number of tasks run.
   */
  runUntil(timeMs: number): number {
    assert(timeMs >= this.clock.nowMs(), `runUntil(${timeMs}) is in the past: the clock is at ${this.clock.nowMs()} ms`);
    let ran = 0;
    while (this.queue.size > 0 && this.queue.peekTimeMs() <= timeMs) {
      this.step();
      ran++;
    }
    this.clock.advanceTo(timeMs);
    return ran;
  }

  /** Advances the clock by `ms`, running what comes due; refuses negative durations. */
  advanceBy(ms: number): number {
    assert(ms >= 0 && Number.isFinite(ms), `advanceBy takes a finite, non-negative duration, got ${ms} ms`);
    return this.runUntil(this.clock.nowMs() + ms);
  }

  /**
   * Runs tasks until the queue is empty. A simulation whose tasks keep scheduling tasks never
   * becomes idle, so the loop is bounded: past `tasksMax` it stops with an error rather than
   * spinning forever.
   */
  advanceUntilIdle(tasksMax = 10_000_000): number {
    let ran = 0;
    while (this.step()) {
      ran++;
      assert(ran <= tasksMax, `the queue did not become idle within ${tasksMax} tasks`);
    }
    return ran;
  }
}
