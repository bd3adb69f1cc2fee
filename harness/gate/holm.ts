/**
 * Holm–Bonferroni adjustment: one gate run makes many tests (two per pattern × backend × size), and at
 * α = 0.05 a run of 40 unadjusted tests would cry wolf on most days. Holm keeps the chance of even one
 * false alarm per run at ≤ α whatever the dependence between tests, and is uniformly more powerful than
 * plain Bonferroni.
 */

/** Holm-adjusted p-values, in the order given: reject test i at level α iff adjusted[i] < α. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rankFromZero) => {
    running = Math.max(running, Math.min(1, (m - rankFromZero) * pValues[index]));
    adjusted[index] = running;
  });
  return adjusted;
}
