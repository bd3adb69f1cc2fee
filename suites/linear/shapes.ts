/** Shared shape math for the Linear family: x [M,K] · w [K,N] + b [N], then an activation. */
import * as tf from '@tensorflow/tfjs-core';
import { uniform, ref, type HostInputs, type Tensors } from 'fusebench';
import { costOf, pass } from '../traffic.ts';
import type { Activation } from '../../kernels/ops.ts';

export type LinearP = { m: number; k: number; n: number };

export const linearLabel = (p: LinearP): string => `${p.m}×${p.k}→${p.n}`;
export const linearMagnitude = (p: LinearP): number => 2 * p.m * p.k * p.n;

/** Small (launch/overhead-bound) to BERT-base FFN at sequence 128. */
export const linearSizes: { full: LinearP[]; quick: LinearP[] } = {
  full: [
    { m: 16, k: 256, n: 256 },
    { m: 1, k: 768, n: 3072 },
    { m: 32, k: 768, n: 768 },
    { m: 32, k: 768, n: 3072 },
    { m: 128, k: 768, n: 3072 },
  ],
  quick: [
    { m: 8, k: 256, n: 256 },
    { m: 16, k: 256, n: 512 },
  ],
};

export const LINEAR_STANDS_FOR = [
  'BERT-base FFN up-projection 768→3072 (seq 128: 128×768→3072)',
  'BERT-base attention output projection 768→768',
  'GPT-2-small single-token decode step 1×768→3072',
];

/** Weights scaled 1/√K (Xavier-like) so outputs stay O(1) and float32 error stays far below tolerance. */
export function linearInputs(p: LinearP, rng: () => number): HostInputs {
  const s = 1 / Math.sqrt(p.k);
  return { x: uniform([p.m, p.k], rng), w: uniform([p.k, p.n], rng, -s, s), b: uniform([p.n], rng) };
}

/** GELU as a tfjs user writes it: exact erf form, 5 kernels (tfjs-core has no gelu op). */
export const tfGelu = (h: tf.Tensor): tf.Tensor => tf.mul(tf.mul(h, 0.5), tf.add(1, tf.erf(tf.mul(h, Math.SQRT1_2))));
/** GELU's tanh approximation as a tfjs user writes it (GPT-2's gelu_new): 9 elementwise kernels. */
export const tfGeluTanh = (h: tf.Tensor): tf.Tensor =>
  tf.mul(tf.mul(h, tf.add(1, tf.tanh(tf.mul(tf.add(h, tf.mul(tf.mul(tf.mul(h, h), h), 0.044715)), Math.sqrt(2 / Math.PI))))), 0.5);
/** SiLU as a tfjs user writes it: x·sigmoid(x), 2 kernels (tfjs-core has no swish op). */
export const tfSilu = (h: tf.Tensor): tf.Tensor => tf.mul(h, tf.sigmoid(h));

/** The unfused sequence: matMul, add bias, then the activation as tfjs ops. */
export function unfusedLinear(t: Tensors, act: Activation): tf.Tensor {
  const h = tf.add(tf.matMul(t.x, t.w), t.b);
  if (act === 'linear') return h;
  if (act === 'relu') return tf.relu(h);
  if (act === 'gelu_tanh') return tfGeluTanh(h);
  return act === 'gelu' ? tfGelu(h) : tfSilu(h);
}

/** Elementwise kernels of each activation as written above, as (reads, writes) in units of the M×N output. */
const ACT_PASSES: Record<Activation, Array<[string, number, number]>> = {
  linear: [],
  relu: [['Relu', 1, 1]],
  // mul(h,0.5), mul(h,√½), erf, add(1,·), mul(·,·)
  gelu: [['Multiply', 1, 1], ['Multiply', 1, 1], ['Erf', 1, 1], ['Add', 1, 1], ['Multiply', 2, 1]],
  silu: [['Sigmoid', 1, 1], ['Multiply', 2, 1]],
  // h³ (mul, mul), ·0.044715, +h, ·√(2/π), tanh, +1, ·h, ·0.5
  gelu_tanh: [['Multiply', 2, 1], ['Multiply', 2, 1], ['Multiply', 1, 1], ['Add', 2, 1], ['Multiply', 1, 1], ['Tanh', 1, 1], ['Add', 1, 1], ['Multiply', 2, 1], ['Multiply', 1, 1]],
};
/** FLOPs per output element of the bias add and activation (erf by its 5-term polynomial ≈ 15). */
const ACT_FLOPS: Record<Activation, number> = { linear: 1, relu: 2, gelu: 20, gelu_tanh: 14, silu: 6 };

export function linearCost(p: LinearP, act: Activation) {
  const { m, k, n } = p;
  const mn = m * n;
  const unfused = [
    pass('BatchMatMul', m * k + k * n, mn),
    pass('Add', mn + n, mn),
    ...ACT_PASSES[act].map(([kernel, r, w]) => pass(kernel, r * mn, w * mn)),
  ];
  const fused = [pass('fused matMul+bias+act', m * k + k * n + n, mn)];
  return costOf(2 * m * k * n + ACT_FLOPS[act] * mn, unfused, fused);
}

export function linearReference(act: Activation) {
  const f = act === 'linear' ? (v: number) => v : act === 'relu' ? ref.relu : act === 'gelu' ? ref.gelu : act === 'gelu_tanh' ? ref.geluTanh : ref.silu;
  return (x: Readonly<Record<string, Float64Array>>, p: LinearP): Float64Array =>
    ref.map(ref.addBias(ref.matmul(x.x, x.w, p.m, p.k, p.n), x.b), f);
}

// ---------------------------------------------------------------------------------------------------------
// MLP_2Layer: x [M,d] → Linear(d→h) + ReLU → Linear(h→d)

export type MlpP = { m: number; d: number; h: number };

export const mlpLabel = (p: MlpP): string => `${p.m}×${p.d}→${p.h}→${p.d}`;
export const mlpMagnitude = (p: MlpP): number => 4 * p.m * p.d * p.h;

export const mlpSizes: { full: MlpP[]; quick: MlpP[] } = {
  full: [
    { m: 1, d: 768, h: 3072 },
    { m: 16, d: 256, h: 1024 },
    { m: 32, d: 768, h: 3072 },
    { m: 128, d: 768, h: 3072 },
  ],
  quick: [
    { m: 4, d: 128, h: 512 },
    { m: 16, d: 128, h: 512 },
  ],
};

export function mlpInputs(p: MlpP, rng: () => number): HostInputs {
  const s1 = 1 / Math.sqrt(p.d);
  const s2 = 1 / Math.sqrt(p.h);
  return {
    x: uniform([p.m, p.d], rng),
    w1: uniform([p.d, p.h], rng, -s1, s1),
    b1: uniform([p.h], rng),
    w2: uniform([p.h, p.d], rng, -s2, s2),
    b2: uniform([p.d], rng),
  };
}

export function mlpCost(p: MlpP) {
  const { m, d, h } = p;
  const unfused = [
    pass('BatchMatMul', m * d + d * h, m * h),
    pass('Add', m * h + h, m * h),
    pass('Relu', m * h, m * h),
    pass('BatchMatMul', m * h + h * d, m * d),
    pass('Add', m * d + d, m * d),
  ];
  const fused = [pass('fused matMul+bias+relu', m * d + d * h + h, m * h), pass('fused matMul+bias', m * h + h * d + d, m * d)];
  return costOf(4 * m * d * h + 3 * m * h + m * d, unfused, fused);
}

export function mlpReference(x: Readonly<Record<string, Float64Array>>, p: MlpP): Float64Array {
  const hidden = ref.map(ref.addBias(ref.matmul(x.x, x.w1, p.m, p.d, p.h), x.b1), ref.relu);
  return ref.addBias(ref.matmul(hidden, x.w2, p.m, p.h, p.d), x.b2);
}
