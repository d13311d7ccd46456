import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Temp folders go into one folder per run; the run fails if a test leaves any behind.
    globalSetup: ['test/support/temp-guard.ts', 'test/support/offline-services.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Renders are CPU-bound on a 2-core machine: keep test files from fighting over the cores.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
