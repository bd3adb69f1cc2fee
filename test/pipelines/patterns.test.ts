/** Profile first, then fuse: trace recording, what the declarations teach, pair ranking and `fusebench patterns`. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { analyzeTrace, eventLabel, type FusionKnowledge } from '../../harness/patterns/rank.ts';
import { recordKernelTrace, type KernelTrace, type TraceEvent } from '../../harness/patterns/trace.ts';
import { learnFusions } from '../../harness/patterns/learn.ts';
import { amdahl } from '../../harness/core/stats.ts';
import { loadBenchFiles } from '../../harness/load.ts';
import { main } from '../../harness/cli/patterns.ts';
import { tadd, tnot, tmul } from '../../kernels/ternary/ops.ts';
import { int32, randomTrits, useBackend } from '../ternary/helpers.ts';

afterEach(() => vi.restoreAllMocks());

const ev = (kernel: string, op: string | undefined, inputs: number[], outputs: number[], timeMs: number, shape = [4]): TraceEvent => ({
  kernel, attrs: op ? { op } : {}, inputs, outputs, inputShapes: inputs.map(() => shape), outputShapes: [shape], outputDtypes: ['int32'], timeMs,
});

describe('pair ranking (fixed trace)', () => {
  // x=0, y=1, z=2 → Mul → 3 → Custom(3, z) → 4 → Neg → 5 → BatchMatMul(5, w=6) → 7
  const trace: KernelTrace = {
    runs: 1,
    result: [7],
    events: [ev('Mul', undefined, [0, 1], [3], 2), ev('Custom', 'plus', [3, 2], [4], 3), ev('Neg', undefined, [4], [5], 1), ev('BatchMatMul', undefined, [5, 6], [7], 4)],
  };

  it('knows tfjs\'s own elementwise kernels, and ours only from what the declarations teach', () => {
    const bare = analyzeTrace(trace);
    expect(bare.candidates).toEqual([]);
    expect(bare.rejected.map((r) => r.reason)).toEqual(['Custom is not elementwise', 'Custom is not elementwise', 'BatchMatMul is not elementwise']);
    const knowledge: FusionKnowledge = { elementwise: new Set(['Custom']), fused: new Map([['Custom(plus) → Neg', 'CustomNeg (suite X)']]) };
    const a = analyzeTrace(trace, knowledge);
    expect(a.totalMs).toBe(10);
    expect(a.candidates.map((c) => c.pattern)).toEqual(['Mul → Custom(plus)', 'Custom(plus) → Neg']);
    const [first, second] = a.candidates;
    expect(first!.runtimeShare).toBeCloseTo(0.5, 12);
    expect(first!.byteModelSpeedup).toBeCloseTo(6 / 4, 12); // 3 + 3 passes → 4
    expect(first!.estimatedGain).toBeCloseTo(amdahl(0.5, 1.5), 12);
    expect(first!.fusedKernel).toBeUndefined();
    expect(second!.byteModelSpeedup).toBeCloseTo(5 / 3, 12);
    expect(second!.fusedKernel).toBe('CustomNeg (suite X)');
  });

  it('refuses pairs whose intermediate is used again or is the result, and counts repeats', () => {
    const reused: KernelTrace = { runs: 1, result: [5], events: [ev('Add', undefined, [0, 1], [2], 1), ev('Neg', undefined, [2], [3], 1), ev('Mul', undefined, [2, 3], [5], 1)] };
    expect(analyzeTrace(reused).rejected[0]).toEqual({ pattern: 'Add → Neg', reason: 'the intermediate is used again later' });
    const repeated: KernelTrace = { runs: 1, result: [9], events: [ev('Add', undefined, [0, 1], [2], 1), ev('Relu', undefined, [2], [3], 1), ev('Mul', undefined, [3, 0], [4], 5), ev('Add', undefined, [4, 1], [5], 1), ev('Relu', undefined, [5], [9], 1)] };
    const c = analyzeTrace(repeated).candidates.find((x) => x.pattern === 'Add → Relu')!;
    expect(c.occurrences).toBe(2);
    expect(c.runtimeShare).toBeCloseTo(4 / 9, 12);
    expect(eventLabel(repeated.events[0]!)).toBe('Add');
  });
});

describe('trace recording and learning (cpu)', () => {
  it('records kernels, attrs and dataflow of a real call, and restores the engine', async () => {
    await useBackend('cpu');
    const a = int32(randomTrits(64, 1));
    const b = int32(randomTrits(64, 2));
    const before = tf.memory().numTensors;
    const trace = await recordKernelTrace(() => tf.tidy(() => tnot(tadd(tmul(a, b), b))), 2);
    expect(trace.events.map(eventLabel)).toEqual(['TernaryBinary(tmul)', 'TernaryBinary(tadd)', 'TernaryUnary(tnot)']);
    expect(trace.events[1]!.inputs).toContain(trace.events[0]!.outputs[0]);
    expect(trace.events[2]!.inputs).toEqual(trace.events[1]!.outputs);
    expect(trace.result).toEqual(trace.events[2]!.outputs);
    expect(Object.prototype.hasOwnProperty.call(tf.engine(), 'runKernelFunc')).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
    b.dispose();
  });

  it('learns fusebench\'s kernels from the declared suites and pipelines that fuse them', async () => {
    await useBackend('cpu');
    const dir = (f: string) => fileURLToPath(new URL(`../../suites/${f}`, import.meta.url));
    const declared = await loadBenchFiles([dir('pipelines/image.bench.ts'), dir('ternary/tadd-tnot.bench.ts')]);
    const before = tf.memory().numTensors;
    const k = await learnFusions(declared);
    expect(tf.memory().numTensors).toBe(before);
    expect([...k.elementwise].sort()).toEqual(['TernaryBinary', 'TernaryNotBinary', 'TernaryUnary']);
    expect(k.fused.get('TernaryBinary(tadd) → TernaryUnary(tnot)')).toBe('TernaryNotBinary(tadd) (pipeline TernaryImagePipeline)');
  });
});

describe('fusebench patterns', () => {
  it('measures a pipeline\'s stages through the runner, then ranks the kernel pairs of its unfused variant', async () => {
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...x: unknown[]) => void out.push(x.join(' ')));
    expect(await main(['TernaryImagePipeline', '--backend', 'cpu', '--size', '0', '--runs', '2', '--top', '4'])).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('pipeline TernaryImagePipeline at 256×256 on cpu');
    expect(text).toMatch(/Measured \(the runner's sampler, \d+ interleaved rounds\): unfused .* ms, fused .* ms per call/);
    expect(text).toMatch(/\| +2 \| bias correction +\| +[\d.]+ \| +\d+% \| bias\+activation \|/);
    expect(text).toContain('pipeline TernaryImagePipeline at 256×256 on cpu: 5 kernels');
    expect(text).toContain('TernaryBinary(tadd) → TernaryUnary(tnot)');
    expect(text).toContain('TernaryNotBinary(tadd) (pipeline TernaryImagePipeline)');
    expect(text).toContain('TernaryFused3(tmul, tadd) (suite Ternary_tmul_tadd)');
  });

  it('names the problem with bad arguments', async () => {
    await expect(main([])).rejects.toThrow(/usage: fusebench patterns/);
    await expect(main(['NoSuchThing', '--runs', '1'])).rejects.toThrow(/no suite or pipeline "NoSuchThing"; pipelines: TernaryImagePipeline, TernaryNeuralLayer/);
    await expect(main(['TernaryImagePipeline', '--size', '99x99', '--runs', '1'])).rejects.toThrow(/--size: no size "99x99"; sizes: 0 = 256×256/);
    await expect(main(['TernaryImagePipeline', '--runs', '0'])).rejects.toThrow(/--runs must be a positive integer/);
  });
});
