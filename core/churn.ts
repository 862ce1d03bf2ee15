/**
 * Maps and sets that live through heavy churn. A V8 Map keeps deleted entries as holes until its
 * table fills, then grows to twice its capacity unless half of it is holes: a map of 80,000 VMs
 * that keeps creating and expunging settles at a table for 262,144 entries, over three times its
 * size. Rebuilding it in place (clear, then re-add in order) after size/2 deletions keeps the
 * table between one and two times its size. Order is kept, so iteration stays deterministic.
 */

type Keyed<K> = Map<K, unknown> | Set<K>;

/**
 * Deletions since the last compaction, kept on the collection itself under a symbol, not in a
 * WeakMap: this runs at every delete, and a property read is a fraction of an ephemeron table
 * lookup. It is not enumerable, so nothing that lists or compares the collection sees it.
 */
const DELETIONS: unique symbol = Symbol('deletions since compaction');

type Counted = { [DELETIONS]?: number };

function setDeletions(collection: Keyed<unknown>, count: number): void {
  const counted = collection as Counted;
  if (counted[DELETIONS] === undefined) Object.defineProperty(collection, DELETIONS, { value: count, writable: true, enumerable: false, configurable: true });
  else counted[DELETIONS] = count;
}

/** Small collections are left alone: their tables are small whatever the churn. */
const MIN_DELETIONS = 16;

export function deleteCompacting<K>(collection: Keyed<K>, key: K): boolean {
  if (!collection.delete(key)) return false;
  const seen = ((collection as Counted)[DELETIONS] ?? 0) + 1;
  if (seen > MIN_DELETIONS && seen > collection.size / 2) {
    compact(collection);
    setDeletions(collection, 0);
  } else {
    setDeletions(collection, seen);
  }
  return true;
}

function compact<K>(collection: Keyed<K>): void {
  if (collection instanceof Set) {
    const keys = [...collection];
    collection.clear();
    for (const key of keys) collection.add(key);
    return;
  }
  // Spreading the iterators copies in one built-in pass each, some twice as fast as forEach.
  const keys = [...collection.keys()];
  const values = [...collection.values()];
  collection.clear();
  for (let i = 0; i < keys.length; i++) collection.set(keys[i]!, values[i]);
}
