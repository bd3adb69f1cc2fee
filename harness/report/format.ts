/**
 * Number and text formatting for every report fusebench writes (REPORT.md, DETAILS.md, MACRO-REPORT.md, the
 * calibration summary and comparison, the roofline, the PyTorch side by side, the gate's comment). Every figure
 * passes through here so that the same quantity always reads the same way (2-decimal speedups,
 * 3-significant-digit milliseconds, signed percentages), and every verdict key becomes the same words.
 * Numbers read back from results.json may be `null` where JSON could not hold NaN or ±Infinity.
 */
import type { Decision, Verdict } from '../core/types.ts';
import type { PredictionDelta } from '../core/verdicts.ts';

/** A value that should be a number but may have come back from JSON as null. */
export type MaybeNumber = number | null | undefined;

export const isFiniteNumber = (x: MaybeNumber): x is number => typeof x === 'number' && Number.isFinite(x);

const MINUS = '−';

function signed(text: string): string {
  return text.startsWith('-') ? `${MINUS}${text.slice(1)}` : text;
}

/** Milliseconds with about three significant digits: 0.0123, 0.332, 25.2, 1234. */
export function ms(x: MaybeNumber): string {
  if (!isFiniteNumber(x)) return 'n/a';
  const a = Math.abs(x);
  if (a >= 100) return signed(x.toFixed(0));
  if (a >= 10) return signed(x.toFixed(1));
  if (a >= 1) return signed(x.toFixed(2));
  if (a >= 1e-4) return signed(x.toPrecision(3));
  return signed(x.toExponential(2));
}

/** A value as shown with two decimals; comparisons made on it never contradict the printed figures. */
export const shown = (x: number): number => Math.round(x * 100) / 100;

/** A speedup factor: `1.24×`. */
export function times(x: MaybeNumber): string {
  return isFiniteNumber(x) ? `${x.toFixed(2)}×` : 'n/a';
}

/** A confidence interval: `[1.10, 1.38]`. */
export function ci(lo: MaybeNumber, hi: MaybeNumber): string {
  const f = (v: MaybeNumber): string => (isFiniteNumber(v) ? v.toFixed(2) : 'n/a');
  return `[${f(lo)}, ${f(hi)}]`;
}

/** A speedup with its CI: `1.24× [1.10, 1.38]`. */
export function speedupWithCi(x: { readonly ratio: MaybeNumber; readonly lo: MaybeNumber; readonly hi: MaybeNumber }): string {
  return `${times(x.ratio)} ${ci(x.lo, x.hi)}`;
}

/** A range of speedups: `0.98–1.27×`, or one value when both ends round the same. */
export function timesRange(min: number, max: number): string {
  const a = min.toFixed(2);
  const b = max.toFixed(2);
  return a === b ? `${a}×` : `${a}–${b}×`;
}

/** A share as a whole percentage with a real minus sign: `50%`, `−12%`. */
export function percent(x: MaybeNumber): string {
  return isFiniteNumber(x) ? signed(`${Math.round(x * 100)}%`) : 'n/a';
}

/** A range of shares: `25–33%`, or one value. */
export function percentRange(min: number, max: number): string {
  const a = percent(min);
  const b = percent(max);
  return a === b ? a : `${a.replace(/%$/, '')}–${b}`;
}

/** A share, as loosely as it deserves: one decimal below 10% (`6.3%`, `0.4%`), whole above (`31%`). */
export function roughPercent(x: MaybeNumber): string {
  if (!isFiniteNumber(x)) return 'n/a';
  return signed(`${(x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0)}%`);
}

/** A change as a signed percentage with one decimal: `+1.2%`, `−3.4%`, `+0.0%` (the gate's change column). */
export function signedPercent(change: number): string {
  const pct = change * 100;
  const text = Math.abs(pct) < 0.05 ? '0.0' : Math.abs(pct).toFixed(1);
  return `${pct < 0 && text !== '0.0' ? MINUS : '+'}${text}%`;
}

/** A threshold given as a share, exactly as set: `5%`, `2.5%`. */
export function thresholdPercent(x: number): string {
  return `${Number((x * 100).toFixed(2))}%`;
}

/** A p-value: three significant digits near α so 0.0498 never prints as "0.05"; `<0.0001`; `1`; `n/a` when untested. */
export function pValue(p: number | undefined): string {
  if (p === undefined) return 'n/a';
  if (p < 0.0001) return '<0.0001';
  if (p >= 0.995) return '1';
  return p < 0.1 ? p.toPrecision(3) : p.toFixed(2);
}

/** A plain quantity with about three significant digits: `120`, `10.7`, `0.13`, `5.0e-3`, `∞`. */
export function decimal(x: number): string {
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return '∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return signed(a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 0.01 ? x.toFixed(2) : x.toExponential(1));
}

/** A rate with its unit, three significant digits: `403 GB/s`, `12.5 GFLOP/s`. */
export function rate(x: number, unit: string): string {
  return `${x >= 100 ? x.toFixed(0) : x.toPrecision(3)} ${unit}`;
}

/** A small error in scientific notation: `5.1e-7`; `0` for exact; `not finite` for NaN/Inf (or null from JSON). */
export function sci(x: MaybeNumber): string {
  if (!isFiniteNumber(x)) return 'not finite';
  if (x === 0) return '0';
  return signed(x.toExponential(1));
}

/** Bytes in binary units: `512 B`, `1.5 KiB`, `3.0 MiB`. */
export function bytes(x: MaybeNumber): string {
  if (!isFiniteNumber(x)) return 'n/a';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = Math.abs(x);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 ? `${v.toFixed(0)} ${units[u]}` : `${v.toFixed(1)} ${units[u]}`;
  return x < 0 ? `${MINUS}${text}` : text;
}

/** An ISO timestamp as `2026-11-22 03:37 UTC`; the text unchanged if it is not one. */
export function utcDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  if (!m) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** Inline code, safe for names that contain backticks. */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/**
 * The anchor GitHub gives a Markdown heading: lower case, punctuation and symbols dropped (hyphens and underscores
 * kept), spaces as hyphens. `### \`LayerNorm\`: LayerNorm` → `layernorm-layernorm`.
 */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** "a", "a and b", "a, b and c". */
export function listing(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** "1 size", "3 sizes". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** One line of text: newlines collapsed, then cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max = Number.POSITIVE_INFINITY): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A speedup difference in percentage points, `+12 pts` / `−30 pts` / `±0 pts` (from a difference of factors or of points). */
export function pts(points: MaybeNumber): string {
  if (!isFiniteNumber(points)) return 'n/a';
  const n = Math.round(points);
  return n > 0 ? `+${n} pts` : n < 0 ? `${MINUS}${-n} pts` : '±0 pts';
}

/** A speedup as a gain in words: `25% faster`, `12% slower`, `no change`. */
export function gainWords(speedup: MaybeNumber): string {
  if (!isFiniteNumber(speedup)) return 'not measured';
  const faster = Math.round((speedup - 1) * 100);
  if (faster > 0) return `${faster}% faster`;
  const slower = Math.round((1 / speedup - 1) * 100);
  return slower > 0 ? `${slower}% slower` : 'no change';
}

/** A share with its CI: `40% [31%, 52%]`. */
export function percentWithCi(x: { readonly ratio: MaybeNumber; readonly lo: MaybeNumber; readonly hi: MaybeNumber }): string {
  return `${percent(x.ratio)} [${percent(x.lo)}, ${percent(x.hi)}]`;
}

/** A Markdown bullet list. */
export function bullets(lines: readonly string[]): string {
  return lines.map((l) => `- ${l}`).join('\n');
}

// ------------------------------------------------------------------------------------------------ verdicts

const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  strong: '✓ Strong benefit',
  moderate: '✓ Moderate benefit',
  minimal: '⚠ Minimal benefit',
  slower: '✗ Fusion is slower',
  incorrect: '✗ Incorrect',
};

/** A verdict key in words: `✓ Strong benefit`, `⚠ Minimal benefit`, `✗ Incorrect`. */
export function verdictLabel(v: Verdict): string {
  return VERDICT_LABELS[v];
}

/** `✓ Moderate benefit`, or `inconclusive: ⚠ Minimal benefit … ✓ Moderate benefit` (both CI ends); `not measured` for none. */
export function verdictText(j: { readonly verdict: Verdict; readonly inconclusive?: { readonly lo: Verdict; readonly hi: Verdict } } | undefined): string {
  if (!j) return 'not measured';
  return j.inconclusive ? `inconclusive: ${verdictLabel(j.inconclusive.lo)} … ${verdictLabel(j.inconclusive.hi)}` : verdictLabel(j.verdict);
}

/** `+12 pts`, `within`, `−30 pts`: a measured speedup against its predicted range, for table cells. */
export function predictionDeltaShort(d: PredictionDelta): string {
  return d.position === 'above' ? `+${d.pts} pts` : d.position === 'below' ? `${MINUS}${d.pts} pts` : 'within';
}

/** The glyph of a Decision Matrix row: ✓ Deploy + Expand, ⚠ Deploy, stop expansion, ✗ Re-evaluate. */
export function decisionMark(d: Decision): string {
  return d === 'Deploy + Expand' ? '✓' : d === 'Deploy, stop expansion' ? '⚠' : '✗';
}

const VERDICT_SHORT: Readonly<Record<Verdict, string>> = {
  strong: '✓ Strong', moderate: '✓ Moderate', minimal: '⚠ Minimal', slower: '✗ Slower', incorrect: '✗ Incorrect',
};

/** The compact form for crowded tables: `✓ Moderate`, or `⚠ Minimal … ✓ Moderate` when the CI spans both (inconclusive). */
export function verdictShort(j: { readonly verdict: Verdict; readonly inconclusive?: { readonly lo: Verdict; readonly hi: Verdict } } | undefined): string {
  if (!j) return 'not measured';
  return j.inconclusive ? `${VERDICT_SHORT[j.inconclusive.lo]} … ${VERDICT_SHORT[j.inconclusive.hi]}` : VERDICT_SHORT[j.verdict];
}

/** `exceeds prediction by 12 pts`, `within prediction`, `falls short of prediction by 30 pts`. */
export function predictionDeltaText(d: PredictionDelta): string {
  if (d.position === 'above') return `exceeds prediction by ${d.pts} pts`;
  if (d.position === 'below') return `falls short of prediction by ${d.pts} pts`;
  return 'within prediction';
}
