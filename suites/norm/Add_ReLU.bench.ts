/**
 * Add + ReLU, the residual join relu(x + F(x)). Unfused: add, then relu (the sum written and re-read).
 * Fused: FusebenchAddRelu, one pass. tfjs has no fused add+relu on any backend. Not measured by the study
 * (listed there as future work: "Residual connections (Add + ReLU)").
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineSuite } from 'fusebench';
import { addRelu, describeFusedPaths } from '../../kernels/ops.ts';
import { bandwidthModel } from '../study.ts';
import { AR_STANDS_FOR, arCost, arInputs, arLabel, arMagnitude, arReference, arSizes, type AddReluP } from './shapes.ts';

const AT: AddReluP = { h: 56, w: 56, c: 256 };

export default defineSuite<AddReluP>({
  id: 'Add_ReLU',
  family: 'norm',
  title: 'Add + ReLU (residual)',
  standsFor: AR_STANDS_FOR,
  sizes: arSizes,
  label: arLabel,
  magnitude: arMagnitude,
  inputs: arInputs,
  unfused: (t) => tf.relu(tf.add(t.a, t.b)),
  fused: (t) => addRelu(t.a, t.b),
  fusedBy: 'fusebench kernel',
  cost: arCost,
  reference: arReference,
  predictions: {
    cpu: bandwidthModel('Add_ReLU', arCost(AT), arLabel(AT)),
    gpu: bandwidthModel('Add_ReLU', arCost(AT), arLabel(AT)),
  },
  notes: [
    'cpu: tfjs-backend-cpu\'s Add reads a[i % a.length] and b[i % b.length] per element even when nothing broadcasts (src/utils/binary_impl.ts lines 47–50), and its Relu is a separate pass with its own output, so the unfused side costs more than its memory traffic; the cpu speedup measures that as much as fusion.',
    'wasm kernel: a generated WebAssembly SIMD loop (f32x4 add and max) on the backend\'s heap, the same vector width as its Add and Relu kernels.',
    ...describeFusedPaths('addRelu'),
  ],
});
