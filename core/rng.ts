import type { Rng } from './ports.js';
import { assert, fail } from './assert.js';

/**
 * sfc32, seeded through splitmix32. Small, fast, and good enough for placement tie-breaks and
 * workload draws; not for secrets. Every instance is reproducible from its seed.
 */
export class SeededRng implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    assert(Number.isSafeInteger(seed), `seed must be a safe integer, got ${seed}`);
    // Mix both halves of a 53-bit seed so seeds that differ only in high bits differ in output.
    let state = (seed ^ Math.floor(seed / 0x100000000)) >>> 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  float(): number {
    return this.u32() / 0x100000000;
  }

  intInclusive(min: number, max: number): number {
    if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max)) fail(`bad range ${min}..${max}`);
    const span = max - min + 1;
    if (span <= 0x100000000) {
      // Rejection sampling keeps the draw unbiased for spans that do not divide 2^32.
      const limit = Math.floor(0x100000000 / span) * span;
      let x = this.u32();
      while (x >= limit) x = this.u32();
      return min + (x % span);
    }
    return min + Math.floor(this.float() * span);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A child generator whose stream depends only on this one's seed and the label. */
  fork(label: string): SeededRng {
    let h = this.u32();
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    return new SeededRng(h);
  }
}
