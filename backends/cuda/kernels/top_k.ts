/**
 * TopK on cuda: each row of the last axis sorted by a bitonic network in scratch memory (codegen/topk.ts), the first
 * k kept: values in x's dtype, indices int32, always in cpu's sorted order (which also satisfies sorted=false).
 * log2(P)·(log2(P)+1)/2 passes for rows padded to P = 2^⌈log2 n⌉ elements.
 */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { topkSource } from '../codegen/topk.ts';
import { gridFor } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';

export const topKConfig: KernelConfig = {
  kernelName: 'TopK',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo;
    const k = attrs!.k as number;
    const n = x.shape[x.shape.length - 1]!;
    const rows = n === 0 ? 0 : util.sizeFromShape(x.shape) / n;
    const outShape = [...x.shape.slice(0, -1), k];
    const values = b.makeOutput(outShape, x.dtype);
    const indices = b.makeOutput(outShape, 'int32');
    if (rows === 0 || k === 0) return [values, indices];
    const dtype = deviceDtype(x.dtype, 'TopK');
    let P = 1;
    while (P < n) P *= 2;
    const vals = b.makeOutput([rows, P], x.dtype);
    const idx = b.makeOutput([rows, P], 'int32');
    const { source, init, step, take } = topkSource(dtype);
    const L = b.rt.launcher, C = b.rt.compiler;
    const total = rows * P;
    L.launch(C.kernel(source, init), gridFor(total), [256], [arg.ptr(b.ptr(vals)), arg.ptr(b.ptr(idx)), arg.ptr(b.ptr(x)), arg.u64(rows), arg.u64(n), arg.u64(P)]);
    const stepKernel = C.kernel(source, step);
    for (let size = 2; size <= P; size *= 2) {
      for (let j = size / 2; j >= 1; j /= 2) {
        L.launch(stepKernel, gridFor(total), [256], [arg.ptr(b.ptr(vals)), arg.ptr(b.ptr(idx)), arg.u64(rows), arg.u64(P), arg.u64(n), arg.u64(j), arg.u64(size)]);
      }
    }
    L.launch(C.kernel(source, take), gridFor(rows * k), [256], [arg.ptr(b.ptr(values)), arg.ptr(b.ptr(indices)), arg.ptr(b.ptr(vals)), arg.ptr(b.ptr(idx)), arg.u64(rows), arg.u64(P), arg.u64(k)]);
    b.disposeIntermediate(vals);
    b.disposeIntermediate(idx);
    return [values, indices];
  },
};
