/** Launches the copy-by-coordinates kernel (codegen/indexmap.ts) and the shape kernels' common uses of it. */
import { util, type DataType, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { INDEX_MAP_MAX_RANK, INDEX_MODE, indexMapSource } from '../codegen/indexmap.ts';
import { arg } from '../runtime/launcher.ts';
import { gridFor, i8, l8 } from './struct_args.ts';

/** How one axis of the iteration space reads the input (see codegen/indexmap.ts). */
export interface AxisRead {
  readonly begin: number;
  readonly step: number;
  readonly mode: (typeof INDEX_MODE)[keyof typeof INDEX_MODE];
  /** The input's extent along the axis this one reads (bounds for the modes that need them). */
  readonly inDim: number;
  /** Elements between neighbours along that input axis. */
  readonly inStride: number;
}

export interface IndexMapCall {
  readonly name: string;
  readonly x: TensorInfo;
  /** The iteration space (the output's shape, or the region of `into` written). */
  readonly dims: readonly number[];
  readonly axes: readonly AxisRead[];
  /** Write into a region of this tensor (element offset and strides per iteration axis) instead of a new one. */
  readonly into?: { readonly t: TensorInfo; readonly offset: number; readonly strides: readonly number[] };
  /** Value of the elements a constant-mode axis reads outside the input (default 0). */
  readonly pad?: number;
}


/** The 32 bits a value has on the device for a dtype. */
export function valueBits(value: number, dtype: DataType): number {
  const dv = new DataView(new ArrayBuffer(4));
  if (deviceDtype(dtype, 'value') === 'float32') dv.setFloat32(0, value, true);
  else dv.setInt32(0, dtype === 'bool' ? (value ? 1 : 0) : value | 0, true);
  return dv.getUint32(0, true);
}

export function runIndexMap(b: CudaBackend, call: IndexMapCall): TensorInfo {
  const { dims, axes, x } = call;
  if (dims.length > INDEX_MAP_MAX_RANK) throw new Error(`not implemented on cuda: ${call.name} at rank ${dims.length} (max ${INDEX_MAP_MAX_RANK})`);
  deviceDtype(x.dtype, call.name);
  const out = call.into?.t ?? b.makeOutput(dims, x.dtype);
  const n = util.sizeFromShape(dims as number[]);
  if (n === 0) return out;
  const outStrides = call.into?.strides ?? stridesOf(dims);
  const { source, entry } = indexMapSource();
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
    arg.ptr(b.ptr(out) + 4 * (call.into?.offset ?? 0)), arg.ptr(b.ptr(x)), arg.u64(n), arg.i32(dims.length),
    i8(dims), i8(axes.map((a) => a.begin)), i8(axes.map((a) => a.step)), i8(axes.map((a) => a.inDim)), i8(axes.map((a) => a.mode)),
    l8(axes.map((a) => a.inStride)), l8(outStrides), arg.u32(valueBits(call.pad ?? 0, x.dtype)),
  ]);
  return out;
}

/** Contiguous strides of a shape (1 for the last axis; [] for a scalar). */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

/** out[c] = x[begin + c·step] per axis (StridedSlice, Reverse): affine reads of x's own axes. */
export function stridedRead(b: CudaBackend, name: string, x: TensorInfo, outShape: readonly number[], begin: readonly number[], step: readonly number[]): TensorInfo {
  const st = stridesOf(x.shape);
  return runIndexMap(b, {
    name, x, dims: outShape,
    axes: outShape.map((_, d) => ({ begin: begin[d]!, step: step[d]!, mode: INDEX_MODE.affine, inDim: x.shape[d]!, inStride: st[d]! })),
  });
}

/** Copies all of x into `into` at an element offset, x's axis d moving by strides[d] there (Concat, Pack). */
export function copyInto(b: CudaBackend, name: string, x: TensorInfo, into: TensorInfo, offset: number, strides: readonly number[]): void {
  const st = stridesOf(x.shape);
  runIndexMap(b, {
    name, x, dims: x.shape, into: { t: into, offset, strides },
    axes: x.shape.map((dim, d) => ({ begin: 0, step: 1, mode: INDEX_MODE.affine, inDim: dim, inStride: st[d]! })),
  });
}
