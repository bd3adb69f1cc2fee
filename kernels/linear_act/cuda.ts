/**
 * FusebenchLinearAct on cuda: act(a·b + bias) as one cuBLASLt matmul whose epilogue adds the bias and, for
 * 'relu', applies it; 'gelu_tanh' is cuBLASLt's GELU_BIAS epilogue (the tanh approximation), also one kernel.
 * 'gelu' is the contract's exact erf form, which cuBLASLt lacks (its GELU differs from it by up to 4.7e-4 at
 * x ≈ −2.7), so it is the bias epilogue plus one exact element-wise pass; 'silu' (no cuBLASLt epilogue) likewise.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import type { ElementwiseOp } from '../../backends/cuda/codegen/elementwise.ts';
import { runMatmul } from '../../backends/cuda/ops/matmul.ts';
import { runElementwise } from '../../backends/cuda/ops/elementwise.ts';
import { LINEAR_ACT } from '../names.ts';
import { linearActDims, requireInput } from '../common/shape_checks.ts';
import { parseActivation, type Activation } from '../common/activation.ts';

/** How each activation runs on cuda: in the cuBLASLt epilogue (one kernel) or as one extra pass. */
export const LINEAR_ACT_PATH: Readonly<Record<Activation, string>> = {
  linear: 'cuBLASLt BIAS epilogue (1 kernel)',
  relu: 'cuBLASLt RELU_BIAS epilogue (1 kernel)',
  gelu_tanh: 'cuBLASLt GELU_BIAS epilogue, tanh approximation (1 kernel)',
  gelu: 'cuBLASLt BIAS epilogue + exact erf GELU pass (2 kernels)',
  silu: 'cuBLASLt BIAS epilogue + SiLU pass (2 kernels)',
};

/** The extra pass of the activations cuBLASLt has no epilogue for (the contract's exact erf GELU, and SiLU). */
export const EPILOGUE_PASS: Readonly<Record<'gelu' | 'silu', ElementwiseOp>> = {
  gelu: { expr: '(0.5f * a * (1.f + erff(a * 0.70710678118654752f)))', arity: 1 },
  silu: { expr: '(a / (1.f + expf(-a)))', arity: 1 },
};

const linearAct: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const a = requireInput(inputs as Record<string, TensorInfo>, 'a', LINEAR_ACT);
  const w = requireInput(inputs as Record<string, TensorInfo>, 'b', LINEAR_ACT);
  const bias = requireInput(inputs as Record<string, TensorInfo>, 'bias', LINEAR_ACT);
  linearActDims(a, w, bias, LINEAR_ACT);
  const act = parseActivation(attrs?.activation, LINEAR_ACT);
  const epilogue = act === 'relu' ? 'relu' : act === 'gelu_tanh' ? 'geluTanh' : 'none';
  const out = runMatmul(b, { a, b: w, transposeA: false, transposeB: false, bias, act: epilogue, name: LINEAR_ACT });
  if (act !== 'gelu' && act !== 'silu') return out;
  // A new output, not in place: the template's pointers are __restrict__.
  const y = runElementwise(b, { name: act, op: EPILOGUE_PASS[act], inputs: [out], outDtype: 'float32' });
  b.disposeIntermediate(out);
  return y;
};

export const linearActCudaConfig: KernelConfig = { kernelName: LINEAR_ACT, backendName: 'cuda', kernelFunc: linearAct };
