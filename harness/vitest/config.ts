/**
 * `fusebench/vitest`: the vitest 5 settings that make `npx vitest bench --run` run fusebench suites.
 *
 *   import { defineConfig } from 'vitest/config';
 *   import { fusebench } from 'fusebench/vitest';
 *   export default defineConfig({ test: fusebench() });
 *
 * It sets fusebench's benchmark provider, the setup file that turns each defineSuite and definePipeline into tests (bench runs
 * only) and fusebench's reporter, and runs one file at a time so suites never time each other.
 * vitest 5 declares Node ≥ 22.12; on Node 20 it runs once three newer built-ins exist, which this module adds.
 */
import './node20.ts';
import { fileURLToPath } from 'node:url';
import { OWN_EXTENSION } from '../core/typescript.ts';

const here = (name: string): string => fileURLToPath(new URL(`./${name}${OWN_EXTENSION}`, import.meta.url));

export const PROVIDER = here('provider');
export const SETUP = here('register');
export const REPORTER = here('reporter');

export interface FusebenchVitestOptions {
  /** Bench files to run (default: every `*.bench.ts` under the project). */
  readonly include?: readonly string[];
  /** Command-line arguments, to tell a bench run or a merge (default: this process's). */
  readonly argv?: readonly string[];
}

/** Whether vitest was started to run benchmarks or to merge shards' blob reports (both end in fusebench's report). */
export function isBenchRun(argv: readonly string[] = process.argv): boolean {
  return argv.includes('bench') || argv.includes('--merge-reports') || argv.some((a) => a.startsWith('--merge-reports='));
}

export function fusebench(options: FusebenchVitestOptions = {}) {
  const bench = isBenchRun(options.argv);
  return {
    benchmark: { include: [...(options.include ?? ['**/*.bench.ts'])], provider: PROVIDER },
    setupFiles: bench ? [SETUP] : [],
    ...(bench ? { reporters: ['default', REPORTER] } : {}),
    // Benchmarks share the machine: one file at a time, in forked processes.
    fileParallelism: false,
    pool: 'forks' as const,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  };
}
