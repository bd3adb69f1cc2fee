/**
 * NHWC convolutions without cuDNN: Conv2D as im2col + cuBLASLt GEMM (a 1×1/stride-1/unpadded conv is
 * the GEMM alone), with bias and ReLU in the GEMM epilogue; depthwise as a direct kernel with bias and
 * activation fused.
 */
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { CONV_PARAM_FIELDS, depthwiseSource, im2colSource, type ConvParams } from '../codegen/conv.ts';
import { arg } from '../runtime/launcher.ts';
import { runMatmul } from './matmul.ts';
import { addBias, applyActivation, isColumnBias, type TfjsActivation } from './activation.ts';

export interface ConvAttrs {
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  readonly dataFormat?: string;
  readonly dilations?: number | [number, number];
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly activation?: TfjsActivation;
  readonly leakyreluAlpha?: number;
}

function checkNhwc(name: string, dataFormat: string | undefined): void {
  if (dataFormat && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') throw new Error(`not implemented on cuda: ${name} with dataFormat ${dataFormat} (NHWC only)`);
}

function params(info: backend_util.Conv2DInfo, mult: number): ConvParams {
  return {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, inC: info.inChannels, outH: info.outHeight, outW: info.outWidth,
    outC: info.outChannels, kH: info.filterHeight, kW: info.filterWidth, strideH: info.strideHeight, strideW: info.strideWidth,
    dilH: info.dilationHeight, dilW: info.dilationWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left, mult,
  };
}

function struct(p: ConvParams): ReturnType<typeof arg.dims> {
  return { t: 'struct', v: new Int32Array(CONV_PARAM_FIELDS.map((f) => p[f])), align: 4 };
}

export function runConv2D(b: CudaBackend, x: TensorInfo, filter: TensorInfo, a: ConvAttrs, name: string, bias?: TensorInfo, prelu?: TensorInfo): TensorInfo {
  checkNhwc(name, a.dataFormat);
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
  const act = a.activation ?? 'linear';
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const kk = info.filterHeight * info.filterWidth * info.inChannels;
  const pointwise = info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 && info.padInfo.top === 0 && info.padInfo.left === 0;
  let cols: TensorInfo;
  if (pointwise) cols = b.view(x, [rows, kk]);
  else {
    cols = b.makeOutput([rows, kk], 'float32');
    const total = rows * kk;
    if (total > 0) {
      const wide = total > 2 ** 31 - 1;
      const { source, entry } = im2colSource(wide);
      b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), [Math.min(Math.ceil(total / 256), 1 << 20)], [256], [arg.ptr(b.ptr(cols)), arg.ptr(b.ptr(x)), arg.idx(total, wide), struct(params(info, 1))]);
    }
  }
  const w = b.view(filter, [kk, info.outChannels]);
  const epilogueBias = isColumnBias(bias, info.outChannels);
  let out = runMatmul(b, { a: cols, b: w, transposeA: false, transposeB: false, bias: epilogueBias ? bias : undefined, act: act === 'relu' && (epilogueBias || !bias) ? 'relu' : 'none', name });
  b.disposeIntermediate(cols);
  b.disposeIntermediate(w);
  const shaped = b.view(out, [info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
  b.disposeIntermediate(out);
  out = shaped;
  if (bias && !epilogueBias) {
    out = addBias(b, out, bias);
    if (act === 'relu') out = applyActivation(b, out, 'relu');
  }
  if (act !== 'linear' && act !== 'relu') out = applyActivation(b, out, act, prelu, a.leakyreluAlpha);
  return out;
}

export function runDepthwise(b: CudaBackend, x: TensorInfo, filter: TensorInfo, a: ConvAttrs, name: string, bias?: TensorInfo, prelu?: TensorInfo): TensorInfo {
  checkNhwc(name, a.dataFormat);
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true, 'channelsLast');
  const act = a.activation ?? 'linear';
  const inKernelAct: 0 | 1 | 2 = act === 'relu' ? 1 : act === 'relu6' ? 2 : 0;
  const biasInKernel = bias !== undefined && isColumnBias(bias, info.outChannels);
  let out = b.makeOutput([info.batchSize, info.outHeight, info.outWidth, info.outChannels], 'float32');
  const total = util.sizeFromShape(out.shape);
  const foldAct = biasInKernel || !bias;
  if (total > 0) {
    const { source, entry } = depthwiseSource(foldAct ? inKernelAct : 0, biasInKernel);
    b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), [Math.min(Math.ceil(total / 256), 1 << 20)], [256], [
      arg.ptr(b.ptr(out)), arg.ptr(b.ptr(x)), arg.ptr(b.ptr(filter)), arg.ptr(biasInKernel ? b.ptr(bias!) : 0), arg.u64(total), struct(params(info, filter.shape[3]!)),
    ]);
  }
  if (bias && !biasInKernel) out = addBias(b, out, bias);
  const done = foldAct && inKernelAct !== 0;
  if (!done && act !== 'linear') out = applyActivation(b, out, act, prelu, a.leakyreluAlpha);
  return out;
}
