import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { upgradeResults } from '../../harness/schema.ts';
import { details, fixture, mutable, render, section, sizeAt, withoutGpu } from './helpers.ts';
import { defaultConfig } from '../../harness/core/config.ts';
import { renderDetails, renderReport, renderReportExcerpt } from '../../harness/report/markdown.ts';
import { FULL_ASSESSMENT_TITLE } from '../../harness/report/sections/assessment.ts';
import { buildModel, findCrossover, strategyFor } from '../../harness/report/model.ts';
import { breakdown, compactList, fusedPathKernels } from '../../harness/report/kernels.ts';
import { speedupChart } from '../../harness/report/chart.ts';
import { cell, table } from '../../harness/report/table.ts';
import { headingAnchor, ms, percent, sci, times } from '../../harness/report/format.ts';
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

describe('REPORT.md: the decision, from the data', () => {
  const md = render(fixture());
  const raw = fixture();

  it('has the sections the issue asks for, decision first', () => {
    const titles = ['Verdict', 'Should I Fuse It? By Family', 'Biggest Wins and Worst Losses', 'Prediction vs Reality', 'Decision Matrix',
      'Honest Assessment', 'Hardware-aware Strategy', 'Detail'];
    const at = titles.map((t) => md.indexOf(`\n## ${t}\n`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    for (const part of ['What Works', 'Limitations Found', 'Claims We Can Make', 'Claims We Cannot Make']) expect(md).toContain(`### ${part}`);
    for (const sym of ['✓', '⚠', '✗', '×']) expect(md).toContain(sym);
  });

  it('every table row of both files has as many cells as its header', () => {
    for (const text of [md, details(raw)]) {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i].startsWith('|') || (i > 0 && lines[i - 1].startsWith('|'))) continue;
        const width = cells(lines[i]).length;
        for (let j = i; j < lines.length && lines[j].startsWith('|'); j++) expect(cells(lines[j]), lines[j]).toHaveLength(width);
      }
    }
  });

  it('has one summary table and one chart per family, and at most six lines per part of the Honest Assessment', () => {
    const fused = section(md, 'Should I Fuse It? By Family');
    for (const family of ['linear', 'conv', 'norm', 'elementwise']) expect(fused).toContain(`\n### ${family}: `);
    expect(fused.match(/```mermaid/g)).toHaveLength(4);
    expect(fused.match(/\| Pattern +\| Backend +\| Speedup range +\| Memory reduction +\| Verdict \(geomean \[CI\]\) +\| Per size +\|/g)).toHaveLength(4);
    const assessment = section(md, 'Honest Assessment');
    for (const part of assessment.split('\n### ').slice(1)) expect(part.split('\n').filter((l) => l.startsWith('- ')).length).toBeLessThanOrEqual(6);
  });

  // The three numbers the issue asks to trace: each computed here from the fixture, not by the renderer.
  it('three numbers of REPORT.md match the fixture: a per-size speedup, a speedup range and a backend figure', () => {
    const size = raw.patterns.find((p) => p.id === 'LayerNorm')!.results.find((r) => r.backend === 'wasm' && r.size === '512×768')!;
    const row = md.split('\n').find((l) => l.startsWith('| [`LayerNorm`]') && cells(l)[1]!.trim() === 'wasm')!;
    expect(row).toContain(`512×768 ${size.speedup!.ratio.toFixed(2)}×`);

    const relu = raw.patterns.find((p) => p.id === 'Linear_Bias_ReLU')!.results.filter((r) => r.backend === 'wasm').map((r) => r.speedup!.ratio);
    const reluRow = md.split('\n').find((l) => l.startsWith('| [`Linear_Bias_ReLU`]') && cells(l)[1]!.trim() === 'wasm')!;
    expect(cells(reluRow)[2]!.trim()).toBe(`${Math.min(...relu).toFixed(2)}–${Math.max(...relu).toFixed(2)}×`);

    // cpu's figure: geometric mean over families of the geometric mean over patterns of the geometric mean over sizes.
    const gm = (xs: number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
    const families = new Map<string, number[]>();
    for (const p of raw.patterns) {
      const sizes = p.results.filter((r) => r.backend === 'cpu' && r.status === 'ok' && r.correctness!.fused.ok).map((r) => r.speedup!.ratio);
      if (sizes.length) families.set(p.family, [...(families.get(p.family) ?? []), gm(sizes)]);
    }
    const cpu = gm([...families.values()].map(gm));
    expect(section(md, 'Verdict')).toContain(`cpu: Deploy + Expand (${cpu.toFixed(2)}× [`);
  });

  it('answers "should I fuse LayerNorm on wasm at 512×768?" in one row: the size, its speedup and the mark from its CI', () => {
    const row = md.split('\n').find((l) => l.startsWith('| [`LayerNorm`](DETAILS.md#layernorm-layernorm)') && l.includes('| wasm '))!;
    expect(row).toMatch(/512×768 3\.\d\d× ✓/);
  });

  it('puts the pipelines in their own table, the decision judged now from the CI, and marks their row of the Decision Matrix', () => {
    const s = raw.pipelines![0]!.summary.find((x) => x.backend === 'cpu')!;
    const t = section(md, 'Pipelines: Fusion End to End');
    expect(t.split('\n').find((l) => l.startsWith('| Bias + activation pipeline | cpu'))).toContain(`${s.speedup.ratio.toFixed(2)}× [${s.speedup.lo.toFixed(2)}, ${s.speedup.hi.toFixed(2)}]`);
    expect(t).toContain('[MACRO-REPORT.md](MACRO-REPORT.md)');
    expect(section(md, 'Decision Matrix')).toContain('◀ **cpu, pipelines end to end**');
    const none = mutable(fixture());
    delete (none as { pipelines?: unknown }).pipelines;
    expect(render(none as unknown as RunResults)).not.toContain('## Pipelines');
  });

  it('weighs a family as one: copies of near-identical patterns do not move a backend figure', () => {
    const more = mutable(fixture());
    const ew = more.patterns.filter((p) => p.family === 'elementwise');
    for (let i = 0; i < 3; i++) for (const p of ew) more.patterns.push({ ...p, id: `${p.id}_copy${i}` });
    const figure = (r: RunResults): string => section(render(r), 'Verdict').split('\n').find((l) => l.startsWith('**Verdict:'))!.replace(/\[[^\]]*\]/g, '');
    expect(figure(more as unknown as RunResults)).toBe(figure(fixture()));
  });

  it('links each pattern to its section in DETAILS.md, by the anchor GitHub gives its heading', () => {
    const d = details(raw);
    expect(d).toContain('\n### `LayerNorm`: LayerNorm\n');
    expect(headingAnchor('`LayerNorm`: LayerNorm')).toBe('layernorm-layernorm');
    expect(md).toContain('[`LayerNorm`](DETAILS.md#layernorm-layernorm)');
    expect(headingAnchor('`Linear_Bias_GELU`: Linear + Bias + GELU')).toBe('linear_bias_gelu-linear--bias--gelu');
  });

  it('names the three biggest wins and worst losses with the reasons measured, one per family', () => {
    const x = section(md, 'Biggest Wins and Worst Losses');
    const rows = x.split('\n').filter((l) => /^\| (win|loss) \d/.test(l));
    expect(rows.filter((l) => l.startsWith('| win')).length).toBeLessThanOrEqual(3);
    expect(rows.find((l) => l.includes('`Linear_Bias_GELU`') && l.includes('| cpu '))).toMatch(/loss 1 .*7 → 1 kernels per call; 2\.09× fewer bytes moved \(analytic\); slower although it moves fewer bytes/);
    const families = rows.filter((l) => l.startsWith('| win')).map((l) => raw.patterns.find((p) => l.includes(`[\`${p.id}\`]`))!.family);
    expect(new Set(families).size).toBe(families.length);
  });

  it('judges verdicts when it renders: the same results read differently under other thresholds', () => {
    const strict = { ...defaultConfig, verdicts: { strong: 9, moderate: 8, minimal: 0.5 } };
    const rows = (md: string): string => section(md, 'Verdict').split('\n').filter((l) => l.startsWith('| ')).join('\n');
    const a = rows(render(fixture()));
    const b = rows(renderReport(fixture(), { config: strict }));
    expect(a).toContain('✓ Strong');
    expect(b).not.toContain('✓ Strong');
    expect(b).toContain('⚠ Minimal');
  });

  it('marks our row of the Decision Matrix per backend, and the rows an inconclusive CI reaches', () => {
    const dm = section(md, 'Decision Matrix');
    const row = (text: string, decision: string) => text.split('\n').find((l) => l.includes(`| ${decision} `))!;
    for (const b of ['cpu', 'wasm', 'webgpu']) expect(row(dm, 'Deploy + Expand')).toContain(`◀ **${b}**`);
    const other = section(renderReport(fixture(), { config: { ...defaultConfig, decisions: { expand: 1.5, deploy: 1.2 } } }), 'Decision Matrix');
    expect(row(other, 'Deploy + Expand')).toContain('◀ **wasm**');
    expect(row(other, 'Deploy, stop expansion')).toContain('◁ wasm');
  });
});

describe('DETAILS.md: everything else', () => {
  const md = details(fixture());

  it('has every section of the long report', () => {
    for (const title of ['Machine and Backends', 'Methodology', 'Summary Across Patterns', 'Results by Pattern', 'Notes', 'Size Sensitivity',
      'Prediction vs Reality by Pattern', 'Honest Assessment: Every Finding', 'Hardware-aware Strategy by Pattern']) {
      expect(md).toContain(`\n## ${title}\n`);
    }
    expect(Buffer.from(md, 'utf8').toString('utf8')).toBe(md);
  });

  it('writes a note several patterns share once, and refers to it by number', () => {
    const shared = 'Synthetic: the same caveat carried by several suites, to be written once in DETAILS.md.';
    expect(md.split(shared)).toHaveLength(2);
    expect(section(md, 'Notes')).toContain('`LayerNorm`, `Ew_add_max`, `Ew_add_min`, `Ew_mul_max` and `Ew_mul_min`');
    expect(md).toMatch(/> \*\*Shared notes:\*\* \[note 3\]\(#note-3\)/);
  });

  it('shows the processes and rounds behind a CI and why sampling stopped', () => {
    expect(md).toMatch(/\| wasm +\| 512×768 .*\| +12 in 3 processes \(3.06–3.21×\), converged \|/);
  });

  it('gives both sides of an inconclusive verdict', () => {
    expect(md).toContain('inconclusive: ⚠ Minimal benefit … ✓ Moderate benefit');
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
    expect(details(flat as unknown as RunResults)).not.toContain('Small sizes benefit less');
  });

  it('states the GPU clock at each backend\'s start and end, and calls out a drop of more than 10%', () => {
    const r = mutable(fixture());
    const gpu = r.backends.find((b) => b.name === 'webgpu')! as { deviceState?: unknown };
    const at = '2026-01-15T12:00:00.000Z';
    gpu.deviceState = { start: { at, smClockMHz: 1980, temperatureC: 40, powerW: 120 }, end: { at, smClockMHz: 1700, temperatureC: 80, powerW: 690 } };
    expect(details(r as unknown as RunResults)).toContain('⚠ `webgpu`: SM clock 1980 → 1700 MHz, 40 → 80 °C, 120 → 690 W (start → end of its run). The clock fell by 14%');
    gpu.deviceState = { start: { at, smClockMHz: 1980, temperatureC: 40, powerW: 120 }, end: { at, smClockMHz: 1900, temperatureC: 60, powerW: 500 } };
    expect(details(r as unknown as RunResults)).not.toContain('The clock fell');
  });

  it('says when a run was measured the old way, with every sample ending in a read-back', () => {
    const old = upgradeResults(JSON.parse(readFileSync(new URL('../fixtures/results-readback.json', import.meta.url), 'utf8')) as RunResults);
    expect(section(details(old), 'Methodology')).toContain('This run predates pipelined timing');
    expect(render(old)).toContain('## Verdict');
  });
});

describe('GPU statements need a GPU run', () => {
  const md = render(withoutGpu());

  it('makes no GPU claim and derives no GPU strategy when no GPU backend ran', () => {
    expect(section(md, 'Honest Assessment')).toContain('"Fusion pays off on GPUs": no GPU backend ran.');
    expect(section(md, 'Hardware-aware Strategy')).toContain('No GPU backend ran');
    const can = md.slice(md.indexOf('### Claims We Can Make'), md.indexOf('### Claims We Cannot Make'));
    expect(can).not.toMatch(/gpu/i);
    expect(section(md, 'Verdict')).not.toContain('webgpu:');
    expect(section(details(withoutGpu()), FULL_ASSESSMENT_TITLE)).toContain('"Fusion pays off on GPUs": no GPU backend ran (webgpu: no GPU adapter found; cuda:');
  });
});

describe('edge cases', () => {
  it('renders a run with no backend and no pattern without inventing a verdict', () => {
    const r = mutable(fixture());
    r.backends = [];
    r.patterns = [];
    expect(renderReport(r as unknown as RunResults, { config: defaultConfig })).toContain('nothing to judge');
    expect(renderDetails(r as unknown as RunResults, { config: defaultConfig })).toContain('No pattern was selected for this run.');
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
    expect(ex).toContain('…and 7 more patterns in the full report.');
    const rows = ex.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(3);
    expect(ex).toContain('2026-01-15 12:00 UTC');
  });
});

describe('rules added after reading a real report', () => {
  it('calls a run noisy only when the samples say so', () => {
    expect(details(fixture())).not.toContain('Timings were noisy');
    const noisy = mutable(fixture());
    for (const p of noisy.patterns) {
      for (const r of p.results) {
        for (const v of [r.unfused, r.fused]) if (v) { v.p10Ms = v.throughputMs * 0.5; v.p90Ms = v.throughputMs * 1.5; }
      }
    }
    expect(details(noisy as unknown as RunResults)).toContain('Timings were noisy: a variant\'s p10–p90 spread was a median 100% of its median time');
    expect(render(noisy as unknown as RunResults)).toContain('Noisy timings: median p10–p90 spread 100% of the median');
  });

  it('says when a speedup exceeds what the bytes saved can explain, and only then', () => {
    expect(details(fixture())).toMatch(/`Conv2d_BN` on webgpu gains more than its bytes can explain: 2\.37× \[2\.33, 2\.41\] against a byte ratio of at most 1\.29×/);
    const r = mutable(fixture());
    for (const p of r.patterns) for (const x of p.results) x.cost.bytesUnfused = x.cost.bytesFused * 10;
    expect(details(r as unknown as RunResults)).not.toContain('gains more than its bytes can explain');
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
  it('places sections rendered from other data at the end of DETAILS.md, links them from REPORT.md, and drops empty ones', () => {
    const opts = { config: defaultConfig, extraSections: ['## Roofline\n\nfrom measured ceilings\n', '  '] };
    const md = renderDetails(fixture(), opts);
    expect(md.indexOf('## Roofline')).toBeGreaterThan(md.indexOf('## Hardware-aware Strategy by Pattern'));
    expect(md).not.toMatch(/---\n\n\n*---/);
    expect(section(renderReport(fixture(), opts), 'Detail')).toContain('[Roofline](DETAILS.md#roofline)');
  });
});
