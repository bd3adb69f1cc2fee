/** FusebenchLayerNorm on tfjs-backend-cpu: one pass per row (layer_norm/compute.ts). tfjs has no fused LayerNorm. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { LAYER_NORM } from '../names.ts';
import { cpuOutput, cpuValues } from '../common/cpu_data.ts';
import { layerNormDims, layerNormEpsilon, requireInput } from '../common/shape_checks.ts';
import { layerNormRows } from './compute.ts';

export function layerNormCpu(args: { inputs: Record<string, TensorInfo>; backend: MathBackendCPU; attrs?: Record<string, unknown> }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = requireInput(inputs, 'x', LAYER_NORM);
  const gamma = requireInput(inputs, 'gamma', LAYER_NORM);
  const beta = requireInput(inputs, 'beta', LAYER_NORM);
  const { rows, d } = layerNormDims(x, gamma, beta, LAYER_NORM);
  const out = new Float32Array(rows * d);
  layerNormRows(
    cpuValues(backend, x, LAYER_NORM, 'x'), 0, cpuValues(backend, gamma, LAYER_NORM, 'gamma'), 0,
    cpuValues(backend, beta, LAYER_NORM, 'beta'), 0, out, 0, rows, d, layerNormEpsilon(attrs?.epsilon, LAYER_NORM),
  );
  return cpuOutput(backend, [...x.shape], out);
}

export const layerNormCpuConfig: KernelConfig = {
  kernelName: LAYER_NORM,
  backendName: 'cpu',
  kernelFunc: layerNormCpu as unknown as KernelFunc,
};
