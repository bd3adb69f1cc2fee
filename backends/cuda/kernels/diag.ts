/** Diag on cuda: a zero-filled [n, n] output and one copy of x onto its diagonal (stride n + 1). */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { fillWith } from '../ops/fill.ts';
import { copyInto } from '../ops/indexmap.ts';

export const diagConfig: KernelConfig = {
  kernelName: 'Diag',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo;
    const n = util.sizeFromShape(x.shape);
    const out = b.makeOutput([...x.shape, ...x.shape], x.dtype);
    fillWith(b, out, 0);
    const flat = b.view(x, [n]);
    copyInto(b, 'Diag', flat, out, 0, [n + 1]);
    b.disposeIntermediate(flat);
    return out;
  },
};
