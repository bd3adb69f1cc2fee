/**
 * MACRO-REPORT.md: the macro pipelines of a run in the shape of a macro-benchmark study (Executive Summary,
 * Methodology, one section per pipeline, Prediction vs Reality, Why, Honest Assessment, Decision Matrix,
 * Recommendation), one part per backend, every line computed from the run's results.json. Pure: no
 * measurement, no I/O, no clock. What is specific to a study (its wording, its claims) comes in through
 * `MacroReportOptions` from the study's own module, never from here.
 */
import type { Decision, Interval, RunResults } from '../core/types.ts';
import { currentConfig, type FusebenchConfig } from '../core/config.ts';
import { backendOverall, usable } from '../pipeline-results.ts';
import { decisionSpan } from '../core/verdicts.ts';
import { benchmarkSection, methodology, predictionVsReality, why, type MacroBackend } from './macro-sections.ts';
import { bullets, code, decisionMark, gainWords, listing, percent, speedupWithCi, times, timesRange, utcDate } from './format.ts';
import { table } from './table.ts';

export interface MacroReportOptions {
  readonly config?: FusebenchConfig;
  /** The report's title (default: "Macro pipelines: fusion end to end"). */
  readonly title?: string;
  /** The question the Decision Matrix answers (default: whether to expand fusion to more patterns). */
  readonly question?: string;
  /** What is being deployed, for the verdict line (default: "the fused kernels"). */
  readonly subject?: string;
  /** A target for fused ÷ copy of the same bytes (a study's performance target); none by default. */
  readonly copyTarget?: number;
  /** Sections rendered from the same results by the caller (a study's comparison with its claims), placed before the Decision Matrix of each backend. */
  readonly extraSections?: (backend: string) => readonly string[];
  /** Extra bullets of the Honest Assessment, by part, per backend (a study's claims checked against the data). */
  readonly assessment?: (backend: string) => Partial<Record<'works' | 'limits' | 'claims' | 'cannot', readonly string[]>>;
}

const ACTIONS: Readonly<Record<Decision, string>> = {
  'Deploy + Expand': 'use the fused kernels; fusing more patterns is worth building (profile first: `fusebench patterns <pipeline>`)',
  'Deploy, stop expansion': 'use the fused kernels where they exist; build no new fused kernels on this evidence',
  'Re-evaluate': 'the end-to-end gain does not pay for fusion here; find out why before building more',
};
const ORDER: readonly Decision[] = ['Deploy + Expand', 'Deploy, stop expansion', 'Re-evaluate'];

interface Overall {
  readonly speedup: Interval;
  readonly decision: { readonly point: Decision; readonly lo: Decision; readonly hi: Decision };
  readonly pipelines: number;
}

/** Sizes on the backend where a result was wrong, named for the verdict. */
function incorrect(b: MacroBackend): string[] {
  return b.pipelines.flatMap(({ p, sizes }) => sizes.filter((r) => r.status === 'ok' && !(r.correctness!.fused.ok && r.correctness!.unfused.ok)).map((r) => `${p.title} at ${r.size}`));
}

const conclusive = (o: Overall): boolean => o.decision.lo === o.decision.hi;

function executiveSummary(b: MacroBackend, o: Overall | undefined, opts: MacroReportOptions): string {
  const subject = opts.subject ?? 'the fused kernels';
  const wrong = incorrect(b);
  let verdict: string;
  if (wrong.length) verdict = `✗ INCORRECT: a result differs from the reference (${listing(wrong)}); a wrong fast kernel is a bug, so no speedup here counts`;
  else if (!o) verdict = '✗ NOT MEASURED: no pipeline size completed';
  else if (!conclusive(o)) verdict = `⚠ INCONCLUSIVE ON ${b.name.toUpperCase()}: the point estimate ${times(o.speedup.ratio)} reads "${o.decision.point}", but its CI spans "${o.decision.lo}" to "${o.decision.hi}"`;
  else verdict = `${decisionMark(o.decision.point)} ${o.decision.point.toUpperCase()} ON ${b.name.toUpperCase()}: ${speedupWithCi(o.speedup)} end to end`;
  const items = b.pipelines.map(({ p, summary }) => summary
    ? `**${p.title}:** ${speedupWithCi(summary.speedup)} (${gainWords(summary.speedup.ratio)}), geometric mean over ${summary.sizes} size(s)` +
      `${summary.predicted ? `; Amdahl predicted ${times(summary.predicted.ratio)} from this run's coverage and micro speedup (${summary.deltaPts! >= 0 ? '+' : '−'}${Math.abs(Math.round(summary.deltaPts!))} pts)` : ''}`
    : `**${p.title}:** not measured`);
  const copies = b.pipelines.flatMap(({ summary }) => (summary?.copy ? [summary.copy] : []));
  if (copies.length) {
    const best = Math.min(...copies.map((c) => c.best));
    const worst = Math.max(...copies.map((c) => c.worst));
    items.push(`**Against a plain copy of the same bytes:** the fused kernel takes ${times(best)}–${times(worst)} the copy's time${opts.copyTarget ? ` (target ≤ ${times(opts.copyTarget)})` : ''}`);
  }
  const decision = wrong.length ? 'Do not deploy: fix the wrong result first.'
    : !o ? 'No decision: nothing was measured on this backend.'
      : conclusive(o) ? `${o.decision.point}: ${ACTIONS[o.decision.point]}.`
        : `No firm decision: what the data guarantees is the lower row, "${o.decision.lo}" (${ACTIONS[o.decision.lo]}). More rounds on a quiet machine would settle it.`;
  return ['## Executive Summary', '', `**Verdict: ${verdict}**`, '', bullets(items), '', `**Decision for ${subject}:** ${decision}`].join('\n');
}

function honestAssessment(b: MacroBackend, opts: MacroReportOptions): string {
  const works: string[] = [];
  const limits: string[] = [];
  const claims: string[] = [];
  const cannot: string[] = [];
  const all = b.pipelines.flatMap(({ sizes }) => sizes);
  if (all.length && all.every((r) => r.status === 'ok' && r.correctness!.fused.ok && r.correctness!.unfused.ok)) {
    works.push(`✓ **Correct:** both pipelines match the reference at all ${all.length} pipeline sizes`);
  }
  for (const { p, sizes } of b.pipelines) {
    const ok = sizes.filter(usable);
    if (ok.length === 0) continue;
    const wins = ok.filter((r) => r.speedup!.lo > 1);
    const flat = ok.filter((r) => r.speedup!.lo <= 1 && r.speedup!.hi >= 1);
    const loses = ok.filter((r) => r.speedup!.hi < 1);
    if (wins.length) works.push(`✓ **${p.title}:** measurably faster fused at ${listing(wins.map((r) => `${r.size} (${times(r.speedup!.ratio)})`))}`);
    if (flat.length) limits.push(`⚠ **${p.title}:** no measurable end-to-end gain at ${listing(flat.map((r) => `${r.size} (${speedupWithCi(r.speedup!)})`))}: the CI includes 1×`);
    if (loses.length) limits.push(`⚠ **${p.title}:** the fused pipeline is slower at ${listing(loses.map((r) => `${r.size} (${speedupWithCi(r.speedup!)})`))}`);
    const minLo = Math.min(...ok.map((r) => r.speedup!.lo));
    claims.push(minLo > 1 && ok.length === sizes.length
      ? `✓ **"On ${b.name}, fusing ${listing(p.stages.filter((s) => s.group).map((s) => s.name))} speeds up the ${p.title.toLowerCase()} by at least ${times(minLo)} at every measured size"** (lowest CI bound)`
      : `No end-to-end speedup claim for the ${p.title.toLowerCase()} on ${b.name}: the lowest CI bound is ${times(minLo)}.`);
    const cmax = Math.max(...ok.map((r) => r.coverage!.runtime.ratio));
    if (cmax < 0.25) limits.push(`⚠ **Low coverage (${p.title}):** the fused stages are at most ${percent(cmax)} of its runtime, which caps any fusion gain at ${times(1 / (1 - cmax))}`);
    const off = ok.filter((r) => r.amdahl && (r.speedup!.lo > r.amdahl.predicted.hi || r.speedup!.hi < r.amdahl.predicted.lo));
    if (ok.every((r) => r.amdahl) && off.length === 0) works.push(`✓ **Amdahl holds (${p.title}):** measured and predicted intervals overlap at every size`);
    else if (off.length) limits.push(`⚠ **Amdahl misses (${p.title}):** the measured interval lies outside the predicted one at ${listing(off.map((r) => `${r.size} (${speedupWithCi(r.speedup!)} vs ${speedupWithCi(r.amdahl!.predicted)})`))}; see Why`);
    const pr = p.predictions[b.results.backends.find((x) => x.name === b.name)?.kind ?? 'cpu'];
    const s = b.pipelines.find((x) => x.p === p)?.summary;
    if (s && s.speedup.hi < pr.min) cannot.push(`❌ ~~"${p.title}: ${times(pr.min)} or more"~~ (declared from ${pr.source}; measured ${speedupWithCi(s.speedup)} on ${b.name})`);
    else if (s && s.speedup.lo < pr.min) cannot.push(`❌ "${p.title}: ${times(pr.min)} or more" as a firm number: the measured ${speedupWithCi(s.speedup)} is consistent with it but does not confirm it`);
  }
  const extra = opts.assessment?.(b.name) ?? {};
  works.push(...(extra.works ?? []));
  limits.push(...(extra.limits ?? []));
  claims.push(...(extra.claims ?? []));
  cannot.push(...(extra.cannot ?? []));
  cannot.push(`❌ Anything about other backends or machines: this part measured ${b.name} only, on one machine`);
  if (works.length === 0) works.push(`Nothing measured on ${b.name} clears its bar; see Limitations Found.`);
  if (limits.length === 0) limits.push('None found in this run.');
  return [
    '## Honest Assessment',
    '', '### What Works', '', bullets(works),
    '', '### Limitations Found', '', bullets(limits),
    '', '### Conservative Claims We Can Make', '', bullets(claims),
    '', '### What We Still Cannot Claim', '', bullets(cannot),
  ].join('\n');
}

function decisionMatrix(b: MacroBackend, o: Overall | undefined, opts: MacroReportOptions): string {
  const d = b.config.decisions;
  const wrong = incorrect(b).length > 0;
  const span = o ? ORDER.slice(Math.min(ORDER.indexOf(o.decision.hi), ORDER.indexOf(o.decision.lo)), Math.max(ORDER.indexOf(o.decision.hi), ORDER.indexOf(o.decision.lo)) + 1) : [];
  const mark = (row: Decision): string => {
    if (!o || wrong) return '';
    if (o.decision.point === row) return conclusive(o) ? '◀ **THIS IS US**' : '◀ **THIS IS US** (point estimate; the CI spans other rows)';
    return span.includes(row) ? '◁ within the CI' : '';
  };
  const perPipeline = b.pipelines.flatMap(({ p, summary }) => {
    if (!summary) return [];
    const s = decisionSpan(summary.speedup, d);
    return [[p.title, speedupWithCi(summary.speedup), s.lo === s.hi ? s.point : `${s.point} (CI: ${s.lo} … ${s.hi})`]];
  });
  return [
    '## Decision Matrix',
    '',
    `**${opts.question ?? 'Should we expand fusion to more patterns?'}**`,
    '',
    table(['End-to-end speedup', 'Decision', 'Action', ''], [
      [`≥ ${times(d.expand)}`, 'Deploy + Expand', ACTIONS['Deploy + Expand'], mark('Deploy + Expand')],
      [timesRange(d.deploy, d.expand), 'Deploy, stop expansion', ACTIONS['Deploy, stop expansion'], mark('Deploy, stop expansion')],
      [`< ${times(d.deploy)}`, 'Re-evaluate', ACTIONS['Re-evaluate'], mark('Re-evaluate')],
    ]),
    '',
    o ? `**Measured on ${b.name}: ${speedupWithCi(o.speedup)}**, the geometric mean over ${o.pipelines} pipeline(s) (each the geometric mean over its correct sizes).` : '**Measured: nothing**',
    '',
    perPipeline.length ? table(['Pipeline', 'Speedup', 'Row'], perPipeline) : '',
  ].join('\n');
}

function recommendation(b: MacroBackend, o: Overall | undefined, opts: MacroReportOptions): string {
  const subject = opts.subject ?? 'the fused kernels';
  const lines: string[] = [];
  if (incorrect(b).length) lines.push(`✗ **Do not deploy ${subject} on ${b.name}:** ${listing(incorrect(b))} disagree with the reference.`);
  else if (!o) lines.push('No recommendation: nothing measured.');
  else if (!conclusive(o)) lines.push(`⚠ **No firm recommendation on ${b.name}:** ${speedupWithCi(o.speedup)} crosses a decision threshold. Re-run with more rounds on a quiet machine before deciding.`);
  else lines.push(`${decisionMark(o.decision.point)} **${o.decision.point} on ${b.name}** (${speedupWithCi(o.speedup)}): ${ACTIONS[o.decision.point]}.`);
  for (const { p, summary } of b.pipelines) {
    if (summary && summary.coverage < 0.25) lines.push(`→ ${p.title}: coverage is ${percent(summary.coverage)}; fuse more of the runtime rather than this group harder (\`fusebench patterns ${p.id}\` ranks what else could fuse).`);
    if (summary?.copy && opts.copyTarget && summary.copy.worst > opts.copyTarget) lines.push(`→ ${p.title}: the fused kernel is up to ${times(summary.copy.worst)} a plain copy of its bytes (target ≤ ${times(opts.copyTarget)}); there is room in the kernel itself.`);
  }
  return ['## Recommendation', '', lines.join('\n\n')].join('\n');
}

function backendPart(results: RunResults, name: string, config: FusebenchConfig, opts: MacroReportOptions): string {
  const pipelines = (results.pipelines ?? []).flatMap((p) => {
    const sizes = p.results.filter((r) => r.backend === name);
    const summary = p.summary.find((s) => s.backend === name);
    return sizes.length ? [{ p, sizes, ...(summary ? { summary } : {}) }] : [];
  });
  const b: MacroBackend = { results, config, name, pipelines, ...(opts.copyTarget ? { copyTarget: opts.copyTarget } : {}) };
  const status = results.backends.find((x) => x.name === name);
  const o = incorrect(b).length ? undefined : backendOverall(pipelines.map((x) => x.p), name, config);
  const m = results.machine;
  const head = [
    `# ${opts.title ?? 'Macro pipelines: fusion end to end'} — ${name}`,
    '',
    `**Date:** ${utcDate(results.createdAt)}`,
    `**Machine:** ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, tfjs ${m.tfjs}${m.gpu ? `, GPU ${m.gpu}` : ''} (host ${m.hostname})`,
    `**Backend:** ${name}: ${status?.device?.description ?? status?.reason ?? 'no description'}`,
    `**Command:** ${code(results.command)}${results.quick ? ' (quick sizes)' : ''}`,
  ];
  return [
    ...head, '', '---', '',
    executiveSummary(b, o, opts), '', '---', '',
    '## Methodology', '', methodology(b), '', '---', '',
    ...pipelines.flatMap((x, i) => [benchmarkSection(b, i + 1, x), '', '---', '']),
    predictionVsReality(b, status?.kind ?? 'cpu'), '', '---', '',
    why(b), '', '---', '',
    honestAssessment(b, opts), '', '---', '',
    ...(opts.extraSections?.(name) ?? []).flatMap((x) => [x.trim(), '', '---', '']),
    decisionMatrix(b, o, opts), '', '---', '',
    recommendation(b, o, opts), '',
  ].join('\n');
}

/** Backends with pipeline results, in the order results.json lists backends. */
export function macroBackends(results: RunResults): string[] {
  const used = new Set((results.pipelines ?? []).flatMap((p) => p.results.map((r) => r.backend)));
  return results.backends.map((b) => b.name).filter((n) => used.has(n));
}

/** The whole file: an index of backends, then one part per backend. Undefined when the run measured no pipeline. */
export function renderMacroReport(results: RunResults, opts: MacroReportOptions = {}): string | undefined {
  if (!results.pipelines?.length) return undefined;
  const config = opts.config ?? currentConfig();
  const backends = macroBackends(results);
  const index = table(['Backend', 'Pipelines', 'End-to-end speedup (geomean)', 'Decision'], backends.map((name) => {
    const o = backendOverall(results.pipelines!, name, config);
    const wrong = results.pipelines!.some((p) => p.summary.some((s) => s.backend === name && s.incorrect.length > 0));
    return [
      name,
      String(results.pipelines!.filter((p) => p.results.some((r) => r.backend === name)).length),
      o ? speedupWithCi(o.speedup) : '—',
      wrong ? '✗ incorrect results' : o ? (o.decision.lo === o.decision.hi ? o.decision.point : `inconclusive (point estimate: ${o.decision.point})`) : '—',
    ];
  }));
  return [
    `# ${opts.title ?? 'Macro pipelines: fusion end to end'}`,
    '',
    `Generated ${utcDate(results.createdAt)} by ${code(results.command)}${results.quick ? ' (quick sizes)' : ''}. Every number comes from this run's results.json; a declared prediction appears only where labelled with its source.`,
    '',
    index,
    ...backends.flatMap((name) => ['', '', backendPart(results, name, config, opts)]),
  ].join('\n');
}
