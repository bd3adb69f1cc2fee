/**
 * FusebenchLinearAct on WebGPU: act(a·b + bias) in one tiled matmul pass; bias and activation are applied
 * to the accumulators before the only store, so the [M,N] pre-activation never reaches global memory.
 *
 * Tiling: a 16×16 workgroup computes a 64×64 output tile, 4×4 outputs per invocation, over K in steps of
 * 16. Both operand tiles sit in workgroup memory as vec4 (A transposed: 4 rows per vec4; B: 4 columns), so
 * each k step costs two vec4 loads from workgroup memory for 16 FMAs. 2 × 256 vec4 = 8 KiB of workgroup
 * memory. Global loads are vec4 when K (for a) or N (for b) is a multiple of 4, scalar with bounds checks
 * otherwise; any M, K, N works.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import {
  asWebGPUBackend, PLAIN_MAIN, type WebGPUProgram,
} from '../common/webgpu_program.ts';
import { linearActDims, requireInput } from '../common/shape_checks.ts';
import { LINEAR_ACT } from '../names.ts';
import { parseActivation, type Activation } from '../common/activation.ts';


export const TILE = 64;

/**
 * erfc with relative error < 1.2e-7 for every x (Numerical Recipes' erfcc, a Chebyshev fit; W. H. Press et
 * al., 2nd ed., §6.2). GELU is written with erfc so that it keeps full relative precision for negative x,
 * where 1 + erf(x/√2) would cancel: gelu(x) = 0.5·x·(1 + erf(x/√2)) = 0.5·x·erfc(−x/√2).
 */
export const ERFC_WGSL = `
  fn fb_erfc(x : f32) -> f32 {
    let z = abs(x);
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
        t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
        t * (-0.82215223 + t * 0.17087277)))))))));
    return select(2.0 - r, r, x >= 0.0);
  }`;

/** The epilogue, one WGSL function `act` per activation. */
export const ACTIVATION_WGSL: Readonly<Record<Activation, string>> = {
  linear: 'fn act(x : f32) -> f32 { return x; }',
  relu: 'fn act(x : f32) -> f32 { return max(x, 0.0); }',
  gelu: `${ERFC_WGSL}
  fn act(x : f32) -> f32 { return 0.5 * x * fb_erfc(-0.7071067811865476 * x); }`,
  // 0.5·x·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³), written as x·sigmoid(2u) = x / (1 + exp(−2u)):
  // the same function, without the WGSL tanh (which some implementations evaluate as a ratio of exponentials
  // that overflows to NaN for large |u|) and without the cancellation of 1 + tanh(u) for negative x.
  // For x → −∞ exp(−2u) is +inf and the quotient is −0; for x → +∞ it is x. 2·√(2/π) = 1.5957691216057308.
  gelu_tanh: 'fn act(x : f32) -> f32 { return x / (1.0 + exp(-1.5957691216057308 * (x + 0.044715 * x * x * x))); }',
  // x·sigmoid(x); for x < −88 exp(−x) is +inf and the quotient is −0, the correct limit.
  silu: 'fn act(x : f32) -> f32 { return x / (1.0 + exp(-x)); }',
};

function loadA(vec4: boolean): string {
  if (vec4) {
    return `
    {
      let r = li / 4;
      let kq = (li % 4) * 4;
      let gr = row0 + r;
      let gk = k0 + kq;
      var v = vec4<f32>(0.0);
      if (gr < M && gk < K) { v = A[(gr * K + gk) / 4]; }
      let g = r / 4;
      let c = r % 4;
      As[(kq + 0) * 16 + g][c] = v.x;
      As[(kq + 1) * 16 + g][c] = v.y;
      As[(kq + 2) * 16 + g][c] = v.z;
      As[(kq + 3) * 16 + g][c] = v.w;
    }`;
  }
  return `
    for (var l = 0; l < 4; l++) {
      let f = li + 256 * l;
      let r = f / 16;
      let kk = f % 16;
      let gr = row0 + r;
      let gk = k0 + kk;
      var v = 0.0;
      if (gr < M && gk < K) { v = A[gr * K + gk]; }
      As[kk * 16 + r / 4][r % 4] = v;
    }`;
}

function loadB(vec4: boolean): string {
  const body = vec4
    ? 'if (gk < K && gc < N) { v = B[(gk * N + gc) / 4]; }'
    : `if (gk < K) {
        for (var j = 0; j < 4; j++) {
          if (gc + j < N) { v[j] = B[gk * N + gc + j]; }
        }
      }`;
  return `
    {
      let kk = li / 16;
      let g = li % 16;
      let gk = k0 + kk;
      let gc = col0 + g * 4;
      var v = vec4<f32>(0.0);
      ${body}
      Bs[kk * 16 + g] = v;
    }`;
}

export interface LinearActShape {
  readonly activation: Activation;
  /** K % 4 === 0: a is read as vec4. */
  readonly vec4A: boolean;
  /** N % 4 === 0: b is read as vec4. */
  readonly vec4B: boolean;
}

export function linearActWgsl(s: LinearActShape): string {
  return `
  // As[k * 16 + g] holds rows 4g..4g+3 of the A tile at depth k; Bs[k * 16 + g] columns 4g..4g+3 of the B tile.
  var<workgroup> As : array<vec4<f32>, 256>;
  var<workgroup> Bs : array<vec4<f32>, 256>;

  ${ACTIVATION_WGSL[s.activation]}

  ${PLAIN_MAIN} {
    let M = uniforms.aShape.x;
    let K = uniforms.aShape.y;
    let N = uniforms.bShape.y;
    let tx = i32(localId.x);
    let ty = i32(localId.y);
    let li = i32(localIndex);
    let row0 = i32(workgroupId.y) * ${TILE};
    let col0 = i32(workgroupId.x) * ${TILE};
    var acc : array<vec4<f32>, 4>;
    let tiles = (K + 15) / 16;
    for (var t = 0; t < tiles; t++) {
      let k0 = t * 16;
      ${loadA(s.vec4A)}
      ${loadB(s.vec4B)}
      workgroupBarrier();
      for (var k = 0; k < 16; k++) {
        let a = As[k * 16 + ty];
        let b = Bs[k * 16 + tx];
        acc[0] = fma(vec4<f32>(a.x), b, acc[0]);
        acc[1] = fma(vec4<f32>(a.y), b, acc[1]);
        acc[2] = fma(vec4<f32>(a.z), b, acc[2]);
        acc[3] = fma(vec4<f32>(a.w), b, acc[3]);
      }
      workgroupBarrier();
    }
    // Epilogue: bias and activation on the accumulators, then the only store.
    for (var i = 0; i < 4; i++) {
      let r = row0 + ty * 4 + i;
      for (var j = 0; j < 4; j++) {
        let c = col0 + tx * 4 + j;
        if (r < M && c < N) {
          result[r * N + c] = act(acc[i][j] + Bias[c]);
        }
      }
    }
  }`;
}

export class LinearActProgram implements WebGPUProgram {
  variableNames = ['A', 'B', 'Bias'];
  variableComponents: number[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [1], y: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [16, 16, 1];
  private readonly s: LinearActShape;

  constructor(m: number, k: number, n: number, activation: Activation) {
    this.s = { activation, vec4A: k % 4 === 0, vec4B: n % 4 === 0 };
    this.variableComponents = [this.s.vec4A ? 4 : 1, this.s.vec4B ? 4 : 1, 1];
    this.outputShape = [m, n];
    this.dispatch = [Math.ceil(n / TILE), Math.ceil(m / TILE), 1];
    this.shaderKey = `fusebench_linear_${activation}_${this.s.vec4A ? 'a4' : 'a1'}_${this.s.vec4B ? 'b4' : 'b1'}`;
  }

  getUserCode(): string {
    return linearActWgsl(this.s);
  }
}

const linearActKernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = asWebGPUBackend(backend, LINEAR_ACT);
  const named = inputs as Record<string, TensorInfo | undefined>;
  const a = requireInput(named, 'a', LINEAR_ACT);
  const b = requireInput(named, 'b', LINEAR_ACT);
  const bias = requireInput(named, 'bias', LINEAR_ACT);
  const { m, k, n } = linearActDims(a, b, bias, LINEAR_ACT);
  const activation = parseActivation((attrs as Record<string, unknown> | undefined)?.activation, LINEAR_ACT);
  return gpu.runWebGPUProgram(new LinearActProgram(m, k, n, activation), [a, b, bias], 'float32');
};

export const linearActConfig: KernelConfig = { kernelName: LINEAR_ACT, backendName: 'webgpu', kernelFunc: linearActKernelFunc };
