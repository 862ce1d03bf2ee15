import { assert, fail } from '../core/assert.js';
import type { Clock } from '../core/ports.js';

/**
 * Virtual time for the simulator: a heap of pending tasks ordered by (timeMs, seq), a clock that
 * only moves forward, and a dispatcher that runs tasks in that order.
 *
 * `seq` is an insertion counter. It gives a total order to tasks due at the same virtual
 * millisecond (first scheduled, first run), so two runs that schedule the same tasks in the same
 * order run them in the same order, whatever the heap's internal layout.
 *
 * The heap keeps each task's time and sequence number side by side in one typed array, and its
 * item and argument side by side in one plain array, so scheduling allocates no wrapper object
 * per task, and a task can be a shared function with its data as the argument rather than a new
 * closure: at a million VMs the queue holds one entry per live VM (its end of life) and per
 * in-flight report, and every byte per entry, and every object the garbage collector must trace,
 * counts.
 *
 * It is a 4-ary heap: half the levels of a binary one, and the four children of a task are
 * adjacent, their (time, seq) pairs one 64-byte stretch of memory. The sifts cost in cache lines
 * touched more than in comparisons, so the heap holds only the tasks of the current window of
 * time (FAR_WINDOW_MS): a task due later waits, unsorted, in the list of its window, and a
 * window's list goes into the heap when the heap has run dry. At a hundred thousand VMs nearly
 * every entry is a VM's end of life, weeks away; the heap then holds a few thousand tasks, not a
 * hundred thousand. The order is the same: every task in the heap comes before every task in a
 * list, and a list keeps its tasks in the order they were pushed. They are numbered when they
 * move: the heap is empty then and every task pushed later comes after them, so numbers given
 * in list order order them as their first numbers would have, and a list need not keep any.
 */
/** The width of a window of the queue's time, 2^26 ms (about 18.6 hours). */
const FAR_WINDOW_MS = 2 ** 26;

/** The tasks of one later window, in the order they were pushed. */
interface FarList {
  timesMs: number[];
  items: unknown[];
  args: unknown[];
}

export class EventQueue<T> {
  /** [timeMs, seq] per entry. */
  private keys = new Float64Array(2 * 64);
  /** [item, arg] per entry. */
  private entries: unknown[] = new Array<unknown>(2 * 64);
  private capacity = 64;
  private count = 0;
  private nextSeq = 0;
  /** Tasks due at or after this time wait in `far`; the heap holds those due before it. */
  private horizonMs = -Infinity;
  /** Later windows' tasks, by window number, and the window numbers in a binary min-heap. */
  private readonly far = new Map<number, FarList>();
  private readonly farWindows: number[] = [];
  private farCount = 0;
  /** Time and argument of the task `pop` returned last. */
  poppedTimeMs = 0;
  poppedArg: unknown = undefined;

  get size(): number {
    return this.count + this.farCount;
  }

  /** Adds a task, with an optional argument for it. */
  push(timeMs: number, item: T, arg?: unknown): void {
    if (!Number.isFinite(timeMs)) fail(`task time must be finite, got ${timeMs}`);
    if (timeMs >= this.horizonMs) this.pushFar(timeMs, item, arg);
    else this.pushHeap(timeMs, this.nextSeq++, item, arg);
  }

  private pushFar(timeMs: number, item: unknown, arg: unknown): void {
    const window = Math.floor(timeMs / FAR_WINDOW_MS);
    let list = this.far.get(window);
    if (!list) {
      list = { timesMs: [], items: [], args: [] };
      this.far.set(window, list);
      siftUpNumber(this.farWindows, window);
    }
    list.timesMs.push(timeMs);
    list.items.push(item);
    list.args.push(arg);
    this.farCount++;
  }

  /** The heap has run dry: the earliest later window's tasks go into it, and the horizon moves past that window. */
  private refill(): void {
    const window = popNumber(this.farWindows);
    if (window === undefined) return;
    const list = this.far.get(window)!;
    this.far.delete(window);
    this.horizonMs = (window + 1) * FAR_WINDOW_MS;
    this.farCount -= list.timesMs.length;
    for (let i = 0; i < list.timesMs.length; i++) this.pushHeap(list.timesMs[i]!, this.nextSeq++, list.items[i], list.args[i]);
  }

  private pushHeap(timeMs: number, seq: number, item: unknown, arg: unknown): void {
    if (this.count === this.capacity) this.grow();
    const keys = this.keys;
    const entries = this.entries;
    let at = this.count++;
    // Sift up: move parents that come later down until the new task's place is found.
    while (at > 0) {
      const parent = (at - 1) >> 2;
      const parentTimeMs = keys[2 * parent]!;
      if (parentTimeMs < timeMs || (parentTimeMs === timeMs && keys[2 * parent + 1]! < seq)) break;
      keys[2 * at] = parentTimeMs;
      keys[2 * at + 1] = keys[2 * parent + 1]!;
      entries[2 * at] = entries[2 * parent];
      entries[2 * at + 1] = entries[2 * parent + 1];
      at = parent;
    }
    keys[2 * at] = timeMs;
    keys[2 * at + 1] = seq;
    entries[2 * at] = item;
    entries[2 * at + 1] = arg;
  }

  /** The time of the next task, or Infinity when the queue is empty. */
  peekTimeMs(): number {
    if (this.count === 0) this.refill();
    return this.count === 0 ? Infinity : this.keys[0]!;
  }

  /** Takes the next task (earliest time, then lowest seq); undefined when empty. */
  pop(): T | undefined {
    if (this.count === 0) this.refill();
    if (this.count === 0) return undefined;
    const keys = this.keys;
    const entries = this.entries;
    const item = entries[0] as T;
    this.poppedTimeMs = keys[0]!;
    this.poppedArg = entries[1];
    const last = --this.count;
    const lastTimeMs = keys[2 * last]!;
    const lastSeq = keys[2 * last + 1]!;
    const lastItem = entries[2 * last];
    const lastArg = entries[2 * last + 1];
    // Drop the references, so what ran can be collected.
    entries[2 * last] = undefined;
    entries[2 * last + 1] = undefined;
    if (last > 0) {
      // Sift down the former last task from the root: the earliest of the (up to) four
      // children moves up while it comes before that task.
      let at = 0;
      for (;;) {
        const first = 4 * at + 1;
        if (first >= last) break;
        let child = first;
        let childTimeMs = keys[2 * first]!;
        let childSeq = keys[2 * first + 1]!;
        const end = Math.min(first + 4, last);
        for (let c = first + 1; c < end; c++) {
          const t = keys[2 * c]!;
          if (t < childTimeMs || (t === childTimeMs && keys[2 * c + 1]! < childSeq)) {
            child = c;
            childTimeMs = t;
            childSeq = keys[2 * c + 1]!;
          }
        }
        if (lastTimeMs < childTimeMs || (lastTimeMs === childTimeMs && lastSeq < childSeq)) break;
        keys[2 * at] = childTimeMs;
        keys[2 * at + 1] = childSeq;
        entries[2 * at] = entries[2 * child];
        entries[2 * at + 1] = entries[2 * child + 1];
        at = child;
      }
      keys[2 * at] = lastTimeMs;
      keys[2 * at + 1] = lastSeq;
      entries[2 * at] = lastItem;
      entries[2 * at + 1] = lastArg;
    }
    return item;
  }

  /** Half again as large: with a slot per live VM, doubling would leave a third of a big queue unused. */
  private grow(): void {
    this.capacity = Math.ceil(this.capacity * 1.5);
    const keys = new Float64Array(2 * this.capacity);
    keys.set(this.keys);
    this.keys = keys;
    this.entries.length = 2 * this.capacity;
  }
}

/** Adds a number to a binary min-heap of numbers. */
function siftUpNumber(heap: number[], value: number): void {
  let at = heap.length;
  heap.push(value);
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (heap[parent]! <= value) break;
    heap[at] = heap[parent]!;
    at = parent;
  }
  heap[at] = value;
}

/** Takes the least number out of a binary min-heap of numbers. */
function popNumber(heap: number[]): number | undefined {
  if (heap.length === 0) return undefined;
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heap.length) break;
      const child = left + 1 < heap.length && heap[left + 1]! < heap[left]! ? left + 1 : left;
      if (last <= heap[child]!) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = last;
  }
  return top;
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
    if (!(timeMs >= this.currentMs)) fail(`the clock cannot go back in time: now ${this.currentMs} ms, asked for ${timeMs} ms`);
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
    if (!(delayMs >= 0 && Number.isSafeInteger(delayMs))) fail(`a delay must be a whole, non-negative number of ms, got ${delayMs}`);
    this.queue.push(this.clock.nowMs() + delayMs, item, arg);
  }

  /** Schedules a task at an absolute time, which must not be in the past. */
  scheduleAt(timeMs: number, item: T, arg?: unknown): void {
    if (!(timeMs >= this.clock.nowMs())) fail(`cannot schedule at ${timeMs} ms: the clock is at ${this.clock.nowMs()} ms`);
    if (!Number.isSafeInteger(timeMs)) fail(`a task time must be a whole number of ms, got ${timeMs}`);
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
      if (ran > tasksMax) fail(`the queue did not become idle within ${tasksMax} tasks`);
    }
    return ran;
  }
}
