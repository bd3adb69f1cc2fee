/** Shared shape math for the normalisation / residual family. */
import * as tf from '@tensorflow/tfjs-core';
import { uniform, ref, type HostInputs, type Tensors } from 'fusebench';
import { costOf, pass } from '../traffic.ts';

// ---------------------------------------------------------------------------------------------------------
// LayerNorm over the last axis of x [T, D]

export type LayerNormP = { t: number; d: number };
export const LN_EPSILON = 1e-5;

export const lnLabel = (p: LayerNormP): string => `${p.t}×${p.d}`;
export const lnMagnitude = (p: LayerNormP): number => p.t * p.d;

export const lnSizes: { full: LayerNormP[]; quick: LayerNormP[] } = {
  full: [
    { t: 1, d: 768 },
    { t: 32, d: 768 },
    { t: 128, d: 768 },
    { t: 512, d: 768 },
    { t: 512, d: 1024 },
    { t: 2048, d: 768 },
  ],
  quick: [
    { t: 8, d: 768 },
    { t: 32, d: 768 },
  ],
};

export const LN_STANDS_FOR = [
  'BERT-base LayerNorm over 768 features, sequence 128–512 (and a 4×512 batch: 2048×768)',
  'BERT-large LayerNorm over 1024 features at sequence 512',
  'GPT-2 single-token decode: 1×768',
];

/** x offset from zero so the mean matters; γ around 1, β around 0 as in trained models. */
export function lnInputs(p: LayerNormP, rng: () => number): HostInputs {
  return { x: uniform([p.t, p.d], rng, -1, 2), gamma: uniform([p.d], rng, 0.5, 1.5), beta: uniform([p.d], rng, -0.5, 0.5) };
}

/** LayerNorm as tfjs ops: moments (mean, sub, square, mean), then sub, add ε, sqrt, div, mul γ, add β. */
export function unfusedLayerNorm(t: Tensors): tf.Tensor {
  const { mean, variance } = tf.moments(t.x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(t.x, mean), tf.sqrt(tf.add(variance, LN_EPSILON))), t.gamma), t.beta);
}

export function lnCost(p: LayerNormP) {
  const n = p.t * p.d;
  const { t, d } = p;
  const unfused = [
    pass('Mean', n, t), pass('Sub', n + t, n), pass('Square', n, n), pass('Mean', n, t),
    pass('Sub', n + t, n), pass('Add', t, t), pass('Sqrt', t, t), pass('RealDiv', n + t, n),
    pass('Multiply', n + d, n), pass('Add', n + d, n),
  ];
  return costOf(8 * n, unfused, [pass('FusebenchLayerNorm', n + 2 * d, n)]);
}

export const lnReference = (x: Readonly<Record<string, Float64Array>>, p: LayerNormP): Float64Array =>
  ref.layerNorm(x.x, x.gamma, x.beta, p.t, p.d, LN_EPSILON);

// ---------------------------------------------------------------------------------------------------------
// Add + ReLU: a residual join, relu(a + b) over NHWC activations

export type AddReluP = { h: number; w: number; c: number };

export const arLabel = (p: AddReluP): string => `${p.h}×${p.w}×${p.c}`;
export const arMagnitude = (p: AddReluP): number => p.h * p.w * p.c;

export const arSizes: { full: AddReluP[]; quick: AddReluP[] } = {
  full: [
    { h: 8, w: 8, c: 64 },
    { h: 7, w: 7, c: 2048 },
    { h: 14, w: 14, c: 1024 },
    { h: 28, w: 28, c: 512 },
    { h: 56, w: 56, c: 256 },
    { h: 112, w: 112, c: 256 },
  ],
  quick: [
    { h: 14, w: 14, c: 256 },
    { h: 28, w: 28, c: 256 },
  ],
};

export const AR_STANDS_FOR = [
  'ResNet-50 bottleneck residual joins (relu(x + F(x))): 56×56×256, 28×28×512, 14×14×1024, 7×7×2048',
  'a 4× larger activation (112×112×256) to reach DRAM-bound sizes',
];

export function arInputs(p: AddReluP, rng: () => number): HostInputs {
  const shape = [1, p.h, p.w, p.c];
  return { a: uniform(shape, rng), b: uniform(shape, rng) };
}

export function arCost(p: AddReluP) {
  const n = p.h * p.w * p.c;
  return costOf(2 * n, [pass('Add', 2 * n, n), pass('Relu', n, n)], [pass('FusebenchAddRelu', 2 * n, n)]);
}

export const arReference = (x: Readonly<Record<string, Float64Array>>): Float64Array => ref.map(ref.add(x.a, x.b), ref.relu);
