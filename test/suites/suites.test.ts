/**
 * Every suite in suites/, on cpu and wasm (and tensorflow where it is set up), at tiny sizes: unfused and fused agree with the float64 reference,
 * have the same shape, leak nothing, and the fused variant launches the kernels the suite claims (one fused
 * kernel; two for the 2-layer MLP), so a "fused" path that quietly runs several kernels fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedPathFor } from '../../kernels/ops.ts';
import type { SizeParams, SuiteSpec } from '../../harness/core/types.ts';
import { BACKENDS, checkSuite, useBackend } from './helpers.ts';

import Linear_BiasSpec from '../../suites/linear/Linear_Bias.bench.ts';
import Linear_Bias_ReLUSpec from '../../suites/linear/Linear_Bias_ReLU.bench.ts';
import Linear_Bias_GELUSpec from '../../suites/linear/Linear_Bias_GELU.bench.ts';
import Linear_Bias_SiLUSpec from '../../suites/linear/Linear_Bias_SiLU.bench.ts';
import Linear_Bias_GELU_TanhSpec from '../../suites/linear/Linear_Bias_GELU_Tanh.bench.ts';
import MLP_2LayerSpec from '../../suites/linear/MLP_2Layer.bench.ts';
import Conv2d_ReLUSpec from '../../suites/conv/Conv2d_ReLU.bench.ts';
import Conv2d_BNSpec from '../../suites/conv/Conv2d_BN.bench.ts';
import Conv2d_BN_ReLUSpec from '../../suites/conv/Conv2d_BN_ReLU.bench.ts';
import DepthwiseConv2d_BN_ReLUSpec from '../../suites/conv/DepthwiseConv2d_BN_ReLU.bench.ts';
import QKTSpec from '../../suites/attention/QKT.bench.ts';
import QKT_SoftmaxSpec from '../../suites/attention/QKT_Softmax.bench.ts';
import Attention_SDPASpec from '../../suites/attention/Attention_SDPA.bench.ts';
import LayerNormSpec from '../../suites/norm/LayerNorm.bench.ts';
import Add_ReLUSpec from '../../suites/norm/Add_ReLU.bench.ts';

/** Each suite as the harness sees it (SuiteSpec over generic size parameters). */
const generic = (s: unknown): SuiteSpec => s as SuiteSpec;
const Linear_Bias = generic(Linear_BiasSpec);
const Linear_Bias_ReLU = generic(Linear_Bias_ReLUSpec);
const Linear_Bias_GELU = generic(Linear_Bias_GELUSpec);
const Linear_Bias_SiLU = generic(Linear_Bias_SiLUSpec);
const Linear_Bias_GELU_Tanh = generic(Linear_Bias_GELU_TanhSpec);
const MLP_2Layer = generic(MLP_2LayerSpec);
const Conv2d_ReLU = generic(Conv2d_ReLUSpec);
const Conv2d_BN = generic(Conv2d_BNSpec);
const Conv2d_BN_ReLU = generic(Conv2d_BN_ReLUSpec);
const DepthwiseConv2d_BN_ReLU = generic(DepthwiseConv2d_BN_ReLUSpec);
const QKT = generic(QKTSpec);
const QKT_Softmax = generic(QKT_SoftmaxSpec);
const Attention_SDPA = generic(Attention_SDPASpec);
const LayerNorm = generic(LayerNormSpec);
const Add_ReLU = generic(Add_ReLUSpec);

const linear = [{ m: 3, k: 5, n: 7 }, { m: 5, k: 50, n: 49 }];
const attention = [{ h: 2, s: 5, d: 4 }, { h: 1, s: 50, d: 8 }, { h: 1, s: 200, d: 4 }];

/**
 * Tiny sizes that still cross the kernels' block boundaries (48-wide GEMM blocks, multi-block score rows, SIMD tails).
 * tensorflow's launches are those of `fusebench setup tensorflow` on tensorflow-cpu 2.21 (list-attr binding, oneDNN
 * build): one fused TF op where TensorFlow has it, the composed TF ops elsewhere (kernels/common/tf_fused.ts).
 */
const CASES: ReadonlyArray<readonly [SuiteSpec, readonly SizeParams[], Record<string, readonly string[]>]> = [
  [Linear_Bias, linear, { cpu: ['FusebenchLinearAct'], wasm: ['_FusedMatMul'], tensorflow: ['FusebenchLinearAct'] }],
  [Linear_Bias_ReLU, linear, { cpu: ['FusebenchLinearAct'], wasm: ['_FusedMatMul'], tensorflow: ['FusebenchLinearAct'] }],
  [Linear_Bias_GELU, linear, { cpu: ['FusebenchLinearAct'], wasm: ['FusebenchLinearAct'], tensorflow: ['FusebenchLinearAct'] }],
  [Linear_Bias_SiLU, linear, { cpu: ['FusebenchLinearAct'], wasm: ['FusebenchLinearAct'], tensorflow: ['FusebenchLinearAct', 'Sigmoid', 'Multiply'] }],
  [Linear_Bias_GELU_Tanh, linear, { cpu: ['FusebenchLinearAct'], wasm: ['FusebenchLinearAct'], tensorflow: ['FusebenchLinearAct'] }],
  [MLP_2Layer, [{ m: 2, d: 8, h: 16 }, { m: 3, d: 50, h: 60 }], { cpu: ['FusebenchLinearAct', 'FusebenchLinearAct'], wasm: ['_FusedMatMul', '_FusedMatMul'], tensorflow: ['FusebenchLinearAct', 'FusebenchLinearAct'] }],
  [Conv2d_ReLU, [{ h: 5, w: 6, cin: 3, cout: 4 }], { cpu: ['FusebenchConv2DAct'], wasm: ['FusedConv2D'], tensorflow: ['FusebenchConv2DAct'] }],
  [Conv2d_BN, [{ h: 5, w: 6, cin: 3, cout: 4 }], { cpu: ['FusebenchConv2DAct'], wasm: ['FusedConv2D'], tensorflow: ['FusebenchConv2DAct'] }],
  [Conv2d_BN_ReLU, [{ h: 5, w: 6, cin: 3, cout: 4 }], { cpu: ['FusebenchConv2DAct'], wasm: ['FusedConv2D'], tensorflow: ['FusebenchConv2DAct'] }],
  [DepthwiseConv2d_BN_ReLU, [{ h: 5, w: 6, c: 3 }], { cpu: ['FusebenchDepthwiseConv2DAct'], wasm: ['FusedDepthwiseConv2D'], tensorflow: ['FusebenchDepthwiseConv2DAct'] }],
  [QKT, attention, { cpu: ['_FusedMatMul'], wasm: ['_FusedMatMul'], tensorflow: ['BatchMatMul'] }],
  [QKT_Softmax, attention, { cpu: ['FusebenchQKTSoftmax'], wasm: ['FusebenchQKTSoftmax'], tensorflow: ['Multiply', 'BatchMatMul', 'Softmax'] }],
  [Attention_SDPA, attention, { cpu: ['FusebenchSDPA'], wasm: ['FusebenchSDPA'], tensorflow: ['Multiply', 'BatchMatMul', 'Softmax', 'BatchMatMul'] }],
  [LayerNorm, [{ t: 3, d: 7 }, { t: 2, d: 768 }], { cpu: ['FusebenchLayerNorm'], wasm: ['FusebenchLayerNorm'], tensorflow: ['FusebenchLayerNorm'] }],
  [Add_ReLU, [{ h: 3, w: 5, c: 7 }], { cpu: ['FusebenchAddRelu'], wasm: ['FusebenchAddRelu'], tensorflow: ['Add', 'Relu'] }],
];

describe('suite declarations', () => {
  it('declares the fourteen contract ids (plus the tanh-GELU variant), each once, in its family folder', () => {
    const ids = CASES.map(([s]) => s.id);
    expect(ids).toEqual([
      'Linear_Bias', 'Linear_Bias_ReLU', 'Linear_Bias_GELU', 'Linear_Bias_SiLU', 'Linear_Bias_GELU_Tanh', 'MLP_2Layer',
      'Conv2d_ReLU', 'Conv2d_BN', 'Conv2d_BN_ReLU', 'DepthwiseConv2d_BN_ReLU',
      'QKT', 'QKT_Softmax', 'Attention_SDPA', 'LayerNorm', 'Add_ReLU',
    ]);
  });

  it.each(CASES.map(([s]) => [s.id, s] as const))('%s: quick set is 2–3 sizes, costs are consistent, standsFor and prediction sources are given', (_id, spec) => {
    expect(spec.sizes.quick.length).toBeGreaterThanOrEqual(2);
    expect(spec.sizes.quick.length).toBeLessThanOrEqual(3);
    expect(spec.standsFor?.length).toBeGreaterThan(0);
    for (const kind of ['cpu', 'gpu'] as const) expect(spec.predictions[kind].source.length).toBeGreaterThan(20);
    for (const p of [...spec.sizes.quick, ...spec.sizes.full]) {
      const c = spec.cost(p);
      expect(c.flops).toBeGreaterThan(0);
      expect(c.bytesFused).toBeGreaterThan(0);
      expect(c.bytesUnfused).toBeGreaterThan(c.bytesFused);
      expect(c.intermediateBytes).toBeGreaterThan(0);
      expect(spec.label(p).length).toBeGreaterThan(0);
    }
    // Sizes are in strictly increasing magnitude within each set, so crossover and charts read left to right.
    for (const set of [spec.sizes.quick, spec.sizes.full]) {
      const m = set.map((p) => spec.magnitude(p));
      for (let i = 1; i < m.length; i++) expect(m[i], `${spec.label(set[i])} after ${spec.label(set[i - 1])}`).toBeGreaterThan(m[i - 1]);
    }
  });
});

for (const backend of BACKENDS) {
  describe(`suites on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    for (const [spec, sizes, launches] of CASES) {
      it.each(sizes.map((p) => [JSON.stringify(p), p] as const))(`${spec.id} %s: unfused and fused match the float64 reference`, async (_label, p) => {
        const r = await checkSuite(spec, p);
        expect(r.shapeFused).toEqual(r.shapeUnfused);
        expect(r.unfused.ok, `unfused maxAbs ${r.unfused.maxAbs}`).toBe(true);
        expect(r.fused.ok, `fused maxAbs ${r.fused.maxAbs}`).toBe(true);
        expect(r.fusedLaunches).toEqual(launches[backend]);
        expect(r.leaked).toBe(0);
      });
    }

    it('reports, per suite, the implementation its fused variant runs here', () => {
      const path = (s: SuiteSpec): string => s.fusedPath?.(backend) ?? s.fusedBy;
      // tfjs-cpu's and tfjs-node's fused kernels run their parts one after another; wasm's are XNNPACK epilogues.
      expect(path(Linear_Bias)).toBe(backend === 'wasm' ? 'tfjs fused kernel' : 'fusebench kernel');
      expect(path(Conv2d_BN_ReLU)).toBe(backend === 'wasm' ? 'tfjs fused kernel' : 'fusebench kernel');
      expect(path(Linear_Bias_GELU)).toBe('fusebench kernel');
      expect(path(QKT)).toBe('tfjs fused kernel');
      expect(fusedPathFor('matMulBiasRelu', backend)).toBe(path(MLP_2Layer));
    });
  });
}
