/**
 * Image kernels on cuda (codegen/image.ts, NHWC): ResizeBilinear, ResizeNearestNeighbor and their gradients,
 * CropAndResize, FlipLeftRight (a Reverse of the width axis: cpu's formula reads column W − 1 − c), RotateWithOffset,
 * Transform. Where tfjs-backend-cpu has a bug its tests do not reach, this follows the op's definition instead:
 * ResizeBilinearGrad returns the images' shape (cpu swaps height and width in it), Transform fills every batch
 * (cpu returns after the first), ResizeNearestNeighborGrad reads dy with dy's strides.
 */
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { castOp } from '../codegen/elementwise.ts';
import { imageSource, type ImageKernel } from '../codegen/image.ts';
import { runElementwise } from '../ops/elementwise.ts';
import { fillWith } from '../ops/fill.ts';
import { f64, gridFor } from '../ops/struct_args.ts';
import { arg, type KernelArg } from '../runtime/launcher.ts';
import { reverse } from './reverse.ts';


/** float32 view of an image for the kernels that compute in float (int32 converted, as cpu's arithmetic does). */
function asFloat(b: CudaBackend, t: TensorInfo): TensorInfo {
  return t.dtype === 'float32' ? t : runElementwise(b, { name: 'Cast_int32_float32', op: castOp('int32', 'float32'), inputs: [t], outDtype: 'float32' });
}
function release(b: CudaBackend, t: TensorInfo, original: TensorInfo): void {
  if (t !== original) b.disposeIntermediate(t);
}

/** Launches one image kernel over out's elements: pointers first, then the shape, then the kernel's own arguments. */
function launch(b: CudaBackend, kind: ImageKernel, out: TensorInfo, ptrs: readonly KernelArg[], shape: { batch: number; inH: number; inW: number; ch: number; outH: number; outW: number }, extra: readonly KernelArg[], count = util.sizeFromShape(out.shape)): void {
  if (count === 0) return;
  const { source, entry } = imageSource(kind);
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(count), [256], [
    arg.ptr(b.ptr(out)), ...ptrs, arg.u64(count), ...[shape.batch, shape.inH, shape.inW, shape.ch, shape.outH, shape.outW].map(arg.i32), ...extra,
  ]);
}

const resize = (nearest: boolean): KernelFunc => ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const images = inputs.images as TensorInfo;
  const [newH, newW] = attrs!.size as [number, number];
  const [batch, inH, inW, ch] = images.shape as [number, number, number, number];
  const src = nearest ? images : asFloat(b, images);
  const out = b.makeOutput([batch, newH, newW, ch], nearest ? images.dtype : 'float32');
  launch(b, nearest ? 'resizeNearest' : 'resizeBilinear', out, [arg.ptr(b.ptr(src))], { batch, inH, inW, ch, outH: newH, outW: newW },
    [arg.i32(attrs!.alignCorners ? 1 : 0), arg.i32(attrs!.halfPixelCenters ? 1 : 0)]);
  release(b, src, images);
  return out;
};

const resizeGrad = (nearest: boolean): KernelFunc => ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const images = inputs.images as TensorInfo, dy = inputs.dy as TensorInfo;
  const [batch, xH, xW, ch] = images.shape as [number, number, number, number];
  const [, yH, yW] = dy.shape as [number, number, number, number];
  const out = b.makeOutput(images.shape, 'float32');
  const align = arg.i32(attrs!.alignCorners ? 1 : 0);
  if (nearest) {
    launch(b, 'resizeNearestGrad', out, [arg.ptr(b.ptr(dy)), arg.i32(yH), arg.i32(yW)], { batch, inH: xH, inW: xW, ch, outH: xH, outW: xW }, [align, arg.i32(0)]);
  } else {
    fillWith(b, out, 0);
    launch(b, 'resizeBilinearGrad', out, [arg.ptr(b.ptr(dy))], { batch, inH: xH, inW: xW, ch, outH: yH, outW: yW }, [align, arg.i32(0)], util.sizeFromShape(dy.shape));
  }
  return out;
};

const cropAndResize: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const image = inputs.image as TensorInfo, boxes = inputs.boxes as TensorInfo, boxInd = inputs.boxInd as TensorInfo;
  const [cropH, cropW] = attrs!.cropSize as [number, number];
  const [batch, inH, inW, ch] = image.shape as [number, number, number, number];
  const numBoxes = boxes.shape[0]!;
  const src = asFloat(b, image);
  const out = b.makeOutput([numBoxes, cropH, cropW, ch], 'float32');
  // Boxes whose index is outside the batch keep cpu's zeros.
  fillWith(b, out, 0);
  launch(b, 'cropAndResize', out, [arg.ptr(b.ptr(src)), arg.ptr(b.ptr(boxes)), arg.ptr(b.ptr(boxInd)), arg.i32(batch), arg.i32(attrs!.method === 'nearest' ? 1 : 0), arg.f32(Number(attrs!.extrapolationValue ?? 0))],
    { batch: numBoxes, inH, inW, ch, outH: cropH, outW: cropW }, []);
  release(b, src, image);
  return out;
};

const rotateWithOffset: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const image = inputs.image as TensorInfo;
  const radians = attrs!.radians as number;
  const fill = attrs!.fillValue as number | [number, number, number];
  const [batch, h, w, ch] = image.shape as [number, number, number, number];
  const [cx, cy] = backend_util.getImageCenter(attrs!.center as number | [number, number], h, w);
  const f = typeof fill === 'number' ? [fill, fill, fill] : fill;
  const out = b.makeOutput(image.shape, image.dtype);
  launch(b, 'rotate', out, [
    arg.ptr(b.ptr(image)), arg.i32(image.dtype === 'float32' ? 0 : 1), f64(Math.sin(radians)), f64(Math.cos(radians)), f64(cx), f64(cy),
    f64(f[0]!), f64(f[1]!), f64(f[2]!), arg.i32(typeof fill === 'number' ? 0 : 1),
  ], { batch, inH: h, inW: w, ch, outH: h, outW: w }, []);
  return out;
};

const transform: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const image = inputs.image as TensorInfo, transforms = inputs.transforms as TensorInfo;
  const [batch, h, w, ch] = image.shape as [number, number, number, number];
  const [outH, outW] = (attrs!.outputShape as [number, number] | null | undefined) ?? [h, w];
  const modes: Record<string, number> = { constant: 0, reflect: 1, wrap: 2, nearest: 3 };
  const src = asFloat(b, image);
  const out = b.makeOutput([batch, outH, outW, ch], 'float32');
  launch(b, 'transform', out, [arg.ptr(b.ptr(src)), arg.ptr(b.ptr(transforms)), arg.i32(transforms.shape[0] === 1 ? 1 : 0), arg.i32(attrs!.interpolation === 'bilinear' ? 1 : 0),
    arg.i32(modes[attrs!.fillMode as string] ?? 0), arg.f32(Number(attrs!.fillValue ?? 0))], { batch, inH: h, inW: w, ch, outH, outW }, []);
  release(b, src, image);
  if (image.dtype === 'float32') return out;
  const back = runElementwise(b, { name: 'Cast_float32_int32', op: castOp('float32', 'int32'), inputs: [out], outDtype: image.dtype });
  b.disposeIntermediate(out);
  return back;
};

const k = (kernelName: string, kernelFunc: KernelFunc): KernelConfig => ({ kernelName, backendName: 'cuda', kernelFunc });
export const imageConfigs: KernelConfig[] = [
  k('ResizeBilinear', resize(false)),
  k('ResizeNearestNeighbor', resize(true)),
  k('ResizeBilinearGrad', resizeGrad(false)),
  k('ResizeNearestNeighborGrad', resizeGrad(true)),
  k('CropAndResize', cropAndResize),
  k('FlipLeftRight', ({ inputs, backend }) => reverse(backend as CudaBackend, inputs.image as TensorInfo, 2)),
  k('RotateWithOffset', rotateWithOffset),
  k('Transform', transform),
];
