import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // the end-to-end files each run a PipeWire and measure timings: one file at a time
    fileParallelism: false,
  },
});
