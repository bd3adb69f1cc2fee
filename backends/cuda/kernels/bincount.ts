/**
 * Bincount and DenseBincount on cuda: counts (or weight sums) by atomicAdd into a zeroed output of the weights'
 * dtype, values ≥ size skipped, negative values refused as cpu refuses them; DenseBincount's binaryOutput on a 2-D input stores 1 (tfjs-backend-cpu's
 * rules: a 1-D DenseBincount ignores binaryOutput there, and so it does here).
 */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { bincountSource } from '../codegen/gather.ts';
import { fillWith } from '../ops/fill.ts';
import { intRange } from '../ops/int_range.ts';
import { gridFor } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';

function bincount(b: CudaBackend, x: TensorInfo, weights: TensorInfo, size: number, binary: boolean): TensorInfo {
  // tfjs-backend-cpu refuses negative values; their range is read back once per x tensor (ops/int_range.ts).
  if (intRange(b, x, 'Bincount (value check)')[0] < 0) throw new Error('Input x must be non-negative!');
  const rows = x.shape.length === 2 ? x.shape[0]! : 1;
  const out = b.makeOutput(x.shape.length === 2 ? [rows, size] : [size], weights.dtype);
  fillWith(b, out, 0);
  const n = util.sizeFromShape(x.shape);
  if (n === 0 || size === 0) return out;
  const withWeights = util.sizeFromShape(weights.shape) > 0;
  const { source, entry } = bincountSource(deviceDtype(weights.dtype, 'Bincount'));
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
    arg.ptr(b.ptr(out)), arg.ptr(b.ptr(x)), arg.ptr(withWeights ? b.ptr(weights) : 0), arg.u64(n), arg.u64(n / rows), arg.u64(size), arg.i32(binary ? 1 : 0),
  ]);
  return out;
}

export const bincountConfig: KernelConfig = {
  kernelName: 'Bincount',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => bincount(backend as CudaBackend, inputs.x as TensorInfo, inputs.weights as TensorInfo, attrs!.size as number, false),
};

export const denseBincountConfig: KernelConfig = {
  kernelName: 'DenseBincount',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    if (x.shape.length > 2) throw new Error(`Error in denseBincount: input must be at most rank 2, but got rank${x.shape.length}.`);
    return bincount(backend as CudaBackend, x, inputs.weights as TensorInfo, attrs!.size as number, x.shape.length === 2 && Boolean(attrs!.binaryOutput));
  },
};
