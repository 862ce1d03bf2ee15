import { uuidFor } from '../ids.js';
import type { Id } from '../model/entities.js';
import type { CloudState } from '../model/state.js';
import type { IdPool } from '../net/pool.js';
import { SmallMap, SmallSet } from '../small.js';

/**
 * What one decision hands out before its events exist: ids, addresses, VLANs. Decide may not
 * change state, so it peeks at the pools and remembers what it took, so two NICs of one decision
 * never get the same address; evolve then takes exactly those values.
 */
export class Scratch {
  private seq: number;
  /** Made on the first take: most decisions hand out ids only. */
  private taken: SmallMap<IdPool, SmallSet<number>> | undefined;

  constructor(private readonly state: Readonly<CloudState>) {
    this.seq = state.idSeq;
  }

  /** A fresh entity id. */
  id(): Id {
    return uuidFor(this.state.idNamespace, this.seq++);
  }

  /** The last id sequence number handed out (events carry it so evolve keeps the counter in step). */
  get lastSeq(): number {
    return this.seq - 1;
  }

  /** The lowest free value of a pool that this decision has not taken yet. */
  take(pool: IdPool | undefined): number | undefined {
    if (!pool) return undefined;
    const taken = this.takenFrom(pool);
    const value = pool.peekLowest(taken);
    if (value !== undefined) taken.add(value);
    return value;
  }

  /** A specific value, when the pool has it free and this decision has not taken it. */
  takeSpecific(pool: IdPool | undefined, value: number): boolean {
    if (!pool || !pool.isFree(value)) return false;
    const taken = this.takenFrom(pool);
    if (taken.has(value)) return false;
    taken.add(value);
    return true;
  }

  /** What this decision has taken from a pool so far. */
  private takenFrom(pool: IdPool): SmallSet<number> {
    const pools = (this.taken ??= new SmallMap());
    let taken = pools.get(pool);
    if (!taken) {
      taken = new SmallSet();
      pools.set(pool, taken);
    }
    return taken;
  }
}
