/**
 * The tidy test: the source tree obeys the layering of ARCHITECTURE.md and core/ stays free of
 * clock, randomness, timers, environment and I/O. The second block tests the checker itself on
 * small synthetic files, so a checker that silently stopped finding things would fail here.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTidy, readSourceTree } from './tidy.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the source tree', () => {
  it('has no cross-layer imports and nothing non-deterministic in core/', () => {
    const files = readSourceTree(root);
    expect(files.some((f) => f.path.startsWith('core/'))).toBe(true);
    const violations = checkTidy(files);
    expect(violations.map((v) => `${v.path}:${v.line}: ${v.message}`)).toEqual([]);
  });
});

describe('the tidy checker', () => {
  it('fails when core/ imports node:fs, and names the replacement', () => {
    const violations = checkTidy([{ path: 'core/bad.ts', text: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n" }]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ path: 'core/bad.ts', line: 1 });
    expect(violations[0]!.message).toMatch(/core does no I\/O.*cli\/, server\/ or live-drivers\//);
  });

  it('fails when core/ calls Math.random, and points at the seeded rng', () => {
    const violations = checkTidy([{ path: 'core/bad.ts', text: 'export function pick(): number {\n  return Math.random();\n}\n' }]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ line: 2 });
    expect(violations[0]!.message).toContain('ctx.rng');
  });

  it('fails on the clock, timers and the environment in core/', () => {
    const text = [
      'export const a = Date.now();',
      'export const b = new Date(0);',
      'setTimeout(() => undefined, 1);',
      'export const c = process.env.HOME;',
      "export const d = require('x');",
    ].join('\n');
    const messages = checkTidy([{ path: 'core/bad.ts', text }]).map((v) => `${v.line}: ${v.message}`);
    expect(messages).toHaveLength(5);
    expect(messages[0]).toMatch(/^1: Date\.now.*ctx\.nowMs/);
    expect(messages[1]).toMatch(/^2: new Date\(/);
    expect(messages[2]).toMatch(/^3: timers/);
    expect(messages[3]).toMatch(/^4: process\./);
    expect(messages[4]).toMatch(/^5: require\(\)/);
  });

  it('ignores the banned words in comments and strings', () => {
    const text = '// never Math.random or Date.now here\nexport const s = "new Date( and node:fs";\n';
    expect(checkTidy([{ path: 'core/fine.ts', text }])).toEqual([]);
  });

  it('allows the same calls outside core/', () => {
    const text = "import { readFileSync } from 'node:fs';\nexport const r = Math.random() + Date.now();\n";
    expect(checkTidy([{ path: 'cli/fine.ts', text }])).toEqual([]);
  });

  it('fails on imports against the layer direction', () => {
    const violations = checkTidy([
      { path: 'core/a.ts', text: "import { x } from '../simulator/queue.js';\nexport const y = x;\n" },
      { path: 'simulator/b.ts', text: "import { x } from '../live-drivers/exec.js';\nexport const y = x;\n" },
      { path: 'viz/c.ts', text: "import { x } from '../server/app.js';\nexport const y = x;\n" },
      { path: 'server/d.ts', text: "import { x } from '../core/plan.js';\nexport const y = x;\n" },
    ]);
    expect(violations.map((v) => v.path)).toEqual(['core/a.ts', 'simulator/b.ts', 'viz/c.ts']);
    expect(violations[0]!.message).toContain('core/ imports simulator/');
    expect(violations[1]!.message).toContain('simulator/ may import only core/');
  });

  it('holds viz/charts/ and viz/report/ to d3\'s DOM-free modules, and not the rest of viz/', () => {
    const violations = checkTidy([
      { path: 'viz/charts/a.ts', text: "import { JSDOM } from 'jsdom';\nimport { scaleLinear } from 'd3-scale';\nexport const y = [JSDOM, scaleLinear];\n" },
      { path: 'viz/report/b.ts', text: "import { writeFileSync } from 'node:fs';\nexport const y = writeFileSync;\n" },
      { path: 'viz/console/c.ts', text: "import { select } from 'd3-selection';\nexport const y = select;\n" },
    ]);
    expect(violations.map((v) => `${v.path}:${v.line}`)).toEqual(['viz/charts/a.ts:1', 'viz/report/b.ts:1']);
    expect(violations[0]!.message).toContain('may use only d3-array, d3-format, d3-hierarchy, d3-scale, d3-shape');
  });

  it('fails when core/ imports a package outside its allowed list', () => {
    const violations = checkTidy([{ path: 'core/a.ts', text: "import express from 'express';\nexport const y = express;\n" }]);
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain('core may use only');
  });
});
