/** MACRO-REPORT.md from fixed data: the study's shape, our row marked, every figure traceable to the input. */
import { describe, expect, it } from 'vitest';
import { renderMacroReport } from '../../harness/report/macro.ts';
import { study, type SizeSpec } from './macro-fixture.ts';

const size = (label: string, speedup: number, extra: Partial<SizeSpec> = {}): SizeSpec => ({
  size: label, unfusedMs: 2, speedup, coverage: 0.4, micro: 1.6, copyRatio: 1.2, ...extra,
});
const image = (speedup: number, extra: Partial<SizeSpec> = {}): SizeSpec[] => ['256×256', '512×512', '1024×1024', '2048×2048'].map((l) => size(l, speedup, extra));
const neural = (speedup: number, extra: Partial<SizeSpec> = {}): SizeSpec[] => ['1,024 neurons', '10,000 neurons', '100,000 neurons'].map((l) => size(l, speedup, { coverage: 0.05, ...extra }));

/** The line of the decision matrix that carries "THIS IS US". */
const markedRow = (md: string): string | undefined => md.split('\n').find((l) => l.includes('THIS IS US'));

describe('macro report', () => {
  const good = renderMacroReport(study([{ name: 'cpu', image: image(1.25), neural: neural(1.2), micro: [1.8, 1.7, 1.6] }], [
    { name: 'webgpu', kind: 'gpu', available: false, reason: 'no Vulkan loader' },
  ]));

  it('has the study\'s sections, in its order, for each measured backend', () => {
    const headings = good.split('\n').filter((l) => /^#{1,3} /.test(l));
    const order = [
      '# Macro Benchmark Results: Phase 4.1 Fusion Validation — cpu', '## Executive Summary', '## Methodology',
      '## Benchmark 1: Ternary image processing pipeline', '### Results', '### Analysis',
      '## Benchmark 2: Ternary neural network layer', '### Results', '### Analysis',
      '## Comparison: Prediction vs Reality', '## Honest Assessment', '### What Works', '### Limitations Found',
      '### Conservative Claims We Can Make', '### What We Still Cannot Claim', '## Decision Matrix', '## Next Steps',
    ];
    let at = -1;
    for (const h of order) {
      const next = headings.indexOf(h, at + 1);
      expect(next, `missing or out of order: ${h}`).toBeGreaterThan(at);
      at = next;
    }
    expect(good).toContain('# Macro Benchmark Results: Phase 4.1 Fusion Validation — webgpu');
    expect(good).toContain('**Not measured:** no Vulkan loader');
  });

  it('uses the study\'s table columns, filled from the data', () => {
    expect(good).toMatch(/\| Image Size +\| Unfused \(ms\) +\| Fused \(ms\) +\| Speedup +\|/);
    expect(good).toMatch(/\| 256×256 +\| 2\.00 +\| 1\.60 +\| 1\.25× \[1\.25, 1\.25\] +\|/);
    expect(good).toMatch(/\| Layer Size +\| Speedup +\|/);
    expect(good).toMatch(/\| 100,000 neurons +\| 1\.20× \[1\.20, 1\.20\] +\|/);
    expect(good).toMatch(/\| Metric +\| Predicted +\| Measured \(Avg\) +\| Delta +\|/);
    expect(good).toContain('**Average: 1.25× [1.25, 1.25] (25% improvement), geometric mean over 4 size(s)**');
    // Amdahl from the fixture's coverage and micro speedup: 1 / (0.6 + 0.4 / 1.6) = 1.176…
    expect(good).toMatch(/\| 256×256 +\| 40% \[40%, 40%\] +\| 1\.60× \[1\.60, 1\.60\] +\| 1\.18× \[1\.18, 1\.18\] +\| 1\.25× \[1\.25, 1\.25\] +\| \+7 pts/);
    expect(good).toContain('int8 storage would move a quarter of the bytes');
  });

  it('marks our row of the decision matrix from the measured average', () => {
    expect(good).toContain('**Verdict: ✓ DEPLOY PHASE 4.1 ON CPU');
    expect(markedRow(good)).toMatch(/≥ 1\.10×/);
    const stop = renderMacroReport(study([{ name: 'wasm', image: image(1.07), neural: neural(1.07), micro: [1.5] }]));
    expect(stop).toContain('**Verdict: ⚠ DEPLOY PHASE 4.1 ON WASM, STOP EXPANSION');
    expect(markedRow(stop)).toMatch(/1\.05–1\.10×/);
    const none = renderMacroReport(study([{ name: 'cpu', image: image(0.98), neural: neural(1.0), micro: [1.1] }]));
    expect(none).toContain('**Verdict: ✗ RE-EVALUATE PHASE 4.1 ON CPU');
    expect(markedRow(none)).toMatch(/< 1\.05×/);
    expect(none).toContain('~~"Phase 4.1 fusion provides 25-40% speedup in realistic ternary pipelines"~~');
    expect(none).not.toContain('✓ **"On cpu, Phase 4.1 fusion speeds up');
  });

  it('says inconclusive when the interval crosses a threshold, and marks no row', () => {
    const md = renderMacroReport(study([{ name: 'cpu', image: image(1.08, { spread: 0.2 }), neural: neural(1.08, { spread: 0.2 }), micro: [1.5] }]));
    expect(md).toMatch(/\*\*Verdict: ⚠ INCONCLUSIVE ON CPU/);
    expect(markedRow(md)).toMatch(/1\.05–1\.10× .*THIS IS US\*\* \(point estimate; the 95% CI spans other rows\)/);
    expect(md.split('\n').filter((l) => l.includes('(within the 95% CI)')).length).toBeGreaterThan(0);
    expect(md).toContain('NO FIRM RECOMMENDATION ON CPU');
  });

  it('a wrong fused result overrides every speedup', () => {
    const md = renderMacroReport(study([{ name: 'cpu', image: [size('256×256', 2.0, { correct: false }), ...image(1.3).slice(1)], neural: neural(1.3), micro: [1.8] }]));
    expect(md).toContain('**Verdict: ✗ INCORRECT');
    expect(md).toContain('✗ incorrect (unfused 0, fused 12 mismatches)');
    expect(markedRow(md)).toBeUndefined();
  });

  it('compares with the study\'s claims without presenting them as ours', () => {
    expect(good).toMatch(/\| Micro speedup of tnot∘tadd +\| 1\.77× +\| 1\.70× geometric mean \(range 1\.60×–1\.80×\) +\| at 2 of 3 sizes the CI reaches it +\|/);
    expect(good).toMatch(/\| Image pipeline macro speedup +\| 1\.25× +\| 1\.25× \[1\.25, 1\.25\] +\| yes +\|/);
    expect(good).toMatch(/\| Neural layer macro speedup +\| 1\.37× +\| 1\.20× \[1\.20, 1\.20\] +\| no \(measured lower\) +\|/);
    expect(good).toMatch(/Amdahl with those inputs gives 1\.10×/);
    // The copy check reports ratio and pass/fail from the data (fixture: 1.2× → within 1.3×).
    expect(good).toContain('within 1.3× of a plain copy at 7 of 7 size(s)');
  });
});
