/** MACRO-RESULTS.json against schemas/macro-results.schema.json: every checked-in study validates; faults are named by JSON path. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { assertValidMacroResults, loadMacroResults, macroResultsProblems, MacroResultsValidationError } from '../../harness/pipeline/schema.ts';
import { study, type SizeSpec } from '../ternary/macro-fixture.ts';
import { fixture as resultsFixture } from '../report/helpers.ts';

const REPORTS = fileURLToPath(new URL('../../reports/', import.meta.url));
const checkedIn = readdirSync(REPORTS, { recursive: true, encoding: 'utf8' }).filter((f) => basename(f) === 'MACRO-RESULTS.json').sort();

const size = (label: string): SizeSpec => ({ size: label, unfusedMs: 2, speedup: 1.2, coverage: 0.3, micro: 1.6, copyRatio: 1.2, spread: 0.1 });

/** A fresh synthetic document (test/ternary/macro-fixture.ts) as plain JSON: one measured backend, one unavailable. */
function good(): Record<string, unknown> {
  const doc = study([{ name: 'cpu', image: [size('256×256'), size('512×512')], neural: [size('1,024 neurons')], micro: [1.8, 1.6] }], [
    { name: 'webgpu', kind: 'gpu', available: false, reason: 'no GPU adapter found' },
  ]);
  return JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
}

/** The object holding the last segment of JSON pointer `pointer`, and that segment. */
function parentOf(doc: unknown, pointer: string): [Record<string, unknown>, string] {
  const segments = pointer.slice(1).split('/');
  const key = segments.pop()!;
  let node = doc;
  for (const s of segments) {
    if (node === null || typeof node !== 'object' || !(s in node)) throw new Error(`test bug: ${pointer} does not exist`);
    node = (node as Record<string, unknown>)[s];
  }
  return [node as Record<string, unknown>, key];
}

function set(doc: unknown, pointer: string, value: unknown): void {
  const [parent, key] = parentOf(doc, pointer);
  parent[key] = value;
}

function remove(doc: unknown, pointer: string): void {
  const [parent, key] = parentOf(doc, pointer);
  if (!(key in parent)) throw new Error(`test bug: ${pointer} does not exist`);
  delete parent[key];
}

/** The error message assertValidMacroResults gives for a document, or '' when it is valid. */
function messageFor(doc: unknown): string {
  try {
    assertValidMacroResults(doc, 'MACRO-RESULTS.json');
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(MacroResultsValidationError);
    return (e as Error).message;
  }
}

const SIZE0 = '/backends/0/pipelines/0/results/0';

describe('checked-in MACRO-RESULTS.json files validate', () => {
  it('finds the studies this repository ships', () => {
    expect(checkedIn).toEqual(expect.arrayContaining([
      'ternary/cpu-wasm-amd-epyc-2vcpu/MACRO-RESULTS.json',
      'gpu/h100-80gb-hbm3/cuda/MACRO-RESULTS.json',
      'gpu/h100-80gb-hbm3/webgpu/MACRO-RESULTS.json',
    ]));
  });

  it.each(checkedIn)('reports/%s', (file) => {
    const doc = loadMacroResults(join(REPORTS, file));
    expect(doc.backends.length).toBeGreaterThan(0);
  });
});

describe('MACRO-RESULTS.json schema: good documents', () => {
  it('accepts the synthetic fixture, an unavailable backend included', () => {
    expect(macroResultsProblems(good())).toEqual([]);
  });

  it('accepts optional fields left out (copy, device) and a failed size that carries only its error', () => {
    const doc = good();
    remove(doc, `${SIZE0}/groups/0/copy`);
    remove(doc, '/backends/0/summary/copy');
    remove(doc, '/backends/0/backend/device');
    set(doc, '/backends/0/pipelines/0/results/1', { backend: 'cpu', pipeline: 'TernaryImagePipeline', size: '512×512', params: { side: 512 }, elements: 262144, status: 'failed', error: 'RangeError: out of memory' });
    expect(macroResultsProblems(doc)).toEqual([]);
  });

  it('accepts a pipeline statistic just outside its own bootstrap interval (possible for a statistic of medians)', () => {
    const doc = good();
    set(doc, `${SIZE0}/prediction`, { ratio: 1.1047, lo: 1.1205, hi: 1.2791 });
    expect(macroResultsProblems(doc)).toEqual([]);
  });
});

describe('MACRO-RESULTS.json schema: bad documents name the JSON path of the fault', () => {
  it('a missing field', () => {
    const doc = good();
    remove(doc, `${SIZE0}/macro`);
    remove(doc, '/sampling/bootstrap');
    const msg = messageFor(doc);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0} must have required property 'macro'`);
    expect(msg).toContain("MACRO-RESULTS.json: /sampling must have required property 'bootstrap'");
    expect(msg).not.toContain('must match "then" schema');
  });

  it('a wrong type', () => {
    const doc = good();
    set(doc, `${SIZE0}/rounds`, '8');
    set(doc, '/backends/0/summary/micro/correct', 'yes');
    const msg = messageFor(doc);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/rounds must be integer`);
    expect(msg).toContain('MACRO-RESULTS.json: /backends/0/summary/micro/correct must be boolean');
  });

  it('an unknown property, in this schema and in the results.json definitions it reuses', () => {
    const doc = good();
    set(doc, `${SIZE0}/groups/0/copy/gbps`, 12);
    set(doc, '/backends/0/micro/results/0/unfused/p50Ms', 1);
    set(doc, '/backends/1/backend/gpu', 'H100');
    set(doc, '/notes', []);
    const msg = messageFor(doc);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/groups/0/copy must not have property 'gbps'`);
    expect(msg).toContain("MACRO-RESULTS.json: /backends/0/micro/results/0/unfused must not have property 'p50Ms'");
    expect(msg).toContain("MACRO-RESULTS.json: /backends/1/backend must not have property 'gpu'");
    expect(msg).toContain("MACRO-RESULTS.json: / must not have property 'notes'");
  });

  it('NaN and Infinity, which JSON writes as null', () => {
    const doc = good();
    set(doc, `${SIZE0}/macro/hi`, Number.NaN);
    set(doc, '/backends/0/summary/overall/lo', Number.POSITIVE_INFINITY);
    set(doc, '/backends/0/micro/results/1/speedup/ratio', Number.NaN);
    const msg = messageFor(doc);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/macro/hi must be number`);
    expect(msg).toContain('MACRO-RESULTS.json: /backends/0/summary/overall/lo must be number');
    expect(msg).toContain('MACRO-RESULTS.json: /backends/0/micro/results/1/speedup/ratio must be number');
  });

  it('values out of range and outside an enum', () => {
    const doc = good();
    set(doc, `${SIZE0}/macro/ratio`, 0);
    set(doc, `${SIZE0}/coverage/runtimeShare/hi`, 1.2);
    set(doc, `${SIZE0}/timing`, 'gpu-timer');
    set(doc, `${SIZE0}/unfused/wall/samplesMs/3`, -0.5);
    set(doc, '/copyTarget', -1);
    const msg = messageFor(doc);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/macro/ratio must be > 0`);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/coverage/runtimeShare/hi must be <= 1`);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/timing must be one of "sync-compute", "kernel-timer", "wall"`);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/unfused/wall/samplesMs/3 must be >= 0`);
    expect(msg).toContain('MACRO-RESULTS.json: /copyTarget must be > 0');
  });

  it('lo > hi, in a size, a group, the micro suite and a summary', () => {
    const doc = good();
    set(doc, `${SIZE0}/macro`, { ratio: 1.2, lo: 1.5, hi: 1.1 });
    set(doc, `${SIZE0}/groups/0/microSpeedup`, { ratio: 1.6, lo: 1.7, hi: 1.5 });
    set(doc, '/backends/0/micro/results/0/speedup', { ratio: 1.8, lo: 1.9, hi: 1.7 });
    set(doc, '/backends/0/summary/pipelines/1/prediction', { ratio: 1.1, lo: 1.2, hi: 1.0 });
    const msg = messageFor(doc);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/macro must satisfy lo ≤ hi (got 1.5, 1.1)`);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/groups/0/microSpeedup must satisfy lo ≤ hi (got 1.7, 1.5)`);
    expect(msg).toContain('MACRO-RESULTS.json: /backends/0/summary/pipelines/1/prediction must satisfy lo ≤ hi (got 1.2, 1)');
    // The micro suite's entry follows results.json's rule for a ratio of medians.
    expect(msg).toContain('MACRO-RESULTS.json: /backends/0/micro/results/0/speedup must satisfy lo ≤ ratio ≤ hi (got 1.9, 1.8, 1.7)');
  });

  it('faults only the cross-field checks can see', () => {
    const doc = good();
    set(doc, `${SIZE0}/fused/compute/samplesMs`, [1, 2, 3]);
    set(doc, `${SIZE0}/correctness/ok`, false);
    set(doc, `${SIZE0}/stages/1/fusedGroup`, 'nope');
    set(doc, '/backends/0/pipelines/0/results/1/backend', 'wasm');
    set(doc, '/backends/0/pipelines/1/results/0/pipeline', 'TernaryImagePipeline');
    set(doc, '/backends/0/micro/results/0/backend', 'wasm');
    set(doc, '/backends/1/backend/name', 'cpu');
    set(doc, `${SIZE0}/groups/0/stages/1`, 'activ');
    set(doc, '/backends/0/summary/copy/within', 4);
    const msg = messageFor(doc);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/fused/compute/samplesMs must hold one sample per round (3 samples, 8 rounds)`);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/correctness/ok must be true with 0 unfused and 0 fused mismatches`);
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/stages/1/fusedGroup "nope" names no entry of ${SIZE0}/groups`);
    expect(msg).toContain('MACRO-RESULTS.json: /backends/0/pipelines/0/results/1/backend "wasm" differs from its backend "cpu"');
    expect(msg).toContain('MACRO-RESULTS.json: /backends/0/pipelines/1/results/0/pipeline "TernaryImagePipeline" differs from its pipeline "TernaryNeuralLayer"');
    expect(msg).toContain('MACRO-RESULTS.json: /backends/0/micro/results/0/backend "wasm" is not among /backends/0/backend/name');
    expect(msg).toContain('MACRO-RESULTS.json: /backends/1/backend/name "cpu" is listed twice');
    expect(msg).toContain(`MACRO-RESULTS.json: ${SIZE0}/groups/0/stages/1 "activ" names no entry of ${SIZE0}/stages`);
    expect(msg).toContain('MACRO-RESULTS.json: /backends/0/summary/copy/within must not exceed /copy/of (4 of 3)');
  });

  it('measurements under a backend marked unavailable', () => {
    const doc = good();
    set(doc, '/backends/0/backend/available', false);
    expect(messageFor(doc)).toBe('MACRO-RESULTS.json: /backends/0 holds measurements although /backend/available is false');
  });

  it('the wrong schema id, or not an object at all', () => {
    const doc = good();
    set(doc, '/schema', 'fusebench/macro@0');
    expect(messageFor(doc)).toBe('MACRO-RESULTS.json: /schema must be "fusebench/macro@1"');
    expect(messageFor(null)).toBe('MACRO-RESULTS.json: / must be object');
  });

  it('lists at most 12 faults and counts the rest', () => {
    const doc = good();
    for (let r = 0; r < 8; r++) set(doc, `${SIZE0}/unfused/wall/samplesMs/${r}`, null);
    for (let r = 0; r < 8; r++) set(doc, `${SIZE0}/fused/wall/samplesMs/${r}`, null);
    const lines = messageFor(doc).split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[12]).toBe('MACRO-RESULTS.json: …and 4 more');
  });
});

describe('loadMacroResults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fusebench-macro-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file for unparsable JSON', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "schema": ');
    expect(() => loadMacroResults(broken)).toThrow(`${broken}: `);
  });

  it('names a results.json for what it is', () => {
    const other = join(dir, 'results.json');
    writeFileSync(other, JSON.stringify(resultsFixture()));
    expect(() => loadMacroResults(other)).toThrow(`${other}: /schema is "fusebench/results@1", not "fusebench/macro@1": not a MACRO-RESULTS.json`);
  });

  it('names the file and the JSON path of a fault', () => {
    const bad = join(dir, 'MACRO-RESULTS.json');
    const doc = good();
    set(doc, '/quick', 'no');
    writeFileSync(bad, JSON.stringify(doc));
    expect(() => loadMacroResults(bad)).toThrow(`${bad}: /quick must be boolean`);
  });
});
