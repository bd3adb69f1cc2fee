/** FusebenchAddRelu on tfjs-backend-cpu: max(a + b, 0) in one pass. tfjs has no fused add+relu. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { ADD_RELU } from '../names.ts';
import { cpuOutput, cpuValues } from '../common/cpu_data.ts';
import { requireInput, sameShape } from '../common/shape_checks.ts';
import { addReluRange } from './compute.ts';

export function addReluCpu(args: { inputs: Record<string, TensorInfo>; backend: MathBackendCPU }): TensorInfo {
  const { inputs, backend } = args;
  const a = requireInput(inputs, 'a', ADD_RELU);
  const b = requireInput(inputs, 'b', ADD_RELU);
  const size = sameShape(a, b, ADD_RELU);
  const out = new Float32Array(size);
  addReluRange(cpuValues(backend, a, ADD_RELU, 'a'), 0, cpuValues(backend, b, ADD_RELU, 'b'), 0, out, 0, size);
  return cpuOutput(backend, [...a.shape], out);
}

export const addReluCpuConfig: KernelConfig = {
  kernelName: ADD_RELU,
  backendName: 'cpu',
  kernelFunc: addReluCpu as unknown as KernelFunc,
};
