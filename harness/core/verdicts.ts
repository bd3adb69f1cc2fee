/** Verdicts and decisions from a speedup interval, judged on the whole CI, never on one point. */
import type { Decision, Interval, Judgement, Prediction, Verdict } from './types.ts';
import type { DecisionThresholds, VerdictThresholds } from './config.ts';
import { currentConfig } from './config.ts';

export function verdictFor(speedup: number, t: VerdictThresholds = currentConfig().verdicts): Verdict {
  if (!Number.isFinite(speedup)) return '✗ Fusion is slower';
  if (speedup >= t.strong) return '✓ Strong benefit';
  if (speedup >= t.moderate) return '✓ Moderate benefit';
  if (speedup >= t.minimal) return '⚠ Minimal benefit';
  return '✗ Fusion is slower';
}

export function decisionFor(speedup: number, t: DecisionThresholds = currentConfig().decisions): Decision {
  if (speedup >= t.expand) return 'Deploy + Expand';
  if (speedup >= t.deploy) return 'Deploy, stop expansion';
  return 'Re-evaluate';
}

/** "exceeds prediction by 12 pts", "within prediction", "falls short of prediction by 30 pts". */
export function comparePrediction(speedup: number, p: Prediction): string {
  const pts = (x: number): number => Math.round(x * 100);
  if (speedup > p.max) return `exceeds prediction by ${pts(speedup - p.max)} pts`;
  if (speedup < p.min) return `falls short of prediction by ${pts(p.min - speedup)} pts`;
  return 'within prediction';
}

/**
 * Judges a speedup interval. A fused result outside tolerance is `✗ Incorrect` whatever its speed.
 * When the CI's two ends fall under different verdicts, the point verdict stands but is marked inconclusive.
 * `thresholds`: the run's config (a measurement passes it, so it depends on no process-wide state).
 */
export function judge(
  speedup: Interval, correct: boolean, prediction: Prediction,
  thresholds: { readonly verdicts: VerdictThresholds; readonly decisions: DecisionThresholds } = currentConfig(),
): Judgement {
  const vsPrediction = comparePrediction(speedup.ratio, prediction);
  if (!correct) return { verdict: '✗ Incorrect', decision: 'Re-evaluate', vsPrediction };
  const lo = verdictFor(speedup.lo, thresholds.verdicts);
  const hi = verdictFor(speedup.hi, thresholds.verdicts);
  const verdict = verdictFor(speedup.ratio, thresholds.verdicts);
  const decision = decisionFor(speedup.ratio, thresholds.decisions);
  return lo === hi ? { verdict, decision, vsPrediction } : { verdict, inconclusive: { lo, hi }, decision, vsPrediction };
}

/** Renders a judgement for a table cell: "✓ Moderate benefit" or "inconclusive: ⚠ Minimal benefit … ✓ Moderate benefit". */
export function verdictText(j: Judgement): string {
  return j.inconclusive ? `inconclusive: ${j.inconclusive.lo} … ${j.inconclusive.hi}` : j.verdict;
}
