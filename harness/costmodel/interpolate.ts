/**
 * Speedup at an arbitrary size from the measured sizes: linear in log(size) between the two measured
 * sizes around it; outside the measured range, the nearest measured point, flagged as extrapolated.
 * Size is the suite's `magnitude` (the scalar that orders its sizes), so it must be positive.
 */

export interface SizePoint {
  readonly magnitude: number;
  readonly speedup: number;
  /** Confidence interval of the speedup at this size. */
  readonly lo: number;
  readonly hi: number;
  readonly label: string;
}

export type SizeBasis = 'measured' | 'interpolated' | 'extrapolated';

export interface SizeEstimate {
  readonly speedup: number;
  readonly ci: readonly [number, number];
  readonly basis: SizeBasis;
  readonly extrapolated: boolean;
  /** Labels of the measured sizes the answer comes from. */
  readonly from: readonly string[];
}

/** Two magnitudes this close (relative) are the same size. */
const SAME = 1e-9;

/** Points sorted by magnitude; points at one magnitude (e.g. two shapes with equal output size) are averaged. */
function merge(points: readonly SizePoint[]): SizePoint[] {
  const sorted = [...points].sort((a, b) => a.magnitude - b.magnitude);
  const out: Array<SizePoint & { n: number }> = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && Math.abs(p.magnitude - last.magnitude) <= SAME * last.magnitude) {
      const n = last.n + 1;
      out[out.length - 1] = {
        magnitude: last.magnitude,
        speedup: last.speedup + (p.speedup - last.speedup) / n,
        lo: last.lo + (p.lo - last.lo) / n,
        hi: last.hi + (p.hi - last.hi) / n,
        label: `${last.label} + ${p.label}`,
        n,
      };
    } else {
      out.push({ ...p, n: 1 });
    }
  }
  return out;
}

const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;

export function estimateAtSize(points: readonly SizePoint[], size: number): SizeEstimate {
  if (!(size > 0) || !Number.isFinite(size)) {
    throw new RangeError(`size must be a positive, finite magnitude (got ${size})`);
  }
  const pts = merge(points);
  if (pts.length === 0) throw new RangeError('no measured sizes to estimate from');
  for (const p of pts) {
    if (!(p.magnitude > 0)) throw new RangeError(`measured size "${p.label}" has a non-positive magnitude (${p.magnitude})`);
  }
  const at = (p: SizePoint, basis: SizeBasis): SizeEstimate => ({
    speedup: p.speedup, ci: [p.lo, p.hi], basis, extrapolated: basis === 'extrapolated', from: [p.label],
  });
  const first = pts[0];
  const last = pts[pts.length - 1];
  const exact = pts.find((p) => Math.abs(p.magnitude - size) <= SAME * p.magnitude);
  if (exact) return at(exact, 'measured');
  if (size < first.magnitude) return at(first, 'extrapolated');
  if (size > last.magnitude) return at(last, 'extrapolated');
  const i = pts.findIndex((p) => p.magnitude > size);
  const a = pts[i - 1];
  const b = pts[i];
  const t = (Math.log(size) - Math.log(a.magnitude)) / (Math.log(b.magnitude) - Math.log(a.magnitude));
  return {
    speedup: lerp(a.speedup, b.speedup, t),
    ci: [lerp(a.lo, b.lo, t), lerp(a.hi, b.hi, t)],
    basis: 'interpolated',
    extrapolated: false,
    from: [a.label, b.label],
  };
}
