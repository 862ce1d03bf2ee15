/**
 * The event queue and the virtual clock. Tasks run in (timeMs, seq) order: by time, and in
 * insertion order at equal times, whatever order the heap stores them in. The clock never runs
 * backwards: negative delays, runUntil into the past and advanceBy with a negative duration are
 * refused, and tasks scheduled while running are picked up when they fall inside the window.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dispatcher, EventQueue, SimClock } from '../../simulator/queue.js';

describe('EventQueue', () => {
  it('pops by time, then by insertion order at equal times', () => {
    const queue = new EventQueue<string>();
    queue.push(30, 'c');
    queue.push(10, 'a1');
    queue.push(20, 'b');
    queue.push(10, 'a2');
    queue.push(10, 'a3');
    const out: string[] = [];
    while (queue.size > 0) out.push(queue.pop()!);
    expect(out).toEqual(['a1', 'a2', 'a3', 'b', 'c']);
    expect(queue.pop()).toBeUndefined();
    expect(queue.peekTimeMs()).toBe(Infinity);
  });

  it('orders any sequence of pushes and pops exactly as a stable sort would', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(-1)), { maxLength: 300 }), (ops) => {
        const queue = new EventQueue<number>();
        // The model: a list kept sorted by (time, insertion number).
        const model: { timeMs: number; seq: number }[] = [];
        let seq = 0;
        for (const op of ops) {
          if (op >= 0) {
            queue.push(op, seq);
            model.push({ timeMs: op, seq: seq++ });
            model.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
          } else {
            const expected = model.shift();
            expect(queue.pop()).toBe(expected?.seq);
            if (expected) expect(queue.poppedTimeMs).toBe(expected.timeMs);
          }
          expect(queue.size).toBe(model.length);
        }
      }),
    );
  });

  it('orders tasks hours and weeks apart, across the windows it keeps later tasks in, as a stable sort would', () => {
    const HOUR_MS = 3_600_000;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.tuple(fc.integer({ min: 0, max: 24 * 60 }), fc.integer({ min: 0, max: 3 })), fc.constant(undefined)), { maxLength: 400 }), (ops) => {
        const queue = new EventQueue<number>();
        const model: { timeMs: number; seq: number }[] = [];
        let seq = 0;
        for (const op of ops) {
          if (op) {
            // Hours up to two months ahead, with ties at the same millisecond.
            const timeMs = op[0] * HOUR_MS + op[1];
            queue.push(timeMs, seq);
            model.push({ timeMs, seq: seq++ });
            model.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
          } else {
            const expected = model.shift();
            expect(queue.peekTimeMs()).toBe(expected ? expected.timeMs : Infinity);
            expect(queue.pop()).toBe(expected?.seq);
            if (expected) expect(queue.poppedTimeMs).toBe(expected.timeMs);
          }
          expect(queue.size).toBe(model.length);
        }
        while (model.length > 0) expect(queue.pop()).toBe(model.shift()!.seq);
        expect(queue.pop()).toBeUndefined();
      }),
    );
  });

  it('refuses a task at a time that is not a finite number', () => {
    expect(() => new EventQueue<number>().push(Number.NaN, 1)).toThrow(/finite/);
  });
});

describe('SimClock', () => {
  it('moves forward and refuses to go back', () => {
    const clock = new SimClock(100);
    clock.advanceTo(100);
    clock.advanceTo(250);
    expect(clock.nowMs()).toBe(250);
    expect(() => clock.advanceTo(249)).toThrow(/cannot go back in time/);
    expect(clock.nowMs()).toBe(250);
  });
});

describe('Dispatcher', () => {
  function recording() {
    const log: string[] = [];
    const dispatcher: Dispatcher<() => void> = new Dispatcher((task) => task());
    const at = (delayMs: number, label: string, then?: () => void) =>
      dispatcher.schedule(delayMs, () => {
        log.push(`${dispatcher.nowMs()}:${label}`);
        then?.();
      });
    return { log, dispatcher, at };
  }

  it('runs tasks at their times and leaves the clock at the end of the window', () => {
    const { log, dispatcher, at } = recording();
    at(50, 'b');
    at(10, 'a');
    at(200, 'late');
    expect(dispatcher.runUntil(100)).toBe(2);
    expect(log).toEqual(['10:a', '50:b']);
    expect(dispatcher.nowMs()).toBe(100);
    expect(dispatcher.queue.size).toBe(1);
  });

  it('picks up tasks scheduled inside the window, including at the current time', () => {
    const { log, dispatcher, at } = recording();
    at(10, 'first', () => {
      at(0, 'same-ms');
      at(5, 'inside');
      at(500, 'outside');
    });
    dispatcher.advanceBy(100);
    expect(log).toEqual(['10:first', '10:same-ms', '15:inside']);
    dispatcher.advanceUntilIdle();
    expect(log).toEqual(['10:first', '10:same-ms', '15:inside', '510:outside']);
    expect(dispatcher.nowMs()).toBe(510);
  });

  it('refuses negative delays, negative advances and running into the past', () => {
    const { dispatcher } = recording();
    dispatcher.advanceBy(1000);
    expect(() => dispatcher.schedule(-1, () => undefined)).toThrow(/non-negative/);
    expect(() => dispatcher.advanceBy(-5)).toThrow(/non-negative/);
    expect(() => dispatcher.runUntil(999)).toThrow(/in the past/);
    expect(() => dispatcher.scheduleAt(10, () => undefined)).toThrow(/cannot schedule/);
    expect(dispatcher.nowMs()).toBe(1000);
  });

  it('stops a queue that never becomes idle at its bound instead of spinning', () => {
    const dispatcher: Dispatcher<() => void> = new Dispatcher((task) => task());
    const forever = (): void => dispatcher.schedule(1, forever);
    dispatcher.schedule(0, forever);
    expect(() => dispatcher.advanceUntilIdle(1000)).toThrow(/did not become idle within 1000 tasks/);
  });
});
