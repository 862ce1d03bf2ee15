import { stringify } from 'yaml';
import { IdPool } from '../core/net/pool.js';
import { planScenario, planScenarioText } from '../core/plan.js';
import { generateCloud } from './generate.js';
import { benchNMinus1 } from './drill.js';
import { benchPlacement } from './placement.js';
import { benchDeployVirtualMachine, benchListVirtualMachines } from './serve.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimulationFigures } from './simulate.js';

/**
 * `npm run bench`: prints each figure next to its target and, where the target compares
 * against a simpler approach, next to that baseline measured in the same run.
 */

interface Row {
  name: string;
  figure: string;
  target: string;
  baseline: string;
  pass: boolean;
}

const rows: Row[] = [];

function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Best of n runs, after one warm-up, so JIT compilation does not count. */
function bestOf(n: number, fn: () => void): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, timeMs(fn));
  return best;
}

function benchPlan(): void {
  const spec = generateCloud({ zones: 4, podsPerZone: 10, clustersPerPod: 25, hostsPerCluster: 10 });
  const text = stringify(spec);
  let hosts = 0;
  let findings = 0;
  const fromSpecMs = bestOf(3, () => {
    const { report } = planScenario(spec);
    hosts = report.summary.hosts;
    findings = report.findings.length;
  });
  const fromTextMs = bestOf(3, () => {
    const outcome = planScenarioText(text);
    if (!outcome.ok) throw new Error(`generated scenario does not parse: ${outcome.problems[0]?.message}`);
  });
  rows.push({
    name: `validate + plan, ${hosts.toLocaleString('en-US')} hosts (spec → report)`,
    figure: `${fromSpecMs.toFixed(0)} ms`,
    target: '< 1000 ms',
    baseline: `${findings} findings`,
    pass: fromSpecMs < 1000,
  });
  rows.push({
    name: `validate + plan, ${hosts.toLocaleString('en-US')} hosts (YAML text → report)`,
    figure: `${fromTextMs.toFixed(0)} ms`,
    target: '< 1000 ms',
    baseline: `${(text.length / 1e6).toFixed(1)} MB of YAML`,
    pass: fromTextMs < 1000,
  });
}

/** The simplest allocator: a flag per address, scanned from the start for the first free one. */
class ScanAllocator {
  private readonly used: Uint8Array;
  constructor(private readonly first: number, size: number) {
    this.used = new Uint8Array(size);
  }
  allocateLowest(): number | undefined {
    for (let i = 0; i < this.used.length; i++) {
      if (this.used[i] === 0) {
        this.used[i] = 1;
        return this.first + i;
      }
    }
    return undefined;
  }
  release(ip: number): boolean {
    const i = ip - this.first;
    if (this.used[i] !== 1) return false;
    this.used[i] = 0;
    return true;
  }
}

/**
 * A /16 filled to 90 %, then release-a-random-address / allocate pairs: the churn of a busy
 * pool. Every allocation must return the lowest free address.
 */
function allocatorOpsPerSecond(make: () => { allocateLowest(): number | undefined; release(ip: number): boolean }, pairs: number): number {
  const size = 65_536;
  const first = 0x0a000000;
  const allocator = make();
  const fill = Math.floor(size * 0.9);
  for (let i = 0; i < fill; i++) allocator.allocateLowest();
  // A fixed sequence of addresses to release, the same for every allocator.
  let x = 12345;
  const victims = new Uint32Array(pairs);
  for (let i = 0; i < pairs; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    victims[i] = first + (x % fill);
  }
  const ms = timeMs(() => {
    for (let i = 0; i < pairs; i++) {
      const ip = victims[i]!;
      if (allocator.release(ip)) {
        const again = allocator.allocateLowest();
        if (again !== ip) throw new Error(`allocator returned ${again}, expected the lowest free ${ip}`);
      }
    }
  });
  return (pairs * 2) / (ms / 1000);
}

function benchAllocator(): void {
  const fast = Math.max(...[1, 2, 3].map(() => allocatorOpsPerSecond(() => new IdPool([{ first: 0x0a000000, last: 0x0a00ffff }]), 1_000_000)));
  const naive = Math.max(...[1, 2].map(() => allocatorOpsPerSecond(() => new ScanAllocator(0x0a000000, 65_536), 20_000)));
  rows.push({
    name: 'IP allocate/release on a /16 at 90 % full',
    figure: `${(fast / 1e6).toFixed(2)} M ops/s`,
    target: '≥ 2.00 M ops/s',
    baseline: `scan-from-start: ${(naive / 1e6).toFixed(3)} M ops/s (${(fast / naive).toFixed(0)}× slower)`,
    pass: fast >= 2_000_000,
  });
}

function benchPlacements(): void {
  const figures = benchPlacement();
  rows.push({
    name: `placement, 10,000 hosts, first-fit, host tags, thresholds (${(figures.placements / 1000).toFixed(0)}k VMs)`,
    figure: `${(figures.placementsPerSecond / 1000).toFixed(0)}k /s`,
    target: '≥ 200k /s',
    baseline: `scan of every host: ${(figures.baselinePerSecond / 1000).toFixed(1)}k /s`,
    pass: figures.placementsPerSecond >= 200_000,
  });
  rows.push({
    name: 'placement with host anti-affinity groups of 10 VMs',
    figure: `${(figures.antiAffinityPerSecond / 1000).toFixed(0)}k /s`,
    target: '≥ 50k /s',
    baseline: `scan of every host: ${(figures.baselinePerSecond / 1000).toFixed(1)}k /s`,
    pass: figures.antiAffinityPerSecond >= 50_000,
  });
}

/** The year runs in a fresh node (see year.ts), with the garbage collector exposed for the heap figure. */
function simulatedYearInFreshProcess(): SimulationFigures {
  const script = fileURLToPath(new URL('./year.js', import.meta.url));
  const child = spawnSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`the simulated year failed (exit ${child.status ?? child.signal}): ${child.stderr.trim()}`);
  return JSON.parse(child.stdout) as SimulationFigures;
}

function benchSimulation(): void {
  const figures = simulatedYearInFreshProcess();
  const seconds = figures.ms / 1000;
  rows.push({
    name: `one simulated year, ${figures.hosts.toLocaleString('en-US')} hosts, ${(figures.arrivals / 1e6).toFixed(2)} M arrivals, ${(figures.departures / 1e6).toFixed(2)} M departures`,
    figure: `${seconds.toFixed(1)} s`,
    target: '< 20 s',
    baseline: `${(figures.tasks / 1e6).toFixed(2)} M tasks, ${Math.round(figures.tasks / seconds / 1000)}k tasks/s; checking the whole cloud after each of its ${(figures.steps / 1e6).toFixed(2)} M steps: ${((figures.ms + figures.fullCheckMs * figures.steps) / 3_600_000).toFixed(0)} h (extrapolated, ${figures.fullCheckMs.toFixed(0)} ms a check)`,
    pass: seconds < 20,
  });
  const perVm = figures.heapBytesPerLiveVm;
  rows.push({
    name: `heap per live VM at the end of that year (${figures.liveVms.toLocaleString('en-US')} live VMs)`,
    figure: perVm === undefined ? 'n/a' : `${Math.round(perVm)} B`,
    target: '< 1024 B',
    baseline:
      perVm === undefined
        ? 'run node with --expose-gc to measure'
        : `median of the last ${figures.heapBytesPerLiveVmDaily.length} days (${Math.round(Math.min(...figures.heapBytesPerLiveVmDaily))}–${Math.round(Math.max(...figures.heapBytesPerLiveVmDaily))} B): heap + typed-array growth after a full collection`,
    pass: perVm !== undefined && perVm < 1024,
  });
}

function benchDrill(): void {
  const figures = benchNMinus1();
  const seconds = figures.ms / 1000;
  rows.push({
    name: `--n-minus-1 over all ${figures.hosts.toLocaleString('en-US')} hosts (${figures.vms.toLocaleString('en-US')} VMs)`,
    figure: `${seconds.toFixed(2)} s`,
    target: '< 2 s',
    baseline: figures.baselineMs === undefined ? 'not measured' : `rebuild and fail each host: ${(figures.baselineMs / 3_600_000).toFixed(1)} h (extrapolated)`,
    pass: seconds < 2,
  });
}

async function benchServe(): Promise<void> {
  const list = await benchListVirtualMachines(100_000);
  rows.push({
    name: `listVirtualMachines, pages of 500 of ${list.vms.toLocaleString('en-US')} VMs (${Math.round(list.pageBytes / 1024)} KiB), 32 clients, p99`,
    figure: `${list.p99Ms.toFixed(1)} ms`,
    target: '< 20 ms',
    baseline: `p50 ${list.p50Ms.toFixed(1)} ms; a bare node:http server writing a prebuilt page of that size: p99 ${list.floorP99Ms.toFixed(1)} ms`,
    pass: list.p99Ms < 20,
  });
  const deploy = await benchDeployVirtualMachine();
  rows.push({
    name: `deployVirtualMachine over HTTP, simulated hosts answering at once, 32 clients (${deploy.jobs.toLocaleString('en-US')} jobs)`,
    figure: `${Math.round(deploy.jobsPerSecond).toLocaleString('en-US')} jobs/s`,
    target: '≥ 1,000 jobs/s',
    baseline: `store: ${deploy.store}; each job a deploy and a queryAsyncJobResult`,
    pass: deploy.jobsPerSecond >= 1000,
  });
}

benchPlan();
benchAllocator();
benchPlacements();
// The year runs before the drill so its heap figure does not carry the drill's clouds.
benchSimulation();
benchDrill();
await benchServe();

const width = Math.max(...rows.map((r) => r.name.length));
process.stdout.write(`cloudplane bench (node ${process.version}, ${process.platform}/${process.arch})\n\n`);
process.stdout.write(`${'benchmark'.padEnd(width)}  ${'figure'.padStart(14)}  ${'target'.padStart(14)}  result  baseline\n`);
for (const row of rows) {
  process.stdout.write(`${row.name.padEnd(width)}  ${row.figure.padStart(14)}  ${row.target.padStart(14)}  ${(row.pass ? 'pass' : 'FAIL').padEnd(6)}  ${row.baseline}\n`);
}
process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
