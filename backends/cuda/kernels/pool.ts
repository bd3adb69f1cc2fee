/**
 * Pooling kernels on cuda (codegen/pool.ts: tfjs-backend-cpu's loops, one thread per output element): MaxPool,
 * AvgPool, MaxPool3D, AvgPool3D, their gradients, and MaxPoolWithArgmax. NHWC / NDHWC, as tfjs's pool ops.
 */
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { POOL_FIELDS, poolSource, type PoolFields, type PoolKind } from '../codegen/pool.ts';
import { gridFor } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';

type Info = backend_util.Conv2DInfo | backend_util.Conv3DInfo;
const is3d = (info: Info): info is backend_util.Conv3DInfo => 'inDepth' in info;

function fields(info: Info): PoolFields {
  const d3 = is3d(info);
  return {
    batch: info.batchSize, inD: d3 ? info.inDepth : 1, inH: info.inHeight, inW: info.inWidth, ch: info.inChannels,
    outD: d3 ? info.outDepth : 1, outH: info.outHeight, outW: info.outWidth,
    effD: d3 ? info.effectiveFilterDepth : 1, effH: info.effectiveFilterHeight, effW: info.effectiveFilterWidth,
    fD: d3 ? info.filterDepth : 1, fH: info.filterHeight, fW: info.filterWidth,
    sD: d3 ? info.strideDepth : 1, sH: info.strideHeight, sW: info.strideWidth,
    dD: d3 ? info.dilationDepth : 1, dH: info.dilationHeight, dW: info.dilationWidth,
    padF: d3 ? info.padInfo.front : 0, padT: info.padInfo.top, padL: info.padInfo.left,
  };
}

/** One pool kernel over `n` outputs of `outShape` (dtype `outDtype`), reading x (and dy for the gradients). */
function launch(b: CudaBackend, kind: PoolKind, info: Info, x: TensorInfo, outShape: readonly number[], outDtype: 'float32' | 'int32', dy?: TensorInfo, withBatch = false): TensorInfo {
  const out = b.makeOutput(outShape, outDtype);
  const n = util.sizeFromShape(outShape as number[]);
  if (n === 0) return out;
  const f = fields(info);
  const { source, entry } = poolSource(kind, deviceDtype(x.dtype, 'pool'), is3d(info));
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
    arg.ptr(b.ptr(out)), arg.ptr(b.ptr(x)), arg.ptr(dy ? b.ptr(dy) : 0), arg.u64(n), ...POOL_FIELDS.map((k) => arg.i32(f[k])), arg.i32(withBatch ? 1 : 0),
  ]);
  return out;
}

interface PoolAttrs {
  filterSize: number | [number, number] | [number, number, number];
  strides: number | [number, number] | [number, number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NDHWC' | 'NCDHW';
  includeBatchInIndex?: boolean;
}

const pool2d = (kind: 'max' | 'avg'): KernelFunc => ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo;
  const a = attrs as unknown as PoolAttrs;
  util.assert(backend_util.eitherStridesOrDilationsAreOne(a.strides as number, 1), () =>
    `Error in ${kind === 'max' ? 'maxPool' : 'avgPool'}: Either strides or dilations must be 1. Got strides ${a.strides} and dilations '1'`);
  const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize as [number, number], a.strides as [number, number], 1, a.pad, a.dimRoundingMode);
  if (info.filterWidth === 1 && info.filterHeight === 1 && util.arraysEqual(info.inShape, info.outShape)) return b.view(x, x.shape);
  return launch(b, kind, info, x, info.outShape, x.dtype === 'float32' ? 'float32' : 'int32');
};

const pool3d = (kind: 'max' | 'avg'): KernelFunc => ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo;
  const a = attrs as unknown as PoolAttrs;
  const info = backend_util.computePool3DInfo(x.shape as [number, number, number, number, number], a.filterSize as [number, number, number], a.strides as [number, number, number], 1, a.pad as 'valid' | 'same' | number, a.dimRoundingMode, a.dataFormat);
  return launch(b, kind, info, x, info.outShape, x.dtype === 'float32' ? 'float32' : 'int32');
};

const grad2d = (kind: 'maxGrad' | 'avgGrad'): KernelFunc => ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const dy = inputs.dy as TensorInfo, x = inputs.input as TensorInfo;
  const a = attrs as unknown as PoolAttrs;
  const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize as [number, number], a.strides as [number, number], 1, a.pad, a.dimRoundingMode);
  return launch(b, kind, info, x, x.shape, 'float32', dy);
};

const grad3d = (kind: 'maxGrad' | 'avgGrad'): KernelFunc => ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const dy = inputs.dy as TensorInfo, x = inputs.input as TensorInfo;
  const a = attrs as unknown as PoolAttrs;
  const info = backend_util.computePool3DInfo(x.shape as [number, number, number, number, number], a.filterSize as [number, number, number], a.strides as [number, number, number], 1, a.pad as 'valid' | 'same' | number, a.dimRoundingMode);
  return launch(b, kind, info, x, x.shape, 'float32', dy);
};

const maxPoolWithArgmax: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo;
  const a = attrs as unknown as PoolAttrs;
  const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize as [number, number], a.strides as [number, number], [1, 1], a.pad);
  const values = launch(b, 'max', info, x, info.outShape, x.dtype === 'float32' ? 'float32' : 'int32');
  const indexes = launch(b, 'argmax', info, x, info.outShape, 'int32', undefined, Boolean(a.includeBatchInIndex));
  return [values, indexes];
};

const k = (kernelName: string, kernelFunc: KernelFunc): KernelConfig => ({ kernelName, backendName: 'cuda', kernelFunc });
export const poolConfigs: KernelConfig[] = [
  k('MaxPool', pool2d('max')),
  k('AvgPool', pool2d('avg')),
  k('MaxPool3D', pool3d('max')),
  k('AvgPool3D', pool3d('avg')),
  k('MaxPoolGrad', grad2d('maxGrad')),
  k('AvgPoolGrad', grad2d('avgGrad')),
  k('MaxPool3DGrad', grad3d('maxGrad')),
  k('AvgPool3DGrad', grad3d('avgGrad')),
  k('MaxPoolWithArgmax', maxPoolWithArgmax),
];
