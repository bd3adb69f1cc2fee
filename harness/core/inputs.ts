/** Builders for host inputs: random, never all zeros, and exactly representable in the tensor's dtype. */
import type { HostArray } from './types.ts';

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Uniform in [lo, hi), rounded to float32 so the float64 reference sees the tensor's exact values. */
export function uniform(shape: readonly number[], rng: () => number, lo = -1, hi = 1): HostArray {
  const data = new Float64Array(count(shape));
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(lo + (hi - lo) * rng());
  return { shape, dtype: 'float32', data };
}

/** Approximately standard normal (Box–Muller), scaled, rounded to float32. */
export function normal(shape: readonly number[], rng: () => number, std = 1, mean = 0): HostArray {
  const data = new Float64Array(count(shape));
  for (let i = 0; i < data.length; i += 2) {
    const u = Math.max(rng(), 1e-12);
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    data[i] = Math.fround(mean + std * r * Math.cos(2 * Math.PI * v));
    if (i + 1 < data.length) data[i + 1] = Math.fround(mean + std * r * Math.sin(2 * Math.PI * v));
  }
  return { shape, dtype: 'float32', data };
}

/** Balanced trits in {−1, 0, +1}, stored as int32. */
export function trits(shape: readonly number[], rng: () => number): HostArray {
  const data = new Float64Array(count(shape));
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rng() * 3) - 1;
  return { shape, dtype: 'int32', data };
}

export function elementCount(shape: readonly number[]): number {
  return count(shape);
}
