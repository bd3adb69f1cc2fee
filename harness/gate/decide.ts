/**
 * The gate's decision. For every pattern × backend × size measured in both runs:
 *
 *   speedup     change = speedup_current ÷ speedup_baseline − 1, speedup = median unfused / median fused
 *                        (the baseline's: median over its runs);
 *               test   = one-sided Mann–Whitney U of the current run's per-round speedups unfused_i / fused_i
 *                        against the baseline runs' per-round speedups. Both variants of round i ran back to
 *                        back, so whatever the machine was doing at that moment cancels in the ratio.
 *   fused time  change = median fused_current ÷ geometric mean of the baseline runs' medians − 1;
 *               test   = one-sided run-level t test against the baseline runs (run-level.ts): absolute times move as a
 *                        whole from run to run, which per-round tests cannot see. Needs ≥ 2 baseline runs;
 *                        same machine only, since times do not carry across machines.
 *
 * Each metric is tested one-sided in both directions. The "worse" p-values of every row and metric form one
 * Holm family (so the chance that a run of unchanged code fails the gate is ≤ α however many rows it has);
 * the "better" p-values form another, which only labels improvements. A metric regresses when it moved the
 * wrong way by more than the threshold AND its adjusted "worse" p-value is below α: a tiny but consistent
 * drift is no alarm, nor is a large but noisy one.
 *
 * Beyond comparisons, a row fails when the current run has it `✗ Incorrect`, failed to measure it, or
 * measured a speedup below the suite's declared `minSpeedup` for the backend. Exit code: 1 if any row fails.
 */
import type { RunResults, SizeResult } from '../types.ts';
import { median } from '../stats.ts';
import type { Baseline, BaselineEntry } from './format.ts';
import { compareMachines, describeMachine } from './machine.ts';
import { mannWhitneyU } from './mann-whitney.ts';
import { runLevelTest } from './run-level.ts';
import { holmAdjust } from './holm.ts';
import { detectableFall } from './sensitivity.ts';
import type { Failure, GateOptions, GateReport, GateRow, MetricComparison, RowClass } from './types.ts';

interface Sides {
  readonly pattern: string;
  readonly backend: string;
  readonly size: string;
  readonly minSpeedup?: number;
  readonly base?: BaselineEntry;
  readonly cur?: SizeResult;
}

type PendingTest = Omit<MetricComparison, 'pWorseAdjusted' | 'pBetterAdjusted' | 'outcome'>;

const perRoundSpeedups = (unfused: readonly number[], fused: readonly number[]): number[] => unfused.map((u, i) => u / fused[i]);
const speedupOf = (unfused: readonly number[], fused: readonly number[]): number => median(unfused) / median(fused);

function speedupTest(base: BaselineEntry, cur: SizeResult): PendingTest {
  const b = median(base.runs.map((r) => speedupOf(r.unfused.samplesMs, r.fused.samplesMs)));
  const c = speedupOf(cur.unfused!.samplesMs, cur.fused!.samplesMs);
  const pooled = base.runs.flatMap((r) => perRoundSpeedups(r.unfused.samplesMs, r.fused.samplesMs));
  const mw = mannWhitneyU(perRoundSpeedups(cur.unfused!.samplesMs, cur.fused!.samplesMs), pooled);
  return {
    metric: 'speedup', baseline: b, current: c, change: c / b - 1, pWorse: mw.pLess, pBetter: mw.pGreater,
    method: mw.method === 'exact' ? 'mann-whitney exact' : 'mann-whitney normal', baselineRuns: base.runs.length,
  };
}

function fusedTimeTest(base: BaselineEntry, cur: SizeResult): PendingTest {
  const current = median(cur.fused!.samplesMs);
  const t = runLevelTest(base.runs.map((r) => median(r.fused.samplesMs)), current);
  return {
    metric: 'fused time', baseline: current / t.ratio, current, change: t.ratio - 1,
    ...(t.p === undefined ? {} : { pWorse: t.p.higher, pBetter: t.p.lower }),
    method: t.p === undefined ? 'untested' : 'run-level t', baselineRuns: t.baselineRuns,
  };
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

function currentFailures(s: Sides): Failure[] {
  const out: Failure[] = [];
  const r = s.cur;
  if (!r) return out;
  if (r.status !== 'ok') return [{ kind: 'failed', error: r.error ?? 'no error recorded' }];
  if (r.judgement?.verdict === '✗ Incorrect' || r.correctness?.fused.ok === false) out.push({ kind: 'incorrect' });
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

  // 1. Every test of the run, so that Holm sees the whole family at once.
  const pending: PendingTest[] = [];
  const testsOf = sides.map((s) => {
    if (!s.base || !s.cur || s.cur.status !== 'ok') return undefined;
    const speedup = pending.push(speedupTest(s.base, s.cur)) - 1;
    const fused = ratiosOnly ? undefined : pending.push(fusedTimeTest(s.base, s.cur)) - 1;
    return { speedup, fused };
  });
  const tested = pending.map((t, i) => (t.pWorse === undefined ? -1 : i)).filter((i) => i >= 0);
  const worseAdjusted = new Map<number, number>();
  const betterAdjusted = new Map<number, number>();
  holmAdjust(tested.map((i) => pending[i].pWorse!)).forEach((adj, j) => worseAdjusted.set(tested[j], adj));
  holmAdjust(tested.map((i) => pending[i].pBetter!)).forEach((adj, j) => betterAdjusted.set(tested[j], adj));
  const comparison = (i: number): MetricComparison => {
    const w = worseAdjusted.get(i);
    const b = betterAdjusted.get(i);
    return {
      ...pending[i],
      ...(w === undefined ? {} : { pWorseAdjusted: w }),
      ...(b === undefined ? {} : { pBetterAdjusted: b }),
      outcome: outcome(pending[i], w, b, options),
    };
  };

  // 2. Classify rows.
  const rows: GateRow[] = sides.map((s, i) => {
    const failures = currentFailures(s);
    const t = testsOf[i];
    const speedup = t ? comparison(t.speedup) : undefined;
    const fusedTime = t && t.fused !== undefined ? comparison(t.fused) : undefined;
    const worse = [speedup, fusedTime].filter((c): c is MetricComparison => c?.outcome === 'worse').map((c) => c.metric);
    if (worse.length > 0) failures.push({ kind: 'regression', metrics: worse });
    const better = [speedup, fusedTime].some((c) => c?.outcome === 'better');
    const cls: RowClass = failures.length > 0 ? 'fail'
      : !s.cur ? 'missing'
      : !s.base ? 'new'
      : better ? 'improvement' : 'unchanged';
    const cur = s.cur;
    const detectable = speedup && s.base && cur?.unfused && cur.fused
      ? detectableFall(
        s.base.runs.flatMap((r) => perRoundSpeedups(r.unfused.samplesMs, r.fused.samplesMs)),
        perRoundSpeedups(cur.unfused.samplesMs, cur.fused.samplesMs),
        options.alpha / Math.max(1, tested.length),
      )
      : undefined;
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
    tests: tested.length,
    baselineRuns: { min: runsBehind.length ? Math.min(...runsBehind) : 0, max: runsBehind.length ? Math.max(...runsBehind) : 0 },
    rows,
  };
}
