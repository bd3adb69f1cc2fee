/** Writing and re-rendering a macro study: validated on write and on read, and an invalid document replaces nothing. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeMacroOutputs } from '../../harness/pipeline/output.ts';
import { loadMacroResults } from '../../harness/pipeline/schema.ts';
import { rerenderMacroReport } from '../../harness/pipeline/study.ts';
import type { MacroStudyResults } from '../../harness/pipeline/results.ts';
import { study, type SizeSpec } from './macro-fixture.ts';
import { fastConfig } from './helpers.ts';

const size = (label: string): SizeSpec => ({ size: label, unfusedMs: 2, speedup: 1.2, coverage: 0.3, micro: 1.6, copyRatio: 1.2, spread: 0.1 });
const fixture = (): MacroStudyResults => study([{ name: 'cpu', image: [size('256×256')], neural: [size('1,024 neurons')], micro: [1.8] }]);

/** The fixture with one NaN in a pipeline's macro interval (JSON would write it as null). */
function withNaN(): MacroStudyResults {
  const doc = fixture();
  const r = doc.backends[0].pipelines[0].results[0];
  const bad = { ...r, macro: { ...r.macro!, hi: Number.NaN } };
  return { ...doc, backends: [{ ...doc.backends[0], pipelines: [{ ...doc.backends[0].pipelines[0], results: [bad] }, doc.backends[0].pipelines[1]] }] };
}

const root = mkdtempSync(join(tmpdir(), 'fusebench-macro-output-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => mkdtempSync(join(root, `${dirs++}-`));

describe('writeMacroOutputs', () => {
  it('writes both files, and the JSON reads back as the same document', () => {
    const dir = freshDir();
    const doc = fixture();
    const files = writeMacroOutputs(doc, dir);
    expect(files).toEqual([join(dir, 'MACRO-REPORT.md'), join(dir, 'MACRO-RESULTS.json')]);
    expect(loadMacroResults(files[1])).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(readFileSync(files[0], 'utf8')).toContain('# Macro Benchmark Results: Phase 4.1 Fusion Validation — cpu');
  });

  it('refuses an invalid document, naming the path, and leaves the previous files in place', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'MACRO-REPORT.md'), 'previous report\n');
    writeFileSync(join(dir, 'MACRO-RESULTS.json'), 'previous results\n');
    expect(() => writeMacroOutputs(withNaN(), dir))
      .toThrow(`${join(dir, 'MACRO-RESULTS.json')} (not written): /backends/0/pipelines/0/results/0/macro/hi must be number`);
    expect(readFileSync(join(dir, 'MACRO-REPORT.md'), 'utf8')).toBe('previous report\n');
    expect(readFileSync(join(dir, 'MACRO-RESULTS.json'), 'utf8')).toBe('previous results\n');
    expect(readdirSync(dir).sort()).toEqual(['MACRO-REPORT.md', 'MACRO-RESULTS.json']);
  });
});

describe('rerenderMacroReport (--render-from)', () => {
  it('re-renders a stored study into valid files', () => {
    const stored = join(freshDir(), 'MACRO-RESULTS.json');
    writeFileSync(stored, JSON.stringify(fixture()));
    const out = freshDir();
    const files = rerenderMacroReport(stored, out, fastConfig);
    expect(files).toEqual([join(out, 'MACRO-REPORT.md'), join(out, 'MACRO-RESULTS.json')]);
    expect(loadMacroResults(files[1]).backends[0].summary.pipelines.map((p) => p.id)).toEqual(['TernaryImagePipeline', 'TernaryNeuralLayer']);
  });

  it('rejects an invalid stored study, naming the file and the JSON path, and writes nothing', () => {
    const stored = join(freshDir(), 'MACRO-RESULTS.json');
    writeFileSync(stored, JSON.stringify(withNaN()));
    const out = freshDir();
    expect(() => rerenderMacroReport(stored, out, fastConfig)).toThrow(`${stored}: /backends/0/pipelines/0/results/0/macro/hi must be number`);
    expect(readdirSync(out)).toEqual([]);
  });
});
