/** Runs the element-wise template: works out broadcasting, picks the signature, compiles once, launches. */
import { backend_util, util, type DataType, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { elementwiseSource, MAX_RANK, type ElementwiseOp, type InputMode } from '../codegen/elementwise.ts';
import { arg, type Kernel, type KernelArg } from '../runtime/launcher.ts';

const THREADS = 256;
const kernelCache = new Map<string, Kernel>();
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
  /** Custom output shape and per-input strides (used by Transpose); default: broadcasting. */
  readonly layout?: { readonly outShape: readonly number[]; readonly strides: readonly (readonly number[])[] };
  /** Write into this tensor instead of a new one (in-place epilogues). */
  readonly into?: TensorInfo;
}

export function runElementwise(backend: CudaBackend, call: ElementwiseCall): TensorInfo {
  const { inputs } = call;
  const outShape = call.layout?.outShape ?? inputs.map((t) => t.shape).reduce((a, b) => backend_util.assertAndGetBroadcastShape(a, b));
  const out = call.into ?? backend.makeOutput(outShape, call.outDtype);
  const n = util.sizeFromShape(outShape as number[]);
  if (n === 0) return out;
  const modes: InputMode[] = inputs.map((t, i) => {
    if (call.layout) return util.sizeFromShape(t.shape) === 1 ? 'scalar' : 'strided';
    const size = util.sizeFromShape(t.shape);
    if (size === 1) return 'scalar';
    return size === n && util.arraysEqual(t.shape, outShape as number[]) ? 'flat' : 'strided';
  });
  const strided = modes.some((m) => m === 'strided');
  if (strided && outShape.length > MAX_RANK) throw new Error(`not implemented on cuda: ${call.name} with broadcasting at rank ${outShape.length} (max ${MAX_RANK})`);
  const wide = n > NARROW_LIMIT;
  const vec4 = !strided && n % 4 === 0;
  const inDtypes = inputs.map((t) => deviceDtype(t.dtype, call.name));
  const outDtype = deviceDtype(call.outDtype, call.name);
  const rank = strided ? outShape.length : 0;
  // The signature key is short; generating and hashing the source happens once per signature.
  const key = `${call.name}|${call.op.expr}|${inDtypes.join()}|${outDtype}|${modes.join()}|${rank}|${+wide}|${+vec4}`;
  let kernel = kernelCache.get(key);
  if (!kernel) {
    const { source, entry } = elementwiseSource({ name: call.name, op: call.op, inDtypes, outDtype, modes, rank, wide, vec4 });
    kernel = backend.rt.compiler.kernel(source, entry);
    kernelCache.set(key, kernel);
  }
  const args: KernelArg[] = [arg.ptr(backend.ptr(out)), ...inputs.map((t) => arg.ptr(backend.ptr(t))), arg.idx(n, wide), arg.f32(call.params?.[0] ?? 0), arg.f32(call.params?.[1] ?? 0)];
  if (strided) {
    args.push(arg.dims(outShape, wide));
    inputs.forEach((t, i) => {
      if (modes[i] !== 'strided') return;
      args.push(arg.dims(call.layout ? call.layout.strides[i]! : broadcastStrides(t.shape, outShape), wide));
    });
  }
  // vec4 kernels handle two float4 per thread per iteration (more bytes in flight).
  const work = vec4 ? Math.ceil(n / 8) : n;
  backend.rt.launcher.launch(kernel, [Math.min(Math.ceil(work / THREADS), MAX_BLOCKS)], [THREADS], args);
  return out;
}

/** Transpose through the template: the input read with permuted strides. */
export function runTranspose(backend: CudaBackend, x: TensorInfo, perm: readonly number[]): TensorInfo {
  const outShape = perm.map((p) => x.shape[p]!);
  const inStrides = util.computeStrides(x.shape);
  const contiguous = [...inStrides, 1];
  const strides = perm.map((p) => contiguous[p]!);
  if (perm.every((p, i) => p === i)) return backend.view(x, x.shape);
  return runElementwise(backend, {
    name: 'Transpose',
    op: { expr: 'a', arity: 1 },
    inputs: [x],
    outDtype: x.dtype,
    layout: { outShape, strides: [strides] },
  });
}
