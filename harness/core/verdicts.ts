/**
 * Verdicts and decisions from a speedup interval, judged on the whole CI, never on one point. They are judged when a
 * report is rendered, from the stored statistics and the thresholds in force then: results.json holds numbers only,
 * and a verdict is a key (`strong`…`incorrect`) that the report's formatter turns into words.
 */
import type { Decision, Interval, Judgement, Prediction, SizeResult, Verdict } from './types.ts';
import type { DecisionThresholds, VerdictThresholds } from './config.ts';
import { currentConfig } from './config.ts';

export function verdictFor(speedup: number, t: VerdictThresholds = currentConfig().verdicts): Exclude<Verdict, 'incorrect'> {
  if (!Number.isFinite(speedup)) return 'slower';
  if (speedup >= t.strong) return 'strong';
  if (speedup >= t.moderate) return 'moderate';
  if (speedup >= t.minimal) return 'minimal';
  return 'slower';
}

/** Verdicts from worst to best, for comparisons. */
export const VERDICT_ORDER: readonly Verdict[] = ['incorrect', 'slower', 'minimal', 'moderate', 'strong'];

export function decisionFor(speedup: number, t: DecisionThresholds = currentConfig().decisions): Decision {
  if (speedup >= t.expand) return 'Deploy + Expand';
  if (speedup >= t.deploy) return 'Deploy, stop expansion';
  return 'Re-evaluate';
}

/** The Decision Matrix row at an interval's point estimate and at each of its ends. */
export interface DecisionSpan {
  readonly point: Decision;
  readonly lo: Decision;
  readonly hi: Decision;
}

export function decisionSpan(x: Interval, t: DecisionThresholds = currentConfig().decisions): DecisionSpan {
  return { point: decisionFor(x.ratio, t), lo: decisionFor(x.lo, t), hi: decisionFor(x.hi, t) };
}

/** Where a measured speedup lies against a predicted range, and by how many percentage points of speedup. */
export interface PredictionDelta {
  readonly position: 'above' | 'within' | 'below';
  /** Distance to the nearest end of the range in percentage points (1.00× = 100 pts); 0 within. */
  readonly pts: number;
}

export function comparePrediction(speedup: number, p: Prediction): PredictionDelta {
  const pts = (x: number): number => Math.round(x * 100);
  if (speedup > p.max) return { position: 'above', pts: pts(speedup - p.max) };
  if (speedup < p.min) return { position: 'below', pts: pts(p.min - speedup) };
  return { position: 'within', pts: 0 };
}

/**
 * Judges a speedup interval. A fused result outside tolerance is `incorrect` whatever its speed.
 * When the CI's two ends fall under different verdicts, the point verdict stands but is marked inconclusive.
 * `thresholds`: the config to judge with (a renderer passes its own, so nothing depends on process-wide state).
 */
export function judge(
  speedup: Interval, correct: boolean,
  thresholds: { readonly verdicts: VerdictThresholds; readonly decisions: DecisionThresholds } = currentConfig(),
): Judgement {
  if (!correct) return { verdict: 'incorrect', decision: 'Re-evaluate' };
  const lo = verdictFor(speedup.lo, thresholds.verdicts);
  const hi = verdictFor(speedup.hi, thresholds.verdicts);
  const verdict = verdictFor(speedup.ratio, thresholds.verdicts);
  const decision = decisionFor(speedup.ratio, thresholds.decisions);
  return lo === hi ? { verdict, decision } : { verdict, inconclusive: { lo, hi }, decision };
}

/** A measured size judged at render time (its fused result's float64 check decides `incorrect`); undefined when it was not timed. */
export function judgeSize(
  r: Pick<SizeResult, 'status' | 'speedup' | 'correctness'>,
  thresholds: { readonly verdicts: VerdictThresholds; readonly decisions: DecisionThresholds } = currentConfig(),
): Judgement | undefined {
  if (r.status !== 'ok' || !r.speedup) return undefined;
  return judge(r.speedup, r.correctness?.fused.ok === true, thresholds);
}
