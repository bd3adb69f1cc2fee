/** Executive Summary: the verdict line and the few facts a reader needs before any table. */
import type { BackendView, ReportModel } from '../model.ts';
import { measuredViews } from '../model.ts';
import { code, count, listing, speedupWithCi, times } from '../format.ts';
import { backendAggregateText, confidenceText, decisionMark, where } from '../text.ts';

function verdictFragment(b: BackendView): string {
  if (!b.aggregate || !b.decision) return `${b.status.name}: no correct timed result`;
  const d = b.decision;
  if (d.inconclusive) {
    return `${b.status.name}: inconclusive between ${decisionMark(d.inconclusive.lo)} ${d.inconclusive.lo} and ` +
      `${decisionMark(d.inconclusive.hi)} ${d.inconclusive.hi} (${speedupWithCi(b.aggregate)})`;
  }
  return `${decisionMark(d.decision)} ${b.status.name}: ${d.decision} (${speedupWithCi(b.aggregate)})`;
}

export function verdictLine(m: ReportModel): string {
  const judged = m.ran.filter((b) => b.aggregate);
  if (judged.length === 0) {
    return '**Verdict: nothing to judge: no backend produced a correct, timed result in this run.**';
  }
  return `**Verdict: ${m.ran.map(verdictFragment).join(' · ')}**`;
}

function backendBullet(m: ReportModel, b: BackendView): string {
  const views = measuredViews(b).filter((v) => v.incorrect.length === 0);
  const head = `**${b.status.name}** (${b.status.device?.description ?? b.status.kind}): fusion averages ${backendAggregateText(b)}`;
  const excluded = b.excludedIncorrect.length ? ` (${listing(b.excludedIncorrect.map(code))} left out: a fused result was wrong)` : '';
  if (views.length === 0) return `${head}${excluded}.`;
  const sorted = [...views].sort((x, y) => y.aggregate!.ratio - x.aggregate!.ratio);
  const best = sorted[0];
  const worst = sorted[sorted.length - 1];
  const { moderate, minimal } = m.config.verdicts;
  const clearGain = views.filter((v) => v.aggregate!.lo >= moderate).length;
  const clearLoss = views.filter((v) => v.aggregate!.hi < minimal).length;
  const parts = [
    views.length > 1
      ? `best ${code(best.pattern.id)} ${speedupWithCi(best.aggregate!)}, worst ${code(worst.pattern.id)} ${speedupWithCi(worst.aggregate!)}`
      : `${code(best.pattern.id)} ${speedupWithCi(best.aggregate!)}`,
    `${clearGain} of ${views.length} clearly faster fused (CI lower bound ≥ ${times(moderate)}), ` +
      `${clearLoss} clearly slower (CI upper bound < ${times(minimal)})`,
  ];
  return `${head}${excluded}; ${parts.join('; ')}.`;
}

function correctnessBullet(m: ReportModel): string {
  const timed = m.ran.flatMap((b) => b.patterns.flatMap((v) => v.timed));
  const wrong = m.ran.flatMap((b) => b.patterns.flatMap((v) => v.incorrect.map((r) => ({ v, r }))));
  if (timed.length === 0) return '**Correctness:** no size ran far enough to be checked.';
  if (wrong.length === 0) {
    return `**Correctness:** all ${timed.length} fused results matched the float64 reference within tolerance.`;
  }
  const named = wrong.slice(0, 6).map(({ v, r }) => `${where(v)} at ${r.size}`);
  return `**Correctness:** ✗ ${wrong.length} of ${timed.length} fused results are outside tolerance ` +
    `(${listing(named)}${wrong.length > named.length ? ', …' : ''}); they are marked ✗ Incorrect and excluded from every speedup figure.`;
}

function failureBullet(m: ReportModel): string | undefined {
  const failed = m.ran.flatMap((b) => b.patterns.flatMap((v) => v.failed.map((r) => ({ v, r }))));
  if (failed.length === 0) return undefined;
  const named = failed.slice(0, 6).map(({ v, r }) => `${where(v)} at ${r.size}`);
  return `**Failures:** ${count(failed.length, 'size')} could not be measured (${listing(named)}${failed.length > named.length ? ', …' : ''}); the errors are in the pattern tables.`;
}

function unavailableBullet(m: ReportModel): string | undefined {
  if (m.unavailable.length === 0) return undefined;
  return `**Not measured:** ${listing(m.unavailable.map((b) => code(b.name)))}: unavailable here (reasons under Machine and Backends).`;
}

export function summary(m: ReportModel): string {
  const bullets = [
    ...m.ran.map((b) => backendBullet(m, b)),
    correctnessBullet(m),
    failureBullet(m),
    unavailableBullet(m),
  ].filter((x): x is string => x !== undefined);
  const patterns = m.results.patterns.length;
  return [
    '## Executive Summary',
    '',
    verdictLine(m),
    '',
    `${count(patterns, 'pattern')} on ${count(m.ran.length, 'backend')}; each backend's figure is the geometric mean of its patterns' speedups ` +
      `(each the geometric mean over sizes) with a ${confidenceText(m)} bootstrap CI, and the decision follows the Decision Matrix below.`,
    '',
    ...bullets.map((b) => `- ${b}`),
  ].join('\n');
}
