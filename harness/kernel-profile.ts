/**
 * tf.profile with each kernel launch counted once.
 *
 * tf.profile lists every kernel the engine ran, nested ones included, in the order they finished: a kernel that
 * runs other kernels through `engine().runKernel` (tfjs-node's `_FusedMatMul` runs BatchMatMul, Add and the
 * activation that way; so do fusebench's composed tensorflow kernels) appears after its inner kernels, and its
 * `bytesAdded` spans theirs. Counting every entry counts that work twice. Here each kernel gets its own launches:
 *  - on a backend that executes ops one by one through a visible executor (tfjs-node: the backend's
 *    `executeSingleOutput` / `executeMultipleOutputs`, each one TensorFlow op), the ops the kernel executed itself,
 *    with their outputs' bytes; so tfjs-node's Mean, which casts through a nested kernel and then runs TF Mean
 *    itself, is two launches, and its `_FusedMatMul`, which only calls kernels, is none;
 *  - elsewhere, one launch for a kernel that ran no other kernel and none for one that did, with its bytesAdded.
 * A kernel with no launches of its own is a wrapper. Bytes allocated are the outputs of launches, views excluded.
 *
 * The nesting is read from the engine while tf.profile runs: its profiler's `profileKernel` (called once per
 * kernel, in start order, with the kernel depth raised) and the backend's op executors are wrapped for the duration
 * of the call, then restored.
 */
import * as tf from '@tensorflow/tfjs-core';
import { VIEW_KERNELS } from './core/launches.ts';

/** tf.profile names an op's scope `<op>__op`; kernels that launch nothing themselves are listed the same way. */
export const WRAPPER_SUFFIX = '__op';

export interface ProfiledKernel {
  readonly name: string;
  /** 1 for a kernel the profiled function launched, 2 for one that kernel launched, and so on. */
  readonly depth: number;
  /** Launches the kernel made itself (0: a wrapper). */
  readonly launches: number;
  /** Bytes of the outputs of those launches, views excluded. */
  readonly bytes: number;
  /** The backend ops it executed itself, where the backend shows them (tfjs-node: TensorFlow op names). */
  readonly ops?: readonly string[];
}

interface EngineInternals {
  readonly state: { readonly kernelDepth: number };
  readonly profiler: { profileKernel: (name: string, inputs: unknown, f: () => unknown) => unknown };
}

type Executor = (name: string, attrs: unknown, inputs: unknown, numOutputs?: number) => tf.TensorInfo | tf.TensorInfo[];

/** tfjs-node's backend: every TensorFlow op goes through one of these two methods. */
const EXECUTORS = ['executeSingleOutput', 'executeMultipleOutputs'] as const;

const bytesOf = (t: tf.TensorInfo): number => t.shape.reduce((a, b) => a * b, 1) * (t.dtype === 'bool' ? 1 : t.dtype === 'complex64' ? 8 : 4);

/** Wraps `obj[method]` with an own property until the returned function restores it. */
function wrapMethod<T extends object>(obj: T, method: string, wrap: (original: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown): () => void {
  const target = obj as Record<string, unknown>;
  const had = Object.prototype.hasOwnProperty.call(target, method);
  const original = target[method] as (...a: unknown[]) => unknown;
  target[method] = wrap(original);
  return () => {
    if (had) target[method] = original;
    else delete target[method];
  };
}

/** Runs `fn` under tf.profile; the kernels come back in start order, each with its depth, launches and bytes. */
export async function profileKernels(fn: () => tf.Tensor): Promise<{ result: tf.Tensor; kernels: ProfiledKernel[] }> {
  const engine = tf.engine() as unknown as EngineInternals;
  const depthAtStart: number[] = [];
  const finishedStarts: number[] = []; // for each finished kernel, in finishing order: its start index
  const running: number[] = []; // start indices of the kernels running now, innermost last
  const ops: string[][] = [];
  const opBytes: number[] = [];
  const restore: Array<() => void> = [];
  restore.push(wrapMethod(engine.profiler, 'profileKernel', (original) => function (this: unknown, ...args: unknown[]) {
    const start = depthAtStart.push(engine.state.kernelDepth) - 1;
    ops.push([]);
    opBytes.push(0);
    running.push(start);
    try {
      return original.apply(this, args);
    } finally {
      running.pop();
      finishedStarts.push(start);
    }
  }));
  const backend = tf.backend() as unknown as Record<string, unknown>;
  const opLevel = EXECUTORS.every((m) => typeof backend[m] === 'function');
  if (opLevel) {
    for (const m of EXECUTORS) {
      restore.push(wrapMethod(backend, m, (original) => function (this: unknown, ...args: unknown[]) {
        const out = (original as Executor).apply(this, args as Parameters<Executor>);
        const owner = running[running.length - 1];
        if (owner !== undefined) {
          const name = String(args[0]);
          ops[owner].push(name);
          if (!VIEW_KERNELS.has(name)) opBytes[owner] += (Array.isArray(out) ? out : [out]).reduce((s, t) => s + bytesOf(t), 0);
        }
        return out;
      }));
    }
  }
  let info: Awaited<ReturnType<typeof tf.profile>>;
  try {
    info = await tf.profile(() => fn());
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  if (finishedStarts.length !== info.kernels.length) {
    throw new Error(`kernel profile: tf.profile listed ${info.kernels.length} kernels but ${finishedStarts.length} ran; cannot tell nested kernels apart`);
  }
  const byStart: ProfiledKernel[] = new Array(finishedStarts.length);
  info.kernels.forEach((k, i) => {
    const start = finishedStarts[i];
    const depth = depthAtStart[start];
    if (opLevel) {
      byStart[start] = { name: k.name, depth, launches: ops[start].length, bytes: opBytes[start], ops: ops[start] };
      return;
    }
    // Inner kernels finish just before their wrapper: the kernel finished right before this one ran deeper.
    const wrapper = i > 0 && depthAtStart[finishedStarts[i - 1]] > depth;
    byStart[start] = { name: k.name, depth, launches: wrapper ? 0 : 1, bytes: wrapper || VIEW_KERNELS.has(k.name) ? 0 : Math.max(0, k.bytesAdded) };
  });
  return { result: info.result as tf.Tensor, kernels: byStart };
}

/**
 * Kernel names in start order, one per launch. An op's scope (`<op>__op`, a custom-gradient op) is no kernel and
 * is left out, as before; a kernel that launched nothing itself stays once, marked `<name>__op`, so that reports
 * can name it and launch counts skip it.
 */
export function kernelNames(kernels: readonly ProfiledKernel[]): string[] {
  return kernels
    .filter((k) => !k.name.endsWith(WRAPPER_SUFFIX))
    .flatMap((k) => (k.launches === 0 ? [`${k.name}${WRAPPER_SUFFIX}`] : Array.from({ length: k.launches }, () => k.name)));
}

/** Bytes of every output a launch allocated (intermediates included); wrappers and views add none of their own. */
export function bytesAllocated(kernels: readonly ProfiledKernel[]): number {
  return kernels.reduce((sum, k) => sum + k.bytes, 0);
}
