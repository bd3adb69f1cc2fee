/**
 * Which test files a run loads. tfjs-core's own tests are named by their path under tfjs-core's dist/ without
 * `.js` (`ops/add_test`, `ops/fused/fused_mat_mul_test`, `tensor_test`); fusebench's own kernel specs by
 * `fusebench/<name>` (conformance/specs/<name>.spec.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../harness/core/errors.ts';

export interface TestFile {
  /** `ops/add_test` or `fusebench/layer_norm`. */
  readonly id: string;
  /** What the bundle imports: a module specifier (tfjs-core) or an absolute path (our specs). */
  readonly module: string;
}

const OWN_PREFIX = 'fusebench/';
const SPECS_DIR = fileURLToPath(new URL('./specs/', import.meta.url));

/** tfjs-core's dist folder in this checkout's node_modules. */
export function tfjsCoreDist(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist');
}

const listTests = (dir: string, sub: string): string[] =>
  existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).filter((f) => f.endsWith('_test.js')).map((f) => `${sub}/${f.slice(0, -3)}`) : [];

/** The op tests tfjs-backend-cpu's CI runs: dist/ops/*_test.js and dist/ops/fused/*_test.js (2,989 specs in 4.22). */
export function tfjsOpTests(dist = tfjsCoreDist()): string[] {
  return [...listTests(dist, 'ops'), ...listTests(dist, 'ops/fused')].sort();
}

/** fusebench's own kernel specs. */
export function ownSpecs(): string[] {
  return readdirSync(SPECS_DIR).filter((f) => f.endsWith('.spec.ts')).map((f) => OWN_PREFIX + f.slice(0, -'.spec.ts'.length)).sort();
}

/**
 * The tfjs-core test files covering the kernels fusebench adds or routes through: the GEMM, conv and
 * normalisation kernels its fused and unfused variants call, the element-wise ops of their epilogues, and the
 * shape ops between them (reshape and cast are tested in tensor_test).
 */
export const FUSEBENCH_TFJS_TESTS: readonly string[] = [
  'ops/mat_mul_test', 'ops/fused/fused_mat_mul_test',
  'ops/conv2d_test', 'ops/fused/fused_conv2d_test', 'ops/depthwise_conv2d_test', 'ops/fused/fused_depthwise_conv2d_test',
  'ops/batchnorm_test', 'ops/softmax_test', 'ops/moments_test', 'ops/mean_test', 'ops/sum_test', 'ops/max_test',
  'ops/add_test', 'ops/arithmetic_test', 'ops/binary_ops_test',
  'ops/relu_test', 'ops/relu6_test', 'ops/leaky_relu_test', 'ops/elu_test', 'ops/sigmoid_test', 'ops/tanh_test', 'ops/erf_test',
  'ops/exp_test', 'ops/log_test', 'ops/sqrt_test', 'ops/rsqrt_test', 'ops/square_test', 'ops/neg_test', 'ops/abs_test',
  'ops/sign_test', 'ops/reciprocal_test', 'ops/floor_test', 'ops/ceil_test', 'ops/clip_by_value_test',
  'ops/transpose_test', 'ops/slice_test', 'ops/slice1d_test', 'ops/slice2d_test', 'ops/slice3d_test', 'ops/slice4d_test',
  'ops/fill_test', 'ops/clone_test', 'tensor_test',
];

export const TEST_SETS = ['ops', 'fusebench'] as const;
export type TestSet = (typeof TEST_SETS)[number];

/** The files of a named set: `ops` = tfjs-core's op tests + our specs; `fusebench` = the CI subset + our specs. */
export function filesOfSet(set: TestSet): string[] {
  return [...(set === 'ops' ? tfjsOpTests() : FUSEBENCH_TFJS_TESTS), ...ownSpecs()];
}

/**
 * Resolves `--files` names: a full id (`ops/add_test`, `tensor_test`, `fusebench/attention`) or a short op name
 * (`add` → ops/add_test, `fused_mat_mul` → ops/fused/fused_mat_mul_test). Unknown names are a UsageError.
 */
export function resolveFileNames(names: readonly string[], dist = tfjsCoreDist()): string[] {
  const own = ownSpecs();
  return names.map((name) => {
    const candidates = [name, `ops/${name}_test`, `ops/fused/${name}_test`, `${name}_test`, `${OWN_PREFIX}${name}`];
    const hit = candidates.find((c) => (c.startsWith(OWN_PREFIX) ? own.includes(c) : c.endsWith('_test') && existsSync(join(dist, `${c}.js`))));
    if (!hit) throw new UsageError(`--files: no test file "${name}" (tried ${candidates.join(', ')} under ${dist} and conformance/specs/)`);
    return hit;
  });
}

/** Where each file is loaded from. */
export function testFile(id: string): TestFile {
  if (id.startsWith(OWN_PREFIX)) return { id, module: join(SPECS_DIR, `${id.slice(OWN_PREFIX.length)}.spec.ts`) };
  return { id, module: `@tensorflow/tfjs-core/dist/${id}.js` };
}

export const isOwnSpec = (id: string): boolean => id.startsWith(OWN_PREFIX);
