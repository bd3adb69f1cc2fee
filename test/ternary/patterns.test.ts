/** Profile first, then fuse: trace recording, pair ranking and the `fusebench patterns` command. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { analyzeTrace, eventLabel } from '../../harness/pipeline/patterns.ts';
import { recordKernelTrace, type KernelTrace, type TraceEvent } from '../../harness/pipeline/trace.ts';
import { amdahl } from '../../harness/pipeline/math.ts';
import { main } from '../../harness/cli/patterns.ts';
import { tadd, tnot, tmul } from '../../kernels/ternary/ops.ts';
import { int32, randomTrits, useBackend } from './helpers.ts';

afterEach(() => vi.restoreAllMocks());

const ev = (kernel: string, op: string | undefined, inputs: number[], outputs: number[], timeMs: number, shape = [4]): TraceEvent => ({
  kernel, attrs: op ? { op } : {}, inputs, outputs, inputShapes: inputs.map(() => shape), outputShapes: [shape], outputDtypes: ['int32'], timeMs,
});

describe('pair ranking (fixed trace)', () => {
  // x=0, y=1, z=2 → tmul → 3 → tadd(3, z) → 4 → tnot → 5 → BatchMatMul(5, w=6) → 7
  const trace: KernelTrace = {
    runs: 1,
    result: [7],
    events: [
      ev('TernaryBinary', 'tmul', [0, 1], [3], 2),
      ev('TernaryBinary', 'tadd', [3, 2], [4], 3),
      ev('TernaryUnary', 'tnot', [4], [5], 1),
      ev('BatchMatMul', undefined, [5, 6], [7], 4),
    ],
  };

  it('ranks fusible adjacent pairs by runtime share, with byte-model speedup and Amdahl gain', () => {
    const a = analyzeTrace(trace);
    expect(a.totalMs).toBe(10);
    expect(a.candidates.map((c) => c.pattern)).toEqual([
      'TernaryBinary(tmul) → TernaryBinary(tadd)',
      'TernaryBinary(tadd) → TernaryUnary(tnot)',
    ]);
    const [first, second] = a.candidates;
    expect(first.runtimeShare).toBeCloseTo(0.5, 12);
    expect(first.byteModelSpeedup).toBeCloseTo(6 / 4, 12); // 3+3 passes → 4
    expect(first.estimatedGain).toBeCloseTo(amdahl(0.5, 1.5), 12);
    expect(first.fusedKernel).toBe('TernaryFused3(inner=tmul, outer=tadd)');
    expect(second.byteModelSpeedup).toBeCloseTo(5 / 3, 12);
    expect(second.fusedKernel).toBe('TernaryNotBinary(op=tadd)');
    expect(a.rejected).toEqual([{ pattern: 'TernaryUnary(tnot) → BatchMatMul', reason: 'BatchMatMul is not elementwise' }]);
  });

  it('refuses pairs whose intermediate is used again or is the result, and counts repeats', () => {
    const reused: KernelTrace = { runs: 1, result: [5], events: [ev('TernaryBinary', 'tadd', [0, 1], [2], 1), ev('TernaryUnary', 'tnot', [2], [3], 1), ev('TernaryBinary', 'tmul', [2, 3], [5], 1)] };
    expect(analyzeTrace(reused).rejected[0]).toEqual({ pattern: 'TernaryBinary(tadd) → TernaryUnary(tnot)', reason: 'the intermediate is used again later' });
    const repeated: KernelTrace = { runs: 1, result: [9], events: [ev('Add', undefined, [0, 1], [2], 1), ev('Relu', undefined, [2], [3], 1), ev('Mul', undefined, [3, 0], [4], 5), ev('Add', undefined, [4, 1], [5], 1), ev('Relu', undefined, [5], [9], 1)] };
    const c = analyzeTrace(repeated).candidates.find((x) => x.pattern === 'Add → Relu')!;
    expect(c.occurrences).toBe(2);
    expect(c.runtimeShare).toBeCloseTo(4 / 9, 12);
    expect(eventLabel(repeated.events[0])).toBe('Add');
  });
});

describe('trace recording (cpu)', () => {
  it('records kernels, attrs and dataflow of a real call, and restores the engine', async () => {
    await useBackend('cpu');
    const a = int32(randomTrits(64, 1));
    const b = int32(randomTrits(64, 2));
    const before = tf.memory().numTensors;
    const trace = await recordKernelTrace(() => tf.tidy(() => tnot(tadd(tmul(a, b), b))), 2);
    expect(trace.events.map(eventLabel)).toEqual(['TernaryBinary(tmul)', 'TernaryBinary(tadd)', 'TernaryUnary(tnot)']);
    expect(trace.events[1].inputs).toContain(trace.events[0].outputs[0]);
    expect(trace.events[2].inputs).toEqual(trace.events[1].outputs);
    expect(trace.result).toEqual(trace.events[2].outputs);
    expect(trace.events.every((e) => e.timeMs >= 0)).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(tf.engine(), 'runKernelFunc')).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
    b.dispose();
  });
});

describe('fusebench patterns', () => {
  it('prints the kernel sequence and the ranked candidates for a pipeline', async () => {
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...x: unknown[]) => void out.push(x.join(' ')));
    expect(await main(['TernaryImagePipeline', '--backend', 'cpu', '--size', '0', '--runs', '1', '--top', '4'])).toBe(0); // all 4 adjacent pairs: the ranking itself depends on timing
    const text = out.join('\n');
    expect(text).toContain('pipeline TernaryImagePipeline at 256×256 on cpu: 5 kernels');
    expect(text).toMatch(/\| 3 +\| TernaryUnary\(tnot\) +\| \[256, 256\]/);
    expect(text).toContain('TernaryBinary(tadd) → TernaryUnary(tnot)');
    expect(text).toContain('TernaryNotBinary(op=tadd)');
    expect(text.match(/^\| [123] +\| TernaryBinary|^\| [123] +\| TernaryUnary/gm)?.length).toBeGreaterThan(0);
  });

  it('names the problem with bad arguments', async () => {
    await expect(main([])).rejects.toThrow(/usage: fusebench patterns/);
    await expect(main(['NoSuchThing', '--runs', '1'])).rejects.toThrow(/no suite or pipeline "NoSuchThing"; pipelines: TernaryImagePipeline, TernaryNeuralLayer/);
    await expect(main(['TernaryImagePipeline', '--size', '99x99', '--runs', '1'])).rejects.toThrow(/--size: no size "99x99"; sizes: 0 = 256×256/);
    await expect(main(['TernaryImagePipeline', '--runs', '0'])).rejects.toThrow(/--runs must be a positive integer/);
  });
});
