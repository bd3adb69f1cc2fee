/**
 * The ops suites call for their fused variants, and the table that decides, per backend, which implementation
 * a fused variant runs: tfjs's own fused kernel where it really is one pass, fusebench's kernel
 * (kernels/<kernel>/<backend>.ts, registered by kernels/registry.ts) where tfjs has none or where its "fused"
 * kernel runs the unfused ops internally. The choice is never silent: `fusedPathFor` answers it, suites
 * report it, and a backend lacking the chosen kernel fails with tfjs's "kernel not registered" error.
 *
 * | fused op                    | tfjs kernel           | cpu       | wasm      | tensorflow | other backends |
 * | --------------------------- | --------------------- | --------- | --------- | ---------- | -------------- |
 * | matMul + bias (+ relu)      | _FusedMatMul          | fusebench | tfjs      | fusebench  | tfjs           |
 * | matMul + bias + gelu / silu | none                  | fusebench | fusebench | fusebench  | fusebench      |
 * | conv2d + bias (+ relu)      | FusedConv2D           | fusebench | tfjs      | fusebench  | tfjs           |
 * | depthwise + bias (+ relu)   | FusedDepthwiseConv2D  | fusebench | tfjs      | fusebench  | tfjs           |
 * | q·kᵀ (matMul transposeB)    | _FusedMatMul          | tfjs      | tfjs      | tfjs       | tfjs           |
 * | softmax(q·kᵀ·scale)         | none                  | fusebench | fusebench | fusebench  | fusebench      |
 * | SDPA                        | none                  | fusebench | fusebench | fusebench  | fusebench      |
 * | LayerNorm                   | none                  | fusebench | fusebench | fusebench  | fusebench      |
 * | add + relu                  | none                  | fusebench | fusebench | fusebench  | fusebench      |
 *
 * Why cpu uses fusebench kernels where tfjs has a fused one (tfjs-backend-cpu 4.22.0 sources, shipped as
 * source maps in node_modules/@tensorflow/tfjs-backend-cpu/dist/kernels/*.js.map): see TFJS_NOT_FUSED.
 * Why wasm keeps tfjs's: its _FusedMatMul (2-D, no transpose) is XNNPACK's fully-connected operator with the
 * bias and the ReLU clamp in its epilogue (tfjs-backend-wasm 4.22.0 src/cc/batch_mat_mul_impl.cc `xnn_matmul`),
 * and its FusedConv2D / FusedDepthwiseConv2D are XNNPACK convolutions with bias and clamp
 * (src/cc/conv2d_impl.cc, xnn_create_convolution2d_nhwc_f32 with bias_buf, output_min/max).
 * On tensorflow (tfjs-node), tfjs's three fused kernels run their parts as separate TF ops (TFJS_NOT_FUSED), so the
 * fusebench kernels run TensorFlow's own fused op where TensorFlow has one, else TF ops composed; which, per kernel
 * variant, is kernels/common/tf_fused.ts's table (TENSORFLOW_PATHS), and each suite's notes say it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FusedImplementation } from '../harness/core/types.ts';
import type { Activation } from './common/activation.ts';
import { ADD_RELU, CONV2D_ACT, DEPTHWISE_CONV2D_ACT, LAYER_NORM, LINEAR_ACT, QKT_SOFTMAX, SDPA } from './names.ts';
import { describeTensorflowPath, type TfPathKey } from './common/tf_fused.ts';

// The kernel names, read once: under vitest's module runner each use of an imported name is a getter call, and
// these are used on every call of an op (vitest warns past a million).
const KERNEL = { ADD_RELU, CONV2D_ACT, DEPTHWISE_CONV2D_ACT, LAYER_NORM, LINEAR_ACT, QKT_SOFTMAX, SDPA } as const;

export type { Activation } from './common/activation.ts';

export type FusedOp =
  | 'matMulBias' | 'matMulBiasRelu' | 'matMulBiasGelu' | 'matMulBiasGeluTanh' | 'matMulBiasSilu'
  | 'conv2dBias' | 'conv2dBiasRelu' | 'depthwiseConv2dBiasRelu'
  | 'matMulTransposeB' | 'qktSoftmax' | 'sdpa' | 'layerNorm' | 'addRelu';

/** Backends on which tfjs's "fused" kernel is several passes inside, with the source lines that show it. */
export const TFJS_NOT_FUSED = {
  _FusedMatMul: {
    cpu: 'tfjs-backend-cpu 4.22.0 src/kernels/_FusedMatMul.ts lines 41–55: batchMatMul, then add, then applyActivation, each a full pass with its own output',
    tensorflow: 'tfjs-node 4.22.0 dist/kernels/_FusedMatMul.js: tf.matMul, tf.add, then backend.applyActivation, three TF ops (BatchMatMulV2, Add, the activation) under tfjs-core\'s Reshapes; its comment: "Core TensorFlow does not have a fused BatchMatMul op"',
  },
  FusedConv2D: {
    cpu: 'tfjs-backend-cpu 4.22.0 src/kernels/FusedConv2D.ts lines 43–92: conv2D, then add, then applyActivation, each a full pass with its own output',
    tensorflow: 'tfjs-node 4.22.0 dist/kernels/FusedConv2D.js: conv2dImpl (TF Conv2D), then tf.add, then backend.applyActivation, each a TF op of its own',
  },
  FusedDepthwiseConv2D: {
    cpu: 'tfjs-backend-cpu 4.22.0 src/kernels/FusedDepthwiseConv2D.ts lines 42–58: depthwiseConv2dNative, then add, then applyActivation',
    tensorflow: 'tfjs-node 4.22.0 dist/kernels/FusedDepthwiseConv2D.js: depthwiseConv2dNativeImpl, then tf.add, then backend.applyActivation, each a TF op of its own',
  },
} as const satisfies Record<string, Record<string, string>>;

type TfjsFusedKernel = keyof typeof TFJS_NOT_FUSED;

/** Backends on which we checked that tfjs's fused kernel is one pass, with the source that shows it. */
export const TFJS_REALLY_FUSED: Readonly<Record<TfjsFusedKernel, Readonly<Record<string, string>>>> = {
  _FusedMatMul: {
    wasm: 'tfjs-backend-wasm 4.22.0 src/cc/batch_mat_mul_impl.cc xnn_matmul: XNNPACK fully-connected with the bias, and a ReLU as its output clamp, in its epilogue (2-D inputs, no transpose)',
  },
  FusedConv2D: {
    wasm: 'tfjs-backend-wasm 4.22.0 src/cc/conv2d_impl.cc: one XNNPACK convolution with the bias, and a ReLU as its output clamp, in its epilogue (xnn_create_convolution2d_nhwc_f32)',
  },
  FusedDepthwiseConv2D: {
    wasm: 'tfjs-backend-wasm 4.22.0 src/cc/conv2d_impl.cc: one XNNPACK depthwise convolution with the bias, and a ReLU as its output clamp, in its epilogue',
  },
};

/** The tfjs kernel that could serve each fused op, or null where tfjs has none. */
export const TFJS_KERNEL_FOR: Readonly<Record<FusedOp, TfjsFusedKernel | null>> = {
  matMulBias: '_FusedMatMul',
  matMulBiasRelu: '_FusedMatMul',
  // tf.fused.matMul's activations are linear, relu, relu6, prelu, leakyrelu, sigmoid and elu: no GELU, no SiLU.
  matMulBiasGelu: null,
  matMulBiasGeluTanh: null,
  matMulBiasSilu: null,
  conv2dBias: 'FusedConv2D',
  conv2dBiasRelu: 'FusedConv2D',
  depthwiseConv2dBiasRelu: 'FusedDepthwiseConv2D',
  // No bias, no activation: on cpu _FusedMatMul is then exactly one batchMatMul reading b transposed in place
  // (checked on cpu and wasm), so tfjs's kernel serves everywhere; see ALWAYS_TFJS.
  matMulTransposeB: '_FusedMatMul',
  qktSoftmax: null,
  sdpa: null,
  layerNorm: null,
  addRelu: null,
};

/** Ops that run on tfjs's fused kernel on every backend, even where that kernel is listed in TFJS_NOT_FUSED. */
const ALWAYS_TFJS: ReadonlySet<FusedOp> = new Set(['matMulTransposeB']);

/** Which implementation the fused variant of `op` runs on `backend`. */
export function fusedPathFor(op: FusedOp, backend: string): FusedImplementation {
  if (ALWAYS_TFJS.has(op)) return 'tfjs fused kernel';
  const kernel = TFJS_KERNEL_FOR[op];
  if (kernel === null) return 'fusebench kernel';
  const notFused: Readonly<Record<string, string>> = TFJS_NOT_FUSED[kernel];
  return backend in notFused ? 'fusebench kernel' : 'tfjs fused kernel';
}

/** Why `op` runs where it does on `backend`, for suite notes and reports. */
export function fusedPathReason(op: FusedOp, backend: string): string {
  if (ALWAYS_TFJS.has(op)) return 'tfjs fused matMul with transposeB (one kernel, b read transposed in place)';
  const kernel = TFJS_KERNEL_FOR[op];
  if (kernel === null) return 'tfjs has no fused kernel for this pattern';
  const notFused: Readonly<Record<string, string>> = TFJS_NOT_FUSED[kernel];
  return notFused[backend] ?? TFJS_REALLY_FUSED[kernel][backend] ?? `tfjs ${kernel} (not inspected by fusebench on this backend; the profile shows what it launches)`;
}

/** The fusebench kernel variant each fused op runs on tensorflow (kernels/common/tf_fused.ts), or null for tfjs's. */
export const TENSORFLOW_KERNEL_FOR: Readonly<Record<FusedOp, TfPathKey | null>> = {
  matMulBias: 'FusebenchLinearAct:linear',
  matMulBiasRelu: 'FusebenchLinearAct:relu',
  matMulBiasGelu: 'FusebenchLinearAct:gelu',
  matMulBiasGeluTanh: 'FusebenchLinearAct:gelu_tanh',
  matMulBiasSilu: 'FusebenchLinearAct:silu',
  conv2dBias: 'FusebenchConv2DAct:linear',
  conv2dBiasRelu: 'FusebenchConv2DAct:relu',
  depthwiseConv2dBiasRelu: 'FusebenchDepthwiseConv2DAct:relu',
  matMulTransposeB: null,
  qktSoftmax: 'FusebenchQKTSoftmax',
  sdpa: 'FusebenchSDPA',
  layerNorm: 'FusebenchLayerNorm',
  addRelu: 'FusebenchAddRelu',
};

/** One line per backend fusebench knows (cpu, wasm, tensorflow, others) saying which implementation runs and why. */
export function describeFusedPaths(op: FusedOp): string[] {
  const line = (backend: string, label: string): string => `${label}: ${fusedPathFor(op, backend)} — ${fusedPathReason(op, backend)}`;
  const tfKernel = TENSORFLOW_KERNEL_FOR[op];
  const tensorflow = tfKernel === null ? line('tensorflow', 'tensorflow') : `tensorflow: ${fusedPathFor(op, 'tensorflow')}, ${describeTensorflowPath(tfKernel)}`;
  return [line('cpu', 'cpu'), line('wasm', 'wasm'), tensorflow, line('webgpu', 'other backends (webgpu, cuda)')];
}

const current = (): string => tf.getBackend();

/** act(a·b + bias): a [M,K], b [K,N], bias [N]. */
export function linearAct(a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor, activation: Activation): tf.Tensor {
  const op: FusedOp = activation === 'linear' ? 'matMulBias' : activation === 'relu' ? 'matMulBiasRelu'
    : activation === 'gelu' ? 'matMulBiasGelu' : activation === 'gelu_tanh' ? 'matMulBiasGeluTanh' : 'matMulBiasSilu';
  if (fusedPathFor(op, current()) === 'tfjs fused kernel') {
    return tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation: activation as 'linear' | 'relu' });
  }
  return tf.engine().runKernel(KERNEL.LINEAR_ACT, { a, b, bias }, { activation }) as tf.Tensor;
}

export interface ConvActOptions {
  readonly strides?: number;
  readonly pad?: 'same' | 'valid';
  readonly activation: 'linear' | 'relu';
}

/** act(conv2d(x, filter) + bias), NHWC, filter [fh, fw, Cin, Cout]. */
export function conv2dAct(x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor, o: ConvActOptions): tf.Tensor {
  const strides = o.strides ?? 1;
  const pad = o.pad ?? 'same';
  const op: FusedOp = o.activation === 'relu' ? 'conv2dBiasRelu' : 'conv2dBias';
  if (fusedPathFor(op, current()) === 'tfjs fused kernel') {
    return tf.fused.conv2d({ x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, bias, strides, pad, activation: o.activation });
  }
  return tf.engine().runKernel(KERNEL.CONV2D_ACT, { x, filter, bias }, { strides, pad, activation: o.activation }) as tf.Tensor;
}

/** act(depthwiseConv2d(x, filter) + bias), NHWC, filter [fh, fw, C, multiplier]. */
export function depthwiseConv2dAct(x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor, o: ConvActOptions): tf.Tensor {
  const strides = o.strides ?? 1;
  const pad = o.pad ?? 'same';
  if (fusedPathFor('depthwiseConv2dBiasRelu', current()) === 'tfjs fused kernel') {
    return tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, bias, strides, pad, activation: o.activation });
  }
  return tf.engine().runKernel(KERNEL.DEPTHWISE_CONV2D_ACT, { x, filter, bias }, { strides, pad, activation: o.activation }) as tf.Tensor;
}

/** q·kᵀ for q, k [BH, S, D] through tfjs's fused matMul path, the transpose folded into the read. */
export function qkT(q: tf.Tensor, k: tf.Tensor): tf.Tensor {
  return tf.fused.matMul({ a: q, b: k, transposeB: true });
}

/** softmax(q·kᵀ·scale) for q, k [BH, S, D] → [BH, S, S]; scale defaults to 1/√D. */
export function qktSoftmax(q: tf.Tensor, k: tf.Tensor, scale?: number): tf.Tensor {
  return tf.engine().runKernel(KERNEL.QKT_SOFTMAX, { q, k }, scale === undefined ? {} : { scale }) as tf.Tensor;
}

/** softmax(q·kᵀ·scale)·v for q, k, v [BH, S, D]; scale defaults to 1/√D. */
export function sdpa(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, scale?: number): tf.Tensor {
  return tf.engine().runKernel(KERNEL.SDPA, { q, k, v }, scale === undefined ? {} : { scale }) as tf.Tensor;
}

/** (x − mean)/√(var + ε)·γ + β over the last axis (biased variance). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon = 1e-5): tf.Tensor {
  return tf.engine().runKernel(KERNEL.LAYER_NORM, { x, gamma, beta }, { epsilon }) as tf.Tensor;
}

/** max(a + b, 0), same shapes. */
export function addRelu(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(KERNEL.ADD_RELU, { a, b }) as tf.Tensor;
}
