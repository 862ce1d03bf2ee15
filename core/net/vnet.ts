import type { IsolationMethod } from '../model/entities.js';
import { IdPool, type Interval, normalizeIntervals } from './pool.js';

/**
 * Guest VNET ranges of a physical network, as CloudStack's validateVlanRange reads them: a comma
 * separated list of "start-end" pairs, each inside the bounds of the isolation method.
 */

export interface VnetBounds {
  min: number;
  max: number;
  /** What one id is called in messages. */
  unit: string;
}

/** VLAN 0..4095 (802.1Q reserves 0 and 4095); VXLAN 0..2^24-2 (Linux rejects 2^24-1); GRE 0..2^32-1. */
export function vnetBounds(method: IsolationMethod): VnetBounds {
  if (method === 'VXLAN') return { min: 0, max: 16_777_214, unit: 'VNI' };
  if (method === 'GRE') return { min: 0, max: 4_294_967_295, unit: 'GRE key' };
  return { min: 0, max: 4095, unit: 'VLAN' };
}

export type VnetParse = { ok: true; ranges: Interval[] } | { ok: false; message: string };

export function parseVnetRanges(text: string, method: IsolationMethod): VnetParse {
  const bounds = vnetBounds(method);
  const between = ` between ${bounds.min} and ${bounds.max}`;
  const ranges: Interval[] = [];
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, ranges };
  for (const part of trimmed.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!match) {
      return { ok: false, message: `"${part.trim()}" is not a vnet range: give a comma separated list such as 500-599,700-710,${between}` };
    }
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (first < bounds.min || last > bounds.max || first > bounds.max) {
      return { ok: false, message: `vnet range ${part.trim()} has to be${between} for ${method}` };
    }
    if (first > last) {
      return { ok: false, message: `vnet range ${part.trim()} starts after it ends` };
    }
    ranges.push({ first, last });
  }
  return { ok: true, ranges };
}

export function formatVnetRanges(ranges: readonly Interval[]): string {
  return ranges.map((r) => (r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`)).join(',');
}

/**
 * The guest VNET pool of a physical network. VLAN pools never hand out 0 or 4095, which 802.1Q
 * reserves even though CloudStack's range check accepts them.
 */
export function vnetPool(ranges: readonly Interval[], method: IsolationMethod): IdPool {
  return new IdPool(normalizeIntervals(ranges), method === 'VLAN' ? [0, 4095] : []);
}
