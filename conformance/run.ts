/**
 * The conformance runner: tfjs-core's own op tests, and fusebench's kernel specs, on one fusebench backend.
 *   npx tsx conformance/run.ts --backend cuda --json out/cuda.json     (npm run test:tfjs -- --backend cuda)
 * Steps: resolve the test files, check the filter list, bundle (bundle.ts), check the backend is available
 * (exit 2 with the reason if not), activate it, run jasmine (jasmine-run.ts), print and write the summary.
 */
import { createRequire } from 'node:module';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../harness/core/errors.ts';
import { writeFileAtomic } from '../harness/core/io.ts';
import { parseRunArgs, USAGE, type RunArgs } from './args.ts';
import { buildBundle } from './bundle.ts';
import { filterListProblems } from './exclusions.ts';
import { KNOWN_LEAKS, TEST_FILTERS } from './filters.ts';
import { runJasmine, type Bundle } from './jasmine-run.ts';
import { formatSummary } from './print.ts';
import { summarize } from './summary.ts';
import { filesOfSet, ownSpecs, resolveFileNames, testFile, tfjsCoreDist } from './test-files.ts';

const require = createRequire(import.meta.url);

function writeJson(path: string | undefined, value: unknown): void {
  if (path) writeFileAtomic(resolve(path), `${JSON.stringify(value, null, 2)}\n`);
}

async function run(args: RunArgs, argv: readonly string[]): Promise<number> {
  const dist = tfjsCoreDist();
  const files = args.files ? resolveFileNames(args.files, dist) : filesOfSet(args.set);
  const bundlePath = await buildBundle(files.map(testFile));
  process.on('exit', () => rmSync(bundlePath, { force: true }));
  const bundle = require(bundlePath) as Bundle;
  if (!bundle.knownBackends.includes(args.backend)) throw new UsageError(`--backend: unknown backend "${args.backend}"; known backends: ${bundle.knownBackends.join(', ')}`);
  const own = new Set(ownSpecs());
  const problems = filterListProblems(TEST_FILTERS, (id) => own.has(id) || existsSync(join(dist, `${id}.js`)), bundle.knownBackends);
  if (problems.length) throw new UsageError(`the filter list is invalid:\n  ${problems.join('\n  ')}`);
  const command = `npx tsx conformance/run.ts ${argv.join(' ')}`;
  const check = await bundle.detect(args.backend);
  if (!check.available) {
    console.error(`conformance: backend ${args.backend} is not available here: ${check.reason}`);
    writeJson(args.json, { backend: args.backend, command, date: new Date().toISOString(), available: false, reason: check.reason, exitCode: 2 });
    return 2;
  }

  const started = performance.now();
  const wasmDir = join(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'), '..', 'dist') + '/';
  const device = await bundle.activate(args.backend, wasmDir);
  const stubs = new Set(await bundle.stubKernels(args.backend));
  const tripsBefore = await bundle.hostTripCounts(args.backend);
  const outcome = await runJasmine(bundle, args.backend, files, TEST_FILTERS, { runExcluded: args.runExcluded, verbose: args.verbose });
  const memoryEnd = await bundle.memoryAfterRun(args.backend);
  const tripsAfter = await bundle.hostTripCounts(args.backend);
  const hostTrips = tripsAfter && Object.fromEntries(Object.entries(tripsAfter).map(([c, n]) => [c, n - (tripsBefore?.[c] ?? 0)] as const).filter(([, n]) => n > 0));
  const summary = summarize({
    backend: args.backend, device, command, files, filters: TEST_FILTERS, knownLeaks: KNOWN_LEAKS, stubs, memoryStart: outcome.memoryStart, memoryEnd,
    tfjsCoreVersion: (require('@tensorflow/tfjs-core/package.json') as { version: string }).version,
    durationMs: performance.now() - started, specs: outcome.specs, errors: outcome.errors, ...(hostTrips ? { hostTrips } : {}),
  });
  console.log(formatSummary(summary));
  writeJson(args.json, summary);
  return summary.exitCode;
}

const argv = process.argv.slice(2);
let code: number;
try {
  const args = parseRunArgs(argv);
  if (args.help) {
    console.log(USAGE);
    code = 0;
  } else code = await run(args, argv);
} catch (e) {
  const usage = e instanceof UsageError;
  console.error(`conformance: ${usage ? (e as Error).message : ((e as Error).stack ?? String(e))}`);
  if (usage) console.error(USAGE);
  code = usage ? 2 : 1;
}
// Exit explicitly: a backend may keep handles (threads, devices) open after the run.
process.exit(code);
