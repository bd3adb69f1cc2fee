/**
 * FusebenchAddRelu on cuda: max(a + b, 0) in one pass of the backend's element-wise template (two float4
 * loads per input per thread in flight, one float4 store each). Bytes: 8 read + 4 written per element.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import type { ElementwiseOp } from '../../backends/cuda/codegen/elementwise.ts';
import { runElementwise } from '../../backends/cuda/ops/elementwise.ts';
import { ADD_RELU } from '../names.ts';
import { requireInput, sameShape } from '../common/shape_checks.ts';

/** The kernel's expression; fb_relu keeps NaN as tfjs's Relu does. */
export const ADD_RELU_OP: ElementwiseOp = { expr: 'fb_relu(a + b)', arity: 2 };

const addRelu: KernelFunc = ({ inputs, backend }) => {
  const ins = inputs as Record<string, TensorInfo>;
  const a = requireInput(ins, 'a', ADD_RELU), b = requireInput(ins, 'b', ADD_RELU);
  sameShape(a, b, ADD_RELU);
  return runElementwise(backend as CudaBackend, { name: 'addRelu', op: ADD_RELU_OP, inputs: [a, b], outDtype: 'float32' });
};

export const addReluCudaConfig: KernelConfig = { kernelName: ADD_RELU, backendName: 'cuda', kernelFunc: addRelu };
