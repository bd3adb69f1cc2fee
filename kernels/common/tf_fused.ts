/**
 * Which TensorFlow op each fusebench kernel runs on the `tensorflow` backend, and where it is composed instead.
 *
 * Where TensorFlow has a fused op for the whole variant, the kernel executes that one op through the binding
 * (`_FusedMatMul` with fused_ops [BiasAdd, Relu], `_FusedConv2D`, oneDNN's `_MklNativeFusedMatMul` for GELU, …).
 * Where it has none, or this TensorFlow build or binding cannot run it, the kernel composes real TF ops through
 * tfjs-node's own kernels (one TF op each), nested under it, so tf.profile shows every op it ran and the report
 * counts them (harness/kernel-profile.ts). Nothing is chosen by name alone: each candidate is probed once per
 * binding on a tiny input with a known answer, and an op that errors or computes wrongly is skipped with its reason.
 *
 * Candidates found on tensorflow-cpu 2.21.0 (x86-64 Linux wheel, oneDNN build), through the binding
 * `fusebench setup tensorflow` builds:
 *   - `_FusedMatMul` fuses BiasAdd with Relu, Relu6, Elu, Sigmoid, Tanh or LeakyRelu, but refuses GeluExact,
 *     GeluApproximate and Swish ("Fusion is not implemented"); `_MklNativeFusedMatMul` (oneDNN, kernel label
 *     MklNameChangeOp) fuses GeluExact and GeluApproximate; neither fuses Swish, so SiLU is composed.
 *   - `_FusedConv2D` needs fused_ops and TArgs (list(type)).
 *   - `_FusedDepthwiseConv2dNative` accepts the call and returns an empty [0] tensor (BiasAdd) or fails with
 *     "Incompatible shapes: [0] vs. …" (BiasAdd, Relu); the probe rejects it and `_MklNativeFusedDepthwiseConv2dNative`
 *     serves.
 *   - `_MklLayerNorm` (registered without a kernel label, so the label eager adds to _Mkl ops must be cleared) is
 *     one LayerNorm op for rank-2 and rank-3 inputs.
 * The stock tfjs-node binding passes no list attrs, so there every fused_ops candidate fails and the kernel is
 * composed; the plan says why.
 */
import { activate, ACT_GELU, ACT_GELU_TANH, ACT_LINEAR, ACT_RELU } from './activation.ts';
import { attrs, probeOp, type TfAttr, type TfBinding } from './tf_exec.ts';

const LIST_ATTRS = 'list attrs (fused_ops), which the stock tfjs-node binding cannot pass: `fusebench setup tensorflow` builds one that can';
const ONEDNN = 'a oneDNN build of TensorFlow (the x86-64 Linux wheels)';

export type TfFamily = 'matmul' | 'conv2d' | 'depthwise' | 'layernorm';

export interface TfFusedOp {
  readonly op: string;
  readonly family: TfFamily;
  readonly fusedOps?: readonly string[];
  /** Value of the `_kernel` attr that selects oneDNN's kernel registration. */
  readonly label?: string;
  /** What the op needs that a TensorFlow build or binding may lack. */
  readonly needs: string;
}

export interface TfPath {
  /** Ops that compute the whole variant in one TF op, most preferred first. */
  readonly fused: readonly TfFusedOp[];
  /** What the kernel runs when no candidate is available: TF ops, each through tfjs-node's kernel for it. */
  readonly composed: string;
  /** Why there is no single-op path, where TensorFlow has none. */
  readonly noFusedOp?: string;
}

// oneDNN's fused matmul first: it is what TensorFlow itself rewrites _FusedMatMul into on an oneDNN build, and it
// runs the same GEMM as the unfused MatMul, so the speedup is fusion's, not a different GEMM's (Eigen's
// _FusedMatMul measured 632 against 467 µs at 32×768→768 here). Eigen's is the fallback on other builds.
const matmul = (fusedOps: readonly string[]): TfFusedOp[] => [
  { op: '_MklNativeFusedMatMul', family: 'matmul', fusedOps, label: 'MklNameChangeOp', needs: `${LIST_ATTRS}, and ${ONEDNN}` },
  { op: '_FusedMatMul', family: 'matmul', fusedOps, needs: LIST_ATTRS },
];
const matmulGelu = (gelu: string): TfFusedOp[] => [
  { op: '_FusedMatMul', family: 'matmul', fusedOps: ['BiasAdd', gelu], needs: `${LIST_ATTRS}; TensorFlow's Eigen CPU kernel does not fuse ${gelu}` },
  { op: '_MklNativeFusedMatMul', family: 'matmul', fusedOps: ['BiasAdd', gelu], label: 'MklNameChangeOp', needs: `${LIST_ATTRS}, and ${ONEDNN}` },
];
const conv = (fusedOps: readonly string[]): TfFusedOp[] => [{ op: '_FusedConv2D', family: 'conv2d', fusedOps, needs: `${LIST_ATTRS}, and TArgs (list(type))` }];
const depthwise = (fusedOps: readonly string[]): TfFusedOp[] => [
  { op: '_FusedDepthwiseConv2dNative', family: 'depthwise', fusedOps, needs: LIST_ATTRS },
  { op: '_MklNativeFusedDepthwiseConv2dNative', family: 'depthwise', fusedOps, label: 'MklNameChangeOp', needs: `${LIST_ATTRS}, and ${ONEDNN}` },
];
const TERNARY = { fused: [], composed: 'one TF op per operation of the op table\'s expression (Add, Mul, Minimum, Maximum, Neg)', noFusedOp: 'TensorFlow has no ternary ops' } as const;

/** Every fusebench kernel variant on the tensorflow backend: `<kernel>` or `<kernel>:<activation>`. */
export const TENSORFLOW_PATHS = {
  'FusebenchLinearAct:linear': { fused: matmul(['BiasAdd']), composed: 'BatchMatMulV2, Add' },
  'FusebenchLinearAct:relu': { fused: matmul(['BiasAdd', 'Relu']), composed: 'BatchMatMulV2, Add, Relu' },
  'FusebenchLinearAct:gelu': { fused: matmulGelu('GeluExact'), composed: 'FusebenchLinearAct (linear), then Mul, Mul, Erf, Add, Mul' },
  'FusebenchLinearAct:gelu_tanh': { fused: matmulGelu('GeluApproximate'), composed: 'FusebenchLinearAct (linear), then Mul, Mul, Mul, Add, Mul, Tanh, Add, Mul, Mul' },
  'FusebenchLinearAct:silu': {
    fused: [], composed: 'FusebenchLinearAct (linear), then Sigmoid, Mul',
    noFusedOp: 'neither _FusedMatMul nor oneDNN\'s _MklNativeFusedMatMul fuses Swish/SiLU (both refuse [BiasAdd, Swish])',
  },
  'FusebenchConv2DAct:linear': { fused: conv(['BiasAdd']), composed: 'Conv2D, Add' },
  'FusebenchConv2DAct:relu': { fused: conv(['BiasAdd', 'Relu']), composed: 'Conv2D, Add, Relu' },
  'FusebenchDepthwiseConv2DAct:linear': { fused: depthwise(['BiasAdd']), composed: 'DepthwiseConv2dNative, Add' },
  'FusebenchDepthwiseConv2DAct:relu': { fused: depthwise(['BiasAdd', 'Relu']), composed: 'DepthwiseConv2dNative, Add, Relu' },
  FusebenchLayerNorm: {
    fused: [{ op: '_MklLayerNorm', family: 'layernorm', label: '', needs: `${ONEDNN}; rank-2 or rank-3 input` }],
    composed: 'Mean, Sub, Square, Mean, Add, Rsqrt, Mul, Mul, Add',
  },
  FusebenchAddRelu: { fused: [], composed: 'Add, Relu', noFusedOp: 'TensorFlow has no fused add + ReLU op' },
  FusebenchQKTSoftmax: { fused: [], composed: 'Mul (q·scale), BatchMatMulV2 (k transposed), Softmax', noFusedOp: 'TensorFlow has no fused q·kᵀ + softmax op on CPU' },
  FusebenchSDPA: { fused: [], composed: 'Mul (q·scale), BatchMatMulV2 (k transposed), Softmax, BatchMatMulV2', noFusedOp: 'TensorFlow has no fused attention op on CPU' },
  TernaryUnary: TERNARY,
  TernaryBinary: TERNARY,
  TernaryNotBinary: TERNARY,
  TernaryFused3: TERNARY,
} as const satisfies Record<string, TfPath>;

export type TfPathKey = keyof typeof TENSORFLOW_PATHS;

/** What one kernel variant runs with one binding: a single fused TF op, or TF ops composed (and why). */
export type TfPlan =
  | { readonly kind: 'fused'; readonly op: TfFusedOp }
  | { readonly kind: 'composed'; readonly ops: string; readonly why: readonly string[] };

// ---------------------------------------------------------------------------------------------------------
// The attrs each family's op takes (shared by the kernels and the probes).

const labelAttr = (b: TfBinding, op: TfFusedOp): TfAttr[] => (op.label === undefined ? [] : [attrs(b).string('_kernel', op.label)]);

export function fusedMatMulAttrs(b: TfBinding, op: TfFusedOp): TfAttr[] {
  const a = attrs(b);
  return [a.type('T', 'float32'), a.string('fused_ops', op.fusedOps ?? []), a.int('num_args', 1), a.bool('transpose_a', false), a.bool('transpose_b', false), ...labelAttr(b, op)];
}

export function fusedConvAttrs(b: TfBinding, op: TfFusedOp, strides: readonly [number, number], pad: 'same' | 'valid'): TfAttr[] {
  const a = attrs(b);
  return [
    a.type('T', 'float32'), a.int('strides', [1, strides[0], strides[1], 1]), a.string('padding', pad === 'same' ? 'SAME' : 'VALID'),
    a.string('data_format', 'NHWC'), a.int('dilations', [1, 1, 1, 1]), a.string('fused_ops', op.fusedOps ?? []), a.int('num_args', 1),
    ...(op.family === 'conv2d' ? [a.types('TArgs', ['float32'])] : []), ...labelAttr(b, op),
  ];
}

export function layerNormAttrs(b: TfBinding, op: TfFusedOp, epsilon: number): TfAttr[] {
  const a = attrs(b);
  return [a.type('T', 'float32'), a.float('epsilon', epsilon), ...labelAttr(b, op)];
}

// ---------------------------------------------------------------------------------------------------------
// Probes: a tiny input per family with the answer worked out here.

const f32 = (shape: number[], values: number[]) => ({ shape, values: Float32Array.from(values) });

function probe(b: TfBinding, op: TfFusedOp): string | undefined {
  const relu = op.fusedOps?.includes('Relu') ?? false;
  switch (op.family) {
    case 'matmul': {
      // [0.5, −1]·[[1, 2], [3, −1]] + [0.25, −0.5] = [−2.25, 1.5]
      const act = relu ? ACT_RELU : op.fusedOps?.includes('GeluExact') ? ACT_GELU : op.fusedOps?.includes('GeluApproximate') ? ACT_GELU_TANH : ACT_LINEAR;
      return probeOp(b, op.op, fusedMatMulAttrs(b, op), [f32([1, 2], [0.5, -1]), f32([2, 2], [1, 2, 3, -1]), f32([2], [0.25, -0.5])], [-2.25, 1.5].map((v) => activate(v, act)));
    }
    case 'conv2d': {
      // 1×1 filter [1, −1] on pixels 1..4, bias 0.5: [v + 0.5, 0.5 − v]
      const want = [1, 2, 3, 4].flatMap((v) => [v + 0.5, 0.5 - v]).map((v) => (relu ? Math.max(0, v) : v));
      return probeOp(b, op.op, fusedConvAttrs(b, op, [1, 1], 'same'), [f32([1, 2, 2, 1], [1, 2, 3, 4]), f32([1, 1, 1, 2], [1, -1]), f32([2], [0.5, 0.5])], want);
    }
    case 'depthwise': {
      // channels [v, −v], 1×1 filter [2, 3], bias 0.5: [2v + 0.5, 0.5 − 3v]
      const want = [1, 2, 3, 4].flatMap((v) => [2 * v + 0.5, 0.5 - 3 * v]).map((v) => (relu ? Math.max(0, v) : v));
      return probeOp(b, op.op, fusedConvAttrs(b, op, [1, 1], 'same'), [f32([1, 2, 2, 2], [1, -1, 2, -2, 3, -3, 4, -4]), f32([1, 1, 2, 1], [2, 3]), f32([2], [0.5, 0.5])], want);
    }
    case 'layernorm':
      // rows [1, 3] and [2, 2]: normalised [−1, 1]/√(1 + ε) and [0, 0], · γ [2, 1] + β [0, 1]
      return probeOp(b, op.op, layerNormAttrs(b, op, 1e-5), [f32([2, 2], [1, 3, 2, 2]), f32([2], [2, 1]), f32([2], [0, 1])], [-2, 2, 0, 1]);
  }
}

const plans = new WeakMap<TfBinding, Map<TfPathKey, TfPlan>>();

/** The plan for one kernel variant with this binding: the first candidate whose probe passes, else composed. */
export function tensorflowPlan(b: TfBinding, key: TfPathKey): TfPlan {
  let byKey = plans.get(b);
  if (!byKey) plans.set(b, (byKey = new Map()));
  let plan = byKey.get(key);
  if (!plan) {
    const path: TfPath = TENSORFLOW_PATHS[key];
    const why: string[] = path.noFusedOp ? [path.noFusedOp] : [];
    for (const op of path.fused) {
      const failure = probe(b, op);
      if (failure === undefined) {
        plan = { kind: 'fused', op };
        break;
      }
      why.push(failure);
    }
    plan ??= { kind: 'composed', ops: path.composed, why };
    byKey.set(key, plan);
  }
  return plan;
}

/** Every variant's plan with this binding (for tests and for a run's notes). */
export function tensorflowPlans(b: TfBinding): Record<TfPathKey, TfPlan> {
  return Object.fromEntries((Object.keys(TENSORFLOW_PATHS) as TfPathKey[]).map((k) => [k, tensorflowPlan(b, k)])) as Record<TfPathKey, TfPlan>;
}

const fusedText = (op: TfFusedOp): string => `${op.op}${op.fusedOps ? ` [${op.fusedOps.join(', ')}]` : ''}`;

/** One line for suite notes: what the variant runs on tensorflow, whatever the machine (no probe). */
export function describeTensorflowPath(key: TfPathKey): string {
  const path: TfPath = TENSORFLOW_PATHS[key];
  if (path.fused.length === 0) return `composed of TF ops ${path.composed} (${path.noFusedOp ?? 'TensorFlow has no fused op for it'})`;
  const ops = path.fused.map((op) => `${fusedText(op)} (needs ${op.needs})`).join(', else ');
  return `one TF op, ${ops}; else composed of TF ops ${path.composed}`;
}

/** One line for a run: what the variant ran with this binding, and why not fused where it was composed. */
export function describeTensorflowPlan(plan: TfPlan): string {
  return plan.kind === 'fused' ? `one TF op: ${fusedText(plan.op)}` : `composed of TF ops ${plan.ops} (${plan.why.join('; ')})`;
}
