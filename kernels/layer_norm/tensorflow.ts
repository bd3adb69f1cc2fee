/**
 * FusebenchLayerNorm on the tensorflow backend: one `_MklLayerNorm` (oneDNN's LayerNorm op) for rank-2 and rank-3
 * inputs where this TensorFlow has it; else, and for other ranks, composed of TF ops (common/tf_fused.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { LAYER_NORM } from '../names.ts';
import { layerNormDims, layerNormEpsilon, requireInput } from '../common/shape_checks.ts';
import { asTensor, nodeBackendOf } from '../common/tf_exec.ts';
import { layerNormAttrs, tensorflowPlan } from '../common/tf_fused.ts';

export function layerNormTensorflow(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = requireInput(inputs, 'x', LAYER_NORM);
  const gamma = requireInput(inputs, 'gamma', LAYER_NORM);
  const beta = requireInput(inputs, 'beta', LAYER_NORM);
  layerNormDims(x, gamma, beta, LAYER_NORM);
  const epsilon = layerNormEpsilon(attrs?.epsilon, LAYER_NORM);
  const node = nodeBackendOf(backend, LAYER_NORM);
  const plan = tensorflowPlan(node.binding, LAYER_NORM);
  if (plan.kind === 'fused' && (x.shape.length === 2 || x.shape.length === 3)) {
    return node.executeSingleOutput(plan.op.op, layerNormAttrs(node.binding, plan.op, epsilon), [x, gamma, beta]);
  }
  return tf.tidy(() => {
    const xt = asTensor(x);
    const centred = tf.sub(xt, tf.mean(xt, -1, true));
    const variance = tf.mean(tf.square(centred), -1, true);
    return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, epsilon))), asTensor(gamma)), asTensor(beta));
  });
}

export const layerNormTensorflowConfig: KernelConfig = {
  kernelName: LAYER_NORM,
  backendName: 'tensorflow',
  kernelFunc: layerNormTensorflow as unknown as KernelFunc,
};
