/** Short phrases shared by several sections, so a verdict or decision reads the same everywhere. */
import type { Decision, SizeResult } from '../core/types.ts';
import type { BackendView, CiDecision, CiVerdict, PatternBackendView, ReportModel } from './model.ts';
import { code, count, decisionMark, headingAnchor, isFiniteNumber, listing, speedupWithCi, times, verdictShort, verdictText } from './format.ts';
import type { Aggregate } from './aggregate.ts';

/** `✓ Moderate benefit`, or `inconclusive: ⚠ Minimal benefit … ✓ Moderate benefit` (both CI ends). */
export function verdictCell(v: CiVerdict | undefined): string {
  return verdictText(v);
}


/** `✓ Deploy + Expand`, or `inconclusive: ✗ Re-evaluate … ✓ Deploy + Expand`. */
export function decisionCell(d: CiDecision | undefined): string {
  if (!d) return 'not measured';
  if (d.inconclusive) return `inconclusive: ${decisionMark(d.inconclusive.lo)} ${d.inconclusive.lo} … ${decisionMark(d.inconclusive.hi)} ${d.inconclusive.hi}`;
  return `${decisionMark(d.decision)} ${d.decision}`;
}

/** `1.24× [1.10, 1.38] (geometric mean over 3 sizes)`. */
export function aggregateText(v: PatternBackendView): string {
  if (!v.aggregate) return 'not measured';
  return `${speedupWithCi(v.aggregate)} (geometric mean over ${count(v.correct.length, 'size')})`;
}

export function backendAggregateText(b: BackendView): string {
  if (!b.aggregate) return 'no correct timed result';
  const n = b.patterns.filter((v) => v.aggregate && v.incorrect.length === 0).length;
  return `${speedupWithCi(b.aggregate)} (geometric mean over ${count(n, 'pattern')})`;
}

/** `Linear_Bias on cpu`. */
export function where(v: PatternBackendView): string {
  return `${code(v.pattern.id)} on ${v.backend}`;
}

/** `1.31× at 512×768→3072`. */
export function atSize(r: SizeResult): string {
  return `${times(r.speedup?.ratio)} at ${r.size}`;
}

/** Where a size-dependent pattern pays off: `from 128×256→256 up`, or `at 32×64→64 (not at 64×128→128)`. */
export function crossoverPhrase(v: PatternBackendView): string {
  const x = v.crossover;
  if (!x.size) return 'at no measured size';
  return x.fallsBackAt.length ? `at ${x.size.size} (not at ${listing(x.fallsBackAt.map((r) => r.size))})` : `from ${x.size.size} up`;
}

/** Only the sizes where fusing pays (CI lower bound ≥ the crossover): `from 128×256→256 up`, `at 32×64→64 and 1×768`. */
export function paysAtPhrase(v: PatternBackendView, crossover: number): string {
  const pays = v.correct.map((r) => isFiniteNumber(r.speedup?.lo) && r.speedup!.lo >= crossover);
  const first = pays.indexOf(true);
  if (first < 0) return 'at no measured size';
  if (pays.slice(first).every(Boolean) && first > 0) return `from ${v.correct[first]!.size} up`;
  return `at ${listing(v.correct.filter((_, i) => pays[i]).map((r) => r.size))}`;
}

/** Sizes a view measured, `32×64→64 … 512×768→3072`. */
export function sizeSpan(v: PatternBackendView): string {
  if (v.sizes.length === 0) return 'no sizes';
  if (v.sizes.length === 1) return v.sizes[0].size;
  return `${v.sizes[0].size} … ${v.sizes[v.sizes.length - 1].size}`;
}

/** One phrase naming the CPU: `AMD EPYC, 2 cores`. */
export function cpuPhrase(m: ReportModel): string {
  const x = m.results.machine;
  return `${x.cpuModel}, ${count(x.cores, 'core')}`;
}

/** One phrase naming the machine: `AMD EPYC, 2 cores, GPU …`. */
export function machinePhrase(m: ReportModel): string {
  const x = m.results.machine;
  return `${cpuPhrase(m)}${x.gpu ? `, GPU ${x.gpu}` : ''}`;
}

export function backendNames(list: ReadonlyArray<{ readonly name: string }>): string {
  return listing(list.map((b) => b.name));
}

/** `95%`, from the configured confidence. */
export function confidenceText(m: ReportModel): string {
  return `${Math.round(m.config.sampling.confidence * 1000) / 10}%`;
}

/** The heading of a pattern's section in DETAILS.md: `` `LayerNorm`: LayerNorm ``. */
export function patternHeading(p: { readonly id: string; readonly title: string }): string {
  return `${code(p.id)}: ${p.title}`;
}

/** The file that holds every per-size figure, beside REPORT.md. */
export const DETAILS_FILE = 'DETAILS.md';

/** A link from REPORT.md to a section of DETAILS.md by its heading text (without the #s). */
export function detailsLink(label: string, heading: string): string {
  return `[${label}](${DETAILS_FILE}#${headingAnchor(heading)})`;
}

/** The pattern's id, linked to its section in DETAILS.md. */
export function patternLink(p: { readonly id: string; readonly title: string }): string {
  return detailsLink(code(p.id), patternHeading(p));
}

/** `1.24× [1.10, 1.38] ✓ Moderate`: a figure with its CI and the verdict judged on that CI, in the compact form. */
export function figureCell(a: Aggregate | undefined, v: CiVerdict | undefined): string {
  return a ? `${speedupWithCi(a)} ${verdictShort(v)}` : 'not measured';
}

/** The verdict thresholds in the compact words REPORT.md's tables use. */
export function verdictScale(m: ReportModel): string {
  const t = m.config.verdicts;
  return `✓ Strong ≥ ${times(t.strong)}, ✓ Moderate ≥ ${times(t.moderate)}, ⚠ Minimal ≥ ${times(t.minimal)}, ✗ Slower below, ✗ Incorrect when a fused result fails the float64 check; ` +
    '"⚠ Minimal … ✓ Moderate": the CI spans both (inconclusive)';
}
