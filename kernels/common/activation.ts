/**
 * FusebenchLinearAct's activations: the one list and parser every backend uses, and the epilogues of the
 * JavaScript kernels (cpu and wasm), each applied to one float32 value in a kernel's store, so no
 * intermediate tensor is written.
 */

export const ACTIVATIONS = ['linear', 'relu', 'gelu', 'gelu_tanh', 'silu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The attr `activation` of a call (absent means 'linear'); anything else is an error naming the attr. */
export function parseActivation(v: unknown, kernel: string): Activation {
  const act = v ?? 'linear';
  if (typeof act === 'string' && (ACTIVATIONS as readonly string[]).includes(act)) return act as Activation;
  throw new Error(`${kernel}: attr "activation" must be one of ${ACTIVATIONS.join(', ')} (got ${JSON.stringify(act)})`);
}

/** Integer codes so the hot loops branch on a small int rather than compare strings. */
export const ACT_LINEAR = 0;
export const ACT_RELU = 1;
export const ACT_GELU = 2;
export const ACT_SILU = 3;
export const ACT_GELU_TANH = 4;

export function activationCode(activation: unknown, kernel: string): number {
  switch (parseActivation(activation, kernel)) {
    case 'linear': return ACT_LINEAR;
    case 'relu': return ACT_RELU;
    case 'gelu': return ACT_GELU;
    case 'silu': return ACT_SILU;
    case 'gelu_tanh': return ACT_GELU_TANH;
  }
}

// erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7): the same constants tfjs uses for its Erf kernel
// (tfjs-core backend_util ERF_P, ERF_A1..A5), so the fused GELU matches the unfused erf-based one.
const ERF_P = 0.3275911;
const ERF_A1 = 0.254829592;
const ERF_A2 = -0.284496736;
const ERF_A3 = 1.421413741;
const ERF_A4 = -1.453152027;
const ERF_A5 = 1.061405429;

export function erfApprox(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = x < 0 ? -x : x;
  const t = 1 / (1 + ERF_P * ax);
  return sign * (1 - ((((ERF_A5 * t + ERF_A4) * t + ERF_A3) * t + ERF_A2) * t + ERF_A1) * t * Math.exp(-ax * ax));
}

/** GELU, exact erf form: 0.5·x·(1 + erf(x/√2)). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erfApprox(x * Math.SQRT1_2));
}

const GELU_TANH_C = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation (GPT-2's, and cuBLASLt's GELU epilogue): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_TANH_C * (x + 0.044715 * x * x * x)));
}

/** SiLU (Swish): x·sigmoid(x). */
export function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

export function activate(v: number, act: number): number {
  if (act === ACT_LINEAR) return v;
  if (act === ACT_RELU) return v < 0 ? 0 : v; // NaN stays NaN, as in tfjs's Relu
  if (act === ACT_GELU) return gelu(v);
  if (act === ACT_GELU_TANH) return geluTanh(v);
  return silu(v);
}

/** Applies `act` in place to data[start, end). */
export function activateRange(data: Float32Array, start: number, end: number, act: number): void {
  if (act === ACT_LINEAR) return;
  if (act === ACT_RELU) {
    for (let i = start; i < end; i++) if (data[i] < 0) data[i] = 0;
  } else if (act === ACT_GELU) {
    for (let i = start; i < end; i++) data[i] = gelu(data[i]);
  } else if (act === ACT_GELU_TANH) {
    for (let i = start; i < end; i++) data[i] = geluTanh(data[i]);
  } else {
    for (let i = start; i < end; i++) data[i] = silu(data[i]);
  }
}
