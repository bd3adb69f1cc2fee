/**
 * Records the kernels one call executes, in order, with their dataflow (which kernel's output feeds which)
 * and their time from tf.profile. tf.profile alone gives names, shapes and times but not tensor identities,
 * so the engine's runKernelFunc is wrapped for the duration of the recording (and always restored).
 * Only the kernels the call itself launches are events: a kernel run inside another (tfjs-node's composite
 * kernels, fusebench's composed tensorflow kernels) is part of its caller's event and time, not a second event.
 */
import * as tf from '@tensorflow/tfjs-core';
import { median } from '../core/stats.ts';

export interface TraceEvent {
  readonly kernel: string;
  /** String-valued attrs that pick a variant (op, inner, outer, activation…), for labels. */
  readonly attrs: Readonly<Record<string, string>>;
  /** Data ids (numbered in order of first sight) of the inputs and outputs. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly inputShapes: ReadonlyArray<readonly number[]>;
  readonly outputShapes: ReadonlyArray<readonly number[]>;
  readonly outputDtypes: readonly string[];
  /** Median kernel time over the recorded runs (tf.profile's kernelTimeMs). */
  readonly timeMs: number;
}

export interface KernelTrace {
  readonly events: readonly TraceEvent[];
  /** Data id of the call's result. */
  readonly result: readonly number[];
  readonly runs: number;
}

interface KernelParamsLike {
  readonly kernelName?: string;
  readonly inputs?: Record<string, tf.Tensor | tf.TensorInfo | undefined>;
  readonly attrs?: Record<string, unknown>;
}

type EngineWithRun = { runKernelFunc(params: KernelParamsLike): tf.Tensor | tf.Tensor[]; readonly state: { readonly kernelDepth: number } };

interface RawEvent {
  kernel: string;
  /** The engine's kernel depth when it was launched: 0 for a kernel the recorded call launched itself. */
  depth: number;
  attrs: Record<string, string>;
  inputs: object[];
  outputs: object[];
  inputShapes: number[][];
  outputShapes: number[][];
  outputDtypes: string[];
}

async function recordOnce(fn: () => tf.Tensor): Promise<{ raw: RawEvent[]; times: number[]; names: string[]; result: object[] }> {
  const engine = tf.engine() as unknown as EngineWithRun;
  const original = engine.runKernelFunc;
  const raw: RawEvent[] = [];
  let result: object[] = [];
  (engine as { runKernelFunc: EngineWithRun['runKernelFunc'] }).runKernelFunc = function wrapped(this: unknown, params: KernelParamsLike) {
    const depth = engine.state.kernelDepth;
    const out = original.call(engine, params);
    const outs = Array.isArray(out) ? out : [out];
    const ins = Object.values(params.inputs ?? {}).filter((t): t is tf.Tensor | tf.TensorInfo => t != null);
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(params.attrs ?? {})) if (typeof v === 'string') attrs[k] = v;
    raw.push({
      kernel: params.kernelName ?? '(custom op)', depth, attrs,
      inputs: ins.map((t) => t.dataId), outputs: outs.map((t) => t.dataId),
      inputShapes: ins.map((t) => [...t.shape]), outputShapes: outs.map((t) => [...t.shape]), outputDtypes: outs.map((t) => t.dtype),
    });
    return out;
  };
  tf.engine().startScope();
  try {
    const info = await tf.profile(() => {
      const r = fn();
      result = [r.dataId];
      return r;
    });
    const times = await Promise.all(info.kernels.map(async (k) => Number(await k.kernelTimeMs)));
    if (raw.length !== info.kernels.length) return { raw, times, names: info.kernels.map((k) => k.name), result }; // reported below
    const top = raw.map((e, i) => (e.depth === 0 ? i : -1)).filter((i) => i >= 0);
    return { raw: top.map((i) => raw[i]), times: top.map((i) => times[i]), names: top.map((i) => info.kernels[i].name), result };
  } finally {
    delete (engine as { runKernelFunc?: unknown }).runKernelFunc;
    if (engine.runKernelFunc !== original) (engine as { runKernelFunc: EngineWithRun['runKernelFunc'] }).runKernelFunc = original;
    tf.engine().endScope();
  }
}

/** Records `runs` calls after one warm-up; events must be the same sequence every run. */
export async function recordKernelTrace(fn: () => tf.Tensor, runs = 5): Promise<KernelTrace> {
  await recordOnce(fn);
  const recs: Array<Awaited<ReturnType<typeof recordOnce>>> = [];
  for (let i = 0; i < runs; i++) recs.push(await recordOnce(fn));
  const first = recs[0];
  if (first.raw.length !== first.times.length || first.raw.some((e, i) => e.kernel !== first.names[i])) {
    throw new Error(`kernel trace mismatch: tf.profile saw ${first.names.join(', ')}; the engine ran ${first.raw.map((e) => e.kernel).join(', ')}`);
  }
  for (const r of recs) {
    if (r.raw.length !== first.raw.length) throw new Error('kernel trace differs between runs (data-dependent control flow?)');
  }
  const ids = new Map<object, number>();
  const id = (d: object): number => {
    let v = ids.get(d);
    if (v === undefined) {
      v = ids.size;
      ids.set(d, v);
    }
    return v;
  };
  const events: TraceEvent[] = first.raw.map((e, i) => ({
    kernel: e.kernel, attrs: e.attrs, inputs: e.inputs.map(id), outputs: e.outputs.map(id),
    inputShapes: e.inputShapes, outputShapes: e.outputShapes, outputDtypes: e.outputDtypes,
    timeMs: median(recs.map((r) => r.times[i])),
  }));
  return { events, result: first.result.map(id), runs };
}
