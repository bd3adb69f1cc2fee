/**
 * FusebenchLinearAct on the tensorflow backend (tfjs-node): act(a·b + bias) as one TensorFlow op where TensorFlow
 * fuses it, `_FusedMatMul` [BiasAdd(, Relu)] or oneDNN's `_MklNativeFusedMatMul` [BiasAdd, GeluExact |
 * GeluApproximate]; else composed of TF ops (common/tf_fused.ts says which, and why).
 *
 * Why not tfjs-node's own `_FusedMatMul` kernel: it is not fused. It runs matMul, add and the activation as
 * separate TF ops, plus tfjs-core's Reshapes around them (tfjs-node 4.22.0 dist/kernels/_FusedMatMul.js; pinned in
 * test/findings/tfjs_node_fused_ops.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { LINEAR_ACT } from '../names.ts';
import { activationCode, type Activation } from '../common/activation.ts';
import { linearActDims, requireInput } from '../common/shape_checks.ts';
import { asTensor, nodeBackendOf } from '../common/tf_exec.ts';
import { fusedMatMulAttrs, tensorflowPlan } from '../common/tf_fused.ts';

const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'gelu', 'silu', 'gelu_tanh'];

/** The epilogue as tfjs ops (one TF op each), written as the Linear suites' unfused variants write it. */
function epilogue(h: tf.Tensor, act: Activation): tf.Tensor {
  switch (act) {
    case 'linear': return h;
    case 'relu': return tf.relu(h);
    case 'gelu': return tf.mul(tf.mul(h, 0.5), tf.add(1, tf.erf(tf.mul(h, Math.SQRT1_2))));
    case 'gelu_tanh': return tf.mul(tf.mul(h, tf.add(1, tf.tanh(tf.mul(tf.add(h, tf.mul(tf.mul(tf.mul(h, h), h), 0.044715)), Math.sqrt(2 / Math.PI))))), 0.5);
    case 'silu': return tf.mul(h, tf.sigmoid(h));
  }
}

export function linearActTensorflow(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const a = requireInput(inputs, 'a', LINEAR_ACT);
  const b = requireInput(inputs, 'b', LINEAR_ACT);
  const bias = requireInput(inputs, 'bias', LINEAR_ACT);
  linearActDims(a, b, bias, LINEAR_ACT);
  const act = ACTIVATIONS[activationCode(attrs?.activation, LINEAR_ACT)];
  const node = nodeBackendOf(backend, LINEAR_ACT);
  const plan = tensorflowPlan(node.binding, `FusebenchLinearAct:${act}`);
  if (plan.kind === 'fused') return node.executeSingleOutput(plan.op.op, fusedMatMulAttrs(node.binding, plan.op), [a, b, bias]);
  return tf.tidy(() => {
    if (act === 'linear' || act === 'relu') return epilogue(tf.add(tf.matMul(asTensor(a), asTensor(b)), asTensor(bias)), act);
    // The matmul + bias part runs as this kernel's linear variant (one _FusedMatMul where available).
    const h = tf.engine().runKernel(LINEAR_ACT, { a, b, bias } as unknown as tf.NamedTensorMap, { activation: 'linear' }) as tf.Tensor;
    return epilogue(h, act);
  });
}

export const linearActTensorflowConfig: KernelConfig = {
  kernelName: LINEAR_ACT,
  backendName: 'tensorflow',
  kernelFunc: linearActTensorflow as unknown as KernelFunc,
};
