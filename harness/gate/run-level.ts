/**
 * A run-level test, for baselines of several runs. Rounds of one run share that process's state (JIT
 * decisions, memory layout, what else the machine ran), so a whole run moves against the next by more than
 * its rounds spread: on the 2-core development VM the per-run log speedup of unchanged code varies between
 * runs 2–3× more than one run's rounds predict, and absolute times far more (docs/gate.md has the figures).
 * A test on pooled rounds ignores that and cries wolf; this one models it:
 *
 *   value of run j = μ + b_j + e_j,   b_j ~ (0, τ²) between runs,   e_j ~ (0, w_j) within run j
 *
 * where value is a log median (of fused time, or of the per-round speedups unfused_i / fused_i) and w_j the
 * squared standard error of that median from the run's own rounds. τ² is estimated by the method of moments
 * from the baseline runs, pooled over rows: every row of a machine sees the same kind of run-to-run swing,
 * and one row's two or three runs alone would give an estimate too noisy to test with. The current run is
 * then tested as one new draw:
 *
 *   t = (value_current − mean_j value_j) / √(w_current + τ² + (mean w_j + τ²) / k),   Student t, pooled df.
 *
 * It needs k ≥ 2 baseline runs; with one, τ² is unknown and no p-value is claimed from it.
 */
import { median } from '../core/stats.ts';
import { robustSd } from './sensitivity.ts';

/** ln Γ(x), Lanczos approximation (g = 7, n = 9); ample for the t distribution's normalising constant. */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(x, a, b)) / a : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom. */
export function studentTTwoSided(t: number, df: number): number {
  if (!(df > 0)) throw new Error(`Student t needs df > 0 (got ${df})`);
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, incompleteBeta(df / (df + t * t), df / 2, 0.5));
}

/** One run's estimate on the log scale, with its squared standard error from the run's own rounds. */
export interface RunValue {
  readonly value: number;
  readonly within: number;
}

/** SE of a median ≈ √(π/2) · σ / √n; σ from the rounds' robust spread. */
const medianVariance = (logs: readonly number[]): number => (Math.PI / 2) * robustSd(logs) ** 2 / logs.length;

/** log median of `samples` (e.g. fused times). */
export function logMedianValue(samples: readonly number[]): RunValue {
  const logs = samples.map(Math.log);
  return { value: Math.log(median(samples)), within: medianVariance(logs) };
}

/**
 * log of the median per-round speedup unfused_i / fused_i. The paired median, not median unfused / median
 * fused: on a shared machine one variant's times can split into a fast and a slow mode, which moves a ratio
 * of medians by 20% between runs of unchanged code while the per-round ratios stay put.
 */
export function logSpeedupValue(unfused: readonly number[], fused: readonly number[]): RunValue {
  const logs = unfused.map((u, i) => Math.log(u / fused[i]));
  return { value: median(logs), within: medianVariance(logs) };
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Method-of-moments τ² of one row's runs (may be negative before clamping), with its degrees of freedom. */
function rowMoments(runs: readonly RunValue[]): { excess: number; df: number } {
  const k = runs.length;
  const m = mean(runs.map((r) => r.value));
  const variance = runs.reduce((s, r) => s + (r.value - m) ** 2, 0) / (k - 1);
  return { excess: variance - mean(runs.map((r) => r.within)), df: k - 1 };
}

export interface BetweenRun {
  /** Pooled τ² over the rows given (clamped at 0). */
  readonly tau2: number;
  /** Σ (k_row − 1): degrees of freedom of the pooled estimate. */
  readonly df: number;
}

/** Rows it takes before the pooled τ² is their median rather than their mean. */
const ROBUST_ROWS = 8;

/** Median of χ²_df / df: exact for 1–5 degrees of freedom, Wilson–Hilferty beyond. */
function chiSquareMedianOverDf(df: number): number {
  const exact = [0.45494, 0.69315, 0.78866, 0.83917, 0.87047];
  return df <= exact.length ? exact[df - 1]! : (1 - 2 / (9 * df)) ** 3;
}

/**
 * The between-run variance of a typical row, pooled over rows that have ≥ 2 units: the median over rows of each
 * row's unit variance (scaled by the median of χ²_df / df, so that it estimates the variance and not its median)
 * less its units' mean within-unit variance (with fewer than ROBUST_ROWS rows, the df-weighted mean of their excess
 * variances). A median and not a mean: a few rows whose processes land in two
 * states (wasm at small sizes on the 2-core VM: one process's fused call 2.4× slower) would otherwise set τ² for
 * every row. In a study of 2026-12-05 two such rows made the pooled spread 0.145 (log) instead of 0.036, and a 15%
 * slowdown went uncaught in every row. Those rows are tested with their own spread (rowBetweenRun).
 */
export function pooledBetweenRun(rows: ReadonlyArray<readonly RunValue[]>): BetweenRun | undefined {
  const usable = rows.filter((r) => r.length >= 2);
  const df = usable.reduce((s, r) => s + r.length - 1, 0);
  if (df === 0) return undefined;
  const moments = usable.map(rowMoments);
  // A median needs rows to be robust: below ROBUST_ROWS it is the df-weighted mean of the rows' excess variances.
  if (usable.length < ROBUST_ROWS) return { tau2: Math.max(0, moments.reduce((s, m) => s + m.df * m.excess, 0) / df), df };
  const scaled = usable.map((r, i) => {
    const within = mean(r.map((u) => u.within));
    return (moments[i]!.excess + within) / chiSquareMedianOverDf(moments[i]!.df) - within;
  });
  return { tau2: Math.max(0, median(scaled)), df };
}

export interface RunLevelResult {
  /** exp(current − mean of baseline runs): current / geometric mean of the baseline runs. */
  readonly ratio: number;
  /** Standard error of the log difference. */
  readonly se: number;
  readonly pHigher: number;
  readonly pLower: number;
  readonly tau2: number;
}

/**
 * τ² for one row: the pooled one, unless the row's own units say it is noisier. Its own estimate pools the
 * spread of the baseline's units and of the current run's processes (each around its own mean), so a row whose
 * processes split into a fast and a slow state (seen on wasm: one process's fused call 2.4× slower than the
 * other's, in either run) is tested with that spread rather than with the machine's typical one.
 */
export function rowBetweenRun(baseline: readonly RunValue[], currentProcesses: readonly RunValue[], pooled: BetweenRun): BetweenRun {
  const groups = [baseline, currentProcesses].filter((g) => g.length >= 2).map(rowMoments);
  const df = groups.reduce((s, g) => s + g.df, 0);
  if (df === 0) return pooled;
  const own = groups.reduce((s, g) => s + g.df * g.excess, 0) / df;
  return own > pooled.tau2 ? { tau2: own, df } : pooled;
}

/** How far the value must move, on the log scale, before a test calls it lower or higher (its null hypothesis). */
export interface Margins {
  readonly lower: number;
  readonly higher: number;
}

/**
 * Tests the current run against k ≥ 2 baseline units of one row (runs, or the processes of runs), with the pooled
 * τ² (or the row's own, where its units show more spread: rowBetweenRun). A current run that pooled
 * `currentUnits` processes carries τ² / currentUnits of between-unit variance.
 * With `margins`, each one-sided p-value tests a move beyond its margin rather than any move (as a
 * non-inferiority test does): pLower is the chance of a value this low if it had fallen by no more than
 * `margins.lower`. The gate passes its threshold here, so a regression is a fall *significantly* beyond 5%.
 */
export function runLevelTest(baseline: readonly RunValue[], current: RunValue, pooled: BetweenRun, currentUnits = 1, currentProcesses: readonly RunValue[] = [], margins: Margins = { lower: 0, higher: 0 }): RunLevelResult {
  const k = baseline.length;
  if (k < 2) throw new Error(`run-level test needs at least two baseline runs (got ${k})`);
  const between = rowBetweenRun(baseline, currentProcesses, pooled);
  const tau2 = between.tau2;
  const diff = current.value - mean(baseline.map((r) => r.value));
  const se = Math.sqrt(current.within + tau2 / currentUnits + (mean(baseline.map((r) => r.within)) + tau2) / k);
  const ratio = Math.exp(diff);
  if (se === 0) return { ratio, se, pHigher: diff > margins.higher ? 0 : 1, pLower: diff < -margins.lower ? 0 : 1, tau2 };
  // P(T ≥ t) for Student's t.
  const upperTail = (t: number): number => {
    const tail = studentTTwoSided(t, between.df) / 2;
    return t > 0 ? tail : 1 - tail;
  };
  return { ratio, se, pHigher: upperTail((diff - margins.higher) / se), pLower: upperTail(-(diff + margins.lower) / se), tau2 };
}
