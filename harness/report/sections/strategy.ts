/**
 * Hardware-aware strategy: per backend kind, which patterns to always fuse, fuse from a size up,
 * leave optional, or avoid, each decided from the per-size CIs (see `strategyFor` in model.ts).
 */
import type { BackendKind } from '../../core/types.ts';
import type { BackendView, PatternBackendView, ReportModel, Strategy } from '../model.ts';
import { code, listing, oneLine, speedupWithCi, times } from '../format.ts';
import { table } from '../table.ts';
import { crossoverPhrase } from '../text.ts';

const KIND_TITLE: Readonly<Record<BackendKind, string>> = { cpu: 'CPU backends', gpu: 'GPU backends' };

function rowTitles(m: ReportModel): ReadonlyArray<readonly [Strategy, string]> {
  const c = m.config;
  return [
    ['always', `✓ Always fuse: CI lower bound ≥ ${times(c.crossover)} at every size`],
    ['conditional', '✓ Conditionally fuse: only at the sizes named'],
    ['optional', `⚠ Optional: no size clearly gains (≥ ${times(c.crossover)}) or clearly loses (< ${times(c.verdicts.minimal)})`],
    ['avoid', `✗ Avoid: slower at some size and faster at none, or incorrect`],
    ['unmeasured', 'not measured: every size failed'],
  ];
}

function entry(v: PatternBackendView): string {
  const id = code(v.pattern.id);
  switch (v.strategy) {
    case 'always':
      return `${id} (${times(v.aggregate!.ratio)})`;
    case 'conditional':
      return `${id} ${crossoverPhrase(v)}`;
    case 'optional':
      return `${id} (${speedupWithCi(v.aggregate!)})`;
    case 'avoid':
      return v.incorrect.length ? `${id} (incorrect)` : `${id} (${times(v.aggregate!.ratio)})`;
    case 'unmeasured':
      return id;
  }
}

function kindTable(m: ReportModel, backends: readonly BackendView[]): string {
  const used = rowTitles(m).filter(([s]) => s !== 'unmeasured' || backends.some((b) => b.patterns.some((v) => v.sizes.length && v.strategy === s)));
  const rows = used.map(([s, title]) => [
    title,
    ...backends.map((b) => b.patterns.filter((v) => v.sizes.length > 0 && v.strategy === s).map(entry).join(', ') || '—'),
  ]);
  return table(['Strategy', ...backends.map((b) => b.status.name)], rows);
}

/** Patterns whose strategy differs between two backends that both measured them. */
function disagreements(backends: readonly BackendView[]): string[] {
  const out: string[] = [];
  const ids = backends[0]?.patterns.map((v) => v.pattern.id) ?? [];
  for (const id of ids) {
    const per = backends
      .map((b) => b.patterns.find((v) => v.pattern.id === id))
      .filter((v): v is PatternBackendView => !!v && v.strategy !== 'unmeasured' && v.sizes.length > 0);
    if (per.length > 1 && new Set(per.map((v) => v.strategy)).size > 1) {
      out.push(`${code(id)} (${per.map((v) => `${v.backend}: ${v.strategy}`).join(', ')})`);
    }
  }
  return out;
}

export function strategy(m: ReportModel): string {
  const out = ['## Hardware-aware Strategy', ''];
  out.push('From the per-size CIs of correct results. Conditional entries name the sizes where fusing pays off (CI lower bound ≥ the crossover threshold).');
  const all: BackendView[] = [];
  for (const kind of ['cpu', 'gpu'] as const) {
    const ran = m.ran.filter((b) => b.status.kind === kind && b.patterns.some((v) => v.sizes.length > 0));
    out.push('', `### ${KIND_TITLE[kind]}`, '');
    if (ran.length === 0) {
      const missing = m.unavailable.filter((b) => b.kind === kind);
      const why = missing.length ? ` (${missing.map((b) => `${b.name}: ${oneLine(b.reason ?? 'unavailable', 100)}`).join('; ')})` : '';
      out.push(`No ${kind.toUpperCase()} backend ran${why}, so this run gives no ${kind.toUpperCase()} strategy.`);
      continue;
    }
    all.push(...ran);
    out.push(kindTable(m, ran));
  }
  const differ = disagreements(all);
  if (differ.length) {
    out.push('', `The same pattern calls for a different strategy on different backends: ${listing(differ)}. A fusion decision has to be made per backend.`);
  }
  return out.join('\n');
}
