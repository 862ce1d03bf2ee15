/**
 * The cloudplane command as a user runs it: the built CLI in a child process, on the shipped
 * scenarios. Every shipped design validates clean, every file in scenarios/invalid/ fails with
 * the finding (or parse error) its first line announces, and exit codes follow the contract:
 * 0 clean, 1 errors found, 2 unreadable input or bad usage. No output ever holds a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findingCodesMarkdown } from '../../cli/format/markdown.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = `${root}dist/cli/main.js`;

function run(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  const out = { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  expect(`${out.stdout}${out.stderr}`).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  return out;
}

const yamlFiles = (dir: string): string[] => readdirSync(`${root}${dir}`).filter((f) => f.endsWith('.yaml')).sort().map((f) => `${dir}/${f}`);

describe('shipped scenarios', () => {
  const files = yamlFiles('scenarios');

  it('include a file for each deployment architecture and network mode', () => {
    expect(files.length).toBeGreaterThanOrEqual(11);
  });

  it.each(files)('%s validates without errors', (file) => {
    const { status, stdout } = run('validate', file);
    expect(stdout).toContain('0 error(s)');
    expect(status).toBe(0);
  });

  it.each(files)('%s plans as JSON with the documented schema', (file) => {
    const { status, stdout } = run('plan', file, '--format', 'json');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.summary.errors).toBe(0);
    expect(report.budgets.length).toBeGreaterThan(0);
    for (const zone of report.zones) expect(zone.firstToRunOut).not.toBeNull();
  });
});

describe('scenarios/invalid', () => {
  const files = yamlFiles('scenarios/invalid');

  it('hold one broken file per important rule', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files)('%s fails as announced', (file) => {
    const expectation = /^# expect: (\S+)/.exec(readFileSync(`${root}${file}`, 'utf8'))?.[1];
    expect(expectation, `${file} must start with "# expect: CODE" or "# expect: parse"`).toBeDefined();
    if (expectation === 'parse') {
      const { status, stderr } = run('validate', file);
      expect(status).toBe(2);
      expect(stderr).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:\\d+:\\d+: `));
      return;
    }
    const { status, stdout } = run('validate', '--format', 'json', file);
    expect(status).toBe(1);
    const findings: { code: string; severity: string }[] = JSON.parse(stdout).files[0].findings;
    expect(findings.map((f) => f.code)).toContain(expectation);
  });
});

describe('VMware routers and pod reserved ranges', () => {
  it('fails a VMware design whose pods cannot hold its routers, with a recommendation that fits', () => {
    const { status, stdout } = run('plan', 'scenarios/examples/vmware-routers-exhaust-pod.yaml', '--format', 'json');
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    const finding = report.findings.find((f: { code: string }) => f.code === 'POD_RESERVED_RANGE_EXHAUSTED');
    expect(finding).toBeDefined();
    expect(finding.severity).toBe('error');
    expect(finding.hint).toMatch(/\/\d\d|\d+ pods/);
  });

  it('passes the same design on KVM, whose routers use link-local addresses', () => {
    const { status, stdout } = run('plan', 'scenarios/examples/kvm-routers-fit-pod.yaml', '--format', 'json');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.findings.filter((f: { code: string }) => f.code === 'POD_RESERVED_RANGE_EXHAUSTED')).toEqual([]);
    expect(report.budgets.some((b: { kind: string; demand: number }) => b.kind === 'pod.linkLocalIps' && b.demand > 0)).toBe(true);
  });
});

describe('exit codes and messages', () => {
  it('exits 2 for a file that does not exist', () => {
    const { status, stderr } = run('plan', 'no-such-file.yaml');
    expect(status).toBe(2);
    expect(stderr).toContain('no-such-file.yaml: cannot read: no such file');
  });

  it('exits 2 for a directory', () => {
    expect(run('validate', 'scenarios').status).toBe(2);
  });

  it('exits 2 on a bad option, with usage help', () => {
    const { status, stderr } = run('plan', 'scenarios/small-deployment.yaml', '--format', 'xml');
    expect(status).toBe(2);
    expect(stderr).toContain('Allowed choices are text, json, markdown, html.');
  });

  it('prints help for every command', () => {
    for (const command of [[], ['validate'], ['plan'], ['codes']]) {
      const { status, stdout } = run(...command, '--help');
      expect(status).toBe(0);
      expect(stdout).toContain('Usage: cloudplane');
    }
  });

  it('keeps text output inside 100 columns', () => {
    const { stdout } = run('plan', 'scenarios/large-redundant.yaml');
    for (const line of stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('writes the report to --out', () => {
    mkdirSync(`${root}test-output`, { recursive: true });
    const out = `${root}test-output/plan.md`;
    const { status, stderr } = run('plan', 'scenarios/small-deployment.yaml', '--format', 'markdown', '--out', out);
    expect(status).toBe(0);
    expect(stderr).toContain('wrote');
    expect(readFileSync(out, 'utf8')).toMatch(/^# Plan: /);
  });

  it('reports validate results for several files, worst exit code wins', () => {
    const { status, stdout } = run('validate', 'scenarios/small-deployment.yaml', 'scenarios/examples/vmware-routers-exhaust-pod.yaml');
    expect(status).toBe(1);
    expect(stdout).toContain('scenarios/small-deployment.yaml: 0 error(s)');
  });
});

describe('docs/findings.md', () => {
  it('is the current output of cloudplane codes --format markdown', () => {
    expect(readFileSync(`${root}docs/findings.md`, 'utf8')).toBe(findingCodesMarkdown());
  });
});
