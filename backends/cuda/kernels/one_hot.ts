/** OneHot on cuda: one pass over [indices, depth] writing the on or off value (indices outside [0, depth) are all off). */
import { util, type DataType, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { oneHotSource } from '../codegen/gather.ts';
import { valueBits } from '../ops/indexmap.ts';
import { gridFor } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';

export const oneHotConfig: KernelConfig = {
  kernelName: 'OneHot',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const indices = inputs.indices as TensorInfo;
    const { dtype, depth, onValue, offValue } = attrs as unknown as { dtype: DataType; depth: number; onValue: number; offValue: number };
    const out = b.makeOutput([...indices.shape, depth], dtype);
    const n = util.sizeFromShape(out.shape);
    if (n === 0) return out;
    const { source, entry } = oneHotSource();
    b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
      arg.ptr(b.ptr(out)), arg.ptr(b.ptr(indices)), arg.u64(n), arg.u64(depth), arg.u32(valueBits(onValue, dtype)), arg.u32(valueBits(offValue, dtype)),
    ]);
    return out;
  },
};
