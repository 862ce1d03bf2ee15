/**
 * The copy of a record that evolve stores in state (records are copied out of events, never
 * shared). Object spread would do it, but V8 gives each `{ ...record }` copy a hidden class of its
 * own: ten thousand hosts copied that way are ten thousand shapes, so every read of a host field
 * in placement goes megamorphic and misses V8's lookup caches. Object.assign onto a fresh literal
 * adds the fields in order along shared transitions: copies with the same fields share one shape.
 */
export function copyRecord<T extends object>(record: T): T {
  return Object.assign({}, record);
}
