import { performance } from 'node:perf_hooks';

/**
 * A progress bar on standard error for long commands (`simulate`, `drill`):
 *
 * ```ts
 * const bar = progressBar({ label: 'simulating', total: 365, unit: 'days' });
 * for (...) bar.update(day);
 * bar.finish();                       // erases the bar; call before printing results
 * ```
 *
 * It draws only when the stream is a terminal and the work has taken longer than `showAfterMs`
 * (one second): short runs and pipes, files and CI logs see nothing. Redraws are throttled, and
 * `finish()` leaves the line empty. It reads the wall clock only to decide when to draw; nothing
 * it does changes what a command prints on standard output.
 */

/** What the bar writes to: process.stderr, or a test's fake terminal. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Shown before the bar: "simulating", "run 3/10". */
  label: string;
  /** The amount of work; `update` takes how much of it is done. */
  total: number;
  /** Unit of `total` in the counter after the bar ("days", "runs"); without it, only the percentage. */
  unit?: string;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Nothing is drawn before this much wall time has passed (default 1000 ms). */
  showAfterMs?: number;
  /** Least time between two redraws (default 100 ms). */
  redrawEveryMs?: number;
  /** The clock, in ms (default performance.now); tests pass their own. */
  now?: () => number;
}

export interface ProgressBar {
  /** Sets the amount done (clamped to [0, total]). */
  update(done: number): void;
  /** Changes the label (e.g. the run being shown) without changing the amount done. */
  relabel(label: string): void;
  /** Erases the bar if it was drawn. Further updates are ignored. */
  finish(): void;
  /** Whether anything has been drawn so far. */
  readonly drawn: boolean;
}

const ERASE_LINE = '\r\u001b[2K';
const FULL = '█';
const EMPTY = '░';

export function progressBar(options: ProgressOptions): ProgressBar {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY !== true) return { update: () => undefined, relabel: () => undefined, finish: () => undefined, drawn: false };
  return new TerminalProgressBar(stream, options);
}

class TerminalProgressBar implements ProgressBar {
  private readonly now: () => number;
  private readonly startedMs: number;
  private lastDrawMs = -Infinity;
  private done = 0;
  private label: string;
  private finished = false;
  drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.startedMs = this.now();
    this.label = options.label;
  }

  update(done: number): void {
    if (this.finished) return;
    this.done = Math.min(Math.max(0, done), this.options.total);
    this.maybeDraw();
  }

  relabel(label: string): void {
    if (this.finished) return;
    this.label = label;
    this.maybeDraw();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.drawn) this.stream.write(ERASE_LINE);
  }

  private maybeDraw(): void {
    const nowMs = this.now();
    if (nowMs - this.startedMs < (this.options.showAfterMs ?? 1000)) return;
    if (nowMs - this.lastDrawMs < (this.options.redrawEveryMs ?? 100)) return;
    this.lastDrawMs = nowMs;
    this.drawn = true;
    this.stream.write(`${ERASE_LINE}${this.line()}`);
  }

  /** "label [█████░░░░░]  50% 183/365 days", cut to the terminal's width. */
  line(): string {
    const total = this.options.total;
    const share = total > 0 ? this.done / total : 1;
    const percent = `${Math.floor(share * 100)}%`.padStart(4);
    const counter = this.options.unit === undefined ? '' : ` ${Math.floor(this.done)}/${total} ${this.options.unit}`;
    // A pseudo-terminal may report 0 columns: take 80 then.
    const columns = Math.max(20, (this.stream.columns || 80) - 1);
    const fixed = this.label.length + 4 + percent.length + counter.length;
    const barWidth = Math.max(10, Math.min(40, columns - fixed));
    const full = Math.floor(share * barWidth);
    const text = `${this.label} [${FULL.repeat(full)}${EMPTY.repeat(barWidth - full)}] ${percent}${counter}`;
    return text.length > columns ? text.slice(0, columns) : text;
  }
}
