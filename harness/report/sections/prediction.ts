/** Prediction vs Reality: each pattern's measured speedup against the range its suite predicted, in percentage points. */
import type { FamilyView, PatternBackendView, ReportModel } from '../model.ts';
import { comparePrediction } from '../../core/verdicts.ts';
import { geomean } from '../aggregate.ts';
import { code, count, predictionDeltaShort, predictionDeltaText, shown, speedupWithCi, timesRange } from '../format.ts';
import { table } from '../table.ts';

/** Whether the CI overlaps the predicted range: a prediction can be missed by the point yet not ruled out. */
function ciAgainstRange(v: PatternBackendView): string {
  const a = v.aggregate!;
  const p = v.prediction;
  if (shown(a.hi) < shown(p.min)) return 'below the range';
  if (shown(a.lo) > shown(p.max)) return 'above the range';
  return 'overlaps the range';
}

export function predictionVsReality(m: ReportModel): string {
  const views = m.ran.flatMap((b) => b.patterns.filter((v) => v.aggregate && v.incorrect.length === 0));
  const out = [
    '## Prediction vs Reality by Pattern',
    '',
    'Predicted: the suite\'s range for the backend\'s kind (cpu or gpu); each pattern\'s section says where it comes from. Delta: the geometric-mean speedup against that range, ' +
      'in percentage points of speedup (1.00× = 100 pts).',
    '',
  ];
  if (views.length === 0) {
    out.push('No pattern has a correct, timed result to compare with its prediction.');
    return out.join('\n');
  }
  const rows = views.map((v) => [
    code(v.pattern.id),
    v.backend,
    timesRange(v.prediction.min, v.prediction.max),
    speedupWithCi(v.aggregate!),
    v.vsPrediction ? predictionDeltaText(v.vsPrediction) : '—',
    ciAgainstRange(v),
  ]);
  out.push(table(['Pattern', 'Backend', 'Predicted', 'Measured (geomean [CI])', 'Delta', 'CI vs predicted range'], rows, ['l', 'l', 'r', 'r', 'l', 'l']));
  out.push('');
  for (const b of m.ran) {
    const mine = views.filter((v) => v.backend === b.status.name);
    if (mine.length === 0) continue;
    const within = mine.filter((v) => v.vsPrediction?.position === 'within').length;
    const above = mine.filter((v) => v.vsPrediction?.position === 'above').length;
    const below = mine.filter((v) => v.vsPrediction?.position === 'below').length;
    out.push(`- **${b.status.name}:** of ${count(mine.length, 'pattern')}, ${above} above the predicted range, ${within} within it, ${below} below it.`);
  }
  return out.join('\n');
}

/** A family's predicted range: the geometric means of its patterns' predicted bounds, as its figure is their geometric mean. */
function familyPrediction(f: FamilyView): { min: number; max: number } {
  return {
    min: geomean(f.counted.map((v) => v.prediction.min)),
    max: geomean(f.counted.map((v) => v.prediction.max)),
  };
}

/** REPORT.md's Prediction vs Reality: one row per family, one column per backend; the per-pattern table is in DETAILS.md. */
export function familyPredictionVsReality(m: ReportModel): string {
  const ran = m.ran.filter((b) => b.families.some((f) => f.aggregate));
  const kinds = (['cpu', 'gpu'] as const).filter((k) => ran.some((b) => b.status.kind === k));
  const families = [...new Set(ran.flatMap((b) => b.families.filter((f) => f.aggregate).map((f) => f.family)))];
  const rows = families.map((family) => {
    const per = ran.map((b) => b.families.find((f) => f.family === family && f.aggregate));
    const predicted = kinds.map((k) => {
      const f = per.find((x, i) => x && ran[i]!.status.kind === k);
      if (!f) return '—';
      const p = familyPrediction(f);
      return timesRange(p.min, p.max);
    });
    const measured = per.map((f) => {
      if (!f) return '—';
      const p = familyPrediction(f);
      const a = f.aggregate!;
      const ci = shown(a.hi) < shown(p.min) ? 'CI below' : shown(a.lo) > shown(p.max) ? 'CI above' : 'CI overlaps';
      const n = (pos: string): number => f.counted.filter((v) => v.vsPrediction?.position === pos).length;
      return `${speedupWithCi(a)}: ${predictionDeltaShort(comparePrediction(a.ratio, { ...p, source: '' }))}, ${ci} (${n('above')}/${n('within')}/${n('below')})`;
    });
    return [family, ...predicted, ...measured];
  });
  const out = [
    '## Prediction vs Reality',
    '',
    'Predicted: the geometric mean of the family\'s patterns\' predicted ranges for the backend\'s kind (each pattern\'s range and source in DETAILS.md). ' +
      'Measured: the family\'s geometric mean [CI], its distance from the range in percentage points of speedup (1.00× = 100 pts), where the CI lies, ' +
      'and (above/within/below) how many of its patterns lie above, within or below their own range.',
    '',
  ];
  out.push(rows.length
    ? table(['Family', ...kinds.map((k) => `Predicted (${k.toUpperCase()})`), ...ran.map((b) => `Measured on ${b.status.name}`)], rows,
      ['l', ...kinds.map(() => 'r' as const), ...ran.map(() => 'l' as const)])
    : 'No family has a correct, timed result to compare with its prediction.');
  return out.join('\n');
}
