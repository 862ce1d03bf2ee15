/**
 * Maps and sets for the scratch state of one decision: what it promised to hosts, clusters and
 * pools, what it took from address pools. A deploy writes one or two entries into each, and a new
 * Map or Set is some 180 bytes of table made and dropped on every decision. These keep up to
 * SMALL_MAX entries in two short arrays, searched in order, and move to a real Map or Set past
 * that (an HA decision restarting a host's VMs promises to many hosts). Iteration is in
 * insertion order either way, as a Map's.
 */

const SMALL_MAX = 8;

export class SmallMap<K, V> implements ReadonlyMap<K, V> {
  private keyList: K[] = [];
  private valueList: V[] = [];
  private map: Map<K, V> | undefined;

  get size(): number {
    return this.map ? this.map.size : this.keyList.length;
  }

  get(key: K): V | undefined {
    if (this.map) return this.map.get(key);
    const at = this.keyList.indexOf(key);
    return at < 0 ? undefined : this.valueList[at];
  }

  has(key: K): boolean {
    return this.map ? this.map.has(key) : this.keyList.indexOf(key) >= 0;
  }

  set(key: K, value: V): this {
    if (this.map) {
      this.map.set(key, value);
      return this;
    }
    const at = this.keyList.indexOf(key);
    if (at >= 0) {
      this.valueList[at] = value;
    } else if (this.keyList.length < SMALL_MAX) {
      this.keyList.push(key);
      this.valueList.push(value);
    } else {
      this.map = new Map();
      for (let i = 0; i < this.keyList.length; i++) this.map.set(this.keyList[i]!, this.valueList[i]!);
      this.map.set(key, value);
      this.keyList = [];
      this.valueList = [];
    }
    return this;
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }

  *entries(): MapIterator<[K, V]> {
    if (this.map) {
      yield* this.map.entries();
      return;
    }
    for (let i = 0; i < this.keyList.length; i++) yield [this.keyList[i]!, this.valueList[i]!];
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
  private list: T[] = [];
  private set: Set<T> | undefined;

  get size(): number {
    return this.set ? this.set.size : this.list.length;
  }

  has(value: T): boolean {
    return this.set ? this.set.has(value) : this.list.indexOf(value) >= 0;
  }

  add(value: T): this {
    if (this.set) {
      this.set.add(value);
    } else if (this.list.indexOf(value) < 0) {
      if (this.list.length < SMALL_MAX) {
        this.list.push(value);
      } else {
        this.set = new Set(this.list);
        this.set.add(value);
        this.list = [];
      }
    }
    return this;
  }

  forEach(callback: (value: T, key: T, set: ReadonlySet<T>) => void): void {
    for (const value of this.values()) callback(value, value, this);
  }

  *values(): SetIterator<T> {
    if (this.set) {
      yield* this.set.values();
      return;
    }
    for (let i = 0; i < this.list.length; i++) yield this.list[i]!;
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
