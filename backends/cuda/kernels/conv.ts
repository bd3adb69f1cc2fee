/** Conv2D, FusedConv2D, DepthwiseConv2dNative, FusedDepthwiseConv2D and FusedBatchNorm on cuda (NHWC, no cuDNN). */
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { runConv2D, runDepthwise, type ConvAttrs } from '../ops/conv.ts';
import { batchNormSource } from '../codegen/conv.ts';
import { arg } from '../runtime/launcher.ts';

const conv2d: KernelFunc = ({ inputs, backend, attrs }) =>
  runConv2D(backend as CudaBackend, inputs.x as TensorInfo, inputs.filter as TensorInfo, attrs as unknown as ConvAttrs, 'Conv2D');

const fusedConv2d: KernelFunc = ({ inputs, backend, attrs }) =>
  runConv2D(backend as CudaBackend, inputs.x as TensorInfo, inputs.filter as TensorInfo, attrs as unknown as ConvAttrs, 'FusedConv2D', inputs.bias as TensorInfo | undefined, inputs.preluActivationWeights as TensorInfo | undefined);

const depthwise: KernelFunc = ({ inputs, backend, attrs }) =>
  runDepthwise(backend as CudaBackend, inputs.x as TensorInfo, inputs.filter as TensorInfo, attrs as unknown as ConvAttrs, 'DepthwiseConv2dNative');

const fusedDepthwise: KernelFunc = ({ inputs, backend, attrs }) =>
  runDepthwise(backend as CudaBackend, inputs.x as TensorInfo, inputs.filter as TensorInfo, attrs as unknown as ConvAttrs, 'FusedDepthwiseConv2D', inputs.bias as TensorInfo | undefined, inputs.preluActivationWeights as TensorInfo | undefined);

const batchNorm: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo, mean = inputs.mean as TensorInfo, variance = inputs.variance as TensorInfo;
  const offset = inputs.offset as TensorInfo | undefined, scale = inputs.scale as TensorInfo | undefined;
  for (const t of [x, mean, variance, offset, scale]) if (t && t.dtype !== 'float32') throw new Error(`not implemented on cuda: FusedBatchNorm for dtype ${t.dtype}`);
  const out = b.makeOutput(x.shape, 'float32');
  const total = util.sizeFromShape(x.shape);
  if (total === 0) return out;
  const len = (t?: TensorInfo): number => (t ? util.sizeFromShape(t.shape) : 0);
  const { source, entry } = batchNormSource();
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), [Math.min(Math.ceil(total / 256), 1 << 20)], [256], [
    arg.ptr(b.ptr(out)), arg.ptr(b.ptr(x)), arg.ptr(b.ptr(mean)), arg.ptr(b.ptr(variance)), arg.ptr(offset ? b.ptr(offset) : 0), arg.ptr(scale ? b.ptr(scale) : 0),
    arg.u64(total), arg.u32(len(mean)), arg.u32(len(variance)), arg.u32(len(offset)), arg.u32(len(scale)), arg.f32(Number(attrs!.varianceEpsilon ?? 0.001)),
  ]);
  return out;
};

const k = (kernelName: string, kernelFunc: KernelFunc): KernelConfig => ({ kernelName, backendName: 'cuda', kernelFunc });
export const convConfigs: KernelConfig[] = [
  k('Conv2D', conv2d),
  k('FusedConv2D', fusedConv2d),
  k('DepthwiseConv2dNative', depthwise),
  k('FusedDepthwiseConv2D', fusedDepthwise),
  k('FusedBatchNorm', batchNorm),
];
