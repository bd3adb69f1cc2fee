/** Number formatting and decision wording for the macro report; every phrase depends on a measured value. */
import { markdownTable } from 'markdown-table';
import type { Decision, Interval } from '../core/types.ts';

export const times = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');

export const ci = (i: Interval): string =>
  Number.isFinite(i.lo) && Number.isFinite(i.hi) ? `${times(i.ratio)} [${i.lo.toFixed(2)}, ${i.hi.toFixed(2)}]` : times(i.ratio);

export function ms(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (v < 0.01) return v.toFixed(4);
  if (v < 1) return v.toFixed(3);
  return v.toFixed(2);
}

export const pct = (v: number): string => `${Math.round(v * 100)}%`;

export const pctCi = (i: Interval): string =>
  Number.isFinite(i.lo) && Number.isFinite(i.hi) ? `${pct(i.ratio)} [${pct(i.lo)}, ${pct(i.hi)}]` : pct(i.ratio);

/** "+12 pts" / "−30 pts": a speedup difference in percentage points, as the study wrote them. */
export function pts(delta: number): string {
  const n = Math.round(delta * 100);
  return n > 0 ? `+${n} pts` : n < 0 ? `−${-n} pts` : '±0 pts';
}

/** "25% improvement" or "12% slower". */
export function gainWords(speedup: number): string {
  if (!Number.isFinite(speedup)) return 'not measured';
  if (speedup >= 1) return `${Math.round((speedup - 1) * 100)}% improvement`;
  return `${Math.round((1 / speedup - 1) * 100)}% slower`;
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return markdownTable([header, ...rows]);
}

export interface DecisionThresholdsLike {
  readonly expand: number;
  readonly deploy: number;
}

export function decisionOf(speedup: number, t: DecisionThresholdsLike): Decision {
  if (speedup >= t.expand) return 'Deploy + Expand';
  if (speedup >= t.deploy) return 'Deploy, stop expansion';
  return 'Re-evaluate';
}

/** The decision at the point estimate, and whether the CI's ends fall in other rows of the matrix. */
export function decisionWithCi(i: Interval, t: DecisionThresholdsLike): { decision: Decision; lo: Decision; hi: Decision; conclusive: boolean } {
  const decision = decisionOf(i.ratio, t);
  const lo = Number.isFinite(i.lo) ? decisionOf(i.lo, t) : decision;
  const hi = Number.isFinite(i.hi) ? decisionOf(i.hi, t) : decision;
  return { decision, lo, hi, conclusive: lo === hi };
}

export function bullets(lines: readonly string[]): string {
  return lines.map((l) => `- ${l}`).join('\n');
}

/** Thousands separators for element counts. */
export const count = (n: number): string => n.toLocaleString('en-US');

export function mib(bytes: number): string {
  const v = bytes / 2 ** 20;
  return v >= 10 ? `${v.toFixed(0)} MiB` : v >= 1 ? `${v.toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}
