/**
 * GPU tests (`npm run test:gpu` on the GPU host): every cuda kernel against tfjs-backend-cpu on random
 * inputs, broadcasting, odd sizes, empty tensors, one op over 2^31 bytes, and memory back to baseline.
 * Skips cleanly where CUDA cannot open (the reason is printed).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { cudaBackend } from '../../backends/cuda/adapter.ts';
import { registerFusebenchKernels } from '../../kernels/registry.ts';
import { activateBackend } from '../../harness/activate.ts';

const availability = await cudaBackend.detect();
if (!availability.available) console.log(`[cuda gpu tests skipped] ${availability.reason?.split('\n')[0]}`);

type Host = { shape: number[]; dtype: 'float32' | 'int32'; data: Float32Array | Int32Array };
let seed = 12345;
const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
const randf = (shape: number[], scale = 1): Host => ({ shape, dtype: 'float32', data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rnd() * scale) });
const randi = (shape: number[], lo: number, hi: number): Host => ({ shape, dtype: 'int32', data: Int32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + Math.floor(((rnd() + 1) / 2) * (hi - lo + 1))) });

/** Runs `f` on `backend` with fresh tensors from `inputs`; returns the values and shape. */
async function runOn(backend: string, inputs: Host[], f: (...t: tf.Tensor[]) => tf.Tensor): Promise<{ shape: number[]; values: Float64Array }> {
  await tf.setBackend(backend);
  const ts = inputs.map((h) => tf.tensor(h.data, h.shape, h.dtype));
  const y = f(...ts);
  const values = Float64Array.from(await y.data());
  const shape = y.shape;
  tf.dispose([...ts, y]);
  return { shape, values };
}

async function compare(inputs: Host[], f: (...t: tf.Tensor[]) => tf.Tensor, tol = { atol: 1e-5, rtol: 1e-4 }): Promise<void> {
  const want = await runOn('cpu', inputs, f);
  const got = await runOn('cuda', inputs, f);
  expect(got.shape).toEqual(want.shape);
  let worst = 0, at = -1;
  for (let i = 0; i < want.values.length; i++) {
    const w = want.values[i]!, g = got.values[i]!;
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    const excess = Math.abs(g - w) - (tol.atol + tol.rtol * Math.abs(w));
    if (!(excess <= worst)) { worst = Number.isNaN(excess) ? Infinity : excess; at = i; }
  }
  if (at >= 0) expect.fail(`index ${at}: cuda ${got.values[at]} vs cpu ${want.values[at]} (excess ${worst})`);
}

describe.skipIf(!availability.available)('cuda kernels vs cpu', () => {
  beforeAll(async () => {
    await activateBackend('cuda');
    await tf.setBackend('cpu');
    await registerFusebenchKernels('cpu');
  });

  const unary: Array<[string, (x: tf.Tensor) => tf.Tensor, number]> = [
    ['Relu', tf.relu, 1], ['Erf', tf.erf, 1], ['Tanh', tf.tanh, 3], ['Sigmoid', tf.sigmoid, 5], ['Exp', tf.exp, 3], ['Neg', tf.neg, 1],
    ['Sqrt', (x) => tf.sqrt(tf.abs(x)), 4], ['Rsqrt', (x) => tf.rsqrt(tf.add(tf.abs(x), 0.5)), 4], ['Square', tf.square, 2],
    ['ClipByValue', (x) => tf.clipByValue(x, -0.3, 0.4), 1], ['LeakyRelu', (x) => tf.leakyRelu(x, 0.1), 1], ['Relu6', tf.relu6, 8], ['Elu', tf.elu, 2],
  ];
  for (const [name, f, scale] of unary) {
    it(`${name} on odd and vectorisable sizes`, async () => {
      await compare([randf([7, 13], scale)], f);
      await compare([randf([1024], scale)], f);
    });
  }

  const binary: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
    ['Add', tf.add], ['Sub', tf.sub], ['Mul', tf.mul], ['RealDiv', (a, b) => tf.div(a, tf.add(tf.abs(b), 0.5))], ['Minimum', tf.minimum], ['Maximum', tf.maximum],
    ['SquaredDifference', tf.squaredDifference],
  ];
  for (const [name, f] of binary) {
    it(`${name} with broadcasting, scalars and empty tensors`, async () => {
      await compare([randf([3, 5, 7]), randf([3, 5, 7])], f);
      await compare([randf([2, 3, 1, 5]), randf([4, 1])], f);
      await compare([randf([6, 1]), randf([1, 9])], f);
      await compare([randf([33]), randf([])], f);
      await compare([randf([0, 4]), randf([4])], f);
    });
  }

  it('int32 element-wise and Cast', async () => {
    await compare([randi([5, 7], -9, 9), randi([7], -9, 9)], tf.add);
    await compare([randi([5, 8], -9, 9), randi([5, 8], -9, 9)], tf.mul);
    await compare([randi([17], -9, 9), randi([17], -9, 9)], tf.maximum);
    await compare([randf([3, 9], 50)], (x) => tf.cast(x, 'int32'));
    await compare([randi([3, 9], -5, 5)], (x) => tf.cast(x, 'float32'));
    await compare([randi([3, 9], -1, 1)], (x) => tf.cast(tf.cast(x, 'bool'), 'float32'));
  });

  it('Sum, Max, Mean over every axis combination, keepDims, short and long rows', async () => {
    for (const [shape, axis] of [[[4, 5, 6], -1], [[4, 5, 6], 0], [[4, 5, 6], [0, 2]], [[3, 3000], 1], [[2000, 3], 1], [[7], 0]] as Array<[number[], number | number[]]>) {
      await compare([randf(shape)], (x) => tf.sum(x, axis), { atol: 1e-4, rtol: 1e-4 });
      await compare([randf(shape)], (x) => tf.max(x, axis, true));
      await compare([randf(shape)], (x) => tf.mean(x, axis), { atol: 1e-5, rtol: 1e-4 });
    }
    await compare([randi([6, 10], -50, 50)], (x) => tf.sum(x, 1));
  });

  it('Softmax on the last axis, Transpose, Reshape, Fill, Identity', async () => {
    await compare([randf([6, 129], 4)], (x) => tf.softmax(x));
    await compare([randf([2, 3, 1000], 4)], (x) => tf.softmax(x));
    await compare([randf([2, 3, 4, 5])], (x) => tf.transpose(x, [3, 1, 0, 2]));
    await compare([randf([64, 48])], (x) => tf.transpose(x));
    await compare([randf([2, 6])], (x) => tf.add(tf.reshape(x, [3, 4]), 1));
    await compare([], () => tf.fill([3, 5], 2.5));
    await compare([], () => tf.fill([4], 7, 'int32'));
    await compare([randf([5])], (x) => tf.clone(x));
  });

  it('BatchMatMul with transposes and broadcast batches; _FusedMatMul with bias and activations', async () => {
    await compare([randf([37, 19]), randf([19, 23])], (a, b) => tf.matMul(a, b), { atol: 1e-4, rtol: 1e-4 });
    await compare([randf([19, 37]), randf([23, 19])], (a, b) => tf.matMul(a, b, true, true), { atol: 1e-4, rtol: 1e-4 });
    await compare([randf([3, 8, 16]), randf([16, 5])], (a, b) => tf.matMul(a, b), { atol: 1e-4, rtol: 1e-4 });
    // Batch dims [2,1] × [1,3]: tfjs-backend-cpu is wrong here (see tfjs-findings.test.ts), so float64 reference.
    {
      const A = randf([2, 1, 4, 6]), B = randf([1, 3, 6, 5]);
      const got = await runOn('cuda', [A, B], (a, b) => tf.matMul(a, b));
      expect(got.shape).toEqual([2, 3, 4, 5]);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let r = 0; r < 4; r++) for (let c = 0; c < 5; c++) {
        let want = 0;
        for (let k = 0; k < 6; k++) want += A.data[i * 24 + r * 6 + k]! * B.data[j * 30 + k * 5 + c]!;
        expect(Math.abs(got.values[((i * 3 + j) * 4 + r) * 5 + c]! - want)).toBeLessThan(1e-5 + 1e-5 * Math.abs(want));
      }
    }
    await compare([randf([0, 6]), randf([6, 5])], (a, b) => tf.matMul(a, b));
    for (const activation of ['linear', 'relu', 'sigmoid', 'elu', 'leakyrelu'] as const) {
      await compare([randf([33, 40]), randf([40, 17]), randf([17])], (a, b, c) => tf.fused.matMul({ a, b, bias: c, activation }), { atol: 1e-4, rtol: 1e-4 });
    }
    await compare([randf([9, 8]), randf([8, 7]), randf([9, 7])], (a, b, c) => tf.fused.matMul({ a, b, bias: c, activation: 'relu' }), { atol: 1e-4, rtol: 1e-4 });
  });

  it('Conv2D, FusedConv2D, DepthwiseConv2dNative, FusedDepthwiseConv2D, FusedBatchNorm (NHWC)', async () => {
    const tol = { atol: 1e-4, rtol: 1e-4 };
    await compare([randf([2, 9, 11, 3]), randf([3, 3, 3, 8])], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same'), tol);
    await compare([randf([1, 10, 10, 4]), randf([3, 2, 4, 5])], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid', 'NHWC', [1, 2]), tol);
    await compare([randf([2, 7, 7, 16]), randf([1, 1, 16, 8])], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid'), tol);
    await compare([randf([2, 8, 8, 6]), randf([3, 3, 6, 4]), randf([4])], (x, f, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }), tol);
    await compare([randf([2, 9, 9, 5]), randf([3, 3, 5, 2])], (x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 'same'), tol);
    await compare([randf([1, 8, 8, 4]), randf([3, 3, 4, 1]), randf([4])], (x, f, b) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu6' }), tol);
    // Four channels per thread (C % 4 = 0, multiplier 1) and the scalar kernel (C = 6), with bias and ReLU in the store.
    await compare([randf([2, 9, 7, 12]), randf([3, 3, 12, 1]), randf([12])], (x, f, b) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }), tol);
    await compare([randf([1, 10, 9, 6]), randf([3, 3, 6, 1]), randf([6])], (x, f, b) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 2, pad: 'same', bias: b, activation: 'relu' }), tol);
    await compare([randf([2, 4, 4, 6]), randf([6]), randf([6]), randf([6]), randf([6])], (x, m, v, o, s) => tf.batchNorm(x, m, tf.add(tf.abs(v), 0.1), o, s, 1e-3), tol);
  });

  it('fusebench contract kernels match cpu', async () => {
    const { runKernelOp } = await import('./kernel-call.ts');
    const tol = { atol: 1e-4, rtol: 1e-4 };
    for (const activation of ['linear', 'relu', 'gelu', 'silu']) {
      await compare([randf([31, 48]), randf([48, 20]), randf([20])], (a, b, bias) => runKernelOp('FusebenchLinearAct', { a, b, bias }, { activation }), tol);
    }
    await compare([randf([5, 7, 96], 3), randf([96]), randf([96])], (x, gamma, beta) => runKernelOp('FusebenchLayerNorm', { x, gamma, beta }, { epsilon: 1e-5 }), tol);
    await compare([randf([4, 1001]), randf([4, 1001])], (a, b) => runKernelOp('FusebenchAddRelu', { a, b }, {}), tol);
    for (const [bh, s, d] of [[3, 77, 64], [2, 130, 32], [1, 50, 128]]) {
      await compare([randf([bh, s, d]), randf([bh, s, d]), randf([bh, s, d])], (q, k, v) => runKernelOp('FusebenchSDPA', { q, k, v }, {}), tol);
    }
    const trits = (): Host => randi([9, 11], -1, 1);
    for (const op of ['tadd', 'tmul', 'tmin', 'tmax']) {
      await compare([trits(), trits()], (a, b) => runKernelOp('TernaryBinary', { a, b }, { op }));
      await compare([trits(), trits()], (a, b) => runKernelOp('TernaryNotBinary', { a, b }, { op }));
      for (const outer of ['tadd', 'tmul', 'tmin', 'tmax']) await compare([trits(), trits(), trits()], (a, b, c) => runKernelOp('TernaryFused3', { a, b, c }, { inner: op, outer, validate: false }));
    }
    await compare([trits()], (x) => runKernelOp('TernaryUnary', { x }, { op: 'tnot' }));
  }, 300_000);

  it('FusebenchLayerNorm on every kernel shape (warp, block, loop; float4 and scalar) at odd sizes', async () => {
    const { runKernelOp } = await import('./kernel-call.ts');
    const tol = { atol: 1e-4, rtol: 1e-4 };
    for (const [rows, d] of [[3, 1], [6, 77], [9, 768], [5, 1000], [2, 1537], [3, 1540], [2, 8192], [2, 40001]]) {
      await compare([randf([rows!, d!], 3), randf([d!]), randf([d!])], (x, gamma, beta) => runKernelOp('FusebenchLayerNorm', { x, gamma, beta }, { epsilon: 1e-5 }), tol);
    }
  }, 300_000);

  it('FusebenchSDPA on every path at odd sizes (partial tiles, one key, head dims 7, 33, 100, 128, 160)', async () => {
    const { runKernelOp } = await import('./kernel-call.ts');
    const sizes = [[1, 1, 64], [2, 129, 64], [3, 100, 64], [1, 77, 128], [1, 40, 7], [2, 65, 33], [1, 70, 100], [1, 33, 160], [2, 256, 64]];
    const saved = process.env.FUSEBENCH_CUDA_SDPA;
    try {
      for (const path of ['fp32', 'tf32', 'tf32x3']) {
        process.env.FUSEBENCH_CUDA_SDPA = path;
        // TF32 rounds q, k, p and v to a 10-bit mantissa: ~3e-4 at one key (out = v rounded), less as S grows.
        const tol = path === 'tf32' ? { atol: 5e-4, rtol: 1e-3 } : { atol: 1e-5, rtol: 1e-4 };
        for (const [bh, s, d] of sizes) {
          await compare([randf([bh, s, d]), randf([bh, s, d]), randf([bh, s, d])], (q, k, v) => runKernelOp('FusebenchSDPA', { q, k, v }, {}), tol);
        }
      }
      process.env.FUSEBENCH_CUDA_SDPA = 'fp16';
      await tf.setBackend('cuda');
      const t = tf.zeros([1, 4, 64]);
      expect(() => runKernelOp('FusebenchSDPA', { q: t, k: t, v: t }, {})).toThrow(/FUSEBENCH_CUDA_SDPA/);
      t.dispose();
    } finally {
      if (saved === undefined) delete process.env.FUSEBENCH_CUDA_SDPA;
      else process.env.FUSEBENCH_CUDA_SDPA = saved;
    }
  }, 300_000);

  it('FusebenchQKTSoftmax matches cpu (register, shared-memory rows); Softmax on long rows', async () => {
    const { runKernelOp } = await import('./kernel-call.ts');
    const tol = { atol: 1e-5, rtol: 1e-4 };
    for (const [bh, s, d] of [[3, 77, 64], [2, 130, 32], [1, 1100, 16], [2, 64, 64]]) {
      await compare([randf([bh, s, d]), randf([bh, s, d])], (q, k) => runKernelOp('FusebenchQKTSoftmax', { q, k }, {}), tol);
    }
    await compare([randf([2, 40, 8], 3), randf([2, 40, 8], 3)], (q, k) => runKernelOp('FusebenchQKTSoftmax', { q, k }, { scale: 0.3 }), tol);
    await compare([randf([3, 2000], 4)], (x) => tf.softmax(x), tol);
    await compare([randf([2, 13000], 4)], (x) => tf.softmax(x), tol);
  }, 120_000);

  it('FusebenchLinearAct gelu_tanh is the cuBLASLt GELU epilogue: matches the tanh form in float64', async () => {
    const { runKernelOp } = await import('./kernel-call.ts');
    const [M, K, N] = [37, 64, 29];
    const A = randf([M, K]), B = randf([K, N]), bias = randf([N], 2);
    const got = await runOn('cuda', [A, B, bias], (a, b, c) => runKernelOp('FusebenchLinearAct', { a, b, bias: c }, { activation: 'gelu_tanh' }));
    expect(got.shape).toEqual([M, N]);
    const c0 = Math.sqrt(2 / Math.PI);
    let worst = 0;
    // The suites' default tolerance (atol 1e-4 + rtol 1e-3): cuBLASLt's epilogue may evaluate tanh approximately.
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let x = bias.data[j]!;
      for (let k = 0; k < K; k++) x += A.data[i * K + k]! * B.data[k * N + j]!;
      const want = 0.5 * x * (1 + Math.tanh(c0 * (x + 0.044715 * x ** 3)));
      const g = got.values[i * N + j]!;
      worst = Math.max(worst, Math.abs(g - want));
      if (!(Math.abs(g - want) <= 1e-4 + 1e-3 * Math.abs(want))) expect.fail(`[${i},${j}]: cuda ${g} vs tanh-GELU ${want}`);
    }
    console.log(`[gelu_tanh] max |cuda − float64 tanh-GELU| = ${worst.toExponential(2)}`);
  });

  it('Conv2D / FusedConv2D on both paths (cuDNN forced, im2col forced, auto) match cpu; describe() names the path', async () => {
    const tol = { atol: 1e-4, rtol: 1e-4 };
    const cases: Array<[Host[], (...t: tf.Tensor[]) => tf.Tensor]> = [
      [[randf([2, 9, 11, 3]), randf([3, 3, 3, 8])], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same')],
      [[randf([1, 10, 10, 4]), randf([3, 2, 4, 5])], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid', 'NHWC', [1, 2])],
      [[randf([2, 8, 8, 6]), randf([3, 3, 6, 4]), randf([4])], (x, f, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' })],
      [[randf([2, 8, 8, 6]), randf([3, 3, 6, 4]), randf([4])], (x, f, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'linear' })],
      [[randf([1, 12, 12, 16]), randf([3, 3, 16, 32]), randf([32])], (x, f, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 2, pad: 'valid', bias: b, activation: 'relu' })],
      [[randf([1, 8, 8, 4]), randf([1, 1, 4, 8]), randf([8])], (x, f, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'elu' })],
    ];
    const saved = process.env.FUSEBENCH_CUDA_CONV;
    try {
      for (const mode of ['cudnn', 'im2col', 'auto']) {
        process.env.FUSEBENCH_CUDA_CONV = mode;
        const { CudaRuntime } = await import('../../backends/cuda/runtime/context.ts');
        if (mode === 'cudnn' && !CudaRuntime.open().cudnn()) {
          console.log(`[cuDNN path not tested] ${CudaRuntime.open().cudnnStatus()}`);
          continue;
        }
        for (const [ins, f] of cases) await compare(ins, f, tol);
      }
    } finally {
      if (saved === undefined) delete process.env.FUSEBENCH_CUDA_CONV;
      else process.env.FUSEBENCH_CUDA_CONV = saved;
    }
    const path = String(cudaBackend.describe().convPath);
    console.log(`[convPath] ${path}`);
    expect(path).toMatch(/conv shapes: \d+ on cuDNN, \d+ on im2col/);
  }, 300_000);

  it('scalar constants share a device slot by value and survive each other\'s dispose', async () => {
    await tf.setBackend('cuda');
    const a = tf.scalar(3.5), b = tf.scalar(3.5), c = tf.scalar(7, 'int32');
    a.dispose();
    expect(await b.data()).toEqual(new Float32Array([3.5]));
    expect(await c.data()).toEqual(new Int32Array([7]));
    const x = tf.tensor([1, 2, 3, 4]);
    const y = tf.add(tf.mul(x, 2), 3.5);
    expect(Array.from(await y.data())).toEqual([5.5, 7.5, 9.5, 11.5]);
    tf.dispose([b, c, x, y]);
  });

  it('a fallback kernel (Unique) and a string tensor run on tfjs-backend-cpu, each use counted', async () => {
    await tf.setBackend('cuda');
    const { hostTrips } = await import('../../backends/cuda/host_trips.ts');
    const count = (cause: string): number => hostTrips().byCause[cause] ?? 0;
    const unique = 'Unique (fallback: ran on tfjs-backend-cpu)';
    const tile = 'Tile (any kernel with a string input or output (string tensors stay on the host))';
    const [u0, t0] = [count(unique), count(tile)];
    const x = tf.tensor([1, 2, 3, 2]);
    const { values, indices } = tf.unique(x);
    expect(Array.from(await values.data())).toEqual([1, 2, 3]);
    expect(Array.from(await indices.data())).toEqual([0, 1, 2, 1]);
    const s = tf.tile(tf.tensor(['a', 'b']), [2]);
    expect(await s.array()).toEqual(['a', 'b', 'a', 'b']);
    expect([count(unique), count(tile)]).toEqual([u0 + 1, t0 + 1]);
    tf.dispose([x, values, indices, s]);
  });

  it('tf.time reports kernelMs from CUDA events', async () => {
    await tf.setBackend('cuda');
    const a = tf.randomUniform([512, 512]);
    const info = await tf.time(() => tf.matMul(a, a).dispose());
    expect(typeof info.kernelMs).toBe('number');
    expect(info.kernelMs as number).toBeGreaterThan(0);
    a.dispose();
  });

  it('memory returns to baseline after dispose', async () => {
    await tf.setBackend('cuda');
    const before = tf.memory().numBytes;
    const b = tf.backend() as unknown as { memory(): { numBytesInGPU: number } };
    const gpuBefore = b.memory().numBytesInGPU;
    const x = tf.randomNormal([300, 301]);
    const y = tf.tidy(() => tf.sum(tf.softmax(tf.matMul(x, tf.transpose(x))), 1));
    await y.data();
    tf.dispose([x, y]);
    expect(tf.memory().numBytes).toBe(before);
    expect(b.memory().numBytesInGPU).toBe(gpuBefore);
  });

  it('one op over 2^31 bytes (Add on 2^29 + 5 floats), values checked at sampled indices', async () => {
    await tf.setBackend('cuda');
    const n = 2 ** 29 + 5; // 2.1 GB per tensor
    const a = tf.fill([n], 1.5);
    const y = tf.add(a, 2.25);
    const v = await y.data();
    expect(v.length).toBe(n);
    for (const i of [0, 1, 2 ** 28, 2 ** 29 - 1, n - 1]) expect(v[i]).toBe(3.75);
    tf.dispose([a, y]);
  }, 120_000);
});
