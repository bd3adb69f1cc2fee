/** BatchMatMul and _FusedMatMul on cuda through cuBLASLt, with bias and ReLU in its epilogue. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { runMatmul } from '../ops/matmul.ts';
import { addBias, applyActivation, isColumnBias, type TfjsActivation } from '../ops/activation.ts';

const batchMatMul: KernelFunc = ({ inputs, backend, attrs }) =>
  runMatmul(backend as CudaBackend, {
    a: inputs.a as TensorInfo,
    b: inputs.b as TensorInfo,
    transposeA: Boolean(attrs!.transposeA),
    transposeB: Boolean(attrs!.transposeB),
    act: 'none',
    name: 'BatchMatMul',
  });

const fusedMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const a = inputs.a as TensorInfo, w = inputs.b as TensorInfo;
  const bias = inputs.bias as TensorInfo | undefined;
  const prelu = inputs.preluActivationWeights as TensorInfo | undefined;
  const transposeA = Boolean(attrs!.transposeA), transposeB = Boolean(attrs!.transposeB);
  const activation = ((attrs!.activation as string | undefined) ?? 'linear') as TfjsActivation;
  const n = transposeB ? w.shape[w.shape.length - 2]! : w.shape[w.shape.length - 1]!;
  const epilogueBias = isColumnBias(bias, n);
  // ReLU folds into the epilogue only when the bias (if any) is applied there too, before it.
  const epilogueAct = activation === 'relu' && (epilogueBias || !bias) ? 'relu' : 'none';
  let out = runMatmul(b, { a, b: w, transposeA, transposeB, bias: epilogueBias ? bias : undefined, act: epilogueAct, name: '_FusedMatMul' });
  if (bias && !epilogueBias) {
    out = addBias(b, out, bias);
    if (activation === 'relu') out = applyActivation(b, out, 'relu');
  }
  if (activation !== 'linear' && activation !== 'relu') out = applyActivation(b, out, activation, prelu, attrs!.leakyreluAlpha as number | undefined);
  return out;
};

export const matmulConfigs: KernelConfig[] = [
  { kernelName: 'BatchMatMul', backendName: 'cuda', kernelFunc: batchMatMul },
  { kernelName: '_FusedMatMul', backendName: 'cuda', kernelFunc: fusedMatMul },
];
