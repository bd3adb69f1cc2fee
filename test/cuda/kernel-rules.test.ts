/**
 * CI-safe parts of the cuda kernels' tfjs conformance (no GPU needed): Slice's plan read the way the element-wise
 * template reads it (offset + Σ index·stride) equals tfjs-backend-cpu's slice, and the dtype rules of the
 * element-wise kernels are tfjs-backend-cpu's.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { slicePlan } from '../../backends/cuda/ops/slice.ts';
import { elementwiseFor } from '../../backends/cuda/kernels/elementwise.ts';
import { FLOAT_OPS, INT_OPS, INT_TO_FLOAT_OPS, castOp, intViaFloat } from '../../backends/cuda/codegen/elementwise.ts';
import { FALLBACK_KERNELS, implementedKernels } from '../../backends/cuda/register.ts';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** What the cuda Slice computes from its plan: a copy of a run of memory, or the template's strided read. */
function sliceAsCuda(values: Float32Array, shape: number[], begin: number | number[], size?: number | number[]): { shape: number[]; values: number[] } {
  const plan = slicePlan({ shape }, begin, size);
  const n = plan.size.reduce((p, v) => p * v, 1);
  if (plan.contiguous) return { shape: [...plan.size], values: Array.from(values.subarray(plan.offset, plan.offset + n)) };
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let rem = i;
    let at = plan.offset;
    for (let d = plan.size.length - 1; d >= 0; d--) {
      at += (rem % plan.size[d]!) * plan.strides[d]!;
      rem = Math.floor(rem / plan.size[d]!);
    }
    out.push(values[at]!);
  }
  return { shape: [...plan.size], values: out };
}

describe('cuda Slice plan', () => {
  const cases: Array<[number[], number | number[], (number | number[])?]> = [
    [[6], 0, 1], // tf.slice(x.reshape([-1]), 0, 1): a numeric begin and size (the H200 bug "attrs.begin is not iterable")
    [[2, 2, 2], [1]], // size omitted ("reading 'map'" of an undefined size)
    [[2, 2, 2], 1],
    [[2, 2, 2], [0, 1, 0], [2, 1, 2]], // strided
    [[2, 2, 2], [0, 1], [-1, 1]], // short begin and size, size -1
    [[4, 3], [1, 1], [2, 2]], // strided 2-D
    [[4, 3], [1, 0], [2, 3]], // whole rows: contiguous
    [[3, 5, 7, 2], [1, 2, 3, 1], [2, 2, 3, 1]],
    [[1, 1, 5, 1, 3], [0, 0, 1, 0, 1], [1, 1, 3, 1, 2]],
    [[4, 3], [2, 0], [0, 3]], // zero-sized
  ];
  for (const [shape, begin, size] of cases) {
    it(`shape [${shape}] begin ${JSON.stringify(begin)} size ${JSON.stringify(size)} matches tfjs-backend-cpu`, async () => {
      const n = shape.reduce((p, v) => p * v, 1);
      const x = tf.reshape(tf.range(0, n, 1, 'float32'), shape);
      const want = tf.slice(x, begin, size);
      const got = sliceAsCuda(await x.data() as Float32Array, shape, begin, size);
      expect(got.shape).toEqual(want.shape);
      expect(got.values).toEqual(Array.from(await want.data()));
      tf.dispose([x, want]);
    });
  }

  it('refuses what tfjs-backend-cpu refuses, with its messages', () => {
    expect(() => slicePlan({ shape: [4, 3] }, [1, 1], [10, 10])).toThrow(/Error in slice2D: begin\[0\] \+ size\[0\] \(11\) would overflow input.shape\[0\] \(4\)/);
    expect(() => slicePlan({ shape: [4, 3] }, [-1, 0], [1, 1])).toThrow(/slice\(\) does not support negative begin indexing/);
    expect(() => slicePlan({ shape: [4, 3] }, [0, 0], [-2, 1])).toThrow(/Negative size values should be exactly -1/);
  });
});

describe('cuda element-wise dtype rules (tfjs-backend-cpu)', () => {
  it('float32 in, float32 out', () => {
    expect(elementwiseFor('Sigmoid', 'float32')).toEqual({ op: FLOAT_OPS.Sigmoid, outDtype: 'float32' });
    expect(elementwiseFor('Multiply', 'float32')).toEqual({ op: FLOAT_OPS.Mul, outDtype: 'float32' });
  });

  it('int32 in: exact integer ops where they exist (Relu6, ClipByValue, Pow included), int32 out', () => {
    for (const name of ['Relu', 'Relu6', 'ClipByValue', 'Neg', 'Abs', 'Square', 'Add', 'Pow']) {
      expect(elementwiseFor(name, 'int32')).toEqual({ op: INT_OPS[name], outDtype: 'int32' });
    }
    expect(elementwiseFor('Multiply', 'bool')).toEqual({ op: INT_OPS.Mul, outDtype: 'bool' });
  });

  it('int32 in: Exp, LeakyRelu and Prelu give float32 (tfjs-backend-cpu writes float32 for them)', () => {
    for (const name of ['LeakyRelu', 'Prelu']) expect(elementwiseFor(name, 'int32')).toEqual({ op: FLOAT_OPS[name], outDtype: 'float32' });
    expect(elementwiseFor('Exp', 'int32')).toEqual({ op: INT_TO_FLOAT_OPS.Exp, outDtype: 'float32' });
  });

  it('int32 Exp is exp in double rounded once to float32, as tfjs-backend-cpu (Math.exp into a Float32Array)', () => {
    // The H200 run of tfjs's "exp int32" spec: CUDA's expf(10.f) gave 22026.466796875, one float32 ulp above
    // Math.fround(Math.exp(10)) and 0.0010 from Math.exp(10), over tfjs's 1e-3 test epsilon.
    expect(INT_TO_FLOAT_OPS.Exp!.expr).toBe('exp((double)a)');
    const cpu = Math.fround(Math.exp(10));
    expect(cpu).toBe(22026.46484375);
    expect(Math.abs(cpu - Math.exp(10))).toBeLessThan(1e-3);
    expect(Math.abs(22026.466796875 - Math.exp(10))).toBeGreaterThan(1e-3);
  });

  it('int32 in, other ops: computed in float and stored as int32', () => {
    expect(elementwiseFor('Sqrt', 'int32')).toEqual({ op: intViaFloat(FLOAT_OPS.Sqrt!), outDtype: 'int32' });
    expect(intViaFloat(FLOAT_OPS.RealDiv!).expr).toBe('fb_f2i((((float)a) / ((float)b)))');
    expect(intViaFloat(FLOAT_OPS.Relu6!).expr).toBe('fb_f2i((((float)a) < 0.f ? 0.f : (((float)a) > 6.f ? 6.f : ((float)a))))');
  });

  it('complex64 and string are refused with a message the conformance runner classifies as an unsupported dtype', () => {
    expect(() => elementwiseFor('Add', 'complex64')).toThrow('not implemented on cuda: Add for dtype complex64');
    expect(() => elementwiseFor('Abs', 'string')).toThrow('not implemented on cuda: Abs for dtype string');
  });

  it('a cast to bool is x != 0, so NaN is true (tfjs-backend-cpu: notEqual(x, 0))', () => {
    expect(castOp('float32', 'bool').expr).toBe('(a != 0.f ? 1 : 0)');
  });
});

describe('cuda kernel coverage (issue 23)', () => {
  const registered = new Set(implementedKernels());
  it('every kernel tfjs-backend-webgpu 4.22 registers is registered on cuda, except FromPixels (tfjs-core converts pixels on the host itself)', () => {
    const dist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-webgpu/package.json')), 'dist');
    const list = readFileSync(join(dist, 'register_all_kernels.js'), 'utf8');
    const names = [...list.matchAll(/import \{ \w+Config \} from '\.\/([^']+)'/g)].map((m) => /kernelName:\s*(\w+)/.exec(readFileSync(join(dist, `${m[1]}.js`), 'utf8'))![1]!);
    expect(names.length).toBe(162);
    expect(names.filter((n) => !registered.has(n))).toEqual(['FromPixels']);
  });
  it('every kernel tfjs-backend-cpu registers is registered on cuda: no stub is left', () => {
    expect(tf.getKernelsForBackend('cpu').map((k) => k.kernelName).filter((k) => !registered.has(k))).toEqual([]);
  });
  it('the fallback is the long tail only: ragged, string, complex FFT, value-sized outputs, Draw', () => {
    expect(Object.keys(FALLBACK_KERNELS).sort()).toEqual([
      'Draw', 'FFT', 'IFFT', 'NonMaxSuppressionV3', 'NonMaxSuppressionV4', 'NonMaxSuppressionV5', 'RaggedGather', 'RaggedRange', 'RaggedTensorToTensor',
      'SparseFillEmptyRows', 'SparseReshape', 'StaticRegexReplace', 'StringNGrams', 'StringSplit', 'StringToHashBucketFast', 'Unique',
    ]);
  });
});
