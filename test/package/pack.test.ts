/**
 * `npm pack` is the test: the packed tarball, installed into a fresh folder beside vitest as a user would, must
 * import from plain Node, run its CLI and run a user's suite under `npx vitest bench --run` with the README's
 * three-line config; and it must ship no tests, reports or GPU-host files.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CostModel } from '../../harness/costmodel/index.ts';
import { loadCalibration } from '../../harness/calibration/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The code block that follows a `<!-- readme:<name> -->` marker in the README. */
function readmeBlock(name: string): string {
  const at = readme.indexOf(`<!-- readme:${name} -->`);
  if (at < 0) throw new Error(`README has no readme:${name} block`);
  const open = readme.indexOf('\n', readme.indexOf('```', at)) + 1;
  return readme.slice(open, readme.indexOf('```', open));
}
const suiteStart = readme.indexOf("```ts\nimport * as tf from '@tensorflow/tfjs-core';");
const suiteExample = readme.slice(suiteStart + 6, readme.indexOf('```', suiteStart + 6));
const PROFILE = join(root, 'reports/cpu/amd-epyc-2vcpu-full/calibration-wasm.json');

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 300_000 });

describe('the npm package', () => {
  it('packs, installs beside vitest, and works from plain Node, the CLI and vitest', { timeout: 600_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-pack-'));
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{
      filename: string; size: number; unpackedSize: number; entryCount: number; files: Array<{ path: string }>;
    }>;
    const { filename, size, entryCount, files } = packed[0]!;
    const paths = files.map((f) => f.path);
    console.log(`fusebench tarball: ${filename}, ${(size / 1024).toFixed(0)} KiB packed, ${entryCount} files`);
    expect(paths.filter((p) => /^(test|reports|conformance|bench|\.gpu-host|node_modules)\//.test(p) || p.endsWith('.test.ts'))).toEqual([]);
    expect(paths).toContain('dist/harness/index.js');
    expect(paths).toContain('dist/harness/index.d.ts');
    expect(paths).toContain('dist/schemas/results.schema.json');

    const project = join(dir, 'project');
    cpSync(join(root, 'test/package/project'), project, { recursive: true });
    const vitestVersion = (JSON.parse(readFileSync(join(root, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }).version;
    const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `vitest@${vitestVersion}`, join(dir, filename)], project);
    expect(install.status, install.stderr).toBe(0);

    // 1. Plain Node: the README's partitioner snippet, against a checked-in profile, gives what the source gives.
    cpSync(PROFILE, join(project, 'calibration-wasm.json'));
    writeFileSync(join(project, 'partitioner.mjs'), readmeBlock('node-api'));
    const node = run(process.execPath, ['partitioner.mjs'], project);
    expect(node.status, node.stderr).toBe(0);
    const model = CostModel.fromProfile(PROFILE);
    expect(node.stdout.trim()).toBe(`${loadCalibration(PROFILE).getFusionSpeedup('LayerNorm')} ${model.decide('LayerNorm', { size: 512 * 768 }).reason}`);

    // 2. The CLI from the installed package: built JavaScript, no tsx for its own code.
    const t0 = performance.now();
    const backends = run(join(project, 'node_modules/.bin/fusebench'), ['backends', '--json'], project);
    console.log(`npx fusebench backends from the tarball: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(backends.status, backends.stderr).toBe(0);
    expect((JSON.parse(backends.stdout) as Array<{ name: string; available: boolean }>).find((b) => b.name === 'cpu')?.available).toBe(true);

    // 3. vitest 5 with the README's three-line config on the README's suite.
    writeFileSync(join(project, 'vitest.config.ts'), readmeBlock('vitest-config'));
    writeFileSync(join(project, 'Linear_Bias_ReLU6.bench.ts'), suiteExample);
    const bench = run(join(project, 'node_modules/.bin/vitest'), ['bench', '--run'], project, {
      ...process.env, FUSEBENCH_BACKENDS: 'cpu', FUSEBENCH_QUICK: '1', FUSEBENCH_CONFIG: join(project, 'fusebench.config.mjs'),
    });
    expect(bench.status, `${bench.stdout}\n${bench.stderr}`).toBe(0);
    const results = JSON.parse(readFileSync(join(project, 'reports/latest/results.json'), 'utf8')) as { patterns: Array<{ id: string; results: Array<{ status: string }> }> };
    expect(results.patterns.map((p) => p.id)).toEqual(['Linear_Bias_ReLU6']);
    expect(results.patterns[0]!.results.every((r) => r.status === 'ok')).toBe(true);
    expect(existsSync(join(project, 'reports/latest/REPORT.md'))).toBe(true);
  });
});
