/**
 * FINDINGS (tfjs-node 4.22.0 on TensorFlow 2.21.0, set up by `fusebench setup tensorflow`):
 *
 * 1. tfjs-node's `_FusedMatMul` is not fused. tf.fused.matMul with a bias and ReLU launches BatchMatMul (TF
 *    BatchMatMulV2), Add and Relu, three TF ops with three outputs, exactly what the unfused ops launch, plus
 *    tfjs-core's Reshapes (dist/kernels/_FusedMatMul.js: "Core TensorFlow does not have a fused BatchMatMul op").
 *    Its FusedConv2D likewise runs Conv2D itself, then Add and Relu as separate ops.
 * 2. Its binding cannot reach TensorFlow's fused ops: AssignOpAttr (binding/tfjs_backend.cc) sets a string attr
 *    from one string only, and TensorFlow's `_FusedMatMul` takes `fused_ops: list(string)`; given one string it
 *    refuses the op. fusebench's setup patches the binding (harness/setup/binding-patch.ts).
 * 3. TensorFlow 2.21's CPU `_FusedDepthwiseConv2dNative` accepts fused_ops [BiasAdd] and returns an empty tensor.
 *    fusebench's probe rejects it (kernels/common/tf_fused.ts) and runs oneDNN's fused depthwise op instead.
 *
 * These tests pin the behaviour: one that fails means tfjs-node or TensorFlow changed, and the routing in
 * kernels/ops.ts and kernels/common/tf_fused.ts should be revisited.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { bytesAllocated, kernelNames, profileKernels } from '../../harness/kernel-profile.ts';
import { launchCount } from '../../harness/core/launches.ts';
import { BINDING_PATCH_ID } from '../../harness/setup/binding-patch.ts';
import { attrs, probeOp, tfErrorText, type NodeBackend } from '../../kernels/common/tf_exec.ts';
import { installedTensorflowPackage } from '../../backends/tensorflow.ts';
import { TENSORFLOW_INSTALLED, useBackend } from '../suites/helpers.ts';

describe.runIf(TENSORFLOW_INSTALLED)('tfjs-node 4.22.0 findings', () => {
  let node: NodeBackend;
  beforeAll(async () => {
    await useBackend('tensorflow');
    node = tf.backend() as unknown as NodeBackend;
  });

  it('1. tf.fused.matMul with bias and ReLU launches the same three TF ops as the unfused ops, and saves no memory', async () => {
    const a = tf.tensor2d([[1, -2, 3], [4, 5, -6]]);
    const b = tf.tensor2d([[1, 0], [0, 1], [1, 1]]);
    const bias = tf.tensor1d([0.5, -0.5]);
    const fused = await profileKernels(() => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation: 'relu' }));
    const unfused = await profileKernels(() => tf.relu(tf.add(tf.matMul(a, b), bias)));
    expect(Array.from(fused.result.dataSync())).toEqual([4.5, 0.5, 0, 0]);
    expect(kernelNames(fused.kernels)).toEqual(['Reshape', 'Reshape', '_FusedMatMul__op', 'BatchMatMul', 'Add', 'Relu', 'Reshape']);
    expect(fused.kernels.flatMap((k) => k.ops ?? [])).toEqual(['Reshape', 'Reshape', 'BatchMatMulV2', 'Add', 'Relu', 'Reshape']);
    expect(launchCount(kernelNames(fused.kernels))).toBe(launchCount(kernelNames(unfused.kernels)));
    expect(bytesAllocated(fused.kernels)).toBe(bytesAllocated(unfused.kernels));
    tf.dispose([fused.result, unfused.result, a, b, bias]);
  });

  it('1. tf.fused.conv2d with bias and ReLU runs Conv2D itself, then Add and Relu as separate TF ops', async () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const filter = tf.tensor4d([1, -1], [1, 1, 1, 2]);
    const bias = tf.tensor1d([0.5, 0.5]);
    const { result, kernels } = await profileKernels(() => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, strides: 1, pad: 'same', bias, activation: 'relu' }));
    expect(Array.from(result.dataSync())).toEqual([1.5, 0, 2.5, 0, 3.5, 0, 4.5, 0]);
    expect(kernels.map((k) => [k.name, k.ops])).toEqual([['fusedConv2d__op', []], ['FusedConv2D', ['Conv2D']], ['Add', ['Add']], ['Relu', ['Relu']]]);
    expect(kernelNames(kernels)).toEqual(['FusedConv2D', 'Add', 'Relu']);
    expect(launchCount(kernelNames(kernels))).toBe(3);
    tf.dispose([result, x, filter, bias]);
  });

  it('2. TensorFlow refuses _FusedMatMul with fused_ops as the one string the stock binding can pass', () => {
    const b = node.binding;
    const a = attrs(b);
    const inputs = [tf.tensor2d([[1]]), tf.tensor2d([[2]]), tf.tensor1d([3])];
    let message = '';
    try {
      node.executeSingleOutput('_FusedMatMul', [a.type('T', 'float32'), a.string('fused_ops', 'BiasAdd'), a.int('num_args', 1)], inputs);
    } catch (e) {
      message = tfErrorText(e);
    }
    expect(message).toMatch(/AttrValue had value with type 'string' when 'list\(string\)' expected/);
    // The list form works through the binding setup patched (its source carries the patch's marker).
    const out = node.executeSingleOutput('_FusedMatMul', [a.type('T', 'float32'), a.string('fused_ops', ['BiasAdd']), a.int('num_args', 1)], inputs);
    expect(Array.from((out as tf.Tensor).dataSync())).toEqual([5]);
    const pkg = createRequire(import.meta.url).resolve(`${installedTensorflowPackage()}/package.json`);
    expect(readFileSync(pkg.replace(/package\.json$/, 'binding/tfjs_backend.cc'), 'utf8')).toContain(BINDING_PATCH_ID);
    tf.dispose([...inputs, out as tf.Tensor]);
  });

  it('3. TensorFlow 2.21 CPU _FusedDepthwiseConv2dNative [BiasAdd] returns an empty tensor', () => {
    const b = node.binding;
    expect(b.TF_Version).toMatch(/^2\.21\./);
    const a = attrs(b);
    const conv = [a.type('T', 'float32'), a.int('strides', [1, 1, 1, 1]), a.string('padding', 'SAME'), a.string('data_format', 'NHWC'), a.int('dilations', [1, 1, 1, 1]), a.int('num_args', 1)];
    const input = [{ shape: [1, 2, 2, 2], values: Float32Array.from([1, -1, 2, -2, 3, -3, 4, -4]) }, { shape: [1, 1, 2, 1], values: Float32Array.from([2, 3]) }, { shape: [2], values: Float32Array.from([0.5, 0.5]) }];
    const want = [1, 2, 3, 4].flatMap((v) => [2 * v + 0.5, 0.5 - 3 * v]);
    expect(probeOp(b, '_FusedDepthwiseConv2dNative', [...conv, a.string('fused_ops', ['BiasAdd'])], input, want)).toBe('_FusedDepthwiseConv2dNative returned 0 values for 8 (shape [0])');
    expect(probeOp(b, '_MklNativeFusedDepthwiseConv2dNative', [...conv, a.string('fused_ops', ['BiasAdd']), a.string('_kernel', 'MklNameChangeOp')], input, want)).toBeUndefined();
  });
});
