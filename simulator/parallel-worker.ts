import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { describeError, loadJob, type JobContext, type WorkerMessage, type WorkerSetup, type WorkerTask } from './parallel.js';

/**
 * The entry of a worker thread started by `runSeeds` (parallel.ts): loads the job once, then runs
 * it for each seed the main thread sends and posts back the result or the error. Progress is
 * posted at most every 1% of a seed's work, so a chatty job does not flood the channel.
 */

if (isMainThread || !parentPort) throw new Error('parallel-worker.js runs on worker threads started by runSeeds');

const port = parentPort;
const setup = workerData as WorkerSetup;
const job = await loadJob<unknown, unknown>(new URL(setup.module), setup.job);

port.on('message', (task: WorkerTask) => {
  void run(task);
});

async function run(task: WorkerTask): Promise<void> {
  let posted = 0;
  const context: JobContext = {
    seed: task.seed,
    reportProgress: (fraction) => {
      if (fraction - posted < 0.01 && fraction < 1) return;
      posted = fraction;
      post({ kind: 'progress', index: task.index, fraction });
    },
  };
  try {
    const result = await job(setup.input, task.seed, context);
    post({ kind: 'result', index: task.index, result });
  } catch (error) {
    post({ kind: 'error', index: task.index, error: describeError(error) });
  }
}

function post(message: WorkerMessage): void {
  port.postMessage(message);
}
