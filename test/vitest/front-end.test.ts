/**
 * The vitest 5 front end end to end, as a user runs it: `npx vitest bench --run` on suite files anywhere on disk,
 * through fusebench's benchmark provider and reporter; and two shards merged into one report.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResults } from '../../harness/core/types.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const start = readme.indexOf("```ts\nimport * as tf from '@tensorflow/tfjs-core';");
const example = readme.slice(start + 6, readme.indexOf('```', start + 6));

/** The README's pipeline example, as a user copies it. */
const pstart = readme.indexOf('<!-- readme:pipeline -->\n```ts\n');
const PIPELINE = readme.slice(pstart + '<!-- readme:pipeline -->\n```ts\n'.length, readme.indexOf('```', pstart + 30));

/** Short sampling: these runs check behaviour, not speed. */
const CONFIG = 'export default { sampling: { quickRounds: 6, minRounds: 4, warmup: 1, warmupMs: 0, minSampleMs: 1, bootstrapResamples: 200, deviceReps: 1 } };\n';

function workspace(): { dir: string; out: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'fb-vitest-'));
  writeFileSync(join(dir, 'fusebench.config.mjs'), CONFIG);
  const out = join(dir, 'out');
  return { dir, out, env: { ...process.env, FUSEBENCH_BACKENDS: 'cpu', FUSEBENCH_QUICK: '1', FUSEBENCH_OUT: out, FUSEBENCH_CONFIG: join(dir, 'fusebench.config.mjs') } };
}

function vitest(args: string[], env: NodeJS.ProcessEnv): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 240_000 });
  // eslint-disable-next-line no-control-regex
  return { code: r.status, out: `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
}

describe('npx vitest bench --run (vitest 5, fusebench provider)', () => {
  it('measures a user suite through the provider, shows our samples in vitest\'s table and writes the report', () => {
    const { dir, out, env } = workspace();
    const file = join(dir, 'Linear_Bias_ReLU6.bench.ts');
    writeFileSync(file, example);
    const r = vitest(['bench', '--run', file], env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/fused\s+[\d,.]+\s+[\d.]+/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    expect(results.sampling.method).toBe('pipelined');
    const p = results.patterns.find((x) => x.id === 'Linear_Bias_ReLU6')!;
    expect(p.results.map((x) => [x.backend, x.status])).toEqual([['cpu', 'ok'], ['cpu', 'ok']]);
    expect(p.results[0]!.unfused!.samplesMs.length).toBeGreaterThanOrEqual(4);
    expect(existsSync(join(out, 'REPORT.md'))).toBe(true);
    expect(existsSync(join(out, 'DETAILS.md'))).toBe(true);
  });

  it('fails the run when a fused result is wrong, naming the error and the tolerance', () => {
    const { dir, env } = workspace();
    const file = join(dir, 'Wrong_Linear.bench.ts');
    // The fused side forgets the ReLU6 clamp: fast, and wrong.
    writeFileSync(file, example.replace("id: 'Linear_Bias_ReLU6'", "id: 'Wrong_Linear'").replace("activation: 'relu6'", "activation: 'linear'"));
    const r = vitest(['bench', '--run', file], env);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Wrong_Linear at .* on cpu: the fused result is wrong: max abs error .* exceeds the tolerance \|got − want\| ≤ 0\.0001 \+ 0\.001·\|want\|/);
  });

  it('runs a user pipeline as one test per backend × size: bench.compare of all its variants, results.json and MACRO-REPORT.md', () => {
    const { dir, out, env } = workspace();
    const file = join(dir, 'Square_Linear.bench.ts');
    writeFileSync(file, PIPELINE);
    const r = vitest(['bench', '--run', file], env);
    expect(r.code, r.out).toBe(0);
    for (const name of ['unfused', 'fused', 'stage square', 'stage matmul', 'stage bias', 'stage relu', 'fused linear']) expect(r.out).toContain(name);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    const p = results.pipelines!.find((x) => x.id === 'Square_Linear')!;
    expect(p.results.map((x) => [x.backend, x.status])).toEqual([['cpu', 'ok']]);
    expect(p.results[0]!.amdahl!.from).toBe('pipeline'); // its micro suite is not in this run
    expect(p.summary[0]!.speedup.ratio).toBeGreaterThan(0);
    expect('decision' in p.summary[0]!).toBe(false);
    expect(readFileSync(join(out, 'MACRO-REPORT.md'), 'utf8')).toContain('## Benchmark 1: Square then linear');
  });

  it('runs two shards separately and merges their blobs into one report naming each shard', () => {
    const { dir, out, env } = workspace();
    const a = join(dir, 'Shard_A.bench.ts');
    const b = join(dir, 'Shard_B.bench.ts');
    writeFileSync(a, example.replace("id: 'Linear_Bias_ReLU6'", "id: 'Shard_A'"));
    writeFileSync(b, example.replace("id: 'Linear_Bias_ReLU6'", "id: 'Shard_B'"));
    const blobs = join(dir, 'blobs');
    mkdirSync(blobs);
    for (const [i, label] of [[1, 'hostA'], [2, 'hostB']] as const) {
      const r = vitest(['bench', '--run', a, b, `--shard=${i}/2`, '--reporter=blob', `--outputFile.blob=${join(blobs, `blob-${i}.json`)}`], { ...env, VITEST_BLOB_LABEL: label });
      expect(r.code, r.out).toBe(0);
    }
    expect(existsSync(out)).toBe(false); // a shard alone writes no report
    const merged = vitest(['bench', '--run', `--merge-reports=${blobs}`], env);
    expect(merged.code, merged.out).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    expect(results.patterns.map((p) => p.id).sort()).toEqual(['Shard_A', 'Shard_B']);
    expect(results.shards?.map((s) => s.label).sort()).toEqual(['hostA', 'hostB']);
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).toContain('merged from 2 shards');
  });
});
