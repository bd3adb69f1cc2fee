/**
 * NHWC convolutions. Conv2D runs on cuDNN (fused conv + bias + ReLU) or on im2col + cuBLASLt GEMM (a
 * 1×1/stride-1/unpadded conv is the GEMM alone, bias and ReLU in its epilogue): with both available, each conv
 * signature is timed once on both paths on first use and keeps the faster (convChoices() says which ran and why).
 * Depthwise is a direct kernel with bias and activation fused. NCHW convolutions run as NHWC between two transposes.
 */
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { CONV_PARAM_FIELDS, depthwiseSource, im2colSource, type ConvParams } from '../codegen/conv.ts';
import { arg } from '../runtime/launcher.ts';
import { runMatmul } from './matmul.ts';
import { runTranspose } from './elementwise.ts';
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

const isNchw = (dataFormat: string | undefined): boolean => dataFormat === 'NCHW' || dataFormat === 'channelsFirst';

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

/** Which convolution path a shape runs: FUSEBENCH_CUDA_CONV=auto (default: timed per shape), cudnn (forced; errors throw) or im2col. */
export type ConvMode = 'auto' | 'cudnn' | 'im2col';
export function convMode(env: Readonly<Record<string, string | undefined>> = process.env): ConvMode {
  const v = env.FUSEBENCH_CUDA_CONV;
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === 'cudnn' || v === 'im2col') return v;
  throw new Error(`FUSEBENCH_CUDA_CONV must be auto, cudnn or im2col (got "${v}")`);
}

/** The path chosen for one conv signature, with the timings (GPU ms, best of 3) that chose it. */
export interface ConvChoice {
  readonly path: 'cudnn' | 'im2col';
  readonly cudnnMs?: number;
  readonly im2colMs?: number;
  /** Why cuDNN was not used, when it was not. */
  readonly reason?: string;
}

const choices = new Map<string, ConvChoice>();

/** Every conv signature seen in this process and the path it runs, for reports. */
export function convChoices(): ReadonlyMap<string, ConvChoice> {
  return choices;
}

/** Why cuDNN cannot run this conv, or null when it can (symmetric padding, column bias, sizes within int32). */
function cudnnIneligible(info: backend_util.Conv2DInfo, bias: TensorInfo | undefined): string | null {
  if (info.padInfo.top !== info.padInfo.bottom || info.padInfo.left !== info.padInfo.right) {
    return `asymmetric padding (top ${info.padInfo.top}, bottom ${info.padInfo.bottom}, left ${info.padInfo.left}, right ${info.padInfo.right}); the legacy cuDNN API pads symmetrically`;
  }
  if (bias && !isColumnBias(bias, info.outChannels)) return 'bias is not a [outChannels] vector';
  const biggest = Math.max(info.batchSize * info.inHeight * info.inWidth * info.inChannels, info.batchSize * info.outHeight * info.outWidth * info.outChannels);
  if (biggest > 2 ** 31 - 1) return 'a tensor above 2^31 elements';
  return null;
}

export function runConv2D(b: CudaBackend, x: TensorInfo, filter: TensorInfo, a: ConvAttrs, name: string, bias?: TensorInfo, prelu?: TensorInfo): TensorInfo {
  if (isNchw(a.dataFormat)) return conv2dNchw(b, x, filter, a, name, bias, prelu);
  checkNhwc(name, a.dataFormat);
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
  const act = a.activation ?? 'linear';
  const mode = convMode();
  if (mode === 'im2col' || x.dtype !== 'float32' || filter.dtype !== 'float32') return conv2dIm2col(b, x, filter, info, act, name, bias, prelu, a.leakyreluAlpha);
  const p = params(info, 1);
  const key = `${CONV_PARAM_FIELDS.map((f) => p[f]).join(',')}|${info.padInfo.bottom},${info.padInfo.right}|${act}|${bias ? 'bias' : ''}`;
  const viaCudnn = (): TensorInfo => conv2dCudnn(b, x, filter, info, act, bias, prelu, a.leakyreluAlpha);
  const viaIm2col = (): TensorInfo => conv2dIm2col(b, x, filter, info, act, name, bias, prelu, a.leakyreluAlpha);
  if (mode === 'cudnn') {
    const why = cudnnIneligible(info, bias) ?? (b.rt.cudnn() ? null : b.rt.cudnnStatus());
    if (why) throw new Error(`${name}: FUSEBENCH_CUDA_CONV=cudnn but cuDNN cannot run this convolution: ${why}`);
    return viaCudnn();
  }
  let choice = choices.get(key);
  if (!choice) {
    choice = chooseConvPath(b, info, bias, viaCudnn, viaIm2col);
    choices.set(key, choice);
  }
  return choice.path === 'cudnn' ? viaCudnn() : viaIm2col();
}

/**
 * NCHW, which tfjs allows for Conv2D and FusedConv2D: x transposed to NHWC, the NHWC convolution, the result
 * transposed back; then bias and activation on the NCHW result as tfjs-backend-cpu applies them (a 1-D bias or
 * PReLU weight of length C ≠ 1 aligns with the channel axis, as [C, 1, 1]; anything else broadcasts as given).
 * Three extra passes, so correct but not fast: fusebench's suites are NHWC.
 */
function conv2dNchw(b: CudaBackend, x: TensorInfo, filter: TensorInfo, a: ConvAttrs, name: string, bias?: TensorInfo, prelu?: TensorInfo): TensorInfo {
  const xNhwc = runTranspose(b, x, [0, 2, 3, 1]);
  const y = runConv2D(b, xNhwc, filter, { ...a, dataFormat: 'NHWC', pad: nhwcPad(a.pad), activation: 'linear' }, name);
  b.disposeIntermediate(xNhwc);
  let out = runTranspose(b, y, [0, 3, 1, 2]);
  b.disposeIntermediate(y);
  const channelAligned = (t: TensorInfo): TensorInfo => (t.shape.length === 1 && t.shape[0] !== 1 ? b.view(t, [t.shape[0]!, 1, 1]) : t);
  const release = (view: TensorInfo, original: TensorInfo): void => {
    if (view !== original) b.disposeIntermediate(view);
  };
  if (bias) {
    const aligned = channelAligned(bias);
    out = addBias(b, out, aligned);
    release(aligned, bias);
  }
  const act = a.activation ?? 'linear';
  if (act !== 'linear') {
    const weights = act === 'prelu' && prelu ? channelAligned(prelu) : prelu;
    out = applyActivation(b, out, act, weights, a.leakyreluAlpha);
    if (weights && prelu) release(weights, prelu);
  }
  return out;
}

/**
 * The padding of an NCHW convolution for the same convolution run in NHWC: explicit padding is given per axis
 * of the input's layout ([[0,0],[0,0],[top,bottom],[left,right]] in NCHW), so it moves with the axes.
 */
export function nhwcPad(pad: ConvAttrs['pad']): ConvAttrs['pad'] {
  if (!Array.isArray(pad)) return pad;
  const [n, c, h, w] = pad as backend_util.ExplicitPadding;
  return [n!, h!, w!, c!] as backend_util.ExplicitPadding;
}

/** Times both paths' device time on the real operands (after one untimed call each) and keeps the faster; cuDNN errors mean im2col. */
function chooseConvPath(b: CudaBackend, info: backend_util.Conv2DInfo, bias: TensorInfo | undefined, viaCudnn: () => TensorInfo, viaIm2col: () => TensorInfo): ConvChoice {
  const why = cudnnIneligible(info, bias);
  if (why) return { path: 'im2col', reason: why };
  if (!b.rt.cudnn()) return { path: 'im2col', reason: b.rt.cudnnStatus() };
  const best = (f: () => TensorInfo): number => {
    b.disposeIntermediate(f());
    let ms = Infinity;
    for (let i = 0; i < 3; i++) ms = Math.min(ms, b.rt.timeDevice(() => b.disposeIntermediate(f())));
    return ms;
  };
  let cudnnMs: number;
  try {
    cudnnMs = best(viaCudnn);
  } catch (e) {
    return { path: 'im2col', reason: `cuDNN failed: ${(e as Error).message.split('\n')[0]}` };
  }
  const im2colMs = best(viaIm2col);
  return { path: cudnnMs <= im2colMs ? 'cudnn' : 'im2col', cudnnMs, im2colMs };
}

/**
 * cuDNN: bias + ReLU (or bias alone) in cudnnConvolutionBiasActivationForward, no bias in cudnnConvolutionForward;
 * other activations one extra pass. The filter is transposed once to cuDNN's KRSC layout and kept with the filter's data.
 */
function conv2dCudnn(b: CudaBackend, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo, act: TfjsActivation, bias?: TensorInfo, prelu?: TensorInfo, leakyAlpha?: number): TensorInfo {
  const dnn = b.rt.cudnn()!;
  const krsc = b.derivedOf(filter, 'cudnn:KRSC', () => runTranspose(b, filter, [3, 0, 1, 2]));
  const epilogue = !bias ? 'none' : act === 'relu' ? 'biasRelu' : 'bias';
  const plan = dnn.plan({
    n: info.batchSize, inH: info.inHeight, inW: info.inWidth, inC: info.inChannels, outC: info.outChannels, outH: info.outHeight, outW: info.outWidth,
    kH: info.filterHeight, kW: info.filterWidth, padH: info.padInfo.top, padW: info.padInfo.left, strideH: info.strideHeight, strideW: info.strideWidth,
    dilH: info.dilationHeight, dilW: info.dilationWidth,
  }, epilogue);
  let out = b.makeOutput([info.batchSize, info.outHeight, info.outWidth, info.outChannels], 'float32');
  if (util.sizeFromShape(out.shape) === 0) return out;
  try {
    dnn.run(plan, b.ptr(x), b.ptr(krsc), b.ptr(out), bias ? b.ptr(bias) : 0);
  } catch (e) {
    b.disposeIntermediate(out);
    throw e;
  }
  const done = act === 'linear' || (act === 'relu' && epilogue === 'biasRelu');
  if (!done) out = applyActivation(b, out, act, prelu, leakyAlpha);
  return out;
}

/** im2col kernel + cuBLASLt GEMM (a 1×1/stride-1/unpadded conv is the GEMM alone), bias and ReLU in the GEMM epilogue. */
function conv2dIm2col(b: CudaBackend, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo, act: TfjsActivation, name: string, bias?: TensorInfo, prelu?: TensorInfo, leakyAlpha?: number): TensorInfo {
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
  if (act !== 'linear' && act !== 'relu') out = applyActivation(b, out, act, prelu, leakyAlpha);
  return out;
}

export function runDepthwise(b: CudaBackend, x: TensorInfo, filter: TensorInfo, a: ConvAttrs, name: string, bias?: TensorInfo, prelu?: TensorInfo): TensorInfo {
  checkNhwc(name, a.dataFormat);
  // As tfjs-backend-cpu's DepthwiseConv2dNative (and its message).
  const dilations = a.dilations ?? [1, 1];
  util.assert(backend_util.eitherStridesOrDilationsAreOne(a.strides, dilations), () =>
    `Error in depthwiseConv2d: Either strides or dilations must be 1. Got strides ${a.strides} and dilations '${dilations}'`);
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true, 'channelsLast');
  const act = a.activation ?? 'linear';
  const inKernelAct: 0 | 1 | 2 = act === 'relu' ? 1 : act === 'relu6' ? 2 : 0;
  const biasInKernel = bias !== undefined && isColumnBias(bias, info.outChannels);
  let out = b.makeOutput([info.batchSize, info.outHeight, info.outWidth, info.outChannels], 'float32');
  const total = util.sizeFromShape(out.shape);
  const foldAct = biasInKernel || !bias;
  if (total > 0) {
    const mult = filter.shape[3]!;
    const ptrs = [b.ptr(out), b.ptr(x), b.ptr(filter), biasInKernel ? b.ptr(bias!) : 0];
    // Four channels per thread (float4) where the layout allows; 32-bit indices where every index fits.
    const vec4 = mult === 1 && info.outChannels % 4 === 0 && ptrs.every((p) => p % 16 === 0);
    const work = vec4 ? total / 4 : total;
    const wide = Math.max(total, util.sizeFromShape(x.shape)) > 2 ** 31 - 1;
    const { source, entry } = depthwiseSource(foldAct ? inKernelAct : 0, biasInKernel, vec4, wide);
    b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), [Math.min(Math.ceil(work / 256), 1 << 20)], [256], [
      arg.ptr(ptrs[0]!), arg.ptr(ptrs[1]!), arg.ptr(ptrs[2]!), arg.ptr(ptrs[3]!), arg.idx(work, wide), struct(params(info, mult)),
    ]);
  }
  if (bias && !biasInKernel) out = addBias(b, out, bias);
  const done = foldAct && inKernelAct !== 0;
  if (!done && act !== 'linear') out = applyActivation(b, out, act, prelu, a.leakyreluAlpha);
  return out;
}
