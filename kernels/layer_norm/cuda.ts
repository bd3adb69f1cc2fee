/** FusebenchLayerNorm on cuda: one block per row, two-pass mean/variance, one launch. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import { layerNormSource, rowThreads } from '../../backends/cuda/codegen/rowwise.ts';
import { arg } from '../../backends/cuda/runtime/launcher.ts';
import { LAYER_NORM } from '../names.ts';
import { layerNormDims, layerNormEpsilon, requireInput } from '../common/shape_checks.ts';

const layerNorm: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const ins = inputs as Record<string, TensorInfo>;
  const x = requireInput(ins, 'x', LAYER_NORM), gamma = requireInput(ins, 'gamma', LAYER_NORM), beta = requireInput(ins, 'beta', LAYER_NORM);
  const { rows, d } = layerNormDims(x, gamma, beta, LAYER_NORM);
  const eps = layerNormEpsilon(attrs?.epsilon, LAYER_NORM);
  const out = b.makeOutput(x.shape, 'float32');
  if (rows === 0 || d === 0) return out;
  const { source, entry } = layerNormSource();
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), [rows], [rowThreads(d)], [
    arg.ptr(b.ptr(out)), arg.ptr(b.ptr(x)), arg.ptr(b.ptr(gamma)), arg.ptr(b.ptr(beta)), arg.u64(d), arg.f32(eps),
  ]);
  return out;
};

export const layerNormCudaConfig: KernelConfig = { kernelName: LAYER_NORM, backendName: 'cuda', kernelFunc: layerNorm };
