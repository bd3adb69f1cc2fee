/**
 * The one element-wise template: unary, binary and ternary ops, with broadcasting, over float32 and
 * int32. A signature (op, dtypes, how each input is indexed, rank, index width, vector width) maps to
 * exactly one source text; the compiler caches by that text.
 */
import { PRELUDE } from './prelude.ts';

export type ElemDtype = 'float32' | 'int32';
/** flat: same shape as the output; scalar: one value; strided: per-dimension strides (0 = broadcast). */
export type InputMode = 'flat' | 'scalar' | 'strided';

export const MAX_RANK = 6;

export interface ElementwiseOp {
  /** C expression over inputs a, b, c and float parameters p0, p1. */
  readonly expr: string;
  readonly arity: 1 | 2 | 3;
}

const f = (expr: string, arity: 1 | 2 | 3 = 1): ElementwiseOp => ({ expr, arity });

/** Float32 ops, by tfjs kernel name. Fused kernels (kernels/) bring their own ElementwiseOp. */
export const FLOAT_OPS: Readonly<Record<string, ElementwiseOp>> = {
  Identity: f('a'),
  Relu: f('fb_relu(a)'),
  Relu6: f('(a < 0.f ? 0.f : (a > 6.f ? 6.f : a))'),
  Erf: f('erff(a)'),
  Tanh: f('tanhf(a)'),
  Sigmoid: f('fb_sigmoid(a)'),
  Exp: f('expf(a)'),
  Log: f('logf(a)'),
  Neg: f('(-a)'),
  Sign: f('(a > 0.f ? 1.f : (a < 0.f ? -1.f : 0.f))'),
  Abs: f('fabsf(a)'),
  Sqrt: f('sqrtf(a)'),
  Rsqrt: f('(1.f / sqrtf(a))'),
  Square: f('(a * a)'),
  Reciprocal: f('(1.f / a)'),
  Floor: f('floorf(a)'),
  Ceil: f('ceilf(a)'),
  Elu: f('(a >= 0.f ? a : expf(a) - 1.f)'),
  LeakyRelu: f('(a < 0.f ? p0 * a : a)'),
  ClipByValue: f('(a < p0 ? p0 : (a > p1 ? p1 : a))'),
  Add: f('(a + b)', 2),
  Sub: f('(a - b)', 2),
  Mul: f('(a * b)', 2),
  RealDiv: f('(a / b)', 2),
  Minimum: f('fb_min(a, b)', 2),
  Maximum: f('fb_max(a, b)', 2),
  SquaredDifference: f('((a - b) * (a - b))', 2),
  Pow: f('powf(a, b)', 2),
  Prelu: f('(a < 0.f ? b * a : a)', 2),
  // The ops below compute in double and round once to float32, as tfjs-backend-cpu (Math.* into a Float32Array):
  // CUDA's float functions are within 1-2 ulp, which for cosh(10) = 11013 is over tfjs's test epsilon.
  Sin: f('sin((double)a)'),
  Cos: f('cos((double)a)'),
  Tan: f('tan((double)a)'),
  Asin: f('asin((double)a)'),
  Acos: f('acos((double)a)'),
  Atan: f('atan((double)a)'),
  Sinh: f('sinh((double)a)'),
  Cosh: f('cosh((double)a)'),
  Asinh: f('asinh((double)a)'),
  Acosh: f('acosh((double)a)'),
  Atanh: f('atanh((double)a)'),
  Expm1: f('expm1((double)a)'),
  Log1p: f('log1p((double)a)'),
  Softplus: f('fb_softplus((double)a)'),
  Selu: f('(a >= 0.f ? 1.0507009873554804934193349852946 * (double)a : 1.7580993408473768599402175208123 * (exp((double)a) - 1.0))'),
  // Banker's rounding, as cpu's Round.
  Round: f('rintf(a)'),
  Step: f('(a != a ? a : (a > 0.f ? 1.f : p0))'),
  Atan2: f('atan2((double)a, (double)b)', 2),
  Mod: f('fb_mod((double)a, (double)b)', 2),
  // EluGrad(dy, y): dy where y ≥ 0, else dy·(y + 1).
  EluGrad: f('(b >= 0.f ? a : a * (b + 1.f))', 2),
};

/**
 * Kernels whose result is bool (int32 0/1 on the device) for any input dtype; the expressions hold for float and int
 * inputs alike (an int is never NaN or infinite). NaN compares false, as in JavaScript.
 */
export const BOOL_OPS: Readonly<Record<string, ElementwiseOp>> = {
  Equal: f('(a == b)', 2),
  NotEqual: f('(a != b)', 2),
  Greater: f('(a > b)', 2),
  GreaterEqual: f('(a >= b)', 2),
  Less: f('(a < b)', 2),
  LessEqual: f('(a <= b)', 2),
  LogicalAnd: f('(a != 0 && b != 0)', 2),
  LogicalOr: f('(a != 0 || b != 0)', 2),
  LogicalNot: f('(a == 0)'),
  IsNan: f('(a != a)'),
  IsInf: f('(fabsf((float)a) == __int_as_float(0x7f800000))'),
  IsFinite: f('(fabsf((float)a) < __int_as_float(0x7f800000))'),
};

/** FloorDiv: Math.floor(a / b) in double, int32 result for every input dtype (tfjs-backend-cpu's). */
export const FLOOR_DIV: ElementwiseOp = f('fb_d2i(floor((double)a / (double)b))', 2);

/**
 * Int32 ops computed exactly on integers. Other float ops on int32 inputs go through `intViaFloat`
 * (tfjs-backend-cpu computes them in doubles and stores int32).
 */
export const INT_OPS: Readonly<Record<string, ElementwiseOp>> = {
  Identity: f('a'),
  Relu: f('fb_relu(a)'),
  Relu6: f('(a < 0 ? 0 : (a > 6 ? 6 : a))'),
  // tfjs-backend-cpu: x > max ? max : (x < min ? min : x), the bound stored as int32.
  ClipByValue: f('((float)a > p1 ? fb_f2i(p1) : ((float)a < p0 ? fb_f2i(p0) : a))'),
  Neg: f('(-a)'),
  Sign: f('(a > 0 ? 1 : (a < 0 ? -1 : 0))'),
  Abs: f('(a < 0 ? -a : a)'),
  Square: f('(a * a)'),
  Add: f('(a + b)', 2),
  Sub: f('(a - b)', 2),
  Mul: f('(a * b)', 2),
  Minimum: f('fb_min(a, b)', 2),
  Maximum: f('fb_max(a, b)', 2),
  SquaredDifference: f('((a - b) * (a - b))', 2),
  Pow: f('fb_ipow(a, b)', 2),
  // Integers are their own floor, ceil and round (through float they would lose bits above 2^24).
  Floor: f('a'),
  Ceil: f('a'),
  Round: f('a'),
  // Mod on int32 in double (exact for int32), stored as JavaScript stores it (b = 0 gives NaN, stored 0).
  Mod: f('fb_d2i(fb_mod((double)a, (double)b))', 2),
  BitwiseAnd: f('(a & b)', 2),
};

/**
 * Ops on int32 (or bool) inputs with a float32 result, where the float op's own rounding would differ from
 * tfjs-backend-cpu's: Exp there is Math.exp in double, rounded once to float32. CUDA's expf is within 2 ulp, which
 * at exp(10) = 22026.47 is 0.004, over tfjs's test epsilon; exp in double then one rounding gives cpu's float.
 */
export const INT_TO_FLOAT_OPS: Readonly<Record<string, ElementwiseOp>> = {
  Exp: f('exp((double)a)'),
};

/**
 * A float op applied to int32 inputs with an int32 result, as tfjs-backend-cpu does it: each input converted to
 * float, the float expression, the result stored as int32 (fb_f2i).
 */
export function intViaFloat(op: ElementwiseOp): ElementwiseOp {
  return { expr: `fb_f2i(${op.expr.replace(/\b([abc])\b/g, '((float)$1)')})`, arity: op.arity };
}

/** Casts between the device dtypes (bool lives on the device as int32 0/1). */
export function castOp(from: ElemDtype, to: ElemDtype | 'bool'): ElementwiseOp {
  // tfjs-backend-cpu: bool = (x !== 0), so NaN casts to true.
  if (to === 'bool') return f(from === 'float32' ? '(a != 0.f ? 1 : 0)' : '(a != 0 ? 1 : 0)');
  if (from === to) return f('a');
  return f(to === 'int32' ? 'fb_f2i(a)' : '((float)a)');
}

export interface ElementwiseSignature {
  readonly name: string;
  readonly op: ElementwiseOp;
  readonly inDtypes: readonly ElemDtype[];
  readonly outDtype: ElemDtype;
  readonly modes: readonly InputMode[];
  /** Output rank; only used when an input is strided. */
  readonly rank: number;
  /** 64-bit indices (more than 2^31 - 1 elements). */
  readonly wide: boolean;
  /** 4 elements per thread through float4/int4; only when no input is strided and n % 4 == 0. */
  readonly vec4: boolean;
}

const C_TYPE: Record<ElemDtype, string> = { float32: 'float', int32: 'int' };
const V_TYPE: Record<ElemDtype, string> = { float32: 'float4', int32: 'int4' };
const NAMES = ['a', 'b', 'c'] as const;

/** A kernel name that is unique per signature (the op's expression is hashed into the source anyway). */
export function entryName(sig: ElementwiseSignature): string {
  const modes = sig.modes.map((m) => m[0]).join('');
  const types = sig.inDtypes.map((d) => d[0]).join('') + sig.outDtype[0];
  return `fb_ew_${sig.name.replace(/[^A-Za-z0-9]/g, '_')}_${types}_${modes}_r${sig.rank}${sig.wide ? '_w' : ''}${sig.vec4 ? '_v4' : ''}`;
}

/**
 * Kernel parameters, in order: out, in0..in(k-1), n, p0, p1, then `Dims outDims` and one `Dims strides`
 * per strided input (only when some input is strided).
 */
export function elementwiseSource(sig: ElementwiseSignature): { source: string; entry: string } {
  const k = sig.op.arity;
  if (sig.inDtypes.length !== k || sig.modes.length !== k) throw new Error(`${sig.name}: arity ${k} but ${sig.inDtypes.length} input dtypes`);
  const strided = sig.modes.map((m, i) => (m === 'strided' ? i : -1)).filter((i) => i >= 0);
  if (sig.vec4 && strided.length) throw new Error(`${sig.name}: vec4 needs flat or scalar inputs`);
  if (strided.length && (sig.rank < 1 || sig.rank > MAX_RANK)) throw new Error(`${sig.name}: rank ${sig.rank} outside 1..${MAX_RANK}`);
  const U = sig.wide ? 'unsigned long long' : 'unsigned int';
  const T = sig.inDtypes.map((d) => C_TYPE[d]);
  const TO = C_TYPE[sig.outDtype];
  const entry = entryName(sig);
  const opArgs = T.map((t, i) => `${t} ${NAMES[i]}`).join(', ');
  const params = [
    `${TO}* __restrict__ out`,
    ...T.map((t, i) => `const ${t}* __restrict__ in${i}`),
    `U n`,
    'float p0',
    'float p1',
    ...(strided.length ? ['Dims od', ...strided.map((i) => `Dims s${i}`)] : []),
  ].join(', ');
  let body: string;
  if (sig.vec4) {
    const loads = sig.modes.map((m, i) => (m === 'scalar' ? `const ${T[i]} ${NAMES[i]}s = in${i}[0];` : '')).join(' ');
    const vin = sig.modes.map((m, i) => (m === 'flat' ? `${V_TYPE[sig.inDtypes[i]!]} v${i} = reinterpret_cast<const ${V_TYPE[sig.inDtypes[i]!]}*>(in${i})[i];` : '')).join(' ');
    const lane = (c: string): string => `fb_op(${sig.modes.map((m, i) => (m === 'scalar' ? `${NAMES[i]}s` : `v${i}.${c}`)).join(', ')}, p0, p1)`;
    const vin2 = sig.modes.map((m, i) => (m === 'flat' ? `${V_TYPE[sig.inDtypes[i]!]} w${i} = reinterpret_cast<const ${V_TYPE[sig.inDtypes[i]!]}*>(in${i})[j];` : '')).join(' ');
    const lane2 = (c: string): string => `fb_op(${sig.modes.map((m, i) => (m === 'scalar' ? `${NAMES[i]}s` : `w${i}.${c}`)).join(', ')}, p0, p1)`;
    const VO = V_TYPE[sig.outDtype];
    body = `
  ${loads}
  const U n4 = n >> 2;
  const U stride = (U)gridDim.x * blockDim.x;
  /* Two independent float4/int4 per thread per iteration: both loads are in flight before either store. */
  for (U i = (U)blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += 2 * stride) {
    const U j = i + stride;
    ${vin}
    ${VO} r;
    r.x = ${lane('x')}; r.y = ${lane('y')}; r.z = ${lane('z')}; r.w = ${lane('w')};
    if (j < n4) {
      ${vin2}
      ${VO} q;
      q.x = ${lane2('x')}; q.y = ${lane2('y')}; q.z = ${lane2('z')}; q.w = ${lane2('w')};
      reinterpret_cast<${VO}*>(out)[j] = q;
    }
    reinterpret_cast<${VO}*>(out)[i] = r;
  }`;
  } else {
    const offsets = strided.length
      ? `
    U rem = i; ${strided.map((s) => `U o${s} = 0;`).join(' ')}
#pragma unroll
    for (int d = ${sig.rank - 1}; d >= 0; --d) {
      const U c = rem % od.d[d]; rem /= od.d[d];
      ${strided.map((s) => `o${s} += c * s${s}.d[d];`).join(' ')}
    }`
      : '';
    const reads = sig.modes.map((m, i) => (m === 'flat' ? `in${i}[i]` : m === 'scalar' ? `in${i}[0]` : `in${i}[o${i}]`));
    body = `
  for (U i = (U)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (U)gridDim.x * blockDim.x) {${offsets}
    out[i] = fb_op(${reads.join(', ')}, p0, p1);
  }`;
  }
  const source = `${PRELUDE}
typedef ${U} U;
struct Dims { U d[${MAX_RANK}]; };
__device__ __forceinline__ ${TO} fb_op(${opArgs}, float p0, float p1) { return (${TO})(${sig.op.expr}); }
extern "C" __global__ void ${entry}(${params}) {${body}
}
`;
  return { source, entry };
}
