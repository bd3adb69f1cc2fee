import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { clearRegistry, defineSuite, registeredSuites } from '../../harness/core/suite.ts';
import { SuiteDeclarationError } from '../../harness/core/errors.ts';
import { measureSize } from '../../harness/measure.ts';
import { defaultConfig } from '../../harness/core/config.ts';
import { cpuBackend } from '../../backends/cpu.ts';
import { linearSuite } from './fixtures.ts';
import type { SuiteSpec } from '../../harness/core/types.ts';

const FILE = '/suites/test/my.bench.ts';
const declare = (spec: unknown, file = FILE): unknown => defineSuite(spec as SuiteSpec, file);

afterEach(() => clearRegistry());

describe('suite declaration errors name the file and the field', () => {
  it('accepts a valid declaration and registers it', () => {
    declare(linearSuite());
    expect(registeredSuites().map((s) => s.spec.id)).toEqual(['Test_Linear_Bias_ReLU']);
    expect(registeredSuites()[0].file).toBe(FILE);
  });

  it.each(['id', 'family', 'title', 'inputs', 'unfused', 'fused', 'cost', 'reference', 'label', 'magnitude', 'predictions'])(
    'a missing %s',
    (field) => {
      const spec: Record<string, unknown> = { ...linearSuite() };
      delete spec[field];
      expect(() => declare(spec)).toThrow(SuiteDeclarationError);
      expect(() => declare(spec)).toThrow(new RegExp(`^${FILE}: suite field "${field}"`));
    },
  );

  it('empty sizes', () => {
    const spec = { ...linearSuite(), sizes: { full: [{ m: 1, k: 1, n: 1 }], quick: [] } };
    expect(() => declare(spec)).toThrow(`${FILE}: suite field "sizes.quick" is empty`);
  });

  it('a size parameter that is not a number', () => {
    const spec = { ...linearSuite(), sizes: { full: [{ m: 1, k: 'x', n: 1 }], quick: [{ m: 1, k: 1, n: 1 }] } };
    expect(() => declare(spec)).toThrow(/sizes\.full\[0\]\.k/);
  });

  it('a prediction without its source', () => {
    const base = linearSuite();
    const spec = { ...base, predictions: { ...base.predictions, gpu: { min: 1.5, max: 2, source: '' } } };
    expect(() => declare(spec)).toThrow(/predictions\.gpu\.source/);
  });

  it('a duplicate id from another file', () => {
    declare(linearSuite(), '/a.bench.ts');
    expect(() => declare(linearSuite(), '/b.bench.ts')).toThrow('/b.bench.ts: suite field "id" "Test_Linear_Bias_ReLU" is already declared by a suite in /a.bench.ts');
  });

  it('unfused and fused outputs of different shapes (found when the suite first runs)', async () => {
    await cpuBackend.init();
    const base = linearSuite();
    const spec = { ...base, fused: (t: Record<string, tf.Tensor>) => tf.slice(tf.transpose(base.fused(t, { m: 4, k: 8, n: 4 })), [0, 0], [2, 4]) } as unknown as SuiteSpec;
    await expect(measureSize(FILE, spec, cpuBackend, { m: 4, k: 8, n: 4 }, { config: defaultConfig, quick: true })).rejects.toThrow(
      /my\.bench\.ts: suite field "fused" output shape \[2,4\] differs from unfused output shape \[4,4\]/,
    );
    expect(tf.memory().numTensors).toBe(0);
  });
});
