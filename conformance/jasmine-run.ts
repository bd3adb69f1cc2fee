/// <reference types="jasmine" />
/**
 * Runs the bundled test files with jasmine (npm `jasmine`, as tfjs does): loads each file after the backend is
 * active, remembers which file defined which spec, leaves out the specs the filter list excludes, and records
 * every spec's outcome and the tensors/bytes it left behind.
 */
import { createRequire } from 'node:module';
import type { MemoryNow } from './entry.ts';
import type { Exclusion, TestFilter } from './filters.ts';
import { exclusionFor } from './exclusions.ts';

/** What the bundle exports (conformance/entry.ts plus the generated `testFiles`). */
export type Bundle = typeof import('./entry.ts') & { readonly testFiles: Readonly<Record<string, () => Promise<unknown>>> };

/** The part of the `jasmine` package's runner used here (the package ships no types). */
interface JasmineRunner {
  readonly env: jasmine.Env;
  readonly jasmine: { DEFAULT_TIMEOUT_INTERVAL: number };
  exitOnCompletion: boolean;
  clearReporters(): void;
  execute(): Promise<jasmine.JasmineDoneInfo>;
}

export interface SpecRecord {
  readonly file: string;
  readonly fullName: string;
  /** jasmine's status: passed, failed, excluded (filtered out) or pending. */
  readonly status: string;
  readonly messages: readonly string[];
  /** The filter-list entry that excludes this spec on this backend (it ran anyway under --run-excluded). */
  readonly excludedBy?: Exclusion;
  /** Tensors, bytes and device bytes alive after the spec's scope ended that were not alive before it. */
  readonly leaked?: { readonly tensors: number; readonly bytes: number; readonly deviceBytes: number };
}

export interface JasmineOutcome {
  /**
   * tf.memory() once every file is loaded, before the first spec: the start of the memory check. Tensors a test
   * file makes while it is loaded (outside any spec) are the test suite's, and tfjs's engine reset drops them.
   */
  readonly memoryStart: MemoryNow;
  readonly specs: readonly SpecRecord[];
  /** Errors outside specs (a beforeAll, afterAll or a file that failed to load), each with where it happened. */
  readonly errors: readonly string[];
}

/** Walks a suite tree, calling `visit` for every spec. */
function forEachSpec(node: jasmine.Suite | jasmine.Spec, visit: (spec: jasmine.Spec) => void): void {
  const children = (node as jasmine.Suite).children;
  if (Array.isArray(children)) for (const c of children) forEachSpec(c, visit);
  else visit(node);
}

export interface JasmineOptions {
  /** Run the excluded specs too (still counted as excluded), so that an exclusion whose spec now passes shows as stale. */
  readonly runExcluded?: boolean;
  /** Print each test file as its first suite starts (stderr), so a run that dies shows where. */
  readonly verbose?: boolean;
}

/** tfjs's jasmine_util sets this timeout on its own jasmine-core instance; the runner's instance gets the same. */
const SPEC_TIMEOUT_MS = 20_000;

export async function runJasmine(bundle: Bundle, backend: string, files: readonly string[], filters: readonly TestFilter[], options: JasmineOptions = {}): Promise<JasmineOutcome> {
  const Jasmine = createRequire(import.meta.url)('jasmine') as new (options?: object) => JasmineRunner;
  const runner = new Jasmine(); // installs describe/it/expect as globals, which the test files use
  runner.exitOnCompletion = false;
  runner.clearReporters(); // the summary replaces jasmine's console reporter
  runner.jasmine.DEFAULT_TIMEOUT_INTERVAL = SPEC_TIMEOUT_MS;
  const env = runner.env;
  const errors: string[] = [];

  // Memory: tfjs's describeWithFlags opens a scope before each spec and ends it after; these outermost hooks
  // run before that scope opens and after it closed, so what they see grow is what the spec leaked.
  const leaks = new Map<string, NonNullable<SpecRecord['leaked']>>();
  let current = '';
  let before: MemoryNow | undefined;
  beforeEach(() => {
    before = bundle.memoryNow();
  });
  afterEach(() => {
    if (!before) return;
    const after = bundle.memoryNow();
    const grown = { tensors: after.numTensors - before.numTensors, bytes: after.numBytes - before.numBytes, deviceBytes: (after.deviceBytes ?? 0) - (before.deviceBytes ?? 0) };
    if (grown.tensors > 0 || grown.bytes > 0 || grown.deviceBytes > 0) leaks.set(current, grown);
  });

  const fileOfSpec = new Map<string, string>();
  const fileOfSuite = new Map<string, string>();
  for (const file of files) {
    const known = new Set(env.topSuite().children.map((c) => c.id));
    try {
      await bundle.testFiles[file]!();
    } catch (e) {
      errors.push(`${file}: failed to load: ${(e as Error).stack ?? String(e)}`);
      continue;
    }
    for (const suite of env.topSuite().children) {
      if (known.has(suite.id)) continue;
      fileOfSuite.set(suite.id, file);
      forEachSpec(suite, (s) => fileOfSpec.set(s.id, file));
    }
  }

  env.configure({
    random: false,
    specFilter: (spec) => options.runExcluded === true || !exclusionFor(filters, fileOfSpec.get(spec.id) ?? '', spec.getFullName(), backend),
  });
  const specs: SpecRecord[] = [];
  let lastFile = '';
  env.addReporter({
    suiteStarted: (r) => {
      const file = fileOfSuite.get(r.id);
      if (options.verbose && file && file !== lastFile) console.error(`conformance: ${file}`);
      if (file) lastFile = file;
    },
    specStarted: (r) => {
      current = r.id;
    },
    specDone: (r) => {
      const leaked = leaks.get(r.id);
      const file = fileOfSpec.get(r.id) ?? '(unknown file)';
      const excludedBy = exclusionFor(filters, file, r.fullName, backend);
      specs.push({ file, fullName: r.fullName, status: r.status, messages: r.failedExpectations.map((f) => f.message), ...(excludedBy ? { excludedBy } : {}), ...(leaked ? { leaked } : {}) });
    },
    suiteDone: (r) => {
      for (const f of r.failedExpectations) errors.push(`suite "${r.fullName}": ${f.message}`);
    },
    jasmineDone: (r) => {
      for (const f of r.failedExpectations) errors.push(`top level: ${f.message}`);
    },
  });
  const memoryStart = bundle.memoryNow();
  await runner.execute();
  return { memoryStart, specs, errors };
}
