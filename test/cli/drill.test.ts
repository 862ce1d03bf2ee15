/**
 * `cloudplane drill` as a user runs it: the built CLI in a child process. The acceptance case is
 * scenarios/drills/no-headroom.yaml: n-1 names the db cluster, each db host and the VM its loss
 * strands, and exits 1; a failure HA absorbs exits 0; bad input exits 2 with the place of the
 * problem and never a stack trace; JSON is the same bytes for the same seed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = `${root}dist/cli/main.js`;
const FILE = 'scenarios/drills/no-headroom.yaml';

function run(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  const out = { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  expect(`${out.stdout}${out.stderr}`).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  return out;
}

describe('cloudplane drill --n-minus-1', () => {
  it('names the cluster without headroom, each host whose loss strands VMs, and those VMs (exit 1)', () => {
    const { status, stdout, stderr } = run('drill', FILE, '--n-minus-1');
    expect(stderr).toBe('');
    expect(status).toBe(1);
    const lines = stdout.split('\n');
    // The seed and how the cloud was populated come first.
    expect(lines.slice(0, 3)).toEqual([
      `cloudplane drill --n-minus-1: no-headroom (${FILE})`,
      'seed 7',
      'cloud: the demand deployed at 0s: 45 of 45 VMs, 3 account(s), 3 network(s); the drill starts at 1h',
    ]);
    expect(stdout).toContain('FAIL cluster db (pod pod1, zone zone1): 3 host(s), 9 HA VM(s); the loss of 3 of its hosts strands VMs');
    expect(stdout).toContain('  host db-kvm1: 3 of 3 HA VM(s) stranded, short 24,000 MHz and 98,304 MiB\n    stranded: db-1, db-4, db-7: Unable to create a deployment for the VM (4 x 2000 MHz and 32,768 MiB) in zone zone1: no host fits; removed: 1 cluster over the 0.85 CPU disable threshold');
    expect(stdout).toContain('  host db-kvm2: 3 of 3 HA VM(s) stranded, short 24,000 MHz and 98,304 MiB\n    stranded: db-2, db-5, db-8: ');
    expect(stdout).toContain('  host db-kvm3: 3 of 3 HA VM(s) stranded, short 24,000 MHz and 98,304 MiB\n    stranded: db-3, db-6, db-9: ');
    expect(stdout).not.toMatch(/FAIL cluster app-/);
    expect(stdout).toContain('ok   2 of 3 cluster(s) absorb the loss of any one host');
    expect(stdout).toContain('time to recover from one host\'s loss: at most 4m 30s (failure detection plus VM start)');
    expect(lines.at(-2)).toBe('result: 1 of 3 cluster(s) cannot absorb the loss of a host (db): losing any one of 3 host(s) strands HA VMs, 9 VM(s) over all of them (exit 1)');
  });

  it('prints the same JSON bytes for the same seed, with the documented shape', () => {
    const first = run('drill', FILE, '--n-minus-1', '--format', 'json');
    const second = run('drill', FILE, '--n-minus-1', '--format', 'json');
    expect(first.status).toBe(1);
    expect(second.stdout).toBe(first.stdout);
    const report = JSON.parse(first.stdout);
    expect(Object.keys(report)).toEqual(['schemaVersion', 'command', 'mode', 'scenario', 'file', 'seed', 'options', 'population', 'nMinus1', 'verdict']);
    expect(report).toMatchObject({ schemaVersion: 1, mode: 'n-minus-1', seed: 7, options: { atMs: 3_600_000 }, verdict: { absorbed: false, exitCode: 1 } });
    expect(report.nMinus1.failing.map((c: { cluster: string; losses: { host: string; stranded: { vm: string }[] }[] }) => [c.cluster, c.losses.map((l) => [l.host, l.stranded.map((v) => v.vm)])])).toEqual([
      ['db', [['db-kvm1', ['db-1', 'db-4', 'db-7']], ['db-kvm2', ['db-2', 'db-5', 'db-8']], ['db-kvm3', ['db-3', 'db-6', 'db-9']]]],
    ]);
    const other = run('drill', FILE, '--n-minus-1', '--format', 'json', '--seed', '8');
    expect(JSON.parse(other.stdout).seed).toBe(8);
  });

  it('writes markdown to a file with --out', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'drill-')), 'n-1.md');
    const { status, stdout, stderr } = run('drill', FILE, '--n-minus-1', '--format', 'markdown', '--out', out);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`wrote ${out}: 1 of 3 cluster(s) cannot absorb the loss of a host`);
    const markdown = readFileSync(out, 'utf8');
    expect(markdown).toContain('# Drill: no-headroom');
    expect(markdown).toContain('### Cluster db (pod pod1, zone zone1)');
    expect(markdown).toContain('| db-kvm1 | 3 | 3 | 24,000 | 98,304 | db-1, db-4, db-7 |');
  });
});

describe('cloudplane drill --fail', () => {
  it('exits 0 when HA absorbs a host failure, and shows where the VMs went', () => {
    const { status, stdout } = run('drill', FILE, '--fail', 'host', '--target', 'app-a-kvm2');
    expect(status).toBe(0);
    expect(stdout).toContain('host app-a-kvm2 failed at 1h and was repaired 2h later');
    expect(stdout).toContain('  restarted by HA: 5');
    expect(stdout).toContain('  stranded (HA VMs left down): 0');
    expect(stdout).toContain('  time to recover: 2m 40s (failure to the last HA restart running)');
    expect(stdout).toContain('result: HA absorbed the failure of host app-a-kvm2 (exit 0)');
  });

  it('exits 1 when a host failure strands VMs, with the shortfall of the cluster', () => {
    const { status, stdout } = run('drill', FILE, '--fail', 'host', '--target', 'db-kvm1', '--at', '2h', '--repair', '90m');
    expect(status).toBe(1);
    expect(stdout).toContain('seed 7; repair after 1h 30m');
    expect(stdout).toContain('host db-kvm1 failed at 2h and was repaired 1h 30m later');
    expect(stdout).toContain('  capacity shortfall: cluster db lacks 24,000 MHz and 98,304 MiB to restart its 3 stranded VM(s)');
    expect(stdout).toContain('result: the failure of host db-kvm1 stranded 3 HA VM(s) (exit 1)');
  });

  it('shows running VMs running on while the API refuses requests during a management outage', () => {
    const { status, stdout } = run('drill', FILE, '--fail', 'management', '--format', 'json');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.fail.impact.managementImpact).toEqual({ runningAtFailure: 45, runningBeforeRepair: 45, apiRefused: 1, reportsHeld: 0 });
    expect(report.fail.probe).toMatchObject({ request: 'startVirtualMachine', accepted: false, code: 'RESOURCE_UNAVAILABLE' });
    const text = run('drill', FILE, '--fail', 'management').stdout;
    expect(text).toContain('  running user VMs: 45 when it stopped, 45 just before it returned: running VMs kept running');
    expect(text).toContain('  probe at +7m 30s: startVirtualMachine refused: RESOURCE_UNAVAILABLE the management server is down');
  });
});

describe('cloudplane drill --runs', () => {
  it('reports percentiles, the same on worker threads as in one thread', () => {
    const args = ['drill', FILE, '--runs', '4', '--mtbf', '30d', '--mttr', '4h', '--for', '10d', '--format', 'json'];
    const threads = run(...args, '--workers', '2');
    const inline = run(...args, '--workers', '0');
    expect(threads.stderr).toBe('');
    expect(threads.stdout).toBe(inline.stdout);
    const report = JSON.parse(threads.stdout);
    expect(report.options).toEqual({ runs: 4, seeds: [7, 10], atMs: 3_600_000, windowMs: 864_000_000, faults: [{ name: 'hostCrash', target: 'every host', mtbfMs: 2_592_000_000, mttrMs: 14_400_000, repairMs: null }] });
    expect(report.monteCarlo.runs.map((r: { seed: number }) => r.seed)).toEqual([7, 8, 9, 10]);
    expect(Object.keys(report.monteCarlo.summary.vmsAffected)).toEqual(['p10', 'p50', 'p90', 'max', 'runs']);
    expect(threads.status).toBe(report.verdict.exitCode);
    const text = run('drill', FILE, '--runs', '4', '--mtbf', '30d', '--mttr', '4h', '--for', '10d');
    expect(text.stdout.split('\n').slice(1, 3)).toEqual(['seeds 7..10; failures strike for 10d from 1h, then everything is repaired and the cloud must settle', '  hostCrash: every host, mean time between failures 30d each, repair mean 4h']);
    expect(text.stdout).toMatch(/\n {18} {7}p10 {7}p50 {7}p90 {7}max\n/);
  });
});

describe('cloudplane drill: bad input', () => {
  it.each([
    [[], 'drill: choose what to drill: --fail KIND --target NAME, --n-minus-1, or --runs N (see cloudplane drill --help)'],
    [['--fail', 'host'], '--target: --fail host needs the name (or id) of the host to fail'],
    [['--fail', 'host', '--target', 'db-kvm9'], '--target: no host named "db-kvm9" (did you mean "db-kvm1"?)'],
    [['--fail', 'management', '--target', 'mgmt1'], '--target: --fail management takes no target'],
    [['--n-minus-1', '--runs', '3'], 'drill: --n-minus-1 and --runs cannot be combined; choose one'],
    [['--n-minus-1', '--repair', '1h'], '--repair: only goes with --fail'],
    [['--n-minus-1', '--at', '3 days'], '--at: "3 days" is not a duration; write it with its unit: 250ms, 90s, 15m, 4h, 30d or 2w'],
    [['--n-minus-1', '--seed', 'x'], '--seed: expected a whole number of 0 or more, got "x"'],
    [['--runs', '0'], '--runs: expected a whole number from 1 to 100000, got "0"'],
    [['--runs', '2'], '--runs: no failures to draw'],
    [['--runs', '2', '--mttr', '4h'], '--mttr: needs --mtbf'],
    [['--fail', 'rack', '--target', 'x'], "error: option '--fail <kind>' argument 'rack' is invalid. Allowed choices are host, cluster, pod, zone, storage, management."],
  ])('%j exits 2 with a message', (args, message) => {
    const { status, stdout, stderr } = run('drill', FILE, ...args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('points at file:line:column for a broken scenario or simulation section', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drill-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'version: 1\nname: broken\nzones:\n  - name: z1\n    networkType: Advanced\nsimulation:\n  faults:\n    - { name: hostCrash, mtbf: soon }\n');
    const { status, stderr } = run('drill', file, '--n-minus-1');
    expect(status).toBe(2);
    expect(stderr).toContain(`${file}:8:32: simulation.faults[0].mtbf: "soon" is not a duration`);
    const missing = run('drill', join(dir, 'nope.yaml'), '--n-minus-1');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`${join(dir, 'nope.yaml')}: cannot read: no such file\n`);
  });

  it('validates the shipped drill scenario without errors', () => {
    const { status, stdout } = run('validate', FILE);
    expect(stdout).toContain('0 error(s)');
    expect(status).toBe(0);
  });
});
