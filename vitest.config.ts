import { defineConfig } from 'vitest/config';

// Property tests draw from one seed per run. `FC_SEED` replays a run; without it the global
// setup draws a seed, prints it, and hands it to every worker through the environment.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-seed.ts', 'test/support/global-services.ts'],
    setupFiles: ['test/support/fast-check-seed.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
