/**
 * THE list of tfjs-core op tests the conformance runner leaves out, in tfjs's own TestFilter style
 * (`{include, excludes}`, as tfjs-backend-wasm's and -webgpu's setup_test.ts): one entry per test file, each
 * excluded spec named by a substring of its full name, with the backends it applies to and one of the
 * accepted reasons beside it. Anything not listed here runs.
 *
 * Accepted reasons (issue 20): the backend does not implement a kernel the spec needs; the spec needs a
 * dtype the backend does not support (complex64, string); the spec also fails on tfjs-backend-cpu here.
 * A precision difference, a wrong result or a different error message is NOT a reason: it is a bug to fix.
 *
 * On cuda, specs that run into one of the stub kernels (backends/cuda/register.ts: "not implemented on
 * cuda: X") or into an unsupported dtype are classified at run time instead (conformance/classify.ts), so
 * that implementing a kernel (issue 23) brings its specs back without editing this list.
 */

export const EXCLUSION_REASONS = {
  'kernel-not-implemented': 'the backend does not implement a kernel the spec needs',
  'dtype-unsupported': 'the spec needs a dtype the backend does not support (complex64, string)',
  'fails-on-tfjs-cpu': 'the spec also fails on tfjs-backend-cpu here',
} as const;
export type ExclusionReason = keyof typeof EXCLUSION_REASONS;

export interface Exclusion {
  /** A substring of the spec's full name (describe name, test env, spec name), as tfjs's `excludes`. */
  readonly spec: string;
  readonly backends: readonly string[];
  readonly reason: ExclusionReason;
  /** The kernel or dtype concerned, or the cpu failure seen: what makes the reason true. */
  readonly detail: string;
}

export interface TestFilter {
  /** The test file (conformance/test-files.ts ids: `ops/add_test`). */
  readonly include: string;
  readonly excludes: readonly Exclusion[];
}

const WASM = ['wasm'];
const wasmKernel = (spec: string, detail: string): Exclusion => ({ spec, backends: WASM, reason: 'kernel-not-implemented', detail: `tfjs-backend-wasm 4.22: ${detail}` });
const wasmDtype = (spec: string, detail: string): Exclusion => ({ spec, backends: WASM, reason: 'dtype-unsupported', detail: `tfjs-backend-wasm 4.22: ${detail}` });
const NO_COMPLEX = 'complex64 (no Complex kernel registered)';
const NO_STRING = 'string ("Unknown dtype string")';
const NCHW = (kernel: string): string => `${kernel} in NCHW ("does not support dataFormat")`;
const BIAS_RANK = (kernel: string): string => `${kernel} with a bias of rank ≠ 1 ("only supports rank-1 bias")`;
const CONV_GRAD = 'the fused conv gradient computes conv2DBackpropFilter too, and no Conv2DBackpropFilter kernel is registered ' +
  '(the forward pass under the tape first reports "internal memory leak (3 data ids)")';

export const TEST_FILTERS: readonly TestFilter[] = [
  { include: 'ops/mat_mul_test', excludes: [wasmKernel('upcasts when dtypes dont match', 'BatchMatMul for int32 ("not yet supported")')] },
  {
    include: 'ops/fused/fused_mat_mul_test',
    excludes: [
      wasmKernel('fused A x B with 2d bias and relu', BIAS_RANK('_FusedMatMul')),
      wasmKernel('fused A x B with 2d bias only', BIAS_RANK('_FusedMatMul')),
      wasmKernel('fused A x B with relu and broadcasted bias different rank', BIAS_RANK('_FusedMatMul')),
    ],
  },
  {
    include: 'ops/conv2d_test',
    excludes: [
      wasmKernel(' p=0 NCHW', NCHW('Conv2D')),
      wasmKernel(' p=same NCHW', NCHW('Conv2D')),
      wasmKernel(' p=explicit NCHW', NCHW('Conv2D')),
      wasmKernel('conv2d wasm {} gradient with clones', 'no Conv2DBackpropFilter kernel registered'),
      wasmKernel('conv2d wasm {} gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0', 'no Conv2DBackpropFilter kernel registered'),
    ],
  },
  {
    include: 'ops/fused/fused_conv2d_test',
    excludes: [
      wasmKernel(' in NCHW', NCHW('FusedConv2D')),
      wasmKernel('with broadcasted bias and relu', BIAS_RANK('FusedConv2D')),
      wasmKernel('fused conv2d wasm {} gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0', CONV_GRAD),
      wasmKernel('fused conv2d wasm {} backProp input x=[2,3,3,1] f=[2,2,1,1] s=1 p=0', CONV_GRAD),
    ],
  },
  {
    include: 'ops/depthwise_conv2d_test',
    excludes: [
      wasmKernel('depthwiseConv2d gradients wasm {} wrt ', 'no DepthwiseConv2dNativeBackpropInput/-Filter kernels registered'),
      wasmKernel('depthwiseConv2d gradients wasm {} gradient with clones', 'no DepthwiseConv2dNativeBackpropInput kernel registered'),
    ],
  },
  {
    include: 'ops/fused/fused_depthwise_conv2d_test',
    excludes: [
      wasmKernel('basic with broadcasted bias and relu', BIAS_RANK('FusedDepthwiseConv2D')),
      wasmKernel('gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0', 'no DepthwiseConv2dNativeBackpropInput/-Filter kernels registered'),
    ],
  },
  { include: 'ops/add_test', excludes: [wasmDtype('complex number', NO_COMPLEX), wasmDtype('upcasts when dtypes dont match', `${NO_COMPLEX}: the spec upcasts to complex64`)] },
  { include: 'ops/arithmetic_test', excludes: [wasmDtype('mul wasm {} complex number', NO_COMPLEX)] },
  { include: 'ops/abs_test', excludes: [wasmDtype('complex64', NO_COMPLEX)] },
  { include: 'ops/transpose_test', excludes: [wasmDtype('accepts complex64 input', NO_COMPLEX)] },
  { include: 'ops/clone_test', excludes: [wasmDtype('complex64 dtype', NO_COMPLEX)] },
  { include: 'ops/fill_test', excludes: [wasmDtype('fill string', NO_STRING)] },
  {
    include: 'tensor_test',
    excludes: [
      wasmDtype('complex64', NO_COMPLEX),
      wasmDtype('ones with complex type', NO_COMPLEX),
      wasmDtype('with a complex tensor', NO_COMPLEX),
      wasmDtype('long string tensor verbose', NO_STRING),
    ],
  },
];

/**
 * tfjs specs that leave tensors behind on tfjs-backend-cpu too, so the leak is tfjs-core's, not the backend's.
 * They still run; the memory check reports them and allows exactly their growth (tensors, bytes and the device
 * bytes those tensors hold, which are never freed: tfjs resets the engine after each suite); any other growth
 * fails the run.
 */
export interface KnownLeak {
  readonly include: string;
  readonly spec: string;
  readonly detail: string;
}

const GRAD_THROWS =
  'tf.grad throws in its backward pass, so tfjs-core engine.gradients() skips disposing the tensors its tape saved (seen the same on tfjs-backend-cpu)';

export const KNOWN_LEAKS: readonly KnownLeak[] = [
  { include: 'ops/depthwise_conv2d_test', spec: 'throws error on dilations > 1', detail: GRAD_THROWS },
  { include: 'ops/mean_test', spec: 'gradients throws for defined axis', detail: GRAD_THROWS },
];
