/**
 * How large a speedup fall a row could have shown. A gate fed rounds as noisy as those of an overloaded
 * machine passes everything: not because nothing regressed but because nothing could be seen. Rather than
 * sleep quietly, the gate names such rows with the fall they would have needed.
 *
 * Approximation (normal theory on log per-round speedups): the spread of each run is estimated robustly
 * (1.4826 · MAD), the standard error of a difference of medians is √(π/2) times that of means, and the
 * smallest fall detected with 80% power at the Bonferroni level α/m (what Holm requires of the first test)
 * is (z_{1−α/m} + z_{0.8}) · SE on the log scale.
 */
import { median } from '../core/stats.ts';

/** Standard normal quantile Φ⁻¹(p), Acklam's rational approximation (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normal quantile needs 0 < p < 1 (got ${p})`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** 1.4826 · median absolute deviation: the standard deviation, for normal data, unmoved by spikes. */
export function robustSd(values: readonly number[]): number {
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
}

/**
 * The smallest fall (a fraction) a test whose log-scale standard error is `se` detects with 80% power at
 * `alphaPerTest`; a test of a fall beyond `margin` (log scale) needs that much more.
 */
export function detectableFromSe(se: number, alphaPerTest: number, margin = 0): number {
  const z = normalQuantile(1 - Math.min(0.5, alphaPerTest)) + normalQuantile(0.8);
  return 1 - Math.exp(-(z * se + margin));
}

/**
 * The smallest fall in speedup (a fraction, e.g. 0.12) a Mann–Whitney comparison of these per-round speedups
 * would detect with 80% power at level `alphaPerTest`.
 */
export function detectableFall(baselineSpeedups: readonly number[], currentSpeedups: readonly number[], alphaPerTest: number): number {
  const sb = robustSd(baselineSpeedups.map(Math.log));
  const sc = robustSd(currentSpeedups.map(Math.log));
  const se = Math.sqrt(Math.PI / 2) * Math.sqrt((sb * sb) / baselineSpeedups.length + (sc * sc) / currentSpeedups.length);
  return detectableFromSe(se, alphaPerTest);
}
