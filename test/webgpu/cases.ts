/**
 * Inputs and references for checking fusebench's WGSL kernels against tfjs: each case runs the fused
 * kernel (on webgpu) and the same math as plain tfjs ops (on cpu for correctness; on webgpu, the same ops
 * are the unfused variant for indicative timings). Shapes cover vec4 and scalar paths, ragged tiles, and
 * dispatches wide enough that tfjs folds them into 2-D.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { BINARY_OPS, PHASE_42_COMPOSITIONS, type BinaryOp } from '../../kernels/ternary/spec.ts';
import { runSdpa, type SdpaProgramChoice } from '../../kernels/sdpa/webgpu.ts';

export interface HostTensor {
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
  readonly data: Float32Array | Int32Array;
}

export interface KernelCase {
  readonly name: string;
  /** Built on demand: the large cases hold hundreds of MB. */
  readonly makeInputs: () => HostTensor[];
  readonly fused: (t: readonly tf.Tensor[]) => tf.Tensor;
  readonly reference: (t: readonly tf.Tensor[]) => tf.Tensor;
  readonly atol: number;
  readonly rtol: number;
  /** Part of the indicative timings of gpu-smoke.ts. */
  readonly timed?: boolean;
  /** Small enough for the vitest GPU test (which runs on 2 shared cores in CI-like settings). */
  readonly small?: boolean;
}

/** mulberry32: deterministic inputs, so a failure reproduces. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function uniform(shape: number[], r: () => number, lo = -1, hi = 1): HostTensor {
  const data = new Float32Array(size(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * r();
  return { shape, dtype: 'float32', data };
}

export function trits(shape: number[], r: () => number): HostTensor {
  const data = new Int32Array(size(shape));
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(r() * 3) - 1;
  return { shape, dtype: 'int32', data };
}

const run = (kernel: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): tf.Tensor =>
  tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;

// ---------------------------------------------------------------------------------------------
// References as tfjs op compositions

type Act = 'linear' | 'relu' | 'gelu' | 'gelu_tanh' | 'silu';

export function activationOps(act: Act, x: tf.Tensor): tf.Tensor {
  switch (act) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case 'gelu_tanh': {
      // The contract's formula, literally: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
      const u = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(u)));
    }
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
  }
}

const linearRef = (act: Act) => ([a, b, bias]: readonly tf.Tensor[]): tf.Tensor => activationOps(act, tf.add(tf.matMul(a!, b!), bias!));

function layerNormRef([x, gamma, beta]: readonly tf.Tensor[], eps = 1e-5): tf.Tensor {
  const axis = x!.rank - 1;
  const { mean, variance } = tf.moments(x!, axis, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x!, mean), tf.rsqrt(tf.add(variance, eps))), gamma!), beta!);
}

function qktSoftmaxRef([q, k]: readonly tf.Tensor[]): tf.Tensor {
  const d = q!.shape[2]!;
  return tf.softmax(tf.mul(tf.matMul(q!, k!, false, true), 1 / Math.sqrt(d)));
}

function sdpaRef([q, k, v]: readonly tf.Tensor[]): tf.Tensor {
  return tf.matMul(qktSoftmaxRef([q!, k!]), v!);
}

/** FusebenchSDPA with a forced program choice (the 16 KiB tiling, or the row kernel), on the current webgpu backend. */
function sdpaForced(choice: SdpaProgramChoice) {
  return ([q, k, v]: readonly tf.Tensor[]): tf.Tensor => {
    const info = runSdpa(tf.backend() as WebGPUBackend, q!, k!, v!, {}, choice);
    return tf.engine().makeTensorFromTensorInfo(info);
  };
}

const BINARY_REF: Readonly<Record<BinaryOp, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor>> = {
  tadd: (a, b) => tf.clipByValue(tf.add(a, b), -1, 1),
  tmul: (a, b) => tf.mul(a, b),
  tmin: (a, b) => tf.minimum(a, b),
  tmax: (a, b) => tf.maximum(a, b),
};

// ---------------------------------------------------------------------------------------------

function linearCases(): KernelCase[] {
  const out: KernelCase[] = [];
  const shapes: Array<[number, number, number, boolean]> = [[64, 96, 128, true], [37, 50, 67, true], [1, 768, 3072, false]];
  for (const act of ['linear', 'relu', 'gelu', 'gelu_tanh', 'silu'] as const) {
    for (const [m, k, n, small] of shapes) {
      out.push({
        name: `FusebenchLinearAct ${act} ${m}×${k}·${k}×${n}`,
        makeInputs: () => {
          const r = rng(m * 7919 + k * 31 + n);
          return [uniform([m, k], r), uniform([k, n], r), uniform([n], r)];
        },
        fused: ([a, b, bias]) => run('FusebenchLinearAct', { a: a!, b: b!, bias: bias! }, { activation: act }),
        reference: linearRef(act),
        atol: 1e-3, rtol: 1e-3, small,
      });
    }
  }
  // K = 1 and a in [−60, 60]: the activations' tails (exp overflow, x³ overflow in gelu_tanh) and both signs.
  for (const act of ['gelu', 'gelu_tanh', 'silu'] as const) {
    out.push({
      name: `FusebenchLinearAct ${act} wide range 64×1·1×64`,
      makeInputs: () => {
        const r = rng(17);
        return [uniform([64, 1], r, -60, 60), uniform([1, 64], r), uniform([64], r)];
      },
      fused: ([a, b, bias]) => run('FusebenchLinearAct', { a: a!, b: b!, bias: bias! }, { activation: act }),
      reference: linearRef(act),
      atol: 1e-4, rtol: 1e-5, small: true,
    });
  }
  out.push({
    name: 'FusebenchLinearAct gelu 512×768·768×3072',
    makeInputs: () => {
      const r = rng(42);
      return [uniform([512, 768], r), uniform([768, 3072], r), uniform([3072], r)];
    },
    fused: ([a, b, bias]) => run('FusebenchLinearAct', { a: a!, b: b!, bias: bias! }, { activation: 'gelu' }),
    reference: linearRef('gelu'),
    atol: 1e-3, rtol: 1e-3, timed: true,
  });
  return out;
}

function layerNormCases(): KernelCase[] {
  // vec4 cached (768, 5000), f32 cached (50), f32 re-read (4099), vec4 re-read (16388), many short rows (70000×8).
  const shapes: Array<[number[], boolean, boolean]> = [[[4, 128, 768], false, true], [[8, 768], true, false], [[3, 50], true, false], [[2, 5000], true, false], [[2, 4099], true, false], [[2, 16388], true, false], [[70000, 8], false, false]];
  return shapes.map(([shape, small, timed]) => {
    const d = shape[shape.length - 1]!;
    return {
      name: `FusebenchLayerNorm [${shape.join(',')}]`,
      makeInputs: () => {
        const r = rng(size(shape));
        return [uniform(shape, r, -2, 3), uniform([d], r), uniform([d], r)];
      },
      fused: ([x, g, b]) => run('FusebenchLayerNorm', { x: x!, gamma: g!, beta: b! }, { epsilon: 1e-5 }),
      reference: (t) => layerNormRef(t),
      atol: 1e-4, rtol: 1e-3, small, timed,
    };
  });
}

function addReluCases(): KernelCase[] {
  const shapes: Array<[number[], boolean, boolean]> = [[[1000003], true, false], [[64, 1000], true, false], [[4, 1024, 1024], false, true], [[16777217], false, false]];
  return shapes.map(([shape, small, timed]) => {
    return {
      name: `FusebenchAddRelu [${shape.join(',')}]`,
      makeInputs: () => {
        const r = rng(size(shape) + 5);
        return [uniform(shape, r), uniform(shape, r)];
      },
      fused: ([a, b]) => run('FusebenchAddRelu', { a: a!, b: b! }),
      reference: ([a, b]) => tf.relu(tf.add(a!, b!)),
      atol: 0, rtol: 0, small, timed,
    };
  });
}

function attentionInputs(shape: [number, number, number], count: 2 | 3): () => HostTensor[] {
  return () => {
    const r = rng(size(shape) + 11);
    return Array.from({ length: count }, () => uniform(shape, r));
  };
}

/**
 * SDPA shapes: D = 32, 64, 128 (tiles of 64, 64 and 32 keys at 32 KiB), D = 236 (16-key tiles, the tiled kernel's
 * largest D), D = 256, 330, 332, 600, 1000 (the row kernel), odd D (scalar), odd S, S = 1.
 */
function sdpaCases(): KernelCase[] {
  const shapes: Array<[[number, number, number], boolean, boolean]> = [
    [[12, 128, 64], true, false], [[2, 129, 64], true, false], [[1, 1, 64], true, false], [[3, 61, 32], true, false],
    [[4, 77, 40], true, false], [[2, 100, 33], true, false], [[2, 70, 128], true, false], [[2, 45, 128], true, false],
    [[1, 33, 256], true, false], [[1, 21, 330], true, false], [[2, 50, 236], true, false], [[1, 17, 1], true, false], [[1, 19, 332], true, false], [[1, 37, 600], true, false],
    [[1, 9, 1000], true, false], [[8, 512, 128], false, false], [[12, 512, 64], false, true], [[2, 1023, 64], false, false],
  ];
  const out: KernelCase[] = shapes.map(([shape, small, timed]) => ({
    name: `FusebenchSDPA [${shape.join(',')}]`,
    makeInputs: attentionInputs(shape, 3),
    fused: ([q, k, v]) => run('FusebenchSDPA', { q: q!, k: k!, v: v! }),
    reference: sdpaRef,
    atol: 1e-4, rtol: 1e-3, small, timed,
  }));
  // The tilings a device with 16 KiB of workgroup memory gets, and the row kernel on shapes the tiled one takes.
  const forced: Array<[[number, number, number], SdpaProgramChoice, string]> = [
    [[3, 61, 32], { budgetBytes: 16384 }, '16 KiB tiles'], [[2, 129, 64], { budgetBytes: 16384 }, '16 KiB tiles'],
    [[2, 45, 128], { budgetBytes: 16384 }, '16 KiB budget: row kernel'], [[2, 100, 33], { budgetBytes: 16384 }, '16 KiB tiles'],
    [[2, 129, 64], { rows: true }, 'row kernel'], [[2, 100, 33], { rows: true }, 'row kernel'],
  ];
  for (const [shape, choice, label] of forced) {
    out.push({
      name: `FusebenchSDPA (${label}) [${shape.join(',')}]`,
      makeInputs: attentionInputs(shape, 3),
      fused: sdpaForced(choice),
      reference: sdpaRef,
      atol: 1e-4, rtol: 1e-3, small: true,
    });
  }
  return out;
}

/** QKᵀ+softmax shapes: vec4 and scalar loads (D % 4), vec4 and scalar stores (S % 4), ragged 32-row and 64-key tiles. */
function qktSoftmaxCases(): KernelCase[] {
  const shapes: Array<[[number, number, number], boolean, boolean]> = [
    [[12, 128, 64], true, false], [[4, 77, 40], true, false], [[2, 100, 33], true, false], [[3, 61, 32], true, false],
    [[1, 1, 64], true, false], [[2, 130, 20], true, false], [[1, 37, 7], true, false], [[1, 200, 128], true, false],
    [[12, 512, 64], false, true], [[2, 1024, 64], false, false], [[1, 2048, 64], false, false],
  ];
  return shapes.map(([shape, small, timed]) => ({
    name: `FusebenchQKTSoftmax [${shape.join(',')}]`,
    makeInputs: attentionInputs(shape, 2),
    fused: ([q, k]) => run('FusebenchQKTSoftmax', { q: q!, k: k! }),
    reference: qktSoftmaxRef,
    atol: 1e-6, rtol: 1e-4, small, timed,
  }));
}

function ternaryCases(): KernelCase[] {
  const out: KernelCase[] = [];
  const sizes: Array<[number, boolean]> = [[4099, true], [4096, true], [1 << 20, false]];
  for (const [n, small] of sizes) {
    const abc = (): HostTensor[] => {
      const r = rng(n);
      return [trits([n], r), trits([n], r), trits([n], r)];
    };
    const noValidate = { validate: false };
    out.push({
      name: `TernaryUnary tnot [${n}]`, makeInputs: () => abc().slice(0, 1), small,
      fused: ([x]) => run('TernaryUnary', { x: x! }, { op: 'tnot', ...noValidate }),
      reference: ([x]) => tf.neg(x!), atol: 0, rtol: 0,
    });
    for (const op of BINARY_OPS) {
      out.push({
        name: `TernaryBinary ${op} [${n}]`, makeInputs: () => abc().slice(0, 2), small,
        fused: ([x, y]) => run('TernaryBinary', { a: x!, b: y! }, { op, ...noValidate }),
        reference: ([x, y]) => BINARY_REF[op](x!, y!), atol: 0, rtol: 0,
      });
      out.push({
        name: `TernaryNotBinary ${op} [${n}]`, makeInputs: () => abc().slice(0, 2), small,
        fused: ([x, y]) => run('TernaryNotBinary', { a: x!, b: y! }, { op, ...noValidate }),
        reference: ([x, y]) => tf.neg(BINARY_REF[op](x!, y!)), atol: 0, rtol: 0,
      });
    }
    for (const [inner, outer] of PHASE_42_COMPOSITIONS) {
      out.push({
        name: `TernaryFused3 ${outer}(${inner}(a,b),c) [${n}]`, makeInputs: abc, small,
        timed: !small && inner === 'tmul' && outer === 'tadd',
        fused: ([x, y, z]) => run('TernaryFused3', { a: x!, b: y!, c: z! }, { inner, outer, ...noValidate }),
        reference: ([x, y, z]) => BINARY_REF[outer](BINARY_REF[inner](x!, y!), z!), atol: 0, rtol: 0,
      });
    }
    out.push({
      name: `FusebenchCopy int32 [${n}]`, makeInputs: () => abc().slice(0, 1), small,
      fused: ([x]) => run('FusebenchCopy', { x: x! }),
      reference: ([x]) => tf.clone(x!), atol: 0, rtol: 0,
    });
  }
  out.push({
    name: 'FusebenchCopy float32 [1001]', makeInputs: () => [uniform([1001], rng(3))], small: true,
    fused: ([x]) => run('FusebenchCopy', { x: x! }),
    reference: ([x]) => tf.clone(x!), atol: 0, rtol: 0,
  });
  return out;
}

export const KERNEL_CASES: readonly KernelCase[] = [...linearCases(), ...layerNormCases(), ...addReluCases(), ...sdpaCases(), ...qktSoftmaxCases(), ...ternaryCases()];
