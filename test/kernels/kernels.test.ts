/**
 * fusebench's registered kernels on cpu and wasm, called directly through kernels/ops.ts: results against the
 * float64 reference at shapes that cross block boundaries, attributes, edge values, input errors, and no
 * leaked backend memory (the wasm kernels allocate scratch buffers).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as ops from '../../kernels/ops.ts';
import * as ref from '../../harness/core/reference.ts';
import { seededRandom } from '../../harness/core/stats.ts';
import { BACKENDS, useBackend } from '../suites/helpers.ts';

const rand = (shape: number[], seed: number, lo = -1, hi = 1): { t: tf.Tensor; x: Float64Array } => {
  const r = seededRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
  return { t: tf.tensor(v, shape), x: Float64Array.from(v) };
};

function expectClose(got: tf.Tensor, want: Float64Array, atol = 1e-5, rtol = 1e-4): void {
  const g = got.dataSync();
  expect(g.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(g[i] - want[i]) - rtol * Math.abs(want[i]));
  expect(worst).toBeLessThanOrEqual(atol);
}

/** Runs f, checks that it allocates no tensor or backend buffer beyond its result, disposes everything. */
function noLeak(f: () => void): void {
  const tensors = tf.memory().numTensors;
  const data = tf.backend().numDataIds();
  tf.tidy(f);
  expect(tf.memory().numTensors).toBe(tensors);
  expect(tf.backend().numDataIds()).toBe(data);
}

for (const backend of BACKENDS) {
  describe(`fusebench kernels on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    it('FusebenchLinearAct: GELU and SiLU over several epilogue blocks (M=150, N=2000: 65 rows per wasm block)', () => {
      noLeak(() => {
        const [m, k, n] = [150, 8, 2000];
        const a = rand([m, k], 1);
        const b = rand([k, n], 2, -0.5, 0.5);
        const bias = rand([n], 3);
        for (const [act, f] of [['gelu', ref.gelu], ['silu', ref.silu], ['relu', ref.relu], ['linear', (v: number) => v]] as const) {
          const got = tf.engine().runKernel('FusebenchLinearAct', { a: a.t, b: b.t, bias: bias.t }, { activation: act }) as tf.Tensor;
          expectClose(got, ref.map(ref.addBias(ref.matmul(a.x, b.x, m, k, n), bias.x), f));
        }
      });
    });

    it('FusebenchLinearAct epilogues over a wide range of pre-activations, tails included (K = 1, w = 1)', () => {
      noLeak(() => {
        const xs = [...Array.from({ length: 4001 }, (_, i) => -20 + i / 100), -100, 100, -0, 1e-30, -7.5, 7.5];
        const a = tf.tensor2d(xs, [xs.length, 1]);
        for (const [act, f] of [['gelu', ref.gelu], ['silu', ref.silu]] as const) {
          const got = ops.linearAct(a, tf.tensor2d([[1]]), tf.tensor1d([0]), act);
          expectClose(got, Float64Array.from(xs.map((v) => f(Math.fround(v)))), 2e-6, 2e-6);
        }
      });
    });

    it('FusebenchLinearAct names the input at fault', () => {
      noLeak(() => {
        const a = tf.zeros([2, 3]);
        expect(() => ops.linearAct(a, tf.zeros([3, 4]), tf.zeros([5]), 'gelu')).toThrow(/FusebenchLinearAct: input "bias" has shape \[5\]; its axis 0 must be 4, .* \(got 5\)/);
        expect(() => ops.linearAct(a, tf.zeros([2, 4]), tf.zeros([4]), 'gelu')).toThrow(/FusebenchLinearAct: input "b" has shape \[2, 4\]/);
        expect(() => tf.engine().runKernel('FusebenchLinearAct', { a, b: tf.zeros([3, 4]), bias: tf.zeros([4]) }, { activation: 'tanh' })).toThrow(/activation/);
      });
    });

    it('FusebenchSDPA and FusebenchQKTSoftmax honour an explicit scale, over several blocks of rows', () => {
      noLeak(() => {
        const [h, s, d] = [2, 190, 5];
        const q = rand([h, s, d], 4);
        const k = rand([h, s, d], 5);
        const v = rand([h, s, d], 6);
        expectClose(ops.sdpa(q.t, k.t, v.t, 0.7), ref.sdpa(q.x, k.x, v.x, h, s, d, 0.7));
        expectClose(ops.qktSoftmax(q.t, k.t, 0.7), ref.qktSoftmax(q.x, k.x, h, s, d, 0.7));
        expectClose(ops.sdpa(q.t, k.t, v.t), ref.sdpa(q.x, k.x, v.x, h, s, d, 1 / Math.sqrt(d)));
        expect(() => ops.sdpa(q.t, k.t, tf.zeros([h, s, d + 1]))).toThrow(/FusebenchSDPA: input "v" has shape \[\d+, \d+, \d+\] but input "q" has/);
      });
    });

    it('FusebenchSDPA and FusebenchQKTSoftmax with a single head (S 150, D 7: padded panels on wasm)', () => {
      noLeak(() => {
        const [h, s, d] = [1, 150, 7];
        const q = rand([h, s, d], 14);
        const k = rand([h, s, d], 15);
        const v = rand([h, s, d], 16);
        expectClose(ops.sdpa(q.t, k.t, v.t, 0.6), ref.sdpa(q.x, k.x, v.x, h, s, d, 0.6));
        expectClose(ops.qktSoftmax(q.t, k.t, 0.6), ref.qktSoftmax(q.x, k.x, h, s, d, 0.6));
      });
    });

    // Odd shapes for the wasm GEMM's tiles (4 rows × 8 columns): S below a tile, S and D off multiples of 8 (padded
    // panels, scores compacted, v packed), a last block with a single-row tail, and D a multiple of 8 (v read in place).
    it.each([
      [2, 0, 4], [3, 1, 1], [2, 3, 5], [1, 9, 8], [2, 13, 12], [1, 64, 3], [2, 261, 16], [1, 133, 64],
    ] as const)('FusebenchSDPA and FusebenchQKTSoftmax at odd shape %ih × %i × %i', (h, s, d) => {
      noLeak(() => {
        const q = rand([h, s, d], 20 + s);
        const k = rand([h, s, d], 21 + s);
        const v = rand([h, s, d], 22 + s);
        expectClose(ops.sdpa(q.t, k.t, v.t), ref.sdpa(q.x, k.x, v.x, h, s, d, 1 / Math.sqrt(d)));
        expectClose(ops.qktSoftmax(q.t, k.t, 0.9), ref.qktSoftmax(q.x, k.x, h, s, d, 0.9));
      });
    });

    it('FusebenchLayerNorm: rank-3 input, explicit epsilon', () => {
      noLeak(() => {
        const x = rand([2, 3, 50], 7, -2, 3);
        const g = rand([50], 8);
        const b = rand([50], 9);
        expectClose(ops.layerNorm(x.t, g.t, b.t, 0.1), ref.layerNorm(x.x, g.x, b.x, 6, 50, 0.1));
        expect(() => ops.layerNorm(x.t, tf.zeros([49]), b.t)).toThrow(/FusebenchLayerNorm: input "gamma" has shape \[49\]/);
      });
    });

    it('FusebenchAddRelu: NaN stays NaN, -Inf becomes 0, every tail length', () => {
      noLeak(() => {
        const got = ops.addRelu(tf.tensor([Number.NaN, -Infinity, -1, 2, -0]), tf.tensor([1, 5, 0.5, 1, 0])).dataSync();
        expect(Number.isNaN(got[0])).toBe(true);
        expect(Array.from(got.slice(1))).toEqual([0, 0, 3, 0]);
        for (const n of [1, 2, 3, 4, 5, 17]) {
          const a = rand([n], n);
          const b = rand([n], n + 100);
          expectClose(ops.addRelu(a.t, b.t), ref.map(ref.add(a.x, b.x), (v) => Math.fround(ref.relu(v))), 0, 0); // exact: one float32 add
        }
        expect(() => ops.addRelu(tf.zeros([2, 3]), tf.zeros([3]))).toThrow(/does not broadcast/);
      });
    });
  });
}

describe('fused conv kernels on cpu', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it.each([[1, 'same'], [2, 'same'], [2, 'valid']] as const)('FusebenchConv2DAct stride %i pad %s', (stride, pad) => {
    noLeak(() => {
      const g: ref.Conv2dGeometry = { batch: 2, inH: 7, inW: 6, inC: 3, fH: 3, fW: 2, outC: 5, stride, pad };
      const x = rand([2, 7, 6, 3], 1);
      const w = rand([3, 2, 3, 5], 2);
      const b = rand([5], 3);
      const got = tf.engine().runKernel('FusebenchConv2DAct', { x: x.t, filter: w.t, bias: b.t }, { strides: stride, pad, activation: 'relu' }) as tf.Tensor;
      expectClose(got, ref.map(ref.addBias(ref.conv2dNHWC(x.x, w.x, g), b.x), ref.relu));
    });
  });

  it.each([[1, 'same'], [2, 'valid']] as const)('FusebenchDepthwiseConv2DAct, channel multiplier 2, stride %i pad %s', (stride, pad) => {
    noLeak(() => {
      const g: ref.Conv2dGeometry = { batch: 1, inH: 6, inW: 7, inC: 4, fH: 3, fW: 3, outC: 2, stride, pad };
      const x = rand([1, 6, 7, 4], 4);
      const w = rand([3, 3, 4, 2], 5);
      const b = rand([8], 6);
      const got = tf.engine().runKernel('FusebenchDepthwiseConv2DAct', { x: x.t, filter: w.t, bias: b.t }, { strides: stride, pad, activation: 'linear' }) as tf.Tensor;
      expectClose(got, ref.addBias(ref.depthwiseConv2dNHWC(x.x, w.x, g), b.x));
    });
  });

  it.each([
    [1, 40, 40, 3, 64, 1, 'same'],
    [2, 81, 81, 3, 128, 2, 'same'],
    [1, 30, 30, 8, 96, 3, 'valid'],
  ] as const)('FusebenchConv2DAct over several row blocks: batch %i, %ix%ix%i→%i, stride %i, %s', (batch, h, w, cin, cout, stride, pad) => {
    noLeak(() => {
      const g: ref.Conv2dGeometry = { batch, inH: h, inW: w, inC: cin, fH: 3, fW: 3, outC: cout, stride, pad };
      const x = rand([batch, h, w, cin], 7);
      const f = rand([3, 3, cin, cout], 8, -0.2, 0.2);
      const b = rand([cout], 9);
      const got = tf.engine().runKernel('FusebenchConv2DAct', { x: x.t, filter: f.t, bias: b.t }, { strides: stride, pad, activation: 'relu' }) as tf.Tensor;
      expectClose(got, ref.map(ref.addBias(ref.conv2dNHWC(x.x, f.x, g), b.x), ref.relu));
    });
  });

  it.each([[60, 32, 1, 'same'], [61, 96, 2, 'valid'], [61, 96, 2, 'same']] as const)('FusebenchDepthwiseConv2DAct over several row blocks: %i² × %i channels, stride %i, %s', (h, c, stride, pad) => {
    noLeak(() => {
      const g: ref.Conv2dGeometry = { batch: 1, inH: h, inW: h, inC: c, fH: 3, fW: 3, outC: 1, stride, pad };
      const x = rand([1, h, h, c], 10);
      const f = rand([3, 3, c, 1], 11);
      const b = rand([c], 12);
      const got = tf.engine().runKernel('FusebenchDepthwiseConv2DAct', { x: x.t, filter: f.t, bias: b.t }, { strides: stride, pad, activation: 'relu' }) as tf.Tensor;
      expectClose(got, ref.map(ref.addBias(ref.depthwiseConv2dNHWC(x.x, f.x, g), b.x), ref.relu));
    });
  });

  it('names a bias that does not match the output channels', () => {
    expect(() => tf.tidy(() => ops.conv2dAct(tf.zeros([1, 4, 4, 3]), tf.zeros([3, 3, 3, 5]), tf.zeros([4]), { activation: 'relu' })))
      .toThrow(/FusebenchConv2DAct: input "bias" has 4 values; the conv has 5 output channels/);
  });
});

describe('the fused-path table (kernels/ops.ts)', () => {
  it('routes cpu to fusebench kernels where tfjs-cpu\'s fused kernels run separate passes, citing the source lines', () => {
    for (const op of ['matMulBias', 'matMulBiasRelu', 'conv2dBias', 'conv2dBiasRelu', 'depthwiseConv2dBiasRelu'] as const) {
      expect(ops.fusedPathFor(op, 'cpu')).toBe('fusebench kernel');
      expect(ops.fusedPathFor(op, 'wasm')).toBe('tfjs fused kernel');
      expect(ops.fusedPathFor(op, 'webgpu')).toBe('tfjs fused kernel');
      expect(ops.fusedPathReason(op, 'cpu')).toMatch(/tfjs-backend-cpu 4\.22\.0 src\/kernels\/\w+\.ts lines \d+–\d+/);
      expect(ops.fusedPathReason(op, 'wasm')).toMatch(/tfjs-backend-wasm 4\.22\.0 src\/cc\//);
    }
  });

  it('routes tensorflow to fusebench kernels: tfjs-node\'s fused kernels run their parts as separate TF ops', () => {
    for (const op of ['matMulBias', 'matMulBiasRelu', 'conv2dBias', 'conv2dBiasRelu', 'depthwiseConv2dBiasRelu'] as const) {
      expect(ops.fusedPathFor(op, 'tensorflow')).toBe('fusebench kernel');
      expect(ops.fusedPathReason(op, 'tensorflow')).toMatch(/tfjs-node 4\.22\.0 dist\/kernels\/\w+\.js/);
    }
    expect(ops.fusedPathFor('matMulTransposeB', 'tensorflow')).toBe('tfjs fused kernel');
    const lines = ops.describeFusedPaths('matMulBiasRelu');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['cpu', 'wasm', 'tensorflow', 'other backends (webgpu, cuda)']);
    expect(lines[2]).toMatch(/^tensorflow: fusebench kernel, one TF op, _MklNativeFusedMatMul \[BiasAdd, Relu\] \(needs list attrs.*else _FusedMatMul \[BiasAdd, Relu\].*else composed of TF ops BatchMatMulV2, Add, Relu$/);
    expect(ops.describeFusedPaths('matMulBiasGeluTanh')[2]).toMatch(/GeluApproximate/);
    expect(ops.describeFusedPaths('sdpa')[2]).toMatch(/^tensorflow: fusebench kernel, composed of TF ops Mul .*Softmax, BatchMatMulV2 \(TensorFlow has no fused attention op on CPU\)$/);
  });

  it('uses fusebench kernels everywhere for patterns tfjs has no fused kernel for, and tfjs for matMul transposeB', () => {
    for (const op of ['matMulBiasGelu', 'matMulBiasGeluTanh', 'matMulBiasSilu', 'qktSoftmax', 'sdpa', 'layerNorm', 'addRelu'] as const) {
      for (const b of ['cpu', 'wasm', 'tensorflow', 'webgpu', 'cuda']) expect(ops.fusedPathFor(op, b)).toBe('fusebench kernel');
    }
    for (const b of ['cpu', 'wasm', 'webgpu']) expect(ops.fusedPathFor('matMulTransposeB', b)).toBe('tfjs fused kernel');
    expect(ops.describeFusedPaths('matMulBias')).toHaveLength(4);
  });
});
