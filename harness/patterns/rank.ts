/**
 * "Profile first, then fuse": ranks the adjacent producer → consumer kernel pairs of a recorded trace that
 * one elementwise kernel could replace, by their share of runtime and how often they occur, with the
 * Amdahl estimate of the end-to-end gain. Pure: works on a KernelTrace and what the declarations teach
 * (see learn.ts): which fusebench kernels are elementwise, and which pairs a declared fused kernel replaces.
 */
import type { KernelTrace, TraceEvent } from './trace.ts';
import { amdahl } from '../core/stats.ts';

/** tfjs's own kernels that compute each output element from the same element of their inputs (two can fuse into one pass). */
export const TFJS_ELEMENTWISE: ReadonlySet<string> = new Set([
  'Abs', 'Add', 'Sub', 'Mul', 'RealDiv', 'Neg', 'Maximum', 'Minimum', 'Relu', 'Relu6', 'Elu', 'LeakyRelu', 'Prelu',
  'Sigmoid', 'Tanh', 'Exp', 'Log', 'Sqrt', 'Rsqrt', 'Square', 'SquaredDifference', 'Sign', 'Cast', 'ClipByValue',
  'Floor', 'Ceil', 'Round', 'Erf', 'Step', 'Softplus', 'Pow',
]);

/** What the declared suites and pipelines teach about kernels a trace may hold. */
export interface FusionKnowledge {
  /** Kernels beyond tfjs's own that are elementwise (seen inside a declared fusion, every input shaped like the output). */
  readonly elementwise: ReadonlySet<string>;
  /** Pair label (`producer → consumer`) → the fused kernel a declaration already runs for it, and where it is declared. */
  readonly fused: ReadonlyMap<string, string>;
}

export const NO_KNOWLEDGE: FusionKnowledge = { elementwise: new Set(), fused: new Map() };

/** "_FusedMatMul(relu)", "Add": the kernel with the string attrs that pick its variant. */
export function eventLabel(e: TraceEvent): string {
  const parts = ['op', 'inner', 'outer', 'activation'].filter((k) => e.attrs[k] !== undefined).map((k) => e.attrs[k]);
  return parts.length ? `${e.kernel}(${parts.join(', ')})` : e.kernel;
}

/** The label of an adjacent pair. */
export const pairLabel = (producer: TraceEvent, consumer: TraceEvent): string => `${eventLabel(producer)} → ${eventLabel(consumer)}`;

const bytesPer = (dtype: string): number => (dtype === 'bool' ? 1 : 4);
const elements = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export interface PairCandidate {
  /** "Add → Relu". */
  readonly pattern: string;
  readonly occurrences: number;
  /** Σ time of both kernels over occurrences ÷ total traced kernel time. */
  readonly runtimeShare: number;
  readonly timeMs: number;
  /** Bytes moved unfused ÷ fused (the intermediate is neither written nor read again): the memory-bound micro speedup. */
  readonly byteModelSpeedup: number;
  /** 1 / ((1 − share) + share / byteModelSpeedup). */
  readonly estimatedGain: number;
  readonly fusedKernel?: string;
}

export interface PatternAnalysis {
  readonly totalMs: number;
  readonly kernels: number;
  readonly candidates: readonly PairCandidate[];
  /** Adjacent pairs that are not fusible, with the reason (for the printout). */
  readonly rejected: ReadonlyArray<{ readonly pattern: string; readonly reason: string }>;
}

function whyNot(p: TraceEvent, c: TraceEvent, events: readonly TraceEvent[], at: number, result: readonly number[], k: FusionKnowledge): string | undefined {
  const elementwise = (kernel: string): boolean => TFJS_ELEMENTWISE.has(kernel) || k.elementwise.has(kernel);
  if (!elementwise(p.kernel)) return `${p.kernel} is not elementwise`;
  if (!elementwise(c.kernel)) return `${c.kernel} is not elementwise`;
  if (p.outputs.length !== 1) return 'producer has several outputs';
  const mid = p.outputs[0];
  if (!c.inputs.includes(mid)) return 'consumer does not read the producer\'s output';
  const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
  if (!c.inputShapes.every((s) => same(s, c.outputShapes[0]))) return 'consumer broadcasts';
  if (!same(p.outputShapes[0], c.outputShapes[0])) return 'shapes differ';
  if (result.includes(mid)) return 'the intermediate is the result';
  if (events.slice(at + 2).some((e) => e.inputs.includes(mid))) return 'the intermediate is used again later';
  return undefined;
}

export function analyzeTrace(trace: KernelTrace, knowledge: FusionKnowledge = NO_KNOWLEDGE): PatternAnalysis {
  const ev = trace.events;
  const totalMs = ev.reduce((a, e) => a + e.timeMs, 0);
  const groups = new Map<string, { occurrences: number; timeMs: number; bytesUnfused: number; bytesFused: number; fusedKernel?: string }>();
  const rejected: Array<{ pattern: string; reason: string }> = [];
  for (let i = 0; i + 1 < ev.length; i++) {
    const p = ev[i];
    const c = ev[i + 1];
    const pattern = pairLabel(p, c);
    const reason = whyNot(p, c, ev, i, trace.result, knowledge);
    if (reason) {
      rejected.push({ pattern, reason });
      continue;
    }
    const n = elements(c.outputShapes[0]);
    const b = bytesPer(c.outputDtypes[0]);
    const bp = bytesPer(p.outputDtypes[0]);
    const inBytes = (e: TraceEvent): number => e.inputShapes.reduce((a, s) => a + elements(s) * 4, 0);
    const unfused = inBytes(p) + n * bp + inBytes(c) + n * b;
    const fused = unfused - 2 * n * bp;
    const g = groups.get(pattern) ?? { occurrences: 0, timeMs: 0, bytesUnfused: 0, bytesFused: 0 };
    g.occurrences++;
    g.timeMs += p.timeMs + c.timeMs;
    g.bytesUnfused += unfused;
    g.bytesFused += fused;
    const k = knowledge.fused.get(pattern);
    if (k) g.fusedKernel = k;
    groups.set(pattern, g);
  }
  const candidates: PairCandidate[] = [...groups.entries()].map(([pattern, g]) => {
    const share = totalMs > 0 ? Math.min(1, g.timeMs / totalMs) : 0;
    const s = g.bytesUnfused / g.bytesFused;
    return {
      pattern, occurrences: g.occurrences, runtimeShare: share, timeMs: g.timeMs, byteModelSpeedup: s,
      estimatedGain: amdahl(share, s), ...(g.fusedKernel ? { fusedKernel: g.fusedKernel } : {}),
    };
  }).sort((x, y) => y.runtimeShare - x.runtimeShare || y.occurrences - x.occurrences || x.pattern.localeCompare(y.pattern));
  return { totalMs, kernels: ev.length, candidates, rejected };
}
