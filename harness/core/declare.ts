/**
 * What `defineSuite` and `definePipeline` share: the registry of declared ids (one namespace, since `--patterns`
 * selects either by id), the file a declaration came from, and the front end that subscribes to declarations.
 * The core never imports vitest: a front end (the vitest glue) registers itself here.
 */
import { fileURLToPath } from 'node:url';
import type { RegisteredPipeline, RegisteredSuite } from './types.ts';

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
