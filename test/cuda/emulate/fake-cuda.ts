/**
 * The emulated CUDA (fake_cuda.cpp over fb_emulate.h): builds it once per source version into .cache/cuda-emu/,
 * and gives the environment that makes the cuda backend load it instead of a real driver. As a command it runs
 * another command in that environment:
 *   npx tsx test/cuda/emulate/fake-cuda.ts npx tsx conformance/run.ts --backend cuda --files gather
 * Kernels compile with g++ on first use (about a second each) and are cached on disk like NVRTC's cubins.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const SONAMES = ['libcuda.so.1', 'libnvrtc.so.13', 'libcublasLt.so.13'];

/** Whether g++ with C++20 is here (the emulation needs it to build itself and every kernel). */
export function canEmulateCuda(): boolean {
  try {
    execFileSync('g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Builds the emulated libraries (once per version of their sources) and returns the folder holding them. */
export function buildFakeCuda(): string {
  const sources = [join(here, 'fake_cuda.cpp'), join(here, 'fb_emulate.h')];
  const hash = createHash('sha256');
  for (const s of sources) hash.update(readFileSync(s));
  const dir = join(root, '.cache', 'cuda-emu', hash.digest('hex').slice(0, 16));
  const lib = join(dir, 'libfakecuda.so');
  if (!existsSync(lib)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${lib}.${process.pid}.tmp`;
    execFileSync('g++', ['-std=c++20', '-O1', '-fPIC', '-shared', `-DFB_EMULATE_DIR="${here}"`, join(here, 'fake_cuda.cpp'), '-o', tmp, '-ldl'], { stdio: 'inherit' });
    renameSync(tmp, lib);
  }
  for (const name of SONAMES) if (!existsSync(join(dir, name))) symlinkSync('libfakecuda.so', join(dir, name));
  return dir;
}

/** The environment under which the cuda backend runs on the emulation (kernels cached beside the libraries). */
export function fakeCudaEnv(dir = buildFakeCuda()): Record<string, string> {
  return { FUSEBENCH_CUDA_LIBS: dir, FUSEBENCH_CUDA_CACHE: join(dir, 'kernels'), FUSEBENCH_CUDA_CONV: 'im2col' };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    console.error('usage: npx tsx test/cuda/emulate/fake-cuda.ts COMMAND [ARGS…]  (runs COMMAND with the cuda backend on the CPU emulation)');
    process.exit(2);
  }
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...fakeCudaEnv() } });
  process.exit(r.status ?? 1);
}
