/** Temporary files and captured console output for the gate's CLI tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

export interface Scratch {
  readonly dir: string;
  /** Writes `value` as JSON (or a string as is) and returns the path. */
  write(name: string, value: unknown): string;
  path(name: string): string;
  remove(): void;
}

export function scratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'fusebench-gate-'));
  return {
    dir,
    write(name, value) {
      const p = join(dir, name);
      writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
      return p;
    },
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Captured {
  readonly out: string;
  readonly err: string;
}

/** Runs `fn` with console.log/warn/error captured; returns its result and what it printed. */
export async function captured<T>(fn: () => Promise<T>): Promise<{ value: T } & Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); }),
    vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => { err.push(a.join(' ')); }),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err.push(a.join(' ')); }),
  ];
  try {
    const value = await fn();
    return { value, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}
