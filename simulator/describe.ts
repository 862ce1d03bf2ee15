import { formatDurationMs } from './distributions.js';
import type { SimulationSpec } from './schema.js';
import type { WorkloadEntry } from './workload.js';

/**
 * A checked `simulation:` section in words, one line per item, to print before a run's results
 * (with the seed and the horizon, which the caller knows): what ran is on the record.
 */

/** Option keys whose numbers are durations in ms. */
const DURATION_KEYS = new Set(['at', 'mtbf', 'mttr', 'repair', 'value', 'mean', 'median', 'rampUp', 'duration']);

export function describeEntry(entry: WorkloadEntry): string {
  const options = (entry.options ?? {}) as Record<string, unknown>;
  const parts = Object.entries(options)
    .filter(([key]) => key !== 'name')
    .map(([key, value]) => `${key} ${formatValue(key, value)}`);
  return parts.length === 0 ? entry.name : `${entry.name}: ${parts.join(', ')}`;
}

export function describeSimulation(section: SimulationSpec): string[] {
  const lines: string[] = [];
  for (const entry of section.workloads) lines.push(`workload ${describeEntry(entry)}`);
  for (const entry of section.faults) lines.push(`fault ${describeEntry(entry)}`);
  if (section.faults.length === 0) lines.push('faults: none');
  return lines;
}

function formatValue(key: string, value: unknown): string {
  if (typeof value === 'number') return DURATION_KEYS.has(key) ? formatDurationMs(value) : String(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(key, v)).join('; ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k} ${formatValue(k, v)}`).join(', ')}}`;
  }
  return String(value);
}
