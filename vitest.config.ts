import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const harness = fileURLToPath(new URL('./harness/index.ts', import.meta.url));

export default defineConfig({
  resolve: { alias: { fusebench: harness } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Benchmarks share 2 cores: one file at a time so suites never time each other.
    fileParallelism: false,
    pool: 'forks',
    benchmark: {
      include: ['suites/**/*.bench.ts'],
    },
  },
});
