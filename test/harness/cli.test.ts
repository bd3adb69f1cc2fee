import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli.ts';
import { writeFilesAtomic } from '../../harness/core/io.ts';

afterEach(() => vi.restoreAllMocks());

function captureErrors(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation(() => {});
  return lines;
}

describe('fusebench CLI input errors exit 2 and name the culprit', () => {
  it('an unknown flag', async () => {
    const err = captureErrors();
    expect(await main(['run', '--bogus'])).toBe(2);
    expect(err.join('\n')).toMatch(/--bogus/);
  });
  it('an unknown backend', async () => {
    const err = captureErrors();
    expect(await main(['run', '--backends', 'cpu,tpu'])).toBe(2);
    expect(err.join('\n')).toMatch(/--backends: unknown backend "tpu"/);
  });
  it('an unknown command', async () => {
    const err = captureErrors();
    expect(await main(['frobnicate'])).toBe(2);
    expect(err.join('\n')).toMatch(/unknown command "frobnicate"/);
  });
  it('a suite file that does not exist', async () => {
    const err = captureErrors();
    expect(await main(['run', '/nonexistent/my.bench.ts'])).toBe(2);
    expect(err.join('\n')).toMatch(/suite file not found: \/nonexistent\/my\.bench\.ts/);
  });
});

describe('atomic writes', () => {
  it('a failed write leaves the previous files untouched and no temp files behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-'));
    writeFileSync(join(dir, 'REPORT.md'), 'old report');
    expect(() => writeFilesAtomic([
      [join(dir, 'REPORT.md'), 'new report'],
      [join(dir, 'REPORT.md', 'impossible', 'results.json'), '{}'],
    ])).toThrow();
    expect(readFileSync(join(dir, 'REPORT.md'), 'utf8')).toBe('old report');
    expect(readdirSync(dir)).toEqual(['REPORT.md']);
  });
});

describe('fusebench backends', () => {
  it('lists the cuda fallback kernels, available or not (table and --json)', async () => {
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    expect(await main(['backends'])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/cuda: kernels that run on the host through the counted fallback/);
    expect(text).toMatch(/\| Unique +\| output size is the number of distinct values/);
    out.length = 0;
    expect(await main(['backends', '--json'])).toBe(0);
    const cuda = (JSON.parse(out.join('\n')) as Array<{ name: string; fallbackKernels?: Record<string, string> }>).find((b) => b.name === 'cuda')!;
    expect(Object.keys(cuda.fallbackKernels!)).toContain('NonMaxSuppressionV5');
  });
});
