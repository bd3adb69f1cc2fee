/**
 * FusebenchSDPA's tiled kernel (FlashAttention-style): softmax(q·kᵀ·scale)·v in one pass, the [S,S] scores
 * never leaving registers and workgroup memory.
 *
 * A workgroup of 128 invocations takes BR = 16 query rows of one (batch·head). Invocation i is (r, c) with
 * r = i / 16 and c = i % 16; it owns query rows r and r + 8 for the scores and the output alike, so each row's
 * running max, correction and sum stay in the invocation that uses them. The scaled Q block sits in workgroup
 * memory for the whole kernel; K and V stream through one tile of BC keys (K, then V in the same memory).
 * Per key tile:
 *   1. load the K tile;                                                                barrier
 *   2. scores as a register tile: keys c, c+16, … (BC/16 of them) × rows r, r+8, each Q and K element loaded once
 *      per 2 or BC/16 products; each invocation writes its rows' partial max;          barrier
 *   3. load the V tile; the row max is the 16 partials; rescale the accumulators by exp(m_old − m_new) and write
 *      p = exp(s − m_new) for the invocation's own keys (scores never written);        barrier
 *   4. acc += p·v: output columns c, c+16, … (vec4 groups when D % 4 == 0) of rows r and r+8, reading p four keys
 *      at a time;                                                                      barrier
 * The row sums are per-invocation partials, added once at the end. Every accumulator is initialised explicitly
 * (Dawn on Vulkan zeroes a loop-local `var` only once: docs/webgpu.md, "Finding").
 *
 * Subgroups (Dawn's `subgroups` feature) would replace the partial-max exchange, but tfjs-webgpu 4.22's
 * makeShader puts its own declarations before the program's code and WGSL wants `enable subgroups;` first, so a
 * subgroup variant needs a pipeline of our own outside runWebGPUProgram; this kernel uses workgroup memory only.
 *
 * Workgroup memory, in floats: 16·D (Q) + BC·stride (K or V tile) + 16·BC (p) + 16·16 (partial max, then the
 * sums). The K/V tile's row stride is odd in vec4 (or f32) units, so the 16 invocations reading keys c + 16j at
 * one depth hit different banks. BC is the largest of 64, 32, 16 that fits the budget; the budget is the device's
 * workgroup memory capped at 32 KiB (so llvmpipe and an H100 run the same tiles; D ≤ 236 fits).
 * Bytes: q read once, k and v once per 16 queries (from L2 after the first block), out written once.
 */
import { PLAIN_MAIN, type WebGPUProgram } from '../common/webgpu_program.ts';

/** Query rows per workgroup. */
export const TILED_ROWS = 16;
/** Invocations per workgroup: 16 columns × 8 row pairs. */
export const TILED_INVOCATIONS = 128;
const LANES = 16;
const KEY_TILES = [64, 32, 16] as const;
/** The most workgroup memory the tiled kernel asks for, whatever the device allows. */
export const TILED_MAX_BUDGET_BYTES = 32768;

export interface SdpaTiling {
  readonly d: number;
  /** Components per row element: 4 when D % 4 == 0. */
  readonly components: 1 | 4;
  /** Keys per K/V tile. */
  readonly keysPerTile: number;
  /** Row stride of the K/V tile, in components (odd). */
  readonly tileStride: number;
  /** Workgroup memory the kernel declares. */
  readonly workgroupBytes: number;
}

/** The tiling for head dimension `d` within `budgetBytes` of workgroup memory, or null when none fits. */
export function sdpaTiling(d: number, budgetBytes: number): SdpaTiling | null {
  const components: 1 | 4 = d % 4 === 0 ? 4 : 1;
  const d4 = d / components;
  const tileStride = d4 % 2 === 0 ? d4 + 1 : d4;
  const budget = Math.min(budgetBytes, TILED_MAX_BUDGET_BYTES);
  for (const bc of KEY_TILES) {
    const floats = TILED_ROWS * d4 * components + bc * tileStride * components + TILED_ROWS * bc + TILED_ROWS * LANES;
    if (floats * 4 <= budget) return { d, components, keysPerTile: bc, tileStride, workgroupBytes: floats * 4 };
  }
  return null;
}

export function sdpaTiledWgsl(t: SdpaTiling): string {
  const T = t.components === 4 ? 'vec4<f32>' : 'f32';
  const D4 = t.d / t.components;
  const BC = t.keysPerTile;
  const BR = TILED_ROWS;
  const WG = TILED_INVOCATIONS;
  const KS = t.tileStride;
  /** Keys per invocation per tile. */
  const NK = BC / LANES;
  /** Output column groups per invocation. */
  const G = Math.ceil(D4 / LANES);
  const dotT = t.components === 4 ? 'dot(a, b)' : 'a * b';
  const colGuard = D4 % LANES === 0 ? 'true' : 'dd < D4';
  const colOf = D4 % LANES === 0 ? 'c + g * LANES' : 'min(c + g * LANES, D4 - 1)';
  const tileLoad = (src: 'K' | 'V'): string => `
      for (var i = li; i < BC * D4; i += ${WG}) {
        let j = i / D4;
        let dd = i - j * D4;
        var v = ${T}(0.0);
        if (k0 + j < S) { v = ${src}[base + (k0 + j) * D4 + dd]; }
        KVs[j * KS + dd] = v;
      }`;
  return `
  const BC : i32 = ${BC};
  const D4 : i32 = ${D4};
  const KS : i32 = ${KS};
  const LANES : i32 = ${LANES};
  const NK : i32 = ${NK};
  const G : i32 = ${G};
  var<workgroup> Qs : array<${T}, ${BR * D4}>;
  var<workgroup> KVs : array<${T}, ${BC * KS}>;
  var<workgroup> Ps : array<vec4<f32>, ${(BR * BC) / 4}>;
  var<workgroup> Red : array<f32, ${BR * LANES}>;

  fn dotT(a : ${T}, b : ${T}) -> f32 { return ${dotT}; }

  ${PLAIN_MAIN} {
    let S = uniforms.qShape.y;
    let bh = i32(workgroupId.y);
    let li = i32(localIndex);
    let r = li / LANES;
    let c = li % LANES;
    let q0 = i32(workgroupId.x) * ${BR};
    let base = bh * S * D4;
    for (var i = li; i < ${BR} * D4; i += ${WG}) {
      let rr = i / D4;
      var v = ${T}(0.0);
      if (q0 + rr < S) { v = Q[base + (q0 + rr) * D4 + (i - rr * D4)] * uniforms.scale; }
      Qs[i] = v;
    }
    // Row h of this invocation is r + 8h. A finite stand-in for −∞: before the first tile exp(m_old − m_new) is 0.
    var m = array<f32, 2>(-3.0e38, -3.0e38);
    var l = array<f32, 2>(0.0, 0.0);
    var acc = array<array<${T}, ${G}>, 2>();
    for (var g = 0; g < G; g++) { acc[0][g] = ${T}(0.0); acc[1][g] = ${T}(0.0); }
    var s = array<array<f32, ${NK}>, 2>();
    let tiles = (S + BC - 1) / BC;
    for (var t = 0; t < tiles; t++) {
      let k0 = t * BC;
      ${tileLoad('K')}
      workgroupBarrier();
      for (var j = 0; j < NK; j++) { s[0][j] = 0.0; s[1][j] = 0.0; }
      for (var d = 0; d < D4; d++) {
        let qa = Qs[r * D4 + d];
        let qb = Qs[(r + 8) * D4 + d];
        for (var j = 0; j < NK; j++) {
          let kk = KVs[(c + j * LANES) * KS + d];
          s[0][j] += dotT(qa, kk);
          s[1][j] += dotT(qb, kk);
        }
      }
      for (var h = 0; h < 2; h++) {
        var pm = -3.0e38;
        for (var j = 0; j < NK; j++) {
          // Keys past S get −3e38: exp(−3e38 − m) is 0.
          s[h][j] = select(s[h][j], -3.0e38, k0 + c + j * LANES >= S);
          pm = max(pm, s[h][j]);
        }
        Red[(r + 8 * h) * LANES + c] = pm;
      }
      workgroupBarrier();
      ${tileLoad('V')}
      for (var h = 0; h < 2; h++) {
        let row = r + 8 * h;
        var tmax = -3.0e38;
        for (var u = 0; u < LANES; u++) { tmax = max(tmax, Red[row * LANES + u]); }
        let mNew = max(m[h], tmax);
        let corr = exp(m[h] - mNew);
        m[h] = mNew;
        var sum = 0.0;
        for (var j = 0; j < NK; j++) {
          let p = exp(s[h][j] - mNew);
          sum += p;
          let key = c + j * LANES;
          Ps[(row * BC + key) / 4][key % 4] = p;
        }
        l[h] = l[h] * corr + sum;
        for (var g = 0; g < G; g++) { acc[h][g] = acc[h][g] * corr; }
      }
      workgroupBarrier();
      for (var c4 = 0; c4 < BC / 4; c4++) {
        let pa = Ps[(r * BC) / 4 + c4];
        let pb = Ps[((r + 8) * BC) / 4 + c4];
        for (var cc = 0; cc < 4; cc++) {
          for (var g = 0; g < G; g++) {
            let vv = KVs[(c4 * 4 + cc) * KS + ${colOf}];
            acc[0][g] = fma(${T}(pa[cc]), vv, acc[0][g]);
            acc[1][g] = fma(${T}(pb[cc]), vv, acc[1][g]);
          }
        }
      }
      workgroupBarrier();
    }
    // The row sums: each invocation holds the sum over its own keys.
    for (var h = 0; h < 2; h++) { Red[(r + 8 * h) * LANES + c] = l[h]; }
    workgroupBarrier();
    for (var h = 0; h < 2; h++) {
      let row = q0 + r + 8 * h;
      var total = 0.0;
      for (var u = 0; u < LANES; u++) { total += Red[(r + 8 * h) * LANES + u]; }
      if (row < S) {
        let inv = 1.0 / total;
        for (var g = 0; g < G; g++) {
          let dd = c + g * LANES;
          if (${colGuard}) { result[base + row * D4 + dd] = acc[h][g] * inv; }
        }
      }
    }
  }`;
}

export class SdpaTiledProgram implements WebGPUProgram {
  variableNames = ['Q', 'K', 'V'];
  variableComponents: number[];
  outputComponent: number;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [1], y: [0], z: [2] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [TILED_INVOCATIONS, 1, 1];
  uniforms = 'scale : f32,';
  readonly tiling: SdpaTiling;

  constructor(bh: number, seq: number, tiling: SdpaTiling) {
    this.tiling = tiling;
    this.variableComponents = [tiling.components, tiling.components, tiling.components];
    this.outputComponent = tiling.components;
    this.outputShape = [bh, seq, tiling.d];
    this.dispatch = [Math.ceil(seq / TILED_ROWS), bh, 1];
    this.shaderKey = `fusebench_sdpa_tiled2_${tiling.d}_${tiling.components}_${tiling.keysPerTile}_${tiling.tileStride}`;
  }

  getUserCode(): string {
    return sdpaTiledWgsl(this.tiling);
  }
}
