/**
 * `--format html` as a user runs it (the built CLI in a child process): plan, simulate and drill
 * write one self-contained file with the charts that fit the command, nothing to fetch, well
 * formed, and the same bytes for the same input and seed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { wellFormedProblems } from '../viz/xml.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = `${root}dist/cli/main.js`;
const scratch = mkdtempSync(join(tmpdir(), 'cloudplane-html-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Writes the report to a fresh file and reads it back. */
function report(name: string, ...args: string[]): { status: number; html: string; stderr: string } {
  const out = join(scratch, `${name}.html`);
  const { status, stderr } = run(...args, '--format', 'html', '--out', out);
  return { status, html: readFileSync(out, 'utf8'), stderr };
}

const charts = (html: string): string[] => [...html.matchAll(/<svg [^>]*class="chart chart-([a-z-]+)"/g)].map((m) => m[1]!);

function expectSelfContained(html: string): void {
  expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
  // The SVG namespace names, it does not fetch; nothing else may point off the page.
  expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
  expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
  expect(wellFormedProblems(html, new Set(['meta']))).toEqual([]);
}

describe('cloudplane plan --format html', () => {
  const first = report('plan', 'plan', 'scenarios/large-redundant.yaml');

  it('writes one self-contained file with the topology, capacity, IP space and VLAN pool charts', () => {
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('wrote ' + join(scratch, 'plan.html') + ': 0 error(s), 0 warning(s)\n');
    expect(charts(first.html)).toEqual(['topology', 'capacity', 'ip-space', 'vlan']);
    expectSelfContained(first.html);
    expect(first.html).toContain('<caption>Budgets of zone dc1</caption>');
    expect(first.html).toContain('No findings: the design passes every rule.');
  });

  it('is the same bytes on a second run, and goes to standard output without --out', () => {
    expect(report('plan-again', 'plan', 'scenarios/large-redundant.yaml').html).toBe(first.html);
    expect(run('plan', 'scenarios/large-redundant.yaml', '--format', 'html').stdout).toBe(first.html);
  });

  it('lists the findings of a design with errors', () => {
    const { status, html } = report('plan-errors', 'plan', 'scenarios/examples/vmware-routers-exhaust-pod.yaml');
    expect(status).toBe(1);
    expect(html).toContain('<tr class="error"><td>error</td><td>POD_RESERVED_RANGE_EXHAUSTED</td>');
    expectSelfContained(html);
  });

  it('says in --help what html makes and where it goes', () => {
    expect(run('plan', '--help').stdout.replace(/\s+/g, ' ')).toContain('html is one self-contained report (inline SVG charts and CSS, nothing fetched), written to --out or standard output');
  });
});

describe('cloudplane simulate --format html', () => {
  it('has the forecast and the capacity at the end of the horizon, the same bytes for the same seed', () => {
    const args = ['simulate', 'scenarios/large-redundant.yaml', '--horizon', '60d', '--seed', '5'];
    const first = report('simulate', ...args);
    expect(first.status).toBe(1);
    expect(charts(first.html)).toEqual(['forecast', 'capacity']);
    expect(first.html).toContain('first to run out: 2026-');
    expect(first.html).toContain('<caption>Resources of zone dc1, most urgent first</caption>');
    expectSelfContained(first.html);
    expect(report('simulate-again', ...args).html).toBe(first.html);
  });
});

describe('cloudplane drill --format html', () => {
  const FILE = 'scenarios/drills/no-headroom.yaml';

  it('--n-minus-1 has the drill impact and the planned capacity, the same bytes for the same seed', () => {
    const first = report('n1', 'drill', FILE, '--n-minus-1');
    expect(first.status).toBe(1);
    expect(charts(first.html)).toEqual(['drill', 'capacity']);
    expect(first.html).toContain('<caption>Host losses that strand HA VMs</caption>');
    expectSelfContained(first.html);
    expect(report('n1-again', 'drill', FILE, '--n-minus-1').html).toBe(first.html);
  });

  it('--runs draws the Monte Carlo percentiles', () => {
    const { html } = report('runs', 'drill', FILE, '--runs', '2', '--mtbf', '30d', '--mttr', '4h', '--for', '5d', '--workers', '0');
    expect(charts(html)).toEqual(['drill', 'capacity']);
    expect(html).toContain('Monte Carlo over 2 run(s): percentiles by nearest rank');
    expectSelfContained(html);
  });
});
