/**
 * Einsum on cuda: tfjs-backend-cpu's formulation (backend_util's equation decoding, dimension checks and compute
 * path), each step a transpose, a view with the summed axes expanded, a broadcast multiply and a sum, all cuda kernels.
 */
import { backend_util, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { runElementwise, runTranspose } from '../ops/elementwise.ts';
import { elementwiseFor } from './elementwise.ts';
import { runReduce } from './reduce.ts';

export const einsumConfig: KernelConfig = {
  kernelName: 'Einsum',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const tensors = inputs as unknown as TensorInfo[];
    const { allDims, summedDims, idDims } = backend_util.decodeEinsumEquation(attrs!.equation as string, tensors.length);
    backend_util.checkEinsumDimSizes(allDims.length, idDims, tensors as never);
    const { path, steps } = backend_util.getEinsumComputePath(summedDims, idDims);
    let out: TensorInfo | null = null;
    let remaining = allDims.length;
    const temps: TensorInfo[] = [];
    for (let i = 0; i < steps.length; ++i) {
      for (const idTerm of steps[i]!) {
        const { permutationIndices: perm, expandDims } = backend_util.getEinsumPermutation(remaining, idDims[idTerm]!);
        let x = tensors[idTerm]!;
        if (!backend_util.isIdentityPermutation(perm)) temps.push((x = runTranspose(b, x, perm)));
        const target = x.shape.slice();
        for (const d of expandDims) target.splice(d, 0, 1);
        if (!util.arraysEqual(x.shape, target)) temps.push((x = b.view(x, target)));
        if (out === null) out = x;
        else {
          const { op, outDtype } = elementwiseFor('Multiply', x.dtype);
          temps.push((out = runElementwise(b, { name: 'Multiply', op, inputs: [x, out], outDtype })));
        }
      }
      if (i < steps.length - 1) {
        if (path[i]! >= 0) temps.push((out = runReduce(b, out!, path[i]! - (allDims.length - remaining), false, 'sum', 'Sum')));
        remaining--;
      }
    }
    for (const t of temps) if (t !== out) b.disposeIntermediate(t);
    // An equation that only renames its one input returns that input: a new reference to it, as a kernel must.
    return temps.includes(out!) ? out! : b.view(out!, out!.shape);
  },
};
