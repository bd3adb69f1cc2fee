/**
 * FusebenchLinearAct on cuda: act(a·b + bias) as one cuBLASLt matmul whose epilogue adds the bias and,
 * for 'relu', applies it. cuBLASLt's GELU epilogue is the tanh approximation, which differs from the
 * contract's exact erf GELU by up to 4.7e-4 (at x ≈ −2.7): so 'gelu' (and 'silu', which cuBLASLt lacks)
 * is the bias epilogue plus one exact element-wise pass, unless FUSEBENCH_CUDA_GELU_EPILOGUE=tanh asks
 * for the single-kernel tanh epilogue (a different function; the float64 check will say so).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import { runMatmul } from '../../backends/cuda/ops/matmul.ts';
import { applyActivation } from '../../backends/cuda/ops/activation.ts';
import { LINEAR_ACT } from '../names.ts';
import { linearActDims, requireInput } from '../common/shape_checks.ts';

export type LinearActivation = 'linear' | 'relu' | 'gelu' | 'silu';

/** Whether GELU runs in cuBLASLt's (tanh-approximate) epilogue. */
export function geluInEpilogue(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const v = env.FUSEBENCH_CUDA_GELU_EPILOGUE;
  if (v === undefined || v === '' || v === 'exact') return false;
  if (v === 'tanh') return true;
  throw new Error(`FUSEBENCH_CUDA_GELU_EPILOGUE must be "exact" or "tanh" (got "${v}")`);
}

const linearAct: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const a = requireInput(inputs as Record<string, TensorInfo>, 'a', LINEAR_ACT);
  const w = requireInput(inputs as Record<string, TensorInfo>, 'b', LINEAR_ACT);
  const bias = requireInput(inputs as Record<string, TensorInfo>, 'bias', LINEAR_ACT);
  linearActDims(a, w, bias, LINEAR_ACT);
  const act = (attrs?.activation ?? 'linear') as LinearActivation;
  if (!['linear', 'relu', 'gelu', 'silu'].includes(act)) throw new Error(`${LINEAR_ACT}: attr activation must be linear, relu, gelu or silu (got ${String(act)})`);
  const tanhGelu = act === 'gelu' && geluInEpilogue();
  const out = runMatmul(b, { a, b: w, transposeA: false, transposeB: false, bias, act: act === 'relu' ? 'relu' : tanhGelu ? 'geluTanh' : 'none', name: LINEAR_ACT });
  if (act === 'gelu' && !tanhGelu) return applyActivation(b, out, 'gelu');
  if (act === 'silu') return applyActivation(b, out, 'silu');
  return out;
};

export const linearActCudaConfig: KernelConfig = { kernelName: LINEAR_ACT, backendName: 'cuda', kernelFunc: linearAct };
