/**
 * Input-shape checks shared by every backend's implementation, so a bad call fails the same way everywhere.
 * Every message leads with the culprit: `<kernel>: input "<name>" …` or `<kernel>: attr "<name>" …`.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The float32 input `name` of a kernel call (the one input check every backend's fused float kernels use). */
export function requireInput(inputs: Readonly<Record<string, TensorInfo | undefined>>, name: string, kernel: string): TensorInfo {
  const t = inputs[name];
  if (t === undefined || t === null) throw new Error(`${kernel}: input "${name}" is missing`);
  requireFloat32(t, name, kernel);
  return t;
}

export function requireFloat32(t: TensorInfo, name: string, kernel: string): void {
  if (t.dtype !== 'float32') throw new Error(`${kernel}: input "${name}" must be float32 (got ${t.dtype})`);
}

export function requireRank(t: TensorInfo, rank: number, name: string, kernel: string): void {
  if (t.shape.length !== rank) throw new Error(`${kernel}: input "${name}" must have rank ${rank} (got shape [${t.shape.join(', ')}])`);
}

/** Axis `axis` of input `name` must be `want`; `why` says where `want` comes from. */
export function requireDim(t: TensorInfo, axis: number, want: number, name: string, why: string, kernel: string): void {
  const got = t.shape[axis];
  if (got !== want) throw new Error(`${kernel}: input "${name}" has shape [${t.shape.join(', ')}]; its axis ${axis} must be ${want}, ${why} (got ${got})`);
}

/** Shapes of a FusebenchLinearAct call: a [M,K], b [K,N], bias [N]. */
export function linearActDims(a: TensorInfo, b: TensorInfo, bias: TensorInfo, kernel: string): { m: number; k: number; n: number } {
  requireRank(a, 2, 'a', kernel);
  requireRank(b, 2, 'b', kernel);
  requireRank(bias, 1, 'bias', kernel);
  const [m, k] = a.shape;
  const n = b.shape[1];
  requireDim(b, 0, k, 'b', `K, the last axis of input "a" [${a.shape.join(', ')}]`, kernel);
  requireDim(bias, 0, n, 'bias', `N, the last axis of input "b" [${b.shape.join(', ')}]`, kernel);
  if (k < 1) throw new Error(`${kernel}: input "a" has shape [${a.shape.join(', ')}]; K (its last axis) must be ≥ 1`);
  return { m, k, n };
}

/** Shapes of an attention call: q, k (and v) [BH, S, D], all equal. */
export function attentionDims(ts: Readonly<Record<string, TensorInfo>>, kernel: string): { bh: number; s: number; d: number } {
  const names = Object.keys(ts);
  for (const n of names) requireRank(ts[n], 3, n, kernel);
  const [bh, s, d] = ts[names[0]].shape;
  for (const n of names) {
    if (ts[n].shape.join(',') !== `${bh},${s},${d}`) {
      throw new Error(`${kernel}: input "${n}" has shape [${ts[n].shape.join(', ')}] but input "${names[0]}" has [${ts[names[0]].shape.join(', ')}]; ${names.join(', ')} must all be the same [BH, S, D]`);
    }
  }
  return { bh, s, d };
}

/** The attention scale: attr `scale`, default 1/√D. */
export function attentionScale(scale: unknown, d: number, kernel: string): number {
  if (scale === undefined || scale === null) return 1 / Math.sqrt(d);
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new Error(`${kernel}: attr "scale" must be a finite number (got ${String(scale)})`);
  return scale;
}

/** LayerNorm: x [..., D], gamma [D], beta [D]. Returns rows and D. */
export function layerNormDims(x: TensorInfo, gamma: TensorInfo, beta: TensorInfo, kernel: string): { rows: number; d: number } {
  if (x.shape.length < 1) throw new Error(`${kernel}: input "x" must have rank ≥ 1`);
  const d = x.shape[x.shape.length - 1];
  requireRank(gamma, 1, 'gamma', kernel);
  requireRank(beta, 1, 'beta', kernel);
  requireDim(gamma, 0, d, 'gamma', 'the last axis of input "x"', kernel);
  requireDim(beta, 0, d, 'beta', 'the last axis of input "x"', kernel);
  const size = x.shape.reduce((p, v) => p * v, 1);
  return { rows: d === 0 ? 0 : size / d, d };
}

export function layerNormEpsilon(epsilon: unknown, kernel: string): number {
  if (epsilon === undefined || epsilon === null) return 1e-5;
  if (typeof epsilon !== 'number' || !(epsilon >= 0)) throw new Error(`${kernel}: attr "epsilon" must be a number ≥ 0 (got ${String(epsilon)})`);
  return epsilon;
}

export function sameShape(a: TensorInfo, b: TensorInfo, kernel: string): number {
  if (a.shape.join(',') !== b.shape.join(',')) {
    throw new Error(`${kernel}: input "b" has shape [${b.shape.join(', ')}] but input "a" has [${a.shape.join(', ')}]; they must be the same (this kernel does not broadcast)`);
  }
  return a.shape.reduce((p, v) => p * v, 1);
}
