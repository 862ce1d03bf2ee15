import type { CloudState } from './state.js';

/** The parts of a state derived from its records: left out of snapshots, rebuilt by restoreState. */
export const DERIVED_KEYS: ReadonlySet<string> = new Set(['index', 'capacity', 'pools']);

/**
 * The state as plain JSON data: every record map as an array in creation order, without the
 * derived indexes. Two states are the same cloud exactly when their snapshots are equal; the
 * store persists this shape and rebuilds the indexes on load (restoreState in restore.ts).
 */
export function snapshotOf(state: CloudState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    // Derived structures are rebuilt from the records; they are not part of the cloud's identity.
    if (DERIVED_KEYS.has(key)) continue;
    out[key] = value instanceof Map ? [...value.values()] : value;
  }
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}
