/**
 * Concat and Pack on cuda: tfjs-backend-cpu's checks and empty-input rules, then one copy of each input into its
 * region of the output (the output seen as [outer, Σ inner], as tfjs's 2-D formulation).
 */
import { backend_util, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { copyInto } from '../ops/indexmap.ts';
import { expandDims } from './expand_dims.ts';
import { complexConcat } from './complex.ts';

export function concat(b: CudaBackend, inputs: readonly TensorInfo[], axis: number): TensorInfo {
  const ax = util.parseAxisParam(axis, inputs[0]!.shape)[0]!;
  backend_util.assertParamsConsistent(inputs.map((t) => t.shape), ax);
  const outShape = backend_util.computeOutShape(inputs.map((t) => t.shape), ax);
  const dtype = inputs[0]!.dtype;
  if (util.sizeFromShape(outShape) === 0) return b.makeOutput(outShape, dtype);
  const nonEmpty = inputs.filter((t) => util.sizeFromShape(t.shape) > 0);
  if (nonEmpty.length === 1) return b.view(nonEmpty[0]!, nonEmpty[0]!.shape);
  if (dtype === 'complex64') return complexConcat(b, nonEmpty, (parts) => concat(b, parts, ax));
  const out = b.makeOutput(outShape, dtype);
  const total = util.sizeFromShape(outShape.slice(ax));
  let column = 0;
  for (const t of nonEmpty) {
    const inner = util.sizeFromShape(t.shape.slice(ax));
    const flat = b.view(t, [util.sizeFromShape(t.shape) / inner, inner]);
    copyInto(b, 'Concat', flat, out, column, [total, 1]);
    b.disposeIntermediate(flat);
    column += inner;
  }
  return out;
}

export const concatConfig: KernelConfig = {
  kernelName: 'Concat',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => concat(backend as CudaBackend, inputs as unknown as TensorInfo[], attrs!.axis as number),
};

/** Pack (tf.stack): tfjs-backend-cpu's checks and messages, then each input with a 1 inserted, concatenated. */
export const packConfig: KernelConfig = {
  kernelName: 'Pack',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const list = inputs as unknown as TensorInfo[];
    const axis = attrs!.axis as number;
    if (list.length === 1) return expandDims(b, list[0]!, axis);
    const { shape, dtype } = list[0]!;
    for (const t of list) {
      util.assertShapesMatch(shape, t.shape, 'All tensors passed to stack must have matching shapes');
      util.assert(dtype === t.dtype, () => 'All tensors passed to stack must have matching dtypes');
    }
    const expanded = list.map((t) => expandDims(b, t, axis));
    const out = concat(b, expanded, axis);
    for (const t of expanded) b.disposeIntermediate(t);
    return out;
  },
};
