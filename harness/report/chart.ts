/**
 * Speedup against size as Mermaid `xychart-beta` blocks (GitHub renders them). xychart has no legend,
 * so every line gets a fixed colour through the theme palette and the caption names them.
 * A line cannot have gaps, so the x axis holds only sizes that every plotted line has a value for;
 * the caption lists what was left out.
 */
import type { FamilyView, PatternBackendView } from './model.ts';
import { isCorrect } from './model.ts';
import { geomean } from './aggregate.ts';
import { listing } from './format.ts';

const PALETTE: ReadonlyArray<readonly [colour: string, name: string]> = [
  ['#1f77b4', 'blue'],
  ['#ff7f0e', 'orange'],
  ['#2ca02c', 'green'],
  ['#d62728', 'red'],
  ['#9467bd', 'purple'],
  ['#8c564b', 'brown'],
];
const BREAK_EVEN: readonly [string, string] = ['#999999', 'grey'];

/** Text for a Mermaid quoted string: double quotes cannot be escaped there, so they become single. */
const quoted = (text: string): string => `"${text.replace(/"/g, "'")}"`;

export interface SpeedupChart {
  /** The fenced mermaid block, or undefined when nothing can be plotted. */
  readonly block?: string;
  readonly caption: string;
}

/** The fenced block: one line per series, coloured by `colours` (palette indices; default: in order), then break-even at 1.00×. */
function xyChart(title: string, xLabels: readonly string[], series: ReadonlyArray<readonly number[]>, crossover: number, colours?: readonly number[]): string {
  const all = [...series.flat(), 1, crossover];
  const lo = Math.max(0, Math.floor(Math.min(...all) * 10) / 10 - 0.1);
  const hi = Math.ceil(Math.max(...all) * 10) / 10 + 0.1;
  const palette = [...series.map((_, i) => PALETTE[colours?.[i] ?? i]![0]), BREAK_EVEN[0]].join(', ');
  return [
    '```mermaid',
    // The palette in a one-line init directive (the frontmatter form takes three lines; both render the same).
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `  title ${quoted(title)}`,
    `  x-axis ${quoted('size')} [${xLabels.map(quoted).join(', ')}]`,
    `  y-axis ${quoted('speedup (×)')} ${lo.toFixed(1)} --> ${hi.toFixed(1)}`,
    ...series.map((s) => `  line [${s.map((x) => x.toFixed(2)).join(', ')}]`),
    `  line [${xLabels.map(() => '1.00').join(', ')}]`,
    '```',
  ].join('\n');
}

/** `Lines: cpu (blue) and wasm (orange); grey: break-even at 1.00×.` */
export function legend(names: readonly string[]): string {
  return `Lines: ${listing(names.slice(0, PALETTE.length).map((n, i) => `${n} (${PALETTE[i]![1]})`))}; ${BREAK_EVEN[1]}: break-even at 1.00×.`;
}

/** One pattern: one line per backend, over the sizes every plotted backend measured correctly. */
export function speedupChart(patternId: string, views: readonly PatternBackendView[], crossover: number): SpeedupChart {
  const plotted = views.filter((v) => v.correct.length > 0).slice(0, PALETTE.length);
  if (plotted.length === 0) return { caption: 'No size was measured correctly on any backend, so there is nothing to plot.' };
  // Sizes in magnitude order (first-seen label wins when magnitudes tie).
  const bySize = new Map<string, number>();
  for (const v of plotted) for (const r of v.sizes) if (!bySize.has(r.size)) bySize.set(r.size, r.magnitude);
  const allSizes = [...bySize.entries()].sort((a, b) => a[1] - b[1]).map(([s]) => s);
  const value = (v: PatternBackendView, size: string): number | undefined => {
    const r = v.sizes.find((x) => x.size === size);
    return r && isCorrect(r) && r.speedup ? r.speedup.ratio : undefined;
  };
  const sizes = allSizes.filter((s) => plotted.every((v) => value(v, s) !== undefined));
  const leftOut = allSizes
    .filter((s) => !sizes.includes(s))
    .map((s) => `${s} (${plotted.filter((v) => value(v, s) === undefined).map((v) => v.backend).join(', ')})`);
  if (sizes.length === 0) {
    return { caption: `No size was measured correctly on every backend (${listing(plotted.map((v) => v.backend))}); see the table for each backend's figures.` };
  }
  const series = plotted.map((v) => sizes.map((s) => value(v, s)!));
  const caption = `${legend(plotted.map((v) => v.backend))} Points are the sizes' speedups; the CIs are in the table.` +
    (leftOut.length ? ` Not plotted (no correct measurement on every backend): ${leftOut.join('; ')}.` : '');
  return { block: xyChart(`${patternId}: speedup vs size`, sizes, series, crossover), caption };
}

/**
 * One family: one line per backend, coloured by the backend's place in `backends` (so one legend serves every family
 * chart); point k is the geometric mean, over the family's patterns, of each pattern's speedup at its k-th smallest
 * size (correct results only). The axis names the size where every pattern of the family shares it, else `#k`, and
 * the title says so. Returns undefined when nothing can be plotted.
 */
export function familyChart(family: string, perBackend: readonly FamilyView[], backends: readonly string[], crossover: number): string | undefined {
  const plotted = perBackend.filter((f) => f.counted.length > 0 && backends.indexOf(f.backend) < PALETTE.length);
  if (plotted.length === 0) return undefined;
  const steps = Math.max(...plotted.flatMap((f) => f.counted.map((v) => v.sizes.length)));
  const at = (f: FamilyView, k: number): number | undefined => {
    const values = f.counted.flatMap((v) => {
      const r = v.sizes[k];
      return r && isCorrect(r) && r.speedup ? [r.speedup.ratio] : [];
    });
    return values.length ? geomean(values) : undefined;
  };
  const kept = Array.from({ length: steps }, (_, k) => k).filter((k) => plotted.every((f) => at(f, k) !== undefined));
  if (kept.length === 0) return undefined;
  const labels = kept.map((k) => {
    const names = new Set(plotted.flatMap((f) => f.patterns.map((v) => v.sizes[k]?.size ?? '')));
    return names.size === 1 ? [...names][0]! : `#${k + 1}`;
  });
  const notes = [
    ...(labels.some((l) => l.startsWith('#')) ? ['#k: k-th smallest size of each pattern'] : []),
    ...(kept.length < steps ? ['steps without a correct result on every backend left out'] : []),
  ];
  const title = `${family}: speedup vs size${notes.length ? ` (${notes.join('; ')})` : ''}`;
  return xyChart(title, labels, plotted.map((f) => kept.map((k) => at(f, k)!)), crossover, plotted.map((f) => backends.indexOf(f.backend)));
}
