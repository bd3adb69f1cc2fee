/** MACRO-REPORT.md from fixed data: the study's shape, our row marked, every figure traceable to results.json. */
import { describe, expect, it } from 'vitest';
import { renderMacroReport } from '../../harness/report/macro.ts';
import { renderTernaryStudy } from '../../studies/ternary/report.ts';
import { speedupWithCi } from '../../harness/report/format.ts';
import { fixtureConfig, run, type SizeSpec } from './fixture.ts';

const size = (label: string, speedup: number, extra: Partial<SizeSpec> = {}): SizeSpec => ({
  size: label, elements: 65536, unfusedMs: 2, speedup, coverage: 0.4, inPipeline: 1.6, copyRatio: 1.2, ...extra,
});
const image = (speedup: number, extra: Partial<SizeSpec> = {}): SizeSpec[] => ['256×256', '512×512'].map((l) => size(l, speedup, extra));
const neural = (speedup: number, extra: Partial<SizeSpec> = {}): SizeSpec[] => ['1,024 neurons', '10,000 neurons'].map((l) => size(l, speedup, { coverage: 0.05, ...extra }));

const markedRow = (md: string): string | undefined => md.split('\n').find((l) => l.includes('THIS IS US'));
const render = (backends: Parameters<typeof run>[0]['backends']): string => renderMacroReport(run({ backends }), { config: fixtureConfig })!;

describe('MACRO-REPORT.md', () => {
  const doc = run({ backends: [{ name: 'cpu', image: image(1.25), neural: neural(1.2), micro: [[65536, 1.6]] }] });
  const good = renderMacroReport(doc, { config: fixtureConfig })!;

  it('has the study\'s sections in its order, one part per backend', () => {
    const headings = good.split('\n').filter((l) => /^#{1,3} /.test(l));
    const order = [
      '# Macro pipelines: fusion end to end', '# Macro pipelines: fusion end to end — cpu', '## Executive Summary', '## Methodology',
      '## Benchmark 1: Image pipeline', '### Results', '### Analysis', '## Benchmark 2: Neural layer', '### Results', '### Analysis',
      '## Prediction vs Reality', '## Why', '## Honest Assessment', '### What Works', '### Limitations Found',
      '### Conservative Claims We Can Make', '### What We Still Cannot Claim', '## Decision Matrix', '## Recommendation',
    ];
    let at = -1;
    for (const h of order) {
      const next = headings.indexOf(h, at + 1);
      expect(next, `missing or out of order: ${h}`).toBeGreaterThan(at);
      at = next;
    }
    expect(good).not.toMatch(/ternary|phase 4|tadd|tnot/i);
  });

  it('fills its tables from results.json', () => {
    const p = doc.pipelines![0]!;
    const r = p.results[0]!;
    expect(good).toContain(`| 256×256 |         2.00 |       1.60 | ${speedupWithCi(r.speedup!)} |`);
    // Amdahl with c = 40% and the micro suite's s = 1.6: 1 / (0.6 + 0.4 / 1.6) = 1.18; measured 1.25: +7 pts.
    expect(good).toMatch(/\| 256×256 +\| +40% \[40%, 40%\] \| 1\.60× \[1\.60, 1\.60\] \(65536 elements\) \| 1\.18× \[1\.18, 1\.18\] \| 1\.25× \[1\.25, 1\.25\] \| +\+7 pts \| +1\.20× \[1\.20, 1\.20\] \|/);
    expect(good).toContain(`**Average: ${speedupWithCi(p.summary[0]!.speedup)} (25% faster), geometric mean over 2 sizes**`);
    expect(good).toContain('so even an infinitely fast fused kernel gives at most 1.67× end to end');
    expect(good).toContain('fixture claim');
  });

  it('marks our row of the Decision Matrix from the backend\'s geometric mean', () => {
    expect(good).toContain('**Verdict: ✓ DEPLOY + EXPAND ON CPU');
    expect(markedRow(good)).toMatch(/≥ 1\.10×/);
    const stop = render([{ name: 'wasm', image: image(1.07), neural: neural(1.07) }]);
    expect(stop).toContain('**Verdict: ⚠ DEPLOY, STOP EXPANSION ON WASM');
    expect(markedRow(stop)).toMatch(/1\.05–1\.10×/);
    const none = render([{ name: 'cpu', image: image(0.98), neural: neural(1.0) }]);
    expect(none).toContain('**Verdict: ✗ RE-EVALUATE ON CPU');
    expect(markedRow(none)).toMatch(/< 1\.05×/);
    expect(none).toContain('~~"Image pipeline: 1.10× or more"~~');
  });

  it('says inconclusive when the CI crosses a threshold', () => {
    const md = render([{ name: 'cpu', image: image(1.08, { spread: 0.3 }), neural: neural(1.08, { spread: 0.3 }) }]);
    expect(md).toMatch(/\*\*Verdict: ⚠ INCONCLUSIVE ON CPU/);
    expect(markedRow(md)).toContain('(point estimate; the CI spans other rows)');
    expect(md).toContain('◁ within the CI');
  });

  it('a wrong result overrides every speedup', () => {
    const md = render([{ name: 'cpu', image: [size('256×256', 2.0, { correct: false }), size('512×512', 1.3)], neural: neural(1.3) }]);
    expect(md).toContain('**Verdict: ✗ INCORRECT');
    expect(md).toContain('✗ fused result wrong (max abs error 2.0e+0)');
    expect(markedRow(md)).toBeUndefined();
  });

  it('is absent when the run measured no pipeline', () => {
    expect(renderMacroReport({ ...doc, pipelines: undefined })).toBeUndefined();
  });
});

describe('the ternary study\'s wording (studies/ternary, public API only)', () => {
  it('adds its title, question, copy target and its claims against the run', () => {
    const base = run({ backends: [{ name: 'cpu', image: image(1.25), neural: neural(1.2), micro: [[65536, 1.6]] }] });
    // The study names its pipelines and micro suite by id.
    const doc = {
      ...base,
      patterns: base.patterns.map((p) => ({ ...p, id: 'Ternary_tadd_tnot' })),
      pipelines: base.pipelines!.map((p, i) => ({ ...p, id: i === 0 ? 'TernaryImagePipeline' : 'TernaryNeuralLayer', micro: 'Ternary_tadd_tnot' })),
    };
    const md = renderTernaryStudy(doc, fixtureConfig)!;
    expect(md).toContain('# Macro Benchmark Results: Phase 4.1 Fusion Validation — cpu');
    expect(md).toContain('**Should we invest in Phase 4.2/4.3 (more fusion patterns)?**');
    expect(md).toContain('## Against the Study (macro-benchmark-results.md, 2025-10-23)');
    expect(md).toMatch(/\| Image pipeline macro speedup +\| +1\.25× \| +1\.25× \[1\.25, 1\.25\] \| yes +\|/);
    expect(md).toMatch(/\| Neural layer macro speedup +\| +1\.37× \| +1\.20× \[1\.20, 1\.20\] \| no \(measured lower\) +\|/);
    expect(md).toMatch(/\| Micro speedup of tnot∘tadd \(Phase 4\.1\) +\| +1\.77× \| +1\.60× geometric mean/);
    expect(md).toContain('(target ≤ 1.30×)');
    expect(md).toContain('⚠ **int32 storage:**');
  });
});
