/**
 * Everything non-deterministic reaches the core through these interfaces. The core defines them;
 * the simulator and the live drivers implement them. `Rng` is the exception: its seeded
 * implementation lives in core/rng.ts because a replay must draw exactly the same numbers.
 */

/** Virtual or wall-clock time in milliseconds since the Unix epoch. */
export interface Clock {
  nowMs(): number;
}

/** A seeded pseudo-random source. Never `Math.random`: the seed must reproduce a run. */
export interface Rng {
  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number;
  /** A float in [0, 1). */
  float(): number;
  /** An integer in [min, max], both inclusive. */
  intInclusive(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
}

/** Who issues a command: the root of authorization decisions in the core. */
export interface Caller {
  accountId: string;
  userId: string;
  role: 'RootAdmin' | 'ResourceAdmin' | 'DomainAdmin' | 'User';
  domainId: string;
}

/** The system itself (scenario builds, drivers reporting back). */
export const SYSTEM_CALLER: Caller = {
  accountId: 'system',
  userId: 'system',
  role: 'RootAdmin',
  domainId: 'ROOT',
};
