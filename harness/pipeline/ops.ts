/**
 * What a pipeline stage's `op` means: the tfjs call that runs it, its float64 reference, and the fusion
 * planner that turns a declared fusion group into one fused ternary kernel.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { ternaryBinary, ternaryFused3, tmatmulSign, tnot, tnotBinary, type TernaryOpOptions } from '../../kernels/ternary/ops.ts';
import { BINARY_OPS, type BinaryOp } from '../../kernels/ternary/spec.ts';
import { REF_BINARY, refMatmulSign, refTnot } from '../../kernels/ternary/reference.ts';

export type PipelineOp = BinaryOp | 'tnot' | 'tmatmul_sign';

/** A host value for the reference: shape + float64 data. */
export interface HostValue {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export interface PipelineOpSpec {
  readonly arity: number;
  /** Elementwise ops can be fused by the planner; the matmul cannot. */
  readonly elementwise: boolean;
  readonly run: (inputs: readonly Tensor[], opts: TernaryOpOptions) => Tensor;
  readonly reference: (inputs: readonly HostValue[]) => HostValue;
}

const elementwiseRef = (f: (...v: number[]) => number) => (inputs: readonly HostValue[]): HostValue => {
  const n = inputs[0].data.length;
  const out = new Float64Array(n);
  const vals = new Array<number>(inputs.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < inputs.length; j++) vals[j] = inputs[j].data[i];
    out[i] = f(...vals);
  }
  return { shape: inputs[0].shape, data: out };
};

const binarySpec = (op: BinaryOp): PipelineOpSpec => ({
  arity: 2,
  elementwise: true,
  run: ([a, b], opts) => ternaryBinary(op, a, b, opts),
  reference: elementwiseRef((a, b) => REF_BINARY[op](a, b)),
});

export const PIPELINE_OPS: Readonly<Record<PipelineOp, PipelineOpSpec>> = {
  tadd: binarySpec('tadd'),
  tmul: binarySpec('tmul'),
  tmin: binarySpec('tmin'),
  tmax: binarySpec('tmax'),
  tnot: { arity: 1, elementwise: true, run: ([x], opts) => tnot(x, opts), reference: elementwiseRef(refTnot) },
  tmatmul_sign: {
    arity: 2,
    elementwise: false,
    run: ([x, w]) => tmatmulSign(x, w),
    reference: ([x, w]) => {
      const [m, k] = x.shape;
      const n = w.shape[1];
      return { shape: [m, n], data: refMatmulSign(x.data, w.data, m, k, n) };
    },
  },
};

/** The fused kernel a group runs as. */
export type FusedCall =
  | { readonly kernel: 'TernaryNotBinary'; readonly op: BinaryOp }
  | { readonly kernel: 'TernaryFused3'; readonly inner: BinaryOp; readonly outer: BinaryOp };

export interface StageStep {
  readonly kind: 'stage';
  readonly index: number;
  readonly op: PipelineOp;
  readonly inputs: readonly string[];
  readonly out: string;
}

export interface GroupStep {
  readonly kind: 'group';
  readonly label: string;
  /** Indices of the stages the group replaces. */
  readonly indices: readonly number[];
  readonly call: FusedCall;
  readonly inputs: readonly string[];
  readonly out: string;
}

export interface PipelinePlan {
  readonly unfused: readonly StageStep[];
  readonly fused: ReadonlyArray<StageStep | GroupStep>;
  readonly groups: readonly GroupStep[];
  readonly output: string;
}

interface StageLike {
  readonly name: string;
  readonly op: PipelineOp;
  readonly inputs: readonly string[];
  readonly out: string;
  readonly fused?: string;
}

export function describeFusedCall(c: FusedCall): string {
  return c.kernel === 'TernaryNotBinary' ? `TernaryNotBinary(op=${c.op})` : `TernaryFused3(inner=${c.inner}, outer=${c.outer})`;
}

/** The fused call for two consecutive stages, or an explanation of why they cannot fuse. */
function fuseTwo(first: StageLike, second: StageLike): { call: FusedCall; inputs: string[] } | string {
  if (!(BINARY_OPS as readonly string[]).includes(first.op)) return `the first stage ("${first.name}", ${first.op}) must be one of ${BINARY_OPS.join(', ')}`;
  const inner = first.op as BinaryOp;
  if (second.op === 'tnot') {
    if (second.inputs[0] !== first.out) return `"${second.name}" does not consume "${first.out}"`;
    return { call: { kernel: 'TernaryNotBinary', op: inner }, inputs: [...first.inputs] };
  }
  if ((BINARY_OPS as readonly string[]).includes(second.op)) {
    const uses = second.inputs.filter((n) => n === first.out).length;
    if (uses !== 1) return `"${second.name}" must consume "${first.out}" exactly once (it does ${uses} time(s))`;
    // Every binary op of the table is commutative, so outer(c, x) = outer(x, c).
    const c = second.inputs.find((n) => n !== first.out)!;
    return { call: { kernel: 'TernaryFused3', inner, outer: second.op as BinaryOp }, inputs: [...first.inputs, c] };
  }
  return `"${second.name}" (${second.op}) cannot be fused after a binary op`;
}

/**
 * Checks the dataflow (every input defined before use) and turns fusion groups into fused steps.
 * `inputNames`, when given, are the pipeline's inputs; otherwise any name no stage produces counts as one.
 */
export function planPipeline(stages: readonly StageLike[], inputNames?: readonly string[]): PipelinePlan {
  const produced = new Set(stages.map((s) => s.out));
  const defined = new Set(inputNames ?? stages.flatMap((s) => s.inputs).filter((n) => !produced.has(n)));
  const unfused: StageStep[] = [];
  stages.forEach((s, index) => {
    for (const n of s.inputs) {
      if (!defined.has(n)) throw new Error(`stage ${index} ("${s.name}") reads "${n}", which is neither a pipeline input nor the output of an earlier stage`);
    }
    if (defined.has(s.out)) throw new Error(`stage ${index} ("${s.name}") writes "${s.out}", which already exists`);
    defined.add(s.out);
    unfused.push({ kind: 'stage', index, op: s.op, inputs: s.inputs, out: s.out });
  });
  const output = stages[stages.length - 1].out;
  const members = new Map<string, number[]>();
  stages.forEach((s, i) => {
    if (s.fused !== undefined) members.set(s.fused, [...(members.get(s.fused) ?? []), i]);
  });
  for (const [label, idx] of members) {
    if (idx.some((v, k) => k > 0 && v !== idx[k - 1] + 1)) throw new Error(`fusion group "${label}" is not made of consecutive stages (stages ${idx.join(', ')})`);
  }
  const fused: Array<StageStep | GroupStep> = [];
  const groups: GroupStep[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < stages.length; i++) {
    const label = stages[i].fused;
    if (label === undefined) {
      fused.push(unfused[i]);
      continue;
    }
    if (seen.has(label)) throw new Error(`fusion group "${label}" is not made of consecutive stages`);
    seen.add(label);
    let j = i;
    while (j + 1 < stages.length && stages[j + 1].fused === label) j++;
    if (j - i + 1 !== 2) throw new Error(`fusion group "${label}" has ${j - i + 1} stage(s); the ternary kernels fuse exactly 2`);
    const [first, second] = [stages[i], stages[j]];
    const why = fuseTwo(first, second);
    if (typeof why === 'string') throw new Error(`fusion group "${label}" cannot be fused: ${why}`);
    const laterUse = stages.slice(j + 1).some((s) => s.inputs.includes(first.out));
    if (laterUse || first.out === output) throw new Error(`fusion group "${label}": "${first.out}" is used after the group, so fusing would not remove it`);
    const step: GroupStep = { kind: 'group', label, indices: [i, j], call: why.call, inputs: why.inputs, out: second.out };
    fused.push(step);
    groups.push(step);
    i = j;
  }
  return { unfused, fused, groups, output };
}

export function runFusedCall(c: FusedCall, inputs: readonly Tensor[], opts: TernaryOpOptions): Tensor {
  return c.kernel === 'TernaryNotBinary'
    ? tnotBinary(c.op, inputs[0], inputs[1], opts)
    : ternaryFused3(c.inner, c.outer, inputs[0], inputs[1], inputs[2], opts);
}

/** Runs one step on named tensors. */
export function runStep(step: StageStep | GroupStep, env: Readonly<Record<string, Tensor>>, opts: TernaryOpOptions): Tensor {
  const ins = step.inputs.map((n) => env[n]);
  return step.kind === 'stage' ? PIPELINE_OPS[step.op].run(ins, opts) : runFusedCall(step.call, ins, opts);
}

/** The float64 reference of the whole pipeline (every stage, unfused). */
export function referencePipeline(plan: PipelinePlan, inputs: Readonly<Record<string, HostValue>>): HostValue {
  const env: Record<string, HostValue> = { ...inputs };
  for (const s of plan.unfused) env[s.out] = PIPELINE_OPS[s.op].reference(s.inputs.map((n) => env[n]));
  return env[plan.output];
}
