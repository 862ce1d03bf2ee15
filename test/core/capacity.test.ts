import { describe, expect, it } from 'vitest';
import { CapacityIndex } from '../../core/capacity.js';
import { vmRecordFor as vm } from '../support/records.js';


function capacity(): CapacityIndex {
  const c = new CapacityIndex();
  c.addCluster('c', 1, 1);
  c.addHost('h0', 'c', 16_000, 65_536, true);
  c.addHost('h1', 'c', 16_000, 65_536, true);
  return c;
}

describe('capacity holds kept on VM records', () => {
  it('keep the slot out of the record as data: JSON, keys and structured clones do not see it', () => {
    const c = capacity();
    const record = vm('vm-1');
    c.place(record, 0, 1000, 512, false, true);
    expect(c.holdOf(record)?.host).toBe(0);
    const fresh = vm('vm-1');
    expect(Object.keys(record)).toEqual(Object.keys(fresh));
    expect(JSON.stringify(record)).toBe(JSON.stringify(fresh));
    expect(Object.keys({ ...record })).toEqual(Object.keys(fresh));
    expect(Object.getOwnPropertySymbols(structuredClone(record))).toEqual([]);
    expect(structuredClone(record)).toEqual(structuredClone(fresh));
  });

  it('find a hold only on the record that took it, not on a copy or a record of another cloud', () => {
    const c = capacity();
    const record = vm('vm-1');
    c.place(record, 1, 2000, 1024, false, true);
    expect(c.holdOf(record)).toEqual({ host: 1, cpuMhz: 2000, memoryMiB: 1024, reserved: false, guest: true });
    const twin = vm('vm-1');
    expect(c.holdOf(twin)).toBeUndefined();
    expect(c.holdOf({ ...record })).toBeUndefined();
    expect(capacity().holdOf(record)).toBeUndefined();
    expect(c.release(twin)).toBe(false);
    expect(c.hostCpuUsedMhz[1]).toBe(2000);
  });

  it('move a hold in place, release it once, and reuse the slot for the next VM', () => {
    const c = capacity();
    const a = vm('a');
    const b = vm('b');
    c.place(a, 0, 1000, 512, false, true);
    c.place(b, 0, 1000, 512, false, true);
    c.place(a, 1, 1000, 512, true, false);
    expect([c.hostCpuUsedMhz[0], c.hostCpuReservedMhz[1], c.hostGuests[0], c.hostGuests[1]]).toEqual([1000, 1000, 1, 0]);
    expect([...c.holds.keys()]).toEqual(['a', 'b']);
    expect(c.release(a)).toBe(true);
    expect(c.release(a)).toBe(false);
    expect(c.hostCpuReservedMhz[1]).toBe(0);
    const d = vm('d');
    c.place(d, 1, 500, 256, false, true);
    // d took the slot a gave back, the first one.
    expect([...c.holds.keys()]).toEqual(['d', 'b']);
    expect(c.holds.size).toBe(2);
  });

  it('count the holds of used capacity through places, moves between used and reserved, and releases', () => {
    const c = capacity();
    const [a, b, d] = ['a', 'b', 'd'].map(vm);
    c.place(a!, 0, 1000, 512, false, true);
    c.place(b!, 0, 1000, 512, true, false);
    expect([c.holds.size, c.holds.usedCount]).toEqual([2, 1]);
    c.place(b!, 1, 1000, 512, false, true);
    c.place(a!, 1, 1000, 512, true, false);
    c.place(a!, 1, 1000, 512, true, false);
    expect([c.holds.size, c.holds.usedCount]).toEqual([2, 1]);
    c.release(a!);
    // d takes the slot a held as a reservation, and holds used capacity in it.
    c.place(d!, 0, 500, 256, false, true);
    expect([c.holds.size, c.holds.usedCount]).toEqual([2, 2]);
    c.release(b!);
    c.release(d!);
    expect([c.holds.size, c.holds.usedCount]).toEqual([0, 0]);
  });

  it('keep fractional MHz and MiB exactly once one comes, and every whole one before it', () => {
    const c = capacity();
    const whole = vm('whole');
    const fractional = vm('fractional');
    c.place(whole, 0, 3000, 4096, false, true);
    c.place(fractional, 0, 1500.5, 768.25, false, true);
    expect(c.holdOf(whole)).toMatchObject({ cpuMhz: 3000, memoryMiB: 4096 });
    expect(c.holdOf(fractional)).toMatchObject({ cpuMhz: 1500.5, memoryMiB: 768.25 });
    c.release(fractional);
    c.release(whole);
    expect([c.hostCpuUsedMhz[0], c.hostMemoryUsedMiB[0]]).toEqual([0, 0]);
  });

  it('refuse a hold for an object that is not a VM record, and find none on one', () => {
    const c = capacity();
    expect(() => c.place({ id: 'plain' }, 0, 1000, 512, false, true)).toThrow('plain is not a VM record: holds are taken by the records vmRecord makes');
    expect(c.holdOf({ id: 'plain' })).toBeUndefined();
    expect(c.release({ id: 'plain' })).toBe(false);
    expect([c.holds.size, c.hostCpuUsedMhz[0]]).toEqual([0, 0]);
  });
});
