/**
 * The progress bar: silent on anything but a terminal, silent for the first second, throttled,
 * cut to the terminal's width, and erased when the work is done.
 */
import { describe, expect, it } from 'vitest';
import { progressBar, type ProgressStream } from '../../cli/progress.js';

function terminal(columns = 80): ProgressStream & { written: string[] } {
  const written: string[] = [];
  return { isTTY: true, columns, written, write: (text: string) => written.push(text) };
}

function clock(): { now: () => number; advance: (ms: number) => void } {
  let ms = 0;
  return { now: () => ms, advance: (by) => (ms += by) };
}

const ERASE = '\r\u001b[2K';

describe('progressBar', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const written: string[] = [];
    const bar = progressBar({ label: 'simulating', total: 10, stream: { isTTY: false, write: (t: string) => written.push(t) }, showAfterMs: 0 });
    bar.update(5);
    bar.finish();
    expect(written).toEqual([]);
    expect(bar.drawn).toBe(false);
  });

  it('waits a second before drawing, then draws the label, the bar, the share and the counter', () => {
    const stream = terminal();
    const time = clock();
    const bar = progressBar({ label: 'simulating', total: 365, unit: 'days', stream, now: time.now });
    time.advance(999);
    bar.update(100);
    expect(stream.written).toEqual([]);
    time.advance(1);
    bar.update(182.5);
    expect(stream.written).toEqual([`${ERASE}simulating [████████████████████░░░░░░░░░░░░░░░░░░░░]  50% 182/365 days`]);
  });

  it('redraws at most every 100 ms, and erases its line when finished', () => {
    const stream = terminal();
    const time = clock();
    const bar = progressBar({ label: 'runs', total: 4, unit: 'runs', stream, now: time.now, showAfterMs: 0 });
    bar.update(1);
    time.advance(50);
    bar.update(2);
    time.advance(50);
    bar.update(3);
    expect(stream.written).toHaveLength(2);
    expect(stream.written[1]).toContain(' 75% 3/4 runs');
    bar.finish();
    bar.update(4);
    expect(stream.written).toHaveLength(3);
    expect(stream.written[2]).toBe(ERASE);
  });

  it('leaves nothing to erase when it never drew', () => {
    const stream = terminal();
    const time = clock();
    const bar = progressBar({ label: 'quick', total: 1, stream, now: time.now });
    bar.update(1);
    bar.finish();
    expect(stream.written).toEqual([]);
  });

  it('fits a narrow terminal and takes a new label', () => {
    const stream = terminal(30);
    const time = clock();
    const bar = progressBar({ label: 'a long label for a narrow terminal', total: 10, stream, now: time.now, showAfterMs: 0, redrawEveryMs: 0 });
    bar.update(3);
    expect(stream.written[0]!.length - ERASE.length).toBe(29);
    bar.relabel('run 2');
    expect(stream.written[1]).toBe(`${ERASE}run 2 [████░░░░░░░░░░░░]  30%`);
  });
});
