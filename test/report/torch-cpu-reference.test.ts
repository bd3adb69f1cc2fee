/**
 * bench/torch-cpu-reference.py end to end at tiny sizes, its JSON read back through harness/report/torch-cpu.ts.
 * Needs python3 with torch importable; without it (CI installs no torch) the tests skip and say why in their title.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTorchCpuReference } from '../../harness/report/torch-cpu.ts';

const SCRIPT = 'bench/torch-cpu-reference.py';

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const hasPython = !python.error && python.status === 0;

function torchAvailability(): { available: boolean; reason: string } {
  const r = spawnSync('python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return { available: false, reason: `skipped: python3 not runnable (${r.error.message})` };
  if (r.status !== 0) return { available: false, reason: `skipped: torch is not importable (${(r.stderr.trim().split('\n').pop() ?? '').slice(0, 120)})` };
  return { available: true, reason: `torch ${r.stdout.trim()}` };
}

const torch = torchAvailability();
const dir = mkdtempSync(join(tmpdir(), 'fusebench-torch-cpu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fusebench/sizes@1 document with one tiny size per pattern (the suites' param names). */
function tinySizes(patterns: Record<string, Record<string, number>>): string {
  const file = join(dir, `sizes-${Object.keys(patterns).length}.json`);
  const entry = (params: Record<string, number>) => {
    const size = { label: Object.values(params).join('×'), params, magnitude: 1 };
    return { family: 'tiny', title: 'tiny', full: [size], quick: [size] };
  };
  const doc = { schema: 'fusebench/sizes@1', createdAt: '2026-01-01T00:00:00Z', patterns: Object.fromEntries(Object.entries(patterns).map(([id, p]) => [id, entry(p)])) };
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

function run(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync('python3', [SCRIPT, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stderr: r.stderr };
}

describe.skipIf(!torch.available)(`${SCRIPT} at tiny sizes (${torch.reason})`, () => {
  it('times eager and PyTorch\'s fused form for every pattern family, checked against eager, and lists what it skips', () => {
    const sizes = tinySizes({
      Linear_Bias_GELU: { m: 2, k: 8, n: 8 },
      MLP_2Layer: { m: 2, d: 8, h: 16 },
      Conv2d_BN_ReLU: { h: 4, w: 4, cin: 3, cout: 4 },
      DepthwiseConv2d_BN_ReLU: { h: 4, w: 4, c: 3 },
      QKT_Softmax: { h: 2, s: 5, d: 4 },
      Attention_SDPA: { h: 2, s: 5, d: 4 },
      LayerNorm: { t: 3, d: 8 },
      Add_ReLU: { h: 2, w: 2, c: 4 },
      Ternary_tmin_tmax: { n: 16 },
      NoSuchPattern: { n: 1 },
    });
    const out = join(dir, 'eager.json');
    const r = run(['--sizes', sizes, '--out', out, '--threads', '1', '--min-run-time', '0.001', '--rounds', '2', '--no-compile']);
    expect(r.status, r.stderr).toBe(0);
    const doc = parseTorchCpuReference(readFileSync(out, 'utf8'), out);
    expect(doc.threads).toEqual([1]);
    expect(doc.results.map((x) => x.id)).toEqual(['Linear_Bias_GELU', 'MLP_2Layer', 'Conv2d_BN_ReLU', 'DepthwiseConv2d_BN_ReLU', 'QKT_Softmax', 'Attention_SDPA', 'LayerNorm', 'Add_ReLU', 'Ternary_tmin_tmax']);
    for (const row of doc.results) {
      expect(row.eagerMs, row.id).toBeGreaterThan(0);
      expect(row.eagerRoundsMs, row.id).toHaveLength(2);
      expect(row.compiledMs, row.id).toBeUndefined();
      if (doc.fusedForms[row.id]) expect(row.fusedMs, row.id).toBeGreaterThan(0);
      else expect(doc.skipped[`${row.id} fused`], row.id).toMatch(/no fused eager op/);
    }
    expect(doc.fusedForms.Attention_SDPA).toMatch(/^F\.scaled_dot_product_attention/);
    expect(doc.fusedForms.Conv2d_BN_ReLU).toMatch(/BN folded/);
    expect(doc.skipped).toMatchObject({ NoSuchPattern: expect.stringMatching(/no PyTorch formulation/), compiled: '--no-compile given' });
    expect(doc.load.before).toHaveLength(3);
  });

  it('compiles with torch.compile under the thread count it times, or says why not', () => {
    const out = join(dir, 'compiled.json');
    const r = run(['--sizes', tinySizes({ LayerNorm: { t: 3, d: 8 } }), '--out', out, '--threads', '1', '--min-run-time', '0.001', '--rounds', '1']);
    expect(r.status, r.stderr).toBe(0);
    const doc = parseTorchCpuReference(readFileSync(out, 'utf8'), out);
    const row = doc.results[0];
    if (row.compiledMs === undefined) expect(doc.skipped['LayerNorm 3×8 1t compiled']).toMatch(/torch\.compile failed/);
    else expect(row.compileSeconds).toBeGreaterThan(0);
  });

  it('refuses a thread count below 1 with exit code 2', () => {
    const threads = run(['--sizes', tinySizes({ LayerNorm: { t: 1, d: 4 } }), '--out', join(dir, 'x.json'), '--threads', '0']);
    expect(threads.status).toBe(2);
    expect(threads.stderr).toMatch(/--threads '0'/);
  });
});

// Bad input is refused before torch is imported, so these run wherever python3 does.
describe.skipIf(!hasPython)(`${SCRIPT}: bad input${hasPython ? '' : ' (skipped: no python3)'}`, () => {
  it('exits 2 naming the flag: a missing --sizes file, an unknown --only pattern', () => {
    const missing = run(['--sizes', join(dir, 'nope.json'), '--out', join(dir, 'x.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--sizes .*nope\.json/);
    const only = run(['--sizes', tinySizes({ LayerNorm: { t: 1, d: 4 } }), '--out', join(dir, 'x.json'), '--only', 'Nope']);
    expect(only.status).toBe(2);
    expect(only.stderr).toMatch(/--only names unknown pattern\(s\): Nope/);
  });
});
