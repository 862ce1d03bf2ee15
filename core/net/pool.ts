import { assert } from '../assert.js';
import type { Rng } from '../ports.js';
import { FreeBitset } from './bitset.js';

/** An inclusive range of integers: IPv4 addresses as uint32, VLAN ids, VNIs. */
export interface Interval {
  first: number;
  last: number;
}

export function intervalSize(interval: Interval): number {
  return interval.last - interval.first + 1;
}

export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function intervalContains(outer: Interval, inner: Interval): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

/** Sorts and merges touching or overlapping intervals into a canonical disjoint list. */
export function normalizeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.first - b.first || a.last - b.last);
  const out: Interval[] = [];
  for (const interval of sorted) {
    const last = out[out.length - 1];
    if (last && interval.first <= last.last + 1) {
      last.last = Math.max(last.last, interval.last);
    } else {
      out.push({ ...interval });
    }
  }
  return out;
}

/** Total count of integers covered by a list of intervals (overlaps counted once). */
export function coveredCount(intervals: readonly Interval[]): number {
  return normalizeIntervals(intervals).reduce((sum, interval) => sum + intervalSize(interval), 0);
}

/** The first pair of overlapping intervals in a list, as sorted indexes, or undefined. */
export function findOverlap(intervals: readonly Interval[]): [number, number] | undefined {
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a]!.first - intervals[b]!.first || a - b);
  // Sorted by start, an interval overlaps an earlier one exactly when it starts before the
  // furthest end seen so far.
  let reach = -1;
  for (const k of order) {
    if (reach >= 0 && intervals[k]!.first <= intervals[reach]!.last) {
      return [Math.min(reach, k), Math.max(reach, k)];
    }
    if (reach < 0 || intervals[k]!.last > intervals[reach]!.last) reach = k;
  }
  return undefined;
}

interface Segment extends Interval {
  bits: FreeBitset;
}

/**
 * Allocation over a set of disjoint intervals: IPs of one or more ranges, VLAN ids, VNIs.
 * - `blocked` values (network, broadcast, gateway, reserved) are never handed out and never freed.
 * - Lowest-free is the default policy (deterministic); `allocateRandom` draws from a seeded Rng.
 * - `allocate`/`release` are the paired, idempotent reserve/unreserve: releasing something
 *   that is not allocated is harmless and reports false.
 */
export class IdPool {
  private segments: Segment[];
  private readonly blocked = new Set<number>();
  private allocated = 0;

  constructor(intervals: readonly Interval[], blocked: Iterable<number> = []) {
    const sorted = [...intervals].sort((a, b) => a.first - b.first);
    for (let i = 1; i < sorted.length; i++) {
      assert(sorted[i - 1]!.last < sorted[i]!.first, 'pool intervals must be disjoint');
    }
    this.segments = sorted.map((interval) => {
      assert(interval.first <= interval.last, `interval ${interval.first}..${interval.last} is reversed`);
      return { first: interval.first, last: interval.last, bits: new FreeBitset(intervalSize(interval), true) };
    });
    for (const value of blocked) this.block(value);
  }

  /**
   * Adds an interval to the pool (a new IP range, more VNETs). Overlap with what the pool
   * already covers is dropped, so a design error (two overlapping ranges) never hands out a
   * value twice. `blocked` values inside it are never handed out.
   */
  addInterval(interval: Interval, blocked: Iterable<number> = []): void {
    let pieces: Interval[] = [{ ...interval }];
    for (const segment of this.segments) {
      pieces = pieces.flatMap((p) => {
        if (!intervalsOverlap(p, segment)) return [p];
        const out: Interval[] = [];
        if (p.first < segment.first) out.push({ first: p.first, last: segment.first - 1 });
        if (p.last > segment.last) out.push({ first: segment.last + 1, last: p.last });
        return out;
      });
    }
    for (const piece of pieces) {
      if (piece.first > piece.last) continue;
      const segment = { first: piece.first, last: piece.last, bits: new FreeBitset(intervalSize(piece), true) };
      let at = this.segments.findIndex((s) => s.first > piece.first);
      if (at < 0) at = this.segments.length;
      this.segments.splice(at, 0, segment);
    }
    for (const value of blocked) if (value >= interval.first && value <= interval.last) this.block(value);
  }

  /** Total values that can ever be handed out. */
  get capacity(): number {
    return this.segments.reduce((sum, s) => sum + s.bits.size, 0) - this.blocked.size;
  }

  get allocatedCount(): number {
    return this.allocated;
  }

  get freeCount(): number {
    return this.capacity - this.allocated;
  }

  get intervals(): Interval[] {
    return this.segments.map(({ first, last }) => ({ first, last }));
  }

  contains(value: number): boolean {
    return this.segmentOf(value) !== undefined;
  }

  isBlocked(value: number): boolean {
    return this.blocked.has(value);
  }

  isAllocated(value: number): boolean {
    const segment = this.segmentOf(value);
    return segment !== undefined && !this.blocked.has(value) && !segment.bits.isFree(value - segment.first);
  }

  isFree(value: number): boolean {
    const segment = this.segmentOf(value);
    return segment !== undefined && segment.bits.isFree(value - segment.first);
  }

  /** The allocated values in ascending order (blocked values are never allocated): for digests and checks. */
  allocatedValues(): number[] {
    const out: number[] = [];
    for (const segment of this.segments) {
      const words = segment.bits.toWords();
      for (let w = 0; w < words.length; w++) {
        // A clear bit is a used index; bits past the segment's size are clear too and are skipped.
        let used = ~words[w]! >>> 0;
        while (used !== 0) {
          const index = w * 32 + (31 - Math.clz32(used & -used));
          if (index >= segment.bits.size) break;
          const value = segment.first + index;
          if (!this.blocked.has(value)) out.push(value);
          used = (used & (used - 1)) >>> 0;
        }
      }
    }
    return out;
  }

  /** The blocked values in ascending order. */
  blockedValues(): number[] {
    return [...this.blocked].sort((a, b) => a - b);
  }

  /** Takes a value out of circulation for good. Values outside the pool are ignored. */
  block(value: number): void {
    const segment = this.segmentOf(value);
    if (!segment || this.blocked.has(value)) return;
    if (!segment.bits.isFree(value - segment.first)) this.allocated--;
    segment.bits.setUsed(value - segment.first);
    this.blocked.add(value);
  }

  allocateLowest(): number | undefined {
    for (const segment of this.segments) {
      const index = segment.bits.nextFree(0);
      if (index >= 0) return this.take(segment, index);
    }
    return undefined;
  }

  /**
   * A seeded random free value. A few uniform probes are tried first, which is uniform over the
   * free values whenever one hits; otherwise the first free value after a random point.
   */
  allocateRandom(rng: Rng): number | undefined {
    const total = this.segments.reduce((sum, s) => sum + s.bits.size, 0);
    if (this.freeCount === 0 || total === 0) return undefined;
    for (let probe = 0; probe < 8; probe++) {
      const { segment, index } = this.locate(rng.intInclusive(0, total - 1));
      if (segment.bits.isFree(index)) return this.take(segment, index);
    }
    const start = this.locate(rng.intInclusive(0, total - 1));
    const startAt = this.segments.indexOf(start.segment);
    for (let k = 0; k <= this.segments.length; k++) {
      const segment = this.segments[(startAt + k) % this.segments.length]!;
      const from = k === 0 ? start.index : 0;
      const index = segment.bits.nextFree(from);
      if (index >= 0) return this.take(segment, index);
    }
    return undefined;
  }

  /**
   * The lowest free value not in `exclude`, without taking it: decide picks values this way (it
   * must not change state), writes them into events, and evolve takes them with `allocate`.
   */
  peekLowest(exclude?: ReadonlySet<number>): number | undefined {
    for (const segment of this.segments) {
      let index = segment.bits.nextFree(0);
      while (index >= 0) {
        const value = segment.first + index;
        if (!exclude?.has(value)) return value;
        index = segment.bits.nextFree(index + 1);
      }
    }
    return undefined;
  }

  /** A seeded random free value not in `exclude`, without taking it. */
  peekRandom(rng: Rng, exclude?: ReadonlySet<number>): number | undefined {
    const total = this.segments.reduce((sum, s) => sum + s.bits.size, 0);
    if (total === 0 || this.freeCount === 0) return undefined;
    for (let probe = 0; probe < 8; probe++) {
      const { segment, index } = this.locate(rng.intInclusive(0, total - 1));
      const value = segment.first + index;
      if (segment.bits.isFree(index) && !exclude?.has(value)) return value;
    }
    return this.peekLowest(exclude);
  }

  /** Takes a specific value. False when it is outside the pool, blocked or already taken. */
  allocate(value: number): boolean {
    const segment = this.segmentOf(value);
    if (!segment || !segment.bits.isFree(value - segment.first)) return false;
    this.take(segment, value - segment.first);
    return true;
  }

  /** Gives a value back. False (and no change) when it was not allocated. */
  release(value: number): boolean {
    const segment = this.segmentOf(value);
    if (!segment || this.blocked.has(value)) return false;
    const index = value - segment.first;
    if (segment.bits.isFree(index)) return false;
    segment.bits.setFree(index);
    this.allocated--;
    return true;
  }

  private take(segment: Segment, index: number): number {
    segment.bits.setUsed(index);
    this.allocated++;
    return segment.first + index;
  }

  private locate(offset: number): { segment: Segment; index: number } {
    let rest = offset;
    for (const segment of this.segments) {
      if (rest < segment.bits.size) return { segment, index: rest };
      rest -= segment.bits.size;
    }
    assert(false, `offset ${offset} beyond pool`);
  }

  private segmentOf(value: number): Segment | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const segment = this.segments[mid]!;
      if (value < segment.first) hi = mid - 1;
      else if (value > segment.last) lo = mid + 1;
      else return segment;
    }
    return undefined;
  }
}
