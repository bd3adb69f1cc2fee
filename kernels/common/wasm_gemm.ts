/**
 * A register-blocked f32x4 GEMM in generated WebAssembly, for the wasm attention kernels (sdpa, qkt_softmax).
 *
 * Why our own: tfjs-backend-wasm multiplies batched or transposed-B matrices in its scalar blocked loop
 * (batch_mat_mul_impl.cc `slow_batch_matmul`, ~1.5 GFLOP/s here) and reaches XNNPACK only for one batch without
 * transposes. Q·Kᵀ is transposed-B by nature and attention has many heads, so the unfused ops mostly run that loop.
 * This GEMM is the shape XNNPACK's wasm SIMD kernels have: a tile of MR rows × 8 columns held in 2·MR v128
 * accumulators, B read as 8-wide panels, each A element broadcast (v128.load32_splat) and multiplied into both
 * halves of the panel row; per k step 2 B loads and MR splats feed 4·MR f32x4 operations (mul and add: wasm SIMD
 * has no FMA before relaxed SIMD, which Node 20 does not enable). The shape was measured, not guessed (AMD EPYC,
 * Node 20, 2048 × 64 · 64 × 2048 in blocks of 16 rows): MR 4 with the k loop not unrolled runs at 40 GFLOP/s,
 * about 83 % of the 2 mul + 2 add per cycle this core issues; unrolling k by 2, 4 or 8 drops it to 28, 26 and
 * 20 GFLOP/s, MR 5 and 6 to 24 (V8 spills), MR 2 gives 34. XNNPACK's matMul reaches 25–32 GFLOP/s here.
 *
 * gemm(a, lda, b, bPanel, bRow, c, ldc, m, panels, k, alpha): for each panel p < panels and row i < m,
 *   C[i, 8p .. 8p+8) = alpha · Σ_kk A[i, kk] · B_p[kk, 0 .. 8)
 * with A[i, kk] at a + i·lda + 4·kk, B_p[kk, :] at b + p·bPanel + kk·bRow (8 floats), C[i, 8p + j] at
 * c + i·ldc + 4·(8p + j). Byte offsets and strides; `panels` whole panels of 8 columns are always written, so a
 * caller whose N is not a multiple of 8 pads B and gives a C with room (see padded panels in wasm_attention.ts).
 */
import { F32, I32, loopWhileBelow, memarg, op, s32, simdOp, V128, type WasmFunction } from './wasm_encoder.ts';

/** Rows per register tile: 2·MR accumulators + 2 B vectors + 1 splat fit x64's 16 vector registers. */
export const GEMM_MR = 4;

const PARAMS = ['a', 'lda', 'b', 'bPanel', 'bRow', 'c', 'ldc', 'm', 'panels', 'k'] as const;
const I32_LOCALS = ['p', 'i', 'mEnd', 'kk', 'bp', 'bq', 'ap', 'cr', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5'] as const;

function layout(mr: number) {
  const index = new Map<string, number>();
  let n = 0;
  for (const name of [...PARAMS, 'alpha', ...I32_LOCALS]) index.set(name, n++);
  const v = (name: string): number => {
    if (!index.has(name)) index.set(name, n++);
    return index.get(name)!;
  };
  const vNames = ['alphaV', 'b0', 'b1', 'av'];
  for (let r = 0; r < mr; r++) vNames.push(`c${r}0`, `c${r}1`);
  for (const name of vNames) v(name);
  return { l: (name: string): number => index.get(name)!, vCount: vNames.length };
}

const get = (i: number): number[] => [op.localGet, i];
const set = (i: number): number[] => [op.localSet, i];
const addTo = (dst: number, src: number): number[] => [...get(dst), ...get(src), op.i32Add, ...set(dst)];
const addConst = (dst: number, k: number): number[] => [...get(dst), op.i32Const, ...s32(k), op.i32Add, ...set(dst)];
const zeroV = [...simdOp.v128Const, ...new Array<number>(16).fill(0)];

/** One tile of `mr` rows: accumulate over k, scale by alpha, store. */
function tile(mr: number, l: (n: string) => number): number[] {
  const out: number[] = [];
  // row pointers a0..a(mr-1) into A
  out.push(...get(l('ap')), ...set(l('a0')));
  for (let r = 1; r < mr; r++) out.push(...get(l(`a${r - 1}`)), ...get(l('lda')), op.i32Add, ...set(l(`a${r}`)));
  for (let r = 0; r < mr; r++) out.push(...zeroV, ...set(l(`c${r}0`)), ...zeroV, ...set(l(`c${r}1`)));
  out.push(...get(l('bp')), ...set(l('bq')), op.i32Const, 0, ...set(l('kk')));
  const step: number[] = [
    ...get(l('bq')), ...simdOp.load, ...memarg(2, 0), ...set(l('b0')),
    ...get(l('bq')), ...simdOp.load, ...memarg(2, 16), ...set(l('b1')),
  ];
  for (let r = 0; r < mr; r++) {
    step.push(...get(l(`a${r}`)), ...simdOp.load32Splat, ...memarg(2, 0), ...set(l('av')));
    for (const h of [0, 1]) {
      step.push(...get(l(`c${r}${h}`)), ...get(l('av')), ...get(l(`b${h}`)), ...simdOp.f32x4Mul, ...simdOp.f32x4Add, ...set(l(`c${r}${h}`)));
    }
  }
  step.push(...addTo(l('bq'), l('bRow')));
  for (let r = 0; r < mr; r++) step.push(...addConst(l(`a${r}`), 4));
  out.push(...loopWhileBelow(l('kk'), l('k'), 1, step));
  // C rows: cr + r·ldc; a0 is free now and walks them
  out.push(...get(l('cr')), ...set(l('a0')));
  for (let r = 0; r < mr; r++) {
    for (const h of [0, 1]) {
      out.push(...get(l('a0')), ...get(l(`c${r}${h}`)), ...get(l('alphaV')), ...simdOp.f32x4Mul, ...simdOp.store, ...memarg(2, 16 * h));
    }
    if (r + 1 < mr) out.push(...addTo(l('a0'), l('ldc')));
  }
  return out;
}

/** The exported `gemm` function (see the file comment): tiles of `mr` rows, then single rows. */
export function gemmFunction(mr = GEMM_MR, exportName = 'gemm'): WasmFunction {
  if (mr < 1 || mr > 6) throw new Error(`gemmFunction: mr must be 1..6 (got ${mr})`);
  const { l, vCount } = layout(mr);
  const rowsLoop = (rows: number, endLocal: number): number[] => loopWhileBelow(l('i'), endLocal, rows, [
    ...tile(rows, l),
    ...get(l('ap')), ...get(l('lda')), op.i32Const, ...s32(rows), op.i32Mul, op.i32Add, ...set(l('ap')),
    ...get(l('cr')), ...get(l('ldc')), op.i32Const, ...s32(rows), op.i32Mul, op.i32Add, ...set(l('cr')),
  ]);
  const panelBody = [
    op.i32Const, 0, ...set(l('i')), ...get(l('a')), ...set(l('ap')),
    ...get(l('c')), ...get(l('p')), op.i32Const, 5, op.i32Shl, op.i32Add, ...set(l('cr')),
    ...rowsLoop(mr, l('mEnd')),
    ...(mr > 1 ? rowsLoop(1, l('m')) : []),
    ...addTo(l('bp'), l('bPanel')),
  ];
  const body = [
    ...get(l('alpha')), ...simdOp.f32x4Splat, ...set(l('alphaV')),
    ...get(l('m')), ...get(l('m')), op.i32Const, ...s32(mr), op.i32RemU, op.i32Sub, ...set(l('mEnd')),
    ...get(l('b')), ...set(l('bp')),
    op.i32Const, 0, ...set(l('p')),
    ...loopWhileBelow(l('p'), l('panels'), 1, panelBody),
  ];
  return {
    exportName,
    params: [...new Array<number>(PARAMS.length).fill(I32), F32],
    locals: [[I32_LOCALS.length, I32], [vCount, V128]],
    body,
  };
}
