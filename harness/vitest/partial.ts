/**
 * Hand-off between vitest's workers and its main process: each suite's measured results go to
 * reports/.partial/<id>.json; the reporter assembles them into one RunResults when the run ends.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BackendStatus, PatternResult } from '../core/types.ts';
import { writeFileAtomic } from '../core/io.ts';

export interface PartialResult {
  readonly pattern: PatternResult;
  readonly backends: readonly BackendStatus[];
  readonly quick: boolean;
}

export function partialDir(root = process.cwd()): string {
  return resolve(root, 'reports/.partial');
}

export function clearPartials(root?: string): void {
  rmSync(partialDir(root), { recursive: true, force: true });
  mkdirSync(partialDir(root), { recursive: true });
}

export function writePartial(partial: PartialResult, root?: string): void {
  writeFileAtomic(join(partialDir(root), `${partial.pattern.id}.json`), JSON.stringify(partial));
}

export function readPartials(root?: string): PartialResult[] {
  const dir = partialDir(root);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.sort().map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as PartialResult);
}
