/**
 * Mann–Whitney U (Wilcoxon rank-sum) test of two independent samples, one- and two-sided.
 *
 * Why this test for the gate: it compares whole distributions of per-round values by rank, so the heavy
 * upper tail of a shared machine (a round that caught a GC pause or a neighbour's job) moves it by one rank,
 * not by its size; it assumes no distribution; and for the sample sizes of a run (20–40 rounds) its
 * p-value is computed exactly, not from an asymptotic formula.
 */

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x_i, y_j) with x_i > y_j, ties counting one half. */
  readonly u: number;
  /** Two-sided p-value of "x and y come from the same distribution". */
  readonly p: number;
  /** One-sided p-value against "x tends to be smaller than y". */
  readonly pLess: number;
  /** One-sided p-value against "x tends to be larger than y". */
  readonly pGreater: number;
  /** Exact null distribution (no ties, both samples ≤ EXACT_LIMIT) or normal approximation with tie correction. */
  readonly method: 'exact' | 'normal';
}

/** Largest sample size for which the exact null distribution is computed (cost grows as m²n²/4). */
export const EXACT_LIMIT = 60;

/** Average ranks (1-based) of the pooled values, and the tie-group sizes. */
function rank(pooled: readonly number[]): { ranks: Float64Array; ties: number[] } {
  const order = pooled.map((v, i) => i).sort((a, b) => pooled[a] - pooled[b]);
  const ranks = new Float64Array(pooled.length);
  const ties: number[] = [];
  for (let i = 0; i < order.length;) {
    let j = i + 1;
    while (j < order.length && pooled[order[j]] === pooled[order[i]]) j++;
    const avg = (i + j + 1) / 2; // mean of ranks i+1 … j
    for (let k = i; k < j; k++) ranks[order[k]] = avg;
    if (j - i > 1) ties.push(j - i);
    i = j;
  }
  return { ranks, ties };
}

const exactCache = new Map<string, Float64Array>();

/**
 * P(U = u) for u = 0 … m·n under the null, by the recursion on the largest pooled value:
 * with probability m/(m+n) it belongs to x and beats all n values of y (U gains n), otherwise it belongs to y.
 * Probabilities, not counts, so nothing overflows.
 */
export function exactNullDistribution(m: number, n: number): Float64Array {
  const key = `${m},${n}`;
  const cached = exactCache.get(key);
  if (cached) return cached;
  // row[i] holds the distribution for (i, j) at the current j.
  let row: Float64Array[] = Array.from({ length: m + 1 }, () => Float64Array.of(1));
  for (let j = 1; j <= n; j++) {
    const next: Float64Array[] = [Float64Array.of(1)];
    for (let i = 1; i <= m; i++) {
      const d = new Float64Array(i * j + 1);
      const fromX = next[i - 1]; // (i-1, j): shift by j
      const fromY = row[i]; // (i, j-1)
      const px = i / (i + j);
      const py = j / (i + j);
      for (let u = 0; u < fromX.length; u++) d[u + j] += px * fromX[u];
      for (let u = 0; u < fromY.length; u++) d[u] += py * fromY[u];
      next.push(d);
    }
    row = next;
  }
  const dist = row[m];
  exactCache.set(key, dist);
  return dist;
}

/** Standard normal upper tail, 1 − Φ(z), accurate in the far tail (erfc, Numerical Recipes' Chebyshev fit). */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return x >= 0 ? erfc / 2 : 1 - erfc / 2;
}

export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) throw new Error(`Mann–Whitney U needs two non-empty samples (got ${m} and ${n} values)`);
  for (const v of [...x, ...y]) {
    if (!Number.isFinite(v)) throw new Error(`Mann–Whitney U: sample holds a non-finite value (${v})`);
  }
  const { ranks, ties } = rank([...x, ...y]);
  let rx = 0;
  for (let i = 0; i < m; i++) rx += ranks[i];
  const u = rx - (m * (m + 1)) / 2;

  if (ties.length === 0 && m <= EXACT_LIMIT && n <= EXACT_LIMIT) {
    const dist = exactNullDistribution(m, n);
    const k = Math.round(u);
    let lower = 0;
    for (let i = 0; i <= k; i++) lower += dist[i];
    let upper = 0;
    for (let i = k; i < dist.length; i++) upper += dist[i];
    return { u, p: Math.min(1, 2 * Math.min(lower, upper)), pLess: Math.min(1, lower), pGreater: Math.min(1, upper), method: 'exact' };
  }

  const total = m + n;
  const tieTerm = ties.reduce((s, t) => s + (t * t * t - t), 0) / (total * (total - 1));
  const variance = ((m * n) / 12) * (total + 1 - tieTerm);
  if (variance <= 0) return { u, p: 1, pLess: 1, pGreater: 1, method: 'normal' };
  const sd = Math.sqrt(variance);
  const centred = u - (m * n) / 2;
  const z = Math.max(0, Math.abs(centred) - 0.5) / sd;
  return {
    u,
    p: Math.min(1, 2 * normalUpperTail(z)),
    // Continuity-corrected one-sided tails, as scipy computes them.
    pLess: normalUpperTail(-(centred + 0.5) / sd),
    pGreater: normalUpperTail((centred - 0.5) / sd),
    method: 'normal',
  };
}
