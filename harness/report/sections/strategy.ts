/**
 * Hardware-aware strategy: per backend kind, which patterns to always fuse, fuse from a size up,
 * leave optional, or avoid, each decided from the per-size CIs (see `strategyFor` in model.ts).
 */
import type { BackendKind } from '../../core/types.ts';
import type { BackendView, PatternBackendView, ReportModel, Strategy } from '../model.ts';
import { code, count, listing, oneLine, speedupWithCi, times } from '../format.ts';
import { table } from '../table.ts';
import { crossoverPhrase, paysAtPhrase } from '../text.ts';

const KIND_TITLE: Readonly<Record<BackendKind, string>> = { cpu: 'CPU backends', gpu: 'GPU backends' };
const KIND_WORD: Readonly<Record<BackendKind, string>> = { cpu: 'CPU', gpu: 'GPU' };

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
  const out = ['## Hardware-aware Strategy by Pattern', ''];
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

const MARK: Readonly<Record<Strategy, string>> = { always: '✓ always', conditional: '✓ by size', optional: '⚠ optional', avoid: '✗ avoid', unmeasured: 'not measured' };

/** One family on one backend: its patterns grouped by strategy, conditional ones with the sizes where fusing pays; `(all 16)` when they all agree. */
function familyCell(views: readonly PatternBackendView[], crossover: number): string {
  const ran = views.filter((v) => v.sizes.length > 0);
  if (ran.length === 0) return '—';
  const groups = (['always', 'conditional', 'optional', 'avoid', 'unmeasured'] as const)
    .map((s) => [s, ran.filter((v) => v.strategy === s)] as const)
    .filter(([, vs]) => vs.length > 0);
  const where = (v: PatternBackendView): string => paysAtPhrase(v, crossover);
  if (groups.length === 1 && ran.length > 3) {
    const [s, vs] = groups[0]!;
    const phrases = new Set(vs.map(where));
    if (s !== 'conditional') return `${MARK[s]} (all ${ran.length})`;
    if (phrases.size === 1) return `${MARK[s]} (all ${ran.length}): ${[...phrases][0]}`;
  }
  return groups.map(([s, vs]) => `${MARK[s]}: ${vs.map((v) => (s === 'conditional' ? `${code(v.pattern.id)} ${where(v)}` : code(v.pattern.id))).join(', ')}`).join('; ');
}

/** REPORT.md's strategy: one row per family, one column per backend that ran (its kind named); per pattern in DETAILS.md. */
export function familyStrategy(m: ReportModel): string {
  const ran = m.ran.filter((b) => b.patterns.some((v) => v.sizes.length > 0));
  const out = [
    '## Hardware-aware Strategy',
    '',
    `From the per-size CIs of correct results: ✓ always (CI lower bound ≥ ${times(m.config.crossover)} at every size), ✓ by size (only where named), ` +
      `⚠ optional (no size clearly gains or loses), ✗ avoid (slower at some size and faster at none, or incorrect).`,
  ];
  for (const kind of ['cpu', 'gpu'] as const) {
    if (ran.some((b) => b.status.kind === kind)) continue;
    const missing = m.unavailable.filter((b) => b.kind === kind);
    out.push('', `No ${kind.toUpperCase()} backend ran${missing.length ? ` (${missing.map((b) => `${b.name}: ${oneLine(b.reason ?? 'unavailable', 80)}`).join('; ')})` : ''}, so this run gives no ${kind.toUpperCase()} strategy.`);
  }
  if (ran.length === 0) return out.join('\n');
  const families = [...new Set(ran.flatMap((b) => b.families.map((f) => f.family)))];
  const rows = families.map((family) => [family, ...ran.map((b) => familyCell(b.patterns.filter((v) => v.pattern.family === family), m.config.crossover))]);
  out.push('', table(['Family', ...ran.map((b) => `${b.status.name} (${KIND_WORD[b.status.kind]})`)], rows));
  const differ = disagreements(ran);
  if (differ.length) out.push('', `Backends disagree on ${count(differ.length, 'pattern')}: a fusion decision has to be made per backend.`);
  return out.join('\n');
}
