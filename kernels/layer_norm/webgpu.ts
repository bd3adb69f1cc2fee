/**
 * FusebenchLayerNorm on WebGPU: one workgroup per row of the last axis, x read from global memory once.
 *
 * Each invocation keeps its share of the row in registers; the mean and then the biased variance (two-pass,
 * Σ(x − mean)², not E[x²] − mean², which cancels badly) are workgroup tree reductions; the normalised, scaled,
 * shifted row is the only store. When D % 4 = 0 every binding is vec4 (a quarter of the load and store
 * instructions) and the workgroup is sized for about 4 vec4 per invocation (fewer reduction steps, more bytes in
 * flight each). Rows longer than 16 values per invocation of 256 re-read x instead of holding it.
 * Bytes: 4·D read + 4·D written per row, plus γ and β (unfused tfjs moments + arithmetic reads and writes
 * x-sized intermediates several times).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import {
  asWebGPUBackend, FLAT_MAIN, viewAs, type ProgramUniform, type WebGPUProgram,
} from '../common/webgpu_program.ts';
import { layerNormDims, layerNormEpsilon, requireInput } from '../common/shape_checks.ts';
import { LAYER_NORM } from '../names.ts';

const MAX_PER_INVOCATION = 16;
/** vec4s per invocation the vec4 kernel's workgroup is sized for. */
const VEC4_TARGET = 4;

export interface LayerNormShape {
  /** Invocations per workgroup (a power of two, 32…256). */
  readonly workgroup: number;
  /** Values (floats, or vec4s when components = 4) each invocation holds in registers; 0 = re-read x. */
  readonly perInvocation: number;
  /** 4: every binding is vec4 (D % 4 = 0); 1: f32. */
  readonly components: 1 | 4;
}

export function layerNormShape(d: number): LayerNormShape {
  const components = d % 4 === 0 ? 4 : 1;
  const n = d / components;
  const want = components === 4 ? Math.ceil(n / VEC4_TARGET) : n;
  let wg = 32;
  while (wg < 256 && wg < want) wg *= 2;
  const per = Math.ceil(n / wg);
  return { workgroup: wg, perInvocation: per <= MAX_PER_INVOCATION ? per : 0, components };
}

function rowLoop(s: LayerNormShape, body: string): string {
  return s.perInvocation > 0
    ? `for (var p = 0; p < ${s.perInvocation}; p++) {
        let i = li + p * ${s.workgroup};
        if (i < N) { ${body} }
      }`
    : `for (var i = li; i < N; i += ${s.workgroup}) { ${body} }`;
}

/**
 * A workgroup tree reduction of `value` into `out` (every invocation gets the sum). Each reduction has its
 * own workgroup array. One array reused for both sums, with a barrier between the last read of the first
 * and the first write of the second, is valid WGSL, yet on Mesa llvmpipe through Dawn's OpenGL backend
 * invocations 0–7 got a different mean than the rest (observed with D ≥ 32); separate arrays fixed it.
 */
function workgroupSum(s: LayerNormShape, array: string, value: string, out: string): string {
  return `${array}[li] = ${value};
    workgroupBarrier();
    for (var stride = ${s.workgroup / 2}; stride > 0; stride = stride >> 1u) {
      if (li < stride) { ${array}[li] = ${array}[li] + ${array}[li + stride]; }
      workgroupBarrier();
    }
    let ${out} = workgroupUniformLoad(&${array}[0]);`;
}

export function layerNormWgsl(s: LayerNormShape): string {
  const cached = s.perInvocation > 0;
  const vec = s.components === 4;
  const T = vec ? 'vec4<f32>' : 'f32';
  const value = cached ? 'xs[p]' : 'X[base + i]';
  // The sum of a loaded value's lanes, and the squared deviation of one (dot(d, d) for vec4).
  const lanes = (v: string): string => (vec ? `(${v}.x + ${v}.y) + (${v}.z + ${v}.w)` : v);
  const meanT = vec ? 'vec4<f32>(mean)' : 'mean';
  return `
  var<workgroup> sumMean : array<f32, ${s.workgroup}>;
  var<workgroup> sumVar : array<f32, ${s.workgroup}>;

  ${FLAT_MAIN} {
    let rows = uniforms.xShape.x;
    let D = uniforms.xShape.y;
    let N = D${vec ? ' / 4' : ''};
    let li = i32(localIndex);
    // One workgroup per row; tfjs may fold a dispatch wider than the per-dimension limit into 2-D/3-D.
    let wg = i32(workgroupId.x + numWorkgroups.x * (workgroupId.y + numWorkgroups.y * workgroupId.z));
    let row = min(wg, rows - 1);
    let base = row * N;
    ${cached ? `var xs : array<${T}, ${s.perInvocation}>;` : ''}
    var sum = 0.0;
    ${cached
      ? `for (var p = 0; p < ${s.perInvocation}; p++) {
        let i = li + p * ${s.workgroup};
        var v = ${T}(0.0);
        if (i < N) { v = X[base + i]; }
        xs[p] = v;
        sum += ${lanes('v')};
      }`
      : `for (var i = li; i < N; i += ${s.workgroup}) { let v = X[base + i]; sum += ${lanes('v')}; }`}
    ${workgroupSum(s, 'sumMean', 'sum', 'total')}
    let mean = total / f32(D);
    var sq = 0.0;
    ${rowLoop(s, `let d = ${value} - ${meanT}; sq += ${vec ? 'dot(d, d)' : 'd * d'};`)}
    ${workgroupSum(s, 'sumVar', 'sq', 'totalSq')}
    let variance = totalSq / f32(D);
    let inv = inverseSqrt(variance + uniforms.epsilon);
    if (wg < rows) {
      ${rowLoop(s, `result[base + i] = (${value} - ${meanT}) * inv * Gamma[i] + Beta[i];`)}
    }
  }`;
}

export class LayerNormProgram implements WebGPUProgram {
  variableNames = ['X', 'Gamma', 'Beta'];
  outputShape: number[];
  shaderKey: string;
  // Flat layout: lets tfjs fold more than 65535 rows into a 2-D dispatch (main() recovers the row).
  dispatchLayout = { x: [0, 1] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** Every binding (x, γ, β, the result) is read and written in this many floats. */
  outputComponent: number;
  uniforms = 'epsilon : f32,';
  private readonly s: LayerNormShape;

  constructor(rows: number, d: number) {
    this.s = layerNormShape(d);
    this.outputShape = [rows, d];
    this.outputComponent = this.s.components;
    this.workgroupSize = [this.s.workgroup, 1, 1];
    this.dispatch = [rows, 1, 1];
    this.shaderKey = `fusebench_layernorm_${this.s.workgroup}_${this.s.perInvocation}_${this.s.components}`;
  }

  getUserCode(): string {
    return layerNormWgsl(this.s);
  }
}

const layerNormKernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = asWebGPUBackend(backend, LAYER_NORM);
  const named = inputs as Record<string, TensorInfo | undefined>;
  const x = requireInput(named, 'x', LAYER_NORM);
  const gamma = requireInput(named, 'gamma', LAYER_NORM);
  const beta = requireInput(named, 'beta', LAYER_NORM);
  // The same checks as every other backend's LayerNorm (epsilon ≥ 0, as the contract allows).
  const { rows, d } = layerNormDims(x, gamma, beta, LAYER_NORM);
  const epsilon = layerNormEpsilon((attrs as Record<string, unknown> | undefined)?.epsilon, LAYER_NORM);
  const uniforms: ProgramUniform[] = [{ type: 'float32', data: [epsilon] }];
  const out = gpu.runWebGPUProgram(new LayerNormProgram(rows, d), [viewAs(x, [rows, d]), gamma, beta], 'float32', uniforms);
  return { dataId: out.dataId, shape: [...x.shape], dtype: 'float32' };
};

export const layerNormConfig: KernelConfig = { kernelName: LAYER_NORM, backendName: 'webgpu', kernelFunc: layerNormKernelFunc };
