/** `fusebench render`: a stored run re-rendered under any thresholds, through the one atomic writer; bad input exits 2 naming it. */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../harness/cli.ts';
import { defaultConfig } from '../../harness/core/config.ts';
import { renderDetails, renderReport } from '../../harness/report/markdown.ts';
import { writeRunOutputs } from '../../harness/output.ts';
import { captured, scratch, type Scratch } from '../gate/helpers.ts';
import { FIXTURE, fixture, mutable, section } from './helpers.ts';
import type { RunResults } from '../../harness/core/types.ts';

let s: Scratch;
afterEach(() => s?.remove());

function stored(): string {
  s = scratch();
  const file = s.path('results.json');
  copyFileSync(FIXTURE, file);
  return file;
}

describe('fusebench render', () => {
  it('writes REPORT.md and DETAILS.md beside results.json, as a run would render them, and leaves results.json alone', async () => {
    const file = stored();
    const before = readFileSync(file, 'utf8');
    const r = await captured(() => main(['render', file]));
    expect(r.value).toBe(0);
    expect(readFileSync(join(s.dir, 'REPORT.md'), 'utf8')).toBe(renderReport(fixture(), { config: defaultConfig }));
    expect(readFileSync(join(s.dir, 'DETAILS.md'), 'utf8')).toBe(renderDetails(fixture(), { config: defaultConfig }));
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(r.out).toContain('Verdict: ✓ cpu: Deploy + Expand');
    expect(readFileSync(join(s.dir, 'MACRO-REPORT.md'), 'utf8')).toContain('Bias + activation pipeline');
  });

  it('judges under the thresholds of --config, into --out', async () => {
    const file = stored();
    const config = s.write('strict.config.mjs', 'export default { decisions: { expand: 3, deploy: 2.5 }, verdicts: { strong: 9 } };\n');
    const out = join(s.dir, 'strict');
    const r = await captured(() => main(['render', file, '--config', config, '--out', out]));
    expect(r.value).toBe(0);
    const md = readFileSync(join(out, 'REPORT.md'), 'utf8');
    expect(section(md, 'Decision Matrix')).toContain('| ≥ 3.00×');
    expect(section(md, 'Verdict')).toContain('✗ cpu: Re-evaluate');
    expect(existsSync(join(s.dir, 'REPORT.md'))).toBe(false);
  });

  it('re-renders results written before verdicts were judged at render time (their verdict strings are ignored)', async () => {
    s = scratch();
    const file = s.path('results.json');
    copyFileSync(new URL('../fixtures/results-readback.json', import.meta.url), file);
    const r = await captured(() => main(['render', file]));
    expect(r.value).toBe(0);
    expect(readFileSync(join(s.dir, 'REPORT.md'), 'utf8')).toContain('## Verdict');
    expect(readFileSync(join(s.dir, 'DETAILS.md'), 'utf8')).toContain('This run predates pipelined timing');
  });

  it('exits 2 naming the file for a missing, unparsable or invalid results.json, and for a bad config', async () => {
    s = scratch();
    const missing = s.path('nope.json');
    let r = await captured(() => main(['render', missing]));
    expect(r.value).toBe(2);
    expect(r.err).toContain(`${missing}: no such file`);

    const broken = s.write('broken.json', '{ "schema": ');
    r = await captured(() => main(['render', broken]));
    expect(r.value).toBe(2);
    expect(r.err).toContain(broken);

    const bad = mutable(fixture());
    bad.patterns[0].results[0].speedup = { ratio: 1.2, lo: 1.3, hi: 1.4 };
    const invalid = s.write('invalid.json', bad);
    r = await captured(() => main(['render', invalid]));
    expect(r.value).toBe(2);
    expect(r.err).toContain(`${invalid}: /patterns/0/results/0/speedup must satisfy lo ≤ ratio ≤ hi`);

    const file = s.write('results.json', fixture());
    const config = s.write('bad.config.mjs', 'export default { verdicts: { strng: 1 } };\n');
    r = await captured(() => main(['render', file, '--config', config]));
    expect(r.value).toBe(2);
    expect(r.err).toContain('verdicts.strng');
    r = await captured(() => main(['render']));
    expect(r.value).toBe(2);
  });

  it('leaves out a torch-reference.json of the old @2 schema with a warning, and refuses a broken one', async () => {
    const file = stored();
    writeFileSync(join(s.dir, 'torch-reference.json'), JSON.stringify({ schema: 'fusebench/torch-reference@2', results: [] }));
    let r = await captured(() => main(['render', file]));
    expect(r.value).toBe(0);
    expect(r.err).toContain('torch-reference@2');
    writeFileSync(join(s.dir, 'torch-reference.json'), JSON.stringify({ schema: 'fusebench/torch-reference@3', machine: { gpu: 'G' } }));
    r = await captured(() => main(['render', file]));
    expect(r.value).toBe(2);
    expect(r.err).toContain('torch-reference.json: field "results" must be an array');
  });
});

describe('PyTorch on the same CPU', () => {
  it('adds the section to DETAILS.md when a torch-cpu-reference.json lies beside results.json, linked from REPORT.md', async () => {
    const file = stored();
    copyFileSync(new URL('../../reports/cpu/amd-epyc-2vcpu-torch/torch-cpu-reference.json', import.meta.url), join(s.dir, 'torch-cpu-reference.json'));
    const r = await captured(() => main(['render', file]));
    expect(r.value).toBe(0);
    expect(readFileSync(join(s.dir, 'DETAILS.md'), 'utf8')).toContain('## fusebench vs PyTorch on the same CPU');
    expect(readFileSync(join(s.dir, 'REPORT.md'), 'utf8')).toContain('(DETAILS.md#fusebench-vs-pytorch-on-the-same-cpu)');
    writeFileSync(join(s.dir, 'torch-cpu-reference.json'), '{}');
    const bad = await captured(() => main(['render', file]));
    expect(bad.value).toBe(2);
    expect(bad.err).toContain('torch-cpu-reference.json');
  });
});

describe('the one atomic writer', () => {
  it('writes REPORT.md, DETAILS.md and results.json together, and a run that fails validation leaves the old files', () => {
    s = scratch();
    writeRunOutputs(fixture(), s.dir, { config: defaultConfig });
    for (const f of ['REPORT.md', 'DETAILS.md', 'results.json']) expect(existsSync(join(s.dir, f))).toBe(true);
    writeFileSync(join(s.dir, 'REPORT.md'), 'old report');
    writeFileSync(join(s.dir, 'DETAILS.md'), 'old details');
    const bad = mutable(fixture());
    bad.patterns[0].results[0].backend = 'metal';
    expect(() => writeRunOutputs(bad as unknown as RunResults, s.dir, { config: defaultConfig })).toThrow(/metal/);
    expect(readFileSync(join(s.dir, 'REPORT.md'), 'utf8')).toBe('old report');
    expect(readFileSync(join(s.dir, 'DETAILS.md'), 'utf8')).toBe('old details');
  });
});
