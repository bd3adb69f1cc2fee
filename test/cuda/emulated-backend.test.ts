/**
 * CI-safe: the whole cuda backend on the CPU emulation (test/cuda/emulate/fake-cuda.ts: libcuda, NVRTC and cuBLASLt
 * emulated, every generated kernel compiled by g++ against fb_emulate.h and run one fiber per CUDA thread). The
 * non-trivial kernels (gather and scatter, pooling and its gradients, top-k, cumulative sums, convolution gradients,
 * image kernels, the shape kernels, FusebenchSDPA split over a cluster) are compared with tfjs-backend-cpu at odd
 * shapes (check-kernels.ts), and no device memory is left in use. It checks the kernels' logic and the backend's host
 * code; the GPU run checks the hardware. Skips without g++.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { canEmulateCuda, fakeCudaEnv } from './emulate/fake-cuda.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

interface Line { name?: string; ok?: boolean; done?: boolean; failures?: number; deviceBytesInUse?: number | null; [k: string]: unknown }

describe.skipIf(!canEmulateCuda())('cuda backend on the CPU emulation', () => {
  it('matches tfjs-backend-cpu on every checked kernel and gives all device memory back', async () => {
    const env = { ...process.env, ...fakeCudaEnv() };
    let stdout = '';
    try {
      ({ stdout } = await run('npx', ['tsx', join(root, 'test/cuda/emulate/check-kernels.ts')], { cwd: root, env, maxBuffer: 1 << 26 }));
    } catch (e) {
      stdout = (e as { stdout?: string }).stdout ?? String(e);
    }
    const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
    const cases = lines.filter((l) => l.name !== undefined);
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((l) => !l.ok)).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ done: true, failures: 0, deviceBytesInUse: 0 });
  }, 900_000);
});
