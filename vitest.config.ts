import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fusebench } from './harness/vitest/config.ts';

const harness = fileURLToPath(new URL('./harness/index.ts', import.meta.url));
const root = fileURLToPath(new URL('.', import.meta.url));

// `npx vitest bench --run path/to/my.bench.ts` must work for a suite anywhere on disk, so suite files
// named on the command line join the include list even when they lie outside this folder.
const namedSuites = process.argv
  .filter((a) => a.endsWith('.bench.ts'))
  .map((a) => resolve(a))
  .filter((a) => existsSync(a) && !a.startsWith(root));

export default defineConfig({
  resolve: { alias: { fusebench: harness } },
  server: { fs: { strict: false } },
  test: {
    ...fusebench({ include: ['suites/**/*.bench.ts', ...namedSuites] }),
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
