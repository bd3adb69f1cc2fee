/** Tiny real pipeline runs: correctness gating, no tensor leaks, coherent statistics, and the study's files. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { measurePipelineSize } from '../../harness/pipeline/measure.ts';
import { amdahl } from '../../harness/pipeline/math.ts';
import { runMacroStudy } from '../../harness/pipeline/study.ts';
import type { PipelineSpec } from '../../harness/pipeline/spec.ts';
import type { MacroStudyResults } from '../../harness/pipeline/results.ts';
import imagePipeline from '../../suites/pipelines/image.pipeline.ts';
import neuralPipeline from '../../suites/pipelines/neural-layer.pipeline.ts';
import { ms } from '../../harness/report/macro-format.ts';
import { BACKENDS, fastConfig, useBackend } from './helpers.ts';

const opts = { config: fastConfig, quick: true, seed: 7 };

describe.each(BACKENDS)('pipeline measurement on %s', (backend) => {
  it('measures the image pipeline: exact, leak-free, every variant sampled every round', async () => {
    const adapter = await useBackend(backend);
    const before = tf.memory().numTensors;
    const r = await measurePipelineSize(imagePipeline as unknown as PipelineSpec, adapter, { side: 16 }, opts);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.status, r.error).toBe('ok');
    expect(r.correctness).toEqual({ unfusedMismatches: 0, fusedMismatches: 0, ok: true });
    expect(r.elements).toBe(256);
    expect(r.stages!.map((s) => s.op)).toEqual(['tmul', 'tadd', 'tnot', 'tmin', 'tmul']);
    for (const s of r.stages!) expect(s.compute.samplesMs).toHaveLength(r.rounds!);
    expect(r.unfused!.wall.samplesMs).toHaveLength(r.rounds!);
    const g = r.groups![0];
    expect(g.kernel).toBe('TernaryNotBinary(op=tadd)');
    expect(g.bytesFused).toBe(3 * 4 * 256);
    expect(g.bytesUnfused).toBe(5 * 4 * 256);
    expect(g.copy!.bytes).toBe(g.bytesFused);
    expect(r.unfused!.kernels).toEqual(['TernaryBinary', 'TernaryBinary', 'TernaryUnary', 'TernaryBinary', 'TernaryBinary']);
    expect(r.fused!.kernels).toEqual(['TernaryBinary', 'TernaryNotBinary', 'TernaryBinary', 'TernaryBinary']);
    expect(r.coverage!.opShare).toBe(0.4);
    // The stored prediction is Amdahl of the stored medians.
    const fusedStages = r.stages!.filter((s) => s.fusedGroup).reduce((a, s) => a + s.compute.medianMs, 0);
    const c = Math.min(1, fusedStages / r.unfused!.wall.medianMs);
    expect(r.coverage!.runtimeShare.ratio).toBeCloseTo(c, 10);
    expect(r.prediction!.ratio).toBeCloseTo(amdahl(c, fusedStages / g.fusedAlone.medianMs), 10);
    expect(r.macro!.ratio).toBeCloseTo(r.unfused!.wall.medianMs / r.fused!.wall.medianMs, 10);
  });

  it('measures the neural layer at a tiny width', async () => {
    const adapter = await useBackend(backend);
    const before = tf.memory().numTensors;
    const r = await measurePipelineSize(neuralPipeline as unknown as PipelineSpec, adapter, { neurons: 8 }, opts);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.status, r.error).toBe('ok');
    expect(r.correctness!.ok).toBe(true);
    expect(r.elements).toBe(16 * 8);
    expect(r.unfused!.kernels).toContain('BatchMatMul');
    expect(r.fused!.kernels).toContain('TernaryNotBinary');
  });
});

describe('correctness gates the numbers', () => {
  it('a wrong fused kernel makes the size incorrect', async () => {
    const adapter = await useBackend('cpu');
    const saved = tf.getKernel('TernaryNotBinary', 'cpu')!;
    tf.unregisterKernel('TernaryNotBinary', 'cpu');
    tf.registerKernel({ ...saved, kernelFunc: (args) => saved.kernelFunc({ ...args, attrs: { ...args.attrs, op: 'tmul' } }) });
    try {
      const r = await measurePipelineSize(imagePipeline as unknown as PipelineSpec, adapter, { side: 8 }, opts);
      expect(r.status).toBe('ok');
      expect(r.correctness!.unfusedMismatches).toBe(0);
      expect(r.correctness!.fusedMismatches).toBeGreaterThan(0);
      expect(r.correctness!.ok).toBe(false);
    } finally {
      tf.unregisterKernel('TernaryNotBinary', 'cpu');
      tf.registerKernel(saved);
    }
  });

  it('invalid inputs fail the size with the validation error and leak nothing', async () => {
    const adapter = await useBackend('cpu');
    const base = imagePipeline as unknown as PipelineSpec;
    const bad: PipelineSpec = {
      ...base,
      inputs: (p, rng) => {
        const host = base.inputs(p, rng);
        const data = Float64Array.from(host.bias.data);
        data[3] = 5;
        return { ...host, bias: { ...host.bias, data } };
      },
    };
    const before = tf.memory().numTensors;
    const r = await measurePipelineSize(bad, adapter, { side: 8 }, opts);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/TernaryValueError: TernaryBinary\(op=tadd\): input "b" holds 5 at flat index 3/);
  });
});

describe('runMacroStudy', () => {
  it('writes MACRO-REPORT.md and MACRO-RESULTS.json from one real (tiny-sampling) run', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'fusebench-macro-'));
    const before = tf.memory().numTensors;
    const { results, files } = await runMacroStudy({ backends: ['wasm'], quick: true, outDir, config: fastConfig, pipelines: ['TernaryImagePipeline'], command: 'test' });
    expect(tf.memory().numTensors).toBe(before);
    expect(files.map((f) => f.split('/').pop())).toEqual(['MACRO-REPORT.md', 'MACRO-RESULTS.json']);
    expect(readdirSync(outDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const json = JSON.parse(readFileSync(files[1], 'utf8')) as MacroStudyResults;
    expect(json.schema).toBe('fusebench/macro@1');
    expect(json.backends.map((b) => b.backend.name)).toEqual(['wasm']);
    const b = results.backends[0];
    expect(b.micro!.results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(b.pipelines[0].results.map((r) => r.status)).toEqual(['ok', 'ok']);
    const md = readFileSync(files[0], 'utf8');
    expect(md).toContain('# Macro Benchmark Results: Phase 4.1 Fusion Validation — wasm');
    const first = b.pipelines[0].results[0];
    const esc = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(md).toMatch(new RegExp(`\\| 256×256 +\\| ${esc(ms(first.unfused!.wall.medianMs))} +\\| ${esc(ms(first.fused!.wall.medianMs))} +\\|`));
    await expect(runMacroStudy({ backends: ['wasm'], quick: true, outDir, config: fastConfig, pipelines: ['Nope'] })).rejects.toThrow(/no pipeline Nope/);
  });
});
