/**
 * The ternary kernels on the tensorflow backend. TensorFlow has no ternary ops, so every variant is composed: the
 * op table's expression (spec.ts) printed as tfjs ops, one TF op per operation (Add, Mul, Minimum, Maximum, Neg),
 * each run through tfjs-node's kernel under this one, so tf.profile counts them. The copy yardstick is one
 * TF DeepCopy (tf.clone's Identity would share the buffer and copy nothing).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KERNEL_INPUTS, printExpr, TERNARY_KERNEL_NAMES, variantFor, type TernaryKernelName } from '../spec.ts';
import { FUSEBENCH_COPY } from '../../names.ts';
import { checkInputs, checkTrits, shouldValidate } from '../validate.ts';
import { asTensor, attrs as tfAttrs, nodeBackendOf } from '../../common/tf_exec.ts';

export function tensorflowKernelFunc(kernel: TernaryKernelName): KernelFunc {
  const names = KERNEL_INPUTS[kernel];
  const func = ({ inputs, attrs }: { inputs: Record<string, TensorInfo | undefined>; attrs?: Record<string, unknown> }): TensorInfo => {
    const infos = names.map((n) => inputs[n]);
    checkInputs(kernel, names, infos);
    const variant = variantFor(kernel, attrs);
    return tf.tidy(() => {
      const xs = infos.map((t) => asTensor(t!));
      if (shouldValidate(attrs)) xs.forEach((x, i) => checkTrits(x.dataSync() as Int32Array, `${kernel}(${variant.attrsText})`, names[i]));
      return printExpr<tf.Tensor>(variant.expr, {
        input: (i) => xs[i],
        const: (v) => tf.scalar(v, 'int32'),
        add: (l, r) => tf.add(l, r),
        mul: (l, r) => tf.mul(l, r),
        min: (l, r) => tf.minimum(l, r),
        max: (l, r) => tf.maximum(l, r),
        neg: (x) => tf.neg(x),
      });
    });
  };
  return func as unknown as KernelFunc;
}

const copyKernelFunc = (({ inputs, backend }: { inputs: Record<string, TensorInfo>; backend: unknown }): TensorInfo => {
  const node = nodeBackendOf(backend, FUSEBENCH_COPY);
  const x = inputs.x;
  return node.executeSingleOutput('DeepCopy', [tfAttrs(node.binding).type('T', x.dtype)], [x]);
}) as unknown as KernelFunc;

export function tensorflowKernelConfigs(): KernelConfig[] {
  return [
    ...TERNARY_KERNEL_NAMES.map((k) => ({ kernelName: k, backendName: 'tensorflow', kernelFunc: tensorflowKernelFunc(k) })),
    { kernelName: FUSEBENCH_COPY, backendName: 'tensorflow', kernelFunc: copyKernelFunc },
  ];
}
