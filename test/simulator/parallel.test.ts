/**
 * The seed pool: results come back in seed order whether the seeds run in this thread or on
 * worker threads (which run the compiled code under dist/, so the package must be built), a
 * job's failure names its seed, and progress adds up to the whole.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSimulation } from '../../simulator/schema.js';
import type { ForecastJobInput, ForecastRun } from '../../simulator/forecast-job.js';
import { runnableUrl, runSeeds, SeedJobError, seedRange, workerCount, type SeedProgress } from '../../simulator/parallel.js';
import { tinyAdvanced } from './support.js';

const squareJob = new URL('./fixtures/square-job.js', import.meta.url);

describe('seedRange and workerCount', () => {
  it('lists consecutive seeds', () => {
    expect(seedRange(42, 3)).toEqual([42, 43, 44]);
    expect(seedRange(0, 0)).toEqual([]);
  });

  it('never starts more workers than seeds', () => {
    expect(workerCount(8, 3)).toBe(3);
    expect(workerCount(2, 10)).toBe(2);
    expect(workerCount(0, 10)).toBe(0);
    expect(workerCount(undefined, 1)).toBe(1);
  });
});

describe('runSeeds in this thread', () => {
  it('returns the results in seed order and reports progress up to the whole', async () => {
    const progress: SeedProgress[] = [];
    const results = await runSeeds<{ factor: number }, { seed: number; value: number }>({ module: squareJob, job: 'square', input: { factor: 2 }, seeds: [3, 1, 2], workers: 0, onProgress: (p) => progress.push(p) });
    expect(results).toEqual([{ seed: 3, value: 18 }, { seed: 1, value: 2 }, { seed: 2, value: 8 }]);
    expect(progress.map((p) => p.fraction)).toEqual([0.5 / 3, 1 / 3, 1.5 / 3, 2 / 3, 2.5 / 3, 1]);
    expect(progress[progress.length - 1]).toEqual({ done: 3, total: 3, fraction: 1 });
  });

  it('names the seed a job failed for', async () => {
    const failure = runSeeds({ module: squareJob, job: 'square', input: { factor: 1 }, seeds: [12, 13], workers: 0 });
    await expect(failure).rejects.toBeInstanceOf(SeedJobError);
    await expect(failure).rejects.toMatchObject({ seed: 13, job: 'square', causeName: 'RangeError', causeMessage: 'unlucky seed 13' });
  });

  it('refuses an export that is not a function', async () => {
    await expect(runSeeds({ module: squareJob, job: 'notAJob', input: {}, seeds: [1], workers: 0 })).rejects.toThrow('exports no job named notAJob');
  });

  it('returns nothing for no seeds', async () => {
    expect(await runSeeds({ module: squareJob, job: 'square', input: { factor: 1 }, seeds: [] })).toEqual([]);
  });
});

describe('runSeeds on worker threads', () => {
  it('maps a source module to its compiled twin under dist/', () => {
    const url = runnableUrl(new URL('../../simulator/forecast-job.ts', import.meta.url));
    expect(fileURLToPath(url)).toBe(fileURLToPath(new URL('../../dist/simulator/forecast-job.js', import.meta.url)));
  });

  it('reports a module that is not part of the build', () => {
    expect(() => runnableUrl(squareJob)).toThrow(/not built; run npm run build first/);
  });

  it('gives the same forecasts as in this thread, in seed order', async () => {
    const spec = tinyAdvanced(3);
    const parsed = parseSimulation({
      duration: '10d',
      workloads: [
        { name: 'newAccounts', initial: 4, networksPerAccount: 1 },
        { name: 'steadyArrivals', perDay: 20 },
        { name: 'monthlyGrowth', percent: 50 },
        { name: 'vmLifetimes', distribution: 'exponential', mean: '20d' },
      ],
    }, undefined, spec);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const input: ForecastJobInput = { spec, simulation: parsed.simulation, horizonMs: parsed.simulation.durationMs, startDate: '2026-01-01' };
    const module = new URL('../../simulator/forecast-job.js', import.meta.url);
    const seeds = [5, 6, 7];
    const onWorkers = await runSeeds<ForecastJobInput, ForecastRun>({ module, job: 'forecastRun', input, seeds, workers: 2 });
    const inline = await runSeeds<ForecastJobInput, ForecastRun>({ module, job: 'forecastRun', input, seeds, workers: 0 });
    expect(onWorkers.map((r) => r.seed)).toEqual(seeds);
    expect(JSON.stringify(onWorkers)).toBe(JSON.stringify(inline));
    // Different seeds draw different runs.
    expect(JSON.stringify(onWorkers[0]!.forecast.runningVms)).not.toBe(JSON.stringify(onWorkers[1]!.forecast.runningVms));
  });
});
