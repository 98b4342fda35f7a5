import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Native code and real servers: run test files in forked processes, two at a time.
    pool: 'forks',
    maxWorkers: 2,
  },
});
