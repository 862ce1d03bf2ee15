import { type Command, Option } from 'commander';
import { formatCount } from '../core/format.js';
import { parseScenarioText, type SourceMap } from '../core/scenario/parse.js';
import type { ScenarioSpec } from '../core/scenario/schema.js';
import { parseDurationMs } from '../simulator/distributions.js';
import { failureDrill } from '../simulator/drill-fail.js';
import { DEFAULT_WINDOW_MS, type MonteCarloInput, type MonteCarloRun, mtbfFaults, summarizeMonteCarlo } from '../simulator/drill-montecarlo.js';
import { createDrillCloud, defaultDrillAtMs, FAIL_KINDS, type FailKind, populate } from '../simulator/drill-setup.js';
import { SimulationFailure } from '../simulator/failure.js';
import { evaluateHostLosses, hostsToEvaluate, summarizeHostLosses } from '../simulator/nminus1.js';
import { runSeeds, SeedJobError, seedRange } from '../simulator/parallel.js';
import { parseSimulation, type SimulationSpec } from '../simulator/schema.js';
import { type DrillReport, type FaultDescription, formatDrillMarkdown, formatDrillText } from './format/drill.js';
import { formatDrillHtml, HTML_FORMAT_HELP } from './format/html.js';
import { emit, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, InputError, problemLines, readInput } from './input.js';
import { progressBar, type ProgressBar } from './progress.js';

/**
 * `cloudplane drill FILE`: what breaks when a host, a cluster, a pod, a zone, a primary storage
 * pool or the management server goes down, and whether HA absorbs it.
 *
 * - `--fail KIND --target NAME` plays one failure out in the simulator and reports the VMs it
 *   took down, what HA restarted and where, what it stranded and why, the capacity the cluster
 *   lacked and the time to recover;
 * - `--n-minus-1` judges the loss of every host in turn against the unchanged cloud;
 * - `--runs N` draws failures from MTBF figures over seeds seed..seed+N-1 on worker threads and
 *   reports percentiles.
 *
 * The cloud is populated first (the `simulation:` section's workloads up to `--at`, else the
 * `demand:` section; see simulator/drill-setup.ts). Exit codes: 0 HA absorbed everything (VMs
 * without HA going down is by design), 1 HA VMs were stranded or the cloud did not settle,
 * 2 bad input, 70 the simulation found a bug (a broken invariant; the message has the seed).
 */

const EXIT_BUG = 70;

type Format = 'text' | 'json' | 'markdown' | 'html';

interface DrillOptions {
  fail?: string;
  target?: string;
  nMinus1?: boolean;
  runs?: string;
  seed?: string;
  at?: string;
  repair?: string;
  for?: string;
  mtbf?: string;
  mttr?: string;
  storageMtbf?: string;
  storageMttr?: string;
  workers?: string;
  format: Format;
  out?: string;
}

export function registerDrill(program: Command, setExit: (code: number) => void): void {
  program
    .command('drill')
    .description('Fail a host, cluster, pod, zone, storage pool or the management server, every host in turn (--n-minus-1), or many drawn failures (--runs), and report what HA absorbs; exit 0 absorbed, 1 VMs stranded, 2 bad input.')
    .argument('<file>', 'scenario file (YAML)')
    .addOption(new Option('--fail <kind>', 'fail one target of this kind').choices([...FAIL_KINDS]))
    .option('--target <name>', 'the name (or id) of the target to fail (not for management)')
    .option('--n-minus-1', 'judge the loss of every host in turn against the unchanged cloud')
    .option('--runs <n>', 'Monte Carlo: this many runs of failures drawn from MTBF figures, seeds seed..seed+n-1')
    .option('--seed <n>', 'the seed (default: the simulation section\'s, else the scenario\'s, else 0)')
    .option('--at <duration>', 'when the drill starts, after populating the cloud (default: the section\'s drill.faultsFor or duration; 1h for demand)')
    .option('--repair <duration>', '--fail: how long the failure lasts (default: host 2h, cluster 1h, pod 1h, zone 2h, storage 30m, management 15m)')
    .option('--for <duration>', '--runs: how long failures strike, from --at (default 30d)')
    .option('--mtbf <duration>', '--runs: mean time between failures of each host')
    .option('--mttr <duration>', '--runs: mean time to repair a host (default 2h)')
    .option('--storage-mtbf <duration>', '--runs: mean time between failures of each shared primary storage pool')
    .option('--storage-mttr <duration>', '--runs: mean time to repair a pool (default 30m)')
    .option('--workers <n>', '--runs: worker threads (default: one per CPU; 0 runs in this thread)')
    .addOption(new Option('--format <format>', HTML_FORMAT_HELP).choices(['text', 'json', 'markdown', 'html']).default('text'))
    .option('--out <path>', 'write the report to a file instead of standard output')
    .action(async (file: string, options: DrillOptions) => setExit(await drill(file, options)));
}

async function drill(file: string, options: DrillOptions): Promise<number> {
  const mode = modeOf(options);
  const seed = options.seed === undefined ? undefined : wholeNumber('--seed', options.seed, 0);
  const atMs = options.at === undefined ? undefined : durationMs('--at', options.at);
  const loaded = readInput(file);
  if (!loaded.ok) throw new InputError(loaded.message);
  const parsed = parseScenarioText(loaded.text);
  if (!parsed.ok) return unparsable(file, parsed.problems);
  // The simulation section is checked here, with positions, before anything runs.
  const section = parseSimulation(parsed.spec.simulation, parsed.source, parsed.spec);
  if (!section.ok) return unparsable(file, section.problems);
  try {
    const report =
      mode === 'fail' ? failReport(file, parsed.spec, parsed.source, options, seed, atMs)
      : mode === 'n-minus-1' ? nMinus1Report(file, parsed.spec, parsed.source, seed, atMs)
      : await runsReport(file, parsed.spec, section.simulation, options, seed, atMs);
    const text =
      options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n`
      : options.format === 'markdown' ? formatDrillMarkdown(report)
      : options.format === 'html' ? formatDrillHtml(report, parsed.spec)
      : formatDrillText(report);
    emit(text, options.out);
    if (options.out !== undefined) process.stderr.write(`wrote ${options.out}: ${report.verdict.summary}\n`);
    return report.verdict.exitCode;
  } catch (error) {
    if (error instanceof SimulationFailure || error instanceof SeedJobError) {
      process.stderr.write(`cloudplane drill: the simulation found a bug: ${error.message}\nThis is a bug; please report it with the command line and the scenario.\n`);
      return EXIT_BUG;
    }
    throw error;
  }
}

function unparsable(file: string, problems: Parameters<typeof problemLines>[1]): number {
  process.stderr.write(`${problemLines(file, problems).join('\n')}\n${file}: cannot be parsed (${problems.length} problem(s))\n`);
  return EXIT_INPUT;
}

/** Exactly one of --fail, --n-minus-1 and --runs, and only the options that go with it. */
function modeOf(options: DrillOptions): 'fail' | 'n-minus-1' | 'runs' {
  const modes = [options.fail !== undefined ? '--fail' : undefined, options.nMinus1 ? '--n-minus-1' : undefined, options.runs !== undefined ? '--runs' : undefined].filter((m) => m !== undefined);
  if (modes.length === 0) throw new InputError('drill: choose what to drill: --fail KIND --target NAME, --n-minus-1, or --runs N (see cloudplane drill --help)');
  if (modes.length > 1) throw new InputError(`drill: ${modes.join(' and ')} cannot be combined; choose one`);
  const only = (flag: string, value: unknown, mode: string): void => {
    if (value !== undefined) throw new InputError(`${flag}: only goes with ${mode}`);
  };
  if (options.fail === undefined) {
    only('--target', options.target, '--fail');
    only('--repair', options.repair, '--fail');
  }
  if (options.runs === undefined) {
    for (const [flag, value] of [['--for', options.for], ['--mtbf', options.mtbf], ['--mttr', options.mttr], ['--storage-mtbf', options.storageMtbf], ['--storage-mttr', options.storageMttr], ['--workers', options.workers]] as const) only(flag, value, '--runs');
  }
  return options.fail !== undefined ? 'fail' : options.nMinus1 ? 'n-minus-1' : 'runs';
}

function listed(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, … and ${names.length - 5} more`;
}

function wholeNumber(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new InputError(`${flag}: expected a whole number ${max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `of ${min} or more`}, got "${text}"`);
  return value;
}

function durationMs(flag: string, text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined) throw new InputError(`${flag}: "${text}" is not a duration; write it with its unit: 250ms, 90s, 15m, 4h, 30d or 2w`);
  return ms;
}

/** A progress bar over the work's share (0-1), on standard error when it is a terminal. */
function bar(label: string): ProgressBar {
  return progressBar({ label, total: 100 });
}

function failReport(file: string, spec: ScenarioSpec, source: SourceMap, options: DrillOptions, seed: number | undefined, atMs: number | undefined): DrillReport {
  const kind = options.fail as FailKind;
  const repairMs = options.repair === undefined ? undefined : durationMs('--repair', options.repair);
  if (repairMs !== undefined && repairMs <= 0) throw new InputError('--repair: must be longer than 0s');
  const progress = bar(`drill: ${kind} failure`);
  const outcome = failureDrill(spec, {
    kind,
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(seed === undefined ? {} : { seed }),
    ...(atMs === undefined ? {} : { atMs }),
    ...(repairMs === undefined ? {} : { repairMs }),
    source,
    onProgress: (f) => progress.update(100 * f),
  });
  progress.finish();
  if (!outcome.ok) {
    if ('targetError' in outcome) throw new InputError(outcome.targetError);
    throw new InputError(`${problemLines(file, outcome.problems).join('\n')}`);
  }
  const { population, ...result } = outcome.drill;
  const stranded = result.impact.stranded.length;
  const settled = result.settledAtMs !== undefined;
  const absorbed = stranded === 0 && settled;
  return {
    schemaVersion: 1,
    command: 'drill',
    mode: 'fail',
    scenario: spec.name,
    file,
    seed: result.seed,
    options: { fail: kind, target: result.target, atMs: result.atMs, repairMs: result.repairMs },
    population: { ...population, atMs: result.atMs },
    fail: result,
    verdict: {
      absorbed,
      exitCode: absorbed ? EXIT_OK : EXIT_FINDINGS,
      summary: absorbed
        ? `HA absorbed the failure of ${result.impact.label}`
        : stranded > 0 ? `the failure of ${result.impact.label} stranded ${stranded} HA VM(s)` : `the cloud did not settle within the bound after ${result.impact.label} was repaired`,
    },
  };
}

function nMinus1Report(file: string, spec: ScenarioSpec, source: SourceMap, seed: number | undefined, atMs: number | undefined): DrillReport {
  const created = createDrillCloud(spec, { faults: [], source, ...(seed === undefined ? {} : { seed }), ...(atMs === undefined ? {} : { atMs }) });
  if (!created.ok) throw new InputError(problemLines(file, created.problems).join('\n'));
  const progress = bar('drill: n-1');
  const population = populate(created.run, created.source, created.atMs, (f) => progress.update(60 * f));
  const state = created.run.runtime.state;
  const hostIds = hostsToEvaluate(state);
  const losses = evaluateHostLosses(state, {
    seed: created.run.seed,
    nowMs: created.run.nowMs,
    drivers: created.section.drivers,
    hostIds,
    keepRestarted: true,
    onProgress: (done) => progress.update(60 + (40 * done) / Math.max(1, hostIds.length)),
  });
  progress.finish();
  const result = summarizeHostLosses(created.run.seed, losses);
  const absorbed = result.failing.length === 0;
  const strandedVms = result.failing.reduce((n, c) => n + c.losses.reduce((m, l) => m + l.stranded.length, 0), 0);
  return {
    schemaVersion: 1,
    command: 'drill',
    mode: 'n-minus-1',
    scenario: spec.name,
    file,
    seed: created.run.seed,
    options: { atMs: created.atMs },
    population: { ...population, atMs: created.atMs },
    nMinus1: result,
    verdict: {
      absorbed,
      exitCode: absorbed ? EXIT_OK : EXIT_FINDINGS,
      summary: absorbed
        ? `every cluster absorbs the loss of any one of its hosts (${formatCount(result.hostsEvaluated)} hosts)`
        : `${result.failing.length} of ${result.clusters} cluster(s) cannot absorb the loss of a host (${listed(result.failing.map((c) => c.cluster))}): losing any one of ${result.hostsStranding} host(s) strands HA VMs, ${strandedVms} VM(s) over all of them`,
    },
  };
}

async function runsReport(file: string, spec: ScenarioSpec, section: SimulationSpec, options: DrillOptions, seed: number | undefined, atMs: number | undefined): Promise<DrillReport> {
  const runs = wholeNumber('--runs', options.runs!, 1, 100_000);
  const workers = options.workers === undefined ? undefined : wholeNumber('--workers', options.workers, 0, 256);
  const windowMs = options.for === undefined ? DEFAULT_WINDOW_MS : durationMs('--for', options.for);
  if (windowMs <= 0) throw new InputError('--for: must be longer than 0s');
  const figures = {
    ...(options.mtbf === undefined ? {} : { hostMtbf: options.mtbf }),
    ...(options.mttr === undefined ? {} : { hostMttr: options.mttr }),
    ...(options.storageMtbf === undefined ? {} : { storageMtbf: options.storageMtbf }),
    ...(options.storageMttr === undefined ? {} : { storageMttr: options.storageMttr }),
  };
  const faults = mtbfFaults(section, figures);
  if (!faults.ok) throw new InputError(faults.problems.join('\n'));
  const firstSeed = seed ?? section.seed ?? spec.seed ?? 0;
  const input: MonteCarloInput = { spec, faults: faults.faults, windowMs, ...(atMs === undefined ? {} : { atMs }) };
  const seeds = seedRange(firstSeed, runs);
  const progress = progressBar({ label: 'drill: runs', total: seeds.length, unit: 'runs' });
  const results = await runSeeds<MonteCarloInput, MonteCarloRun>({
    module: new URL('../simulator/drill-montecarlo.js', import.meta.url),
    job: 'monteCarloRun',
    input,
    seeds,
    ...(workers === undefined ? {} : { workers }),
    onProgress: (p) => progress.update(p.fraction * p.total),
  });
  progress.finish();
  const summary = summarizeMonteCarlo(results);
  const absorbed = summary.runsWithStranded === 0 && summary.runsUnsettled === 0;
  const resolvedAtMs = atMs ?? defaultDrillAtMs(spec, section);
  return {
    schemaVersion: 1,
    command: 'drill',
    mode: 'runs',
    scenario: spec.name,
    file,
    seed: firstSeed,
    options: {
      runs,
      seeds: [firstSeed, firstSeed + runs - 1],
      atMs: resolvedAtMs,
      windowMs,
      faults: faults.faults.map((f) => describeFault(f.name, f.options)),
    },
    monteCarlo: { summary, runs: results },
    verdict: {
      absorbed,
      exitCode: absorbed ? EXIT_OK : EXIT_FINDINGS,
      summary: absorbed ? `HA absorbed every failure of ${runs} run(s)` : `${summary.runsWithStranded} of ${runs} run(s) left HA VMs stranded${summary.runsUnsettled > 0 ? `, ${summary.runsUnsettled} did not settle` : ''}`,
    },
  };
}

function describeFault(name: string, options: unknown): FaultDescription {
  const o = options as { mtbf: number; mttr?: number; repair?: number; host?: string; cluster?: string; pod?: string; zone?: string; storagePool?: string };
  const every = name === 'hostCrash' ? 'every host' : name === 'primaryStorageOutage' ? 'every shared pool' : name === 'podSwitchFailure' ? 'every pod' : name === 'zoneOutage' ? 'every zone' : 'the management server';
  const target = o.host !== undefined ? `host ${o.host}` : o.storagePool !== undefined ? `pool ${o.storagePool}` : `${every}${o.cluster ? ` of cluster ${o.cluster}` : o.pod ? ` of pod ${o.pod}` : o.zone ? ` of zone ${o.zone}` : ''}`;
  return { name, target, mtbfMs: o.mtbf, mttrMs: o.mttr ?? null, repairMs: o.repair ?? null };
}

