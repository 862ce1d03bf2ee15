/**
 * `cloudplane simulate` as a user runs it: the built CLI in a child process. The forecast names
 * the first resource to run out with its date, the JSON is the same bytes for the same seed,
 * `--runs` reports percentiles over seeds run on worker threads, and bad input exits 2 with a
 * message that says what and where, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = `${root}dist/cli/main.js`;
const scratch = mkdtempSync(join(tmpdir(), 'cloudplane-simulate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  const out = { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  expect(`${out.stdout}${out.stderr}`).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  return out;
}

const LARGE = 'scenarios/large-redundant.yaml';

describe('simulate scenarios/large-redundant.yaml', () => {
  const text = run('simulate', LARGE);
  const json = run('simulate', LARGE, '--format', 'json');
  const report = JSON.parse(json.stdout);

  it('prints the seed and the derived workload first, then names the first resource to run out and its date', () => {
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(`cloudplane simulate: large-redundant (${LARGE})`);
    expect(lines[1]).toBe('seed 42');
    expect(lines[2]).toMatch(/^horizon 365d: 2026-01-01 to 2027-01-01, a sample every 1d/);
    expect(text.stdout).toContain('workload derived from demand: (the scenario has no simulation: section)');
    const first = report.forecast.firstToRunOut;
    expect(first).not.toBeNull();
    expect(first.date).toMatch(/^2026-\d\d-\d\d$/);
    const scope = { 'cluster.cpu': 'cluster', 'cluster.memory': 'cluster', 'pool.storage': 'pool', 'zone.primaryStorage': 'zone', 'zone.cpu': 'zone', 'zone.memory': 'zone', 'zone.publicIps': 'zone', 'pod.reservedIps': 'pod', 'physicalNetwork.vnets': 'network', 'imageStore.storage': 'store' }[first.kind as string];
    expect(text.stdout).toContain(`First to run out: ${first.resource} of ${scope} ${first.name}`);
    expect(text.stdout).toContain(`on ${first.date} (day ${first.day}).`);
  });

  it('exits 1 because a resource runs out within the horizon, and prints nothing on stderr', () => {
    expect(text.status).toBe(1);
    expect(json.status).toBe(1);
    expect(report.exhaustedWithinHorizon).toBe(true);
    // Standard error is not a terminal here: no progress bar.
    expect(text.stderr).toBe('');
  });

  it('keeps text output inside 100 columns', () => {
    for (const line of text.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('writes JSON with schemaVersion 1, the options, and a series per resource', () => {
    expect(report.schemaVersion).toBe(1);
    expect(report.options).toEqual({ seed: 42, runs: 1, seeds: [42], horizonMs: 365 * 86_400_000, horizon: '365d', startDate: '2026-01-01', endDate: '2027-01-01', sampleEveryMs: 86_400_000, workload: 'demand' });
    expect(report.forecast.timesMs).toHaveLength(366);
    const kinds = new Set(report.forecast.series.map((s: { kind: string }) => s.kind));
    for (const kind of ['zone.cpu', 'zone.memory', 'cluster.cpu', 'cluster.memory', 'zone.primaryStorage', 'pool.storage', 'imageStore.storage', 'pod.reservedIps', 'physicalNetwork.vnets', 'zone.publicIps']) expect(kinds.has(kind), kind).toBe(true);
    for (const s of report.forecast.series) expect(s.shares).toHaveLength(366);
    expect(report.monteCarlo).toBeNull();
  });

  it('gives byte-identical JSON for the same seed', () => {
    const again = run('simulate', LARGE, '--format', 'json');
    expect(again.stdout).toBe(json.stdout);
  });

  it('gives another run for another seed', () => {
    const other = run('simulate', LARGE, '--format', 'json', '--seed', '7', '--horizon', '60d');
    const parsed = JSON.parse(other.stdout);
    expect(parsed.options.seed).toBe(7);
    expect(parsed.forecast.timesMs).toHaveLength(61);
    expect(JSON.stringify(parsed.forecast.runningVms)).not.toBe(JSON.stringify(report.forecast.runningVms.slice(0, 61)));
  });
});

describe('simulate --runs', () => {
  it('reports percentiles of exhaustion dates and the share of runs each resource is first', () => {
    const { status, stdout, stderr } = run('simulate', LARGE, '--runs', '3', '--horizon', '120d', '--format', 'json');
    expect(stderr).toBe('');
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.options.seeds).toEqual([42, 43, 44]);
    expect(report.forecast).toBeNull();
    const { summary, runs } = report.monteCarlo;
    expect(runs.map((r: { seed: number }) => r.seed)).toEqual([42, 43, 44]);
    expect(summary.resources.length).toBeGreaterThan(0);
    const shares = summary.resources.reduce((sum: number, r: { firstShare: number }) => sum + r.firstShare, 0) + summary.noExhaustionShare;
    expect(shares).toBeCloseTo(1, 10);
    for (const r of summary.resources) {
      const { p10, p50, p90 } = r.exhaustion;
      const at = (x: { atMs: number } | null): number => x?.atMs ?? Infinity;
      expect(at(p10)).toBeLessThanOrEqual(at(p50));
      expect(at(p50)).toBeLessThanOrEqual(at(p90));
    }
    // Each run's own first resource is what the summary counts.
    const top = summary.resources.find((r: { firstRuns: number }) => r.firstRuns > 0);
    expect(runs.filter((r: { firstToRunOut: { key: string } | null }) => r.firstToRunOut?.key === top.key)).toHaveLength(top.firstRuns);
  });

  it('prints the percentiles as a table', () => {
    const { stdout } = run('simulate', LARGE, '--runs', '2', '--horizon', '60d', '--workers', '2');
    expect(stdout).toContain('Monte Carlo: 2 runs, seeds 42..43');
    expect(stdout).toMatch(/p10 +p50 +p90 +first/);
  });
});

describe('simulate with a simulation: section', () => {
  it('runs the section for its own duration and lists its workloads and faults', () => {
    const { status, stdout } = run('simulate', 'scenarios/simulations/ha-drill.yaml', '--format', 'markdown');
    expect([0, 1]).toContain(status);
    expect(stdout.split('\n')[0]).toBe('# Forecast: ha-drill');
    expect(stdout).toContain('- seed 2024');
    expect(stdout).toContain('- horizon 30d: 2026-01-01 to 2026-01-31');
    expect(stdout).toContain('- workload from the scenario\'s simulation: section');
    expect(stdout).toContain('\n  - fault hostCrash: mtbf 60d, mttr 4h\n');
    expect(stdout).toContain('| resource | capacity | peak | end | notify | disable | full |');
  });

  it('counts dates from the section\'s startDate and writes to --out', () => {
    const file = join(scratch, 'dated.yaml');
    const text = readFileSync(`${root}scenarios/simulations/ha-drill.yaml`, 'utf8').replace('  seed: 2024\n', '  seed: 2024\n  startDate: 2027-03-01\n').replace('duration: 30d', 'duration: 5d');
    writeFileSync(file, text);
    const out = join(scratch, 'dated.json');
    const { status, stdout, stderr } = run('simulate', file, '--format', 'json', '--out', out);
    expect(status).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe(`wrote ${out}: nothing runs out\n`);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.options.startDate).toBe('2027-03-01');
    expect(report.options.endDate).toBe('2027-03-06');
  });
});

describe('simulate: bad input exits 2 with a clear message', () => {
  it('for a file that does not exist', () => {
    const { status, stderr } = run('simulate', 'no-such-file.yaml');
    expect(status).toBe(2);
    expect(stderr).toBe('no-such-file.yaml: cannot read: no such file\n');
  });

  it('for a horizon that is not a duration', () => {
    const { status, stderr, stdout } = run('simulate', LARGE, '--horizon', 'a year');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('--horizon: "a year" is not a duration; write a duration with its unit, such as 90d, 26w or 365d\n');
  });

  it('for a number of runs that is not a whole number', () => {
    const { status, stderr } = run('simulate', LARGE, '--runs', '0');
    expect(status).toBe(2);
    expect(stderr).toBe('--runs: expected a whole number of at least 1, got "0"\n');
  });

  it('for a simulation section with mistakes, each located as file:line:column: path: message', () => {
    const file = join(scratch, 'broken.yaml');
    const text = readFileSync(`${root}scenarios/simulations/ha-drill.yaml`, 'utf8')
      .replace('    - { name: steadyArrivals, perDay: 50 }', '    - { name: steadyArrivals, perDay: 50, zone: zone9 }')
      .replace('    - { name: monthlyGrowth, percent: 5 }', '    - { name: monthlyGrowth, percent: 5, colour: blue }');
    writeFileSync(file, text);
    const { status, stdout, stderr } = run('simulate', file);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe([
      `${file}:76:49: simulation.workloads[1].zone: zone "zone9" is not declared in the scenario (did you mean "zone1"?)`,
      `${file}:77:42: simulation.workloads[2].colour: unknown key "colour"`,
      `${file}: invalid simulation: section (2 problem(s))`,
      '',
    ].join('\n'));
  });

  it('for a start date that does not exist', () => {
    const file = join(scratch, 'dated-wrong.yaml');
    writeFileSync(file, `${readFileSync(`${root}scenarios/simulations/ha-drill.yaml`, 'utf8')}  startDate: 2026-02-30\n`);
    const { status, stderr } = run('simulate', file);
    expect(status).toBe(2);
    expect(stderr).toBe(`${file}:90:14: simulation.startDate: expected a date written YYYY-MM-DD (such as 2026-01-01), got "2026-02-30"\n${file}: invalid simulation: section (1 problem(s))\n`);
  });

  it('for a scenario that does not parse', () => {
    const { status, stderr } = run('simulate', 'scenarios/invalid/malformed-yaml.yaml');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^scenarios\/invalid\/malformed-yaml\.yaml:\d+:\d+: /);
  });

  it('prints help', () => {
    const { status, stdout } = run('simulate', '--help');
    expect(status).toBe(0);
    expect(stdout).toContain('Usage: cloudplane simulate [options] <file>');
    expect(stdout).toContain('--runs <n>');
  });
});
