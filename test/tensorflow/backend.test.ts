/**
 * The tensorflow backend (tfjs-node), where `fusebench setup tensorflow` has installed it: every one of the 32
 * patterns and both macro pipelines at tiny sizes against float64, nothing "not registered", nothing leaked; the
 * TensorFlow op each kernel variant runs on this route; launches counted once at the level of TF ops; the kind
 * from the package loaded. Without an installed tfjs-node only the package → kind rule is checked (CI says why).
 * .ci/run sets FUSEBENCH_EXPECT_TENSORFLOW=1 after it set the backend up, so that these tests cannot skip there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { installedTensorflowPackage, kindOfPackage, tensorflowBackend } from '../../backends/tensorflow.ts';
import { loadSuiteFiles } from '../../harness/load.ts';
import { measureSize } from '../../harness/measure.ts';
import { measurePipelineSize } from '../../harness/measure-pipeline.ts';
import { loadBenchFiles } from '../../harness/load.ts';
import { bytesAllocated, kernelNames, profileKernels } from '../../harness/kernel-profile.ts';
import { launchCount } from '../../harness/core/launches.ts';
import { tensorflowPlans, type TfPlan } from '../../kernels/common/tf_fused.ts';
import type { TfBinding } from '../../kernels/common/tf_exec.ts';
import { checkSuite, TENSORFLOW_INSTALLED, useBackend } from '../suites/helpers.ts';
import { fastConfig } from '../ternary/helpers.ts';

describe('tensorflow backend kind', () => {
  it.runIf(process.env.FUSEBENCH_EXPECT_TENSORFLOW === '1')('is installed where CI set it up', () => {
    expect(installedTensorflowPackage(), 'CI ran fusebench setup tensorflow, yet no tfjs-node with a built addon is found').toBeDefined();
  });

  it('follows the package loaded: tfjs-node-gpu is gpu, tfjs-node is cpu', () => {
    expect(kindOfPackage('@tensorflow/tfjs-node-gpu')).toBe('gpu');
    expect(kindOfPackage('@tensorflow/tfjs-node')).toBe('cpu');
    expect(kindOfPackage(undefined)).toBe('cpu');
  });
});

describe.runIf(TENSORFLOW_INSTALLED)('tensorflow backend (set up here)', () => {
  let binding: TfBinding;
  beforeAll(async () => {
    expect((await tensorflowBackend.detect()).available).toBe(true);
    await useBackend('tensorflow');
    binding = (tf.backend() as unknown as { binding: TfBinding }).binding;
  });

  it('takes its kind from the package it loaded', () => {
    expect(tensorflowBackend.kind).toBe(kindOfPackage(installedTensorflowPackage()));
    expect(tensorflowBackend.describe().description).toMatch(/^libtensorflow via @tensorflow\/tfjs-node(-gpu)?, TensorFlow \d+\.\d+/);
  });

  it('runs TensorFlow\'s fused op for every variant that has one on tensorflow-cpu 2.21 with the list-attr binding', () => {
    const summary = (p: TfPlan): string => (p.kind === 'fused' ? `${p.op.op} [${(p.op.fusedOps ?? []).join(', ')}]` : 'composed');
    const plans = Object.fromEntries(Object.entries(tensorflowPlans(binding)).map(([k, p]) => [k, summary(p)]));
    expect(binding.TF_Version, 'these plans are the tensorflow-cpu 2.21 route; another TensorFlow build may differ').toMatch(/^2\.21\./);
    expect(plans).toEqual({
      'FusebenchLinearAct:linear': '_MklNativeFusedMatMul [BiasAdd]',
      'FusebenchLinearAct:relu': '_MklNativeFusedMatMul [BiasAdd, Relu]',
      'FusebenchLinearAct:gelu': '_MklNativeFusedMatMul [BiasAdd, GeluExact]',
      'FusebenchLinearAct:gelu_tanh': '_MklNativeFusedMatMul [BiasAdd, GeluApproximate]',
      'FusebenchLinearAct:silu': 'composed',
      'FusebenchConv2DAct:linear': '_FusedConv2D [BiasAdd]',
      'FusebenchConv2DAct:relu': '_FusedConv2D [BiasAdd, Relu]',
      'FusebenchDepthwiseConv2DAct:linear': '_MklNativeFusedDepthwiseConv2dNative [BiasAdd]',
      'FusebenchDepthwiseConv2DAct:relu': '_MklNativeFusedDepthwiseConv2dNative [BiasAdd, Relu]',
      FusebenchLayerNorm: '_MklLayerNorm []',
      FusebenchAddRelu: 'composed',
      FusebenchQKTSoftmax: 'composed',
      FusebenchSDPA: 'composed',
      TernaryUnary: 'composed',
      TernaryBinary: 'composed',
      TernaryNotBinary: 'composed',
      TernaryFused3: 'composed',
    });
    const depthwise = tensorflowPlans(binding)['FusebenchDepthwiseConv2DAct:linear'];
    expect(depthwise.kind).toBe('fused');
  });

  it('runs all 32 patterns at tiny sizes: both variants match float64, nothing is "not registered", nothing leaks', async () => {
    const suites = await loadSuiteFiles();
    expect(suites).toHaveLength(32);
    const failures: string[] = [];
    for (const s of suites) {
      const p = s.spec.sizes.quick[0];
      try {
        const r = await checkSuite(s.spec, p);
        if (!r.unfused.ok || !r.fused.ok) failures.push(`${s.spec.id} at ${s.spec.label(p)}: unfused ${r.unfused.maxAbs}, fused ${r.fused.maxAbs}`);
        if (r.leaked !== 0) failures.push(`${s.spec.id}: ${r.leaked} tensors leaked`);
        if (r.fusedLaunches.length === 0) failures.push(`${s.spec.id}: the fused variant launched nothing`);
      } catch (e) {
        failures.push(`${s.spec.id}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('runs both macro pipelines at tiny sizes, exactly and without leaks', async () => {
    const opts = { config: fastConfig, quick: true, seed: 11 };
    const { pipelines } = await loadBenchFiles();
    const tiny: Record<string, Record<string, number>> = { TernaryImagePipeline: { side: 16 }, TernaryNeuralLayer: { neurons: 8 } };
    expect(pipelines.map((x) => x.spec.id).sort()).toEqual(Object.keys(tiny));
    for (const { file, spec } of pipelines) {
      const before = tf.memory().numTensors;
      const r = await measurePipelineSize(file, spec, tensorflowBackend, tiny[spec.id]!, opts);
      expect(r.status, r.error).toBe('ok');
      expect(r.correctness!.fused.ok && r.correctness!.unfused.ok).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('measures a fused pattern through the harness: one TF op against three, and the memory it saves', async () => {
    const suite = (await loadSuiteFiles()).find((s) => s.spec.id === 'Linear_Bias_ReLU')!;
    const r = await measureSize(suite.file, suite.spec, tensorflowBackend, { m: 4, k: 16, n: 8 }, { config: fastConfig, quick: true, seed: 3 });
    expect(r.status, r.error).toBe('ok');
    expect(r.fused!.kernels).toEqual(['FusebenchLinearAct']);
    expect(r.unfused!.kernels).toEqual(['BatchMatMul', 'Add', 'Relu']);
    // Unfused writes three 4×8 float32 outputs, fused one.
    expect(r.unfused!.bytesAllocated).toBe(3 * 128);
    expect(r.fused!.bytesAllocated).toBe(128);
    expect(r.memoryReduction).toBeCloseTo(2 / 3, 10);
  });

  it('counts TF ops a kernel runs itself: tfjs-node\'s Mean casts through a nested kernel, then runs TF Mean', async () => {
    const x = tf.tensor2d([[1, 2], [3, 5]]);
    const { result, kernels } = await profileKernels(() => tf.mean(x, -1));
    expect(Array.from(result.dataSync())).toEqual([1.5, 4]);
    expect(kernels.map((k) => [k.name, k.depth, k.ops])).toEqual([['Mean', 1, ['Mean']], ['Cast', 2, ['Cast']]]);
    expect(launchCount(kernelNames(kernels))).toBe(2);
    expect(bytesAllocated(kernels)).toBe(16 + 8); // the cast copy, then the two means
    tf.dispose([x, result]);
  });
});
