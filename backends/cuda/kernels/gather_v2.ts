/**
 * GatherV2 and GatherNd on cuda. GatherV2 checks its indices as tfjs-backend-cpu does, with cpu's message (the
 * range is read back once per indices tensor: ops/int_range.ts), then gathers in one pass over
 * [batch, outer, indices, slice] (backend_util's collectGatherOpShapeInfo).
 */
import { backend_util, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { deviceDtype } from '../backend.ts';
import { gatherNdSource, gatherSource } from '../codegen/gather.ts';
import { intRange } from '../ops/int_range.ts';
import { arg } from '../runtime/launcher.ts';
import { gridFor, l8 } from '../ops/struct_args.ts';

function checkIndices(b: CudaBackend, indices: TensorInfo, axisDim: number): void {
  const [lo, hi] = intRange(b, indices, 'GatherV2 (index check)');
  if (lo >= 0 && hi <= axisDim - 1) return;
  // The error path: the first offending index in order, as cpu reports it.
  const values = b.readSync(indices.dataId) as Int32Array;
  const bad = values.find((v) => v < 0 || v > axisDim - 1)!;
  throw new Error(`GatherV2: the index value ${bad} is not in [0, ${axisDim - 1}]`);
}

export const gatherV2Config: KernelConfig = {
  kernelName: 'GatherV2',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo, indices = inputs.indices as TensorInfo;
    deviceDtype(x.dtype, 'GatherV2');
    const axis = util.parseAxisParam(attrs!.axis as number, x.shape)[0]!;
    const batchDims = (attrs!.batchDims as number | undefined) ?? 0;
    checkIndices(b, indices, x.shape[axis]!);
    const info = backend_util.segment_util.collectGatherOpShapeInfo(x as never, indices as never, axis, batchDims);
    const nIdx = util.sizeFromShape(indices.shape);
    const out = b.makeOutput(info.outputShape, x.dtype);
    const n = util.sizeFromShape(info.outputShape);
    if (n === 0) return out;
    const { source, entry } = gatherSource();
    b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
      arg.ptr(b.ptr(out)), arg.ptr(b.ptr(x)), arg.ptr(b.ptr(indices)), arg.u64(n),
      arg.u64(info.outerSize), arg.u64(nIdx / info.batchSize), arg.u64(info.dimSize), arg.u64(info.sliceSize),
    ]);
    return out;
  },
};

export const gatherNdConfig: KernelConfig = {
  kernelName: 'GatherNd',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as CudaBackend;
    const params = inputs.params as TensorInfo, indices = inputs.indices as TensorInfo;
    deviceDtype(params.dtype, 'GatherNd');
    const sliceRank = indices.shape[indices.shape.length - 1]!;
    const [resultShape, numSlices, sliceSize, strides] = backend_util.prepareAndValidate(params as never, indices as never);
    const out = b.makeOutput(resultShape, params.dtype);
    const n = numSlices * sliceSize;
    if (n === 0) return out;
    if (sliceRank > 8) throw new Error(`not implemented on cuda: GatherNd with index depth ${sliceRank} (max 8)`);
    const { source, entry } = gatherNdSource();
    b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
      arg.ptr(b.ptr(out)), arg.ptr(b.ptr(params)), arg.ptr(b.ptr(indices)), arg.u64(n), arg.i32(sliceRank), arg.u64(sliceSize),
      l8(strides), l8(params.shape.slice(0, sliceRank)),
    ]);
    return out;
  },
};
