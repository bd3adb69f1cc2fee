/**
 * Writing a baseline: always atomic (temp file + rename), and without --force also no-clobber. The
 * no-clobber case publishes the temp file with link(2), which fails if the target exists, so two jobs racing
 * to create the same baseline cannot silently replace one another.
 */
import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../core/io.ts';

export class BaselineExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists`);
    this.name = 'BaselineExistsError';
  }
}

export function writeBaselineFile(path: string, content: string, force: boolean): void {
  if (force) {
    writeFileAtomic(path, content);
    return;
  }
  if (existsSync(path)) throw new BaselineExistsError(path);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    try {
      linkSync(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new BaselineExistsError(path);
      throw e;
    }
  } finally {
    rmSync(tmp, { force: true });
  }
}
