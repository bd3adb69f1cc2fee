/**
 * MACRO-REPORT.md: the macro-benchmark study's shape (Executive Summary with verdict, Methodology, per-benchmark
 * Results, Analysis, Comparison: Prediction vs Reality, Decision Matrix, Honest Assessment, Next Steps), one
 * report per backend, every line computed from a MacroStudyResults. Pure: no measurement, no I/O.
 */
import type { MacroBackendResult, MacroStudyResults, PipelineResult } from '../pipeline/results.ts';
import { usable } from '../pipeline/summary.ts';
import { benchmarkSection, comparisonSection, copySection, methodology, microSection, pipelineSummary, type BackendContext } from './macro-sections.ts';
import { bullets, ci, decisionWithCi, gainWords, mib, pct, pts, table, times } from './macro-format.ts';

const VERDICT_WORDS = {
  'Deploy + Expand': (b: string) => `✓ DEPLOY PHASE 4.1 ON ${b.toUpperCase()} — fusion gives a real end-to-end gain`,
  'Deploy, stop expansion': (b: string) => `⚠ DEPLOY PHASE 4.1 ON ${b.toUpperCase()}, STOP EXPANSION — the end-to-end gain is small`,
  'Re-evaluate': (b: string) => `✗ RE-EVALUATE PHASE 4.1 ON ${b.toUpperCase()} — no worthwhile end-to-end gain`,
} as const;

function incorrectSizes(b: MacroBackendResult): string[] {
  const out = b.pipelines.flatMap((p) => p.results.filter((r) => r.status === 'ok' && r.correctness && !r.correctness.ok).map((r) => `${p.title} ${r.size}`));
  for (const r of b.micro?.results ?? []) if (r.status === 'ok' && r.correctness && !r.correctness.fused.ok) out.push(`micro ${r.size}`);
  return out;
}

function executiveSummary(ctx: BackendContext): string {
  const { b, study, name } = ctx;
  const t = study.decisions;
  const overall = b.summary.overall;
  const wrong = incorrectSizes(b);
  let verdict: string;
  let decisionText: string;
  if (wrong.length) {
    verdict = `✗ INCORRECT — the fused kernel's results differ from the reference (${wrong.join(', ')})`;
    decisionText = 'Do not deploy: a wrong fast kernel is a bug. Fix correctness before reading any speedup.';
  } else if (!overall) {
    verdict = '✗ NOT MEASURED — no pipeline size completed';
    decisionText = 'No decision: nothing was measured on this backend.';
  } else {
    const d = decisionWithCi(overall, t);
    verdict = d.conclusive
      ? VERDICT_WORDS[d.decision](name)
      : `⚠ INCONCLUSIVE ON ${name.toUpperCase()} — the point estimate ${times(overall.ratio)} reads "${d.decision}", but the 95% CI [${overall.lo.toFixed(2)}, ${overall.hi.toFixed(2)}] spans "${d.lo}" to "${d.hi}"`;
    decisionText = !d.conclusive
      ? `No firm decision on ${name}: the interval crosses a decision threshold. The point estimate favours "${d.decision}"; more rounds on a quieter machine would settle it.`
      : d.decision === 'Deploy + Expand'
      ? `Deploy Phase 4.1 on ${name}. Phase 4.2/4.3 is worth investigating — profile first (\`fusebench patterns\`), then build the top patterns only.`
      : d.decision === 'Deploy, stop expansion'
        ? `Deploy Phase 4.1 on ${name}, but do not expand to Phase 4.2/4.3 on this evidence.`
        : `Do not deploy on this evidence: the end-to-end gain on ${name} does not reach ${times(t.deploy)}.`;
  }
  const items: string[] = [];
  for (const [label, p] of [['Image processing', ctx.image], ['Neural network', ctx.neural]] as const) {
    const s = pipelineSummary(ctx, p);
    items.push(s ? `**${label}:** ${ci(s.macro)} speedup (${gainWords(s.macro.ratio)}), geometric mean over ${s.sizes} size(s)` : `**${label}:** not measured`);
  }
  const preds = [ctx.image, ctx.neural].map((p) => pipelineSummary(ctx, p)).filter((s) => s !== undefined);
  if (preds.length) {
    items.push(`**Against the Amdahl prediction from our own micro speedup and coverage:** ${preds.map((s) => `${s!.kind} predicted ${times(s!.prediction.ratio)}, measured ${times(s!.macro.ratio)} (${pts(s!.macro.ratio - s!.prediction.ratio)})`).join('; ')}`);
  }
  const m = b.summary.micro;
  items.push(m ? `**Micro (fused kernel alone):** ${times(m.geomean)} geometric mean over ${m.sizes} size(s) (${times(m.min)}–${times(m.max)}); the study claimed ${times(study.study.microSpeedup)}` : '**Micro:** not measured');
  const c = b.summary.copy;
  if (c) items.push(`**Memory-bound check:** the fused kernel runs within ${study.copyTarget}× of a plain copy of the same bytes at ${c.within} of ${c.of} size(s) (${times(c.best)}–${times(c.worst)})`);
  return ['## Executive Summary', '', `**Verdict: ${verdict}**`, '', bullets(items), '', `**Decision:** ${decisionText}`].join('\n');
}

function decisionMatrix(ctx: BackendContext): string {
  const t = ctx.study.decisions;
  const overall = ctx.b.summary.overall;
  const d = overall ? decisionWithCi(overall, t) : undefined;
  const wrong = incorrectSizes(ctx.b).length > 0;
  const mark = (row: string): string => {
    if (!d || wrong) return '';
    if (d.decision === row) return d.conclusive ? '✓ **THIS IS US**' : '✓ **THIS IS US** (point estimate; the 95% CI spans other rows)';
    return !d.conclusive && (d.lo === row || d.hi === row) ? '(within the 95% CI)' : '';
  };
  const rec: string[] = [];
  if (!overall) rec.push('No recommendation: nothing measured.');
  else if (incorrectSizes(ctx.b).length) rec.push('✗ **DO NOT DEPLOY**: the fused kernel disagrees with the reference; speed is irrelevant until it is fixed.');
  else if (!d!.conclusive) {
    rec.push(`⚠ **NO FIRM RECOMMENDATION ON ${ctx.name.toUpperCase()}**: ${ci(overall)} crosses a decision threshold (point estimate: "${d!.decision}"). Re-run with more rounds before deciding.`);
  } else if (d!.decision === 'Deploy + Expand') {
    rec.push(`✓ **DEPLOY PHASE 4.1 ON ${ctx.name.toUpperCase()}** — ${ci(overall)} end to end`);
    rec.push('✓ **PHASE 4.2/4.3 WORTH INVESTIGATING**, data-driven: rank candidate pairs with `fusebench patterns <pipeline>` and build the top 3–5 only.');
  } else if (d!.decision === 'Deploy, stop expansion') {
    rec.push(`⚠ **DEPLOY PHASE 4.1 ON ${ctx.name.toUpperCase()}** (${ci(overall)}), **no expansion**: the gain does not justify more fusion patterns on this backend.`);
  } else {
    rec.push(`✗ **RE-EVALUATE**: ${ci(overall)} end to end is below ${times(t.deploy)}. Fusion of this pattern does not pay on ${ctx.name} in these pipelines.`);
  }
  return [
    '## Decision Matrix',
    '',
    '### Original Question',
    '**"Should we invest in Phase 4.2/4.3 (more fusion patterns)?"**',
    '',
    '### Decision Criteria',
    '',
    table(['Macro Speedup', 'Decision', 'Action'], [
      [`≥ ${t.expand.toFixed(2)}×`, 'Deploy + Expand', mark('Deploy + Expand')],
      [`${t.deploy.toFixed(2)}–${t.expand.toFixed(2)}×`, 'Deploy, Stop expansion', mark('Deploy, stop expansion')],
      [`< ${t.deploy.toFixed(2)}×`, 'Re-evaluate', mark('Re-evaluate')],
    ]),
    '',
    overall ? `**Measured: ${ci(overall)} (${gainWords(overall.ratio)}), geometric mean over every pipeline size on ${ctx.name}**` : '**Measured: nothing**',
    '',
    '### Recommendation',
    '',
    rec.join('\n\n'),
  ].join('\n');
}

function honestAssessment(ctx: BackendContext): string {
  const { b, study, name } = ctx;
  const works: string[] = [];
  const limits: string[] = [];
  const claims: string[] = [];
  const cannot: string[] = [];
  const allSizes = b.pipelines.flatMap((p) => p.results);
  const ok = b.pipelines.flatMap((p) => p.results.filter(usable).map((r) => ({ p, r })));
  if (allSizes.length && allSizes.every((r) => r.status === 'ok' && r.correctness?.ok)) {
    works.push(`✓ **Exact results:** both pipelines match the float64 reference at all ${allSizes.length} pipeline sizes, with trit validation on`);
  }
  for (const p of b.pipelines) {
    const good = p.results.filter(usable);
    if (good.length === 0) continue;
    const wins = good.filter((r) => r.macro!.lo > 1);
    const flat = good.filter((r) => r.macro!.lo <= 1 && r.macro!.hi >= 1);
    const loses = good.filter((r) => r.macro!.hi < 1);
    if (wins.length) works.push(`✓ **${p.title}:** measurably faster fused at ${wins.map((r) => `${r.size} (${times(r.macro!.ratio)})`).join(', ')}`);
    if (flat.length) limits.push(`⚠ **${p.title}:** no measurable end-to-end gain at ${flat.map((r) => `${r.size} (${ci(r.macro!)})`).join(', ')} — the CI includes 1×`);
    if (loses.length) limits.push(`⚠ **${p.title}:** the fused pipeline is slower at ${loses.map((r) => `${r.size} (${ci(r.macro!)})`).join(', ')}`);
    const minLo = Math.min(...good.map((r) => r.macro!.lo));
    if (minLo > 1 && good.length === p.results.length) {
      claims.push(`✓ **"On ${name}, Phase 4.1 fusion speeds up the ${p.title.toLowerCase()} by at least ${times(minLo)} at every measured size (${good[0].size} to ${good[good.length - 1].size})"** (lowest 95% CI bound)`);
    } else {
      claims.push(`No end-to-end speedup claim for the ${p.title.toLowerCase()} on ${name}: the lowest 95% CI bound is ${times(minLo)}.`);
    }
    const cmax = Math.max(...good.map((r) => r.coverage!.runtimeShare.ratio));
    if (cmax < 0.25) limits.push(`⚠ **Low coverage in the ${p.title.toLowerCase()}:** the fused stages are at most ${pct(cmax)} of its unfused runtime, which caps any fusion gain at ${times(1 / (1 - cmax))}`);
  }
  const sum = ok.map(({ r }) => Math.abs(r.macro!.ratio - r.prediction!.ratio));
  if (sum.length && Math.max(...sum) <= 0.05) {
    works.push(`✓ **Amdahl predicts the macro result:** within ${pts(Math.max(...sum)).replace('+', '')} at every size, from the measured micro speedup and runtime coverage`);
    claims.push(`✓ **"Amdahl's law with measured coverage and micro speedup predicts the end-to-end speedup on ${name} to within ${Math.round(Math.max(...sum) * 100)} pts"**`);
  }
  const m = b.micro;
  const microOk = m?.results.filter((r) => r.status === 'ok' && r.speedup) ?? [];
  if (microOk.length) {
    const faster = microOk.filter((r) => r.speedup!.lo > 1);
    if (faster.length) works.push(`✓ **Micro:** the fused kernel alone beats tadd → tnot at ${faster.length} of ${microOk.length} sizes (${faster.map((r) => `${r.size} ${times(r.speedup!.ratio)}`).join(', ')})`);
    const slow = microOk.filter((r) => r.speedup!.hi < 1.1);
    if (slow.length) limits.push(`⚠ **Micro sizes with little or no gain:** ${slow.map((r) => `${r.size} (${ci(r.speedup!)})`).join(', ')}`);
    if (faster.length === microOk.length) {
      const lo = Math.min(...microOk.map((r) => r.speedup!.lo));
      claims.push(`✓ **"The fused tnot∘tadd kernel alone is at least ${times(lo)} faster than tadd then tnot on ${name}, ${microOk[0].size} to ${microOk[microOk.length - 1].size}"**`);
    }
  }
  const copies = ok.flatMap(({ p, r }) => (r.groups ?? []).flatMap((g) => (g.copy ? [{ p, r, g }] : [])));
  const within = copies.filter(({ g }) => g.copy!.ratio.ratio <= study.copyTarget);
  const outside = copies.filter(({ g }) => g.copy!.ratio.ratio > study.copyTarget);
  if (within.length) works.push(`✓ **Near the memory-bound limit:** within ${study.copyTarget}× of a plain copy at ${within.map(({ r, g }) => `${r.size} (${times(g.copy!.ratio.ratio)})`).join(', ')}`);
  if (outside.length) limits.push(`⚠ **Not at the memory-bound limit:** the fused kernel takes ${outside.map(({ r, g }) => `${times(g.copy!.ratio.ratio)} a copy at ${r.size}`).join(', ')} (target ${study.copyTarget}×)`);
  const readShares = ok.filter(({ r }) => r.timing !== 'wall').map(({ r }) => 1 - r.fused!.compute.medianMs / r.fused!.wall.medianMs);
  if (readShares.length && Math.max(...readShares) > 0.2) limits.push(`⚠ **Read-back is a large share:** up to ${pct(Math.max(...readShares))} of the fused pipeline's wall time is reading the result back to the host; fusion cannot shorten it`);
  const biggest = ok.flatMap(({ r }) => (r.groups ?? []).map((g) => g.bytesFused)).sort((x, y) => y - x)[0];
  limits.push(`⚠ **int32 storage:** tfjs has no int8 dtype, so every trit costs 4 bytes${biggest ? ` (the largest fused kernel here moves ${mib(biggest)}; int8 would move ${mib(biggest / 4)})` : ''}`);
  if (works.length === 0) works.push(`Nothing measured on ${name} clears its bar; see Limitations Found.`);

  const claimsStudy = study.study;
  const s = b.summary;
  /** A study claim against a measured interval: struck through when the interval lies below it, flagged when it merely contains it. */
  const judgeClaim = (text: string, claimLo: number, measured: { ratio: number; lo: number; hi: number } | undefined, where: string): void => {
    if (!measured) return;
    if (measured.hi < claimLo) cannot.push(`❌ ~~"${text}"~~ (measured ${ci(measured)}${where})`);
    else if (measured.lo < claimLo) cannot.push(`❌ "${text}" as a firm number: the measured ${ci(measured)}${where} is consistent with it but does not confirm it`);
  };
  judgeClaim('Phase 4.1 fusion provides 25-40% speedup in realistic ternary pipelines', 1.25, s.overall, ` on ${name}`);
  const img = pipelineSummary(ctx, ctx.image);
  const nn = pipelineSummary(ctx, ctx.neural);
  judgeClaim(`Image processing sees ${times(claimsStudy.imageMacro)}`, claimsStudy.imageMacro, img?.macro, '');
  judgeClaim(`Neural network layer sees ${times(claimsStudy.neuralMacro)}`, claimsStudy.neuralMacro, nn?.macro, '');
  if (microOk.length) {
    const below = microOk.filter((r) => r.speedup!.hi < claimsStudy.microSpeedup);
    if (below.length === microOk.length) cannot.push(`❌ ~~"Micro speedup: ${times(claimsStudy.microSpeedup)}"~~ (every micro size's CI lies below it on ${name}; geometric mean ${times(s.micro!.geomean)})`);
    else if (below.length) cannot.push(`❌ "Micro speedup: ${times(claimsStudy.microSpeedup)}" at every size: on ${name} the CI lies below it at ${below.map((r) => r.size).join(', ')}`);
  }
  if (s.overall && s.overallPrediction !== undefined && s.overall.lo <= s.overallPrediction) {
    cannot.push(`❌ "Macro speedup exceeds micro-kernel predictions" (measured ${ci(s.overall)} vs predicted ${times(s.overallPrediction)}: ${s.overall.hi < s.overallPrediction ? 'below it' : 'not distinguishable'})`);
  }
  cannot.push(`❌ Anything about other backends or machines: this report measured ${name} only, on one machine`);
  cannot.push('❌ int8 speed: the "quarter of the bytes" is a byte count, not a measurement');
  cannot.push('❌ Real applications: both workloads are the study\'s synthetic pipelines');
  return [
    '## Honest Assessment',
    '', '### What Works', '', bullets(works),
    '', '### Limitations Found', '', bullets(limits),
    '', '### Conservative Claims We Can Make', '', bullets(claims),
    '', '### What We Still Cannot Claim', '', bullets(cannot),
  ].join('\n');
}

function nextSteps(ctx: BackendContext, others: readonly string[]): string {
  const { b, study, name } = ctx;
  const steps: string[] = [];
  const d = b.summary.overall ? decisionWithCi(b.summary.overall, study.decisions).decision : undefined;
  if (incorrectSizes(b).length) steps.push(`→ Fix the fused kernel on ${name}: it disagrees with the reference`);
  const worstCopy = b.summary.copy;
  if (worstCopy && worstCopy.worst > study.copyTarget) steps.push(`→ Optimise the ${name} fused kernel toward the copy limit: worst ratio ${times(worstCopy.worst)} (target ${study.copyTarget}×)`);
  for (const p of [ctx.image, ctx.neural]) {
    const s = pipelineSummary(ctx, p);
    if (s && s.coverage < 0.25) steps.push(`→ ${p!.title}: fuse more of the runtime, not this pair harder — coverage is ${pct(s.coverage)}; \`fusebench patterns ${p!.id}\` ranks what else could fuse`);
  }
  if (d === 'Deploy + Expand') steps.push('→ Profile real ternary applications with `fusebench patterns`, implement the top 3–5 Phase 4.2 patterns (all 16 are generated and in suites/ternary/), measure macro impact again');
  else if (d) steps.push('→ Do not expand to Phase 4.2/4.3 on this backend until a pipeline shows ≥ 1.10× end to end');
  steps.push('→ Trit storage: int8 (¼ of the bytes) or 2-bit packing needs a dtype tfjs lacks; measure a packed kernel before claiming its gain');
  if (others.length) steps.push(`→ Compare with the other backends in this run: ${others.join(', ')}`);
  return ['## Next Steps', '', bullets(steps)].join('\n');
}

export function renderBackendReport(study: MacroStudyResults, b: MacroBackendResult): string {
  const name = b.backend.name;
  const find = (kind: PipelineResult['kind']): PipelineResult | undefined => b.pipelines.find((p) => p.kind === kind);
  const ctx: BackendContext = { study, b, name, image: find('image'), neural: find('neural') };
  const head = [
    `# Macro Benchmark Results: Phase 4.1 Fusion Validation — ${name}`,
    '',
    `**Date:** ${study.createdAt.slice(0, 10)} (${study.createdAt})`,
    `**Machine:** ${study.machine.cpuModel}, ${study.machine.cores} cores, ${study.machine.memoryGiB} GiB, ${study.machine.os}, Node ${study.machine.node}, tfjs ${study.machine.tfjs}${study.machine.gpu ? `, GPU ${study.machine.gpu}` : ''} (host ${study.machine.hostname})`,
    `**Backend:** ${name} — ${b.backend.device?.description ?? b.backend.reason ?? 'no description'}`,
    `**Command:** \`${study.command}\`${study.quick ? ' (quick sizes)' : ''}`,
    '**Goal:** Measure the end-to-end speedup of the Phase 4.1 fused kernel in realistic pipelines on this backend, and check the study\'s claims against it.',
  ];
  if (!b.backend.available) {
    return [...head, '', '---', '', `**Not measured:** ${b.backend.reason ?? 'backend unavailable'}${b.backend.installHint ? ` (${b.backend.installHint})` : ''}`].join('\n');
  }
  const benchmarks = [ctx.image, ctx.neural, ...b.pipelines.filter((p) => p.kind === 'other')].filter((p): p is PipelineResult => p !== undefined);
  const others = study.backends.filter((x) => x !== b && x.backend.available).map((x) => x.backend.name);
  return [
    ...head, '', '---', '',
    executiveSummary(ctx), '', '---', '',
    '## Methodology', '', methodology(ctx), '', '---', '',
    ...benchmarks.flatMap((p, i) => [benchmarkSection(ctx, p, i + 1), '', '---', '']),
    microSection(ctx), '', copySection(ctx), '', '---', '',
    comparisonSection(ctx), '', '---', '',
    honestAssessment(ctx), '', '---', '',
    decisionMatrix(ctx), '', '---', '',
    nextSteps(ctx, others), '',
  ].join('\n');
}

function decisionCell(o: MacroBackendResult['summary']['overall'] & object, t: MacroStudyResults['decisions'], wrong: boolean): string {
  if (wrong) return '✗ incorrect results';
  const d = decisionWithCi(o, t);
  return d.conclusive ? d.decision : `inconclusive (point estimate: ${d.decision})`;
}

/** The whole file: an index, then one full report per backend. */
export function renderMacroReport(study: MacroStudyResults): string {
  const index = table(['Backend', 'Status', 'Overall macro speedup', 'Micro (geomean)', 'Decision'], study.backends.map((b) => {
    const o = b.summary.overall;
    return [
      b.backend.name,
      b.backend.available ? 'measured' : `not measured: ${b.backend.reason ?? ''}`,
      o ? ci(o) : '—',
      b.summary.micro ? times(b.summary.micro.geomean) : '—',
      o ? decisionCell(o, study.decisions, incorrectSizes(b).length > 0) : '—',
    ];
  }));
  return [
    '# fusebench macro study: ternary fusion, end to end',
    '',
    `Generated ${study.createdAt} by \`${study.command}\`${study.quick ? ' (quick sizes)' : ''}. Every number below comes from this run; the study's own figures appear only where labelled "Study".`,
    '',
    index,
    '',
    ...study.backends.flatMap((b) => ['', renderBackendReport(study, b)]),
  ].join('\n');
}
