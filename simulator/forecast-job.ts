import type { VmState } from '../core/model/compute.js';
import type { ScenarioSpec } from '../core/scenario/schema.js';
import { type Forecast, forecast } from './forecast.js';
import type { JobContext } from './parallel.js';
import type { SimulationSpec } from './schema.js';
import { createSimulation } from './simulation.js';

/**
 * One forecast run: simulate the scenario with a seed for the horizon, then read the forecast
 * from its samples. The job `cloudplane simulate` runs, in this thread for one seed and on
 * worker threads (`runSeeds` with job `forecastRun`) for a Monte Carlo sweep. Its input and
 * result are plain data, so they cross thread boundaries as they are.
 */

export interface ForecastJobInput {
  spec: ScenarioSpec;
  /** The checked `simulation:` section (or the one derived from the demand). */
  simulation: SimulationSpec;
  horizonMs: number;
  /** YYYY-MM-DD of virtual time 0. */
  startDate: string;
}

export interface ForecastRun {
  seed: number;
  forecast: Forecast;
  /** Commands the core refused while the cloud was built or brought up. */
  buildProblems: string[];
  /** What workloads expected and did not see. */
  checkProblems: string[];
  /** User VMs by state at the end. */
  vmsAtEnd: Partial<Record<VmState, number>>;
}

/** Progress is reported this many times over the horizon. */
const PROGRESS_STEPS = 100;

export function forecastRun(input: ForecastJobInput, seed: number, context?: Pick<JobContext, 'reportProgress'>): ForecastRun {
  const setup = createSimulation(input.spec, { seed, simulation: input.simulation, durationMs: input.horizonMs });
  // The caller checked the section against the scenario; a problem here is a bug.
  if (!setup.ok) throw new Error(`the simulation section was refused: ${setup.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const run = setup.simulation;
  run.start();
  // Running in steps changes nothing in the run (each step runs everything due up to its end).
  const stepMs = Math.max(1, Math.ceil(input.horizonMs / PROGRESS_STEPS));
  for (let untilMs = stepMs; untilMs < input.horizonMs; untilMs += stepMs) {
    run.runUntil(untilMs);
    context?.reportProgress(untilMs / input.horizonMs);
  }
  run.runUntil(input.horizonMs);
  context?.reportProgress(1);
  const result = run.finish();
  const last = result.samples[result.samples.length - 1];
  return {
    seed: result.seed,
    forecast: forecast(result, { startDate: input.startDate, horizonMs: input.horizonMs }),
    buildProblems: result.buildProblems,
    checkProblems: result.checkProblems,
    vmsAtEnd: last?.vms ?? {},
  };
}
