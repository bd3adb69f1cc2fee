/**
 * FusebenchSDPA's row kernel: one invocation per query row. Used only for head dimensions whose Q block and
 * K/V tile do not fit the tiled kernel's workgroup memory (sdpa_tiled.ts: D > 330 at 32 KiB, e.g. D = 332 or 600).
 *
 * A workgroup takes 32 query rows of one (batch·head); each invocation owns one query row, held in
 * registers with its running max m, running sum l and output accumulator. K and V are streamed through
 * workgroup memory in tiles of BC keys (BC·D·2 floats ≤ 16 KiB). Per tile: BC scores, one rescale of
 * (l, acc) by exp(m_old − m_new), then acc += p·v. The output is acc / l. Rows are vec4 when D % 4 == 0.
 *
 * Why it is not the default (measured on an H100, see docs/webgpu.md): with one invocation per query row,
 * BH·S = 6144 rows is too little parallelism; at [12,512,64] it took 1.07 ms where tfjs's four unfused
 * kernels took 0.52 ms.
 */
import { PLAIN_MAIN, WebGPUKernelInputError, type WebGPUProgram } from '../common/webgpu_program.ts';
import { SDPA } from '../names.ts';

export const QUERIES_PER_WORKGROUP = 32;
/** Floats of K and V tiles that fit the WebGPU core limit of 16 KiB of workgroup memory. */
const TILE_FLOATS = 4096;
const MAX_KEYS_PER_TILE = 32;

export interface SdpaRowShape {
  readonly d: number;
  /** Components per row element: 4 when D % 4 == 0. */
  readonly components: 1 | 4;
  /** Keys per K/V tile. */
  readonly keysPerTile: number;
}

export function sdpaRowShape(d: number): SdpaRowShape {
  const keysPerTile = Math.min(MAX_KEYS_PER_TILE, Math.floor(TILE_FLOATS / (2 * d)));
  if (keysPerTile < 1) throw new WebGPUKernelInputError(`${SDPA}: head dimension D = ${d} is too large for one K/V tile in 16 KiB of workgroup memory (D ≤ ${TILE_FLOATS / 2})`);
  return { d, components: d % 4 === 0 ? 4 : 1, keysPerTile };
}

export function sdpaRowWgsl(s: SdpaRowShape): string {
  const T = s.components === 4 ? 'vec4<f32>' : 'f32';
  const D4 = s.d / s.components;
  const BC = s.keysPerTile;
  const BR = QUERIES_PER_WORKGROUP;
  const dotT = s.components === 4 ? 'dot(a, b)' : 'a * b';
  return `
  const BC : i32 = ${BC};
  const D4 : i32 = ${D4};
  var<workgroup> Ks : array<${T}, ${BC * D4}>;
  var<workgroup> Vs : array<${T}, ${BC * D4}>;

  fn dotT(a : ${T}, b : ${T}) -> f32 { return ${dotT}; }

  ${PLAIN_MAIN} {
    let S = uniforms.qShape.y;
    let bh = i32(workgroupId.y);
    let li = i32(localIndex);
    let qi = i32(workgroupId.x) * ${BR} + li;
    let base = bh * S * D4;
    let qrow = base + min(qi, S - 1) * D4;
    var q : array<${T}, ${D4}>;
    for (var d = 0; d < D4; d++) { q[d] = Q[qrow + d] * uniforms.scale; }
    var acc : array<${T}, ${D4}>;
    var sc : array<f32, ${BC}>;
    // A finite stand-in for −∞: before the first tile exp(m_old − m_new) is then 0, not exp(−∞ + ∞).
    var m = -3.0e38;
    var l = 0.0;
    let tiles = (S + BC - 1) / BC;
    for (var t = 0; t < tiles; t++) {
      let k0 = t * BC;
      for (var i = li; i < BC * D4; i += ${BR}) {
        let j = i / D4;
        var kv = ${T}(0.0);
        var vv = ${T}(0.0);
        if (k0 + j < S) {
          let g = base + (k0 + j) * D4 + (i - j * D4);
          kv = K[g];
          vv = V[g];
        }
        Ks[i] = kv;
        Vs[i] = vv;
      }
      workgroupBarrier();
      var tmax = -3.0e38;
      for (var j = 0; j < BC; j++) {
        var s = 0.0;
        for (var d = 0; d < D4; d++) { s += dotT(q[d], Ks[j * D4 + d]); }
        if (k0 + j >= S) { s = -3.0e38; }
        sc[j] = s;
        tmax = max(tmax, s);
      }
      let mNew = max(m, tmax);
      let corr = exp(m - mNew);
      l = l * corr;
      for (var d = 0; d < D4; d++) { acc[d] = acc[d] * corr; }
      for (var j = 0; j < BC; j++) {
        let p = select(exp(sc[j] - mNew), 0.0, k0 + j >= S);
        l += p;
        for (var d = 0; d < D4; d++) { acc[d] = fma(${T}(p), Vs[j * D4 + d], acc[d]); }
      }
      m = mNew;
      workgroupBarrier();
    }
    if (qi < S) {
      let inv = 1.0 / l;
      let orow = base + qi * D4;
      for (var d = 0; d < D4; d++) { result[orow + d] = acc[d] * inv; }
    }
  }`;
}

export class SdpaRowProgram implements WebGPUProgram {
  variableNames = ['Q', 'K', 'V'];
  variableComponents: number[];
  outputComponent: number;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [1], y: [0], z: [2] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [QUERIES_PER_WORKGROUP, 1, 1];
  uniforms = 'scale : f32,';
  private readonly s: SdpaRowShape;

  constructor(bh: number, seq: number, d: number) {
    this.s = sdpaRowShape(d);
    this.variableComponents = [this.s.components, this.s.components, this.s.components];
    this.outputComponent = this.s.components;
    this.outputShape = [bh, seq, d];
    this.dispatch = [Math.ceil(seq / QUERIES_PER_WORKGROUP), bh, 1];
    this.shaderKey = `fusebench_sdpa_rows_${d}_${this.s.components}_${this.s.keysPerTile}`;
  }

  getUserCode(): string {
    return sdpaRowWgsl(this.s);
  }
}
