/**
 * Maps and sets for the scratch state of one decision: what it promised to hosts, clusters and
 * pools, what it took from address pools. A deploy writes one entry into each, and a new Map or
 * Set is some 180 bytes of hash table made and dropped on every decision. These keep their first
 * entry in fields of their own and make a real Map or Set only for a second (an HA decision
 * restarting a host's VMs promises to many hosts). Iteration is in insertion order either way, as
 * a Map's.
 */

/** SameValueZero, the equality of Map keys and Set members (NaN is NaN). */
function same(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

export class SmallMap<K, V> implements ReadonlyMap<K, V> {
  private only = false;
  private onlyKey: K | undefined = undefined;
  private onlyValue: V | undefined = undefined;
  /** Every entry, once there are two or more. */
  private map: Map<K, V> | undefined = undefined;

  get size(): number {
    return this.map ? this.map.size : this.only ? 1 : 0;
  }

  get(key: K): V | undefined {
    if (this.map) return this.map.get(key);
    return this.only && same(this.onlyKey, key) ? this.onlyValue : undefined;
  }

  has(key: K): boolean {
    if (this.map) return this.map.has(key);
    return this.only && same(this.onlyKey, key);
  }

  set(key: K, value: V): this {
    if (this.map) {
      this.map.set(key, value);
    } else if (!this.only || same(this.onlyKey, key)) {
      this.only = true;
      this.onlyKey = key;
      this.onlyValue = value;
    } else {
      this.map = new Map([[this.onlyKey as K, this.onlyValue as V]]);
      this.map.set(key, value);
      this.only = false;
      this.onlyKey = undefined;
      this.onlyValue = undefined;
    }
    return this;
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }

  *entries(): MapIterator<[K, V]> {
    if (this.map) yield* this.map.entries();
    else if (this.only) yield [this.onlyKey as K, this.onlyValue as V];
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}

export class SmallSet<T> implements ReadonlySet<T> {
  private only = false;
  private onlyValue: T | undefined = undefined;
  /** Every member, once there are two or more. */
  private set: Set<T> | undefined = undefined;

  get size(): number {
    return this.set ? this.set.size : this.only ? 1 : 0;
  }

  has(value: T): boolean {
    if (this.set) return this.set.has(value);
    return this.only && same(this.onlyValue, value);
  }

  add(value: T): this {
    if (this.set) {
      this.set.add(value);
    } else if (!this.only) {
      this.only = true;
      this.onlyValue = value;
    } else if (!same(this.onlyValue, value)) {
      this.set = new Set([this.onlyValue as T, value]);
      this.only = false;
      this.onlyValue = undefined;
    }
    return this;
  }

  forEach(callback: (value: T, key: T, set: ReadonlySet<T>) => void): void {
    for (const value of this.values()) callback(value, value, this);
  }

  *values(): SetIterator<T> {
    if (this.set) yield* this.set.values();
    else if (this.only) yield this.onlyValue as T;
  }

  keys(): SetIterator<T> {
    return this.values();
  }

  *entries(): SetIterator<[T, T]> {
    for (const value of this.values()) yield [value, value];
  }

  [Symbol.iterator](): SetIterator<T> {
    return this.values();
  }
}
