/**
 * The first thing REPORT.md says: the verdict per backend, how its figure is made (one sentence), and the
 * per-family figures it is made of, then correctness and what did not run.
 */
import type { BackendView, ReportModel } from '../model.ts';
import { code, count, decisionMark, listing, speedupWithCi } from '../format.ts';
import { table } from '../table.ts';
import { pipelineOverall, spanText } from './pipelines.ts';
import { confidenceText, decisionCell, figureCell, verdictScale, where } from '../text.ts';

function verdictFragment(b: BackendView): string {
  if (!b.aggregate || !b.decision) return `${b.status.name}: no correct timed result`;
  const d = b.decision;
  if (d.inconclusive) {
    return `${b.status.name}: inconclusive between ${decisionMark(d.inconclusive.lo)} ${d.inconclusive.lo} and ` +
      `${decisionMark(d.inconclusive.hi)} ${d.inconclusive.hi} (${speedupWithCi(b.aggregate)})`;
  }
  return `${decisionMark(d.decision)} ${b.status.name}: ${d.decision} (${speedupWithCi(b.aggregate)})`;
}

/** `**Verdict: ✓ cpu: Deploy + Expand (1.59× [1.58, 1.60]) · …**`: also the line a run ends with on the terminal. */
export function verdictLine(m: ReportModel): string {
  const judged = m.ran.filter((b) => b.aggregate);
  if (judged.length === 0) {
    return '**Verdict: nothing to judge: no backend produced a correct, timed result in this run.**';
  }
  return `**Verdict: ${m.ran.map(verdictFragment).join(' · ')}**`;
}

/** The method in one sentence, as the issue asks: what is averaged over what, and where the CI comes from. */
export function methodSentence(m: ReportModel): string {
  return `Each backend's figure is the geometric mean over its families of each family's geometric mean over its patterns ` +
    `(each pattern's own figure the geometric mean of its per-size speedups, correct sizes only), so a family weighs one however many patterns it has; ` +
    `its ${confidenceText(m)} CI is a percentile bootstrap (${m.results.sampling.bootstrap} resamples) that resamples every size's processes, then rounds within each, as the size's own CI does.`;
}

function familyTable(m: ReportModel): string {
  const families = [...new Set(m.ran.flatMap((b) => b.families.map((f) => f.family)))];
  const rows = families.map((family) => {
    const per = m.ran.map((b) => b.families.find((f) => f.family === family));
    const patterns = Math.max(...per.map((f) => f?.patterns.length ?? 0));
    return [family, String(patterns), ...per.map((f) => (f ? figureCell(f.aggregate, f.verdict) : 'not run'))];
  });
  rows.push([
    '**Backend (geometric mean of the families)**',
    String(m.results.patterns.length),
    ...m.ran.map((b) => (b.aggregate ? `**${speedupWithCi(b.aggregate)}** ${decisionCell(b.decision)}` : 'no correct timed result')),
  ]);
  return table(['Family', 'Patterns', ...m.ran.map((b) => b.status.name)], rows, ['l', 'r', ...m.ran.map(() => 'l' as const)]);
}

function correctnessLine(m: ReportModel): string {
  const timed = m.ran.flatMap((b) => b.patterns.flatMap((v) => v.timed));
  const wrong = m.ran.flatMap((b) => b.patterns.flatMap((v) => v.incorrect.map((r) => ({ v, r }))));
  if (timed.length === 0) return '**Correctness:** no size ran far enough to be checked.';
  if (wrong.length === 0) return `**Correctness:** all ${timed.length} fused results matched the float64 reference within tolerance.`;
  const named = wrong.slice(0, 4).map(({ v, r }) => `${where(v)} at ${r.size}`);
  return `**Correctness:** ✗ ${wrong.length} of ${timed.length} fused results are outside tolerance ` +
    `(${listing(named)}${wrong.length > named.length ? ', …' : ''}); such a pattern counts in no figure on that backend.`;
}

function failureLine(m: ReportModel): string | undefined {
  const failed = m.ran.flatMap((b) => b.patterns.flatMap((v) => v.failed.map((r) => ({ v, r }))));
  if (failed.length === 0) return undefined;
  const named = failed.slice(0, 4).map(({ v, r }) => `${where(v)} at ${r.size}`);
  return `**Failures:** ${count(failed.length, 'size')} could not be measured (${listing(named)}${failed.length > named.length ? ', …' : ''}); the errors are in DETAILS.md.`;
}

function pipelineLine(m: ReportModel): string | undefined {
  const overall = pipelineOverall(m);
  if (overall.length === 0) return undefined;
  return `**Pipelines, end to end** (each weighs one): ${overall.map((o) => `${o.backend} ${speedupWithCi(o.speedup)} over ${count(o.pipelines, 'pipeline')}, ${spanText(o.decision)}`).join(' · ')}.`;
}

function unavailableLine(m: ReportModel): string | undefined {
  if (m.unavailable.length === 0) return undefined;
  return `**Not measured:** ${listing(m.unavailable.map((b) => code(b.name)))} (unavailable here; reasons in DETAILS.md).`;
}

export function verdictSection(m: ReportModel): string {
  const lines = ['## Verdict', '', verdictLine(m), ''];
  if (m.ran.some((b) => b.families.length > 0)) lines.push(`${methodSentence(m)} Verdicts: ${verdictScale(m)}.`, '', familyTable(m), '');
  lines.push(...[pipelineLine(m), correctnessLine(m), failureLine(m), unavailableLine(m)].filter((x): x is string => x !== undefined).map((x) => `- ${x}`));
  return lines.join('\n');
}
