/**
 * LayerNorm over the last axis. Unfused: moments, sub, add ε, sqrt, div, mul γ, add β as tfjs ops (about ten
 * kernels, most a full pass over x). Fused: FusebenchLayerNorm, one pass per row with the row in cache.
 * tfjs has no fused LayerNorm on any backend. Not measured by the study (listed there as future work).
 */
import { defineSuite } from 'fusebench';
import { describeFusedPaths, layerNorm } from '../../kernels/ops.ts';
import { bandwidthModel } from '../study.ts';
import { LN_EPSILON, LN_STANDS_FOR, lnCost, lnInputs, lnLabel, lnMagnitude, lnReference, lnSizes, unfusedLayerNorm, type LayerNormP } from './shapes.ts';

const AT: LayerNormP = { t: 128, d: 768 };

export default defineSuite<LayerNormP>({
  id: 'LayerNorm',
  family: 'norm',
  title: 'LayerNorm',
  standsFor: LN_STANDS_FOR,
  sizes: lnSizes,
  label: lnLabel,
  magnitude: lnMagnitude,
  inputs: lnInputs,
  unfused: unfusedLayerNorm,
  fused: (t) => layerNorm(t.x, t.gamma, t.beta, LN_EPSILON),
  fusedBy: 'fusebench kernel',
  cost: lnCost,
  reference: lnReference,
  predictions: {
    cpu: bandwidthModel('LayerNorm', lnCost(AT), lnLabel(AT)),
    gpu: bandwidthModel('LayerNorm', lnCost(AT), lnLabel(AT)),
  },
  notes: [
    'cpu: x − mean and ÷ std broadcast a [T, 1] operand, which tfjs-backend-cpu runs through the generic path of its binary kernels (src/utils/binary_impl.ts lines 52–64: indexToLoc, two array slices and locToIndex per element), so the unfused side costs far more than its memory traffic; the cpu speedup measures that path as much as fusion.',
    'wasm kernel: a generated WebAssembly SIMD function (f32x4) on the backend\'s heap, one read of each row from memory; the unfused ops are the backend\'s own compiled kernels.',
    ...describeFusedPaths('layerNorm'),
  ],
});
