/**
 * The allocators behind IPs, VLANs and VNIs. The model-based test drives a real IdPool and a
 * plain Set side by side with random command sequences and checks after every step that they
 * agree: nothing blocked or taken twice is ever handed out, lowest-free is really the lowest,
 * and release is idempotent. Interval helpers are compared with brute-force enumeration.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeBitset } from '../../../core/net/bitset.js';
import { linkLocalPool, subnetPool } from '../../../core/net/ip-pool.js';
import { cidrLast, parseCidr } from '../../../core/net/ipv4.js';
import { coveredCount, findOverlap, IdPool, type Interval, intervalsOverlap, normalizeIntervals } from '../../../core/net/pool.js';
import { SeededRng } from '../../../core/rng.js';

interface Model {
  universe: number[];
  blocked: Set<number>;
  allocated: Set<number>;
}

const free = (m: Model): number[] => m.universe.filter((v) => !m.blocked.has(v) && !m.allocated.has(v));

class AllocateLowest implements fc.Command<Model, IdPool> {
  check = (): boolean => true;
  run(m: Model, pool: IdPool): void {
    const expected = free(m)[0];
    const got = pool.allocateLowest();
    expect(got).toBe(expected);
    if (got !== undefined) m.allocated.add(got);
  }
  toString = (): string => 'allocateLowest';
}

class AllocateRandom implements fc.Command<Model, IdPool> {
  constructor(readonly seed: number) {}
  check = (): boolean => true;
  run(m: Model, pool: IdPool): void {
    const candidates = free(m);
    const got = pool.allocateRandom(new SeededRng(this.seed));
    if (candidates.length === 0) {
      expect(got).toBeUndefined();
      return;
    }
    expect(got).toBeDefined();
    expect(candidates).toContain(got);
    m.allocated.add(got!);
  }
  toString = (): string => `allocateRandom(${this.seed})`;
}

class AllocateSpecific implements fc.Command<Model, IdPool> {
  constructor(readonly pick: number) {}
  check = (m: Model): boolean => m.universe.length > 0;
  run(m: Model, pool: IdPool): void {
    const value = m.universe[this.pick % m.universe.length]! + (this.pick % 3) - 1;
    const ok = !m.blocked.has(value) && !m.allocated.has(value) && m.universe.includes(value);
    expect(pool.allocate(value)).toBe(ok);
    if (ok) m.allocated.add(value);
  }
  toString = (): string => `allocate(#${this.pick})`;
}

class Release implements fc.Command<Model, IdPool> {
  constructor(readonly pick: number) {}
  check = (m: Model): boolean => m.universe.length > 0;
  run(m: Model, pool: IdPool): void {
    const taken = [...m.allocated];
    const value = taken.length > 0 && this.pick % 4 !== 0 ? taken[this.pick % taken.length]! : m.universe[this.pick % m.universe.length]!;
    const expected = m.allocated.has(value);
    expect(pool.release(value)).toBe(expected);
    expect(pool.release(value)).toBe(false);
    m.allocated.delete(value);
  }
  toString = (): string => `release(#${this.pick})`;
}

const intervalsArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 4 })
  .map((pairs) => normalizeIntervals(pairs.map(([first, length]) => ({ first, last: first + length }))))
  // Keep a gap between intervals so they stay separate segments.
  .map((list) => list.filter((r, i) => i === 0 || r.first > list[i - 1]!.last + 1));

describe('IdPool (model-based)', () => {
  it('agrees with a set model under any sequence of allocate and release', () => {
    fc.assert(
      fc.property(
        intervalsArb,
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 10 }),
        fc.commands([
          fc.constant(new AllocateLowest()),
          fc.integer().map((s) => new AllocateRandom(s)),
          fc.nat().map((p) => new AllocateSpecific(p)),
          fc.nat().map((p) => new Release(p)),
        ], { maxCommands: 200 }),
        (intervals, blockedList, commands) => {
          const universe = intervals.flatMap((r) => Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i));
          const blocked = new Set(blockedList.filter((b) => universe.includes(b)));
          const pool = new IdPool(intervals, blockedList);
          const model: Model = { universe, blocked, allocated: new Set() };
          fc.modelRun(() => ({ model, real: pool }), commands);
          expect(pool.allocatedCount).toBe(model.allocated.size);
          expect(pool.freeCount).toBe(free(model).length);
          for (const b of blocked) expect(pool.isAllocated(b)).toBe(false);
        },
      ),
    );
  });

  it('release then allocate gives the same address back when it is the lowest free one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.nat(), (size, pick) => {
        const pool = new IdPool([{ first: 1000, last: 1000 + size - 1 }]);
        while (pool.allocateLowest() !== undefined);
        const value = 1000 + (pick % size);
        expect(pool.release(value)).toBe(true);
        expect(pool.allocateLowest()).toBe(value);
        expect(pool.allocateLowest()).toBeUndefined();
      }),
    );
  });

  it('hands out VXLAN VNIs across the full 24-bit range', () => {
    const pool = new IdPool([{ first: 0, last: 16_777_214 }]);
    expect(pool.capacity).toBe(16_777_215);
    expect(pool.allocate(16_777_214)).toBe(true);
    expect(pool.allocate(16_777_214)).toBe(false);
    expect(pool.allocateLowest()).toBe(0);
    expect(pool.isAllocated(16_777_214)).toBe(true);
  });
});

describe('subnet pools never hand out forbidden addresses', () => {
  it('skips network, broadcast, gateway and reserved addresses, and never repeats', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffff }).map((x) => (x * 256) >>> 0),
        fc.integer({ min: 24, max: 30 }),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (network, prefix, gatewayPick, reservedPick, useRandom) => {
          const cidr = { network: (network & ~((1 << (32 - prefix)) - 1)) >>> 0, prefix };
          const size = 2 ** (32 - prefix);
          const gateway = cidr.network + 1 + (gatewayPick % (size - 2));
          const reservedStart = cidr.network + (reservedPick % size);
          const reserved = { first: reservedStart, last: Math.min(cidrLast(cidr), reservedStart + 3) };
          const pool = subnetPool({ cidr, gateway, reserved: [reserved] });
          const rng = new SeededRng(gatewayPick);
          const seen = new Set<number>();
          for (;;) {
            const ip = useRandom ? pool.allocateRandom(rng) : pool.allocateLowest();
            if (ip === undefined) break;
            expect(seen.has(ip)).toBe(false);
            seen.add(ip);
            expect(ip).not.toBe(cidr.network);
            expect(ip).not.toBe(cidrLast(cidr));
            expect(ip).not.toBe(gateway);
            expect(ip >= reserved.first && ip <= reserved.last).toBe(false);
          }
          const forbidden = new Set([cidr.network, cidrLast(cidr), gateway]);
          for (let ip = reserved.first; ip <= reserved.last; ip++) forbidden.add(ip);
          expect(seen.size).toBe(size - forbidden.size);
        },
      ),
    );
  });

  it('keeps /31 point-to-point subnets whole', () => {
    const pool = subnetPool({ cidr: parseCidr('10.0.0.0/31')! });
    expect(pool.capacity).toBe(2);
  });

  it('gives each pod 65,533 link-local addresses from 169.254.0.2', () => {
    const pool = linkLocalPool();
    expect(pool.capacity).toBe(65_533);
    expect(pool.allocateLowest()).toBe(0xa9fe0002);
  });
});

describe('FreeBitset', () => {
  it('finds the next free bit like a linear scan, across summary levels', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 300 }), fc.nat(), (size, ops, from) => {
        const bits = new FreeBitset(size, true);
        const model = new Array<boolean>(size).fill(true);
        for (const [free, pick] of ops) {
          const i = pick % size;
          const changed = free ? bits.setFree(i) : bits.setUsed(i);
          expect(changed).toBe(model[i] !== free);
          model[i] = free;
        }
        const start = from % (size + 10);
        const expected = model.findIndex((v, i) => v && i >= start);
        expect(bits.nextFree(start)).toBe(expected);
        expect(bits.freeCount).toBe(model.filter(Boolean).length);
      }),
    );
  });
});

describe('interval helpers agree with brute force', () => {
  const interval = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 })).map(([first, length]): Interval => ({ first, last: first + length }));
  const members = (r: Interval): number[] => Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i);

  it('overlap of two intervals', () => {
    fc.assert(fc.property(interval, interval, (a, b) => intervalsOverlap(a, b) === members(a).some((x) => x >= b.first && x <= b.last)));
  });

  it('finds an overlapping pair exactly when one exists', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 8 }), (list) => {
        const brute = list.some((a, i) => list.some((b, j) => i < j && intervalsOverlap(a, b)));
        const found = findOverlap(list);
        expect(found !== undefined).toBe(brute);
        if (found) expect(intervalsOverlap(list[found[0]]!, list[found[1]]!)).toBe(true);
      }),
    );
  });

  it('counts covered values once', () => {
    fc.assert(fc.property(fc.array(interval, { maxLength: 8 }), (list) => coveredCount(list) === new Set(list.flatMap(members)).size));
  });
});
