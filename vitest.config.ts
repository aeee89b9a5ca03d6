import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The renderer's own modules (controllers, settings) import the contract as the renderer's build does.
  resolve: { alias: { $common: path.resolve(import.meta.dirname, 'main/common') } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2 cores: run files in parallel on two forks; e2e files share one browser each.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
