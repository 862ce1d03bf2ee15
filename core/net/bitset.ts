import { assert } from '../assert.js';

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/**
 * A bitset where a set bit means "free", with a 32-ary summary tree above it: bit j of level k+1
 * is set when word j of level k is non-zero. Finding the lowest free index at or after any point
 * therefore touches at most one word per level (five levels cover 2^24 VNIs), instead of scanning.
 */
export class FreeBitset {
  readonly size: number;
  private readonly levels: Uint32Array[];
  private free: number;

  /** All bits start free when `allFree`, otherwise all used. */
  constructor(size: number, allFree: boolean) {
    assert(Number.isSafeInteger(size) && size >= 0, `bitset size must be a non-negative integer, got ${size}`);
    this.size = size;
    this.levels = [];
    let bits = Math.max(size, 1);
    do {
      this.levels.push(new Uint32Array(Math.ceil(bits / 32)));
      bits = Math.ceil(bits / 32);
    } while (bits > 1);
    this.free = 0;
    if (allFree && size > 0) this.fillFree();
  }

  /** Sets every bit free, word by word, then rebuilds the summary levels. */
  private fillFree(): void {
    let bits = this.size;
    for (const words of this.levels) {
      const full = bits >>> 5;
      words.fill(0xffffffff, 0, full);
      if (bits & 31) words[full] = (0xffffffff >>> (32 - (bits & 31))) >>> 0;
      bits = Math.ceil(bits / 32);
    }
    this.free = this.size;
  }

  get freeCount(): number {
    return this.free;
  }

  isFree(index: number): boolean {
    const level0 = this.levels[0]!;
    return ((level0[index >>> 5]! >>> (index & 31)) & 1) === 1;
  }

  /** Marks an index free. Returns false when it already was. */
  setFree(index: number): boolean {
    assert(index >= 0 && index < this.size, `bit ${index} outside 0..${this.size - 1}`);
    let i = index;
    for (let level = 0; level < this.levels.length; level++) {
      const words = this.levels[level]!;
      const w = i >>> 5;
      const before = words[w]!;
      const after = (before | (1 << (i & 31))) >>> 0;
      if (before === after) return level > 0; // Already free at level 0; summary already right above.
      words[w] = after;
      if (level === 0) this.free++;
      if (before !== 0) return true; // The word was non-empty, so the levels above already say so.
      i = w;
    }
    return true;
  }

  /** Marks an index used. Returns false when it already was. */
  setUsed(index: number): boolean {
    assert(index >= 0 && index < this.size, `bit ${index} outside 0..${this.size - 1}`);
    let i = index;
    for (let level = 0; level < this.levels.length; level++) {
      const words = this.levels[level]!;
      const w = i >>> 5;
      const before = words[w]!;
      const after = (before & ~(1 << (i & 31))) >>> 0;
      if (before === after) return level > 0; // Already used at level 0.
      words[w] = after;
      if (level === 0) this.free--;
      if (after !== 0) return true; // The word still has a free bit, so the summary stays set.
      i = w;
    }
    return true;
  }

  /** The lowest free index >= from, or -1. */
  nextFree(from: number): number {
    if (from >= this.size) return -1;
    return this.nextAt(0, Math.max(0, from));
  }

  private nextAt(level: number, from: number): number {
    const words = this.levels[level]!;
    let w = from >>> 5;
    if (w >= words.length) return -1;
    const masked = (words[w]! & (0xffffffff << (from & 31))) >>> 0;
    if (masked !== 0) return (w << 5) + lowestBit(masked);
    if (level + 1 < this.levels.length) {
      w = this.nextAt(level + 1, w + 1);
      if (w < 0) return -1;
      return (w << 5) + lowestBit(words[w]!);
    }
    for (w = w + 1; w < words.length; w++) {
      if (words[w] !== 0) return (w << 5) + lowestBit(words[w]!);
    }
    return -1;
  }

  /** Copies the bits out, for snapshots. */
  toWords(): Uint32Array {
    return this.levels[0]!.slice();
  }
}
