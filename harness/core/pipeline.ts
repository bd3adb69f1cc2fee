/**
 * `definePipeline`, beside `defineSuite`: a macro pipeline is an ordered list of stages on named tensors, with
 * the stages that one fused kernel replaces grouped and marked. Validates the declaration (errors name the file
 * and the field), plans its dataflow, and registers it.
 *
 *   definePipeline({
 *     id: 'MyPipeline', family: 'pipelines', title: '…', sizes: { full: […], quick: […] }, label, magnitude, inputs,
 *     stages: [
 *       { name: 'scale', inputs: ['x', 'w'], out: 'y', run: (x, w) => tf.mul(x, w) },
 *       { fused: 'bias+relu', inputs: ['y', 'b'], kernel: (y, b) => addRelu(y, b), stages: [
 *         { name: 'bias', inputs: ['y', 'b'], out: 'z', run: (y, b) => tf.add(y, b) },
 *         { name: 'relu', inputs: ['z'], out: 'out', run: (z) => tf.relu(z) },
 *       ] },
 *     ],
 *     micro: 'Add_ReLU', predictions: {…}, reference: (x) => …,
 *   });
 */
import type { FusedStages, PipelineSpec, PipelineStage, PipelineStep, SizeParams, Tolerance } from './types.ts';
import { PipelineDeclarationError } from './errors.ts';
import { callerFile, checkCommonFields, ID_PATTERN, idTakenBy, recordPipeline, type Fail } from './declare.ts';

export { registeredPipelines } from './declare.ts';

/** Tolerance of an integer pipeline: every element exactly equal to the reference. */
export const exact: Tolerance = { atol: 0, rtol: 0 };

export function isFusedStages(step: PipelineStep): step is FusedStages {
  return typeof (step as FusedStages).fused === 'string';
}

/** One unfused stage in execution order, with the fused group it belongs to. */
export interface PlannedStage {
  readonly index: number;
  readonly stage: PipelineStage;
  readonly group?: string;
}

/** One fused group: the stages it replaces (flat indices), what its kernel reads, and the tensor it writes. */
export interface PlannedGroup {
  readonly label: string;
  readonly step: FusedStages;
  readonly indices: readonly number[];
  readonly out: string;
}

export interface PipelinePlan {
  /** Every stage, unfused, in execution order. */
  readonly stages: readonly PlannedStage[];
  readonly groups: readonly PlannedGroup[];
  /** The fused pipeline: stages outside groups, and each group as one step (index into `groups`). */
  readonly fused: ReadonlyArray<{ readonly stage: number } | { readonly group: number }>;
  /** The pipeline's result: the last stage's output. */
  readonly output: string;
}

/** A problem of a declaration's stage list, with the field it lies in. */
export class PlanError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/**
 * Checks the dataflow (every tensor defined before it is read, none written twice) and each fused group (its
 * declared inputs are exactly what its stages read from outside it, and its intermediates are used nowhere
 * after it, or fusing would not remove them). `inputNames`: the pipeline's inputs; without them, any name no
 * stage writes counts as one.
 */
export function planPipeline(steps: readonly PipelineStep[], inputNames?: readonly string[]): PipelinePlan {
  const flat: PlannedStage[] = [];
  const where: string[] = [];
  steps.forEach((step, i) => {
    if (isFusedStages(step)) step.stages.forEach((stage, j) => {
      flat.push({ index: flat.length, stage, group: step.fused });
      where.push(`stages[${i}].stages[${j}]`);
    });
    else {
      flat.push({ index: flat.length, stage: step });
      where.push(`stages[${i}]`);
    }
  });
  const produced = new Set(flat.map((s) => s.stage.out));
  const defined = new Set(inputNames ?? flat.flatMap((s) => s.stage.inputs).filter((n) => !produced.has(n)));
  for (const { index, stage } of flat) {
    for (const n of stage.inputs) {
      if (!defined.has(n)) throw new PlanError(`${where[index]}.inputs`, `reads "${n}", which is neither a pipeline input nor the output of an earlier stage`);
    }
    if (defined.has(stage.out)) throw new PlanError(`${where[index]}.out`, `writes "${stage.out}", which already exists`);
    defined.add(stage.out);
  }
  const output = flat[flat.length - 1]!.stage.out;
  const groups: PlannedGroup[] = [];
  const fused: Array<{ stage: number } | { group: number }> = [];
  const labels = new Set<string>();
  let at = 0;
  steps.forEach((step, i) => {
    if (!isFusedStages(step)) {
      fused.push({ stage: at++ });
      return;
    }
    if (labels.has(step.fused)) throw new PlanError(`stages[${i}].fused`, `"${step.fused}" labels two fused groups`);
    labels.add(step.fused);
    const indices = step.stages.map((_, j) => at + j);
    at += step.stages.length;
    const inside = new Set(step.stages.map((s) => s.out));
    const outside = [...new Set(step.stages.flatMap((s) => s.inputs).filter((n) => !inside.has(n)))];
    const declared = new Set(step.inputs);
    if (outside.length !== declared.size || outside.some((n) => !declared.has(n)) || declared.size !== step.inputs.length) {
      throw new PlanError(`stages[${i}].inputs`, `must name what the group's stages read from outside it, each once (${outside.join(', ')}); got ${step.inputs.join(', ') || 'nothing'}`);
    }
    const out = step.stages[step.stages.length - 1]!.out;
    const later = flat.slice(at).flatMap((s) => s.stage.inputs);
    const kept = [...inside].filter((n) => n !== out && (later.includes(n) || n === output));
    if (kept.length) throw new PlanError(`stages[${i}]`, `"${kept.join('", "')}" is used after the fused group "${step.fused}", so fusing would not remove it`);
    groups.push({ label: step.fused, step, indices, out });
    fused.push({ group: groups.length - 1 });
  });
  return { stages: flat, groups, fused, output };
}

function validateStage(s: PipelineStage, at: string, fail: Fail): void {
  if (s === null || typeof s !== 'object') fail(at, 'must be a stage { name, inputs, out, run }');
  if (typeof s.name !== 'string' || s.name.length === 0) fail(`${at}.name`, 'is missing (a non-empty string)');
  if (!Array.isArray(s.inputs) || s.inputs.length === 0 || s.inputs.some((n) => typeof n !== 'string' || n.length === 0)) {
    fail(`${at}.inputs`, 'must list the tensor names the stage reads');
  }
  if (typeof s.out !== 'string' || s.out.length === 0) fail(`${at}.out`, 'is missing (the name of the tensor the stage writes)');
  if (typeof s.run !== 'function') fail(`${at}.run`, 'is missing (a function of the input tensors, in the order of `inputs`)');
}

function validate(spec: PipelineSpec, file: string): void {
  const fail: Fail = (field, problem) => {
    throw new PipelineDeclarationError(file, field, problem);
  };
  if (spec === null || typeof spec !== 'object') fail('(pipeline)', 'must be an object');
  checkCommonFields(spec, fail);
  if (typeof spec.micro !== 'string' || spec.micro.length === 0) fail('micro', 'is missing (a non-empty string)');
  if (!ID_PATTERN.test(spec.micro)) fail('micro', `"${spec.micro}" must be the id of a suite (letters, digits and underscores)`);
  for (const field of ['label', 'magnitude', 'inputs', 'reference'] as const) {
    if (typeof spec[field] !== 'function') fail(field, 'is missing (a function)');
  }
  if (spec.copy !== undefined && typeof spec.copy !== 'function') fail('copy', 'must be a function (a tensor → a copy of its bytes)');
  if (spec.description !== undefined && typeof spec.description !== 'string') fail('description', 'must be a string');
  if (!Array.isArray(spec.stages) || spec.stages.length === 0) fail('stages', 'must be a non-empty array of stages');
  spec.stages.forEach((step, i) => {
    if (step !== null && typeof step === 'object' && 'fused' in step) {
      const g = step as FusedStages;
      if (typeof g.fused !== 'string' || g.fused.length === 0) fail(`stages[${i}].fused`, 'must be a non-empty label');
      if (typeof g.kernel !== 'function') fail(`stages[${i}].kernel`, 'is missing (the fused kernel: a function of `inputs`)');
      if (!Array.isArray(g.inputs)) fail(`stages[${i}].inputs`, 'must list the tensors the fused kernel reads');
      if (!Array.isArray(g.stages) || g.stages.length < 2) fail(`stages[${i}].stages`, 'must hold the two or more unfused stages the kernel replaces');
      g.stages.forEach((s, j) => validateStage(s, `stages[${i}].stages[${j}]`, fail));
    } else {
      validateStage(step as PipelineStage, `stages[${i}]`, fail);
    }
  });
  const names = spec.stages.flatMap((step) => (isFusedStages(step) ? step.stages : [step])).map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) fail('stages', `name "${twice}" twice: each stage's name must be its own (reports and vitest's table name stages by it)`);
  if (!spec.stages.some(isFusedStages)) fail('stages', 'has no fused group ({ fused, inputs, kernel, stages }): a pipeline measures what fusing some of its stages gains');
  try {
    planPipeline(spec.stages);
  } catch (e) {
    if (e instanceof PlanError) fail(e.field, e.message);
    throw e;
  }
}

/**
 * Declares one macro pipeline. Throws `PipelineDeclarationError` naming the file and the field at fault.
 * Returns the spec unchanged so a file can `export default definePipeline({...})`.
 */
export function definePipeline<P extends SizeParams>(spec: PipelineSpec<P>, file: string = callerFile([import.meta.url])): PipelineSpec<P> {
  const generic = spec as unknown as PipelineSpec;
  validate(generic, file);
  const taken = idTakenBy(spec.id, file);
  if (taken) throw new PipelineDeclarationError(file, 'id', `"${spec.id}" is already declared by ${taken}`);
  recordPipeline({ spec: generic, file });
  return spec;
}
