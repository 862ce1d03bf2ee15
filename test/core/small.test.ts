import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmallMap, SmallSet } from '../../core/small.js';

describe('SmallMap and SmallSet', () => {
  it('behave like Map and Set, in insertion order, below and past the size where they move to one', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(Number.NaN)), fc.integer()), { maxLength: 60 }), (ops) => {
        const small = new SmallMap<number, number>();
        const map = new Map<number, number>();
        const smallSet = new SmallSet<number>();
        const set = new Set<number>();
        for (const [key, value] of ops) {
          small.set(key, value);
          map.set(key, value);
          smallSet.add(key);
          set.add(key);
          expect(small.get(key)).toBe(value);
          expect(small.size).toBe(map.size);
          expect(smallSet.size).toBe(set.size);
        }
        expect([...small]).toEqual([...map]);
        expect([...small.keys()]).toEqual([...map.keys()]);
        expect([...small.values()]).toEqual([...map.values()]);
        expect([...smallSet]).toEqual([...set]);
        for (const key of [Number.NaN, ...Array.from({ length: 33 }, (_, i) => i - 1)]) {
          expect(small.has(key)).toBe(map.has(key));
          expect(small.get(key)).toBe(map.get(key));
          expect(smallSet.has(key)).toBe(set.has(key));
        }
        const seen: [number, number][] = [];
        small.forEach((value, key) => seen.push([key, value]));
        expect(seen).toEqual([...map]);
      }),
    );
  });
});
