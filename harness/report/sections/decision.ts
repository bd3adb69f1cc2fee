/** Decision Matrix: the three rows, with the row that applies marked for each backend (both rows when the CI straddles). */
import type { Decision } from '../../core/types.ts';
import type { BackendView, ReportModel } from '../model.ts';
import { code, count, listing, speedupWithCi, times, timesRange } from '../format.ts';
import { table } from '../table.ts';
import { decisionCell } from '../text.ts';
import { pipelineOverall } from './pipelines.ts';

const ACTIONS: Readonly<Record<Decision, string>> = {
  'Deploy + Expand': 'use the fused path; fusing more patterns is worth building',
  'Deploy, stop expansion': 'use the fused path where it exists; build no new fused kernels',
  'Re-evaluate': 'do not count on fusion here; find out why before building more',
};

const ORDER: readonly Decision[] = ['Deploy + Expand', 'Deploy, stop expansion', 'Re-evaluate'];

/** Decisions an interval spans, from its lower end's to its upper end's. */
function spanned(lo: Decision, hi: Decision): Decision[] {
  const a = ORDER.indexOf(hi);
  const b = ORDER.indexOf(lo);
  return ORDER.slice(Math.min(a, b), Math.max(a, b) + 1);
}

function marks(m: ReportModel, row: Decision): string {
  const out: string[] = [];
  for (const b of m.ran) {
    if (!b.aggregate || !b.decision) continue;
    const d = b.decision;
    if (d.decision === row) {
      out.push(`◀ **${b.status.name}**: ${speedupWithCi(b.aggregate)}${d.inconclusive ? ' (point estimate)' : ''}`);
    } else if (d.inconclusive && spanned(d.inconclusive.lo, d.inconclusive.hi).includes(row)) {
      out.push(`◁ ${b.status.name}: within its CI`);
    }
  }
  for (const o of pipelineOverall(m)) {
    if (o.decision.point === row) out.push(`◀ **${o.backend}, pipelines end to end**: ${speedupWithCi(o.speedup)}${o.decision.lo !== o.decision.hi ? ' (point estimate)' : ''}`);
    else if (spanned(o.decision.lo, o.decision.hi).includes(row)) out.push(`◁ ${o.backend}, pipelines: within their CI`);
  }
  return out.join('; ');
}

function recommendation(m: ReportModel, b: BackendView): string {
  if (!b.aggregate || !b.decision) return `- **${b.status.name}:** no correct timed result, no decision.`;
  const clear = b.families
    .filter((f) => f.aggregate && f.aggregate.lo >= m.config.decisions.expand)
    .sort((x, y) => y.aggregate!.ratio - x.aggregate!.ratio)
    .map((f) => `${f.family} (${times(f.aggregate!.ratio)})`);
  const conditional = b.patterns.filter((v) => v.strategy === 'conditional').length;
  const d = b.decision;
  const parts = d.inconclusive
    ? [`${decisionCell(d)}: the CI spans both rows. What the data guarantees is the lower one: ${ACTIONS[d.inconclusive.lo]}.`]
    : [`${decisionCell(d)}: ${ACTIONS[d.decision]}.`];
  parts.push(clear.length
    ? `Families whose CI clears ${times(m.config.decisions.expand)}: ${listing(clear)}.`
    : `No family's CI clears ${times(m.config.decisions.expand)}.`);
  if (conditional) parts.push(`${count(conditional, 'pattern')} pay${conditional === 1 ? 's' : ''} off only at some sizes (Hardware-aware Strategy).`);
  if (b.excludedIncorrect.length) parts.push(`Left out because a fused result was wrong: ${listing(b.excludedIncorrect.map(code))}; fix those first.`);
  return `- **${b.status.name}:** ${parts.join(' ')}`;
}

export function decisionMatrix(m: ReportModel): string {
  const d = m.config.decisions;
  const rows = [
    [`≥ ${times(d.expand)}`, 'Deploy + Expand', ACTIONS['Deploy + Expand'], marks(m, 'Deploy + Expand')],
    [timesRange(d.deploy, d.expand), 'Deploy, stop expansion', ACTIONS['Deploy, stop expansion'], marks(m, 'Deploy, stop expansion')],
    [`< ${times(d.deploy)}`, 'Re-evaluate', ACTIONS['Re-evaluate'], marks(m, 'Re-evaluate')],
  ];
  return [
    '## Decision Matrix',
    '',
    'Applied to each backend\'s figure (the geometric mean over its families, see Verdict). ◀ marks our row, that of the point estimate; ' +
      '◁ marks other rows the CI reaches (the decision is then inconclusive).',
    '',
    table(['Speedup', 'Decision', 'Action', 'Applies to'], rows),
    '',
    '**Recommendation:**',
    ...(m.ran.length ? m.ran.map((b) => recommendation(m, b)) : ['No backend ran, so there is nothing to recommend.']),
  ].join('\n');
}
