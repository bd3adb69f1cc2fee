/**
 * The three biggest wins and the three worst losses over the run, each with the reason that was measured. At most
 * one pattern per family in each list, so one family of near-identical patterns cannot fill it.
 */
import type { PatternBackendView, ReportModel } from '../model.ts';
import { speedupWithCi, times } from '../format.ts';
import { table } from '../table.ts';
import { patternLink } from '../text.ts';
import { extremeSize, measuredReason } from '../reasons.ts';
import { runNotes, type RunNote } from '../notes.ts';

const PER_LIST = 3;

/** The first `n` views in `ordered`, one per family, skipping those in `taken`. */
function onePerFamily(ordered: readonly PatternBackendView[], n: number, taken: ReadonlySet<PatternBackendView> = new Set()): PatternBackendView[] {
  const out: PatternBackendView[] = [];
  const families = new Set<string>();
  for (const v of ordered) {
    if (out.length === n) break;
    if (taken.has(v) || families.has(v.pattern.family)) continue;
    families.add(v.pattern.family);
    out.push(v);
  }
  return out;
}

function rows(m: ReportModel, notes: readonly RunNote[]): string[][] {
  const clean = m.ran.flatMap((b) => b.patterns.filter((v) => v.aggregate && v.incorrect.length === 0));
  const byRatio = [...clean].sort((x, y) => y.aggregate!.ratio - x.aggregate!.ratio);
  const wins = onePerFamily(byRatio.filter((v) => v.aggregate!.lo > 1), PER_LIST);
  const losses = onePerFamily([...byRatio].reverse().filter((v) => v.aggregate!.hi < 1), PER_LIST, new Set(wins));
  const line = (kind: string, v: PatternBackendView, which: 'best' | 'worst'): string[] => {
    const r = extremeSize(v, which)!;
    return [kind, patternLink(v.pattern), v.backend, speedupWithCi(v.aggregate!), `${times(r.speedup!.ratio)} at ${r.size}`, measuredReason(v, r, notes)];
  };
  return [...wins.map((v, i) => line(`win ${i + 1}`, v, 'best')), ...losses.map((v, i) => line(`loss ${i + 1}`, v, 'worst'))];
}

export function extremes(m: ReportModel): string {
  const notes = runNotes(m.results);
  const found = rows(m, notes);
  const out = [
    '## Biggest Wins and Worst Losses',
    '',
    'Over every pattern and backend, by geometric-mean speedup, at most one pattern per family: a win is faster fused over its whole CI, a loss slower. ' +
      'The reason is what was measured at the size named: compute kernels launched per call, the bytes the analytic cost says fusion stops moving, ' +
      'device time where the backend has a device clock, and the suite\'s notes.',
    '',
  ];
  out.push(found.length
    ? table(['', 'Pattern', 'Backend', 'Speedup (geomean [CI])', 'Extreme size', 'Measured reason'], found)
    : 'No pattern is faster or slower fused over its whole CI.');
  return out.join('\n');
}
