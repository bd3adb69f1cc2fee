/**
 * FusebenchSDPA on the tensorflow backend: TensorFlow has no fused attention op on CPU, so it is composed of TF ops:
 * the scores as FusebenchQKTSoftmax composes them (Mul, BatchMatMulV2, Softmax), then BatchMatMulV2 with v.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SDPA } from '../names.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';
import { asTensor } from '../common/tf_exec.ts';
import { scaledScores } from '../qkt_softmax/tensorflow.ts';

export function sdpaTensorflow(args: { inputs: Record<string, TensorInfo>; attrs?: Record<string, unknown> }): TensorInfo {
  const q = requireInput(args.inputs, 'q', SDPA);
  const k = requireInput(args.inputs, 'k', SDPA);
  const v = requireInput(args.inputs, 'v', SDPA);
  const { d } = attentionDims({ q, k, v }, SDPA);
  const scale = attentionScale(args.attrs?.scale, d, SDPA);
  return tf.tidy(() => tf.matMul(scaledScores(q, k, scale), asTensor(v)));
}

export const sdpaTensorflowConfig: KernelConfig = { kernelName: SDPA, backendName: 'tensorflow', kernelFunc: sdpaTensorflow as unknown as KernelFunc };
