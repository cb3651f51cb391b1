import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Browser tests start their own Chromium workers; two test files at a
    // time keep a 2-core machine from thrashing.
    maxWorkers: 2,
  },
});
