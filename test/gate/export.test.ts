import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { main as exportMain } from '../../harness/cli/export.ts';
import { toCustomSmallerIsBetter } from '../../harness/export/github-action-benchmark.ts';
import { toBencherBmf } from '../../harness/export/bencher.ts';
import { captured, scratch, type Scratch } from './helpers.ts';
import { DEDICATED, syntheticRun, TYPICAL_ROWS } from './synthetic.ts';

let s: Scratch;
beforeEach(() => { s = scratch(); });
afterEach(() => s.remove());

const ROWS = [...TYPICAL_ROWS, { pattern: 'Broken', size: 'x', unfusedMs: 1, fusedMs: 1, status: 'failed' as const }];
const run = () => syntheticRun(ROWS, { seed: 3, model: DEDICATED });

// Bencher Metric Format JSON Schema, as published at https://bencher.dev/docs/reference/bencher-metric-format/.
const BMF_SCHEMA = {
  type: 'object',
  patternProperties: {
    '.+': {
      type: 'object',
      patternProperties: {
        '.+': {
          type: 'object',
          properties: { value: { type: 'number' }, lower_value: { type: 'number' }, upper_value: { type: 'number' } },
          required: ['value'],
        },
      },
    },
  },
};

describe('exports', () => {
  it('github-action-benchmark customSmallerIsBetter: [{ name, unit, value, range, extra }], three per measured size', () => {
    const results = run();
    const { entries, skipped } = toCustomSmallerIsBetter(results);
    expect(entries).toHaveLength(3 * TYPICAL_ROWS.length);
    expect(skipped).toEqual(['Broken · cpu · x: failed (RangeError: out of memory (synthetic))']);
    for (const e of entries) {
      expect(Object.keys(e).sort()).toEqual(['extra', 'name', 'range', 'unit', 'value']);
      expect(typeof e.value).toBe('number');
      expect(Number.isFinite(e.value)).toBe(true);
      expect(e.range).toMatch(/^± \d/);
    }
    const r0 = results.patterns[0].results[0];
    const fused = entries.find((e) => e.name === 'Linear_Bias_ReLU · cpu · 64×256→256 · fused')!;
    expect(fused.unit).toBe('ms');
    expect(fused.value).toBeCloseTo(r0.fused!.throughputMs, 5);
    const ratio = entries.find((e) => e.name === 'Linear_Bias_ReLU · cpu · 64×256→256 · fused/unfused time')!;
    expect(ratio.unit).toBe('ratio');
    expect(ratio.value).toBeCloseTo(1 / r0.speedup!.ratio, 5);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
  });

  it('Bencher BMF: { benchmark: { measure: { value, lower_value, upper_value } } }, latency in nanoseconds', () => {
    const results = run();
    const { bmf } = toBencherBmf(results);
    const validate = new Ajv().compile(BMF_SCHEMA);
    expect(validate(bmf), JSON.stringify(validate.errors)).toBe(true);
    expect(Object.keys(bmf)).toHaveLength(3 * TYPICAL_ROWS.length);
    const r0 = results.patterns[0].results[0];
    const lat = bmf['Linear_Bias_ReLU · cpu · 64×256→256 · fused'].latency;
    expect(lat.value).toBeCloseTo(r0.fused!.throughputMs * 1e6, 3);
    expect(lat.lower_value!).toBeLessThanOrEqual(lat.value);
    expect(lat.upper_value!).toBeGreaterThanOrEqual(lat.value);
    expect(bmf['Linear_Bias_ReLU · cpu · 64×256→256'].speedup).toEqual({ value: r0.speedup!.ratio, lower_value: r0.speedup!.lo, upper_value: r0.speedup!.hi });
    expect(Object.keys(bmf).some((k) => k.startsWith('Broken'))).toBe(false);
  });

  it('fusebench export writes either format atomically, and exits 2 on bad flags or input', async () => {
    const from = s.write('results.json', run());
    const gab = await captured(() => exportMain(['--from', from, '--format', 'github-action-benchmark', '--out', s.path('gab.json')]));
    expect(gab.value, gab.err).toBe(0);
    expect(JSON.parse(readFileSync(s.path('gab.json'), 'utf8'))).toHaveLength(15);
    const bencher = await captured(() => exportMain(['--from', from, '--format', 'bencher', '--out', s.path('bmf.json')]));
    expect(bencher.value).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(s.path('bmf.json'), 'utf8')) as object)).toHaveLength(15);
    const cases: Array<[string[], RegExp]> = [
      [['--from', from, '--format', 'csv'], /--format: "csv" is not one of github-action-benchmark, bencher/],
      [['--from', from], /--format is required/],
      [['--format', 'bencher'], /--from is required/],
      [['--from', s.path('none.json'), '--format', 'bencher'], /not found: .*none\.json/],
    ];
    for (const [args, message] of cases) {
      const r = await captured(() => exportMain(args));
      expect(r.value, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });
});
