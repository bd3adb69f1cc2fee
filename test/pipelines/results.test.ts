/** A pipeline's entry in results.json, from fixed data: the Amdahl prediction from the same run's micro suite, the summary, the schema. */
import { describe, expect, it } from 'vitest';
import { amdahl } from '../../harness/core/stats.ts';
import { assertValidResults, resultsProblems } from '../../harness/schema.ts';
import { backendOverall, nearestMicro } from '../../harness/pipeline-results.ts';
import { fixtureConfig, microPattern, microSize, run, type SizeSpec } from './fixture.ts';
import { decisionSpan, judgeSize } from '../../harness/core/verdicts.ts';

const size = (label: string, elements: number, extra: Partial<SizeSpec> = {}): SizeSpec => ({
  size: label, elements, unfusedMs: 10, speedup: 1.2, coverage: 0.4, inPipeline: 1.5, copyRatio: 1.2, ...extra,
});

describe('the Amdahl prediction of a pipeline size', () => {
  it('uses the micro suite of the same run, on the same backend, at the size nearest the fused kernel\'s elements', () => {
    const doc = run({ backends: [{ name: 'cpu', image: [size('256²', 65536), size('2048²', 4194304)], micro: [[1024, 1.2], [65536, 1.6], [1048576, 2.0]] }] });
    const [small, large] = doc.pipelines![0]!.results;
    expect(small!.amdahl!.from).toBe('micro suite');
    expect(small!.amdahl!.micro).toEqual({ suite: 'Micro_BiasAct', size: '65536 elements' });
    expect(small!.amdahl!.speedup.ratio).toBeCloseTo(1.6, 12);
    expect(small!.amdahl!.predicted.ratio).toBeCloseTo(amdahl(0.4, 1.6), 12);
    // 4M elements: the nearest micro size is 1M (ratio 4), not 64K (ratio 64).
    expect(large!.amdahl!.micro!.size).toBe('1048576 elements');
    expect(large!.amdahl!.predicted.ratio).toBeCloseTo(amdahl(0.4, 2.0), 12);
    // Measured − predicted in points: 1.2 − 1/(0.6 + 0.4/1.6) = 1.2 − 1.1765 → +2.35 pts.
    expect(small!.amdahl!.deltaPts).toBeCloseTo((1.2 - amdahl(0.4, 1.6)) * 100, 1);
    assertValidResults(doc, 'results.json');
  });

  it('falls back to the fused kernel\'s speedup inside the pipeline when the run has no micro result on the backend', () => {
    const doc = run({ backends: [{ name: 'cpu', image: [size('256²', 65536)], micro: [[65536, 1.6]] }, { name: 'wasm', image: [size('256²', 65536)] }] });
    const wasm = doc.pipelines![0]!.results.find((r) => r.backend === 'wasm')!;
    expect(wasm.amdahl!.from).toBe('pipeline');
    expect(wasm.amdahl!.micro).toBeUndefined();
    expect(wasm.amdahl!.predicted.ratio).toBeCloseTo(amdahl(0.4, 1.5), 12);
  });

  it('skips micro sizes that failed or were wrong', () => {
    const bad = { ...microSize('cpu', 65536, 3), correctness: { unfused: { maxAbs: 0, maxRel: 0, ok: true }, fused: { maxAbs: 1, maxRel: 1, ok: false } } };
    const m = microPattern([bad, microSize('cpu', 1024, 1.3)]);
    expect(nearestMicro(m, 'cpu', 65536)!.size).toBe('1024 elements');
    expect(nearestMicro(m, 'wasm', 65536)).toBeUndefined();
  });
});

describe('the per-backend summary: the Decision Matrix row', () => {
  it('geometric means, coverage, copy range and the decision at each end of the CI', () => {
    const doc = run({ backends: [{ name: 'cpu', image: [size('a', 1000, { speedup: 1.21 }), size('b', 2000, { speedup: 1.44, copyRatio: 2 })], micro: [[1000, 1.6]] }] });
    const s = doc.pipelines![0]!.summary[0]!;
    expect(s.backend).toBe('cpu');
    expect(s.sizes).toBe(2);
    expect(s.speedup.ratio).toBeCloseTo(Math.sqrt(1.21 * 1.44), 12);
    expect(s.coverage).toBeCloseTo(0.4, 12);
    expect(s.copy).toEqual({ best: 1.2, worst: 2 });
    expect(decisionSpan(s.speedup, fixtureConfig.decisions)).toEqual({ point: 'Deploy + Expand', lo: 'Deploy + Expand', hi: 'Deploy + Expand' });
    expect('decision' in s).toBe(false);
    expect(s.deltaPts).toBeCloseTo((s.speedup.ratio - s.predicted!.ratio) * 100, 1);
    expect(s.incorrect).toEqual([]);
  });

  it('a wrong fused result counts nowhere, is named, and voids the backend\'s figure', () => {
    const doc = run({ backends: [{ name: 'cpu', image: [size('a', 1000), size('b', 2000, { correct: false, speedup: 3 })] }] });
    const p = doc.pipelines![0]!;
    expect(p.summary[0]!.sizes).toBe(1);
    expect(p.summary[0]!.incorrect).toEqual(['b']);
    expect(p.results[1]!.amdahl).toBeUndefined();
    expect(judgeSize(p.results[1]!, fixtureConfig)!.verdict).toBe('incorrect');
    expect(backendOverall(doc.pipelines!, 'cpu', fixtureConfig)!.speedup.ratio).toBeCloseTo(1.2, 12);
  });

  it('a backend figure weighs each pipeline once, whatever its number of sizes', () => {
    const doc = run({ backends: [{ name: 'cpu', image: [size('a', 1, { speedup: 1.1 }), size('b', 2, { speedup: 1.1 }), size('c', 3, { speedup: 1.1 })], neural: [size('n', 4, { speedup: 1.4 })] }] });
    const o = backendOverall(doc.pipelines!, 'cpu', fixtureConfig)!;
    expect(o.speedup.ratio).toBeCloseTo(Math.sqrt(1.1 * 1.4), 12);
    expect(o.pipelines).toBe(2);
  });
});

describe('results.json with pipelines against the schema', () => {
  it('validates, and names the JSON path of each fault', () => {
    const doc = run({ backends: [{ name: 'cpu', image: [size('a', 1000)], micro: [[1000, 1.6]] }] });
    expect(resultsProblems(doc)).toEqual([]);
    const p = doc.pipelines![0]!;
    const r = p.results[0]!;
    const broken = {
      ...doc,
      pipelines: [{
        ...p,
        results: [{
          ...r,
          backend: 'webgpu',
          speedup: { ratio: 1.2, lo: 1.3, hi: 1.1 },
          stages: r.stages!.map((s, i) => (i === 0 ? { ...s, timing: { ...s.timing, samplesMs: [1, 2] } } : i === 1 ? { ...s, group: 'nope' } : s)),
        }],
      }],
    };
    const problems = resultsProblems(broken);
    expect(problems).toContain('/pipelines/0/results/0/backend "webgpu" is not among /backends');
    expect(problems).toContain('/pipelines/0/results/0/speedup must satisfy lo ≤ hi (got 1.3, 1.1)');
    expect(problems).toContain('/pipelines/0/results/0/stages/0/timing/samplesMs must pair with /unfused/samplesMs (2 vs 8 rounds)');
    expect(problems).toContain('/pipelines/0/results/0/stages/1/group "nope" names no entry of /pipelines/0/results/0/groups');
    const noMacro = { ...doc, pipelines: [{ ...p, results: [{ ...r, speedup: undefined }] }] };
    expect(resultsProblems(noMacro)).toContain("/pipelines/0/results/0 must have required property 'speedup'");
    const sameId = { ...doc, pipelines: [{ ...p, id: 'Micro_BiasAct' }] };
    expect(resultsProblems(sameId)).toContain('/pipelines/0/id "Micro_BiasAct" is listed twice (or is also a pattern\'s id)');
  });
});
