/**
 * Exit codes tell the truth, the same under `fusebench run` and `vitest bench`: 0 all ran and is correct; 1 a run
 * completed but failed the user (a wrong fused result); 2 unusable input, named, with nothing under --out touched.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const start = readme.indexOf("```ts\nimport * as tf from '@tensorflow/tfjs-core';");
const example = readme.slice(start + 6, readme.indexOf('```', start + 6));
const CONFIG = 'export default { sampling: { quickRounds: 4, minRounds: 4, warmup: 1, warmupMs: 0, minSampleMs: 1, bootstrapResamples: 100, deviceReps: 1, quickProcesses: 1 } };\n';

function setup(): { dir: string; out: string; env: NodeJS.ProcessEnv; sentinel: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fb-exit-'));
  writeFileSync(join(dir, 'fusebench.config.mjs'), CONFIG);
  const out = join(dir, 'out');
  mkdirSync(out);
  const sentinel = join(out, 'REPORT.md');
  writeFileSync(sentinel, 'the previous report\n');
  return { dir, out, sentinel, env: { ...process.env, FUSEBENCH_QUICK: '1', FUSEBENCH_OUT: out, FUSEBENCH_CONFIG: join(dir, 'fusebench.config.mjs'), NO_COLOR: '1' } };
}

const cli = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [join(root, 'bin/fusebench.mjs'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 180_000 });
const vitest = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 180_000 });
const text = (r: { stdout: string; stderr: string }): string => `${r.stdout}\n${r.stderr}`;

describe('exit codes and messages', () => {
  it('2 for a suite file with a syntax error, naming the file, under both front ends; the previous report stays', () => {
    const { dir, env, sentinel } = setup();
    const file = join(dir, 'Broken.bench.ts');
    writeFileSync(file, 'export default defineSuite({ id: ;\n');
    const c = cli(['run', '--backends', 'cpu', '--out', join(dir, 'out'), file], env);
    expect(c.status, text(c)).toBe(2);
    expect(text(c)).toContain(`${file}: the suite file failed to load`);
    const v = vitest(['bench', '--run', file], { ...env, FUSEBENCH_BACKENDS: 'cpu' });
    expect(v.status, text(v)).toBe(2);
    expect(text(v)).toMatch(/bench file\(s\) failed to load, so no report was written/);
    expect(readFileSync(sentinel, 'utf8')).toBe('the previous report\n');
  });

  it('2 for an unknown config field and for a requested backend that is unavailable, naming them; the previous report stays', () => {
    const { dir, env, sentinel } = setup();
    const file = join(dir, 'Linear_Bias_ReLU6.bench.ts');
    writeFileSync(file, example);
    const badConfig = join(dir, 'bad.config.mjs');
    writeFileSync(badConfig, 'export default { sampling: { roundz: 3 } };\n');
    for (const r of [cli(['run', '--backends', 'cpu', file], { ...env, FUSEBENCH_CONFIG: badConfig }), vitest(['bench', '--run', file], { ...env, FUSEBENCH_CONFIG: badConfig, FUSEBENCH_BACKENDS: 'cpu' })]) {
      expect(r.status, text(r)).toBe(2);
      expect(text(r)).toContain('unknown field "sampling.roundz"');
    }
    const gpu = cli(['run', '--backends', 'cuda', file], env);
    if (!text(gpu).includes('cuda is unavailable here')) return; // a machine with a GPU: nothing to check here
    expect(gpu.status).toBe(2);
    const v = vitest(['bench', '--run', file], { ...env, FUSEBENCH_BACKENDS: 'cuda' });
    expect(v.status, text(v)).toBe(2);
    expect(text(v)).toContain('FUSEBENCH_BACKENDS: cuda is unavailable here');
    expect(readFileSync(sentinel, 'utf8')).toBe('the previous report\n');
  });

  it('2 for a suite field of the wrong type, with the type it got', () => {
    const { dir, env } = setup();
    const file = join(dir, 'Bad_Reference.bench.ts');
    writeFileSync(file, example.replace("id: 'Linear_Bias_ReLU6'", "id: 'Bad_Reference'").replace(/reference: \(x, p\) =>[^\n]*\n/, 'reference: 42,\n'));
    const c = cli(['run', '--backends', 'cpu', file], env);
    expect(c.status, text(c)).toBe(2);
    expect(text(c)).toContain('suite field "reference" must be a function (got number)');
  });

  it('1 when a run completes with a wrong fused result, naming the size and the error', () => {
    const { dir, env } = setup();
    const file = join(dir, 'Wrong.bench.ts');
    writeFileSync(file, example.replace("id: 'Linear_Bias_ReLU6'", "id: 'Wrong'").replace("activation: 'relu6'", "activation: 'linear'"));
    const c = cli(['run', '--backends', 'cpu', file], env);
    expect(c.status, text(c)).toBe(1);
    expect(text(c)).toMatch(/Wrong at .* on cpu: the fused result is wrong \(max abs error/);
  });
});
