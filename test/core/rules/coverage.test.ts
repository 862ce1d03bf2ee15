/**
 * The meta-test: every finding code has a test that makes it fire. It compares FINDING_CODES
 * with the record in coverage.ts and the record with the test files themselves, whose firing
 * tests are titled "<CODE> fires when ...". A new code without a firing test, a firing test
 * whose code is missing from the record, or a recorded code whose test is gone fails the run.
 * A code may be listed as unreachable only with a reason, and then no test may claim it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, type FindingCode } from '../../../core/rules/codes.js';
import { FIRING_TESTS, type RuleTestFile, UNREACHABLE_CODES } from './coverage.js';

const TEST_FILES: readonly RuleTestFile[] = ['api.test.ts', 'zones.test.ts', 'addresses.test.ts', 'networks.test.ts', 'compute-storage.test.ts', 'budgets.test.ts', 'lifecycle.test.ts'];

/** The codes named by the firing tests of a file: titles of the form it('<CODE> fires ...'). */
function firedIn(file: RuleTestFile): Set<string> {
  const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
  return new Set([...source.matchAll(/\bit\(\s*'([A-Z0-9_]+) fires /g)].map((m) => m[1]!));
}

const allCodes = Object.keys(FINDING_CODES) as FindingCode[];
const recorded = FIRING_TESTS as Readonly<Record<string, RuleTestFile>>;
const unreachable = UNREACHABLE_CODES as Readonly<Record<string, string>>;

describe('every finding code has a firing test', () => {
  it('every code in FINDING_CODES is recorded as fired or listed as unreachable, and never both', () => {
    const missing = allCodes.filter((code) => !(code in recorded) && !(code in unreachable));
    expect(missing, 'codes with neither a firing test nor a reason').toEqual([]);
    const both = allCodes.filter((code) => code in recorded && code in unreachable);
    expect(both).toEqual([]);
    const unknown = [...Object.keys(recorded), ...Object.keys(unreachable)].filter((code) => !(code in FINDING_CODES));
    expect(unknown, 'recorded codes that FINDING_CODES does not define').toEqual([]);
  });

  it.each(TEST_FILES)('the firing tests of %s are exactly the codes recorded for it', (file) => {
    const inFile = [...firedIn(file)].sort();
    const inRecord = Object.entries(recorded).filter(([, f]) => f === file).map(([code]) => code).sort();
    expect(inFile).toEqual(inRecord);
  });

  it('no firing test claims a code listed as unreachable, and every unreachable code has a reason', () => {
    const claimed = new Set(TEST_FILES.flatMap((file) => [...firedIn(file)]));
    for (const [code, reason] of Object.entries(unreachable)) {
      expect(claimed.has(code), code).toBe(false);
      expect(reason.length).toBeGreaterThan(40);
    }
  });
});
