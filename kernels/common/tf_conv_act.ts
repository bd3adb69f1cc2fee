/**
 * FusebenchConv2DAct and FusebenchDepthwiseConv2DAct on the tensorflow backend: act(conv(x, filter) + bias), NHWC,
 * as one TensorFlow op (`_FusedConv2D`; oneDNN's `_MklNativeFusedDepthwiseConv2dNative`) where this TensorFlow and
 * binding run it, else composed of TF ops (common/tf_fused.ts).
 *
 * Why not tfjs-node's FusedConv2D / FusedDepthwiseConv2D: they run the convolution, then add, then the activation
 * as separate TF ops (tfjs-node 4.22.0 dist/kernels/FusedConv2D.js, FusedDepthwiseConv2D.js).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ACT_RELU } from './activation.ts';
import { convInfoFor } from './conv_attrs.ts';
import { requireInput } from './shape_checks.ts';
import { asTensor, nodeBackendOf } from './tf_exec.ts';
import { fusedConvAttrs, tensorflowPlan, type TfPathKey } from './tf_fused.ts';

export function convActTensorflowKernel(kernel: string, depthwise: boolean): KernelFunc {
  const func = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const x = requireInput(inputs, 'x', kernel);
    const filter = requireInput(inputs, 'filter', kernel);
    const bias = requireInput(inputs, 'bias', kernel);
    const { info, act } = convInfoFor(x, filter, bias, attrs, depthwise, kernel);
    const activation = act === ACT_RELU ? 'relu' : 'linear';
    const pad = (attrs?.pad ?? 'same') as 'same' | 'valid';
    const node = nodeBackendOf(backend, kernel);
    const key = `${depthwise ? 'FusebenchDepthwiseConv2DAct' : 'FusebenchConv2DAct'}:${activation}` as TfPathKey;
    const plan = tensorflowPlan(node.binding, key);
    if (plan.kind === 'fused') {
      return node.executeSingleOutput(plan.op.op, fusedConvAttrs(node.binding, plan.op, [info.strideHeight, info.strideWidth], pad), [x, filter, bias]);
    }
    return tf.tidy(() => {
      const strides: [number, number] = [info.strideHeight, info.strideWidth];
      const xt = asTensor(x) as tf.Tensor4D;
      const ft = asTensor(filter) as tf.Tensor4D;
      const y = tf.add(depthwise ? tf.depthwiseConv2d(xt, ft, strides, pad) : tf.conv2d(xt, ft, strides, pad), asTensor(bias));
      return activation === 'relu' ? tf.relu(y) : y;
    });
  };
  return func as unknown as KernelFunc;
}
