/**
 * FusebenchQKTSoftmax on WebGPU: softmax(q·kᵀ·scale) → [BH,S,S] in one dispatch, no intermediate tensor.
 *
 * A workgroup of 16×16 invocations owns a block of 32 query rows of one (batch·head) and all S keys. It walks
 * the keys in tiles of 64; each tile of scores is a small GEMM (q rows × k rows over D, in depth steps of 16
 * through 6 KiB of workgroup memory, both operands stored transposed), 2 rows × 4 keys per invocation.
 * Each invocation then
 *   - stores its scaled scores in the output (vec4 when S % 4 == 0),
 *   - keeps, per row, the running max m and the running sum l of exp(s − m) over its own keys (online softmax).
 * After the last tile the 16 invocations sharing a row combine their (m, l) through workgroup memory
 * (M = max m, L = Σ l·exp(m − M)), and each invocation rewrites the scores it stored itself as
 * exp(s − M)/L. An invocation reads back only what it wrote, so no barrier on storage is needed.
 *
 * Why not keep the scores on chip and write once: a block of rows × S scores is 32·S floats (256 KiB at
 * S = 2048), far beyond 16–48 KiB of workgroup memory or registers; recomputing q·kᵀ in a second pass would
 * double the FLOPs instead. Bytes: q and k read (k once per 32 rows, from L2 after the first block), the S²
 * output written, read and written again: 12·BH·S² + 8·BH·S·D·(1 + S/32 from cache), against the unfused
 * transpose + matMul + mul + softmax's ≥ 20·BH·S² in four dispatches.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import {
  asWebGPUBackend, PLAIN_MAIN, requireDispatchFits, type ProgramUniform, type WebGPUProgram,
} from '../common/webgpu_program.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';
import { QKT_SOFTMAX } from '../names.ts';

/** Query rows per workgroup (16 invocation rows × 2). */
export const QKT_ROWS = 32;
/** Keys per tile (16 invocation columns × 4). */
export const QKT_KEYS = 64;
/** Depth (D) per step through workgroup memory. */
const DEPTH_STEP = 16;

export interface QktSoftmaxShape {
  /** D % 4 == 0: q and k are read as vec4. */
  readonly vec4In: boolean;
  /** S % 4 == 0: scores are stored as vec4. */
  readonly vec4Out: boolean;
}

/** Loads a 16-deep chunk of `rows` rows of `src` ([S,D] at `base`) into `dst` transposed: dst[k·16 + row/per][row%per]. */
function loadChunk(src: 'Q' | 'K', dst: 'Qs' | 'Ks', rows: number, per: 2 | 4, first: string, vec4: boolean): string {
  // Scalar stores into a flat f32 array: writing one component of a shared vec2/vec4 is a read-modify-write of
  // the whole vector in WGSL's memory model, so invocations writing neighbouring components would race
  // (seen on an H100 through Vulkan as wrong scores; llvmpipe runs invocations in an order that hides it).
  const store = (r: string, k: string, v: string): string => `${dst}[((${k}) * 16 + ${r} / ${per}) * ${per} + ${r} % ${per}] = ${v};`;
  if (vec4) {
    // rows × 4 quads of depth; one vec4 load per invocation (two passes for 64 rows, half the workgroup for 32).
    return `
      for (var f = li; f < ${rows * 4}; f += 256) {
        let r = f / 4;
        let kq = (f % 4) * 4;
        let gr = ${first} + r;
        var v = vec4<f32>(0.0);
        if (gr < S && d0 + kq < D) { v = ${src}[(base + gr * D + d0 + kq) / 4]; }
        ${store('r', 'kq + 0', 'v.x')}
        ${store('r', 'kq + 1', 'v.y')}
        ${store('r', 'kq + 2', 'v.z')}
        ${store('r', 'kq + 3', 'v.w')}
      }`;
  }
  return `
      for (var f = li; f < ${rows * DEPTH_STEP}; f += 256) {
        let r = f / 16;
        let kk = f % 16;
        let gr = ${first} + r;
        var v = 0.0;
        if (gr < S && d0 + kk < D) { v = ${src}[base + gr * D + d0 + kk]; }
        ${store('r', 'kk', 'v')}
      }`;
}

function storeScores(vec4Out: boolean): string {
  if (vec4Out) {
    // S % 4 == 0 and c % 4 == 0: the four keys are all in range or all out.
    return `if (r < S && c < S) { result[(outBase + r * S + c) / 4] = sc; }`;
  }
  return `if (r < S) {
          for (var j = 0; j < 4; j++) {
            if (c + j < S) { result[outBase + r * S + c + j] = sc[j]; }
          }
        }`;
}

function normalise(vec4Out: boolean): string {
  if (vec4Out) {
    return `if (r < S && c < S) {
          let o = (outBase + r * S + c) / 4;
          result[o] = exp(result[o] - vec4<f32>(M[i])) * invL[i];
        }`;
  }
  return `if (r < S) {
          for (var j = 0; j < 4; j++) {
            if (c + j < S) {
              let o = outBase + r * S + c + j;
              result[o] = exp(result[o] - M[i]) * invL[i];
            }
          }
        }`;
}

export function qktSoftmaxWgsl(s: QktSoftmaxShape): string {
  return `
  // Qs[k * 16 + g]: rows 2g, 2g+1 of the query block at depth k; Ks[k * 16 + g]: keys 4g..4g+3 of the key tile.
  var<workgroup> Qs : array<f32, 512>;
  var<workgroup> Ks : array<f32, 1024>;
  // Per (row, invocation column): that invocation's running max and sum, then the row's M and 1/L at column 0.
  var<workgroup> Mred : array<f32, ${QKT_ROWS * 16}>;
  var<workgroup> Lred : array<f32, ${QKT_ROWS * 16}>;

  ${PLAIN_MAIN} {
    let S = uniforms.qShape.y;
    let D = uniforms.qShape.z;
    let tx = i32(localId.x);
    let ty = i32(localId.y);
    let li = i32(localIndex);
    let bh = i32(workgroupId.y);
    let row0 = i32(workgroupId.x) * ${QKT_ROWS};
    let base = bh * S * D;
    let outBase = bh * S * S;
    // A finite stand-in for −∞: exp(m_old − m_new) is then 0 before a row's first key, not exp(−∞ + ∞).
    var m = array<f32, 2>(-3.0e38, -3.0e38);
    var l = array<f32, 2>(0.0, 0.0);
    let tiles = (S + ${QKT_KEYS - 1}) / ${QKT_KEYS};
    let steps = (D + ${DEPTH_STEP - 1}) / ${DEPTH_STEP};
    // Declared once and zeroed per key tile by hand: a \`var\` without an initializer inside the loop body is not
    // re-zeroed each iteration by Dawn on Vulkan (docs/webgpu.md, "Finding"), so it would add up the key tiles.
    var acc : array<vec4<f32>, 2>;
    for (var t = 0; t < tiles; t++) {
      let k0 = t * ${QKT_KEYS};
      acc[0] = vec4<f32>(0.0);
      acc[1] = vec4<f32>(0.0);
      for (var st = 0; st < steps; st++) {
        let d0 = st * ${DEPTH_STEP};
        ${loadChunk('Q', 'Qs', QKT_ROWS, 2, 'row0', s.vec4In)}
        ${loadChunk('K', 'Ks', QKT_KEYS, 4, 'k0', s.vec4In)}
        workgroupBarrier();
        for (var k = 0; k < ${DEPTH_STEP}; k++) {
          let qa = (k * 16 + ty) * 2;
          let kb = (k * 16 + tx) * 4;
          let a = vec2<f32>(Qs[qa], Qs[qa + 1]);
          let b = vec4<f32>(Ks[kb], Ks[kb + 1], Ks[kb + 2], Ks[kb + 3]);
          acc[0] = fma(vec4<f32>(a.x), b, acc[0]);
          acc[1] = fma(vec4<f32>(a.y), b, acc[1]);
        }
        workgroupBarrier();
      }
      let c = k0 + tx * 4;
      for (var i = 0; i < 2; i++) {
        let r = row0 + ty * 2 + i;
        let sc = acc[i] * uniforms.scale;
        var tmax = -3.0e38;
        for (var j = 0; j < 4; j++) {
          if (c + j < S) { tmax = max(tmax, sc[j]); }
        }
        let mNew = max(m[i], tmax);
        var sum = l[i] * exp(m[i] - mNew);
        for (var j = 0; j < 4; j++) {
          if (c + j < S) { sum += exp(sc[j] - mNew); }
        }
        m[i] = mNew;
        l[i] = sum;
        ${storeScores(s.vec4Out)}
      }
    }
    for (var i = 0; i < 2; i++) {
      Mred[(ty * 2 + i) * 16 + tx] = m[i];
      Lred[(ty * 2 + i) * 16 + tx] = l[i];
    }
    workgroupBarrier();
    if (li < ${QKT_ROWS}) {
      var rowMax = -3.0e38;
      for (var x = 0; x < 16; x++) { rowMax = max(rowMax, Mred[li * 16 + x]); }
      var rowSum = 0.0;
      // An invocation whose keys were all past S has l = 0: it adds nothing.
      for (var x = 0; x < 16; x++) { rowSum += Lred[li * 16 + x] * exp(Mred[li * 16 + x] - rowMax); }
      Mred[li * 16] = rowMax;
      Lred[li * 16] = 1.0 / rowSum;
    }
    workgroupBarrier();
    var M = array<f32, 2>(Mred[ty * 32], Mred[ty * 32 + 16]);
    var invL = array<f32, 2>(Lred[ty * 32], Lred[ty * 32 + 16]);
    for (var t = 0; t < tiles; t++) {
      let c = t * ${QKT_KEYS} + tx * 4;
      for (var i = 0; i < 2; i++) {
        let r = row0 + ty * 2 + i;
        ${normalise(s.vec4Out)}
      }
    }
  }`;
}

export class QktSoftmaxProgram implements WebGPUProgram {
  variableNames = ['Q', 'K'];
  variableComponents: number[];
  outputComponent: number;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [1], y: [0], z: [2] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [16, 16, 1];
  uniforms = 'scale : f32,';
  private readonly s: QktSoftmaxShape;

  constructor(bh: number, seq: number, d: number) {
    this.s = { vec4In: d % 4 === 0, vec4Out: seq % 4 === 0 };
    this.variableComponents = [this.s.vec4In ? 4 : 1, this.s.vec4In ? 4 : 1];
    this.outputComponent = this.s.vec4Out ? 4 : 1;
    this.outputShape = [bh, seq, seq];
    this.dispatch = [Math.ceil(seq / QKT_ROWS), bh, 1];
    this.shaderKey = `fusebench_qkt_softmax_${this.s.vec4In ? 'in4' : 'in1'}_${this.s.vec4Out ? 'out4' : 'out1'}`;
  }

  getUserCode(): string {
    return qktSoftmaxWgsl(this.s);
  }
}

const qktSoftmaxKernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = asWebGPUBackend(backend, QKT_SOFTMAX);
  const named = inputs as Record<string, TensorInfo | undefined>;
  const q = requireInput(named, 'q', QKT_SOFTMAX);
  const k = requireInput(named, 'k', QKT_SOFTMAX);
  const { bh, s: seq, d } = attentionDims({ q, k }, QKT_SOFTMAX);
  const scale = attentionScale((attrs as Record<string, unknown> | undefined)?.scale, d, QKT_SOFTMAX);
  const program = new QktSoftmaxProgram(bh, seq, d);
  requireDispatchFits(QKT_SOFTMAX, gpu, program.dispatch, `[BH,S,D] = [${q.shape}]`);
  const uniforms: ProgramUniform[] = [{ type: 'float32', data: [scale] }];
  return gpu.runWebGPUProgram(program, [q, k], 'float32', uniforms);
};

export const qktSoftmaxConfig: KernelConfig = { kernelName: QKT_SOFTMAX, backendName: 'webgpu', kernelFunc: qktSoftmaxKernelFunc };
