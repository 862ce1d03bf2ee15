import type { ScenarioSpec } from '../core/scenario/schema.js';
import { DAY_MS, SECOND_MS } from './distributions.js';
import { convergenceProblems } from './drill.js';
import { createDrillCloud, populate } from './drill-setup.js';
import { ImpactTracker } from './impact.js';
import type { JobContext } from './parallel.js';
import type { SimulationSpec } from './schema.js';
import { workloadFactory, type WorkloadEntry } from './workload.js';

/**
 * Monte Carlo drills: the same cloud, many seeds. Each run populates the cloud (drill-setup.ts),
 * lets failures drawn from MTBF figures strike for a window of virtual time (hosts crash, pools
 * fail, each a Poisson process per target, repaired after a drawn time), then heals everything
 * and lets the cloud settle. Per run it counts the VMs the failures took down, the HA VMs left
 * stranded, and the worst time to recover (failure to the last HA restart running); over the
 * runs it reports percentiles. Runs are independent and depend only on their seed, so they run
 * on worker threads (parallel.ts) and the report is the same however they were scheduled.
 */

/** Failures a Monte Carlo drill draws: host crashes and storage outages with mtbf (and mttr). */
export interface MtbfFigures {
  hostMtbf?: string;
  hostMttr?: string;
  storageMtbf?: string;
  storageMttr?: string;
}

/**
 * The faults of a Monte Carlo drill: the figures given (hosts, storage), else the section's
 * faults that have an `mtbf` (faults at a fixed `at` are targeted drills, left out). A problem
 * is a message naming the option.
 */
export function mtbfFaults(section: SimulationSpec, figures: MtbfFigures): { ok: true; faults: WorkloadEntry[] } | { ok: false; problems: string[] } {
  const given = Object.values(figures).some((v) => v !== undefined);
  if (!given) {
    const faults = section.faults.filter((entry) => (entry.options as { mtbf?: number }).mtbf !== undefined);
    if (faults.length === 0) return { ok: false, problems: ['--runs: no failures to draw: give --mtbf (and --mttr) for host crashes or --storage-mtbf for storage outages, or faults with mtbf in the scenario\'s simulation section'] };
    return { ok: true, faults };
  }
  const problems: string[] = [];
  const faults: WorkloadEntry[] = [];
  const entry = (name: 'hostCrash' | 'primaryStorageOutage', mtbf: string | undefined, mttr: string | undefined, flags: [string, string]): void => {
    if (mtbf === undefined) {
      if (mttr !== undefined) problems.push(`${flags[1]}: needs ${flags[0]} (the mean time between failures it repairs)`);
      return;
    }
    const factory = workloadFactory(name)!;
    const parsed = factory.schema.safeParse({ name, mtbf, ...(mttr === undefined ? {} : { mttr }) });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${issue.path[0] === 'mttr' ? flags[1] : flags[0]}: ${issue.message}`);
      return;
    }
    faults.push({ name, options: parsed.data });
  };
  entry('hostCrash', figures.hostMtbf, figures.hostMttr, ['--mtbf', '--mttr']);
  entry('primaryStorageOutage', figures.storageMtbf, figures.storageMttr, ['--storage-mtbf', '--storage-mttr']);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, faults };
}

/** What one run sends back (plain data: it crosses the thread boundary). */
export interface MonteCarloRun {
  seed: number;
  failures: number;
  vmsAffected: number;
  restarted: number;
  stranded: number;
  downWithoutHa: number;
  /** The worst failure of the run, from failure to its last HA restart running; null without restarts. */
  timeToRecoverMs: number | null;
  /** The cloud settled within the bound after the window. */
  settled: boolean;
}

/** The input of every run, the same for all seeds. */
export interface MonteCarloInput {
  spec: ScenarioSpec;
  faults: WorkloadEntry[];
  atMs?: number;
  windowMs: number;
  settleWithinMs?: number;
}

export const DEFAULT_WINDOW_MS = 30 * DAY_MS;

/** One Monte Carlo run: the job `runSeeds` calls for each seed. */
export function monteCarloRun(input: MonteCarloInput, seed: number, context?: JobContext): MonteCarloRun {
  const created = createDrillCloud(input.spec, { seed, faults: input.faults, ...(input.atMs === undefined ? {} : { atMs: input.atMs }) });
  // The caller checked the scenario before starting the runs; a problem here is a bug.
  if (!created.ok) throw new Error(`the scenario does not build: ${created.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const { run, atMs, section } = created;
  populate(run, created.source, atMs, (f) => context?.reportProgress(0.3 * f));
  const tracker = new ImpactTracker(run.runtime);
  const endMs = atMs + input.windowMs;
  const slices = 20;
  for (let i = 1; i <= slices; i++) {
    run.runUntil(atMs + Math.ceil((input.windowMs * i) / slices));
    context?.reportProgress(0.3 + (0.65 * i) / slices);
  }
  if (run.nowMs < endMs) run.runUntil(endMs);
  run.stopWorkloads();
  run.healFaults();
  const deadlineMs = run.nowMs + (input.settleWithinMs ?? section.drill.settleWithinMs);
  let settled = false;
  for (;;) {
    settled = convergenceProblems(run).length === 0;
    if (settled || run.nowMs >= deadlineMs) break;
    run.runUntil(Math.min(run.nowMs + 10 * SECOND_MS, deadlineMs));
  }
  const out: MonteCarloRun = { seed, failures: 0, vmsAffected: 0, restarted: 0, stranded: 0, downWithoutHa: 0, timeToRecoverMs: null, settled };
  for (const impact of tracker.impacts()) {
    out.failures++;
    out.vmsAffected += impact.vmsAffected;
    out.restarted += impact.restarted.length;
    out.stranded += impact.stranded.length;
    out.downWithoutHa += impact.downWithoutHa.length;
    if (impact.timeToRecoverMs !== null && !impact.management) out.timeToRecoverMs = Math.max(out.timeToRecoverMs ?? 0, impact.timeToRecoverMs);
  }
  context?.reportProgress(1);
  return out;
}

export interface Percentiles {
  p10: number;
  p50: number;
  p90: number;
  max: number;
  /** Runs the figures are over (time to recover: runs with an HA restart). */
  runs: number;
}

export interface MonteCarloSummary {
  runs: number;
  firstSeed: number;
  failures: Percentiles;
  vmsAffected: Percentiles;
  stranded: Percentiles;
  /** Null when no run restarted anything. */
  timeToRecoverMs: Percentiles | null;
  /** Runs in which at least one HA VM was stranded. */
  runsWithStranded: number;
  runsUnsettled: number;
}

/** The nearest-rank percentile of sorted values: the smallest value with at least p% of them at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

function percentilesOf(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p10: percentile(sorted, 10), p50: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted[sorted.length - 1] ?? 0, runs: sorted.length };
}

export function summarizeMonteCarlo(runs: readonly MonteCarloRun[]): MonteCarloSummary {
  const recovered = runs.flatMap((r) => (r.timeToRecoverMs === null ? [] : [r.timeToRecoverMs]));
  return {
    runs: runs.length,
    firstSeed: runs[0]?.seed ?? 0,
    failures: percentilesOf(runs.map((r) => r.failures)),
    vmsAffected: percentilesOf(runs.map((r) => r.vmsAffected)),
    stranded: percentilesOf(runs.map((r) => r.stranded)),
    timeToRecoverMs: recovered.length === 0 ? null : percentilesOf(recovered),
    runsWithStranded: runs.filter((r) => r.stranded > 0).length,
    runsUnsettled: runs.filter((r) => !r.settled).length,
  };
}
