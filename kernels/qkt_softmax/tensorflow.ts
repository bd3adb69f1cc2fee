/**
 * FusebenchQKTSoftmax on the tensorflow backend: TensorFlow has no fused q·kᵀ + softmax op on CPU, so it is
 * composed of TF ops: q·scale (the smaller operand), BatchMatMulV2 reading k transposed, Softmax.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { QKT_SOFTMAX } from '../names.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';
import { asTensor } from '../common/tf_exec.ts';

/** softmax(q·scale·kᵀ) as tfjs ops (one TF op each); SDPA's tensorflow kernel shares it. */
export function scaledScores(q: TensorInfo, k: TensorInfo, scale: number): tf.Tensor {
  return tf.softmax(tf.matMul(tf.mul(asTensor(q), scale), asTensor(k), false, true));
}

export function qktSoftmaxTensorflow(args: { inputs: Record<string, TensorInfo>; attrs?: Record<string, unknown> }): TensorInfo {
  const q = requireInput(args.inputs, 'q', QKT_SOFTMAX);
  const k = requireInput(args.inputs, 'k', QKT_SOFTMAX);
  const { d } = attentionDims({ q, k }, QKT_SOFTMAX);
  const scale = attentionScale(args.attrs?.scale, d, QKT_SOFTMAX);
  return tf.tidy(() => scaledScores(q, k, scale));
}

export const qktSoftmaxTensorflowConfig: KernelConfig = { kernelName: QKT_SOFTMAX, backendName: 'tensorflow', kernelFunc: qktSoftmaxTensorflow as unknown as KernelFunc };
