/**
 * tfjs fused activations after a GEMM or conv. linear and relu (with a [N] bias) fold into the
 * cuBLASLt epilogue; the others run as one extra element-wise pass — correct, and named as such.
 */
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { FLOAT_OPS } from '../codegen/elementwise.ts';
import { runElementwise } from './elementwise.ts';

export type TfjsActivation = 'linear' | 'relu' | 'relu6' | 'prelu' | 'leakyrelu' | 'sigmoid' | 'elu';

/** Whether `bias` can be the epilogue's per-column vector for an output whose last axis is `n`. */
export function isColumnBias(bias: TensorInfo | undefined, n: number): boolean {
  return bias !== undefined && util.sizeFromShape(bias.shape) === n && bias.shape[bias.shape.length - 1] === n && bias.dtype === 'float32';
}

/** Applies `act` to `x` (consumed: disposed when a new tensor is returned). */
export function applyActivation(b: CudaBackend, x: TensorInfo, act: TfjsActivation, prelu?: TensorInfo, leakyAlpha?: number): TensorInfo {
  if (act === 'linear') return x;
  let out: TensorInfo;
  switch (act) {
    case 'relu':
      out = runElementwise(b, { name: 'Relu', op: FLOAT_OPS.Relu!, inputs: [x], outDtype: 'float32' });
      break;
    case 'relu6':
      out = runElementwise(b, { name: 'Relu6', op: FLOAT_OPS.Relu6!, inputs: [x], outDtype: 'float32' });
      break;
    case 'sigmoid':
      out = runElementwise(b, { name: 'Sigmoid', op: FLOAT_OPS.Sigmoid!, inputs: [x], outDtype: 'float32' });
      break;
    case 'elu':
      out = runElementwise(b, { name: 'Elu', op: FLOAT_OPS.Elu!, inputs: [x], outDtype: 'float32' });
      break;
    case 'leakyrelu':
      out = runElementwise(b, { name: 'LeakyRelu', op: FLOAT_OPS.LeakyRelu!, inputs: [x], outDtype: 'float32', params: [leakyAlpha ?? 0.2] });
      break;
    case 'prelu':
      if (!prelu) throw new Error('cuda: prelu activation without preluActivationWeights');
      out = runElementwise(b, { name: 'Prelu', op: FLOAT_OPS.Prelu!, inputs: [x, prelu], outDtype: 'float32' });
      break;
    default:
      throw new Error(`not implemented on cuda: fused activation "${act as string}"`);
  }
  b.disposeIntermediate(x);
  return out;
}

/** x + bias with broadcasting (consumes x). */
export function addBias(b: CudaBackend, x: TensorInfo, bias: TensorInfo): TensorInfo {
  const out = runElementwise(b, { name: 'Add', op: FLOAT_OPS.Add!, inputs: [x, bias], outDtype: 'float32' });
  b.disposeIntermediate(x);
  return out;
}
