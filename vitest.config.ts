import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Renders are CPU-bound on a 2-core machine: keep test files from fighting over the cores.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
