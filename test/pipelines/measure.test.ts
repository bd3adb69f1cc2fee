/** Tiny real pipeline runs on cpu and wasm: correctness gates the numbers, nothing leaks, every variant is sampled every round, and a run writes MACRO-REPORT.md. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { PipelineSpec } from '../../harness/core/types.ts';
import { measurePipelineSize } from '../../harness/measure-pipeline.ts';
import { loadBenchFiles } from '../../harness/load.ts';
import { selectDeclared } from '../../harness/select.ts';
import { itemRef, measureItem, planRun, resolveItemRef, runSuites } from '../../harness/run.ts';
import { writeRunOutputs } from '../../harness/output.ts';
import { loadResults } from '../../harness/schema.ts';
import { median } from '../../harness/core/stats.ts';
import { mergeConfig } from '../../harness/core/config.ts';
import { failureMessage } from '../../harness/vitest/failure.ts';
import { BACKENDS, fastConfig, useBackend } from '../ternary/helpers.ts';
import { judgeSize } from '../../harness/core/verdicts.ts';

const dir = fileURLToPath(new URL('../../suites/pipelines/', import.meta.url));
const IMAGE = join(dir, 'image.bench.ts');
const NEURAL = join(dir, 'neural-layer.bench.ts');
const declared = await loadBenchFiles([IMAGE, NEURAL]);
const image = declared.pipelines.find((p) => p.spec.id === 'TernaryImagePipeline')!;
const neural = declared.pipelines.find((p) => p.spec.id === 'TernaryNeuralLayer')!;
const opts = { config: fastConfig, quick: true, seed: 7 };

describe.each(BACKENDS)('a pipeline measured on %s', (backend) => {
  it('the image pipeline: exact, leak-free, every variant sampled in every round, figures from the samples', async () => {
    const adapter = await useBackend(backend);
    const before = tf.memory().numTensors;
    const r = await measurePipelineSize(image.file, image.spec, adapter, { side: 16 }, opts);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.status, r.error).toBe('ok');
    expect(r.correctness!.unfused.ok && r.correctness!.fused.ok).toBe(true);
    expect(r.correctness!.fused.maxAbs).toBe(0);
    expect(r.magnitude).toBe(256);
    expect(r.stages!.map((s) => [s.name, s.group])).toEqual([
      ['convolution', undefined], ['bias correction', 'bias+activation'], ['activation', 'bias+activation'], ['thresholding', undefined], ['final adjustment', undefined],
    ]);
    const rounds = r.unfused!.samplesMs.length;
    expect(rounds).toBeGreaterThanOrEqual(2);
    const g = r.groups![0]!;
    for (const s of [r.fused!.samplesMs, ...r.stages!.map((x) => x.timing.samplesMs), g.kernel.samplesMs, g.copy!.timing.samplesMs]) expect(s).toHaveLength(rounds);
    expect(g.bytesFused).toBe(3 * 4 * 256);
    expect(g.bytesUnfused).toBe(5 * 4 * 256);
    expect(g.copy!.bytes).toBe(g.bytesFused);
    expect(g.kernels).toEqual(['TernaryNotBinary']);
    expect(r.unfused!.kernels).toEqual(['TernaryBinary', 'TernaryBinary', 'TernaryUnary', 'TernaryBinary', 'TernaryBinary']);
    expect(r.fused!.kernels).toEqual(['TernaryBinary', 'TernaryNotBinary', 'TernaryBinary', 'TernaryBinary']);
    expect(r.coverage!.ops).toBe(0.4);
    expect(r.coverage!.opsRemoved).toBe(0.2);
    // The stored figures are the statistics of the stored samples.
    const med = (name: string) => median(r.stages!.find((s) => s.name === name)!.timing.samplesMs);
    const fusedStages = med('bias correction') + med('activation');
    expect(r.coverage!.runtime.ratio).toBeCloseTo(Math.min(1, fusedStages / median(r.unfused!.samplesMs)), 10);
    expect(g.speedup.ratio).toBeCloseTo(fusedStages / median(g.kernel.samplesMs), 10);
    expect(r.speedup!.ratio).toBeCloseTo(median(r.unfused!.samplesMs) / median(r.fused!.samplesMs), 10);
  });

  it('the neural layer at a tiny width', async () => {
    const adapter = await useBackend(backend);
    const before = tf.memory().numTensors;
    const r = await measurePipelineSize(neural.file, neural.spec, adapter, { neurons: 8 }, opts);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.status, r.error).toBe('ok');
    expect(r.correctness!.fused.ok).toBe(true);
    expect(r.groups![0]!.elements).toBe(16 * 8);
    expect(r.unfused!.kernels).toContain('BatchMatMul');
    expect(r.fused!.kernels).toContain('TernaryNotBinary');
  });
});

describe('correctness gates the numbers', () => {
  it('a wrong fused kernel makes the size incorrect, and the vitest test fails with the error and the tolerance', async () => {
    const adapter = await useBackend('cpu');
    const saved = tf.getKernel('TernaryNotBinary', 'cpu')!;
    tf.unregisterKernel('TernaryNotBinary', 'cpu');
    tf.registerKernel({ ...saved, kernelFunc: (args) => saved.kernelFunc({ ...args, attrs: { ...args.attrs, op: 'tmul' } }) });
    try {
      const r = await measurePipelineSize(image.file, image.spec, adapter, { side: 8 }, opts);
      expect(r.status).toBe('ok');
      expect(r.correctness!.unfused.ok).toBe(true);
      expect(r.correctness!.fused.ok).toBe(false);
      expect(judgeSize(r)!.verdict).toBe('incorrect');
      expect(failureMessage('TernaryImagePipeline', r, { atol: 0, rtol: 0 })).toMatch(/^TernaryImagePipeline at 8×8 on cpu: the fused result is wrong: max abs error .* exceeds the tolerance \|got − want\| ≤ 0 \+ 0·\|want\|$/);
    } finally {
      tf.unregisterKernel('TernaryNotBinary', 'cpu');
      tf.registerKernel(saved);
    }
  });

  it('a reference of the wrong length is a fault of the declaration, named by file and field', async () => {
    const adapter = await useBackend('cpu');
    const bad: PipelineSpec = { ...image.spec, reference: () => new Float64Array(3) };
    const before = tf.memory().numTensors;
    await expect(measurePipelineSize('/x/bad.bench.ts', bad, adapter, { side: 4 }, opts)).rejects.toThrow('/x/bad.bench.ts: pipeline field "reference" returned 3 values; the output has 16 at size 4×4');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a run with pipelines (the CLI runner)', () => {
  it('selecting a pipeline brings its micro suite; results.json carries the Amdahl prediction from it; MACRO-REPORT.md is written beside REPORT.md', async () => {
    const all = await loadBenchFiles([IMAGE, fileURLToPath(new URL('../../suites/ternary/tadd-tnot.bench.ts', import.meta.url))]);
    const sel = selectDeclared(all, 'TernaryImagePipeline', '--patterns');
    expect(sel.added).toEqual(['Ternary_tadd_tnot']);
    const small = {
      suites: sel.suites.map((s) => ({ ...s, spec: { ...s.spec, sizes: { full: [{ n: 256 }], quick: [{ n: 256 }] } } })),
      pipelines: sel.pipelines.map((p) => ({ ...p, spec: { ...p.spec, sizes: { full: [{ side: 16 }], quick: [{ side: 16 }] } } })),
    };
    const config = mergeConfig(fastConfig, { sampling: { minSampleMs: 0.5 } }); // results.json records it, and 0 is not a rule
    const results = await runSuites({ ...small, backends: ['cpu'], quick: true, config, command: 'test' });
    const p = results.pipelines![0]!;
    expect(p.results.map((r) => r.status)).toEqual(['ok']);
    expect(p.results[0]!.amdahl).toMatchObject({ from: 'micro suite', micro: { suite: 'Ternary_tadd_tnot', size: '256 elements' } });
    expect(p.summary.map((s) => s.backend)).toEqual(['cpu']);
    const out = mkdtempSync(join(tmpdir(), 'fusebench-pipelines-'));
    writeFileSync(join(out, 'MACRO-REPORT.md'), 'previous\n');
    const files = writeRunOutputs(results, out, { macro: { config } }).map((f) => f.split('/').pop());
    expect(files).toEqual(expect.arrayContaining(['REPORT.md', 'results.json', 'MACRO-REPORT.md', 'calibration-cpu.json']));
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(out, 'MACRO-REPORT.md'), 'utf8')).toContain('## Benchmark 1: Ternary image processing pipeline');
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).toContain('see [MACRO-REPORT.md](MACRO-REPORT.md) beside this file');
    expect(loadResults(join(out, 'results.json')).pipelines![0]!.id).toBe('TernaryImagePipeline');
    // A later run without pipelines leaves no stale MACRO-REPORT.md behind.
    writeRunOutputs({ ...results, pipelines: undefined }, out, { macro: { config } });
    expect(existsSync(join(out, 'MACRO-REPORT.md'))).toBe(false);
  });
});

describe('a planned item travels as plain data', () => {
  it('names its declaration by file and id, and measures the same in the process that resolves it', async () => {
    const adapter = await useBackend('cpu');
    const small = { ...image, spec: { ...image.spec, sizes: { full: [{ side: 8 }], quick: [{ side: 8 }] } } };
    const [item] = planRun({ suites: [], pipelines: [small] }, [{ name: 'cpu', kind: 'cpu', available: true }], true);
    const ref = itemRef(item!);
    expect(JSON.parse(JSON.stringify(ref))).toEqual({ kind: 'pipeline', file: image.file, id: 'TernaryImagePipeline', backend: 'cpu', params: { side: 8 } });
    const resolved = await resolveItemRef(JSON.parse(JSON.stringify(ref)));
    const m = await measureItem(resolved, adapter, opts);
    expect(m.kind).toBe('pipeline');
    expect(m.result.status, m.result.error).toBe('ok');
    await expect(resolveItemRef({ ...ref, id: 'Nope' })).rejects.toThrow(`${image.file} declares no pipeline "Nope"`);
  });
});
