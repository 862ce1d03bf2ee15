/**
 * Runs once before any test file: settles the fast-check seed for the whole run and prints it,
 * so a failing property can be replayed with `FC_SEED=<seed> npm test`.
 */
export default function setup(): void {
  const given = process.env.FC_SEED;
  let seed: number;
  if (given !== undefined && given !== '') {
    seed = Number(given);
    if (!Number.isSafeInteger(seed)) {
      throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(given)}`);
    }
  } else {
    seed = Math.floor(Math.random() * 0x7fffffff);
    process.env.FC_SEED = String(seed);
  }
  process.stdout.write(`fast-check seed: ${seed} (replay with FC_SEED=${seed})\n`);
}
