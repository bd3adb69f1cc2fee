/** definePipeline: a declaration is checked field by field, its dataflow planned, and each fault names the file and the field. */
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { PipelineSpec, PipelineStage } from '../../harness/core/types.ts';
import { definePipeline, planPipeline } from '../../harness/core/pipeline.ts';
import { defineSuite } from '../../harness/core/suite.ts';
import { clearRegistry, registeredPipelines } from '../../harness/core/declare.ts';
import { trits } from '../../harness/core/inputs.ts';
import { linearSuite } from '../harness/fixtures.ts';

afterEach(() => clearRegistry());

const FILE = '/p/pipe.bench.ts';
const stage = (name: string, inputs: string[], out: string): PipelineStage => ({ name, inputs, out, run: (a) => tf.neg(a!) });

function spec(over: Partial<PipelineSpec> = {}): PipelineSpec {
  return {
    id: 'Pipe', family: 'pipelines', title: 'A pipeline',
    sizes: { full: [{ n: 8 }], quick: [{ n: 4 }] },
    label: (p) => `${p.n}`, magnitude: (p) => p.n,
    inputs: (p, rng) => ({ x: trits([p.n], rng), b: trits([p.n], rng) }),
    stages: [
      stage('first', ['x'], 'y'),
      { fused: 'pair', inputs: ['y', 'b'], kernel: (y, b) => tf.add(y!, b!), stages: [stage('second', ['y', 'b'], 'z'), stage('third', ['z'], 'out')] },
    ],
    micro: 'Micro', predictions: { cpu: { min: 1, max: 1.2, source: 's' }, gpu: { min: 1, max: 1.2, source: 's' } },
    reference: (x) => x.x!,
    ...over,
  };
}

const declare = (s: PipelineSpec) => () => definePipeline(s, FILE);

describe('definePipeline', () => {
  it('registers a valid declaration with the file it came from', () => {
    definePipeline(spec(), FILE);
    expect(registeredPipelines().map((p) => [p.spec.id, p.file])).toEqual([['Pipe', FILE]]);
  });

  it('names the file and the field of each fault', () => {
    expect(declare(spec({ id: '9x' }))).toThrow(`${FILE}: pipeline field "id" "9x" must be letters, digits and underscores, starting with a letter`);
    expect(declare(spec({ micro: '' }))).toThrow(`${FILE}: pipeline field "micro" is missing (a non-empty string)`);
    expect(declare(spec({ sizes: { full: [], quick: [{ n: 1 }] } }))).toThrow(`${FILE}: pipeline field "sizes.full" is empty`);
    expect(declare(spec({ stages: [stage('a', ['x'], 'y')] }))).toThrow(`${FILE}: pipeline field "stages" has no fused group`);
    expect(declare(spec({ stages: [stage('a', ['x'], 'y'), { fused: 'g', inputs: ['y'], kernel: (y) => y!, stages: [stage('only', ['y'], 'z')] }] })))
      .toThrow(`${FILE}: pipeline field "stages[1].stages" must hold the two or more unfused stages the kernel replaces`);
    const noRun = { ...stage('a', ['x'], 'y'), run: undefined } as unknown as PipelineStage;
    expect(declare(spec({ stages: [noRun, ...spec().stages.slice(1)] }))).toThrow(`${FILE}: pipeline field "stages[0].run" is missing`);
    expect(declare(spec({ predictions: { cpu: { min: 2, max: 1, source: 's' }, gpu: { min: 1, max: 1, source: 's' } } }))).toThrow(`${FILE}: pipeline field "predictions.cpu" needs 0 < min ≤ max`);
  });

  it('plans the dataflow and refuses what fusing could not remove', () => {
    const g = (inputs: string[], stages: PipelineStage[]) => ({ fused: 'g', inputs, kernel: (a: tf.Tensor | undefined) => a!, stages });
    expect(declare(spec({ stages: [stage('a', ['nope'], 'y'), g(['y'], [stage('b', ['y'], 'z'), stage('c', ['z'], 'w')])] })))
      .not.toThrow(); // without the inputs of a size, any name no stage writes counts as an input
    expect(() => planPipeline([stage('a', ['nope'], 'y'), g(['y'], [stage('b', ['y'], 'z'), stage('c', ['z'], 'w')])], ['x']))
      .toThrow('reads "nope", which is neither a pipeline input nor the output of an earlier stage');
    expect(declare(spec({ stages: [stage('a', ['x'], 'y'), g(['y', 'b'], [stage('b', ['y'], 'z'), stage('c', ['z'], 'w')])] })))
      .toThrow(`${FILE}: pipeline field "stages[1].inputs" must name what the group's stages read from outside it, each once (y); got y, b`);
    expect(declare(spec({ stages: [g(['x'], [stage('a', ['x'], 'y'), stage('b', ['y'], 'z')]), stage('c', ['y', 'z'], 'w')] })))
      .toThrow(`${FILE}: pipeline field "stages[0]" "y" is used after the fused group "g", so fusing would not remove it`);
    expect(declare(spec({ stages: [stage('a', ['x'], 'y'), g(['y'], [stage('a', ['y'], 'z'), stage('c', ['z'], 'w')])] })))
      .toThrow(`${FILE}: pipeline field "stages" name "a" twice`);
    const plan = planPipeline(spec().stages, ['x', 'b']);
    expect(plan.stages.map((s) => [s.stage.name, s.group])).toEqual([['first', undefined], ['second', 'pair'], ['third', 'pair']]);
    expect(plan.fused).toEqual([{ stage: 0 }, { group: 0 }]);
    expect(plan.groups[0]).toMatchObject({ label: 'pair', indices: [1, 2], out: 'out' });
    expect(plan.output).toBe('out');
  });

  it('shares one id namespace with suites', () => {
    definePipeline(spec({ id: 'Shared' }), FILE);
    expect(() => defineSuite({ ...linearSuite(), id: 'Shared' }, '/s.bench.ts')).toThrow(`/s.bench.ts: suite field "id" "Shared" is already declared by a pipeline in ${FILE}`);
    expect(declare(spec({ id: 'Shared' }))).not.toThrow(); // the same file again (a re-import) is fine
  });
});
