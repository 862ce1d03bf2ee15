import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountVms } from '../../core/account-vms.js';
import { vmRecordFor as vm } from '../support/records.js';


describe("an account's list of VMs", () => {
  it('keeps the order VMs were added in through any adds and deletes, as a Set of their ids would', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { maxLength: 200 }), (ops) => {
        const records = Array.from({ length: 21 }, (_, i) => vm(`vm-${i}`));
        const list = new AccountVms();
        const model = new Set<string>();
        for (const [add, i] of ops) {
          const record = records[i]!;
          if (add) {
            if (model.has(record.id)) expect(() => list.add(record)).toThrow(`VM vm-${i} is listed already`);
            else list.add(record);
            model.add(record.id);
          } else {
            expect(list.delete(record)).toBe(model.delete(record.id));
          }
          expect(list.has(record)).toBe(model.has(record.id));
          expect(list.size).toBe(model.size);
        }
        expect([...list]).toEqual([...model]);
      }),
    );
  });

  it('leaves its links out of the records as data, and refuses objects that are not VM records', () => {
    const list = new AccountVms();
    const a = vm('a');
    const b = vm('b');
    list.add(a);
    list.add(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(vm('a')));
    expect(Object.keys({ ...b })).toEqual(Object.keys(vm('b')));
    expect(structuredClone(a)).toEqual(structuredClone(vm('a')));
    expect(() => list.add({ id: 'plain' })).toThrow('plain is not a VM record: accounts list the records vmRecord makes');
    expect(list.delete({ id: 'plain' })).toBe(false);
    expect([...list]).toEqual(['a', 'b']);
  });

  it('counts a copy of a listed record as no member: it can be neither found, deleted nor added again', () => {
    const list = new AccountVms();
    const records = ['a', 'b', 'c'].map(vm);
    for (const record of records) list.add(record);
    for (const record of records) {
      const copy = { ...record };
      expect(list.has(copy)).toBe(false);
      expect(list.delete(copy)).toBe(false);
      expect(() => list.add(copy)).toThrow(`VM ${record.id} is listed already`);
    }
    expect(list.size).toBe(3);
    expect([...list]).toEqual(['a', 'b', 'c']);
    list.delete(records[1]!);
    expect(list.has({ ...records[0]! })).toBe(false);
    expect(list.has(records[0]!)).toBe(true);
    expect([...list]).toEqual(['a', 'c']);
  });
});
