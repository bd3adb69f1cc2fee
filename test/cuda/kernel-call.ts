/** Calls a fusebench kernel by name through the engine (the suites do this through kernels/ops.ts). */
import * as tf from '@tensorflow/tfjs-core';

export function runKernelOp(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
}
