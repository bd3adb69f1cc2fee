/**
 * The gate's decision. For every pattern × backend × size measured in both runs:
 *
 *   speedup     = median of the per-round speedups unfused_i / fused_i of a run (the paired estimate; see
 *                 logSpeedupValue for why not median unfused / median fused); the baseline's is the
 *                 geometric mean over its runs. change = current / baseline − 1.
 *   fused time  = median fused ms; change likewise. Same machine only: times do not carry across machines.
 *                 Nor across a machine whose speed changed: when the unfused times of the compared rows
 *                 moved, in the median, by more than the threshold, fused times are not compared this run
 *                 (the machine, or code every path shares, changed; a per-row test cannot tell which).
 *
 * Tests, one-sided in each direction:
 *   - baseline of one run: speedup by Mann–Whitney U of the current run's per-round speedups unfused_i/fused_i
 *     against the baseline's (both variants of round i ran back to back, so the machine's state of the
 *     moment cancels in the ratio); fused time is shown but not tested (one run cannot show how far a whole
 *     run swings, and absolute times swing far).
 *   - baseline of k ≥ 2 runs: both metrics by the run-level test of run-level.ts, which adds the between-run
 *     variance estimated from the baseline runs to the within-run error.
 *   - runs that measured each size in several processes (pyperf-style): every process of every baseline run is a
 *     unit of the run-level test, so a one-run baseline of P processes already estimates the variance between
 *     processes, and the current run's P processes count as P draws.
 *
 * The "worse" p-values of every row and metric form one Holm family (so a run of unchanged code fails the
 * gate with probability ≤ α, however many rows it has); the "better" ones another, which only labels
 * improvements. A metric regresses when it moved the wrong way by more than the threshold AND its adjusted
 * "worse" p-value is below α: a tiny but consistent drift is no alarm, nor is a large but noisy one.
 *
 * Beyond comparisons, a row fails when the current run has it `✗ Incorrect`, failed to measure it, or
 * measured a speedup below the suite's declared `minSpeedup` for the backend. Exit code: 1 if any row fails.
 */
import type { RunResults, SizeResult } from '../core/types.ts';
import { geomean, median } from '../core/stats.ts';
import type { Baseline, BaselineEntry } from './format.ts';
import { compareMachines, describeMachine } from './machine.ts';
import { mannWhitneyU } from './mann-whitney.ts';
import { logMedianValue, logSpeedupValue, pooledBetweenRun, runLevelTest, type BetweenRun, type Margins, type RunValue } from './run-level.ts';
import { holmAdjust } from './holm.ts';
import { detectableFall, detectableFromSe } from './sensitivity.ts';
import type { Failure, GateOptions, GateReport, GateRow, MetricComparison, RowClass } from './types.ts';

interface Sides {
  readonly pattern: string;
  readonly backend: string;
  readonly size: string;
  readonly minSpeedup?: number;
  readonly base?: BaselineEntry;
  readonly cur?: SizeResult;
}

/** A row measured on both sides: what its tests need. */
interface Compared {
  readonly base: BaselineEntry;
  readonly unfused: readonly number[];
  readonly fused: readonly number[];
  /** The baseline's units: one per run, or one per process where runs recorded their processes. */
  readonly speedupRuns: RunValue[];
  readonly fusedRuns: RunValue[];
  /** Processes the current run pooled for this size. */
  readonly currentUnits: number;
  /** The current run's own processes, where it recorded them (their spread can widen the row's τ²). */
  readonly currentSpeedups: RunValue[];
  readonly currentFused: RunValue[];
}

/** A baseline run's rounds split into its processes (one part when it recorded none). */
function processParts(unfused: readonly number[], fused: readonly number[], rounds: readonly number[] | undefined): Array<[number[], number[]]> {
  if (!rounds || rounds.length < 2 || rounds.reduce((s, n) => s + n, 0) !== unfused.length) return [[[...unfused], [...fused]]];
  const parts: Array<[number[], number[]]> = [];
  let at = 0;
  for (const n of rounds) {
    parts.push([unfused.slice(at, at + n), fused.slice(at, at + n)]);
    at += n;
  }
  return parts;
}

type PendingTest = Omit<MetricComparison, 'pWorseAdjusted' | 'pBetterAdjusted' | 'outcome'> & {
  /** Standard error of the log change, where the test provides one (for the sensitivity estimate). */
  readonly se?: number;
};

const perRoundSpeedups = (unfused: readonly number[], fused: readonly number[]): number[] => unfused.map((u, i) => u / fused[i]);
/** The paired speedup of a run: median of the per-round speedups (on the log scale, so runs average geometrically). */
const speedupOf = (unfused: readonly number[], fused: readonly number[]): number => Math.exp(logSpeedupValue(unfused, fused).value);

/**
 * The threshold as log-scale margins of the tests' null hypotheses: a value (speedup, or fused time) that fell by
 * more than maxRegression, or rose by more, as outcome() reads change.
 */
function thresholdMargins(o: GateOptions): Margins {
  return { lower: -Math.log(1 - o.maxRegression), higher: Math.log(1 + o.maxRegression) };
}

function speedupTest(c: Compared, pooled: BetweenRun | undefined, o: GateOptions): PendingTest {
  const runs = c.base.runs.length;
  const baseline = geomean(c.base.runs.map((r) => speedupOf(r.unfused.samplesMs, r.fused.samplesMs)));
  const current = speedupOf(c.unfused, c.fused);
  const common = { metric: 'speedup' as const, baseline, current, change: current / baseline - 1, baselineRuns: runs };
  if (c.speedupRuns.length >= 2 && pooled) {
    const t = runLevelTest(c.speedupRuns, logSpeedupValue(c.unfused, c.fused), pooled, c.currentUnits, c.currentSpeedups, thresholdMargins(o));
    return { ...common, pWorse: t.pLower, pBetter: t.pHigher, method: c.speedupRuns.length > runs ? 'process-level t' : 'run-level t', se: t.se };
  }
  const pooledRounds = c.base.runs.flatMap((r) => perRoundSpeedups(r.unfused.samplesMs, r.fused.samplesMs));
  const mw = mannWhitneyU(perRoundSpeedups(c.unfused, c.fused), pooledRounds);
  return { ...common, pWorse: mw.pLess, pBetter: mw.pGreater, method: mw.method === 'exact' ? 'mann-whitney exact' : 'mann-whitney normal' };
}

function fusedTimeTest(c: Compared, pooled: BetweenRun | undefined, o: GateOptions): PendingTest {
  const runs = c.base.runs.length;
  const baseline = geomean(c.base.runs.map((r) => median(r.fused.samplesMs)));
  const current = median(c.fused);
  const common = { metric: 'fused time' as const, baseline, current, change: current / baseline - 1, baselineRuns: runs };
  if (c.fusedRuns.length >= 2 && pooled) {
    const t = runLevelTest(c.fusedRuns, logMedianValue(c.fused), pooled, c.currentUnits, c.currentFused, thresholdMargins(o));
    return { ...common, pWorse: t.pHigher, pBetter: t.pLower, method: c.fusedRuns.length > runs ? 'process-level t' : 'run-level t', se: t.se };
  }
  return { ...common, method: 'untested' };
}

/** For speedup a fall is worse; for fused time a rise is. Both the threshold and the adjusted p-value must agree. */
function outcome(t: PendingTest, pWorseAdjusted: number | undefined, pBetterAdjusted: number | undefined, o: GateOptions): MetricComparison['outcome'] {
  if (pWorseAdjusted === undefined || pBetterAdjusted === undefined) return 'untested';
  const fellBeyond = t.metric === 'speedup' ? t.change < -o.maxRegression : t.change > o.maxRegression;
  const roseBeyond = t.metric === 'speedup' ? t.change > o.maxRegression : t.change < -o.maxRegression;
  if (fellBeyond && pWorseAdjusted < o.alpha) return 'worse';
  if (roseBeyond && pBetterAdjusted < o.alpha) return 'better';
  return 'unchanged';
}

const keyOf = (pattern: string, backend: string, size: string): string => JSON.stringify([pattern, backend, size]);

/** Every row of either run, current run order first, then baseline-only rows. */
function pairRows(baseline: Baseline, current: RunResults): Sides[] {
  const rows = new Map<string, Sides>();
  for (const p of current.patterns) {
    for (const r of p.results) {
      const base = baseline.entries[p.id]?.[r.backend]?.[r.size];
      const minSpeedup = p.minSpeedup?.[r.backend];
      rows.set(keyOf(p.id, r.backend, r.size), {
        pattern: p.id, backend: r.backend, size: r.size, cur: r,
        ...(base ? { base } : {}), ...(minSpeedup !== undefined ? { minSpeedup } : {}),
      });
    }
  }
  for (const [pattern, byBackend] of Object.entries(baseline.entries)) {
    for (const [backend, bySize] of Object.entries(byBackend)) {
      for (const [size, base] of Object.entries(bySize)) {
        const key = keyOf(pattern, backend, size);
        if (!rows.has(key)) rows.set(key, { pattern, backend, size, base });
      }
    }
  }
  return [...rows.values()];
}

function compared(s: Sides): Compared | undefined {
  const { base, cur } = s;
  if (!base || !cur || cur.status !== 'ok' || !cur.unfused || !cur.fused) return undefined;
  const baseUnits = base.runs.map((r) => processUnits(r.unfused.samplesMs, r.fused.samplesMs, r.processRounds));
  const current = processUnits(cur.unfused.samplesMs, cur.fused.samplesMs, cur.processes?.map((p) => p.rounds));
  // A current run of one process (or none recorded) has no spread of its own to offer.
  const split = current.speedups.length >= 2;
  return {
    base,
    unfused: cur.unfused.samplesMs,
    fused: cur.fused.samplesMs,
    speedupRuns: baseUnits.flatMap((u) => u.speedups),
    fusedRuns: baseUnits.flatMap((u) => u.fused),
    currentUnits: Math.max(1, cur.processes?.length ?? 1),
    currentSpeedups: split ? current.speedups : [],
    currentFused: split ? current.fused : [],
  };
}

/** A run's units for the run-level test: one per process where it recorded them, else one for the whole run. */
function processUnits(unfused: readonly number[], fused: readonly number[], rounds: readonly number[] | undefined): { speedups: RunValue[]; fused: RunValue[] } {
  const parts = processParts(unfused, fused, rounds);
  return { speedups: parts.map(([u, f]) => logSpeedupValue(u, f)), fused: parts.map(([, f]) => logMedianValue(f)) };
}

/** How the machine's speed moved: the median over compared rows of current / baseline median unfused time, − 1. */
function unfusedDrift(rows: readonly Compared[]): { change: number; rows: number } | undefined {
  if (rows.length === 0) return undefined;
  const logs = rows.map((c) => Math.log(median(c.unfused)) - c.base.runs.reduce((s, r) => s + Math.log(median(r.unfused.samplesMs)), 0) / c.base.runs.length);
  return { change: Math.exp(median(logs)) - 1, rows: rows.length };
}

function currentFailures(s: Sides): Failure[] {
  const out: Failure[] = [];
  const r = s.cur;
  if (!r) return out;
  if (r.status !== 'ok') return [{ kind: 'failed', error: r.error ?? 'no error recorded' }];
  if (r.correctness?.fused.ok === false) out.push({ kind: 'incorrect' });
  if (s.minSpeedup !== undefined && r.speedup && r.speedup.ratio < s.minSpeedup) {
    out.push({ kind: 'below minimum', speedup: r.speedup.ratio, minimum: s.minSpeedup });
  }
  return out;
}

const CLASS_ORDER: Readonly<Record<RowClass, number>> = { fail: 0, improvement: 1, unchanged: 2, new: 3, missing: 4 };
const FAILURE_ORDER: Readonly<Record<Failure['kind'], number>> = { incorrect: 0, failed: 1, 'below minimum': 2, regression: 3 };

/** How far a row moved the wrong way: the larger of the speedup fall and the fused-time rise. */
function severity(r: GateRow): number {
  return Math.max(r.speedup ? -r.speedup.change : -Infinity, r.fusedTime ? r.fusedTime.change : -Infinity);
}

function improvement(r: GateRow): number {
  return Math.max(r.speedup ? r.speedup.change : -Infinity, r.fusedTime ? -r.fusedTime.change : -Infinity);
}

/** Descending order of two scores that may both be −∞ (no comparison), without NaN. */
const descending = (x: number, y: number): number => (x === y ? 0 : x > y ? -1 : 1);

/** Failures first (incorrect, failed, below minimum, then regressions, worst first), then improvements (largest first). */
export function compareRows(a: GateRow, b: GateRow): number {
  const byClass = CLASS_ORDER[a.class] - CLASS_ORDER[b.class];
  if (byClass !== 0) return byClass;
  if (a.class === 'fail') {
    const fa = Math.min(...a.failures.map((f) => FAILURE_ORDER[f.kind]));
    const fb = Math.min(...b.failures.map((f) => FAILURE_ORDER[f.kind]));
    if (fa !== fb) return fa - fb;
    return descending(severity(a), severity(b));
  }
  if (a.class === 'improvement') return descending(improvement(a), improvement(b));
  return 0;
}

export interface GateInputs {
  readonly baseline: Baseline;
  readonly baselineName: string;
  readonly current: RunResults;
  readonly currentName: string;
}

export function evaluateGate(inputs: GateInputs, options: GateOptions): GateReport {
  const { baseline, current } = inputs;
  const machines = compareMachines(baseline.machine, current.machine);
  const ratiosOnly = !machines.same;
  const sides = pairRows(baseline, current);
  const pairs = sides.map(compared);
  const drift = unfusedDrift(pairs.filter((c): c is Compared => c !== undefined));
  const timesSkipped = ratiosOnly ? 'different machines' as const
    : options.times === 'off' ? 'turned off' as const
    : drift && Math.abs(drift.change) > options.maxRegression ? 'machine speed changed' as const
    : undefined;
  const timesCompared = timesSkipped === undefined;

  // 1. Between-run variance of each metric, pooled over every row of the baseline (needs rows with ≥ 2 units):
  //    a property of the machine and the baseline, so the same whichever rows this run measured.
  const baselineUnits = Object.values(baseline.entries).flatMap((byBackend) => Object.values(byBackend).flatMap((bySize) =>
    Object.values(bySize).map((entry) => entry.runs.map((r) => processUnits(r.unfused.samplesMs, r.fused.samplesMs, r.processRounds)))));
  const pooledSpeedup = pooledBetweenRun(baselineUnits.map((units) => units.flatMap((u) => u.speedups)));
  const pooledFused = pooledBetweenRun(baselineUnits.map((units) => units.flatMap((u) => u.fused)));

  // 2. Every test of the run, so that Holm sees the whole family at once.
  const pending: PendingTest[] = [];
  const testsOf = pairs.map((c) => {
    if (!c) return undefined;
    const speedup = pending.push(speedupTest(c, pooledSpeedup, options)) - 1;
    const fused = timesCompared ? pending.push(fusedTimeTest(c, pooledFused, options)) - 1 : undefined;
    return { speedup, fused };
  });
  const tested = pending.map((t, i) => (t.pWorse === undefined ? -1 : i)).filter((i) => i >= 0);
  const worseAdjusted = new Map<number, number>();
  const betterAdjusted = new Map<number, number>();
  holmAdjust(tested.map((i) => pending[i].pWorse!)).forEach((adj, j) => worseAdjusted.set(tested[j], adj));
  holmAdjust(tested.map((i) => pending[i].pBetter!)).forEach((adj, j) => betterAdjusted.set(tested[j], adj));
  const comparison = (i: number): MetricComparison => {
    const { se: _se, ...test } = pending[i];
    const w = worseAdjusted.get(i);
    const b = betterAdjusted.get(i);
    return {
      ...test,
      ...(w === undefined ? {} : { pWorseAdjusted: w }),
      ...(b === undefined ? {} : { pBetterAdjusted: b }),
      outcome: outcome(pending[i], w, b, options),
    };
  };
  const alphaPerTest = options.alpha / Math.max(1, tested.length);

  // 3. Classify rows.
  const rows: GateRow[] = sides.map((s, i) => {
    const failures = currentFailures(s);
    const t = testsOf[i];
    const c = pairs[i];
    const speedup = t ? comparison(t.speedup) : undefined;
    const fusedTime = t && t.fused !== undefined ? comparison(t.fused) : undefined;
    const worse = [speedup, fusedTime].filter((m): m is MetricComparison => m?.outcome === 'worse').map((m) => m.metric);
    if (worse.length > 0) failures.push({ kind: 'regression', metrics: worse });
    const better = [speedup, fusedTime].some((m) => m?.outcome === 'better');
    const cls: RowClass = failures.length > 0 ? 'fail'
      : !s.cur ? 'missing'
      : !s.base ? 'new'
      : better ? 'improvement' : 'unchanged';
    const se = t ? pending[t.speedup].se : undefined;
    const detectable = !c ? undefined
      : se !== undefined ? detectableFromSe(se, alphaPerTest, thresholdMargins(options).lower)
      : detectableFall(c.base.runs.flatMap((r) => perRoundSpeedups(r.unfused.samplesMs, r.fused.samplesMs)), perRoundSpeedups(c.unfused, c.fused), alphaPerTest);
    const cur = s.cur;
    const currentOnly = !s.base && cur?.status === 'ok' && cur.unfused && cur.fused
      ? { speedup: speedupOf(cur.unfused.samplesMs, cur.fused.samplesMs), fusedMs: median(cur.fused.samplesMs) }
      : undefined;
    return {
      pattern: s.pattern, backend: s.backend, size: s.size, class: cls, failures,
      ...(speedup ? { speedup } : {}), ...(fusedTime ? { fusedTime } : {}),
      ...(detectable !== undefined ? { detectableFall: detectable } : {}), ...(currentOnly ? { currentOnly } : {}),
    };
  });
  rows.sort(compareRows);

  const runsBehind = rows.flatMap((r) => (r.speedup ? [r.speedup.baselineRuns] : []));
  const source = baseline.sources[0];
  return {
    exitCode: rows.some((r) => r.class === 'fail') ? 1 : 0,
    options,
    baseline: {
      name: inputs.baselineName,
      command: baseline.sources.length === 1 ? source.command : `${baseline.sources.length} runs, first: ${source.command}`,
      createdAt: source.createdAt,
      machine: describeMachine(baseline.machine),
      quick: source.quick,
    },
    current: {
      name: inputs.currentName, command: current.command, createdAt: current.createdAt,
      machine: describeMachine(current.machine), quick: current.quick,
    },
    machines,
    ratiosOnly,
    timesCompared,
    ...(timesSkipped ? { timesSkipped } : {}),
    ...(drift ? { unfusedDrift: drift } : {}),
    tests: tested.length,
    baselineRuns: { min: runsBehind.length ? Math.min(...runsBehind) : 0, max: runsBehind.length ? Math.max(...runsBehind) : 0 },
    ...(pooledSpeedup ? { betweenRun: { speedup: Math.sqrt(pooledSpeedup.tau2), fusedTime: Math.sqrt(pooledFused?.tau2 ?? 0), df: pooledSpeedup.df } } : {}),
    rows,
  };
}
