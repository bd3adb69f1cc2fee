/** Compares a float32 result with its float64 reference. NaN or Inf never passes. */
import type { ErrorStats, Tolerance } from './types.ts';

export function compareWithReference(got: ArrayLike<number>, want: Float64Array, tol: Tolerance): ErrorStats {
  if (got.length !== want.length) {
    return { maxAbs: Number.POSITIVE_INFINITY, maxRel: Number.POSITIVE_INFINITY, ok: false };
  }
  let maxAbs = 0;
  let maxRel = 0;
  let ok = true;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    const err = Math.abs(g - w);
    if (!Number.isFinite(g) || Number.isNaN(err)) {
      ok = false;
      maxAbs = Number.NaN;
      maxRel = Number.NaN;
      continue;
    }
    if (err > maxAbs || Number.isNaN(maxAbs)) maxAbs = Number.isNaN(maxAbs) ? maxAbs : err;
    // Relative error only where the reference is clear of the absolute floor; elsewhere it means nothing.
    if (Math.abs(w) > tol.atol) maxRel = Math.max(maxRel, err / Math.abs(w));
    if (err > tol.atol + tol.rtol * Math.abs(w)) ok = false;
  }
  return { maxAbs, maxRel, ok };
}
