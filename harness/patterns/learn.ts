/**
 * What the declarations teach the pair ranking: every declared fusion (a suite's unfused → fused variants, a
 * pipeline's fused group → its kernel) is traced once at a tiny size; where two kernels become one, that pair
 * has a fused kernel already, and both kernels, with every input shaped like the output, are elementwise.
 * So the ranking knows fusebench's own kernels from the suites that use them, never from a list kept here.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RegisteredPipeline, RegisteredSuite, SizeParams } from '../core/types.ts';
import { buildSizeState } from '../measure.ts';
import { buildPipelineState } from '../measure-pipeline.ts';
import { seededRandom } from '../core/stats.ts';
import { recordKernelTrace, type KernelTrace, type TraceEvent } from './trace.ts';
import { TFJS_ELEMENTWISE, eventLabel, pairLabel, type FusionKnowledge } from './rank.ts';

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const shapedLikeOutput = (e: TraceEvent): boolean => e.outputShapes.length === 1 && e.inputShapes.every((s) => sameShape(s, e.outputShapes[0]!));

/** The smallest of a declaration's sizes (quick and full), by its magnitude. */
function smallest<P extends SizeParams>(sizes: { readonly full: readonly P[]; readonly quick: readonly P[] }, magnitude: (p: P) => number): P {
  return [...sizes.quick, ...sizes.full].sort((a, b) => magnitude(a) - magnitude(b))[0]!;
}

interface Learner {
  readonly elementwise: Set<string>;
  readonly fused: Map<string, string>;
}

function learn(k: Learner, unfused: KernelTrace, fused: KernelTrace, where: string): void {
  if (unfused.events.length !== 2 || fused.events.length !== 1) return;
  const [p, c] = unfused.events as [TraceEvent, TraceEvent];
  const f = fused.events[0]!;
  const pair = pairLabel(p, c);
  if (!k.fused.has(pair)) k.fused.set(pair, `${eventLabel(f)} (${where})`);
  for (const e of [p, c, f]) if (!TFJS_ELEMENTWISE.has(e.kernel) && shapedLikeOutput(e)) k.elementwise.add(e.kernel);
}

async function fromSuite(k: Learner, { spec }: RegisteredSuite): Promise<void> {
  const state = buildSizeState(spec, smallest(spec.sizes, spec.magnitude), seededRandom(1));
  try {
    learn(k, await recordKernelTrace(state.unfused, 1), await recordKernelTrace(state.fused, 1), `suite ${spec.id}`);
  } finally {
    state.dispose();
  }
}

async function fromPipeline(k: Learner, { spec, file }: RegisteredPipeline): Promise<void> {
  const state = buildPipelineState(file, spec, smallest(spec.sizes, spec.magnitude), seededRandom(1));
  const env: Record<string, tf.Tensor> = { ...state.inputs };
  const made: tf.Tensor[] = [];
  try {
    for (const { stage } of state.plan.stages) {
      env[stage.out] = stage.run(...stage.inputs.map((n) => env[n]!));
      made.push(env[stage.out]!);
    }
    for (const g of state.plan.groups) {
      const stages = (): tf.Tensor => tf.tidy(() => {
        const local: Record<string, tf.Tensor> = { ...env };
        for (const s of g.step.stages) local[s.out] = s.run(...s.inputs.map((n) => local[n]!));
        return local[g.out]!;
      });
      const kernel = (): tf.Tensor => g.step.kernel(...g.step.inputs.map((n) => env[n]!));
      learn(k, await recordKernelTrace(stages, 1), await recordKernelTrace(kernel, 1), `pipeline ${spec.id}`);
    }
  } finally {
    for (const t of made) t.dispose();
    state.dispose();
  }
}

/** What the declared suites and pipelines teach, on the active backend; a declaration that fails to run teaches nothing. */
export async function learnFusions(declared: { readonly suites: readonly RegisteredSuite[]; readonly pipelines: readonly RegisteredPipeline[] }): Promise<FusionKnowledge> {
  const k: Learner = { elementwise: new Set(), fused: new Map() };
  for (const p of declared.pipelines) await fromPipeline(k, p).catch(() => undefined);
  for (const s of declared.suites) await fromSuite(k, s).catch(() => undefined);
  return k;
}
