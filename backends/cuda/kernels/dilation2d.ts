/** Dilation2D and its gradients on cuda (codegen/misc.ts), over tfjs's computeDilation2DInfo, float32. */
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { DILATION_FIELDS, dilationSource, type DilationFields } from '../codegen/misc.ts';
import { fillWith } from '../ops/fill.ts';
import { gridFor } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';

const dilation = (kind: 'forward' | 'input' | 'filter'): KernelFunc => ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo, filter = inputs.filter as TensorInfo, dy = inputs.dy as TensorInfo | undefined;
  for (const t of [x, filter, dy]) if (t && t.dtype !== 'float32') throw new Error(`not implemented on cuda: Dilation2D for dtype ${t.dtype}`);
  const info = backend_util.computeDilation2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number], attrs!.strides as number | [number, number],
    attrs!.pad as 'valid' | 'same', 'NHWC', attrs!.dilations as number | [number, number]);
  const f: DilationFields = {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, ch: info.inChannels, outH: info.outHeight, outW: info.outWidth,
    fH: info.filterHeight, fW: info.filterWidth, sH: info.strideHeight, sW: info.strideWidth, dH: info.dilationHeight, dW: info.dilationWidth,
    padT: info.padInfo.top, padL: info.padInfo.left,
  };
  const out = b.makeOutput(kind === 'forward' ? info.outShape : kind === 'input' ? x.shape : filter.shape, 'float32');
  if (kind !== 'forward') fillWith(b, out, 0);
  const n = util.sizeFromShape(info.outShape);
  if (n === 0) return out;
  const { source, entry } = dilationSource(kind);
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
    arg.ptr(b.ptr(out)), arg.ptr(b.ptr(x)), arg.ptr(b.ptr(filter)), arg.ptr(dy ? b.ptr(dy) : 0), arg.u64(n), ...DILATION_FIELDS.map((k) => arg.i32(f[k])),
  ]);
  return out;
};

export const dilationConfigs: KernelConfig[] = [
  { kernelName: 'Dilation2D', backendName: 'cuda', kernelFunc: dilation('forward') },
  { kernelName: 'Dilation2DBackpropInput', backendName: 'cuda', kernelFunc: dilation('input') },
  { kernelName: 'Dilation2DBackpropFilter', backendName: 'cuda', kernelFunc: dilation('filter') },
];
