/**
 * Speedup against size as a Mermaid `xychart-beta` block (GitHub renders it). xychart has no legend,
 * so every line gets a fixed colour through the theme palette and the caption names them.
 * A line cannot have gaps, so the x axis holds only sizes that every plotted backend measured correctly;
 * the caption lists what was left out.
 */
import type { PatternBackendView } from './model.ts';
import { isCorrect } from './model.ts';
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
  const all = [...series.flat(), 1, crossover];
  const lo = Math.max(0, Math.floor(Math.min(...all) * 10) / 10 - 0.1);
  const hi = Math.ceil(Math.max(...all) * 10) / 10 + 0.1;
  const palette = [...plotted.map((_, i) => PALETTE[i][0]), BREAK_EVEN[0]].join(', ');
  const lines = [
    '```mermaid',
    '---',
    'config:',
    '  themeVariables:',
    '    xyChart:',
    `      plotColorPalette: "${palette}"`,
    '---',
    'xychart-beta',
    `  title ${quoted(`${patternId}: speedup vs size`)}`,
    `  x-axis ${quoted('size')} [${sizes.map(quoted).join(', ')}]`,
    `  y-axis ${quoted('speedup (×)')} ${lo.toFixed(1)} --> ${hi.toFixed(1)}`,
    ...series.map((s) => `  line [${s.map((x) => x.toFixed(2)).join(', ')}]`),
    `  line [${sizes.map(() => '1.00').join(', ')}]`,
    '```',
  ];
  const legend = plotted.map((v, i) => `${v.backend} (${PALETTE[i][1]})`);
  const caption = `Lines: ${listing(legend)}; ${BREAK_EVEN[1]}: break-even at 1.00×. ` +
    `Points are ratios of medians; the CIs are in the table.` +
    (leftOut.length ? ` Not plotted (no correct measurement on every backend): ${leftOut.join('; ')}.` : '');
  return { block: lines.join('\n'), caption };
}
