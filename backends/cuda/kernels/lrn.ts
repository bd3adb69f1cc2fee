/** LRN and LRNGrad on cuda (codegen/misc.ts): tfjs-backend-cpu's window over the channels of NHWC, in double. */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { lrnGradSource, lrnSource } from '../codegen/misc.ts';
import { f64, gridFor } from '../ops/struct_args.ts';
import { arg, type KernelArg } from '../runtime/launcher.ts';


interface LrnAttrs { depthRadius: number; bias: number; alpha: number; beta: number }

function params(x: TensorInfo, a: LrnAttrs): KernelArg[] {
  return [arg.i32(x.shape[3]!), arg.i32(a.depthRadius), f64(a.bias), f64(a.alpha), f64(a.beta)];
}

export const lrnConfig: KernelConfig = {
  kernelName: 'LRN',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo;
    if (x.dtype !== 'float32') throw new Error(`not implemented on cuda: LRN for dtype ${x.dtype}`);
    const out = b.makeOutput(x.shape, 'float32');
    const n = util.sizeFromShape(x.shape);
    if (n === 0) return out;
    const { source, entry } = lrnSource();
    b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [arg.ptr(b.ptr(out)), arg.ptr(b.ptr(x)), arg.u64(n), ...params(x, attrs as unknown as LrnAttrs)]);
    return out;
  },
};

export const lrnGradConfig: KernelConfig = {
  kernelName: 'LRNGrad',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo, y = inputs.y as TensorInfo, dy = inputs.dy as TensorInfo;
    const out = b.makeOutput(dy.shape, 'float32');
    const n = util.sizeFromShape(dy.shape);
    if (n === 0) return out;
    const { source, entry } = lrnGradSource();
    b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
      arg.ptr(b.ptr(out)), arg.ptr(b.ptr(x)), arg.ptr(b.ptr(y)), arg.ptr(b.ptr(dy)), arg.u64(n), ...params(dy, attrs as unknown as LrnAttrs),
    ]);
    return out;
  },
};
