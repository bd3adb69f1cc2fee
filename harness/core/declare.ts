/**
 * What `defineSuite` and `definePipeline` share: the registry of declared ids (one namespace, since `--patterns`
 * selects either by id), the file a declaration came from, and the front end that subscribes to declarations.
 * The core never imports vitest: a front end (the vitest glue) registers itself here.
 */
import { fileURLToPath } from 'node:url';
import type { BackendKind, Prediction, RegisteredPipeline, RegisteredSuite, SizeParams, Tolerance } from './types.ts';

/** What a front end does with each declaration as it is made. */
export interface FrontEnd {
  suite(suite: RegisteredSuite): void;
  pipeline(pipeline: RegisteredPipeline): void;
}

// On globalThis, so that a second copy of this module (a bundler's, or a project's own `fusebench`) reaches the same front end.
const FRONT_END = Symbol.for('fusebench.frontEnd');
interface FrontEndHolder {
  [FRONT_END]?: FrontEnd;
}

export function setFrontEnd(frontEnd: FrontEnd | undefined): void {
  (globalThis as FrontEndHolder)[FRONT_END] = frontEnd;
}

export function frontEnd(): FrontEnd | undefined {
  return (globalThis as FrontEndHolder)[FRONT_END];
}

const suites = new Map<string, RegisteredSuite>();
const pipelines = new Map<string, RegisteredPipeline>();

export function registeredSuites(): RegisteredSuite[] {
  return [...suites.values()];
}

export function registeredPipelines(): RegisteredPipeline[] {
  return [...pipelines.values()];
}

/** Forgets every registration (tests, and the CLI between independent runs). */
export function clearRegistry(): void {
  suites.clear();
  pipelines.clear();
}

/** Where `id` is already declared by another file, as a suite or a pipeline; undefined when it is free. */
export function idTakenBy(id: string, file: string): string | undefined {
  const s = suites.get(id);
  if (s && s.file !== file) return `a suite in ${s.file}`;
  const p = pipelines.get(id);
  if (p && p.file !== file) return `a pipeline in ${p.file}`;
  return undefined;
}

export function recordSuite(suite: RegisteredSuite): void {
  suites.set(suite.spec.id, suite);
  frontEnd()?.suite(suite);
}

export function recordPipeline(pipeline: RegisteredPipeline): void {
  pipelines.set(pipeline.spec.id, pipeline);
  frontEnd()?.pipeline(pipeline);
}

/** The file that made a declaration, from the stack: the first frame outside fusebench's own declaring modules. */
export function callerFile(ownModules: readonly string[]): string {
  const own = new Set([fileURLToPath(import.meta.url), ...ownModules.map((u) => fileURLToPath(u))]);
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const path = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (!own.has(path)) return path;
  }
  return '<unknown file>';
}

/** Reports one fault of a declaration: the field and what is wrong with it (the caller names the file). */
export type Fail = (field: string, problem: string) => never;

export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The checks every declaration shares: id, family and title; full and quick sizes of numbers; predictions with sources; a tolerance. */
export function checkCommonFields(
  spec: {
    readonly id: string; readonly family: string; readonly title: string;
    readonly sizes: { readonly full: readonly SizeParams[]; readonly quick: readonly SizeParams[] };
    readonly predictions: Readonly<Record<BackendKind, Prediction>>;
    readonly tolerance?: Tolerance | ((p: never) => Tolerance);
  },
  fail: Fail,
): void {
  for (const field of ['id', 'family', 'title'] as const) {
    if (typeof spec[field] !== 'string' || spec[field].length === 0) fail(field, 'is missing (a non-empty string)');
  }
  if (!ID_PATTERN.test(spec.id)) fail('id', `"${spec.id}" must be letters, digits and underscores, starting with a letter`);
  if (!spec.sizes || typeof spec.sizes !== 'object') fail('sizes', 'is missing ({ full: [...], quick: [...] })');
  for (const set of ['full', 'quick'] as const) {
    const sizes = spec.sizes[set];
    if (!Array.isArray(sizes)) fail(`sizes.${set}`, 'is missing (an array of size parameters)');
    if (sizes.length === 0) fail(`sizes.${set}`, 'is empty');
    sizes.forEach((p: SizeParams, i: number) => {
      if (p === null || typeof p !== 'object') fail(`sizes.${set}[${i}]`, 'must be an object of numbers');
      for (const [k, v] of Object.entries(p)) {
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(`sizes.${set}[${i}].${k}`, `must be a finite number (got ${String(v)})`);
      }
    });
  }
  if (!spec.predictions || typeof spec.predictions !== 'object') fail('predictions', 'is missing ({ cpu: {...}, gpu: {...} })');
  for (const kind of ['cpu', 'gpu'] as BackendKind[]) {
    const p = spec.predictions[kind];
    if (!p) fail(`predictions.${kind}`, 'is missing ({ min, max, source })');
    if (!(p.min > 0) || !(p.max >= p.min)) fail(`predictions.${kind}`, `needs 0 < min ≤ max (got ${p.min}–${p.max})`);
    if (typeof p.source !== 'string' || p.source.length === 0) fail(`predictions.${kind}.source`, 'is missing (where the prediction comes from)');
  }
  if (spec.tolerance !== undefined && typeof spec.tolerance !== 'function') {
    const t = spec.tolerance;
    if (!(t.atol >= 0) || !(t.rtol >= 0)) fail('tolerance', 'needs atol ≥ 0 and rtol ≥ 0');
  }
}
