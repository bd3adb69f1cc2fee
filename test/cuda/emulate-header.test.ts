/**
 * CI-safe: the CPU emulation of CUDA itself (test/cuda/emulate/fb_emulate.h), which the emulated backend and the SDPA
 * check rely on: barriers in a loop and a warp shuffle give the right sums across blocks, threads stuck at barriers
 * that can never open (a hang on a GPU) are reported as a deadlock, not passed silently, and the blocks of a
 * thread-block cluster run together and read each other's shared memory between cluster barriers (a block that reads
 * the shared memory of one that has exited reads NaN). Skips without g++.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { canEmulateCuda } from './emulate/fake-cuda.ts';

const run = promisify(execFile);
const here = join(import.meta.dirname, 'emulate');

describe.skipIf(!canEmulateCuda())('fb_emulate.h', () => {
  it('sums with shared-memory barriers and shuffles, and reports a divergent barrier as a deadlock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fusebench-emu-'));
    try {
      const exe = join(dir, 'barrier_check');
      await run('g++', ['-std=c++20', '-O1', `-I${here}`, join(here, 'barrier_check.cpp'), '-o', exe]);
      const { stdout } = await run(exe, ['sum']);
      const rows = stdout.trim().split('\n').map((l) => l.split(' ').map(Number));
      expect(rows).toHaveLength(3);
      for (const [got, want] of rows) expect(got).toBe(want);
      const hang = await run(exe, ['divergent']).then(() => ({ code: 0, stderr: '' }), (e: { code?: number; signal?: string; stderr?: string }) => ({ code: e.code ?? e.signal, stderr: e.stderr ?? '' }));
      expect(hang.code).not.toBe(0);
      expect(hang.stderr).toMatch(/fb_emulate: deadlock in block \(0,0,0\): 64 thread\(s\) wait at a barrier the others never reach/);

      // Two clusters of four blocks: each thread reads the next block's shared memory after the cluster barrier.
      const pairs = async (mode: string): Promise<number[][]> => (await run(exe, [mode])).stdout.trim().split('\n').map((l) => l.split(' ').map(Number));
      const ring = await pairs('cluster');
      expect(ring).toHaveLength(512);
      for (const [got, want] of ring) expect(got).toBe(want);
      // Without the last cluster barrier, the last block of each cluster reads the first after it exited: NaN (its last
      // thread, which opened the barrier, read before the others ran).
      const early = await pairs('cluster-early-exit');
      const wrong = early.flatMap(([got, want], i) => (got === want ? [] : [{ i, got }]));
      expect(wrong.map((w) => w.i)).toEqual([...Array.from({ length: 63 }, (_, t) => 3 * 64 + t), ...Array.from({ length: 63 }, (_, t) => 7 * 64 + t)]);
      for (const w of wrong) expect(w.got).toBeNaN();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
