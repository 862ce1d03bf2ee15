import { assert, fail } from '../assert.js';

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/** Words per page of the bottom level: 2,048 bits, 256 bytes. */
const PAGE_SHIFT = 6;
const PAGE_WORDS = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_WORDS - 1;

/**
 * A bitset where a set bit means "free", with a 32-ary summary tree above it: bit j of level k+1
 * is set when word j of level k is non-zero. Finding the lowest free index at or after any point
 * therefore touches at most one word per level (five levels cover 2^24 VNIs), instead of scanning.
 *
 * The bottom level is kept in pages that exist only once a bit in them has changed: a missing
 * page is all free (or all used, as the bitset started). A tenant's isolated network owns a /16
 * guest pool of 65,536 addresses and uses a few dozen of them, so a thousand such networks take
 * a few hundred KiB instead of 8 MiB. The summary levels are 32 times smaller and stay dense.
 */
export class FreeBitset {
  readonly size: number;
  /** Summary levels 1 and up (level 0 is `pages`). */
  private readonly levels: Uint32Array[];
  private readonly pages: (Uint32Array | undefined)[];
  /** The words of level 0. */
  private readonly wordCount: number;
  /** What a word of a missing page holds. */
  private readonly fill: number;
  private free: number;

  /** All bits start free when `allFree`, otherwise all used. */
  constructor(size: number, allFree: boolean) {
    assert(Number.isSafeInteger(size) && size >= 0, `bitset size must be a non-negative integer, got ${size}`);
    this.size = size;
    this.wordCount = Math.ceil(Math.max(size, 1) / 32);
    this.pages = new Array<Uint32Array | undefined>(Math.ceil(this.wordCount / PAGE_WORDS)).fill(undefined);
    this.levels = [];
    let bits = this.wordCount;
    while (bits > 1) {
      this.levels.push(new Uint32Array(Math.ceil(bits / 32)));
      bits = Math.ceil(bits / 32);
    }
    this.free = 0;
    this.fill = allFree && size > 0 ? 0xffffffff : 0;
    if (allFree && size > 0) this.fillFree();
  }

  /**
   * Sets every bit free: missing pages read as free words, the last page is written out so the
   * bits past the end stay used, and the summary levels are filled word by word.
   */
  private fillFree(): void {
    const lastPage = this.pages.length - 1;
    const page = new Uint32Array(PAGE_WORDS);
    const first = lastPage << PAGE_SHIFT;
    const full = this.size >>> 5;
    for (let w = first; w < full; w++) page[w - first] = 0xffffffff;
    if (this.size & 31) page[full - first] = (0xffffffff >>> (32 - (this.size & 31))) >>> 0;
    this.pages[lastPage] = page;
    let bits = this.wordCount;
    for (const words of this.levels) {
      const fullWords = bits >>> 5;
      words.fill(0xffffffff, 0, fullWords);
      if (bits & 31) words[fullWords] = (0xffffffff >>> (32 - (bits & 31))) >>> 0;
      bits = Math.ceil(bits / 32);
    }
    this.free = this.size;
  }

  get freeCount(): number {
    return this.free;
  }

  private word(w: number): number {
    const page = this.pages[w >>> PAGE_SHIFT];
    return page === undefined ? this.fill : page[w & PAGE_MASK]!;
  }

  private setWord(w: number, value: number): void {
    let page = this.pages[w >>> PAGE_SHIFT];
    if (page === undefined) {
      page = new Uint32Array(PAGE_WORDS);
      if (this.fill !== 0) page.fill(this.fill);
      this.pages[w >>> PAGE_SHIFT] = page;
    }
    page[w & PAGE_MASK] = value;
  }

  isFree(index: number): boolean {
    return ((this.word(index >>> 5) >>> (index & 31)) & 1) === 1;
  }

  /** Marks an index free. Returns false when it already was. */
  setFree(index: number): boolean {
    if (!(index >= 0 && index < this.size)) fail(`bit ${index} outside 0..${this.size - 1}`);
    const w0 = index >>> 5;
    const before0 = this.word(w0);
    const after0 = (before0 | (1 << (index & 31))) >>> 0;
    if (before0 === after0) return false;
    this.setWord(w0, after0);
    this.free++;
    if (before0 !== 0) return true; // The word was non-empty, so the levels above already say so.
    let i = w0;
    for (let level = 0; level < this.levels.length; level++) {
      const words = this.levels[level]!;
      const w = i >>> 5;
      const before = words[w]!;
      const after = (before | (1 << (i & 31))) >>> 0;
      if (before === after) return true; // Summary already right above.
      words[w] = after;
      if (before !== 0) return true;
      i = w;
    }
    return true;
  }

  /** Marks an index used. Returns false when it already was. */
  setUsed(index: number): boolean {
    if (!(index >= 0 && index < this.size)) fail(`bit ${index} outside 0..${this.size - 1}`);
    const w0 = index >>> 5;
    const before0 = this.word(w0);
    const after0 = (before0 & ~(1 << (index & 31))) >>> 0;
    if (before0 === after0) return false;
    this.setWord(w0, after0);
    this.free--;
    if (after0 !== 0) return true; // The word still has a free bit, so the summary stays set.
    let i = w0;
    for (let level = 0; level < this.levels.length; level++) {
      const words = this.levels[level]!;
      const w = i >>> 5;
      const before = words[w]!;
      const after = (before & ~(1 << (i & 31))) >>> 0;
      if (before === after) return true;
      words[w] = after;
      if (after !== 0) return true;
      i = w;
    }
    return true;
  }

  /** The lowest free index >= from, or -1. */
  nextFree(from: number): number {
    if (from >= this.size) return -1;
    return this.nextAt(0, Math.max(0, from));
  }

  /** Level 0 is the paged bottom level; level k > 0 is `levels[k - 1]`. */
  private nextAt(level: number, from: number): number {
    if (level > 0) return this.nextAbove(level, from);
    let w = from >>> 5;
    if (w >= this.wordCount) return -1;
    const masked = (this.word(w) & (0xffffffff << (from & 31))) >>> 0;
    if (masked !== 0) return (w << 5) + lowestBit(masked);
    if (this.levels.length > 0) {
      w = this.nextAbove(1, w + 1);
      if (w < 0) return -1;
      return (w << 5) + lowestBit(this.word(w));
    }
    for (w = w + 1; w < this.wordCount; w++) {
      const word = this.word(w);
      if (word !== 0) return (w << 5) + lowestBit(word);
    }
    return -1;
  }

  private nextAbove(level: number, from: number): number {
    const words = this.levels[level - 1]!;
    let w = from >>> 5;
    if (w >= words.length) return -1;
    const masked = (words[w]! & (0xffffffff << (from & 31))) >>> 0;
    if (masked !== 0) return (w << 5) + lowestBit(masked);
    if (level < this.levels.length) {
      w = this.nextAbove(level + 1, w + 1);
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
    const out = new Uint32Array(this.wordCount);
    for (let w = 0; w < this.wordCount; w++) out[w] = this.word(w);
    return out;
  }
}
