import type { DomainEvent } from '../../core/model/events.js';

/**
 * Rendered JSON of response objects, kept between requests: a list of 500 VMs out of 100,000 is
 * then 500 lookups and one join instead of 500 renders and a serialization. An entry is dropped
 * as soon as an event names an id it was rendered from: the record's own id and the ids it
 * refers to (`id`, `…Id` and `…Ids` fields, by the core's naming), plus any the view adds (the
 * owner's domain). Every change of the core is an event that names what it changes, so a stale
 * entry cannot survive it; `test/server/render-cache.test.ts` checks cached against fresh renders
 * under random operations.
 *
 * The cache has a budget in characters; past it, it starts over empty (rare, and cheap).
 */

interface Entry {
  json: string;
  deps: readonly string[];
}

export const DEFAULT_RENDER_CACHE_CHARS = 256 * 1024 * 1024;

export class RenderCache {
  private readonly entries = new Map<string, Entry>();
  /** An id -> the keys of the entries rendered from it. */
  private readonly dependents = new Map<string, Set<string>>();
  private chars = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly budgetChars = DEFAULT_RENDER_CACHE_CHARS) {}

  /**
   * The JSON of a record under `key` (a view, its variant for the caller, the record's id),
   * rendered once and kept until an event names one of the ids in `depsOf()`.
   */
  json(key: string, depsOf: () => readonly string[], render: () => string): string {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      this.hits++;
      return cached.json;
    }
    this.misses++;
    const json = render();
    if (this.chars + json.length > this.budgetChars) this.clear();
    const deps = depsOf();
    this.entries.set(key, { json, deps });
    this.chars += json.length;
    for (const dep of deps) {
      let keys = this.dependents.get(dep);
      if (keys === undefined) {
        keys = new Set();
        this.dependents.set(dep, keys);
      }
      keys.add(key);
    }
    return json;
  }

  /** Drops what an applied event may have changed. */
  observe(event: DomainEvent): void {
    if (this.entries.size === 0) return;
    forEachIdIn(event, (id) => this.invalidate(id));
  }

  clear(): void {
    this.entries.clear();
    this.dependents.clear();
    this.chars = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private invalidate(id: string): void {
    const keys = this.dependents.get(id);
    if (keys === undefined) return;
    this.dependents.delete(id);
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry === undefined) continue;
      this.entries.delete(key);
      this.chars -= entry.json.length;
      for (const dep of entry.deps) if (dep !== id) this.dependents.get(dep)?.delete(key);
    }
  }
}

const isIdKey = (key: string): boolean => key === 'id' || key.endsWith('Id') || key.endsWith('Ids');

/** Calls `visit` with every id a record or event names: the values of its id fields, at any depth. */
export function forEachIdIn(value: unknown, visit: (id: string) => void): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) forEachIdIn(item, visit);
    return;
  }
  for (const key in value as Record<string, unknown>) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field === 'string') {
      if (isIdKey(key)) visit(field);
    } else if (Array.isArray(field) && isIdKey(key)) {
      for (const item of field) if (typeof item === 'string') visit(item);
      else forEachIdIn(item, visit);
    } else if (field !== null && typeof field === 'object') {
      forEachIdIn(field, visit);
    }
  }
}

/** The ids a record refers to (itself included), for `RenderCache.json`. */
export function idsIn(record: unknown, extra: readonly (string | undefined)[] = []): string[] {
  const ids: string[] = [];
  forEachIdIn(record, (id) => ids.push(id));
  for (const id of extra) if (id !== undefined) ids.push(id);
  return ids;
}
