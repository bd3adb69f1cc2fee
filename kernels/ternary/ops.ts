/**
 * Ternary ops: real tfjs ops that dispatch through `engine().runKernel` to the kernel registered for the
 * active backend (kernels/register_<backend>.ts). A backend without them fails with tfjs's own
 * "kernel not registered" error; nothing falls back.
 */
import { cast, engine, matMul, sign, tidy, type Tensor } from '@tensorflow/tfjs-core';
import type { BinaryOp } from './spec.ts';
import { FUSEBENCH_COPY, TERNARY_BINARY, TERNARY_FUSED3, TERNARY_NOT_BINARY, TERNARY_UNARY } from '../names.ts';

export interface TernaryOpOptions {
  /** Check inputs for values outside {−1, 0, 1}; default: the global setting (see validate.ts). */
  readonly validate?: boolean;
}

const extra = (opts?: TernaryOpOptions): { validate?: boolean } => (opts?.validate === undefined ? {} : { validate: opts.validate });

/** tnot(x) = −x. */
export function tnot(x: Tensor, opts?: TernaryOpOptions): Tensor {
  return engine().runKernel(TERNARY_UNARY, { x }, { op: 'tnot', ...extra(opts) }) as Tensor;
}

export function ternaryBinary(op: BinaryOp, a: Tensor, b: Tensor, opts?: TernaryOpOptions): Tensor {
  return engine().runKernel(TERNARY_BINARY, { a, b }, { op, ...extra(opts) }) as Tensor;
}

/** tadd(a, b) = clamp(a + b, −1, 1). */
export const tadd = (a: Tensor, b: Tensor, opts?: TernaryOpOptions): Tensor => ternaryBinary('tadd', a, b, opts);
/** tmul(a, b) = a·b. */
export const tmul = (a: Tensor, b: Tensor, opts?: TernaryOpOptions): Tensor => ternaryBinary('tmul', a, b, opts);
export const tmin = (a: Tensor, b: Tensor, opts?: TernaryOpOptions): Tensor => ternaryBinary('tmin', a, b, opts);
export const tmax = (a: Tensor, b: Tensor, opts?: TernaryOpOptions): Tensor => ternaryBinary('tmax', a, b, opts);

/** tnot(op(a, b)) in one pass; Phase 4.1 is op = 'tadd'. */
export function tnotBinary(op: BinaryOp, a: Tensor, b: Tensor, opts?: TernaryOpOptions): Tensor {
  return engine().runKernel(TERNARY_NOT_BINARY, { a, b }, { op, ...extra(opts) }) as Tensor;
}

/** outer(inner(a, b), c) in one pass: the Phase 4.2 binary→binary family. */
export function ternaryFused3(inner: BinaryOp, outer: BinaryOp, a: Tensor, b: Tensor, c: Tensor, opts?: TernaryOpOptions): Tensor {
  return engine().runKernel(TERNARY_FUSED3, { a, b, c }, { inner, outer, ...extra(opts) }) as Tensor;
}

/**
 * A fresh copy of x's bytes (the memory-bound yardstick). tf.clone cannot serve: on the cpu backend its
 * Identity kernel shares the buffer and copies nothing.
 */
export function fusebenchCopy(x: Tensor): Tensor {
  return engine().runKernel(FUSEBENCH_COPY, { x }, {}) as Tensor;
}

/**
 * A ternary dense layer's matrix product, requantized to trits: sign(x·w) as int32.
 * Built from tfjs ops (float32 accumulate, exact while |sum| < 2^24), not a fusebench kernel.
 */
export function tmatmulSign(x: Tensor, w: Tensor): Tensor {
  return tidy(() => {
    const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
    const wf = w.dtype === 'float32' ? w : cast(w, 'float32');
    return cast(sign(matMul(xf, wf)), 'int32');
  });
}
