/** A small, valid Linear+Bias+ReLU declaration that tests mutate to produce bad ones. */
import * as tf from '@tensorflow/tfjs-core';
import type { SuiteSpec } from '../../harness/core/types.ts';
import { uniform } from '../../harness/core/inputs.ts';
import * as ref from '../../harness/core/reference.ts';

type P = { m: number; k: number; n: number };

export function linearSuite(id = 'Test_Linear_Bias_ReLU'): SuiteSpec<P> {
  return {
    id,
    family: 'test',
    title: 'Linear + Bias + ReLU (test fixture)',
    sizes: { full: [{ m: 8, k: 16, n: 8 }], quick: [{ m: 4, k: 8, n: 4 }] },
    label: (p) => `${p.m}×${p.k}→${p.n}`,
    magnitude: (p) => p.m * p.n,
    inputs: (p, rng) => ({ x: uniform([p.m, p.k], rng), w: uniform([p.k, p.n], rng), b: uniform([p.n], rng) }),
    unfused: (t) => tf.relu(tf.add(tf.matMul(t.x, t.w), t.b)),
    fused: (t) => tf.fused.matMul({ a: t.x, b: t.w, bias: t.b, activation: 'relu' }),
    fusedBy: 'tfjs fused kernel',
    cost: (p) => ({ flops: 2 * p.m * p.k * p.n, bytesUnfused: 1, bytesFused: 1, intermediateBytes: 0 }),
    reference: (x, p) => ref.map(ref.addBias(ref.matmul(x.x, x.w, p.m, p.k, p.n), x.b), ref.relu),
    predictions: { cpu: { min: 0.98, max: 1.0, source: 'test' }, gpu: { min: 1.5, max: 2, source: 'test' } },
  };
}
