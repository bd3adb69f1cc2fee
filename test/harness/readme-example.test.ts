/** The README's complete suite example must stay a suite that loads, runs and passes its own reference. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { measureSize } from '../../harness/measure.ts';
import { defaultConfig, mergeConfig } from '../../harness/core/config.ts';
import { cpuBackend } from '../../backends/cpu.ts';
import type { SuiteSpec } from '../../harness/core/types.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf("```ts\nimport * as tf from '@tensorflow/tfjs-core';");
const example = readme.slice(start + 6, readme.indexOf('```', start + 6));

describe('README suite example', () => {
  it('is present', () => {
    expect(start).toBeGreaterThan(0);
    expect(example).toContain('defineSuite');
  });

  it('declares a valid suite that is correct on cpu', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-readme-'));
    const file = join(dir, 'Linear_Bias_ReLU6.bench.ts');
    writeFileSync(file, example);
    const spec = (await import(file)).default as SuiteSpec;
    expect(spec.id).toBe('Linear_Bias_ReLU6');
    await cpuBackend.init();
    const config = mergeConfig(defaultConfig, { sampling: { quickRounds: 4, minRounds: 4, warmup: 1, warmupMs: 0, minSampleMs: 0.5, bootstrapResamples: 100 } });
    const r = await measureSize(file, spec, cpuBackend, spec.sizes.quick[0], { config, quick: true });
    expect(r.status, r.error).toBe('ok');
    expect(r.correctness!.fused.ok).toBe(true);
    expect(r.correctness!.unfused.ok).toBe(true);
  });
});
