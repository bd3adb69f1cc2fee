import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { layerViolations, relativeImports } from './layers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('layers', () => {
  it('the source tree keeps the layering rules', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'harness', 'backends', 'kernels', 'studies'], { cwd: root, encoding: 'utf8' })
      .split('\n').filter((f) => /\.(ts|mts|mjs)$/.test(f));
    expect(files.length).toBeGreaterThan(50);
    const graph = new Map(files.map((f) => [f, relativeImports(root, f)]));
    expect(layerViolations(graph)).toEqual([]);
  });

  it('flags an upward import from the core, a front-end import from a backend and a kernel import from a backend', () => {
    const graph = new Map<string, string[]>([
      ['harness/core/sampler.ts', ['harness/core/stats.ts', 'harness/report/format.ts']],
      ['backends/cpu.ts', ['harness/core/types.ts', 'harness/cli/args.ts']],
      ['backends/cuda/codegen/x.ts', ['kernels/sdpa/cuda.ts']],
      ['kernels/sdpa/cuda.ts', ['backends/cuda/backend.ts', 'harness/core/types.ts']],
      ['studies/ternary/report.ts', ['studies/ternary/claims.ts', 'harness/report/macro.ts']],
    ]);
    expect(layerViolations(graph).map((v) => `${v.file} -> ${v.imports}`)).toEqual([
      'harness/core/sampler.ts -> harness/report/format.ts',
      'backends/cpu.ts -> harness/cli/args.ts',
      'backends/cuda/codegen/x.ts -> kernels/sdpa/cuda.ts',
      'studies/ternary/report.ts -> harness/report/macro.ts',
    ]);
  });

  it('harness/ knows pipelines, not the ternary study: no file of it names the ternary ops, kernels or study phases', () => {
    const r = spawnSync('git', ['grep', '--untracked', '-n', '-i', '-E', 'ternary|tadd|tnot|phase 4', '--', 'harness'], { cwd: root, encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1); // git grep: 1 = nothing found
  });

  it('reads relative imports, dynamic ones included', () => {
    const src = "import a from './a.ts';\nconst b = await import('../core/b.ts');\nimport 'node:fs';";
    expect(relativeImports('/r', 'harness/x/y.ts', src)).toEqual(['harness/x/a.ts', 'harness/core/b.ts']);
  });
});
