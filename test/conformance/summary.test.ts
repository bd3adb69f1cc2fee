/** The conformance runner's judgement, on synthetic spec records: classification, memory, the filter list's checks. */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { classifyFailure } from '../../conformance/classify.ts';
import { filterListProblems } from '../../conformance/exclusions.ts';
import { KNOWN_LEAKS, TEST_FILTERS, type TestFilter } from '../../conformance/filters.ts';
import type { SpecRecord } from '../../conformance/jasmine-run.ts';
import { summarize, type SummaryInput } from '../../conformance/summary.ts';
import { ownSpecs, tfjsCoreDist } from '../../conformance/test-files.ts';

const STUBS = new Set(['Concat', 'GatherV2']);
const EMPTY = { numTensors: 0, numBytes: 0 };

function input(specs: SpecRecord[], extra: Partial<SummaryInput> = {}): SummaryInput {
  return {
    backend: 'cuda', device: 'test', command: 'test', tfjsCoreVersion: '4.22.0', durationMs: 1, files: ['ops/add_test'],
    specs, errors: [], filters: [], knownLeaks: [], stubs: STUBS, memoryStart: EMPTY, memoryEnd: EMPTY, ...extra,
  };
}

const spec = (status: string, messages: string[] = [], extra: Partial<SpecRecord> = {}): SpecRecord => ({ file: 'ops/add_test', fullName: `add cuda {} ${status} ${messages.join()}`, status, messages, ...extra });

describe('classifyFailure', () => {
  it('a stub kernel, also inside a toThrowError mismatch, is "not implemented"', () => {
    expect(classifyFailure(['Error: not implemented on cuda: Concat'], 'cuda', STUBS)).toEqual({ kind: 'kernel-not-implemented', kernels: ['Concat'] });
    const wrapped = "Expected function to throw an exception with a message matching /index value/, but it threw an exception with message 'not implemented on cuda: GatherV2'.";
    expect(classifyFailure([wrapped], 'cuda', STUBS)).toEqual({ kind: 'kernel-not-implemented', kernels: ['GatherV2'] });
  });

  it('a registered kernel that says "not implemented" for one of its cases is a failure', () => {
    expect(classifyFailure(['Error: not implemented on cuda: Slice (strided slice of [2,2])'], 'cuda', STUBS).kind).toBe('failed');
    expect(classifyFailure(['Error: not implemented on cuda: Exp for dtype int32'], 'cuda', STUBS).kind).toBe('failed');
  });

  it('complex64 and string are an unsupported dtype; any other failed expectation makes the spec a failure', () => {
    expect(classifyFailure(['Error: not implemented on cuda: tensor with dtype string'], 'cuda', STUBS)).toEqual({ kind: 'dtype-unsupported', dtypes: ['string'] });
    expect(classifyFailure(['Error: not implemented on cuda: Add for dtype complex64'], 'cuda', STUBS)).toEqual({ kind: 'dtype-unsupported', dtypes: ['complex64'] });
    expect(classifyFailure(['Error: not implemented on cuda: Concat', 'Expected 1 to be 2.'], 'cuda', STUBS).kind).toBe('failed');
    expect(classifyFailure([], 'cuda', STUBS).kind).toBe('failed');
  });
});

describe('summarize', () => {
  it('counts per file and passes a clean run', () => {
    const s = summarize(input([spec('passed'), spec('failed', ['Error: not implemented on cuda: Concat']), spec('pending')]));
    expect(s.files[0]).toMatchObject({ file: 'ops/add_test', specs: 3, passed: 1, failed: 0, notImplemented: 1, pending: 1 });
    expect(s.notImplementedKernels).toEqual({ Concat: 1 });
    expect(s.tfjsPassRate).toBe(1);
    expect(s.exitCode).toBe(0);
  });

  it('counts the unsupported dtypes met and carries the backend\'s host round trips', () => {
    const s = summarize(input([spec('failed', ['Error: not implemented on cuda: tensor with dtype string']), spec('failed', ['Error: not implemented on cuda: Slice with dtype complex64']), spec('passed')], { hostTrips: { 'Unique (fallback: ran on tfjs-backend-cpu)': 3 } }));
    expect(s.unsupportedDtypes).toEqual({ string: 1, complex64: 1 });
    expect(s.hostTrips).toEqual({ 'Unique (fallback: ran on tfjs-backend-cpu)': 3 });
    expect(s.exitCode).toBe(0);
  });

  it('fails on a failed spec, an error outside specs, or a run in which nothing ran', () => {
    expect(summarize(input([spec('passed'), spec('failed', ['Expected 1 to be 2.'])])).exitCode).toBe(1);
    expect(summarize(input([spec('passed')], { errors: ['suite "add": boom'] })).exitCode).toBe(1);
    expect(summarize(input([spec('pending')])).verdict).toMatch(/no spec ran/);
  });

  it('fails when a spec leaks, unless tfjs-core itself leaks it (KNOWN_LEAKS)', () => {
    const leaked = { tensors: 2, bytes: 8, deviceBytes: 512 };
    expect(summarize(input([spec('passed', [], { leaked })])).memory.grew).toBe(true);
    const known = summarize(input([spec('passed', [], { leaked, fullName: 'add cuda {} gradients throws' })], {
      knownLeaks: [{ include: 'ops/add_test', spec: 'gradients throws', detail: 'tfjs-core' }],
      memoryEnd: { numTensors: 0, numBytes: 0, deviceBytes: 512 }, memoryStart: { numTensors: 0, numBytes: 0, deviceBytes: 0 },
    }));
    expect(known.memory).toMatchObject({ grew: false, knownLeakDeviceBytes: 512 });
    expect(known.exitCode).toBe(0);
  });

  it('fails when device bytes at the end exceed the start plus the known leaks', () => {
    const s = summarize(input([spec('passed')], { memoryStart: { ...EMPTY, deviceBytes: 1024 }, memoryEnd: { ...EMPTY, deviceBytes: 1536 } }));
    expect(s.memory.grew).toBe(true);
    expect(s.exitCode).toBe(1);
  });

  it('fails on a stale exclusion: one that matches nothing, or whose spec passes under --run-excluded', () => {
    const filters: TestFilter[] = [{ include: 'ops/add_test', excludes: [{ spec: 'complex', backends: ['cuda'], reason: 'dtype-unsupported', detail: 'complex64' }] }];
    const unused = summarize(input([spec('passed')], { filters }));
    expect(unused.staleExclusions).toEqual(['ops/add_test: "complex" matches no spec']);
    expect(unused.exitCode).toBe(1);
    const excludedBy = filters[0]!.excludes[0]!;
    const passing = summarize(input([spec('passed'), spec('passed', [], { fullName: 'add cuda {} complex', excludedBy })], { filters }));
    expect(passing.files[0]).toMatchObject({ passed: 1, excluded: 1 });
    expect(passing.staleExclusions).toEqual(['ops/add_test: "add cuda {} complex" passes although excluded by "complex"']);
  });
});

describe('the filter list', () => {
  const dist = tfjsCoreDist();
  const own = new Set(ownSpecs());
  const exists = (id: string): boolean => own.has(id) || existsSync(join(dist, `${id}.js`));
  const backends = ['cpu', 'wasm', 'tensorflow', 'webgpu', 'cuda'];

  it('is valid: real test files, accepted reasons, a detail beside each', () => {
    expect(filterListProblems(TEST_FILTERS, exists, backends)).toEqual([]);
    for (const k of KNOWN_LEAKS) expect(exists(k.include)).toBe(true);
  });

  it('names the entry at fault', () => {
    const bad = [{ include: 'ops/nope_test', excludes: [{ spec: '', backends: ['gpu'], reason: 'flaky', detail: '' }] }] as unknown as TestFilter[];
    expect(filterListProblems(bad, exists, backends)).toEqual([
      'conformance/filters.ts TEST_FILTERS[0] (include "ops/nope_test"): no such test file',
      'conformance/filters.ts TEST_FILTERS[0] (include "ops/nope_test") excludes[0] (""): empty spec name',
      'conformance/filters.ts TEST_FILTERS[0] (include "ops/nope_test") excludes[0] (""): reason "flaky" is not one of kernel-not-implemented, dtype-unsupported, fails-on-tfjs-cpu',
      'conformance/filters.ts TEST_FILTERS[0] (include "ops/nope_test") excludes[0] (""): no detail beside the reason',
      'conformance/filters.ts TEST_FILTERS[0] (include "ops/nope_test") excludes[0] (""): unknown backend "gpu"',
    ]);
  });
});
