/** FusebenchAddRelu on cuda: max(a + b, 0) in one element-wise pass (the template, vectorised 4-wide). */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import { FLOAT_OPS } from '../../backends/cuda/codegen/elementwise.ts';
import { runElementwise } from '../../backends/cuda/ops/elementwise.ts';
import { ADD_RELU } from '../names.ts';
import { requireInput, sameShape } from '../common/shape_checks.ts';

const addRelu: KernelFunc = ({ inputs, backend }) => {
  const ins = inputs as Record<string, TensorInfo>;
  const a = requireInput(ins, 'a', ADD_RELU), b = requireInput(ins, 'b', ADD_RELU);
  sameShape(a, b, ADD_RELU);
  return runElementwise(backend as CudaBackend, { name: 'addRelu', op: FLOAT_OPS.addRelu!, inputs: [a, b], outDtype: 'float32' });
};

export const addReluCudaConfig: KernelConfig = { kernelName: ADD_RELU, backendName: 'cuda', kernelFunc: addRelu };
