/** Runs the element-wise template: works out broadcasting, picks the signature, compiles once, launches. */
import { backend_util, util, type DataType, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { elementwiseSource, MAX_RANK, type ElementwiseOp, type InputMode } from '../codegen/elementwise.ts';
import type { Kernel } from '../runtime/launcher.ts';
import { INDEX_MODE } from '../codegen/indexmap.ts';
import { runIndexMap } from './indexmap.ts';

const THREADS = 256;
const MAX_BLOCKS = 1 << 20;
/** Above this many elements indices are 64-bit. */
const NARROW_LIMIT = 2 ** 31 - 1;

/** Contiguous strides of `shape`, aligned to an output of rank `rank`, with 0 on broadcast dimensions. */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const padded = [...new Array(rank - shape.length).fill(1), ...shape];
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = padded[d] === 1 && outShape[d] !== 1 ? 0 : s;
    s *= padded[d]!;
  }
  return strides;
}

export interface ElementwiseCall {
  readonly name: string;
  readonly op: ElementwiseOp;
  readonly inputs: readonly TensorInfo[];
  readonly outDtype: DataType;
  readonly params?: readonly [number, number?];
  /**
   * Custom output shape, per-input strides and (optionally) per-input element offsets of the first element read,
   * as Transpose and Slice use; default: broadcasting.
   */
  readonly layout?: { readonly outShape: readonly number[]; readonly strides: readonly (readonly number[])[]; readonly offsets?: readonly number[] };
  /** Write into this tensor instead of a new one (in-place epilogues). */
  readonly into?: TensorInfo;
}

/** Output shape of a broadcast over `inputs`; the common case (all the same shape) without tfjs's general helper. */
function broadcastShape(inputs: readonly TensorInfo[]): readonly number[] {
  const first = inputs[0]!.shape;
  let same = true;
  for (let i = 1; i < inputs.length && same; i++) same = util.arraysEqual(inputs[i]!.shape, first);
  if (same) return first;
  return inputs.map((t) => t.shape).reduce((a, b) => backend_util.assertAndGetBroadcastShape(a, b));
}

/**
 * Kernels by op expression, then call name, then signature code (input dtypes and modes, output dtype, rank,
 * index width, vector width packed in a small integer): no string is built per call.
 */
const kernelsByExpr = new Map<string, Map<string, Map<number, Kernel>>>();
const MODES: readonly InputMode[] = ['flat', 'scalar', 'strided'];
const OUT_CODE: Readonly<Record<string, number>> = { float32: 0, int32: 1, bool: 2 };

export function runElementwise(backend: CudaBackend, call: ElementwiseCall): TensorInfo {
  const { inputs } = call;
  const outShape = call.layout?.outShape ?? broadcastShape(inputs);
  const out = call.into ?? backend.makeOutput(outShape, call.outDtype);
  const n = util.sizeFromShape(outShape as number[]);
  if (n === 0) return out;
  const k = inputs.length;
  // Per input, 3 bits: the mode (0 flat, 1 scalar, 2 strided) and whether it is int32/bool on the device.
  let code = 0;
  let strided = false;
  for (let i = 0; i < k; i++) {
    const t = inputs[i]!;
    const size = util.sizeFromShape(t.shape);
    const m = size === 1 ? 1 : call.layout ? 2 : size === n && util.arraysEqual(t.shape, outShape as number[]) ? 0 : 2;
    if (m === 2) strided = true;
    code |= ((t.dtype === 'float32' ? 0 : 4) | m) << (3 * i);
  }
  if (strided && outShape.length > MAX_RANK) {
    throw new Error(`not implemented on cuda: ${call.name} ${call.layout ? 'with a strided layout' : 'with broadcasting'} at rank ${outShape.length} (max ${MAX_RANK})`);
  }
  const wide = n > NARROW_LIMIT;
  const vec4 = !strided && n % 4 === 0;
  const rank = strided ? outShape.length : 0;
  code |= ((OUT_CODE[call.outDtype] ?? 3) << 9) | (rank << 11) | (+wide << 14) | (+vec4 << 15);
  let byName = kernelsByExpr.get(call.op.expr);
  if (!byName) kernelsByExpr.set(call.op.expr, (byName = new Map()));
  let byCode = byName.get(call.name);
  if (!byCode) byName.set(call.name, (byCode = new Map()));
  let kernel = byCode.get(code);
  if (!kernel) {
    const inDtypes = inputs.map((t) => deviceDtype(t.dtype, call.name));
    const outDtype = deviceDtype(call.outDtype, call.name);
    const modes = inputs.map((_, i) => MODES[(code >> (3 * i)) & 3]!);
    const { source, entry } = elementwiseSource({ name: call.name, op: call.op, inDtypes, outDtype, modes, rank, wide, vec4 });
    kernel = backend.rt.compiler.kernel(source, entry);
    byCode.set(code, kernel);
  }
  // Argument slots, in the order of elementwiseSource's parameters, written without per-launch allocations.
  const L = backend.rt.launcher;
  let slot = 0;
  L.setU64(slot++, backend.ptr(out));
  for (let i = 0; i < k; i++) L.setU64(slot++, backend.ptr(inputs[i]!) + 4 * (call.layout?.offsets?.[i] ?? 0));
  if (wide) L.setU64(slot++, n);
  else L.setU32(slot++, n);
  L.setF32(slot++, call.params?.[0] ?? 0);
  L.setF32(slot++, call.params?.[1] ?? 0);
  if (strided) {
    L.setDims(slot++, outShape, wide);
    for (let i = 0; i < k; i++) {
      if (((code >> (3 * i)) & 3) !== 2) continue;
      L.setDims(slot++, call.layout ? call.layout.strides[i]! : broadcastStrides(inputs[i]!.shape, outShape), wide);
    }
  }
  // vec4 kernels handle two float4 per thread per iteration (more bytes in flight).
  const work = vec4 ? Math.ceil(n / 8) : n;
  L.launchSet(kernel, Math.min(Math.ceil(work / THREADS), MAX_BLOCKS), THREADS);
  return out;
}

/**
 * Transpose through the template: the input read with permuted strides. Above the template's rank (6), through the
 * copy-by-coordinates kernel (rank ≤ 8: BatchToSpaceND with three block dimensions transposes at rank 7).
 */
export function runTranspose(backend: CudaBackend, x: TensorInfo, perm: readonly number[]): TensorInfo {
  const outShape = perm.map((p) => x.shape[p]!);
  const inStrides = util.computeStrides(x.shape);
  const contiguous = [...inStrides, 1];
  const strides = perm.map((p) => contiguous[p]!);
  if (perm.every((p, i) => p === i)) return backend.view(x, x.shape);
  if (perm.length > MAX_RANK) {
    return runIndexMap(backend, {
      name: 'Transpose', x, dims: outShape,
      axes: perm.map((p, d) => ({ begin: 0, step: 1, mode: INDEX_MODE.affine, inDim: outShape[d]!, inStride: contiguous[p]! })),
    });
  }
  return runElementwise(backend, {
    name: 'Transpose',
    op: { expr: 'a', arity: 1 },
    inputs: [x],
    outDtype: x.dtype,
    layout: { outShape, strides: [strides] },
  });
}
