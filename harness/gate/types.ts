/** What the gate decides, row by row: shared by the decision, the renderers and the front ends. */
import type { MachineComparison } from './machine.ts';

export interface GateOptions {
  /** A change must exceed this fraction (0.05 = 5%) to count. */
  readonly maxRegression: number;
  /** Significance level for the Holm-adjusted p-values. */
  readonly alpha: number;
  /**
   * `auto` (default): compare fused times when the machine is the same and its speed did not move;
   * `off`: never (speedups only), for machines whose absolute times swing between runs.
   */
  readonly times?: 'auto' | 'off';
}

export type Metric = 'speedup' | 'fused time';

export interface MetricComparison {
  readonly metric: Metric;
  /**
   * Speedup (median of the per-round speedups unfused_i / fused_i) or fused time (median ms); for a baseline
   * of several runs, the geometric mean over its runs.
   */
  readonly baseline: number;
  readonly current: number;
  /** current / baseline − 1. */
  readonly change: number;
  /**
   * One-sided p-values against "got worse" (speedup fell / fused time rose) and "got better": Mann–Whitney U
   * on per-round speedups (one baseline run), or the run-level test against the baseline runs (≥ 2 runs).
   * Absent when no test is possible (fused time with a single baseline run).
   */
  readonly pWorse?: number;
  readonly pBetter?: number;
  /** Holm-adjusted over every "worse" test of this gate run (the family that can fail it), resp. every "better" test. */
  readonly pWorseAdjusted?: number;
  readonly pBetterAdjusted?: number;
  readonly method: 'mann-whitney exact' | 'mann-whitney normal' | 'run-level t' | 'process-level t' | 'untested';
  /** Baseline runs behind the comparison. */
  readonly baselineRuns: number;
  /** `worse`/`better` only when the change exceeds the threshold and the adjusted p-value of that direction is below alpha. */
  readonly outcome: 'worse' | 'better' | 'unchanged' | 'untested';
}

/** Reasons a row fails the gate, most serious first. */
export type Failure =
  | { readonly kind: 'incorrect' }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'below minimum'; readonly speedup: number; readonly minimum: number }
  | { readonly kind: 'regression'; readonly metrics: readonly Metric[] };

export type RowClass = 'fail' | 'improvement' | 'unchanged' | 'new' | 'missing';

export interface GateRow {
  readonly pattern: string;
  readonly backend: string;
  readonly size: string;
  readonly class: RowClass;
  readonly failures: readonly Failure[];
  /** Absent when the row is missing on either side or failed in the current run. */
  readonly speedup?: MetricComparison;
  /** Absent across machines (times do not carry) and where `speedup` is absent. */
  readonly fusedTime?: MetricComparison;
  /** Smallest speedup fall this comparison detects with 80% power (sensitivity.ts); absent without a comparison. */
  readonly detectableFall?: number;
  /** The current run's speedup and median fused time, for rows without a baseline. */
  readonly currentOnly?: { readonly speedup: number; readonly fusedMs: number };
}

export interface RunDescription {
  readonly name: string;
  readonly command: string;
  readonly createdAt: string;
  readonly machine: string;
  readonly quick: boolean;
}

export interface GateReport {
  readonly exitCode: 0 | 1;
  readonly options: GateOptions;
  readonly baseline: RunDescription;
  readonly current: RunDescription;
  readonly machines: MachineComparison;
  /** True when the machines differ: speedup ratios only, no fused-time check. */
  readonly ratiosOnly: boolean;
  /** Whether fused times were compared: same machine, its speed did not move beyond the threshold, not turned off. */
  readonly timesCompared: boolean;
  /** Why fused times were not compared, when they were not. */
  readonly timesSkipped?: 'different machines' | 'machine speed changed' | 'turned off';
  /** Median over compared rows of current / baseline unfused time − 1: how the machine's speed moved. */
  readonly unfusedDrift?: { readonly change: number; readonly rows: number };
  /** Size of each Holm family: the "worse" tests (and as many "better" tests) this run made. */
  readonly tests: number;
  /** Fewest and most baseline runs behind a compared row (the run-level tests need ≥ 2). */
  readonly baselineRuns: { readonly min: number; readonly max: number };
  /**
   * Between-run standard deviation of log speedup and of log fused time, pooled over rows, with its degrees
   * of freedom; present when the baseline has rows of ≥ 2 runs.
   */
  readonly betweenRun?: { readonly speedup: number; readonly fusedTime: number; readonly df: number };
  /** Rows in display order: failures, improvements, unchanged, new, missing. */
  readonly rows: readonly GateRow[];
}
