import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertValidResults, loadResults, resultsProblems, ResultsValidationError, upgradeResults } from '../../harness/schema.ts';
import { fixture, mutable } from '../report/helpers.ts';

/** The error message assertValidResults gives for a document, or '' when it is valid. */
function messageFor(doc: unknown): string {
  try {
    assertValidResults(doc, 'results.json');
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ResultsValidationError);
    return (e as Error).message;
  }
}

describe('results.json schema: good documents', () => {
  it('accepts the fixture', () => {
    expect(resultsProblems(fixture())).toEqual([]);
  });

  it('still loads results written before pipelined timing, with medianMs as throughput and kernelMs as device time', () => {
    const old = loadResults(new URL('../fixtures/results-readback.json', import.meta.url).pathname);
    expect(old.sampling.method).toBeUndefined();
    const r = old.patterns[1]!.results.find((x) => x.backend === 'webgpu' && x.status === 'ok')!;
    const raw = (JSON.parse(readFileSync(new URL('../fixtures/results-readback.json', import.meta.url), 'utf8')) as {
      patterns: Array<{ results: Array<{ backend: string; status: string; fused?: { medianMs: number; kernelMs: number } }> }>;
    }).patterns[1]!.results.find((x) => x.backend === 'webgpu' && x.status === 'ok')!;
    expect(r.fused!.throughputMs).toBe(raw.fused!.medianMs);
    expect(r.fused!.deviceMs).toBe(raw.fused!.kernelMs);
  });

  it('loads results that stored verdict strings (judgement) and drops them: verdicts are judged at render time', () => {
    const file = new URL('../fixtures/results-readback.json', import.meta.url).pathname;
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { patterns: Array<{ results: Array<{ judgement?: { verdict: string } }> }> };
    expect(raw.patterns[0]!.results[0]!.judgement?.verdict).toMatch(/benefit|slower|Incorrect/);
    const old = loadResults(file);
    expect(old.patterns.flatMap((p) => p.results).some((r) => 'judgement' in r)).toBe(false);
    const pipelined = { ...fixture(), patterns: fixture().patterns.map((p) => ({ ...p, results: p.results.map((r) => ({ ...r, judgement: { verdict: '✓ Strong benefit', decision: 'Deploy + Expand', vsPrediction: 'within prediction' } })) })) };
    expect(resultsProblems(pipelined)).toEqual([]);
    expect(upgradeResults(pipelined).patterns.flatMap((p) => p.results).some((r) => 'judgement' in r)).toBe(false);
  });

  it('refuses a variant with neither throughputMs and latencyMs nor the older medianMs', () => {
    const r = mutable(fixture());
    delete (r.patterns[0].results[0].fused as { latencyMs?: number }).latencyMs;
    expect(resultsProblems(r).join('\n')).toMatch(/fused/);
  });

  it('accepts a non-finite error magnitude, which JSON writes as null', () => {
    const r = mutable(fixture());
    r.patterns[0].results[0].correctness!.fused = { maxAbs: Number.NaN, maxRel: Number.POSITIVE_INFINITY, ok: false };
    expect(resultsProblems(r)).toEqual([]);
  });

  it('accepts optional fields left out (no tinybench, no kernel time, no device, no gpu)', () => {
    const r = mutable(fixture());
    delete (r.machine as { gpu?: string }).gpu;
    for (const b of r.backends) delete (b as { device?: unknown }).device;
    for (const p of r.patterns) {
      for (const x of p.results) {
        delete (x as { tinybench?: unknown }).tinybench;
        delete (x as { callsPerSample?: unknown }).callsPerSample;
        if (x.unfused) delete (x.unfused as { kernelMs?: unknown }).kernelMs;
        if (x.fused) delete (x.fused as { kernelMs?: unknown }).kernelMs;
      }
    }
    expect(resultsProblems(r)).toEqual([]);
  });
});

describe('results.json schema: bad documents name the JSON path of the fault', () => {
  it('a wrong type deep inside', () => {
    const r = mutable(fixture());
    (r.patterns[0].results[2].speedup as { lo: unknown }).lo = '1.1';
    expect(messageFor(r)).toBe('results.json: /patterns/0/results/2/speedup/lo must be number');
  });

  it('NaN where JSON cannot hold it', () => {
    const r = mutable(fixture());
    r.patterns[1].results[0].speedup!.hi = Number.NaN;
    expect(messageFor(r)).toContain('results.json: /patterns/1/results/0/speedup/hi must be number');
  });

  it('a missing field, an unknown field, a bad enum, the wrong schema id', () => {
    const r = mutable(fixture());
    delete (r.machine as { cores?: number }).cores;
    (r.sampling as Record<string, unknown>).roundz = 3;
    (r.backends[0] as { kind: string }).kind = 'tpu';
    (r as { schema: string }).schema = 'fusebench/results@0';
    const msg = messageFor(r);
    expect(msg).toContain("results.json: /machine must have required property 'cores'");
    expect(msg).toContain("results.json: /sampling must not have property 'roundz'");
    expect(msg).toContain('results.json: /backends/0/kind must be one of "cpu", "gpu"');
    expect(msg).toContain('results.json: /schema must be "fusebench/results@1"');
  });

  it('an ok size without its measurements, a failed size without its error', () => {
    const r = mutable(fixture());
    delete (r.patterns[2].results[1] as { speedup?: unknown }).speedup;
    r.patterns[2].results[2] = { ...r.patterns[2].results[2], status: 'failed' };
    const failed = mutable(fixture()).patterns[2].results[3];
    r.patterns[2].results[3] = { backend: failed.backend, size: failed.size, params: failed.params, magnitude: failed.magnitude, cost: failed.cost, status: 'failed' };
    const msg = messageFor(r);
    expect(msg).toContain("results.json: /patterns/2/results/1 must have required property 'speedup'");
    expect(msg).toContain("results.json: /patterns/2/results/3 must have required property 'error'");
    expect(msg).not.toContain('must match "then" schema');
  });

  it('faults only the cross-field checks can see', () => {
    const r = mutable(fixture());
    r.patterns[0].results[0].backend = 'metal';
    r.patterns[0].results[1].fused!.samplesMs = [1, 2];
    r.patterns[0].results[2].speedup = { ratio: 1.2, lo: 1.3, hi: 1.4 };
    r.patterns[1].id = r.patterns[0].id;
    const msg = messageFor(r);
    expect(msg).toContain('results.json: /patterns/0/results/0/backend "metal" is not among /backends');
    expect(msg).toContain('results.json: /patterns/0/results/1/fused/samplesMs must pair with /unfused/samplesMs (2 vs 12 rounds)');
    expect(msg).toContain('results.json: /patterns/0/results/2/speedup must satisfy lo ≤ ratio ≤ hi');
    expect(msg).toContain('results.json: /patterns/1/id "Linear_Bias_ReLU" is listed twice');
  });

  it('not an object at all', () => {
    expect(messageFor(42)).toBe('results.json: / must be object');
    expect(messageFor(null)).toBe('results.json: / must be object');
  });
});

describe('loadResults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fusebench-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file for unparsable JSON and for schema faults', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "schema": ');
    expect(() => loadResults(broken)).toThrow(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    const bad = join(dir, 'bad.json');
    const r = mutable(fixture());
    r.quick = 'yes' as unknown as boolean;
    writeFileSync(bad, JSON.stringify(r));
    expect(() => loadResults(bad)).toThrow(`${bad}: /quick must be boolean`);
  });

  it('returns a valid document', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(fixture()));
    expect(loadResults(good).patterns).toHaveLength(fixture().patterns.length);
  });
});
