import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Golden-SVG comparison. Numbers are normalised to two decimals before comparing, so float noise
 * in a coordinate never fails a test while any real change of geometry or text does.
 * `UPDATE_GOLDEN=1 npx vitest run test/viz` rewrites the golden files from the current output.
 */

export const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));

export function normaliseSvg(svg: string): string {
  return svg.replace(/-?\d+\.\d+/g, (n) => {
    const fixed = Number(n).toFixed(2);
    return fixed === '-0.00' ? '0.00' : fixed;
  });
}

export interface GoldenResult {
  same: boolean;
  /** The first differing line of the normalised texts, for the failure message. */
  firstDifference?: { line: number; expected: string; actual: string };
}

export function compareSvg(expected: string, actual: string): GoldenResult {
  const a = normaliseSvg(expected).split('\n');
  const b = normaliseSvg(actual).split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { same: false, firstDifference: { line: i + 1, expected: a[i] ?? '(end)', actual: b[i] ?? '(end)' } };
  }
  return { same: true };
}

/** Compares `svg` with golden/<name>.svg; with UPDATE_GOLDEN=1 writes it instead. */
export function matchGolden(name: string, svg: string): GoldenResult {
  const path = `${GOLDEN_DIR}${name}.svg`;
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`${path}: no golden file; run with UPDATE_GOLDEN=1 to write it`);
    writeFileSync(path, svg);
    return { same: true };
  }
  return compareSvg(readFileSync(path, 'utf8'), svg);
}
