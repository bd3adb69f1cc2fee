import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FIXTURE, GOLDEN, GOLDEN_DETAILS, details, fixture, render } from './helpers.ts';
import { assertValidResults } from '../../harness/schema.ts';

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it (review the diff), and a missing one is written and fails. */
function golden(file: URL, md: string): void {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    writeFileSync(file, md);
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`${file.pathname} was missing and has been written; review it and run again`);
  }
  expect(md).toBe(readFileSync(file, 'utf8'));
}

describe('REPORT.md and DETAILS.md rendering (golden files)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the fixture is a valid results.json', () => {
    expect(() => assertValidResults(JSON.parse(readFileSync(FIXTURE, 'utf8')), 'test/fixtures/results.json')).not.toThrow();
  });

  it('renders test/fixtures/results.json exactly as test/fixtures/REPORT.golden.md', () => {
    golden(GOLDEN, render(fixture()));
  });

  it('renders test/fixtures/results.json exactly as test/fixtures/DETAILS.golden.md', () => {
    golden(GOLDEN_DETAILS, details(fixture()));
  });

  it('never reads the clock: the same results render the same bytes at different times', () => {
    vi.useFakeTimers({ now: new Date('2001-02-03T04:05:06Z') });
    const a = render(fixture()) + details(fixture());
    vi.setSystemTime(new Date('2039-12-31T23:59:59Z'));
    const b = render(fixture()) + details(fixture());
    expect(b).toBe(a);
    expect(a).toContain('2026-01-15 12:00 UTC');
    expect(a).not.toContain('2001-02-03');
  });

  it('never reads the machine it runs on: nothing of this host appears in a report of another', () => {
    const md = render(fixture()) + details(fixture());
    expect(md).not.toContain(hostname());
    const model = cpus()[0]?.model.trim();
    if (model) expect(md).not.toContain(model);
    expect(md).toContain('Synthetic CPU (test fixture, not a measurement)');
  });
});
