/**
 * CI-safe: FusebenchLayerNorm's generated CUDA kernels, compiled as C++ against test/cuda/emulate/fb_emulate.h and
 * run on the CPU, checked against float64 at odd sizes: rows that leave a block's last warps idle, widths that are
 * not multiples of a warp or of 4, unaligned pointers (the scalar kernels), and every kernel shape (warp per row,
 * block per row, the looping fallback). Guards after each array catch reads and writes past the end. The GPU check
 * (test/cuda/gpu.test.ts) checks the hardware. Skips without a C++20 g++.
 */
import { describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { layerNormPlan, type LayerNormPlan } from '../../kernels/layer_norm/cuda.ts';

const here = join(import.meta.dirname, 'emulate');
const run = promisify(execFile);

function hasGpp(): boolean {
  try {
    execFileSync('g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** [rows, D, aligned]: each kernel shape, with the plan it must pick. */
const CASES: [number, number, boolean, string][] = [
  [9, 768, true, 'fb_layernorm_warp_f4x6'],
  [5, 1000, true, 'fb_layernorm_warp_f4x8'],
  [6, 77, false, 'fb_layernorm_warp_f3'],
  [3, 1, false, 'fb_layernorm_warp_f1'],
  [3, 1540, true, 'fb_layernorm_block_f4x2_t256'],
  [2, 1537, false, 'fb_layernorm_block_f7_t256'],
  [2, 32768, true, 'fb_layernorm_block_f4x8_t1024'],
  [2, 40001, true, 'fb_layernorm_loop'],
];

interface Result { maxAbs: number; nonFinite: number; guardsChanged: number; count: number }

async function check(dir: string, plan: LayerNormPlan, rows: number, d: number, offset: number): Promise<Result> {
  const src = join(dir, `${plan.entry}.cu`);
  writeFileSync(src, plan.source);
  const exe = join(dir, `${plan.entry}_${rows}_${d}`);
  await run('g++', ['-std=c++20', '-O1', '-pthread', '-fno-strict-aliasing', '-Wno-unknown-pragmas', `-I${here}`,
    `-DFB_SOURCE="${src}"`, `-DFB_ENTRY=${plan.entry}`, join(here, 'layernorm_check.cpp'), '-o', exe]);
  const { stdout } = await run(exe, [rows, d, plan.threads, plan.rowsPerBlock, offset].map(String));
  return JSON.parse(stdout) as Result;
}

describe('FusebenchLayerNorm cuda plans', () => {
  it('picks a warp per row up to D = 1024, a block per row up to 32768 (16384 unaligned), float4 only when aligned', () => {
    for (const [, d, aligned, entry] of CASES) expect(layerNormPlan(d, aligned).entry).toBe(entry);
    expect(layerNormPlan(768, false).vec4).toBe(false);
    expect(layerNormPlan(770, true).vec4).toBe(false);
    expect(layerNormPlan(16384, false).shape).toBe('block');
    expect(layerNormPlan(16385, false).shape).toBe('loop');
  });
});

describe.skipIf(!hasGpp())('FusebenchLayerNorm cuda source under CPU emulation', () => {
  it('matches float64 at odd sizes on every kernel shape, without touching memory past the arrays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fusebench-ln-emu-'));
    try {
      const failures: string[] = [];
      // Two compilers at a time: the machine has two cores.
      for (let i = 0; i < CASES.length; i += 2) {
        await Promise.all(CASES.slice(i, i + 2).map(async ([rows, d, aligned]) => {
          const plan = layerNormPlan(d, aligned);
          const r = await check(dir, plan, rows, d, aligned ? 0 : 1);
          if (r.nonFinite !== 0 || r.guardsChanged !== 0 || !(r.maxAbs <= 5e-6)) failures.push(`${plan.entry} at ${rows}×${d}: ${JSON.stringify(r)}`);
        }));
      }
      expect(failures).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it('fails a kernel whose variance pass skips the last value of each thread (the check can see a wrong kernel)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fusebench-ln-emu-'));
    try {
      const plan = layerNormPlan(768, true);
      const broken = { ...plan, source: plan.source.replace('if (c < n) q +=', 'if (c < n && i < NV - 1) q +=') };
      expect(broken.source).not.toBe(plan.source);
      const r = await check(dir, broken, 4, 768, 0);
      expect(r.maxAbs).toBeGreaterThan(1e-3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
