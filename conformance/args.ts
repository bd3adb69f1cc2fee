/** Command-line flags of the conformance runner; every mistake is a UsageError naming the flag (exit 2). */
import { parseFlags } from '../harness/cli/args.ts';
import { UsageError } from '../harness/core/errors.ts';
import { TEST_SETS, type TestSet } from './test-files.ts';

export const USAGE = `usage: npx tsx conformance/run.ts --backend NAME [--set ops|fusebench | --files a,b,…] [--json FILE] [--run-excluded] [--verbose]
  (or: npm run test:tfjs -- --backend NAME …)

Runs tfjs-core's own op tests (jasmine, describeWithFlags) and fusebench's kernel specs on one backend.
  --backend NAME   cpu, wasm, tensorflow, webgpu or cuda (activated as fusebench activates it, its kernels included)
  --set ops        tfjs-core's dist/ops/*_test.js + dist/ops/fused/*_test.js, and conformance/specs (default)
  --set fusebench  the tfjs test files covering the kernels fusebench adds or routes through, and conformance/specs
  --files LIST     these test files instead: ops/add_test, tensor_test, fusebench/attention, or short names (add, fused_mat_mul)
  --json FILE      also write the summary (per file counts, failures, exclusions, memory) as JSON
  --run-excluded   run the specs the filter list excludes too (still counted as excluded): one that passes is stale
  --verbose        print each test file as it starts (stderr), so that a run that dies shows where
Exit: 0 no unexpected failure and no memory growth; 1 failures, errors or memory growth; 2 bad flags or backend unavailable.`;

export interface RunArgs {
  readonly backend: string;
  readonly set: TestSet;
  readonly files?: readonly string[];
  readonly json?: string;
  readonly runExcluded: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
}

export function parseRunArgs(argv: string[]): RunArgs {
  const { values, positionals } = parseFlags(argv, {
    backend: { type: 'string' },
    set: { type: 'string' },
    files: { type: 'string' },
    json: { type: 'string' },
    'run-excluded': { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, false);
  if (values.help) return { backend: '', set: 'ops', runExcluded: false, verbose: false, help: true };
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const backend = values.backend;
  if (typeof backend !== 'string' || !backend) throw new UsageError('--backend is required (cpu, wasm, tensorflow, webgpu or cuda)');
  const set = (values.set ?? 'ops') as string;
  if (!(TEST_SETS as readonly string[]).includes(set)) throw new UsageError(`--set must be one of ${TEST_SETS.join(', ')} (got "${set}")`);
  if (values.set !== undefined && values.files !== undefined) throw new UsageError('--set and --files exclude each other');
  const files = typeof values.files === 'string' ? values.files.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  if (files && files.length === 0) throw new UsageError('--files: empty list');
  const json = values.json;
  if (json !== undefined && (typeof json !== 'string' || !json)) throw new UsageError('--json needs a file name');
  return { backend, set: set as TestSet, ...(files ? { files } : {}), ...(typeof json === 'string' ? { json } : {}), runExcluded: values['run-excluded'] === true, verbose: values.verbose === true, help: false };
}
