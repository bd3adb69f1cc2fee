/** FusebenchAddRelu on the tensorflow backend: TensorFlow has no fused add + ReLU, so it is Add then Relu, composed. */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ADD_RELU } from '../names.ts';
import { requireInput, sameShape } from '../common/shape_checks.ts';
import { asTensor } from '../common/tf_exec.ts';

export function addReluTensorflow(args: { inputs: Record<string, TensorInfo> }): TensorInfo {
  const a = requireInput(args.inputs, 'a', ADD_RELU);
  const b = requireInput(args.inputs, 'b', ADD_RELU);
  sameShape(a, b, ADD_RELU);
  return tf.tidy(() => tf.relu(tf.add(asTensor(a), asTensor(b))));
}

export const addReluTensorflowConfig: KernelConfig = { kernelName: ADD_RELU, backendName: 'tensorflow', kernelFunc: addReluTensorflow as unknown as KernelFunc };
