import fc from 'fast-check';

// The global setup always leaves a seed in the environment; every worker uses the same one.
const seed = Number(process.env.FC_SEED);
fc.configureGlobal({ seed: Number.isSafeInteger(seed) ? seed : 0, numRuns: Number(process.env.FC_NUM_RUNS ?? 100) });
