/** SearchSorted on cuda: one binary search per value in its batch row of the sorted sequence (left or right side). */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { searchSortedSource } from '../codegen/gather.ts';
import { gridFor } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';

export const searchSortedConfig: KernelConfig = {
  kernelName: 'SearchSorted',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const sorted = inputs.sortedSequence as TensorInfo, values = inputs.values as TensorInfo;
    const out = b.makeOutput(values.shape, 'int32');
    const n = util.sizeFromShape(values.shape);
    if (n === 0) return out;
    const { source, entry } = searchSortedSource(deviceDtype(sorted.dtype, 'SearchSorted'));
    b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
      arg.ptr(b.ptr(out)), arg.ptr(b.ptr(sorted)), arg.ptr(b.ptr(values)), arg.u64(n), arg.u64(values.shape[1]!), arg.u64(sorted.shape[1]!), arg.i32(attrs!.side === 'right' ? 1 : 0),
    ]);
    return out;
  },
};
