/**
 * ScatterNd, TensorScatterUpdate and SparseToDense on cuda: the output starts as zeros, the tensor, or the default
 * value (broadcast on the device: no read-back), then one scatter pass (backend_util.calculateShapes's slots).
 * ScatterNd sums duplicate indices (atomicAdd) as tfjs-backend-cpu does; the others store, one duplicate winning.
 */
import { backend_util, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { scatterSource } from '../codegen/gather.ts';
import { fillWith } from '../ops/fill.ts';
import { runElementwise } from '../ops/elementwise.ts';
import { gridFor, l8 } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';

function scatter(b: CudaBackend, out: TensorInfo, indices: TensorInfo, updates: TensorInfo, shape: readonly number[], sum: boolean): void {
  const { sliceRank, numUpdates, sliceSize, strides, outputSize } = backend_util.calculateShapes(updates as never, indices as never, shape as number[]);
  const n = numUpdates * sliceSize;
  if (n === 0 || outputSize === 0) return;
  if (sliceRank > 8) throw new Error(`not implemented on cuda: scatter with index depth ${sliceRank} (max 8)`);
  const { source, entry } = scatterSource(deviceDtype(out.dtype, 'scatter'), sum);
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
    arg.ptr(b.ptr(out)), arg.ptr(b.ptr(updates)), arg.ptr(b.ptr(indices)), arg.u64(n), arg.i32(sliceRank), arg.u64(sliceSize),
    arg.u64(outputSize / sliceSize), l8(strides), arg.i32(updates.shape.length === 0 ? 1 : 0),
  ]);
}

export const scatterNdConfig: KernelConfig = {
  kernelName: 'ScatterNd',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const indices = inputs.indices as TensorInfo, updates = inputs.updates as TensorInfo;
    const shape = attrs!.shape as number[];
    const out = b.makeOutput(shape, updates.dtype);
    fillWith(b, out, 0);
    scatter(b, out, indices, updates, shape, true);
    return out;
  },
};

export const tensorScatterUpdateConfig: KernelConfig = {
  kernelName: 'TensorScatterUpdate',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as CudaBackend;
    const tensor = inputs.tensor as TensorInfo, indices = inputs.indices as TensorInfo, updates = inputs.updates as TensorInfo;
    const out = runElementwise(b, { name: 'Identity', op: { expr: 'a', arity: 1 }, inputs: [tensor], outDtype: tensor.dtype });
    scatter(b, out, indices, updates, tensor.shape, false);
    return out;
  },
};

export const sparseToDenseConfig: KernelConfig = {
  kernelName: 'SparseToDense',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const sparseIndices = inputs.sparseIndices as TensorInfo, sparseValues = inputs.sparseValues as TensorInfo, defaultValue = inputs.defaultValue as TensorInfo;
    const outputShape = attrs!.outputShape as number[];
    const dtype = sparseValues.dtype;
    deviceDtype(dtype, 'SparseToDense');
    // The default value broadcast over the output (a scalar read on the device, as the element-wise template's scalar mode).
    const out = runElementwise(b, {
      name: 'Broadcast', op: { expr: 'a', arity: 1 }, inputs: [defaultValue], outDtype: dtype,
      layout: { outShape: outputShape, strides: [outputShape.map(() => 0)] },
    });
    if (util.sizeFromShape(outputShape) > 0) scatter(b, out, sparseIndices, sparseValues, outputShape, false);
    return out;
  },
};
