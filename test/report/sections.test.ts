import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { upgradeResults } from '../../harness/schema.ts';
import { fixture, mutable, render, section, sizeAt, withoutGpu } from './helpers.ts';
import { defaultConfig } from '../../harness/core/config.ts';
import { renderReport, renderReportExcerpt } from '../../harness/report/markdown.ts';
import { buildModel, findCrossover, strategyFor } from '../../harness/report/model.ts';
import { breakdown, compactList, fusedPathKernels } from '../../harness/report/kernels.ts';
import { speedupChart } from '../../harness/report/chart.ts';
import { cell, table } from '../../harness/report/table.ts';
import { ms, percent, sci, times } from '../../harness/report/format.ts';
import type { RunResults } from '../../harness/core/types.ts';

/** Cells of a GFM table row, honouring `\|` escapes. */
function cells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
}

describe('formatting', () => {
  it('formats figures the same way everywhere', () => {
    expect(times(1.2345)).toBe('1.23×');
    expect(ms(0.012345)).toBe('0.0123');
    expect(ms(25.24)).toBe('25.2');
    expect(ms(1234.4)).toBe('1234');
    expect(percent(-0.126)).toBe('−13%');
    expect(sci(5.12e-7)).toBe('5.1e-7');
    expect(sci(null)).toBe('not finite');
    expect(sci(Number.NaN)).toBe('not finite');
  });

  it('tables escape pipes and newlines so data cannot break a row, and reject ragged rows', () => {
    expect(cell('a | b\nc')).toBe('a \\| b c');
    const t = table(['x', 'y'], [['1 | 2', 'multi\nline']]);
    for (const line of t.split('\n')) expect(cells(line)).toHaveLength(2);
    expect(() => table(['x', 'y'], [['only one']])).toThrow(/row 0 has 1 cells, expected 2/);
  });
});

describe('kernels launched', () => {
  it('counts compute kernels only: shape-only kernels and op-scope entries are not launches', () => {
    const b = breakdown(['Reshape', 'Reshape', '_FusedMatMul', 'Reshape', 'fusedMatMul__op']);
    expect(b.compute).toEqual(['_FusedMatMul']);
    expect(b.shapeOnly).toHaveLength(3);
    expect(b.wrappers).toEqual(['fusedMatMul__op']);
    expect(compactList(['Mul', 'Mul', 'Add', 'Mul'])).toBe('Mul×2, Add, Mul');
  });

  it('names the fused variant from the kernels launched, falling back to the suite declaration', () => {
    const ours = sizeAt('s', 1, 1, 1, 1);
    const withOurs = { ...ours, fused: { ...ours.fused!, kernels: ['FusebenchLinearAct'] } };
    const ternary = { ...ours, fused: { ...ours.fused!, kernels: ['TernaryNotBinary'] } };
    expect(fusedPathKernels([withOurs], 'tfjs fused kernel')!.fusedBy).toBe('fusebench kernel');
    expect(fusedPathKernels([ternary], 'tfjs fused kernel')!.fusedBy).toBe('fusebench kernel');
    const tfjs = fusedPathKernels([ours], 'tfjs fused kernel')!;
    expect(tfjs.fusedBy).toBe('tfjs fused kernel');
    expect(tfjs.fusedBySource).toBe('suite declaration');
    expect(fusedPathKernels([ours], 'fusebench kernel')!.declaredButAbsent).toBe(true);
    const twoKernels = { ...ours, fused: { ...ours.fused!, kernels: ['Conv2D', 'Reshape', 'Add'] } };
    expect(fusedPathKernels([ours, twoKernels], 'folded at build time')).toMatchObject({ minCompute: 1, maxCompute: 2 });
    expect(fusedPathKernels([], 'tfjs fused kernel')).toBeUndefined();
  });
});

describe('crossover and strategy', () => {
  const cfg = defaultConfig;
  const s = (name: string, mag: number, lo: number, hi = lo + 0.1) => sizeAt(name, mag, (lo + hi) / 2, lo, hi);

  it('crossover is the smallest size whose CI lower bound reaches config.crossover', () => {
    const sizes = [s('a', 1, 0.9), s('b', 2, 1.05), s('c', 3, 1.1), s('d', 4, 1.3)];
    expect(findCrossover(sizes, 1.1).size?.size).toBe('c');
    expect(findCrossover(sizes, 1.1).fallsBackAt).toEqual([]);
    expect(findCrossover(sizes.slice(0, 2), 1.1).size).toBeUndefined();
    const back = findCrossover([s('a', 1, 1.2), s('b', 2, 1.0)], 1.1);
    expect(back.size?.size).toBe('a');
    expect(back.fallsBackAt.map((r) => r.size)).toEqual(['b']);
  });

  it('classifies always / conditional / optional / avoid from the per-size CIs', () => {
    const view = (sizes: ReturnType<typeof s>[], incorrect: ReturnType<typeof s>[] = []) =>
      strategyFor({ correct: sizes, incorrect, crossover: findCrossover(sizes, cfg.crossover) }, cfg);
    expect(view([s('a', 1, 1.2), s('b', 2, 1.5)])).toBe('always');
    expect(view([s('a', 1, 0.9), s('b', 2, 1.2)])).toBe('conditional');
    expect(view([s('a', 1, 0.97), s('b', 2, 1.0)])).toBe('optional');
    expect(view([s('a', 1, 0.7, 0.8), s('b', 2, 1.0)])).toBe('avoid');
    expect(view([s('a', 1, 1.5)], [s('b', 2, 2)])).toBe('avoid');
    expect(view([])).toBe('unmeasured');
  });
});

describe('speedup chart', () => {
  it('plots one line per backend plus break-even, only over sizes every backend measured correctly', () => {
    const m = buildModel(fixture(), defaultConfig);
    const gelu = m.views.get('Linear_Bias_GELU')!;
    const chart = speedupChart('Linear_Bias_GELU', gelu, 1.1);
    expect(chart.block).toMatch(/^```mermaid\n/);
    expect(chart.block).toContain('xychart-beta');
    expect(chart.block!.match(/^ {2}line \[/gm)).toHaveLength(4);
    expect(chart.block).toContain('x-axis "size" ["32×64→64", "128×256→256"]');
    expect(chart.caption).toContain('Not plotted');
    expect(chart.caption).toContain('512×768→3072 (wasm, webgpu)');
    expect(chart.caption).toContain('cpu (blue), wasm (orange) and webgpu (green)');
  });

  it('draws nothing when no size was measured correctly', () => {
    const m = buildModel(fixture(), defaultConfig);
    const none = m.views.get('Conv2d_BN')!.map((v) => ({ ...v, correct: [] }));
    expect(speedupChart('Conv2d_BN', none, 1.1).block).toBeUndefined();
  });
});

describe('report content comes from the data', () => {
  const md = render(fixture());

  it('has every section the issue asks for, in UTF-8 with the verdict symbols', () => {
    for (const title of ['Executive Summary', 'Machine and Backends', 'Methodology', 'Results by Pattern', 'Summary Across Patterns',
      'Size Sensitivity', 'Prediction vs Reality', 'Decision Matrix', 'Honest Assessment', 'Hardware-aware Strategy']) {
      expect(md).toContain(`\n## ${title}`);
    }
    for (const part of ['What Works', 'Limitations Found', 'Claims We Can Make', 'Claims We Cannot Make']) expect(md).toContain(`### ${part}`);
    for (const sym of ['✓', '⚠', '✗', '×']) expect(md).toContain(sym);
    expect(Buffer.from(md, 'utf8').toString('utf8')).toBe(md);
  });

  it('every table row has as many cells as its header', () => {
    const lines = md.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith('|') || (i > 0 && lines[i - 1].startsWith('|'))) continue;
      const width = cells(lines[i]).length;
      for (let j = i; j < lines.length && lines[j].startsWith('|'); j++) expect(cells(lines[j]), lines[j]).toHaveLength(width);
    }
  });

  it('gives both sides of an inconclusive verdict', () => {
    expect(md).toContain('inconclusive: ⚠ Minimal benefit … ✓ Moderate benefit');
  });

  it('marks the applicable decision row per backend, and the rows an inconclusive CI reaches', () => {
    const dm = section(md, 'Decision Matrix');
    const row = (decision: string) => dm.split('\n').find((l) => l.includes(`| ${decision} `))!;
    expect(row('Re-evaluate')).toContain('◀ **cpu**');
    expect(row('Deploy + Expand')).toContain('◀ **webgpu**');
    expect(row('Deploy + Expand')).toContain('◀ **wasm**');
    expect(row('Deploy, stop expansion')).toContain('◁ wasm');
  });

  it('shows failed sizes with their error, and incorrect ones as ✗ Incorrect with the error size', () => {
    expect(md).toContain('✗ failed (error below)');
    expect(md).toContain('exceeds maxStorageBufferBindingSize');
    expect(md).toMatch(/\| wasm +\| 512×768→3072 .*✗ 3\.1e-2 \(rel 4\.4e-1\) +\| ✗ Incorrect/);
  });

  it('shows throughput, latency and, for a GPU backend with a device clock, device time, and says which the verdict uses', () => {
    expect(md).toContain('Latency ms unfused → fused');
    expect(md).toContain('Device ms unfused → fused');
    expect(md).toContain('verdicts use throughput');
    expect(section(md, 'Methodology')).toContain('Nothing is read back inside a timed region');
  });

  it('names the fused variant per backend from the kernels launched', () => {
    expect(md).toContain('fused path: **fusebench kernel** (a fusebench kernel was launched)');
    expect(md).toContain('fused path: **tfjs fused kernel** (from the suite\'s declaration)');
    expect(md).toContain('`Conv2d_BN` on wasm: the fused path is not a single kernel: it launches 2 compute kernels (`Conv2D, Add`) against 2 unfused.');
  });

  it('states size effects only where they were measured', () => {
    expect(md).toContain('Small sizes benefit less: `Linear_Bias_ReLU` on wasm');
    const flat = mutable(fixture());
    for (const p of flat.patterns) {
      for (const r of p.results) if (r.speedup) r.speedup = { ratio: 1.2, lo: 1.15, hi: 1.25 };
    }
    expect(render(flat as unknown as RunResults)).not.toContain('Small sizes benefit less');
  });

  it('states the GPU clock at each backend\'s start and end, and calls out a drop of more than 10%', () => {
    const r = mutable(fixture());
    const gpu = r.backends.find((b) => b.name === 'webgpu')! as { deviceState?: unknown };
    const at = '2026-01-15T12:00:00.000Z';
    gpu.deviceState = { start: { at, smClockMHz: 1980, temperatureC: 40, powerW: 120 }, end: { at, smClockMHz: 1700, temperatureC: 80, powerW: 690 } };
    expect(render(r as unknown as RunResults)).toContain('⚠ `webgpu`: SM clock 1980 → 1700 MHz, 40 → 80 °C, 120 → 690 W (start → end of its run). The clock fell by 14%');
    gpu.deviceState = { start: { at, smClockMHz: 1980, temperatureC: 40, powerW: 120 }, end: { at, smClockMHz: 1900, temperatureC: 60, powerW: 500 } };
    expect(render(r as unknown as RunResults)).not.toContain('The clock fell');
  });

  it('says when a run was measured the old way, with every sample ending in a read-back', () => {
    const old = upgradeResults(JSON.parse(readFileSync(new URL('../fixtures/results-readback.json', import.meta.url), 'utf8')) as RunResults);
    expect(section(render(old), 'Methodology')).toContain('This run predates pipelined timing');
  });
});

describe('GPU statements need a GPU run', () => {
  const md = render(withoutGpu());

  it('makes no GPU claim and derives no GPU strategy when no GPU backend ran', () => {
    expect(section(md, 'Honest Assessment')).toContain('"Fusion pays off on GPUs": no GPU backend ran (webgpu: no GPU adapter found; cuda:');
    expect(section(md, 'Hardware-aware Strategy')).toContain('No GPU backend ran');
    const can = md.slice(md.indexOf('### Claims We Can Make'), md.indexOf('### Claims We Cannot Make'));
    expect(can).not.toMatch(/gpu/i);
    expect(section(md, 'Executive Summary')).not.toContain('webgpu:');
  });
});

describe('edge cases', () => {
  it('renders a run with no backend and no pattern without inventing a verdict', () => {
    const r = mutable(fixture());
    r.backends = [];
    r.patterns = [];
    const md = renderReport(r as unknown as RunResults, { config: defaultConfig });
    expect(md).toContain('nothing to judge');
    expect(md).toContain('No pattern was selected for this run.');
  });

  it('uses the thresholds it is given', () => {
    const strict = { ...defaultConfig, decisions: { expand: 3, deploy: 2.5 }, crossover: 3 };
    const md = renderReport(fixture(), { config: strict });
    expect(section(md, 'Decision Matrix')).toContain('| ≥ 3.00×');
    expect(section(md, 'Decision Matrix').split('\n').find((l) => l.includes('| Re-evaluate '))).toContain('◀ **webgpu**');
  });
});

describe('README excerpt', () => {
  it('keeps the verdict line and at most maxPatterns rows per backend, saying how many more there are', () => {
    const ex = renderReportExcerpt(fixture(), { config: defaultConfig, maxPatterns: 1 });
    expect(ex).toContain('**Verdict:');
    expect(ex).toContain('…and 2 more patterns in the full report.');
    const rows = ex.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(3);
    expect(ex).toContain('2026-01-15 12:00 UTC');
  });
});

describe('rules added after reading a real report', () => {
  it('calls a run noisy only when the samples say so', () => {
    expect(render(fixture())).not.toContain('Timings were noisy');
    const noisy = mutable(fixture());
    for (const p of noisy.patterns) {
      for (const r of p.results) {
        for (const v of [r.unfused, r.fused]) if (v) { v.p10Ms = v.throughputMs * 0.5; v.p90Ms = v.throughputMs * 1.5; }
      }
    }
    expect(render(noisy as unknown as RunResults)).toContain('Timings were noisy: a variant\'s p10–p90 spread was a median 100% of its median time');
  });

  it('says when a speedup exceeds what the bytes saved can explain, and only then', () => {
    expect(render(fixture())).toMatch(/`Conv2d_BN` on webgpu gains more than its bytes can explain: 2\.37× \[2\.33, 2\.41\] against a byte ratio of at most 1\.29×/);
    const r = mutable(fixture());
    for (const p of r.patterns) for (const x of p.results) x.cost.bytesUnfused = x.cost.bytesFused * 10;
    expect(render(r as unknown as RunResults)).not.toContain('gains more than its bytes can explain');
  });

  it('names size-dependent payoffs precisely when a larger size falls back below the threshold', async () => {
    const { crossoverPhrase } = await import('../../harness/report/text.ts');
    const sizes = [sizeAt('a', 1, 1.3, 1.2, 1.4), sizeAt('b', 2, 1.0, 0.9, 1.1), sizeAt('c', 3, 1.3, 1.2, 1.4)];
    const base = buildModel(fixture(), defaultConfig).views.get('Conv2d_BN')![0];
    expect(crossoverPhrase({ ...base, crossover: findCrossover(sizes, 1.1) })).toBe('at a (not at b)');
    expect(crossoverPhrase({ ...base, crossover: findCrossover(sizes.slice(1), 1.1) })).toBe('from c up');
    expect(crossoverPhrase({ ...base, crossover: findCrossover([], 1.1) })).toBe('at no measured size');
  });
});

describe('extra sections', () => {
  it('places sections rendered from other data after the strategy, and drops empty ones', () => {
    const md = renderReport(fixture(), { config: defaultConfig, extraSections: ['## Roofline\n\nfrom measured ceilings\n', '  '] });
    expect(md.indexOf('## Roofline')).toBeGreaterThan(md.indexOf('## Hardware-aware Strategy'));
    expect(md).not.toMatch(/---\n\n\n*---/);
  });
});
