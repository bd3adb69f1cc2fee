/** Ternary op semantics on cpu and wasm against the hand-written JS reference, validation, and the copy kernel. */
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { fusebenchCopy, ternaryBinary, ternaryFused3, tmatmulSign, tnot, tnotBinary } from '../../kernels/ternary/ops.ts';
import { BINARY_OPS, PHASE_42_COMPOSITIONS } from '../../kernels/ternary/spec.ts';
import { REF_BINARY, refMatmulSign, refTnot } from '../../kernels/ternary/reference.ts';
import { setTernaryValidation, ternaryValidationEnabled, VALIDATE_ENV } from '../../kernels/ternary/validate.ts';
import { BACKENDS, allTritTriples, int32, randomTrits, useBackend } from './helpers.ts';

afterEach(() => setTernaryValidation(undefined));

const read = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe.each(BACKENDS)('ternary ops on %s', (backend) => {
  // 27 combinations × 39 = 1053 elements: not a multiple of 4, so the wasm SIMD loop and its scalar tail both run.
  const [A, B, C] = allTritTriples(1050);
  const n = A.length;

  it('every op and every fused op matches the reference for all trit combinations', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const [a, b, c] = [int32(A), int32(B), int32(C)];
    expect(read(tnot(a))).toEqual(Array.from(A, refTnot));
    for (const op of BINARY_OPS) {
      const f = REF_BINARY[op];
      expect(read(ternaryBinary(op, a, b)), op).toEqual(Array.from(A, (x, i) => f(x, B[i])));
      expect(read(tnotBinary(op, a, b)), `tnot∘${op}`).toEqual(Array.from(A, (x, i) => refTnot(f(x, B[i]))));
    }
    expect(PHASE_42_COMPOSITIONS).toHaveLength(16);
    for (const [inner, outer] of PHASE_42_COMPOSITIONS) {
      const want = Array.from(A, (x, i) => REF_BINARY[outer](REF_BINARY[inner](x, B[i]), C[i]));
      expect(read(ternaryFused3(inner, outer, a, b, c)), `${outer}(${inner}(a, b), c)`).toEqual(want);
    }
    [a, b, c].forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
    expect(n % 4).not.toBe(0);
  });

  it('handles sizes 0–9 and 2-D shapes (tail lengths and shape preservation)', async () => {
    await useBackend(backend);
    for (let len = 0; len < 10; len++) {
      const x = randomTrits(len, len + 1);
      const y = randomTrits(len, len + 100);
      const [tx, ty] = [int32(x), int32(y)];
      expect(read(tnotBinary('tadd', tx, ty))).toEqual(Array.from(x, (v, i) => refTnot(REF_BINARY.tadd(v, y[i]))));
      tx.dispose();
      ty.dispose();
    }
    const x = int32(randomTrits(35, 7), [5, 7]);
    const y = int32(randomTrits(35, 8), [5, 7]);
    const out = ternaryFused3('tmul', 'tmax', x, y, x);
    expect(out.shape).toEqual([5, 7]);
    expect(out.dtype).toBe('int32');
    [x, y, out].forEach((t) => t.dispose());
  });

  it('rejects values outside {−1, 0, 1} while validation is on, naming kernel, input, index and value', async () => {
    await useBackend(backend);
    const good = int32(Int32Array.from([0, 1, -1, 0]));
    const bad = int32(Int32Array.from([0, 1, 2, 0]));
    expect(() => ternaryBinary('tadd', good, bad)).toThrow(/TernaryBinary\(op=tadd\): input "b" holds 2 at flat index 2; trits must be −1, 0 or \+1/);
    expect(() => tnot(bad)).toThrow(/TernaryUnary\(op=tnot\): input "x" holds 2/);
    expect(() => ternaryFused3('tmul', 'tadd', good, good, bad)).toThrow(/input "c" holds 2/);
    // The message says how to turn the check off.
    expect(() => tnot(bad)).toThrow(new RegExp(`${VALIDATE_ENV}=0`));
    // Off per call, or globally: then the kernel computes on whatever it is given.
    expect(read(tnot(bad, { validate: false }))).toEqual([0, -1, -2, 0]);
    setTernaryValidation(false);
    expect(read(ternaryBinary('tmul', good, bad))).toEqual([0, 1, -2, 0]);
    [good, bad].forEach((t) => t.dispose());
  });

  it('always rejects wrong dtypes, shapes and attrs', async () => {
    await useBackend(backend);
    const a = int32(Int32Array.from([1, 0, -1, 1]));
    const f = tf.tensor([1, 0, -1, 1], [4], 'float32');
    const short = int32(Int32Array.from([1, 0]));
    expect(() => ternaryBinary('tadd', a, f)).toThrow(/input "b" has dtype float32; ternary ops take int32 tensors/);
    expect(() => ternaryBinary('tmul', a, short)).toThrow(/input "b" has shape \[2\] but "a" has \[4\]; ternary ops do not broadcast/);
    expect(() => ternaryBinary('tsub' as never, a, a)).toThrow(/attr "op" must be one of tadd, tmul, tmin, tmax \(got "tsub"\)/);
    expect(() => ternaryFused3('tadd', 'tnot' as never, a, a, a)).toThrow(/attr "outer" must be one of/);
    [a, f, short].forEach((t) => t.dispose());
  });

  it('FusebenchCopy really copies: same values, separate storage', async () => {
    await useBackend(backend);
    const x = int32(randomTrits(1001, 3));
    const y = fusebenchCopy(x);
    expect(y.dataId).not.toBe(x.dataId);
    const be = tf.backend() as unknown as { data?: { get(id: object): { values: Int32Array } }; dataIdMap?: { get(id: object): { memoryOffset: number } } };
    if (backend === 'cpu') expect(be.data!.get(y.dataId).values.buffer).not.toBe(be.data!.get(x.dataId).values.buffer);
    else expect(be.dataIdMap!.get(y.dataId).memoryOffset).not.toBe(be.dataIdMap!.get(x.dataId).memoryOffset);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    // tf.clone is no substitute on cpu: its Identity kernel shares the buffer (why FusebenchCopy exists).
    const c = tf.clone(x);
    if (backend === 'cpu') expect(be.data!.get(c.dataId).values).toBe(be.data!.get(x.dataId).values);
    [x, y, c].forEach((t) => t.dispose());
  });

  it('tmatmulSign is sign(x·w) as int32 trits and leaks nothing', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const [m, k, nn] = [3, 64, 5];
    const xv = randomTrits(m * k, 11);
    const wv = randomTrits(k * nn, 12);
    const x = int32(xv, [m, k]);
    const w = tf.tensor(Float32Array.from(wv), [k, nn], 'float32');
    const out = tmatmulSign(x, w);
    expect(out.dtype).toBe('int32');
    expect(Array.from(out.dataSync())).toEqual(Array.from(refMatmulSign(xv, wv, m, k, nn)));
    [x, w, out].forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('validation flag', () => {
  it('is on by default, off with FUSEBENCH_TERNARY_VALIDATE=0, and the setter wins', () => {
    const saved = process.env[VALIDATE_ENV];
    try {
      delete process.env[VALIDATE_ENV];
      expect(ternaryValidationEnabled()).toBe(true);
      process.env[VALIDATE_ENV] = '0';
      expect(ternaryValidationEnabled()).toBe(false);
      setTernaryValidation(true);
      expect(ternaryValidationEnabled()).toBe(true);
      setTernaryValidation(undefined);
      process.env[VALIDATE_ENV] = 'maybe';
      expect(() => ternaryValidationEnabled()).toThrow(/FUSEBENCH_TERNARY_VALIDATE must be 0 or 1 \(got "maybe"\)/);
    } finally {
      if (saved === undefined) delete process.env[VALIDATE_ENV];
      else process.env[VALIDATE_ENV] = saved;
    }
  });
});
