/**
 * REPORT.md's Honest Assessment: the four parts of the studies in at most six lines each, at the level of families
 * and backends (the figures the decision rests on). Every line comes from a rule over the data: a rule whose
 * evidence is absent writes nothing, and a claim is made only where the whole CI (processes, then rounds) supports
 * it. The per-pattern findings, all of them, are in DETAILS.md.
 */
import type { BackendView, FamilyView, ReportModel } from '../model.ts';
import { measuredFamilies } from '../model.ts';
import { count, listing, oneLine, percent, percentRange, speedupWithCi, times, verdictLabel } from '../format.ts';
import { breakdown } from '../kernels.ts';
import { detailsLink, machinePhrase, where } from '../text.ts';
import { timingSpread } from './methodology.ts';
import { FULL_ASSESSMENT_TITLE } from './assessment.ts';

/** Lines per part. */
const MOST = 6;
const NOISY_SPREAD = 0.1;
const FULL = detailsLink('every per-pattern finding', FULL_ASSESSMENT_TITLE);

const fam = (f: FamilyView): string => `${f.family} ${speedupWithCi(f.aggregate!)}`;
const views = (m: ReportModel) => m.ran.flatMap((b) => b.patterns);

function capped(items: readonly string[]): string[] {
  if (items.length <= MOST) return [...items];
  return [...items.slice(0, MOST - 1), `…and ${items.length - MOST + 1} more: ${FULL}.`];
}

function works(m: ReportModel): string[] {
  const out: string[] = [];
  const timed = views(m).flatMap((v) => v.timed);
  const wrong = views(m).flatMap((v) => v.incorrect);
  if (timed.length && wrong.length === 0) out.push(`✓ Every fused result matched float64 within tolerance: ${timed.length} checks, ${count(m.results.patterns.length, 'pattern')}, ${count(m.ran.length, 'backend')}.`);
  for (const b of m.ran) {
    const clear = measuredFamilies(b).filter((f) => f.aggregate!.lo >= m.config.verdicts.moderate).sort((x, y) => y.aggregate!.ratio - x.aggregate!.ratio);
    if (clear.length) out.push(`✓ ${b.status.name}: ${listing(clear.map(fam))} (family geometric means, CI lower bound ≥ ${times(m.config.verdicts.moderate)}).`);
  }
  const clean = views(m).filter((v) => v.aggregate && v.incorrect.length === 0);
  const lessMemory = clean.filter((v) => v.memory && v.memory.max > 0.005);
  if (lessMemory.length) {
    const lo = Math.min(...lessMemory.map((v) => Math.max(0, v.memory!.min)));
    const hi = Math.max(...lessMemory.map((v) => v.memory!.max));
    out.push(`✓ Fused calls allocate ${percentRange(lo, hi)} fewer bytes in ${lessMemory.length} of ${clean.length} pattern × backend pairs (measured).`);
  }
  const collapsed = views(m).filter((v) => v.kernels && v.kernels.maxCompute === 1 && v.timed.every((r) => breakdown(r.unfused!.kernels).compute.length > 1));
  if (collapsed.length) out.push(`✓ One compute kernel instead of several in ${collapsed.length} of ${views(m).filter((v) => v.timed.length).length} pattern × backend pairs.`);
  return out.length ? capped(out) : ['Nothing in this run qualifies: no pattern has a correct, timed result.'];
}

function limitations(m: ReportModel): string[] {
  const out: string[] = [];
  const wrong = views(m).filter((v) => v.incorrect.length);
  if (wrong.length) out.push(`✗ Wrong fused results: ${listing(wrong.slice(0, 3).map((v) => `${where(v)} at ${listing(v.incorrect.map((r) => r.size))}`))}${wrong.length > 3 ? ', …' : ''}.`);
  const failed = views(m).flatMap((v) => v.failed);
  if (failed.length) out.push(`✗ ${count(failed.length, 'size')} failed to run (errors in DETAILS.md).`);
  for (const b of m.ran) {
    const poor = measuredFamilies(b).filter((f) => f.aggregate!.hi < m.config.verdicts.moderate && !f.verdict?.inconclusive);
    if (poor.length) out.push(`⚠ ${b.status.name}: fusion does not clearly pay in ${listing(poor.map((f) => `${fam(f)} (${verdictLabel(f.verdict!.verdict)})`))}.`);
  }
  const unclear = m.ran.flatMap((b) => measuredFamilies(b).filter((f) => f.verdict?.inconclusive));
  if (unclear.length) out.push(`⚠ Inconclusive families (CI spans two verdicts): ${listing(unclear.map((f) => `${f.family} on ${f.backend}`))}.`);
  const spread = timingSpread(m);
  if (spread && spread.median > NOISY_SPREAD) out.push(`⚠ Noisy timings: median p10–p90 spread ${percent(spread.median)} of the median, so CIs are wide.`);
  const single = m.ran.filter((b) => b.status.device?.threadsUsed === false);
  if (single.length) out.push(`⚠ ${listing(single.map((b) => b.status.name))} ran single-threaded, so no multi-threaded figure exists.`);
  if (m.unavailable.length) out.push(`⚠ Not measured: ${listing(m.unavailable.map((b) => `${b.name} (${oneLine(b.reason ?? 'unavailable', 60)})`))}.`);
  return out.length ? capped(out) : ['No limitation showed in the data of this run.'];
}

function backendClaim(b: BackendView): string | undefined {
  if (!b.aggregate || !b.decision || b.decision.inconclusive) return undefined;
  return `✓ "Across the families measured, fusion on ${b.status.name} averages ${times(b.aggregate.ratio)}" (CI ${speedupWithCi(b.aggregate).replace(/^\S+ /, '')}: ${b.decision.decision}).`;
}

function claims(m: ReportModel): string[] {
  const out: string[] = [];
  for (const b of m.ran) {
    const claim = backendClaim(b);
    if (claim) out.push(claim);
    const fast = measuredFamilies(b).filter((f) => f.aggregate!.lo >= m.config.verdicts.moderate);
    if (fast.length) out.push(`✓ "On ${b.status.name}, fusing gains at least ${listing(fast.map((f) => `${times(f.aggregate!.lo)} for ${f.family}`))} patterns" (CI lower bounds of the family means).`);
    const slow = measuredFamilies(b).filter((f) => f.aggregate!.hi < m.config.verdicts.minimal);
    if (slow.length) out.push(`✓ "On ${b.status.name}, fusing ${listing(slow.map((f) => f.family))} patterns slows them down" (CI upper bounds ${listing(slow.map((f) => times(f.aggregate!.hi)))}).`);
  }
  const correct = m.results.patterns.filter((p) => {
    const vs = (m.views.get(p.id) ?? []).filter((v) => v.sizes.length > 0);
    return vs.length > 0 && vs.every((v) => v.incorrect.length === 0 && v.failed.length === 0 && v.timed.length > 0);
  });
  if (correct.length) {
    const who = correct.length === m.results.patterns.length ? `Every fused implementation (${correct.length}) matches` : `${correct.length} of ${m.results.patterns.length} fused implementations match`;
    out.push(`✓ "${who} float64 within tolerance at every measured size".`);
  }
  return out.length ? capped(out) : ['No claim is supported: nothing was measured correctly.'];
}

function cannot(m: ReportModel): string[] {
  const out: string[] = [`✗ Anything beyond ${machinePhrase(m)}, tfjs ${m.results.machine.tfjs}, at the sizes measured.`];
  const gpuRan = m.ran.filter((b) => b.status.kind === 'gpu' && b.patterns.some((v) => v.timed.length));
  if (gpuRan.length === 0) out.push('✗ "Fusion pays off on GPUs": no GPU backend ran.');
  else out.push(`✗ "It holds on other GPUs": measured on ${listing([...new Set(gpuRan.map((b) => b.status.device?.description ?? b.status.name))])} only.`);
  for (const f of m.ran.flatMap((b) => measuredFamilies(b).filter((x) => x.verdict?.inconclusive))) {
    out.push(`✗ "${f.family} on ${f.backend} is a ${verdictLabel(f.verdict!.inconclusive!.hi).replace(/^\S+ /, '').toLowerCase()}": its CI also reaches ${verdictLabel(f.verdict!.inconclusive!.lo)}.`);
  }
  for (const v of views(m).filter((x) => x.incorrect.length)) out.push(`✗ Any speed claim for ${where(v)}: its fused result is wrong.`);
  out.push('✗ "Fusion lowers peak memory by N%": bytes allocated per call were measured, not peak residency.');
  if (m.results.quick) out.push('✗ Fine-grained size trends: this was a quick run.');
  return capped(out);
}

export function briefAssessment(m: ReportModel): string {
  const part = (title: string, lines: readonly string[]): string[] => [`### ${title}`, '', ...lines.map((l) => `- ${l}`), ''];
  return [
    '## Honest Assessment',
    '',
    ...part('What Works', works(m)),
    ...part('Limitations Found', limitations(m)),
    ...part('Claims We Can Make', claims(m)),
    ...part('Claims We Cannot Make', cannot(m)),
  ].join('\n').trimEnd();
}
