/**
 * Deterministic identifiers. An entity's id is a function of the cloud's id namespace and a
 * sequence number held in state, so building the same scenario twice gives the same ids, and a
 * replay of the event log reproduces them (events carry the ids anyway).
 * The ids are UUID-shaped (version 4 layout) because CloudStack clients expect UUID strings.
 */

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const hex = (n: number): string => n.toString(16).padStart(8, '0');

export function uuidFor(namespace: number, seq: number): string {
  const lo = seq >>> 0;
  const hi = Math.floor(seq / 0x100000000) >>> 0;
  const w0 = mix32(namespace ^ mix32(lo + 0x9e3779b9));
  const w1raw = mix32(w0 ^ hi ^ 0x85ebca6b);
  const w2raw = mix32(w1raw ^ lo);
  const w3 = mix32(w2raw ^ namespace);
  const w1 = ((w1raw & 0xffff0fff) | 0x00004000) >>> 0; // version 4 nibble
  const w2 = ((w2raw & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant bits
  const s = hex(w0) + hex(w1) + hex(w2) + hex(w3);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
