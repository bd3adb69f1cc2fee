/** Finds and imports bench files; importing a file registers its suites (defineSuite) and pipelines (definePipeline). */
import { readdirSync, existsSync, statSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { RegisteredPipeline, RegisteredSuite } from './core/types.ts';
import { registeredPipelines, registeredSuites } from './core/declare.ts';
import { UsageError } from './core/errors.ts';
import { OWN_EXTENSION, ensureTypeScriptLoader } from './core/typescript.ts';

export const SUITES_DIR = fileURLToPath(new URL('../suites/', import.meta.url));

/** Every `*.bench.ts` under a folder (`*.bench.js` where fusebench runs built), sorted so runs are in a stable order. */
export function findSuiteFiles(dir: string = SUITES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.bench.ts') || f.endsWith(`.bench${OWN_EXTENSION}`))
    .map((f) => join(dir, f))
    .sort();
}

/** What a set of bench files declares: suites and pipelines, each in file order. */
export interface LoadedBenchFiles {
  readonly suites: RegisteredSuite[];
  readonly pipelines: RegisteredPipeline[];
}

/** Imports bench files (default: the built-in ones) and returns the suites and pipelines they declared, in file order. */
export async function loadBenchFiles(files?: readonly string[]): Promise<LoadedBenchFiles> {
  const paths = (files && files.length > 0 ? files : findSuiteFiles()).map((f) => resolve(f));
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`suite file not found: ${path}`);
    await ensureTypeScriptLoader(path);
    try {
      await import(pathToFileURL(path).href);
    } catch (e) {
      if (e instanceof Error && (e.name === 'SuiteDeclarationError' || e.name === 'PipelineDeclarationError')) throw e;
      throw new UsageError(`${path}: the suite file failed to load: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const wanted = new Set(paths);
  const order = new Map(paths.map((p, i) => [p, i]));
  const inOrder = <T extends { readonly file: string; readonly spec: { readonly id: string } }>(xs: T[]): T[] =>
    xs.filter((s) => wanted.has(s.file)).sort((a, b) => (order.get(a.file)! - order.get(b.file)!) || a.spec.id.localeCompare(b.spec.id));
  return { suites: inOrder(registeredSuites()), pipelines: inOrder(registeredPipelines()) };
}

/** Imports suite files (default: the built-in ones) and returns the suites they declared, in file order. */
export async function loadSuiteFiles(files?: readonly string[]): Promise<RegisteredSuite[]> {
  return (await loadBenchFiles(files)).suites;
}
