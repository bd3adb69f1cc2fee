/** Shared helpers for the ternary tests: backend selection, seeded trits, short sampling. */
import * as tf from '@tensorflow/tfjs-core';
import { getAdapter } from '../../backends/registry.ts';
import { registerFusebenchKernels } from '../../kernels/registry.ts';
import { defaultConfig, mergeConfig } from '../../harness/core/config.ts';
import { seededRandom } from '../../harness/core/stats.ts';
import type { BackendAdapter } from '../../harness/core/types.ts';

export const BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: string): Promise<BackendAdapter> {
  const adapter = await getAdapter(name);
  await adapter.init();
  await registerFusebenchKernels(name);
  return adapter;
}

export function randomTrits(n: number, seed: number): Int32Array {
  const rng = seededRandom(seed);
  return Int32Array.from({ length: n }, () => Math.floor(rng() * 3) - 1);
}

/** Every (a, b, c) combination of trits, 27 of them, repeated to reach at least `min` elements (so SIMD and tail paths both run). */
export function allTritTriples(min = 0): [Int32Array, Int32Array, Int32Array] {
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  do {
    for (const x of [-1, 0, 1]) for (const y of [-1, 0, 1]) for (const z of [-1, 0, 1]) {
      a.push(x);
      b.push(y);
      c.push(z);
    }
  } while (a.length < min);
  return [Int32Array.from(a), Int32Array.from(b), Int32Array.from(c)];
}

export const int32 = (v: Int32Array, shape: number[] = [v.length]): tf.Tensor => tf.tensor(v, shape, 'int32');

/** Sampling short enough for tests: they check behaviour, never speed. */
export const fastConfig = mergeConfig(defaultConfig, {
  sampling: { rounds: 3, quickRounds: 3, minRounds: 2, warmup: 1, minSampleMs: 0, maxSecondsPerSize: 0.5, bootstrapResamples: 100 },
});
