import { type Command, Option } from 'commander';
import { parseScenarioText } from '../core/scenario/parse.js';
import type { ScenarioSpec } from '../core/scenario/schema.js';
import { simulationFromDemand } from '../simulator/demand-workload.js';
import { describeSimulation } from '../simulator/describe.js';
import { DAY_MS, formatDurationMs, parseDurationMs } from '../simulator/distributions.js';
import { SimulationFailure } from '../simulator/failure.js';
import { calendarDate, DEFAULT_START_DATE, type Forecast, type MonteCarloForecast, type ResourceAt, summarizeRuns } from '../simulator/forecast.js';
import { type ForecastJobInput, type ForecastRun, forecastRun } from '../simulator/forecast-job.js';
import { runSeeds, SeedJobError, seedRange, workerCount } from '../simulator/parallel.js';
import { parseSimulation, type SimulationSpec } from '../simulator/schema.js';
import type { WorkloadEntry } from '../simulator/workload.js';
import { formatSimulateMarkdown, formatSimulateText } from './format/forecast.js';
import { formatSimulateHtml, HTML_FORMAT_HELP } from './format/html.js';
import { emit, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, formatJson, InputError, problemLines, readInput } from './input.js';
import { progressBar } from './progress.js';

/**
 * `cloudplane simulate FILE`: runs the scenario's `simulation:` section (or a workload derived
 * from its `demand:`) over a horizon and prints the forecast: when each resource reaches its
 * notification and disable thresholds and runs out, the first to run out, and the deploys
 * refused along the way. `--runs N` repeats it with seeds seed..seed+N-1 on worker threads and
 * reports percentiles of the exhaustion dates.
 *
 * Exit codes: 0 nothing runs out within the horizon (in any run); 1 something does; 2 the input
 * cannot be read or is invalid (problems as `file:line:column: path: message`); 70 the simulator
 * found a bug (a broken invariant), reported with the seed that replays it.
 *
 * The JSON output depends on the scenario file and the options only (never the wall clock or
 * the machine): the same command gives the same bytes.
 */

export const SIMULATE_SCHEMA_VERSION = 1;

/** Without --horizon and without a `duration` in the section. */
export const DEFAULT_HORIZON_MS = 365 * DAY_MS;

const EXIT_BUG = 70;

export interface SimulateReport {
  schemaVersion: number;
  scenario: { name: string; file: string };
  options: {
    seed: number;
    runs: number;
    seeds: number[];
    horizonMs: number;
    horizon: string;
    startDate: string;
    endDate: string;
    sampleEveryMs: number;
    /** Where the workload came from: the scenario's `simulation:` section, or its `demand:`. */
    workload: 'simulation' | 'demand';
  };
  /** The seed and every option of the run, as printed first. */
  description: string[];
  /** What ran: the workloads and faults with their checked options, and the rule that derived them. */
  workload: { rule: string[] | null; workloads: WorkloadEntry[]; faults: WorkloadEntry[] };
  /** The forecast of the run (one seed); null with --runs above 1. */
  forecast: Forecast | null;
  /** With --runs above 1: the spread over the runs, and each run's verdict. */
  monteCarlo: { summary: MonteCarloForecast; runs: { seed: number; firstToRunOut: ResourceAt | null; projection: Forecast['projection'] }[] } | null;
  buildProblems: string[];
  checkProblems: string[];
  /** Some resource runs out within the horizon (in at least one run): exit code 1. */
  exhaustedWithinHorizon: boolean;
}

interface SimulateOptions {
  seed?: string;
  horizon?: string;
  runs: string;
  workers?: string;
  format: 'text' | 'json' | 'markdown' | 'html';
  out?: string;
}

export function registerSimulate(program: Command, setExit: (code: number) => void): void {
  program
    .command('simulate')
    .description('Simulate a scenario over time and forecast when each resource runs out; exit 0 nothing runs out, 1 something does, 2 bad input.')
    .argument('<file>', 'scenario file (YAML); its simulation: section, else a workload derived from its demand:')
    .option('--seed <n>', "random seed (default: the simulation section's, else the scenario's, else 0)")
    .option('--horizon <duration>', "how far to simulate: 90d, 26w, 365d (default: the section's duration, else 365d)")
    .option('--runs <n>', 'Monte Carlo: run seeds seed..seed+n-1 on worker threads and report percentiles', '1')
    .option('--workers <n>', 'most worker threads for --runs (default: the number of CPUs)')
    .addOption(new Option('--format <format>', HTML_FORMAT_HELP).choices(['text', 'json', 'markdown', 'html']).default('text'))
    .option('--out <path>', 'write the forecast to a file instead of standard output')
    .action(async (file: string, options: SimulateOptions) => setExit(await simulateCommand(file, options)));
}

function wholeNumber(option: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new InputError(`${option}: expected a whole number${min > 0 ? ` of at least ${min}` : ''}, got "${text}"`);
  }
  return Number(text);
}

function horizonOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDurationMs(text);
  if (ms === undefined || ms <= 0) throw new InputError(`--horizon: "${text}" is not a duration; write a duration with its unit, such as 90d, 26w or 365d`);
  if (ms < DAY_MS) throw new InputError(`--horizon: ${text} is shorter than a day; forecasts sample once a day or less often`);
  return ms;
}

interface Prepared {
  spec: ScenarioSpec;
  section: SimulationSpec;
  rule: string[] | null;
  horizonMs: number;
  seed: number;
}

async function simulateCommand(file: string, options: SimulateOptions): Promise<number> {
  // The command line first: a typo there is reported before any work.
  const seedOption = wholeNumber('--seed', options.seed, 0);
  const runs = wholeNumber('--runs', options.runs, 1) ?? 1;
  const workers = wholeNumber('--workers', options.workers, 1);
  const horizonOptionMs = horizonOption(options.horizon);

  const loaded = readInput(file);
  if (!loaded.ok) throw new InputError(loaded.message);
  const parsed = parseScenarioText(loaded.text);
  if (!parsed.ok) {
    process.stderr.write(`${problemLines(file, parsed.problems).join('\n')}\n${file}: cannot be parsed (${parsed.problems.length} problem(s))\n`);
    return EXIT_INPUT;
  }
  const spec = parsed.spec;
  let prepared: Prepared;
  if (spec.simulation !== undefined && spec.simulation !== null) {
    const checked = parseSimulation(spec.simulation, parsed.source, spec);
    if (!checked.ok) {
      process.stderr.write(`${problemLines(file, checked.problems).join('\n')}\n${file}: invalid simulation: section (${checked.problems.length} problem(s))\n`);
      return EXIT_INPUT;
    }
    const written = (spec.simulation as { duration?: unknown }).duration !== undefined;
    const horizonMs = horizonOptionMs ?? (written ? checked.simulation.durationMs : DEFAULT_HORIZON_MS);
    prepared = { spec, section: checked.simulation, rule: null, horizonMs, seed: seedOption ?? checked.simulation.seed ?? spec.seed ?? 0 };
  } else {
    const derived = simulationFromDemand(spec);
    if (!derived.ok) throw new InputError(`${file}: ${derived.message}`);
    prepared = { spec, section: derived.workload.simulation, rule: derived.workload.rule, horizonMs: horizonOptionMs ?? DEFAULT_HORIZON_MS, seed: seedOption ?? spec.seed ?? 0 };
  }
  const { section, horizonMs, seed } = prepared;
  if (section.sampleEveryMs > horizonMs) throw new InputError(`--horizon: ${formatDurationMs(horizonMs)} is shorter than the sampling interval (${formatDurationMs(section.sampleEveryMs)})`);
  const startDate = section.startDate ?? DEFAULT_START_DATE;
  const seeds = seedRange(seed, runs);
  // A forecast is one phase: the section's drill: settings do not apply, faults run to the horizon.
  const input: ForecastJobInput = { spec, simulation: { ...section, durationMs: horizonMs, drill: { settleWithinMs: section.drill.settleWithinMs } }, horizonMs, startDate };

  let runsOut: ForecastRun[];
  try {
    runsOut = runs === 1 ? [runOne(input, seed, horizonMs)] : await runMany(input, seeds, workers);
  } catch (error) {
    return reportFailure(error);
  }

  const description = [
    runs === 1 ? `seed ${seed}` : `seeds ${seeds[0]}..${seeds[seeds.length - 1]} (${runs} runs)`,
    `horizon ${formatDurationMs(horizonMs)}: ${startDate} to ${calendarDate(startDate, horizonMs)}, a sample every ${formatDurationMs(section.sampleEveryMs)}${section.startDate === undefined ? ' (start date: the default; set simulation.startDate)' : ''}`,
    // The rule's first line is its heading; the items below it are indented.
    ...(prepared.rule ?? ['workload from the scenario\'s simulation: section', ...describeSimulation(section)]).map((line, i) => (i === 0 ? line : `  ${line}`)),
  ];
  const first = runsOut[0]!;
  const report: SimulateReport = {
    schemaVersion: SIMULATE_SCHEMA_VERSION,
    scenario: { name: spec.name, file },
    options: { seed, runs, seeds, horizonMs, horizon: formatDurationMs(horizonMs), startDate, endDate: calendarDate(startDate, horizonMs), sampleEveryMs: section.sampleEveryMs, workload: prepared.rule ? 'demand' : 'simulation' },
    description,
    workload: { rule: prepared.rule, workloads: section.workloads, faults: section.faults },
    forecast: runs === 1 ? first.forecast : null,
    monteCarlo: runs === 1 ? null : { summary: summarizeRuns(seeds, runsOut.map((r) => r.forecast)), runs: runsOut.map((r) => ({ seed: r.seed, firstToRunOut: r.forecast.firstToRunOut, projection: r.forecast.projection })) },
    buildProblems: first.buildProblems,
    checkProblems: [...new Set(runsOut.flatMap((r) => r.checkProblems.map((p) => (runs === 1 ? p : `seed ${r.seed}: ${p}`))))],
    exhaustedWithinHorizon: runsOut.some((r) => r.forecast.firstToRunOut !== null),
  };
  const text =
    options.format === 'json' ? formatJson(report)
    : options.format === 'markdown' ? formatSimulateMarkdown(report)
    : options.format === 'html' ? formatSimulateHtml(report, spec)
    : formatSimulateText(report);
  emit(text, options.out);
  if (options.out !== undefined) {
    const verdict = runs === 1 ? (first.forecast.firstToRunOut ? `first to run out ${first.forecast.firstToRunOut.date}` : 'nothing runs out') : `${report.monteCarlo!.summary.noExhaustionRuns} of ${runs} runs without exhaustion`;
    process.stderr.write(`wrote ${options.out}: ${verdict}\n`);
  }
  return report.exhaustedWithinHorizon ? EXIT_FINDINGS : EXIT_OK;
}

function runOne(input: ForecastJobInput, seed: number, horizonMs: number): ForecastRun {
  const days = Math.ceil(horizonMs / DAY_MS);
  const bar = progressBar({ label: 'simulating', total: days, unit: 'days' });
  try {
    return forecastRun(input, seed, { reportProgress: (fraction) => bar.update(fraction * days) });
  } finally {
    bar.finish();
  }
}

async function runMany(input: ForecastJobInput, seeds: number[], workers: number | undefined): Promise<ForecastRun[]> {
  const bar = progressBar({ label: `simulating (${workerCount(workers, seeds.length)} workers)`, total: seeds.length, unit: 'runs' });
  try {
    return await runSeeds<ForecastJobInput, ForecastRun>({
      module: new URL('../simulator/forecast-job.js', import.meta.url),
      job: 'forecastRun',
      input,
      seeds,
      ...(workers === undefined ? {} : { workers }),
      onProgress: (p) => bar.update(p.fraction * seeds.length),
    });
  } finally {
    bar.finish();
  }
}

/** A broken invariant is a bug in the simulator or the core: report it with its seed, no trace. */
function reportFailure(error: unknown): number {
  if (error instanceof SimulationFailure) {
    process.stderr.write(`cloudplane simulate: the simulation found a bug: ${error.message}\n`);
    return EXIT_BUG;
  }
  if (error instanceof SeedJobError) {
    process.stderr.write(`cloudplane simulate: run with seed ${error.seed} failed: ${error.causeName === 'SimulationFailure' ? 'the simulation found a bug: ' : ''}${error.causeMessage}\n`);
    return EXIT_BUG;
  }
  throw error;
}
