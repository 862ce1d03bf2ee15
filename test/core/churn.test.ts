import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deleteCompacting } from '../../core/churn.js';

describe('deleteCompacting', () => {
  it('behaves like delete for maps and sets, keeping insertion order through compactions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 400 }), (ops) => {
        const map = new Map<number, string>();
        const set = new Set<number>();
        const model: number[] = [];
        for (const [add, key] of ops) {
          if (add) {
            if (!model.includes(key)) model.push(key);
            map.set(key, `v${key}`);
            set.add(key);
          } else {
            const present = model.includes(key);
            if (present) model.splice(model.indexOf(key), 1);
            expect(deleteCompacting(map, key)).toBe(present);
            expect(deleteCompacting(set, key)).toBe(present);
          }
        }
        expect([...map.keys()]).toEqual(model);
        expect([...map.values()]).toEqual(model.map((k) => `v${k}`));
        expect([...set]).toEqual(model);
      }),
    );
  });
});
