/**
 * The schema must describe what the engine really writes: a tiny real run on the cpu backend is
 * validated and rendered. If a field is added to RunResults without a schema entry, this fails.
 */
import { describe, expect, it } from 'vitest';
import { runSuites } from '../../harness/run.ts';
import { defaultConfig, mergeConfig } from '../../harness/core/config.ts';
import { assertValidResults } from '../../harness/schema.ts';
import { renderReport } from '../../harness/report/markdown.ts';
import { linearSuite } from '../harness/fixtures.ts';
import type { SuiteSpec } from '../../harness/core/types.ts';

describe('engine output against the results schema', () => {
  it('a real quick run on cpu validates and renders', async () => {
    const config = mergeConfig(defaultConfig, {
      sampling: { quickRounds: 6, minRounds: 6, warmup: 1, minSampleMs: 1, bootstrapResamples: 200, maxSecondsPerSize: 2 },
    });
    const spec = linearSuite('Schema_Linear_Bias_ReLU') as unknown as SuiteSpec;
    const results = await runSuites({ suites: [{ spec, file: 'test/harness/fixtures.ts' }], backends: ['cpu'], quick: true, config, command: 'vitest (schema test)' });
    expect(() => assertValidResults(results, 'engine results')).not.toThrow();
    const r = results.patterns[0].results[0];
    expect(r.status).toBe('ok');
    const md = renderReport(results, { config });
    expect(md).toContain('`Schema_Linear_Bias_ReLU`');
    expect(md).toContain(r.size);
  });
});
