/**
 * CI-safe: FusebenchSDPA's generated CUDA source, compiled as C++ against test/cuda/emulate/fb_emulate.h and run
 * on the CPU (one thread per CUDA thread, deferred cp.async copies, mma.sync with the PTX fragment layouts), checked
 * against a float64 reference at odd sizes: partial key and query tiles, one key, head dims that are not multiples
 * of the tiles, every warp count, both key tiles and every cluster split (blocks of a cluster without key tiles
 * included). It checks indexing, masking, the online softmax, the pipeline's waits and the cluster's combine; the GPU
 * check (bench/sdpa-check.ts, test/cuda/gpu.test.ts) checks the hardware. Skips without a C++20 g++.
 */
import { describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sdpaCudaKernel, type SdpaCudaPath, type SdpaCudaTiling } from '../../kernels/sdpa/cuda_source.ts';

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

const t = (warps: SdpaCudaTiling['warps'], keysPerTile: SdpaCudaTiling['keysPerTile'], split: SdpaCudaTiling['split']): SdpaCudaTiling => ({ warps, keysPerTile, split });

/**
 * [path, d, tiling, [BH, S] sizes]: every path at D = 64 (the suite's), 128 and D not a multiple of 4; splits with
 * more blocks than key tiles (S = 1 at split 4, S = 40 at split 2 with one 64-key tile); 1, 2, 4 and 8 warps.
 */
const CASES: [SdpaCudaPath, number, SdpaCudaTiling, [number, number][]][] = [
  ['fp32', 64, t(4, 64, 1), [[2, 77], [1, 1], [1, 129]]],
  ['fp32', 64, t(4, 64, 2), [[2, 77], [1, 40]]],
  ['fp32', 64, t(2, 32, 8), [[1, 129]]],
  ['fp32', 128, t(4, 32, 1), [[1, 77]]],
  ['fp32', 7, t(1, 64, 4), [[1, 40], [1, 1]]],
  ['tf32', 64, t(4, 64, 1), [[2, 77], [1, 1]]],
  ['tf32', 64, t(8, 64, 2), [[1, 150]]],
  ['tf32x3', 64, t(4, 64, 4), [[2, 77], [1, 129]]],
  ['tf32x3', 64, t(1, 32, 8), [[1, 77]]],
  ['tf32x3', 64, t(4, 16, 4), [[2, 64], [1, 50]]],
  ['fp32', 64, t(4, 16, 8), [[1, 100]]],
  ['tf32x3', 33, t(2, 64, 1), [[1, 70]]],
  ['tf32x3', 128, t(4, 32, 2), [[1, 77]]],
  ['fp32', 100, t(2, 32, 4), [[2, 33]]],
  ['fp32', 160, t(4, 64, 1), [[1, 70]]],
];

interface Result { maxAbs: number; maxRel: number; nonFinite: number; count: number }

describe.skipIf(!hasGpp())('FusebenchSDPA cuda source under CPU emulation', () => {
  it('matches float64 at odd sizes on every path (tf32 within the suite tolerance, the others near fp32)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fusebench-sdpa-emu-'));
    try {
      const build = async ([path, d, tiling]: (typeof CASES)[number]): Promise<string> => {
        const k = sdpaCudaKernel(d, path, tiling);
        const src = join(dir, `${k.entry}.cu`);
        writeFileSync(src, k.source);
        const exe = join(dir, k.entry);
        await run('g++', ['-std=c++20', '-O1', '-pthread', '-fno-strict-aliasing', '-Wno-unknown-pragmas', `-I${here}`,
          `-DFB_SOURCE="${src}"`, `-DFB_ENTRY=${k.entry}`, join(here, 'sdpa_check.cpp'), '-o', exe]);
        return exe;
      };
      const failures: string[] = [];
      // Two compilers at a time: the machine has two cores.
      for (let i = 0; i < CASES.length; i += 2) {
        const batch = CASES.slice(i, i + 2);
        const exes = await Promise.all(batch.map(build));
        for (const [j, c] of batch.entries()) {
          const [path, d, tiling, sizes] = c;
          const k = sdpaCudaKernel(d, path, tiling);
          for (const [bh, s] of sizes) {
            const { stdout } = await run(exes[j]!, [bh, s, d, k.threads, k.rowsPerBlock, k.smemBytes, k.split].map(String));
            const r = JSON.parse(stdout) as Result;
            const limit = path === 'tf32' ? 4e-4 : 1e-6;
            if (r.nonFinite !== 0 || !(r.maxAbs <= limit)) failures.push(`${k.entry} at ${bh}×${s}×${d}: ${stdout.trim()} (limit ${limit})`);
          }
        }
      }
      expect(failures).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it('fails a kernel that skips the cp.async wait (the emulation can see a missing wait)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fusebench-sdpa-emu-'));
    try {
      const k = sdpaCudaKernel(64, 'fp32', t(4, 64, 2));
      // The wait inside the key loop (the first one, after the Q tile's copy, stays).
      const broken = k.source.replace('fb_cp_commit();\n      fb_cp_wait<1>();', 'fb_cp_commit();');
      expect(broken).not.toBe(k.source);
      const src = join(dir, 'broken.cu');
      writeFileSync(src, broken);
      const exe = join(dir, 'broken');
      await run('g++', ['-std=c++20', '-O1', '-pthread', '-fno-strict-aliasing', '-Wno-unknown-pragmas', `-I${here}`,
        `-DFB_SOURCE="${src}"`, `-DFB_ENTRY=${k.entry}`, join(here, 'sdpa_check.cpp'), '-o', exe]);
      const { stdout } = await run(exe, ['1', '300', '64', String(k.threads), String(k.rowsPerBlock), String(k.smemBytes), String(k.split)]);
      const r = JSON.parse(stdout) as Result;
      expect(r.nonFinite > 0 || r.maxAbs > 1e-3).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('sdpaCudaTilingFor', () => {
  const h200 = { smCount: 132, clusters: true };
  const label = (x: SdpaCudaTiling): string => `w${x.warps}k${x.keysPerTile}s${x.split}`;
  it('splits the key range over a cluster until the blocks reach one per SM, shrinking key tiles at small sizes', async () => {
    const { sdpaCudaTilingFor } = await import('../../kernels/sdpa/cuda.ts');
    const at = (h: number, s: number, d = 64): string => label(sdpaCudaTilingFor(h, s, d, h200));
    expect([at(2, 64), at(1, 128), at(12, 64), at(12, 128), at(12, 256), at(2, 1024), at(12, 512), at(1, 2048)])
      .toEqual(['w4k16s4', 'w4k16s8', 'w4k16s4', 'w4k32s4', 'w4k64s4', 'w4k64s8', 'w4k64s2', 'w4k64s8']);
    expect(at(12, 256, 128)).toBe('w4k32s4');
    expect(at(1, 1)).toBe('w4k16s1');
    expect(at(64, 4096)).toBe('w4k64s1'); // enough blocks already
  });
  it('never gives a block of the cluster nothing but an empty key range, and does not split without clusters', async () => {
    const { sdpaCudaTilingFor } = await import('../../kernels/sdpa/cuda.ts');
    for (const s of [1, 2, 15, 16, 17, 33, 64, 65, 100, 129, 1000]) {
      for (const h of [1, 3, 12]) {
        const x = sdpaCudaTilingFor(h, s, 64, h200);
        expect(x.split).toBeLessThanOrEqual(Math.ceil(s / x.keysPerTile));
        expect(sdpaCudaTilingFor(h, s, 64, { smCount: 132, clusters: false })).toEqual({ warps: 4, keysPerTile: 64, split: 1 });
      }
    }
  });
});

describe('FUSEBENCH_CUDA_SDPA', () => {
  it('defaults to fp32, takes tf32 and tf32x3, and names the variable on a bad value', async () => {
    const { sdpaCudaPath, sdpaCudaPathName } = await import('../../kernels/sdpa/cuda.ts');
    expect(sdpaCudaPath({})).toBe('fp32');
    expect(sdpaCudaPath({ FUSEBENCH_CUDA_SDPA: '' })).toBe('fp32');
    expect(sdpaCudaPath({ FUSEBENCH_CUDA_SDPA: 'tf32' })).toBe('tf32');
    expect(sdpaCudaPath({ FUSEBENCH_CUDA_SDPA: 'tf32x3' })).toBe('tf32x3');
    expect(() => sdpaCudaPath({ FUSEBENCH_CUDA_SDPA: 'fp16' })).toThrow(/FUSEBENCH_CUDA_SDPA must be one of fp32, tf32, tf32x3 \(got "fp16"\)/);
    expect(sdpaCudaPathName(64, {})).toMatch(/^flash fp32: .*unset/);
    expect(sdpaCudaPathName(64, { FUSEBENCH_CUDA_SDPA: 'tf32' })).toMatch(/^flash tf32: .*FUSEBENCH_CUDA_SDPA=tf32/);
    expect(sdpaCudaPathName(256, {})).toMatch(/^rows/);
  });
});
