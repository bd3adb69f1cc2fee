/** Kernel arguments passed as small arrays by value: `struct I8 { int d[8]; }` and `struct L8 { long long d[8]; }`. */
import type { KernelArg } from '../runtime/launcher.ts';

export function i8(values: readonly number[]): KernelArg {
  if (values.length > 8) throw new Error(`cuda: ${values.length} values for an 8-slot kernel argument`);
  const a = new Int32Array(8);
  values.forEach((x, i) => (a[i] = x));
  return { t: 'struct', v: a, align: 4 };
}

export function l8(values: readonly number[]): KernelArg {
  if (values.length > 8) throw new Error(`cuda: ${values.length} values for an 8-slot kernel argument`);
  const a = new BigInt64Array(8);
  values.forEach((x, i) => (a[i] = BigInt(x)));
  return { t: 'struct', v: a, align: 8 };
}

/** Grid size for a grid-stride loop over n elements with 256-thread blocks. */
export function gridFor(n: number): [number] {
  return [Math.max(1, Math.min(Math.ceil(n / 256), 1 << 20))];
}

/** A double, passed by value. */
export function f64(value: number): KernelArg {
  return { t: 'struct', v: new Float64Array([value]), align: 8 };
}
