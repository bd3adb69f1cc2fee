/**
 * Slice on cuda, planned on the host: tfjs's own parameter rules (slice_util.parseSliceParams: a number or a
 * short array for begin and size, size -1 or omitted for "to the end"; assertParamsValid: in bounds), then either
 * one device-to-device copy (a slice that is one run of memory) or one pass of the element-wise template that
 * reads the input at `offset + Σ index[d]·strides[d]`.
 */
import { slice_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { runElementwise } from './elementwise.ts';

export interface SlicePlan {
  readonly begin: readonly number[];
  /** The output shape. */
  readonly size: readonly number[];
  /** Element offset of the first element read. */
  readonly offset: number;
  /** The slice is one run of memory (every axis after the first longer than 1 taken whole). */
  readonly contiguous: boolean;
  /** The input's stride along each axis, i.e. per output axis: the strided read of the element-wise template. */
  readonly strides: readonly number[];
}

export function slicePlan(x: Pick<TensorInfo, 'shape'>, begin: number | number[], size?: number | number[]): SlicePlan {
  const input = x as TensorInfo;
  const [b, s] = slice_util.parseSliceParams(input, begin, size);
  slice_util.assertParamsValid(input, b, s);
  const strides = x.shape.length === 0 ? [] : [...util.computeStrides(x.shape), 1];
  const offset = b.reduce((sum, v, i) => sum + v * strides[i]!, 0);
  return { begin: b, size: s, offset, contiguous: slice_util.isSliceContinous(x.shape, b, s), strides };
}

/** Slice: one device-to-device copy when the slice is one run of memory, else one strided pass of the template. */
export function runSlice(b: CudaBackend, x: TensorInfo, begin: number | number[], size?: number | number[]): TensorInfo {
  const plan = slicePlan(x, begin, size);
  const n = util.sizeFromShape([...plan.size]);
  if (n === 0) return b.makeOutput(plan.size, x.dtype);
  if (!plan.contiguous) {
    return runElementwise(b, { name: 'Slice', op: { expr: 'a', arity: 1 }, inputs: [x], outDtype: x.dtype, layout: { outShape: plan.size, strides: [plan.strides], offsets: [plan.offset] } });
  }
  const out = b.makeOutput(plan.size, x.dtype);
  b.rt.driver.dtod(b.ptr(out), b.ptr(x) + plan.offset * 4, n * 4);
  return out;
}
