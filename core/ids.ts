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

/** Character codes of the hex digits. */
const HEX_CODES = Uint8Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
/** The 36 character codes of one id, refilled per call: one flat string, no intermediate pieces. */
const codes = new Array<number>(36).fill(0);

/** Writes `word` as 8 hex digits at `at`, skipping the dash positions. */
function putWord(word: number, at: number): number {
  for (let shift = 28; shift >= 0; shift -= 4) {
    if (at === 8 || at === 13 || at === 18 || at === 23) codes[at++] = 45; // '-'
    codes[at++] = HEX_CODES[(word >>> shift) & 15]!;
  }
  return at;
}

export function uuidFor(namespace: number, seq: number): string {
  const lo = seq >>> 0;
  const hi = Math.floor(seq / 0x100000000) >>> 0;
  const w0 = mix32(namespace ^ mix32(lo + 0x9e3779b9));
  const w1raw = mix32(w0 ^ hi ^ 0x85ebca6b);
  const w2raw = mix32(w1raw ^ lo);
  const w3 = mix32(w2raw ^ namespace);
  const w1 = ((w1raw & 0xffff0fff) | 0x00004000) >>> 0; // version 4 nibble
  const w2 = ((w2raw & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant bits
  putWord(w3, putWord(w2, putWord(w1, putWord(w0, 0))));
  // Ids are map keys everywhere: a flat string hashes and compares without being flattened first.
  // The codes go as arguments, not through apply, which is a third slower.
  const c = codes;
  return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!, c[19]!, c[20]!, c[21]!, c[22]!, c[23]!, c[24]!, c[25]!, c[26]!, c[27]!, c[28]!, c[29]!, c[30]!, c[31]!, c[32]!, c[33]!, c[34]!, c[35]!);
}
