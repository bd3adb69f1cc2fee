/**
 * FusebenchSDPA's blocked WebGPU kernel: softmax(q·kᵀ·scale)·v in one pass (online softmax), for D a multiple of 16
 * up to 64, every per-invocation value a named scalar or vec4 (no function-scope arrays at all).
 *
 * Why another kernel: the tiled kernel (webgpu_tiled.ts) keeps its scores and accumulators in function-scope
 * arrays indexed by loop variables; on the H200 (Dawn, Vulkan) its time per workgroup tile grew with the number of
 * workgroups per SM (12h×512: 344 µs, 1.45× tfjs's unfused kernels), the signature of arrays placed in local memory
 * rather than registers. Here the generator unrolls everything that touches per-invocation state, so the state
 * can only live in registers.
 *
 * A workgroup of 128 invocations owns BR = 32 query rows (or 16: twice the workgroups, for long S with few heads);
 * invocation (ty, tx) = (i / 16, i % 16) holds rows ty + 8·i (i < BR/8) and, per key tile of BC = 32, keys tx and
 * tx + 16: a 4×2 (2×2) register tile of scores; for the output, the same rows × vec4 column tx. Per tile:
 *   1. V(t) is read into registers; the scores from the Q block and K(t) in workgroup memory (Q pre-scaled by
 *      scale·log2 e, so exp2); V(t) is stored; each row's partial max goes to workgroup memory;        barrier
 *   2. the row max is the 16 partials; p = exp2(s − m), the correction of l and acc, p to workgroup memory;  barrier
 *   3. K(t+1) is read into registers; acc += p·v over the tile (4 keys per vec4 of p); K(t+1) is stored;  barrier
 * so the global loads of each tile overlap the arithmetic of the other half, with 3 barriers per 32 keys. Row sums
 * are per-invocation partials, added once at the end. Every var has an initializer (Dawn on Vulkan zeroes a
 * loop-local var without one only once: docs/webgpu.md, "Finding").
 *
 * Workgroup memory (D = 64): Q 32×16 vec4, K 32×17 vec4 (odd stride: the 16 invocations of a row read 16 keys at
 * one depth from different banks), V 32×16 vec4, P 32×32 f32, partial maxima 32×16 f32: 31 232 bytes.
 * Bytes: q read once, k and v once per 32 queries, out written once.
 */
import { PLAIN_MAIN, type WebGPUProgram } from '../common/webgpu_program.ts';

/** Query rows per workgroup: 32 (4 per invocation), or 16 (2 per invocation: twice the workgroups, for long S and few heads). */
export const BLOCKED_ROW_CHOICES = [32, 16] as const;
/** Keys per tile. */
export const BLOCKED_KEYS = 32;
export const BLOCKED_INVOCATIONS = 128;
/** The most workgroup memory the blocked kernel may use, whatever the device allows (as the tiled kernel). */
export const BLOCKED_MAX_BUDGET_BYTES = 32768;

export interface SdpaBlocking {
  readonly d: number;
  /** Query rows per workgroup (8 per row of invocations… 4 or 2 per invocation). */
  readonly rows: (typeof BLOCKED_ROW_CHOICES)[number];
  /** vec4 per row. */
  readonly d4: number;
  /** Row stride of the K tile, in vec4 (odd). */
  readonly kStride: number;
  readonly workgroupBytes: number;
}

/** The blocking for head dim `d` within `budgetBytes` of workgroup memory, or null (D not a multiple of 16 up to 64, or too little memory). */
export function sdpaBlocking(d: number, budgetBytes: number, rows: SdpaBlocking['rows'] = 32): SdpaBlocking | null {
  if (!Number.isInteger(d) || d < 16 || d > 64 || d % 16 !== 0) return null;
  const d4 = d / 4;
  const kStride = d4 % 2 === 0 ? d4 + 1 : d4;
  const vec4s = rows * d4 + BLOCKED_KEYS * kStride + BLOCKED_KEYS * d4;
  const floats = rows * BLOCKED_KEYS + rows * 16;
  const workgroupBytes = 16 * vec4s + 4 * floats;
  return workgroupBytes <= Math.min(budgetBytes, BLOCKED_MAX_BUDGET_BYTES) ? { d, rows, d4, kStride, workgroupBytes } : null;
}

const KEYS = [0, 1] as const;

export function sdpaBlockedWgsl(b: SdpaBlocking): string {
  const { d4 } = b;
  const BR = b.rows;
  const ROWS = Array.from({ length: BR / 8 }, (_, i) => i);
  /** Elements of the 32-key K or V tile each invocation moves: 32·D4 / 128. */
  const n = (BLOCKED_KEYS * d4) / BLOCKED_INVOCATIONS;
  const lines = (f: (i: number) => string, count: number): string => Array.from({ length: count }, (_, i) => f(i)).join('\n      ');
  // Element e = li + 128·u of a tile [32][D4]: row e / D4, column e % D4 (D4 divides 128·u's step: D4 | 32).
  const tileRead = (name: string, src: 'K' | 'V', key0: string): string => lines((u) =>
    `let ${name}e${u} = li + ${u * BLOCKED_INVOCATIONS};\n      var ${name}${u} = vec4<f32>(0.0);\n      if (${key0} + ${name}e${u} / D4 < S) { ${name}${u} = ${src}[base + ${key0} * D4 + ${name}e${u}]; }`, n);
  const kStore = (name: string): string => lines((u) => `Ks[(${name}e${u} / D4) * KS + ${name}e${u} % D4] = ${name}${u};`, n);
  const vStore = (name: string): string => lines((u) => `Vs[${name}e${u}] = ${name}${u};`, n);
  const rowMax = (i: number): string =>
    `let ra${i} = max(max(Red[(ty + ${8 * i}) * 4], Red[(ty + ${8 * i}) * 4 + 1]), max(Red[(ty + ${8 * i}) * 4 + 2], Red[(ty + ${8 * i}) * 4 + 3]));\n      let mt${i} = max(max(ra${i}.x, ra${i}.y), max(ra${i}.z, ra${i}.w));`;
  const rowSum = (i: number): string =>
    `let rb${i} = Red[(ty + ${8 * i}) * 4] + Red[(ty + ${8 * i}) * 4 + 1] + Red[(ty + ${8 * i}) * 4 + 2] + Red[(ty + ${8 * i}) * 4 + 3];\n    let total${i} = rb${i}.x + rb${i}.y + rb${i}.z + rb${i}.w;`;
  const each = (f: (i: number, j: number) => string): string => ROWS.flatMap((i) => KEYS.map((j) => f(i, j))).join('\n      ');
  const eachRow = (f: (i: number) => string): string => ROWS.map(f).join('\n      ');
  return `
  const D4 : i32 = ${d4};
  const KS : i32 = ${b.kStride};
  var<workgroup> Qs : array<vec4<f32>, ${BR * d4}>;
  var<workgroup> Ks : array<vec4<f32>, ${BLOCKED_KEYS * b.kStride}>;
  var<workgroup> Vs : array<vec4<f32>, ${BLOCKED_KEYS * d4}>;
  var<workgroup> Ps : array<vec4<f32>, ${(BR * BLOCKED_KEYS) / 4}>;
  var<workgroup> Red : array<vec4<f32>, ${(BR * 16) / 4}>;

  ${PLAIN_MAIN} {
    let S = uniforms.qShape.y;
    let bh = i32(workgroupId.y);
    let li = i32(localIndex);
    let ty = li / 16;
    let tx = li % 16;
    let col = min(tx, D4 - 1);
    let q0 = i32(workgroupId.x) * ${BR};
    let base = bh * S * D4;
    let qscale = uniforms.scale * 1.4426950408889634;
    for (var e = li; e < ${BR} * D4; e += ${BLOCKED_INVOCATIONS}) {
      var v = vec4<f32>(0.0);
      if (q0 + e / D4 < S) { v = Q[base + q0 * D4 + e] * qscale; }
      Qs[e] = v;
    }
    {
      ${tileRead('kr', 'K', '0')}
      ${kStore('kr')}
    }
    // Row i of this invocation is ty + 8i. A finite stand-in for −∞: before the first tile exp2(m_old − m_new) is 0.
    ${eachRow((i) => `var m${i} = -3.0e38;\n      var l${i} = 0.0;\n      var acc${i} = vec4<f32>(0.0);`)}
    workgroupBarrier();
    let tiles = (S + ${BLOCKED_KEYS - 1}) / ${BLOCKED_KEYS};
    for (var t = 0; t < tiles; t++) {
      let k0 = t * ${BLOCKED_KEYS};
      ${tileRead('vr', 'V', 'k0')}
      ${each((i, j) => `var s${i}${j} = 0.0;`)}
      for (var d = 0; d < D4; d++) {
        ${eachRow((i) => `let qa${i} = Qs[(ty + ${8 * i}) * D4 + d];`)}
        let kb0 = Ks[tx * KS + d];
        let kb1 = Ks[(tx + 16) * KS + d];
        ${each((i, j) => `s${i}${j} += dot(qa${i}, kb${j});`)}
      }
      ${vStore('vr')}
      // Keys past S get −3e38: exp2(−3e38 − m) is 0.
      if (k0 + tx >= S) { ${ROWS.map((i) => `s${i}0 = -3.0e38;`).join(' ')} }
      if (k0 + tx + 16 >= S) { ${ROWS.map((i) => `s${i}1 = -3.0e38;`).join(' ')} }
      ${eachRow((i) => `Red[(ty + ${8 * i}) * 4 + tx / 4][tx % 4] = max(s${i}0, s${i}1);`)}
      workgroupBarrier();
      ${eachRow(rowMax)}
      ${eachRow((i) => `let mn${i} = max(m${i}, mt${i});\n      let al${i} = exp2(m${i} - mn${i});\n      m${i} = mn${i};`)}
      ${each((i, j) => `let p${i}${j} = exp2(s${i}${j} - mn${i});`)}
      ${eachRow((i) => `l${i} = l${i} * al${i} + p${i}0 + p${i}1;\n      acc${i} = acc${i} * al${i};`)}
      ${eachRow((i) => `Ps[(ty + ${8 * i}) * 8 + tx / 4][tx % 4] = p${i}0;\n      Ps[(ty + ${8 * i}) * 8 + 4 + tx / 4][tx % 4] = p${i}1;`)}
      workgroupBarrier();
      let k1 = k0 + ${BLOCKED_KEYS};
      ${tileRead('kn', 'K', 'k1')}
      for (var c4 = 0; c4 < ${BLOCKED_KEYS / 4}; c4++) {
        ${eachRow((i) => `let pa${i} = Ps[(ty + ${8 * i}) * 8 + c4];`)}
        let v0 = Vs[(c4 * 4) * D4 + col];
        let v1 = Vs[(c4 * 4 + 1) * D4 + col];
        let v2 = Vs[(c4 * 4 + 2) * D4 + col];
        let v3 = Vs[(c4 * 4 + 3) * D4 + col];
        ${eachRow((i) => `acc${i} = fma(vec4<f32>(pa${i}.x), v0, acc${i});\n        acc${i} = fma(vec4<f32>(pa${i}.y), v1, acc${i});\n        acc${i} = fma(vec4<f32>(pa${i}.z), v2, acc${i});\n        acc${i} = fma(vec4<f32>(pa${i}.w), v3, acc${i});`)}
      }
      ${kStore('kn')}
      workgroupBarrier();
    }
    // The row sums: each invocation holds the sum over its own keys.
    ${eachRow((i) => `Red[(ty + ${8 * i}) * 4 + tx / 4][tx % 4] = l${i};`)}
    workgroupBarrier();
    ${ROWS.map(rowSum).join('\n    ')}
    if (tx < D4) {
      ${eachRow((i) => `if (q0 + ty + ${8 * i} < S) { result[base + (q0 + ty + ${8 * i}) * D4 + tx] = acc${i} / total${i}; }`)}
    }
  }`;
}

export class SdpaBlockedProgram implements WebGPUProgram {
  variableNames = ['Q', 'K', 'V'];
  variableComponents = [4, 4, 4];
  outputComponent = 4;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [1], y: [0], z: [2] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [BLOCKED_INVOCATIONS, 1, 1];
  uniforms = 'scale : f32,';
  readonly blocking: SdpaBlocking;

  constructor(bh: number, seq: number, blocking: SdpaBlocking) {
    this.blocking = blocking;
    this.outputShape = [bh, seq, blocking.d];
    this.dispatch = [Math.ceil(seq / blocking.rows), bh, 1];
    this.shaderKey = `fusebench_sdpa_blocked_${blocking.d}_${blocking.rows}_${blocking.kStride}`;
  }

  getUserCode(): string {
    return sdpaBlockedWgsl(this.blocking);
  }
}
