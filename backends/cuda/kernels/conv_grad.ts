/**
 * Conv2DBackpropInput, Conv2DBackpropFilter (NHWC and NCHW: an NCHW operand is transposed to NHWC and the result
 * back), DepthwiseConv2dNativeBackpropInput/-Filter, Conv3D, Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 on
 * cuda: direct kernels (codegen/conv_grad.ts) over tfjs's own conv infos, with tfjs-backend-cpu's choices (the
 * gradients take dilation 1, as cpu computes their infos).
 */
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { CONV_FILTER_GRAD_THREADS, CONV_GRAD_FIELDS, convGradSource, type ConvGradFields, type ConvGradKind } from '../codegen/conv_grad.ts';
import { runTranspose } from '../ops/elementwise.ts';
import { gridFor } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';

type Info = backend_util.Conv2DInfo | backend_util.Conv3DInfo;

function fields(info: Info, depthwise: boolean, dy?: TensorInfo): ConvGradFields {
  const d3 = 'inDepth' in info;
  const i3 = info as backend_util.Conv3DInfo;
  return {
    batch: info.batchSize, inD: d3 ? i3.inDepth : 1, inH: info.inHeight, inW: info.inWidth, inC: info.inChannels,
    outD: d3 ? i3.outDepth : 1, outH: info.outHeight, outW: info.outWidth, outC: info.outChannels,
    fD: d3 ? i3.filterDepth : 1, fH: info.filterHeight, fW: info.filterWidth,
    sD: d3 ? i3.strideDepth : 1, sH: info.strideHeight, sW: info.strideWidth,
    dilD: d3 ? i3.dilationDepth : 1, dilH: info.dilationHeight, dilW: info.dilationWidth,
    padF: d3 ? i3.padInfo.front : 0, padT: info.padInfo.top, padL: info.padInfo.left,
    chMul: depthwise ? info.outChannels / info.inChannels : 0,
    // dy's own extents (NHWC or NDHWC), for indexing it.
    dyD: dy && dy.shape.length === 5 ? dy.shape[1]! : 1,
    dyH: dy ? dy.shape[dy.shape.length - 3]! : info.outHeight,
    dyW: dy ? dy.shape[dy.shape.length - 2]! : info.outWidth,
  };
}

/** One kernel of the family; operands NHWC/NDHWC float32. */
function run(b: CudaBackend, kind: ConvGradKind, info: Info, depthwise: boolean, outShape: readonly number[], ops: { x?: TensorInfo; w?: TensorInfo; dy?: TensorInfo }): TensorInfo {
  for (const t of [ops.x, ops.w, ops.dy]) if (t && t.dtype !== 'float32') throw new Error(`not implemented on cuda: convolution gradient for dtype ${t.dtype}`);
  const out = b.makeOutput(outShape, 'float32');
  const n = util.sizeFromShape(outShape as number[]);
  if (n === 0) return out;
  const f = fields(info, depthwise, ops.dy);
  const { source, entry } = convGradSource(kind);
  const filterGrad = kind === 'filterGrad';
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), filterGrad ? [Math.min(n, 65535)] : gridFor(n), [filterGrad ? CONV_FILTER_GRAD_THREADS : 256], [
    arg.ptr(b.ptr(out)), arg.ptr(ops.x ? b.ptr(ops.x) : 0), arg.ptr(ops.w ? b.ptr(ops.w) : 0), arg.ptr(ops.dy ? b.ptr(ops.dy) : 0), arg.u64(n),
    ...CONV_GRAD_FIELDS.map((k) => arg.i32(f[k])),
  ]);
  return out;
}

const toNhwc = (b: CudaBackend, t: TensorInfo): TensorInfo => runTranspose(b, t, [0, 2, 3, 1]);

interface Attrs {
  strides: number | number[];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | number[];
  inputShape?: number[];
  filterShape?: number[];
}

const conv2dInputGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const dy = inputs.dy as TensorInfo, filter = inputs.filter as TensorInfo;
  const a = attrs as unknown as Attrs;
  const format = backend_util.convertConv2DDataFormat(a.dataFormat ?? 'NHWC');
  const info = backend_util.computeConv2DInfo(a.inputShape as [number, number, number, number], filter.shape as [number, number, number, number], a.strides as [number, number], 1, a.pad, a.dimRoundingMode, false, format);
  const nhwc = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
  if (format === 'channelsLast') return run(b, 'inputGrad', info, false, nhwc, { w: filter, dy });
  const dyT = toNhwc(b, dy);
  const dx = run(b, 'inputGrad', info, false, nhwc, { w: filter, dy: dyT });
  const out = runTranspose(b, dx, [0, 3, 1, 2]);
  b.disposeIntermediate(dyT);
  b.disposeIntermediate(dx);
  return out;
};

const conv2dFilterGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo, dy = inputs.dy as TensorInfo;
  const a = attrs as unknown as Attrs;
  const format = backend_util.convertConv2DDataFormat(a.dataFormat ?? 'NHWC');
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape as [number, number, number, number], a.strides as [number, number], 1, a.pad, a.dimRoundingMode, false, format);
  if (format === 'channelsLast') return run(b, 'filterGrad', info, false, info.filterShape, { x, dy });
  const xT = toNhwc(b, x), dyT = toNhwc(b, dy);
  const dw = run(b, 'filterGrad', info, false, info.filterShape, { x: xT, dy: dyT });
  b.disposeIntermediate(xT);
  b.disposeIntermediate(dyT);
  return dw;
};

const depthwiseInputGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs.dy as TensorInfo, filter = inputs.filter as TensorInfo;
  const a = attrs as unknown as Attrs;
  const info = backend_util.computeConv2DInfo(a.inputShape as [number, number, number, number], filter.shape as [number, number, number, number], a.strides as [number, number], (a.dilations ?? 1) as [number, number], a.pad, a.dimRoundingMode, true);
  // cpu's gradient loops ignore the dilation (tfjs's depthwise gradient refuses dilations > 1 first).
  return run(backend as CudaBackend, 'inputGrad', { ...info, dilationHeight: 1, dilationWidth: 1 }, true, info.inShape, { w: filter, dy });
};

const depthwiseFilterGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo, dy = inputs.dy as TensorInfo;
  const a = attrs as unknown as Attrs;
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape as [number, number, number, number], a.strides as [number, number], (a.dilations ?? 1) as [number, number], a.pad, a.dimRoundingMode, true);
  return run(backend as CudaBackend, 'filterGrad', { ...info, dilationHeight: 1, dilationWidth: 1 }, true, info.filterShape, { x, dy });
};

type Shape5 = [number, number, number, number, number];

const conv3d: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo, filter = inputs.filter as TensorInfo;
  const a = attrs as unknown as Attrs;
  const info = backend_util.computeConv3DInfo(x.shape as Shape5, filter.shape as Shape5, a.strides as [number, number, number], (a.dilations ?? 1) as [number, number, number], a.pad as 'valid' | 'same');
  return run(backend as CudaBackend, 'forward', info, false, info.outShape, { x, w: filter });
};

const conv3dInputGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs.dy as TensorInfo, filter = inputs.filter as TensorInfo;
  const a = attrs as unknown as Attrs;
  const info = backend_util.computeConv3DInfo(a.inputShape as Shape5, filter.shape as Shape5, a.strides as [number, number, number], 1, a.pad as 'valid' | 'same');
  return run(backend as CudaBackend, 'inputGrad', info, false, info.inShape, { w: filter, dy });
};

const conv3dFilterGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo, dy = inputs.dy as TensorInfo;
  const a = attrs as unknown as Attrs;
  const info = backend_util.computeConv3DInfo(x.shape as Shape5, a.filterShape as Shape5, a.strides as [number, number, number], 1, a.pad as 'valid' | 'same');
  return run(backend as CudaBackend, 'filterGrad', info, false, info.filterShape, { x, dy });
};

const k = (kernelName: string, kernelFunc: KernelFunc): KernelConfig => ({ kernelName, backendName: 'cuda', kernelFunc });
export const convGradConfigs: KernelConfig[] = [
  k('Conv2DBackpropInput', conv2dInputGrad),
  k('Conv2DBackpropFilter', conv2dFilterGrad),
  k('DepthwiseConv2dNativeBackpropInput', depthwiseInputGrad),
  k('DepthwiseConv2dNativeBackpropFilter', depthwiseFilterGrad),
  k('Conv3D', conv3d),
  k('Conv3DBackpropInputV2', conv3dInputGrad),
  k('Conv3DBackpropFilterV2', conv3dFilterGrad),
];
