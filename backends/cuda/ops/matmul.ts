/**
 * Row-major batched matmul through cuBLASLt. A row-major [r, c] buffer is a column-major c×r matrix,
 * so C = op(A)·op(B) (row-major) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ in column-major with the operands
 * swapped; the bias epilogue then broadcasts along the row-major last axis, exactly as a [N] bias should.
 */
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import type { Epilogue } from '../ffi/cublaslt.ts';
import { runElementwise } from './elementwise.ts';

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

export function runMatmul(backend: CudaBackend, m: MatmulArgs): TensorInfo {
  const { a, b, transposeA, transposeB } = m;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new Error(`not implemented on cuda: ${m.name} with dtypes ${a.dtype}×${b.dtype} (float32 only)`);
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
    const full = runElementwise(backend, { name: `${m.name}.broadcast`, op: { expr: 'a', arity: 1 }, inputs: [t], outDtype: 'float32', ...broadcastTo(t, [...batchShape, ...t.shape.slice(-2)]) });
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

function broadcastTo(t: TensorInfo, shape: readonly number[]): { layout: { outShape: readonly number[]; strides: number[][] } } {
  const rank = shape.length;
  const padded = [...new Array(rank - t.shape.length).fill(1), ...t.shape];
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = padded[d] === 1 && shape[d] !== 1 ? 0 : s;
    s *= padded[d]!;
  }
  return { layout: { outShape: shape, strides: [strides] } };
}
