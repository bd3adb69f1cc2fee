/**
 * FusebenchLinearAct on cuda: act(a·b + bias) as one cuBLASLt matmul whose epilogue adds the bias and, for
 * 'relu', applies it; 'gelu_tanh' is cuBLASLt's GELU_BIAS epilogue (the tanh approximation), also one kernel.
 * 'gelu' is the contract's exact erf form, which cuBLASLt lacks (its GELU differs from it by up to 4.7e-4 at
 * x ≈ −2.7), so it is the bias epilogue plus one exact element-wise pass; 'silu' (no cuBLASLt epilogue) likewise.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import { runMatmul } from '../../backends/cuda/ops/matmul.ts';
import { applyActivation } from '../../backends/cuda/ops/activation.ts';
import { LINEAR_ACT } from '../names.ts';
import { linearActDims, requireInput } from '../common/shape_checks.ts';

export const LINEAR_ACTIVATIONS = ['linear', 'relu', 'gelu', 'gelu_tanh', 'silu'] as const;
export type LinearActivation = (typeof LINEAR_ACTIVATIONS)[number];

/** How each activation runs on cuda: in the cuBLASLt epilogue (one kernel) or as one extra pass. */
export const LINEAR_ACT_PATH: Readonly<Record<LinearActivation, string>> = {
  linear: 'cuBLASLt BIAS epilogue (1 kernel)',
  relu: 'cuBLASLt RELU_BIAS epilogue (1 kernel)',
  gelu_tanh: 'cuBLASLt GELU_BIAS epilogue, tanh approximation (1 kernel)',
  gelu: 'cuBLASLt BIAS epilogue + exact erf GELU pass (2 kernels)',
  silu: 'cuBLASLt BIAS epilogue + SiLU pass (2 kernels)',
};

export function parseLinearActivation(v: unknown): LinearActivation {
  const act = v ?? 'linear';
  if (!(LINEAR_ACTIVATIONS as readonly unknown[]).includes(act)) {
    throw new Error(`${LINEAR_ACT}: attr "activation" must be ${LINEAR_ACTIVATIONS.join(', ')} (got ${String(act)})`);
  }
  return act as LinearActivation;
}

const linearAct: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const a = requireInput(inputs as Record<string, TensorInfo>, 'a', LINEAR_ACT);
  const w = requireInput(inputs as Record<string, TensorInfo>, 'b', LINEAR_ACT);
  const bias = requireInput(inputs as Record<string, TensorInfo>, 'bias', LINEAR_ACT);
  linearActDims(a, w, bias, LINEAR_ACT);
  const act = parseLinearActivation(attrs?.activation);
  const epilogue = act === 'relu' ? 'relu' : act === 'gelu_tanh' ? 'geluTanh' : 'none';
  const out = runMatmul(b, { a, b: w, transposeA: false, transposeB: false, bias, act: epilogue, name: LINEAR_ACT });
  if (act === 'gelu' || act === 'silu') return applyActivation(b, out, act);
  return out;
};

export const linearActCudaConfig: KernelConfig = { kernelName: LINEAR_ACT, backendName: 'cuda', kernelFunc: linearAct };
