import { formatSimTime } from './distributions.js';

/**
 * A simulation found a bug: a broken invariant (safety) or a cloud that did not settle after
 * its faults were healed (liveness). The message carries the seed that replays the run and the
 * number of the event after which the problem was seen.
 */
export class SimulationFailure extends Error {
  override name = 'SimulationFailure';

  constructor(
    readonly kind: 'invariant' | 'no-convergence',
    readonly seed: number,
    readonly eventNumber: number,
    readonly atMs: number,
    readonly problems: readonly string[],
  ) {
    const head = kind === 'invariant' ? 'invariant broken' : 'no convergence';
    const shown = problems.slice(0, 10).map((p) => `  - ${p}`);
    if (problems.length > 10) shown.push(`  - … and ${problems.length - 10} more`);
    super(`${head} after event ${eventNumber} at ${formatSimTime(atMs)} (seed ${seed}; replay with the same seed):\n${shown.join('\n')}`);
  }
}
