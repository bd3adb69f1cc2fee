/**
 * Row-major batched matmul through cuBLASLt. A row-major [r, c] buffer is a column-major c×r matrix,
 * so C = op(A)·op(B) (row-major) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ in column-major with the operands
 * swapped; the bias epilogue then broadcasts along the row-major last axis, exactly as a [N] bias should.
 */
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import type { Epilogue } from '../ffi/cublaslt.ts';
import { castOp } from '../codegen/elementwise.ts';
import { broadcastStrides, runElementwise } from './elementwise.ts';

export interface MatmulArgs {
  readonly a: TensorInfo;
  readonly b: TensorInfo;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  /** 1-D [N] bias for the epilogue, or undefined. */
  readonly bias?: TensorInfo;
  /** Epilogue without its bias part: 'none' | 'relu' | 'geluTanh'. */
  readonly act: 'none' | 'relu' | 'geluTanh';
  readonly name: string;
  /** Scale of the product (cuBLASLt's alpha), applied before the epilogue; default 1. */
  readonly alpha?: number;
}

const isIntLike = (t: TensorInfo): boolean => t.dtype === 'int32' || t.dtype === 'bool';

/**
 * int32 (or bool) operands, as tfjs allows for BatchMatMul (an int32 result): converted to float32, one float32
 * GEMM, the result stored as int32. Exact while every product and partial sum stays below 2^24 in magnitude, which
 * covers tfjs's int32 matmul uses (index arithmetic, small counts); cuBLASLt has no int32 GEMM with int32 inputs.
 */
function intMatmulViaFloat(backend: CudaBackend, m: MatmulArgs): TensorInfo {
  const toFloat = (t: TensorInfo): TensorInfo => runElementwise(backend, { name: 'Cast_int32_float32', op: castOp('int32', 'float32'), inputs: [t], outDtype: 'float32' });
  const a = toFloat(m.a), b = toFloat(m.b);
  const y = runMatmul(backend, { ...m, a, b });
  // tfjs-backend-cpu's result has a's dtype (int32; bool only when both are bool).
  const out = runElementwise(backend, { name: 'Cast_float32_int32', op: castOp('float32', 'int32'), inputs: [y], outDtype: m.a.dtype });
  for (const t of [a, b, y]) backend.disposeIntermediate(t);
  return out;
}

export function runMatmul(backend: CudaBackend, m: MatmulArgs): TensorInfo {
  const { a, b, transposeA, transposeB } = m;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    if (isIntLike(a) && isIntLike(b) && !m.bias && m.act === 'none' && m.alpha === undefined) return intMatmulViaFloat(backend, m);
    throw new Error(`not implemented on cuda: ${m.name} with dtypes ${a.dtype}×${b.dtype} (float32, or int32 without an epilogue)`);
  }
  const aRank = a.shape.length, bRank = b.shape.length;
  const M = transposeA ? a.shape[aRank - 1]! : a.shape[aRank - 2]!;
  const K = transposeA ? a.shape[aRank - 2]! : a.shape[aRank - 1]!;
  const K2 = transposeB ? b.shape[bRank - 1]! : b.shape[bRank - 2]!;
  const N = transposeB ? b.shape[bRank - 2]! : b.shape[bRank - 1]!;
  if (K !== K2) throw new Error(`${m.name}: inner dimensions ${K} and ${K2} differ (shapes ${a.shape} and ${b.shape}, transposeA=${transposeA}, transposeB=${transposeB})`);
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const batchShape = backend_util.assertAndGetBroadcastShape(batchA, batchB);
  const batch = util.sizeFromShape(batchShape);
  const out = backend.makeOutput([...batchShape, M, N], 'float32');
  if (batch * M * N === 0) return out;
  if (K === 0) {
    backend.rt.driver.memsetD32(backend.ptr(out), 0, batch * M * N);
    return out;
  }
  // Broadcast batches: a side with one batch is read with stride 0; anything else is materialised.
  const toDispose: TensorInfo[] = [];
  const expand = (t: TensorInfo, tb: readonly number[]): { t: TensorInfo; stride: number } => {
    const mat = t.shape[t.shape.length - 2]! * t.shape[t.shape.length - 1]!;
    const n = util.sizeFromShape(tb as number[]);
    if (n === batch) return { t, stride: mat };
    if (n === 1) return { t, stride: 0 };
    const shape = [...batchShape, ...t.shape.slice(-2)];
    const full = runElementwise(backend, { name: `${m.name}.broadcast`, op: { expr: 'a', arity: 1 }, inputs: [t], outDtype: 'float32', layout: { outShape: shape, strides: [broadcastStrides(t.shape, shape)] } });
    toDispose.push(full);
    return { t: full, stride: mat };
  };
  const A = expand(a, batchA);
  const B = expand(b, batchB);
  const hasBias = m.bias !== undefined;
  const epilogue: Epilogue = m.act === 'none' ? (hasBias ? 'bias' : 'none') : m.act === 'relu' ? (hasBias ? 'reluBias' : 'relu') : hasBias ? 'geluTanhBias' : 'geluTanh';
  // Column-major view: D (N×M) = op1 (N×K) · op2 (K×M), op1 from b, op2 from a.
  backend.rt.lt.matmul(
    {
      transA: transposeB,
      transB: transposeA,
      m: N,
      n: M,
      k: K,
      lda: transposeB ? K : N,
      ldb: transposeA ? M : K,
      ldd: N,
      batch,
      strideA: B.stride,
      strideB: A.stride,
      strideD: M * N,
      epilogue,
    },
    backend.ptr(B.t),
    backend.ptr(A.t),
    backend.ptr(out),
    hasBias ? backend.ptr(m.bias!) : 0,
    m.alpha ?? 1,
  );
  for (const t of toDispose) backend.disposeIntermediate(t);
  return out;
}

