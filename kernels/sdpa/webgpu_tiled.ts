/**
 * FusebenchSDPA's tiled kernel (FlashAttention-style): softmax(q·kᵀ·scale)·v in one pass, the [S,S] scores
 * never leaving workgroup memory.
 *
 * A workgroup of 256 invocations takes a block of BR = 16 query rows of one (batch·head): 16 invocations per
 * query row ("lanes"). The scaled Q block sits in workgroup memory for the whole kernel. K and V are
 * streamed through one workgroup tile of BC keys (K, then V in the same memory). Per key tile:
 *   1. load the K tile;                                                   barrier
 *   2. scores: lane l of row r computes the scores of keys l, l+16, …     barrier
 *   3. load the V tile; every lane of row r takes the tile's row max from the scores (all lanes of a row
 *      get the same value), rescales its running sum and accumulator by exp(m_old − m_new) and writes
 *      p = exp(s − m_new) for its own keys;                               barrier
 *   4. acc += p·v: lane l of row r owns output columns l, l+16, … (vec4 groups when D % 4 == 0), reading
 *      the row's p (summed into the running sum on the way) and the V tile;          barrier
 * The output is acc / l, written once. Work per invocation is BC/16 scores and D/16 outputs per tile, so
 * [12,512,64] runs 98 304 invocations where the row kernel (sdpa_rows.ts) ran 6 144.
 *
 * Workgroup memory, in floats: 16·D (Q) + BC·stride (K or V tile) + 2·16·BC (scores, p). The K/V tile's row
 * stride is odd in vec4 (or f32) units, so the 16 lanes reading 16 different keys at one depth hit
 * different banks. BC is the largest of 64, 32, 16, 8 that fits the budget; the budget is the device's
 * workgroup memory capped at 32 KiB (so llvmpipe and an H100 run the same tiles; D ≤ 330 fits).
 * Bytes: q read once, k and v once per 16 queries (from L2 after the first block), out written once.
 */
import { PLAIN_MAIN, type WebGPUProgram } from '../common/webgpu_program.ts';

/** Query rows per workgroup. */
export const TILED_ROWS = 16;
/** Invocations per query row; the workgroup is TILED_ROWS × TILED_LANES = 256 invocations. */
export const TILED_LANES = 16;
const KEY_TILES = [64, 32, 16, 8] as const;
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
    const floats = TILED_ROWS * d4 * components + bc * tileStride * components + 2 * TILED_ROWS * bc;
    if (floats * 4 <= budget) return { d, components, keysPerTile: bc, tileStride, workgroupBytes: floats * 4 };
  }
  return null;
}

export function sdpaTiledWgsl(t: SdpaTiling): string {
  const T = t.components === 4 ? 'vec4<f32>' : 'f32';
  const D4 = t.d / t.components;
  const BC = t.keysPerTile;
  const BR = TILED_ROWS;
  const L = TILED_LANES;
  const WG = BR * L;
  const KS = t.tileStride;
  /** Scores per lane per tile. */
  const NK = Math.ceil(BC / L);
  /** Output column groups per lane. */
  const G = Math.ceil(D4 / L);
  const dotT = t.components === 4 ? 'dot(a, b)' : 'a * b';
  // With BC < 16 lanes beyond BC compute a duplicate of key BC − 1 and never store it.
  const keyOf = BC % L === 0 ? 'lane + j * LANES' : 'min(lane + j * LANES, BC - 1)';
  const colGuard = D4 % L === 0 ? 'true' : 'dd < D4';
  const colOf = D4 % L === 0 ? 'lane + g * LANES' : 'min(lane + g * LANES, D4 - 1)';
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
  const LANES : i32 = ${L};
  var<workgroup> Qs : array<${T}, ${BR * D4}>;
  var<workgroup> KVs : array<${T}, ${BC * KS}>;
  var<workgroup> Ss : array<f32, ${BR * BC}>;
  var<workgroup> Ps : array<f32, ${BR * BC}>;

  fn dotT(a : ${T}, b : ${T}) -> f32 { return ${dotT}; }

  ${PLAIN_MAIN} {
    let S = uniforms.qShape.y;
    let bh = i32(workgroupId.y);
    let li = i32(localIndex);
    let r = li / LANES;
    let lane = li % LANES;
    let q0 = i32(workgroupId.x) * ${BR};
    let base = bh * S * D4;
    for (var i = li; i < ${BR} * D4; i += ${WG}) {
      let rr = i / D4;
      var v = ${T}(0.0);
      if (q0 + rr < S) { v = Q[base + (q0 + rr) * D4 + (i - rr * D4)] * uniforms.scale; }
      Qs[i] = v;
    }
    var acc : array<${T}, ${G}>;
    // A finite stand-in for −∞: before the first tile exp(m_old − m_new) is then 0, not exp(−∞ + ∞).
    var m = -3.0e38;
    var l = 0.0;
    let tiles = (S + BC - 1) / BC;
    // Declared once and zeroed per tile by hand: a \`var\` without an initializer inside the loop body is not
    // re-zeroed each iteration by Dawn on Vulkan (docs/webgpu.md, "Finding"), so it would carry the last tile's scores.
    var s : array<f32, ${NK}>;
    for (var t = 0; t < tiles; t++) {
      let k0 = t * BC;
      ${tileLoad('K')}
      workgroupBarrier();
      for (var j = 0; j < ${NK}; j++) { s[j] = 0.0; }
      for (var d = 0; d < D4; d++) {
        let qd = Qs[r * D4 + d];
        for (var j = 0; j < ${NK}; j++) {
          s[j] += dotT(qd, KVs[(${keyOf}) * KS + d]);
        }
      }
      for (var j = 0; j < ${NK}; j++) {
        let c = lane + j * LANES;
        if (c < BC) { Ss[r * BC + c] = select(s[j], -3.0e38, k0 + c >= S); }
      }
      workgroupBarrier();
      ${tileLoad('V')}
      var tmax = -3.0e38;
      for (var c = 0; c < BC; c++) { tmax = max(tmax, Ss[r * BC + c]); }
      let mNew = max(m, tmax);
      let corr = exp(m - mNew);
      m = mNew;
      l = l * corr;
      for (var g = 0; g < ${G}; g++) { acc[g] = acc[g] * corr; }
      for (var j = 0; j < ${NK}; j++) {
        let c = lane + j * LANES;
        // Keys past S hold −3e38: exp(−3e38 − m) is 0.
        if (c < BC) { Ps[r * BC + c] = exp(Ss[r * BC + c] - mNew); }
      }
      workgroupBarrier();
      for (var c = 0; c < BC; c++) {
        let p = Ps[r * BC + c];
        l += p;
        for (var g = 0; g < ${G}; g++) {
          acc[g] = fma(${T}(p), KVs[c * KS + ${colOf}], acc[g]);
        }
      }
      workgroupBarrier();
    }
    let row = q0 + r;
    if (row < S) {
      let inv = 1.0 / l;
      for (var g = 0; g < ${G}; g++) {
        let dd = lane + g * LANES;
        if (${colGuard}) { result[base + row * D4 + dd] = acc[g] * inv; }
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
  workgroupSize: [number, number, number] = [TILED_ROWS * TILED_LANES, 1, 1];
  uniforms = 'scale : f32,';
  readonly tiling: SdpaTiling;

  constructor(bh: number, seq: number, tiling: SdpaTiling) {
    this.tiling = tiling;
    this.variableComponents = [tiling.components, tiling.components, tiling.components];
    this.outputComponent = tiling.components;
    this.outputShape = [bh, seq, tiling.d];
    this.dispatch = [Math.ceil(seq / TILED_ROWS), bh, 1];
    this.shaderKey = `fusebench_sdpa_tiled_${tiling.d}_${tiling.components}_${tiling.keysPerTile}_${tiling.tileStride}`;
  }

  getUserCode(): string {
    return sdpaTiledWgsl(this.tiling);
  }
}
