/**
 * SparseSegmentSum and SparseSegmentMean on cuda. The output's row count and tfjs's validation (sorted segment ids,
 * indices in range, with backend_util's messages) depend on the values of indices and segmentIds, so those two
 * small int32 vectors are read back (one counted host round trip, as every GPU backend must); the sums run on the
 * device (codegen/gather.ts), the mean divides by each segment's count.
 */
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { sparseSegmentSource } from '../codegen/gather.ts';
import { countHostTrip } from '../host_trips.ts';
import { runElementwise } from '../ops/elementwise.ts';
import { fillWith } from '../ops/fill.ts';
import { gridFor } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';
import { elementwiseFor } from './elementwise.ts';

/** tfjs-backend-cpu's checks of sparseSegmentReductionImpl, without the data; returns the output's row count. */
export function sparseSegmentRows(indices: ArrayLike<number>, segmentIds: ArrayLike<number>, dataRows: number): number {
  const numIndices = indices.length;
  const outputRows = numIndices > 0 ? segmentIds[numIndices - 1]! + 1 : 0;
  if (outputRows < 0) throw new Error(backend_util.getSparseSegmentReductionNegativeSegmentIdsErrorMessage());
  if (numIndices === 0) return outputRows;
  if (outputRows <= 0) throw new Error(backend_util.getSparseSegmentReductionNegativeSegmentIdsErrorMessage());
  let start = 0, end = 1;
  let outIndex = segmentIds[start]!;
  for (;;) {
    let nextIndex = 0;
    if (end < numIndices) {
      nextIndex = segmentIds[end]!;
      if (outIndex === nextIndex) {
        ++end;
        continue;
      }
      if (outIndex >= nextIndex) throw new Error(backend_util.getSparseSegmentReductionNonIncreasingSegmentIdsErrorMessage());
    }
    if (outIndex < 0 || outIndex >= outputRows) throw new Error(backend_util.getSparseSegmentReductionSegmentIdOutOfRangeErrorMessage(outIndex, outputRows));
    for (let i = start; i < end; ++i) {
      const index = indices[i]!;
      if (index < 0 || index >= dataRows) throw new Error(backend_util.getSparseSegmentReductionIndicesOutOfRangeErrorMessage(i, index, dataRows));
    }
    start = end;
    ++end;
    outIndex = nextIndex;
    if (end > numIndices) break;
  }
  return outputRows;
}

const sparseSegment = (mean: boolean, name: string): KernelFunc => ({ inputs, backend }) => {
  const b = backend as CudaBackend;
  const data = inputs.data as TensorInfo, indices = inputs.indices as TensorInfo, segmentIds = inputs.segmentIds as TensorInfo;
  // tfjs-backend-cpu's shape checks and messages.
  if (data.shape.length < 1) throw new Error('Data should be at least 1 dimensional but received scalar');
  if (indices.shape.length !== 1) throw new Error(`Indices should be a vector but received shape\n         ${indices.shape}`);
  if (segmentIds.shape.length !== 1) throw new Error(`Segment ids should be a vector but received shape\n         ${segmentIds.shape}`);
  if (indices.shape[0] !== segmentIds.shape[0]) throw new Error('segmentIds and indices should have same size.');
  const dtype = deviceDtype(data.dtype, name);
  countHostTrip(`${name} (reads its indices and segment ids)`);
  const idx = b.readSync(indices.dataId) as Int32Array, seg = b.readSync(segmentIds.dataId) as Int32Array;
  const rows = sparseSegmentRows(idx, seg, data.shape[0]!);
  const cols = data.shape[0] === 0 ? 0 : util.sizeFromShape(data.shape) / data.shape[0]!;
  const out = b.makeOutput([rows, ...data.shape.slice(1)], data.dtype);
  fillWith(b, out, 0);
  const n = idx.length * cols;
  if (n === 0 || rows === 0) return out;
  const { source, entry } = sparseSegmentSource(dtype);
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
    arg.ptr(b.ptr(out)), arg.ptr(b.ptr(data)), arg.ptr(b.ptr(indices)), arg.ptr(b.ptr(segmentIds)), arg.u64(n), arg.u64(cols),
  ]);
  if (!mean) return out;
  const counts = new Float32Array(rows).fill(0);
  for (const s of seg) counts[s]!++;
  for (let r = 0; r < rows; r++) if (counts[r] === 0) counts[r] = 1;
  const divisor = b.makeTensorInfo([rows, ...data.shape.slice(1).map(() => 1)], data.dtype, data.dtype === 'float32' ? counts : Int32Array.from(counts));
  const { op, outDtype } = elementwiseFor('RealDiv', data.dtype);
  const result = runElementwise(b, { name: 'RealDiv', op, inputs: [out, divisor], outDtype });
  b.disposeIntermediate(out);
  b.disposeIntermediate(divisor);
  return result;
};

export const sparseSegmentSumConfig: KernelConfig = { kernelName: 'SparseSegmentSum', backendName: 'cuda', kernelFunc: sparseSegment(false, 'SparseSegmentSum') };
export const sparseSegmentMeanConfig: KernelConfig = { kernelName: 'SparseSegmentMean', backendName: 'cuda', kernelFunc: sparseSegment(true, 'SparseSegmentMean') };
