import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Runs one job over a list of seeds, in parallel on worker threads, and returns the results in
 * seed order: a Monte Carlo sweep gives the same output however the runs were scheduled.
 *
 * A job is a function exported by name from a module:
 *
 * ```ts
 * // simulator/my-job.ts
 * export function myJob(input: MyInput, seed: number, context: JobContext): MyResult { ... }
 *
 * // the caller
 * const results = await runSeeds<MyInput, MyResult>({
 *   module: new URL('./my-job.js', import.meta.url), job: 'myJob', input, seeds: seedRange(7, 20),
 * });
 * ```
 *
 * The input is sent to each worker once (structured clone: plain data, no functions or class
 * instances); each result comes back the same way. At most `workers` workers run (default
 * `os.availableParallelism()`, never more than there are seeds); each takes the next seed as
 * soon as it is done with one. `workers: 0` runs every seed in this thread, one after another,
 * which gives the same results (a job must depend on its input and seed only).
 *
 * Workers run compiled JavaScript. When this file runs from source (under the test runner),
 * module URLs of the source tree are mapped to their compiled twins under `dist/`, so the
 * package must have been built (`npm run build`); a missing file is reported as such.
 */

/** What a job can tell its caller while it runs. */
export interface JobContext {
  readonly seed: number;
  /** The share of this seed's work done, 0 to 1 (throttled; cheap to call often). */
  reportProgress(fraction: number): void;
}

export type SeedJob<I, O> = (input: I, seed: number, context: JobContext) => O | Promise<O>;

export interface SeedProgress {
  /** Seeds finished. */
  done: number;
  total: number;
  /** Seeds finished plus the reported share of the ones running: done ≤ fraction × total ≤ done + running. */
  fraction: number;
}

export interface RunSeedsOptions<I> {
  /** The module that exports the job, e.g. `new URL('./forecast-job.js', import.meta.url)`. */
  module: URL;
  /** The name of the exported job function. */
  job: string;
  input: I;
  seeds: readonly number[];
  /** Most workers at a time; default `os.availableParallelism()`. 0: run in this thread. */
  workers?: number;
  /** Called as seeds progress and finish (in the order that happens, which is not seed order). */
  onProgress?: (progress: SeedProgress) => void;
}

/** A job failed for a seed. Carries what the job threw, cloned across the thread boundary. */
export class SeedJobError extends Error {
  override name = 'SeedJobError';

  constructor(
    readonly job: string,
    readonly seed: number,
    /** The name of the error the job threw (`SimulationFailure`, `Error`, ...). */
    readonly causeName: string,
    readonly causeMessage: string,
    /** Its own enumerable fields (a SimulationFailure's `kind`, `problems`, ...), when cloneable. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(`job ${job} failed for seed ${seed}: ${causeName}: ${causeMessage}`);
  }
}

/** `count` consecutive seeds from `first`: seed, seed+1, ... */
export function seedRange(first: number, count: number): number[] {
  return Array.from({ length: Math.max(0, count) }, (_, i) => first + i);
}

/** The number of workers that will run: the request (default: the machine's parallelism), at most one per seed. */
export function workerCount(requested: number | undefined, seeds: number): number {
  const wanted = requested ?? availableParallelism();
  return Math.max(0, Math.min(Math.floor(wanted), seeds));
}

export async function runSeeds<I, O>(options: RunSeedsOptions<I>): Promise<O[]> {
  const { seeds } = options;
  if (seeds.length === 0) return [];
  const count = workerCount(options.workers, seeds.length);
  return count === 0 ? runInline<I, O>(options) : runOnWorkers<I, O>(options, count);
}

// ----- in this thread -----

async function runInline<I, O>(options: RunSeedsOptions<I>): Promise<O[]> {
  const job = await loadJob<I, O>(inlineModuleUrl(options.module), options.job);
  const results: O[] = [];
  const total = options.seeds.length;
  for (const [index, seed] of options.seeds.entries()) {
    const context: JobContext = { seed, reportProgress: (fraction) => options.onProgress?.({ done: index, total, fraction: (index + clamp01(fraction)) / total }) };
    try {
      results.push(await job(options.input, seed, context));
    } catch (error) {
      throw toSeedJobError(options.job, seed, describeError(error));
    }
    options.onProgress?.({ done: index + 1, total, fraction: (index + 1) / total });
  }
  return results;
}

/** In this thread a source module can be imported as it is (the test runner compiles it). */
function inlineModuleUrl(module: URL): URL {
  const path = fileURLToPath(module);
  if (existsSync(path) || !path.endsWith('.js')) return module;
  const source = `${path.slice(0, -3)}.ts`;
  return existsSync(source) ? pathToFileURL(source) : module;
}

// ----- on worker threads -----

/** Messages from a worker: a result, a failure, or progress on the seed at `index`. */
export type WorkerMessage =
  | { kind: 'result'; index: number; result: unknown }
  | { kind: 'error'; index: number; error: ErrorDescription }
  | { kind: 'progress'; index: number; fraction: number };

/** Messages to a worker: the index (into the seed list) of its next seed. */
export interface WorkerTask {
  index: number;
  seed: number;
}

/** What a worker is started with. */
export interface WorkerSetup {
  module: string;
  job: string;
  input: unknown;
}

export interface ErrorDescription {
  name: string;
  message: string;
  details: Record<string, unknown>;
}

function runOnWorkers<I, O>(options: RunSeedsOptions<I>, count: number): Promise<O[]> {
  const { seeds } = options;
  const entry = runnableUrl(new URL('./parallel-worker.js', import.meta.url));
  const module = runnableUrl(options.module);
  const setup: WorkerSetup = { module: module.href, job: options.job, input: options.input };
  const results = new Array<O>(seeds.length);
  const running = new Map<number, number>();
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let settled = false;

  return new Promise<O[]>((resolve, reject) => {
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      // Terminating is asynchronous; the outcome does not wait for it.
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const report = (): void => {
      if (!options.onProgress) return;
      let partial = 0;
      for (const fraction of running.values()) partial += fraction;
      options.onProgress({ done, total: seeds.length, fraction: (done + partial) / seeds.length });
    };
    const give = (worker: Worker): void => {
      if (next >= seeds.length) return;
      const index = next++;
      running.set(index, 0);
      const task: WorkerTask = { index, seed: seeds[index]! };
      worker.postMessage(task);
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(entry, { workerData: setup });
      workers.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        if (settled) return;
        switch (message.kind) {
          case 'progress':
            running.set(message.index, clamp01(message.fraction));
            report();
            return;
          case 'error':
            finish(toSeedJobError(options.job, seeds[message.index]!, message.error));
            return;
          case 'result':
            results[message.index] = message.result as O;
            running.delete(message.index);
            done++;
            report();
            if (done === seeds.length) finish();
            else give(worker);
        }
      });
      // A worker that cannot start (its module is missing or throws on import) fails the sweep.
      worker.on('error', (error) => finish(new Error(`worker for job ${options.job} failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!settled) finish(new Error(`worker for job ${options.job} exited early with code ${code}`));
      });
      give(worker);
    }
  });
}

/**
 * The compiled file to run for a module URL. Running from `dist/`, the URL is already right;
 * running from source, `<root>/x/y.ts` (or `.js`) maps to `<root>/dist/x/y.js`, where `<root>`
 * is the package directory above this file.
 */
export function runnableUrl(module: URL): URL {
  const path = fileURLToPath(module);
  if (path.endsWith('.js') && existsSync(path)) return module;
  const root = packageRoot();
  const inside = relative(root, path);
  if (inside.startsWith('..') || inside.split(sep)[0] === 'dist') {
    throw new Error(`${path}: no such module to run on a worker thread`);
  }
  const compiled = join(root, 'dist', inside.replace(/\.(ts|js)$/, '.js'));
  if (!existsSync(compiled)) throw new Error(`${compiled}: not built; run npm run build first (worker threads run the compiled code)`);
  return pathToFileURL(compiled);
}

/** The package directory: this file's directory's parent, or its grandparent under dist/. */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const parent = dirname(here);
  return parent.split(sep).pop() === 'dist' ? dirname(parent) : parent;
}

// ----- shared by both sides -----

export async function loadJob<I, O>(module: URL, name: string): Promise<SeedJob<I, O>> {
  const loaded = (await import(module.href)) as Record<string, unknown>;
  const job = loaded[name];
  if (typeof job !== 'function') throw new Error(`${fileURLToPath(module)} exports no job named ${name}`);
  return job as SeedJob<I, O>;
}

export function describeError(error: unknown): ErrorDescription {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), details: {} };
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    try {
      details[key] = structuredClone(value);
    } catch {
      // Not cloneable (a function, a class with private state): left out.
    }
  }
  return { name: error.name, message: error.message, details };
}

function toSeedJobError(job: string, seed: number, error: ErrorDescription): SeedJobError {
  return new SeedJobError(job, seed, error.name, error.message, error.details);
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
