/**
 * Everything the sections need, derived once from a RunResults: per (pattern, backend) views with their
 * aggregate speedup, verdict, crossover, kernel facts and strategy; per (family, backend) and per backend
 * aggregates and decisions. Decisions are weighted by family, not by file count: a backend's figure is the
 * geometric mean over its families, each family's the geometric mean over its patterns, so sixteen near-identical
 * compositions of one family weigh as one. Verdicts are judged here, at render time, with the config given.
 * Pure: the same results and config always give the same model.
 */
import type {
  BackendKind, BackendStatus, Decision, PatternResult, Prediction, RunResults, SizeResult, Verdict,
} from '../core/types.ts';
import type { FusebenchConfig } from '../core/config.ts';
import { comparePrediction, decisionFor, verdictFor, type PredictionDelta } from '../core/verdicts.ts';
import { aggregateOf, geomean, geomeanReplicates, replicatesFor, type Aggregate, type Replicates } from './aggregate.ts';
import { fusedPathKernels, type FusedPathKernels } from './kernels.ts';
import { isFiniteNumber } from './format.ts';

/** A verdict judged on a whole CI: `inconclusive` gives the verdict at each end when they differ. */
export interface CiVerdict {
  readonly verdict: Verdict;
  readonly inconclusive?: { readonly lo: Verdict; readonly hi: Verdict };
}

export interface CiDecision {
  readonly decision: Decision;
  readonly inconclusive?: { readonly lo: Decision; readonly hi: Decision };
}

export type Strategy = 'always' | 'conditional' | 'optional' | 'avoid' | 'unmeasured';

export interface Crossover {
  /** The smallest size whose CI lower bound reaches config.crossover; undefined: none in range. */
  readonly size?: SizeResult;
  /** Sizes above the crossover whose lower bound falls back under the threshold. */
  readonly fallsBackAt: readonly SizeResult[];
}

export interface PatternBackendView {
  readonly pattern: PatternResult;
  readonly backend: string;
  readonly kind: BackendKind;
  readonly prediction: Prediction;
  /** All sizes on this backend, ordered by magnitude. */
  readonly sizes: readonly SizeResult[];
  /** Timed sizes (status ok). */
  readonly timed: readonly SizeResult[];
  /** Timed sizes whose fused result passed the float64 check: the only ones speed claims use. */
  readonly correct: readonly SizeResult[];
  readonly incorrect: readonly SizeResult[];
  readonly failed: readonly SizeResult[];
  /** Geometric mean over `correct` sizes with its bootstrap CI. */
  readonly aggregate?: Aggregate;
  readonly replicates?: Replicates;
  readonly range?: { readonly min: number; readonly max: number };
  readonly verdict?: CiVerdict;
  readonly decision?: CiDecision;
  readonly vsPrediction?: PredictionDelta;
  readonly crossover: Crossover;
  readonly kernels?: FusedPathKernels;
  /** Measured allocation reduction over timed sizes. */
  readonly memory?: { readonly min: number; readonly max: number };
  /** Analytic share of bytes fusion stops moving: 1 − bytesFused / bytesUnfused. */
  readonly traffic?: { readonly min: number; readonly max: number };
  readonly strategy: Strategy;
}

/** One family of patterns on one backend. */
export interface FamilyView {
  readonly family: string;
  readonly backend: string;
  /** Its patterns that ran on this backend, in results order. */
  readonly patterns: readonly PatternBackendView[];
  /** The patterns its figure counts: correct and timed, none with a wrong fused result. */
  readonly counted: readonly PatternBackendView[];
  /** Geometric mean over `counted` (each the geometric mean over its correct sizes), with its bootstrap CI. */
  readonly aggregate?: Aggregate;
  readonly replicates?: Replicates;
  readonly verdict?: CiVerdict;
  readonly decision?: CiDecision;
  /** Measured allocation reduction over the family's timed sizes. */
  readonly memory?: { readonly min: number; readonly max: number };
}

export interface BackendView {
  readonly status: BackendStatus;
  readonly patterns: readonly PatternBackendView[];
  /** Families in the order their first pattern appears in the results. */
  readonly families: readonly FamilyView[];
  /** Geometric mean over families (each the geometric mean over its patterns, each over its correct sizes). */
  readonly aggregate?: Aggregate;
  readonly decision?: CiDecision;
  readonly verdict?: CiVerdict;
  /** Patterns left out of the aggregate because a fused result was wrong. */
  readonly excludedIncorrect: readonly string[];
}

export interface ReportModel {
  readonly results: RunResults;
  readonly config: FusebenchConfig;
  /** Backends that ran (available, with results or at least selected). */
  readonly ran: readonly BackendView[];
  readonly unavailable: readonly BackendStatus[];
  readonly views: ReadonlyMap<string, readonly PatternBackendView[]>;
}

export function ciVerdict(a: Aggregate, config: FusebenchConfig): CiVerdict {
  const t = config.verdicts;
  const verdict = verdictFor(a.ratio, t);
  if (!isFiniteNumber(a.lo) || !isFiniteNumber(a.hi)) return { verdict };
  const lo = verdictFor(a.lo, t);
  const hi = verdictFor(a.hi, t);
  return lo === hi ? { verdict } : { verdict, inconclusive: { lo, hi } };
}

export function ciDecision(a: Aggregate, config: FusebenchConfig): CiDecision {
  const t = config.decisions;
  const decision = decisionFor(a.ratio, t);
  if (!isFiniteNumber(a.lo) || !isFiniteNumber(a.hi)) return { decision };
  const lo = decisionFor(a.lo, t);
  const hi = decisionFor(a.hi, t);
  return lo === hi ? { decision } : { decision, inconclusive: { lo, hi } };
}

export const isCorrect = (r: SizeResult): boolean => r.status === 'ok' && r.correctness?.fused.ok === true;
export const isTimed = (r: SizeResult): boolean => r.status === 'ok' && !!r.speedup && !!r.unfused && !!r.fused;

/** Smallest size whose CI lower bound reaches the threshold, among correct sizes in magnitude order. */
export function findCrossover(correctByMagnitude: readonly SizeResult[], threshold: number): Crossover {
  const idx = correctByMagnitude.findIndex((r) => isFiniteNumber(r.speedup?.lo) && r.speedup!.lo >= threshold);
  if (idx < 0) return { fallsBackAt: [] };
  const after = correctByMagnitude.slice(idx + 1).filter((r) => !(isFiniteNumber(r.speedup?.lo) && r.speedup!.lo >= threshold));
  return { size: correctByMagnitude[idx], fallsBackAt: after };
}

function rangeOf(values: readonly number[]): { min: number; max: number } | undefined {
  const v = values.filter(Number.isFinite);
  return v.length ? { min: Math.min(...v), max: Math.max(...v) } : undefined;
}

export function strategyFor(v: Pick<PatternBackendView, 'incorrect' | 'correct' | 'crossover'>, config: FusebenchConfig): Strategy {
  if (v.incorrect.length > 0) return 'avoid';
  if (v.correct.length === 0) return 'unmeasured';
  const beneficial = (r: SizeResult): boolean => isFiniteNumber(r.speedup?.lo) && r.speedup!.lo >= config.crossover;
  if (v.correct.every(beneficial)) return 'always';
  if (v.crossover.size) return 'conditional';
  if (v.correct.some((r) => isFiniteNumber(r.speedup?.hi) && r.speedup!.hi < config.verdicts.minimal)) return 'avoid';
  return 'optional';
}

function byMagnitude(a: SizeResult, b: SizeResult): number {
  return a.magnitude - b.magnitude;
}

function patternBackendView(
  pattern: PatternResult, status: BackendStatus, results: RunResults, config: FusebenchConfig,
): PatternBackendView {
  const sizes = pattern.results.filter((r) => r.backend === status.name).slice().sort(byMagnitude);
  const timed = sizes.filter(isTimed);
  const correct = timed.filter(isCorrect);
  const incorrect = timed.filter((r) => !isCorrect(r));
  const failed = sizes.filter((r) => r.status !== 'ok');
  const prediction = pattern.predictions[status.kind];
  const crossover = findCrossover(correct, config.crossover);
  const kernels = fusedPathKernels(timed, pattern.fusedBy);
  const memory = rangeOf(timed.map((r) => r.memoryReduction ?? Number.NaN));
  const traffic = rangeOf(sizes.map((r) => (r.cost.bytesUnfused > 0 ? 1 - r.cost.bytesFused / r.cost.bytesUnfused : Number.NaN)));
  const base = { pattern, backend: status.name, kind: status.kind, prediction, sizes, timed, correct, incorrect, failed, crossover, kernels, memory, traffic };
  const strategy = strategyFor(base, config);
  // A wrong fused result voids the pattern's speed figures on this backend: only the per-size rows remain.
  if (incorrect.length > 0) {
    return { ...base, strategy, range: rangeOf(correct.map((r) => r.speedup!.ratio)), verdict: { verdict: 'incorrect' }, decision: { decision: 'Re-evaluate' } };
  }
  if (correct.length === 0) return { ...base, strategy };
  const resamples = Math.max(1, results.sampling.bootstrap);
  const sets = correct.map((r) => replicatesFor(pattern.id, r, resamples));
  const replicates = geomeanReplicates(sets);
  const aggregate = aggregateOf(geomean(correct.map((r) => r.speedup!.ratio)), replicates, config.sampling.confidence);
  return {
    ...base,
    strategy,
    aggregate,
    replicates,
    range: rangeOf(correct.map((r) => r.speedup!.ratio)),
    verdict: ciVerdict(aggregate, config),
    decision: ciDecision(aggregate, config),
    vsPrediction: comparePrediction(aggregate.ratio, prediction),
  };
}

/** Family names in the order their first pattern appears. */
export function familiesOf(results: RunResults): string[] {
  return [...new Set(results.patterns.map((p) => p.family))];
}

/** The geometric mean of several figures with its joint bootstrap CI, and the verdict and decision judged on that CI. */
function combined(parts: ReadonlyArray<{ readonly aggregate?: Aggregate; readonly replicates?: Replicates }>, config: FusebenchConfig) {
  const replicates = geomeanReplicates(parts.map((x) => x.replicates!));
  const aggregate = aggregateOf(geomean(parts.map((x) => x.aggregate!.ratio)), replicates, config.sampling.confidence);
  return { aggregate, replicates, verdict: ciVerdict(aggregate, config), decision: ciDecision(aggregate, config) };
}

function familyView(family: string, backend: string, all: readonly PatternBackendView[], config: FusebenchConfig): FamilyView {
  const patterns = all.filter((v) => v.pattern.family === family && v.sizes.length > 0);
  const counted = patterns.filter((v) => v.aggregate && v.replicates && v.incorrect.length === 0);
  const memory = rangeOf(patterns.flatMap((v) => v.timed.map((r) => r.memoryReduction ?? Number.NaN)));
  const base = { family, backend, patterns, counted, ...(memory ? { memory } : {}) };
  return counted.length === 0 ? base : { ...base, ...combined(counted, config) };
}

function backendView(status: BackendStatus, patterns: readonly PatternBackendView[], families: readonly string[], config: FusebenchConfig): BackendView {
  const excludedIncorrect = patterns.filter((v) => v.incorrect.length > 0).map((v) => v.pattern.id);
  const familyViews = families.map((f) => familyView(f, status.name, patterns, config)).filter((f) => f.patterns.length > 0);
  const counted = familyViews.filter((f) => f.aggregate && f.replicates);
  const base = { status, patterns, families: familyViews, excludedIncorrect };
  if (counted.length === 0) return base;
  const { aggregate, verdict, decision } = combined(counted, config);
  return { ...base, aggregate, verdict, decision };
}

/** Backends that produced results or were available, in the order results list them. */
function ranBackends(results: RunResults): BackendStatus[] {
  const out: BackendStatus[] = results.backends.filter((b) => b.available);
  const known = new Set(results.backends.map((b) => b.name));
  // A result whose backend is missing from `backends` still gets shown (assumed cpu-kind, said in the table).
  for (const p of results.patterns) {
    for (const r of p.results) {
      if (!known.has(r.backend)) {
        known.add(r.backend);
        out.push({ name: r.backend, kind: 'cpu', available: true, reason: 'not listed among the run\'s backends' });
      }
    }
  }
  return out;
}

export function buildModel(results: RunResults, config: FusebenchConfig): ReportModel {
  const ran = ranBackends(results);
  const views = new Map<string, PatternBackendView[]>();
  for (const p of results.patterns) views.set(p.id, ran.map((b) => patternBackendView(p, b, results, config)));
  const families = familiesOf(results);
  const backendViews = ran.map((b) => backendView(b, results.patterns.map((p) => views.get(p.id)!.find((v) => v.backend === b.name)!), families, config));
  return {
    results,
    config,
    ran: backendViews,
    unavailable: results.backends.filter((b) => !b.available),
    views,
  };
}

/** The views of one backend with a speed figure: timed, correct sizes and no incorrect one. */
export function measuredViews(b: BackendView): PatternBackendView[] {
  return b.patterns.filter((v) => v.aggregate);
}

/** Backend views that measured at least one size. */
export function measuredBackends(m: ReportModel): BackendView[] {
  return m.ran.filter((b) => b.patterns.some((v) => v.sizes.length > 0));
}

/** The views of one backend's families that have a figure. */
export function measuredFamilies(b: BackendView): FamilyView[] {
  return b.families.filter((f) => f.aggregate);
}
