/**
 * A run-level test for absolute times. Rounds of one run share the machine's state of the moment, so the
 * spread between rounds says nothing about how much a whole run moves from one process to the next; on the
 * 2-core development VM, median times of unchanged code move 5–35% between runs while per-round tests call
 * each move "significant" (docs/gate.md has the figures). So a time is tested against baseline *runs*:
 *
 *   x_1 … x_k = log median fused time of each baseline run, y = log median of the current run,
 *   t = (y − mean x) / (s_x · √(1 + 1/k)),  df = k − 1     (Student t prediction interval for one new run)
 *
 * It needs k ≥ 2 baseline runs; with fewer the spread between runs is unknown and no p-value is claimed.
 */

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

export interface RunLevelResult {
  /** current / geometric mean of the baseline runs. */
  readonly ratio: number;
  /** Two-sided and one-sided p-values; absent when fewer than two baseline runs leave the between-run spread unknown. */
  readonly p?: { readonly twoSided: number; readonly higher: number; readonly lower: number };
  readonly baselineRuns: number;
}

/** Tests one current run's median against the medians of k baseline runs, on the log scale. */
export function runLevelTest(baselineMedians: readonly number[], currentMedian: number): RunLevelResult {
  const k = baselineMedians.length;
  if (k === 0) throw new Error('run-level test needs at least one baseline run');
  const logs = baselineMedians.map(Math.log);
  const mean = logs.reduce((s, x) => s + x, 0) / k;
  const diff = Math.log(currentMedian) - mean;
  const ratio = Math.exp(diff);
  if (k < 2) return { ratio, baselineRuns: k };
  const sd = Math.sqrt(logs.reduce((s, x) => s + (x - mean) ** 2, 0) / (k - 1));
  if (sd === 0) {
    // Identical baseline runs: any difference at all is beyond their spread.
    return { ratio, p: { twoSided: diff === 0 ? 1 : 0, higher: diff > 0 ? 0 : 1, lower: diff < 0 ? 0 : 1 }, baselineRuns: k };
  }
  const t = diff / (sd * Math.sqrt(1 + 1 / k));
  const twoSided = studentTTwoSided(t, k - 1);
  const tail = twoSided / 2; // P(T ≥ |t|)
  return { ratio, p: { twoSided, higher: t > 0 ? tail : 1 - tail, lower: t < 0 ? tail : 1 - tail }, baselineRuns: k };
}
