/** Turns the spec records of a run into per-file counts, totals and the JSON summary (`--json`). */
import type { MemoryNow } from './entry.ts';
import type { SpecRecord } from './jasmine-run.ts';
import type { KnownLeak, TestFilter } from './filters.ts';
import { classifyFailure } from './classify.ts';
import { isOwnSpec } from './test-files.ts';

export interface Counts {
  specs: number;
  passed: number;
  /** Failures that count against the backend. */
  failed: number;
  /** Failed only by running into a kernel the backend does not implement (its stubs). */
  notImplemented: number;
  /** Failed only on a dtype the backend does not support (complex64, string). */
  dtypeUnsupported: number;
  /** Left out by the filter list. */
  excluded: number;
  /** Marked pending in the test file itself (xit, pending()). */
  pending: number;
}

export interface FileCounts extends Counts {
  readonly file: string;
}

export interface SpecLeak {
  readonly file: string;
  readonly spec: string;
  readonly tensors: number;
  readonly bytes: number;
  readonly deviceBytes: number;
  /**
   * Why the leak does not count: tfjs-core's own (conformance/filters.ts KNOWN_LEAKS), or the spec is excluded;
   * absent: the backend's, a failure.
   */
  readonly known?: string;
}

export interface MemoryReport {
  /** tf.memory() once the test files are loaded, before the first spec. */
  readonly start: MemoryNow;
  /** tf.memory() after the last spec, with the backend selected again. */
  readonly end: MemoryNow;
  readonly leakedSpecs: readonly SpecLeak[];
  /** Device bytes the known leaks hold: the end may exceed the start by exactly this much. */
  readonly knownLeakDeviceBytes: number;
  /**
   * True when a spec not in KNOWN_LEAKS leaked, or the end exceeds the start (tensors, bytes) or the start plus
   * the known leaks' device bytes.
   */
  readonly grew: boolean;
}

export interface ConformanceSummary {
  readonly backend: string;
  readonly device: string;
  readonly command: string;
  readonly date: string;
  readonly tfjsCoreVersion: string;
  readonly durationMs: number;
  /** tfjs-core's own tests. */
  readonly tfjs: Counts;
  /** fusebench's own kernel specs (conformance/specs). */
  readonly fusebench: Counts;
  /** tfjs specs passed / (passed + failed): the share of the specs the backend's kernels can run that pass. */
  readonly tfjsPassRate: number | null;
  readonly files: readonly FileCounts[];
  readonly failures: ReadonlyArray<{ readonly file: string; readonly spec: string; readonly messages: readonly string[] }>;
  /** Failure messages grouped by their first line, most frequent first. */
  readonly failureGroups: ReadonlyArray<{ readonly message: string; readonly count: number }>;
  /** Stub kernels the specs ran into, with how many specs each stopped. */
  readonly notImplementedKernels: Readonly<Record<string, number>>;
  /** Unsupported dtypes the specs ran into (complex64, string), with how many specs each stopped. */
  readonly unsupportedDtypes: Readonly<Record<string, number>>;
  /**
   * Host round trips the backend's kernels made over the run, by cause (BackendAdapter.hostTrips: cuda's fallback
   * kernels and value read-backs); absent for backends that do not count them.
   */
  readonly hostTrips?: Readonly<Record<string, number>>;
  readonly exclusions: ReadonlyArray<{ readonly file: string; readonly spec: string; readonly reason: string; readonly detail: string }>;
  /**
   * The list is out of date: exclusions for this backend in a loaded file that matched no spec, and (with
   * --run-excluded) excluded specs that passed.
   */
  readonly staleExclusions: readonly string[];
  /** Errors outside specs: beforeAll/afterAll hooks, files that failed to load. */
  readonly errors: readonly string[];
  readonly memory: MemoryReport;
  readonly exitCode: number;
  readonly verdict: string;
}

const zero = (): Counts => ({ specs: 0, passed: 0, failed: 0, notImplemented: 0, dtypeUnsupported: 0, excluded: 0, pending: 0 });

function add(into: Counts, from: Counts): void {
  for (const k of Object.keys(into) as (keyof Counts)[]) into[k] += from[k];
}

export interface SummaryInput {
  readonly backend: string;
  readonly device: string;
  readonly command: string;
  readonly tfjsCoreVersion: string;
  readonly durationMs: number;
  readonly files: readonly string[];
  readonly specs: readonly SpecRecord[];
  readonly errors: readonly string[];
  readonly filters: readonly TestFilter[];
  readonly knownLeaks: readonly KnownLeak[];
  readonly stubs: ReadonlySet<string>;
  readonly memoryStart: MemoryNow;
  readonly memoryEnd: MemoryNow;
  readonly hostTrips?: Readonly<Record<string, number>>;
}

export function summarize(input: SummaryInput): ConformanceSummary {
  const { backend, filters, stubs } = input;
  const perFile = new Map<string, FileCounts>(input.files.map((f) => [f, { file: f, ...zero() }]));
  const failures: { file: string; spec: string; messages: readonly string[] }[] = [];
  const notImplementedKernels: Record<string, number> = {};
  const unsupportedDtypes: Record<string, number> = {};
  const exclusions: ConformanceSummary['exclusions'][number][] = [];
  const leakedSpecs: SpecLeak[] = [];
  const usedExclusions = new Set<string>();
  const passingExcluded: string[] = [];
  for (const s of input.specs) {
    let c = perFile.get(s.file);
    if (!c) perFile.set(s.file, (c = { file: s.file, ...zero() }));
    c.specs++;
    if (s.leaked) {
      // A spec that is excluded (and ran under --run-excluded) may fail half-way: what it leaves is not counted.
      const known = s.excludedBy ? `excluded: ${s.excludedBy.detail}` : input.knownLeaks.find((k) => k.include === s.file && s.fullName.includes(k.spec))?.detail;
      leakedSpecs.push({ file: s.file, spec: s.fullName, ...s.leaked, ...(known ? { known } : {}) });
    }
    if (s.status === 'passed' && !s.excludedBy) c.passed++;
    else if (s.status === 'pending') c.pending++;
    else if (s.excludedBy) {
      const e = s.excludedBy;
      c.excluded++;
      usedExclusions.add(`${s.file}\u0000${e.spec}`);
      exclusions.push({ file: s.file, spec: s.fullName, reason: e.reason, detail: e.detail });
      if (s.status === 'passed') passingExcluded.push(`${s.file}: "${s.fullName}" passes although excluded by "${e.spec}"`);
    } else {
      const k = classifyFailure(s.messages, backend, stubs);
      if (k.kind === 'kernel-not-implemented') {
        c.notImplemented++;
        for (const name of k.kernels) notImplementedKernels[name] = (notImplementedKernels[name] ?? 0) + 1;
      } else if (k.kind === 'dtype-unsupported') {
        c.dtypeUnsupported++;
        for (const d of k.dtypes) unsupportedDtypes[d] = (unsupportedDtypes[d] ?? 0) + 1;
      }
      else {
        c.failed++;
        failures.push({ file: s.file, spec: s.fullName, messages: s.messages.length ? s.messages : [`status ${s.status} without a message`] });
      }
    }
  }
  const tfjs = zero(), fusebench = zero();
  const files = [...perFile.values()].sort((a, b) => a.file.localeCompare(b.file));
  for (const f of files) add(isOwnSpec(f.file) ? fusebench : tfjs, f);
  const loaded = new Set(input.files);
  const staleExclusions = [
    ...filters.flatMap((f) =>
      loaded.has(f.include) ? f.excludes.filter((e) => e.backends.includes(backend) && !usedExclusions.has(`${f.include}\u0000${e.spec}`)).map((e) => `${f.include}: "${e.spec}" matches no spec`) : [],
    ),
    ...passingExcluded,
  ];
  const groups = new Map<string, number>();
  for (const f of failures) {
    const key = (f.messages[0] ?? '').split('\n')[0]!.slice(0, 200);
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const failureGroups = [...groups].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count);
  const { memoryStart: start, memoryEnd: end } = input;
  const knownLeakDeviceBytes = leakedSpecs.reduce((sum, l) => sum + (l.known ? l.deviceBytes : 0), 0);
  const endGrew = end.numTensors > start.numTensors || end.numBytes > start.numBytes || (end.deviceBytes ?? 0) > (start.deviceBytes ?? 0) + knownLeakDeviceBytes;
  const memory: MemoryReport = { start, end, leakedSpecs, knownLeakDeviceBytes, grew: endGrew || leakedSpecs.some((l) => !l.known) };
  const ran = [tfjs, fusebench].reduce((n, c) => n + c.passed + c.failed + c.notImplemented + c.dtypeUnsupported, 0);
  const problems: string[] = [];
  if (tfjs.failed + fusebench.failed > 0) problems.push(`${tfjs.failed + fusebench.failed} spec(s) failed`);
  if (input.errors.length > 0) problems.push(`${input.errors.length} error(s) outside specs`);
  if (memory.grew) problems.push('memory grew over the run');
  if (staleExclusions.length) problems.push(`${staleExclusions.length} stale exclusion(s) in conformance/filters.ts`);
  if (ran === 0) problems.push('no spec ran');
  const exitCode = problems.length ? 1 : 0;
  return {
    backend, device: input.device, command: input.command, date: new Date().toISOString(), tfjsCoreVersion: input.tfjsCoreVersion,
    durationMs: input.durationMs, tfjs, fusebench,
    tfjsPassRate: tfjs.passed + tfjs.failed > 0 ? tfjs.passed / (tfjs.passed + tfjs.failed) : null,
    files, failures, failureGroups, notImplementedKernels, unsupportedDtypes, ...(input.hostTrips ? { hostTrips: input.hostTrips } : {}), exclusions, staleExclusions, errors: input.errors, memory,
    exitCode, verdict: problems.length ? `FAIL: ${problems.join('; ')}` : 'PASS: no unexpected failure, no memory growth',
  };
}
