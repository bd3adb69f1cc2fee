/**
 * Honest Assessment in four parts. Every line is produced by a rule over the measured data: a rule
 * whose evidence is absent produces nothing, so no sentence can outrun what was measured.
 */
import type { SizeResult, Verdict } from '../../core/types.ts';
import type { BackendView, PatternBackendView, ReportModel } from '../model.ts';
import { measuredViews } from '../model.ts';
import { code, count, listing, oneLine, percent, percentRange, sci, shown, speedupWithCi, times, verdictLabel } from '../format.ts';
import { breakdown, compactList } from '../kernels.ts';
import { judgeSize, verdictFor } from '../../core/verdicts.ts';
import { atSize, cpuPhrase, crossoverPhrase, machinePhrase, sizeSpan, verdictCell, where } from '../text.ts';
import { timingSpread } from './methodology.ts';

/** Above this median p10–p90 spread (as a share of the median), the run is called noisy. */
const NOISY_SPREAD = 0.1;

/** A part of the assessment: an optional lead sentence, then one bullet per finding. */
interface Part {
  readonly intro?: string;
  readonly items: readonly string[];
}

const VERDICT_RANK: Readonly<Record<Verdict, number>> = {
  incorrect: 0, slower: 1, minimal: 2, moderate: 3, strong: 4,
};

const views = (m: ReportModel): PatternBackendView[] => m.ran.flatMap((b) => b.patterns);
const cleanViews = (m: ReportModel): PatternBackendView[] => m.ran.flatMap((b) => measuredViews(b).filter((v) => v.incorrect.length === 0));
const clearVerdict = (v: PatternBackendView): Verdict | undefined => (v.verdict && !v.verdict.inconclusive ? v.verdict.verdict : undefined);
const best = (v: PatternBackendView): SizeResult => [...v.correct].sort((a, b) => b.speedup!.ratio - a.speedup!.ratio)[0];
/** The single-threaded backends, from what their adapters reported. */
const singleThreaded = (m: ReportModel): BackendView[] => m.ran.filter((b) => b.status.device?.threadsUsed === false);

/** Views grouped by backend, in the order they come: one finding per backend keeps each line readable. */
function byBackend(vs: readonly PatternBackendView[]): Array<[string, PatternBackendView[]]> {
  const out = new Map<string, PatternBackendView[]>();
  for (const v of vs) out.set(v.backend, [...(out.get(v.backend) ?? []), v]);
  return [...out.entries()];
}

// ------------------------------------------------------------------------------------------------ what works

function whatWorks(m: ReportModel): Part {
  const out: string[] = [];
  for (const v of cleanViews(m)) {
    const verdict = clearVerdict(v);
    if (verdict === 'strong' || verdict === 'moderate') {
      const top = best(v);
      out.push(`✓ ${where(v)}: ${verdictLabel(verdict)}, ${speedupWithCi(v.aggregate!)} across ${count(v.correct.length, 'size')}` +
        (v.correct.length > 1 ? `, up to ${atSize(top)}.` : '.'));
    } else if (v.strategy === 'conditional' && v.crossover.size) {
      out.push(`✓ ${where(v)} pays off ${crossoverPhrase(v)}: CI lower bound ${times(v.crossover.size.speedup!.lo)} at ${v.crossover.size.size}.`);
    }
  }
  const timed = views(m).flatMap((v) => v.timed);
  const wrong = views(m).flatMap((v) => v.incorrect);
  if (timed.length && wrong.length === 0) {
    out.push(`✓ Every fused result matched the float64 reference within tolerance: ${timed.length} checks over ` +
      `${count(m.results.patterns.length, 'pattern')} and ${count(m.ran.length, 'backend')}.`);
  } else if (timed.length) {
    const good = m.results.patterns.filter((p) => (m.views.get(p.id) ?? []).every((v) => v.incorrect.length === 0) && (m.views.get(p.id) ?? []).some((v) => v.timed.length));
    if (good.length) out.push(`✓ ${count(good.length, 'pattern')} passed the float64 check at every size on every backend: ${listing(good.map((p) => code(p.id)))}.`);
  }
  const lessMemory = cleanViews(m).filter((v) => v.memory && v.memory.max > 0.005);
  for (const [backend, vs] of byBackend(lessMemory)) {
    out.push(`✓ Fused calls allocate fewer bytes on ${backend}: ${listing(vs.map((v) => `${code(v.pattern.id)} (${percentRange(Math.max(0, v.memory!.min), v.memory!.max)} less)`))}.`);
  }
  const collapsed = views(m).filter((v) => v.kernels && v.kernels.maxCompute === 1 &&
    v.timed.every((r) => breakdown(r.unfused!.kernels).compute.length > 1));
  for (const [backend, vs] of byBackend(collapsed)) {
    out.push(`✓ On ${backend}, the fused path is a single compute kernel where the unfused one launches several: ` +
      `${listing(vs.map((v) => `${code(v.pattern.id)} (${code(compactList(v.kernels!.sequences[0]))})`))}.`);
  }
  return out.length ? { items: out } : { items: [], intro: 'Nothing in this run qualifies: no pattern has a correct, timed result on any backend.' };
}

// ------------------------------------------------------------------------------------------------ limitations

/** Smallest against largest correct size when their CIs do not overlap and their verdicts differ. */
function sizeTrend(v: PatternBackendView, config: ReportModel['config']): string | undefined {
  if (v.correct.length < 2) return undefined;
  const small = v.correct[0];
  const large = v.correct[v.correct.length - 1];
  const rank = (r: SizeResult): number => VERDICT_RANK[verdictFor(r.speedup!.ratio, config.verdicts)];
  if (small.speedup!.hi < large.speedup!.lo && rank(small) < rank(large)) {
    return `⚠ Small sizes benefit less: ${where(v)} gives ${speedupWithCi(small.speedup!)} at ${small.size} against ${speedupWithCi(large.speedup!)} at ${large.size}.`;
  }
  if (large.speedup!.hi < small.speedup!.lo && rank(large) < rank(small)) {
    return `⚠ The benefit shrinks at large sizes: ${where(v)} gives ${speedupWithCi(small.speedup!)} at ${small.size} but ${speedupWithCi(large.speedup!)} at ${large.size}.`;
  }
  return undefined;
}

function limitations(m: ReportModel): Part {
  const out: string[] = [];
  const clean = cleanViews(m);
  for (const v of clean) {
    if (clearVerdict(v) === 'slower') out.push(`⚠ ${where(v)} is slower fused: ${speedupWithCi(v.aggregate!)}.`);
  }
  const minimal = clean.filter((v) => clearVerdict(v) === 'minimal');
  if (minimal.length) {
    out.push(`⚠ Minimal benefit (${times(m.config.verdicts.minimal)}–${times(m.config.verdicts.moderate)}) for ` +
      `${listing(minimal.map((v) => `${where(v)} (${times(v.aggregate!.ratio)})`))}.`);
  }
  for (const v of clean) {
    const t = sizeTrend(v, m.config);
    if (t) out.push(t);
  }
  const trafficNoSpeed = clean.filter((v) => v.traffic && v.traffic.max >= 0.25 && (clearVerdict(v) === 'minimal' || clearVerdict(v) === 'slower'));
  if (trafficNoSpeed.length) {
    out.push(`⚠ Moving fewer bytes did not make these faster: ${listing(trafficNoSpeed.map((v) => `${where(v)} (${percentRange(v.traffic!.min, v.traffic!.max)} less traffic, ${times(v.aggregate!.ratio)})`))}.`);
  }
  for (const v of clean) {
    const bound = Math.max(...v.correct.map((r) => (r.cost.bytesFused > 0 ? r.cost.bytesUnfused / r.cost.bytesFused : Number.POSITIVE_INFINITY)));
    if (Number.isFinite(bound) && shown(v.aggregate!.lo) > shown(bound) * 1.5) {
      const gbps = Math.max(...v.correct.map((r) => r.unfused!.gbps));
      // Below ~2 GB/s no machine fusebench targets is bandwidth-bound, so the unfused time is spent elsewhere.
      const slow = gbps < 2 ? `; the unfused variant moved at most ${gbps.toPrecision(2)} GB/s, far from any memory bandwidth, so its ops are slow for another reason` : '';
      out.push(`⚠ ${where(v)} gains more than its bytes can explain: ${speedupWithCi(v.aggregate!)} against a byte ratio of at most ${times(bound)} ` +
        `(unfused bytes moved / fused)${slow}.`);
    }
  }
  for (const v of views(m)) {
    if (v.kernels && v.kernels.maxCompute > 1) {
      const unfused = Math.max(...v.timed.map((r) => breakdown(r.unfused!.kernels).compute.length));
      out.push(`⚠ ${where(v)}: the fused path is not a single kernel: it launches ${v.kernels.maxCompute} compute kernels ` +
        `(${v.kernels.sequences.map((s) => code(compactList(s))).join(' or ')}) against ${unfused} unfused.`);
    }
    if (v.kernels?.declaredButAbsent) out.push(`⚠ ${where(v)}: the suite declares a fusebench kernel, but the profile shows none of ours was launched.`);
  }
  for (const v of views(m)) {
    for (const r of v.incorrect) {
      const c = r.correctness!;
      out.push(`✗ ${where(v)} fails the float64 check at ${r.size} (max error ${sci(c.fused.maxAbs)}, relative ${sci(c.fused.maxRel)})` +
        (c.unfused.ok ? '.' : `; the unfused tfjs ops fail too (${sci(c.unfused.maxAbs)}), so tfjs itself is off here.`));
    }
    for (const r of v.failed) out.push(`✗ ${where(v)} could not run at ${r.size}: ${code(oneLine(r.error ?? 'no error recorded', 160))}.`);
  }
  const judged = views(m).flatMap((v) => v.correct);
  const inconclusive = judged.filter((r) => judgeSize(r, m.config)?.inconclusive);
  if (inconclusive.length) {
    out.push(`⚠ ${inconclusive.length} of ${judged.length} size results are inconclusive: their CI spans two verdicts (both are given in the tables).`);
  }
  const unclear = clean.filter((v) => v.verdict?.inconclusive);
  for (const [backend, vs] of byBackend(unclear)) out.push(`⚠ Inconclusive overall on ${backend}: ${listing(vs.map((v) => `${code(v.pattern.id)} (${verdictCell(v.verdict)})`))}.`);
  const spread = timingSpread(m);
  if (spread && spread.median > NOISY_SPREAD) {
    out.push(`⚠ Timings were noisy: a variant's p10–p90 spread was a median ${percent(spread.median)} of its median time ` +
      `(at most ${percent(spread.max)}), so many CIs are wide; a quieter machine would narrow them.`);
  }
  const capped = judged.filter((r) => Math.min(r.unfused!.samplesMs.length, r.fused!.samplesMs.length) < m.results.sampling.rounds);
  if (capped.length) out.push(`⚠ ${count(capped.length, 'size')} hit the time cap and took fewer than the ${m.results.sampling.rounds} planned rounds, so their CIs are wider.`);
  const timed = views(m).flatMap((v) => v.timed);
  if (timed.length && timed.every((r) => r.unfused!.bytesAllocated === r.fused!.bytesAllocated)) {
    out.push('⚠ Fused and unfused allocated the same bytes per call at every size, so this run shows no measured memory reduction (see Methodology).');
  }
  for (const b of singleThreaded(m)) out.push(`⚠ ${b.status.name} ran single-threaded (as its adapter reported), so no multi-threaded ${b.status.name} figure exists.`);
  if (m.unavailable.length) out.push(`⚠ Not measured: ${listing(m.unavailable.map((b) => `${b.name} (${oneLine(b.reason ?? 'unavailable', 120)})`))}.`);
  return out.length ? { items: out } : { items: [], intro: 'No limitation showed in the data of this run.' };
}

// ------------------------------------------------------------------------------------------------ claims

function claimsWeCanMake(m: ReportModel): Part {
  const out: string[] = [];
  const c = m.config;
  for (const v of cleanViews(m)) {
    const a = v.aggregate!;
    const span = v.correct.length > 1 ? ` on average over ${sizeSpan({ ...v, sizes: v.correct })}` : ` at ${v.correct[0].size}`;
    if (a.lo >= c.verdicts.moderate) {
      out.push(`✓ "Fusing ${code(v.pattern.id)} makes it at least ${times(a.lo)} faster on ${v.backend}${span}" (CI lower bound).`);
    } else if (v.crossover.size && v.crossover.fallsBackAt.length === 0 && v.crossover.size !== v.correct[0]) {
      const from = v.correct.slice(v.correct.indexOf(v.crossover.size));
      const floor = Math.min(...from.map((r) => r.speedup!.lo));
      out.push(`✓ "From ${v.crossover.size.size} up, fusing ${code(v.pattern.id)} on ${v.backend} is at least ${times(floor)} faster" (smallest CI lower bound among those sizes).`);
    }
    if (shown(a.hi) < c.verdicts.minimal) out.push(`✓ "Fusing ${code(v.pattern.id)} slows it down on ${v.backend}" (CI upper bound ${times(a.hi)}).`);
    if (shown(a.lo) > shown(v.prediction.max)) out.push(`✓ "${code(v.pattern.id)} beats its prediction on ${v.backend}" (CI ${speedupWithCi(a)} lies above ${times(v.prediction.max)}).`);
    if (shown(a.hi) < shown(v.prediction.min)) out.push(`✓ "${code(v.pattern.id)} falls short of its prediction on ${v.backend}" (CI ${speedupWithCi(a)} lies below ${times(v.prediction.min)}).`);
  }
  for (const b of m.ran) {
    if (b.aggregate && b.decision && !b.decision.inconclusive) {
      out.push(`✓ "Across the families measured, fusion on ${b.status.name} averages ${times(b.aggregate.ratio)}" (CI ${speedupWithCi(b.aggregate).replace(/^\S+ /, '')}: ${b.decision.decision}).`);
    }
  }
  const correctEverywhere = m.results.patterns.filter((p) => {
    const vs = (m.views.get(p.id) ?? []).filter((v) => v.sizes.length > 0);
    return vs.length > 0 && vs.every((v) => v.incorrect.length === 0 && v.failed.length === 0 && v.timed.length > 0);
  });
  if (correctEverywhere.length) {
    out.push(`✓ "The fused ${correctEverywhere.length === 1 ? 'implementation' : 'implementations'} of ${listing(correctEverywhere.map((p) => code(p.id)))} ` +
      `${correctEverywhere.length === 1 ? 'matches' : 'match'} a float64 reference within tolerance on ${listing(m.ran.filter((b) => b.patterns.some((v) => v.timed.length)).map((b) => b.status.name))} at every measured size".`);
  }
  if (out.length === 0) return { items: [], intro: 'No claim is supported: nothing was measured correctly.' };
  return { intro: `Each holds for ${machinePhrase(m)}, tfjs ${m.results.machine.tfjs}, at the sizes measured.`, items: out };
}

function claimsWeCannotMake(m: ReportModel): string[] {
  const out: string[] = [];
  const gpuRan = m.ran.filter((b) => b.status.kind === 'gpu' && b.patterns.some((v) => v.timed.length));
  const gpuMissing = m.unavailable.filter((b) => b.kind === 'gpu');
  if (gpuRan.length === 0) {
    const why = gpuMissing.length ? ` (${gpuMissing.map((b) => `${b.name}: ${oneLine(b.reason ?? 'unavailable', 100)}`).join('; ')})` : '';
    out.push(`✗ "Fusion pays off on GPUs": no GPU backend ran${why}; the suites' GPU predictions remain untested by this run.`);
  } else {
    out.push(`✗ "These GPU results hold on other GPUs": measured on ${listing(gpuRan.map((b) => b.status.device?.description ?? b.status.name))} only.`);
  }
  for (const b of m.unavailable.filter((x) => x.kind !== 'gpu')) out.push(`✗ Anything about ${code(b.name)}: it did not run here (${oneLine(b.reason ?? 'unavailable', 100)}).`);
  out.push(`✗ "These speedups hold on other CPUs": measured on ${cpuPhrase(m)} only.`);
  out.push('✗ "The same holds at sizes outside those measured": each pattern\'s table lists the sizes; nothing was measured beyond them.');
  out.push('✗ "Whole models get this much faster": only isolated patterns were timed; a model\'s gain depends on how much of its time these patterns take.');
  for (const v of cleanViews(m).filter((x) => x.verdict?.inconclusive)) {
    out.push(`✗ "${code(v.pattern.id)} on ${v.backend} is a ${verdictLabel(v.verdict!.inconclusive!.hi).replace(/^\S+ /, '').toLowerCase()}": its CI ${speedupWithCi(v.aggregate!).replace(/^\S+ /, '')} also reaches ${verdictLabel(v.verdict!.inconclusive!.lo)}.`);
  }
  for (const v of views(m).filter((x) => x.incorrect.length)) {
    out.push(`✗ Any speed claim for ${where(v)}: its fused result is wrong at ${listing(v.incorrect.map((r) => r.size))}.`);
  }
  for (const v of views(m).filter((x) => x.failed.length)) {
    out.push(`✗ Anything about ${where(v)} at ${listing(v.failed.map((r) => r.size))}: it failed to run.`);
  }
  out.push('✗ "Fusion lowers peak memory by N%": bytes allocated per call were measured, not peak residency, and memory a backend allocates inside a kernel is invisible to tf.profile.');
  for (const b of singleThreaded(m)) out.push(`✗ "Multi-threaded ${b.status.name} behaves the same": it ran single-threaded here.`);
  if (m.results.quick) out.push(`✗ Fine-grained size trends: this was a quick run (the quick size sets, ${m.results.sampling.rounds} planned rounds).`);
  return out;
}

/** DETAILS.md's Honest Assessment: every finding, pattern by pattern (REPORT.md has the brief one). */
export const FULL_ASSESSMENT_TITLE = 'Honest Assessment: Every Finding';

export function honestAssessment(m: ReportModel): string {
  const part = (title: string, p: Part): string[] => [
    `### ${title}`, '', ...(p.intro ? [p.intro, ''] : []), ...p.items.map((l) => `- ${l}`), ...(p.items.length ? [''] : []),
  ];
  return [
    `## ${FULL_ASSESSMENT_TITLE}`,
    '',
    ...part('What Works', whatWorks(m)),
    ...part('Limitations Found', limitations(m)),
    ...part('Claims We Can Make', claimsWeCanMake(m)),
    ...part('Claims We Cannot Make', { items: claimsWeCannotMake(m) }),
  ].join('\n').trimEnd();
}
