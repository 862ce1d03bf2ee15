import type { Clock } from '../core/ports.js';

/**
 * Time for the server: a clock and a scheduler. The served cloud runs on the wall clock with real
 * timers; tests use ManualTime, whose clock moves only when told, so every date and every
 * driver report happens at a moment the test chose.
 */

export interface Scheduler {
  /** Runs `task` after `delayMs`; returns a function that cancels it. */
  after(delayMs: number, task: () => void): () => void;
}

/** setTimeout takes at most 2^31 - 1 ms; longer delays are chained. */
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

export class SystemTime implements Clock, Scheduler {
  private readonly handles = new Set<NodeJS.Timeout>();

  nowMs(): number {
    return Date.now();
  }

  after(delayMs: number, task: () => void): () => void {
    let handle: NodeJS.Timeout;
    let cancelled = false;
    const arm = (remainingMs: number): void => {
      const stepMs = Math.min(Math.max(0, remainingMs), LONGEST_TIMEOUT_MS);
      handle = setTimeout(() => {
        this.handles.delete(handle);
        if (cancelled) return;
        if (remainingMs > LONGEST_TIMEOUT_MS) arm(remainingMs - LONGEST_TIMEOUT_MS);
        else task();
      }, stepMs);
      // Pending timers (an expunge a day away) must not keep a stopping process alive.
      handle.unref();
      this.handles.add(handle);
    };
    arm(delayMs);
    return () => {
      cancelled = true;
      clearTimeout(handle);
      this.handles.delete(handle);
    };
  }

  /** Cancels every pending timer. */
  close(): void {
    for (const handle of this.handles) clearTimeout(handle);
    this.handles.clear();
  }
}

interface ManualTask {
  atMs: number;
  seq: number;
  task: () => void;
  cancelled: boolean;
}

/** A clock and scheduler that move only with `advanceBy`: tasks run in (time, order) sequence. */
export class ManualTime implements Clock, Scheduler {
  private now: number;
  private seq = 0;
  private tasks: ManualTask[] = [];

  constructor(startMs: number) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  after(delayMs: number, task: () => void): () => void {
    const entry: ManualTask = { atMs: this.now + Math.max(0, delayMs), seq: this.seq++, task, cancelled: false };
    this.tasks.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  /** Moves the clock forward, running every task that comes due, in order, at its own time. */
  advanceBy(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      this.tasks = this.tasks.filter((t) => !t.cancelled);
      this.tasks.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      const next = this.tasks[0];
      if (!next || next.atMs > until) break;
      this.tasks.shift();
      this.now = Math.max(this.now, next.atMs);
      next.task();
    }
    this.now = until;
  }

  /** Tasks waiting, for tests that check nothing was left behind. */
  get pendingCount(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }
}
