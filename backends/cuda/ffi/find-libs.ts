/**
 * Where the CUDA libraries are looked for, in order. Pure logic over an injected file probe so that the
 * search order is testable on a machine without CUDA.
 *
 * Order: FUSEBENCH_CUDA_LIBS (a ':'-separated list of directories or files; when set it is the ONLY place
 * searched, so a wrong override fails loudly instead of silently finding another copy), then the loader's
 * own search (bare soname: LD_LIBRARY_PATH, ldconfig cache), then CUDA_HOME, CUDA_PATH, /usr/local/cuda,
 * the driver's usual homes, then Python wheels' site-packages/nvidia/<pkg>/lib.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type CudaLibrary = 'cuda' | 'nvrtc' | 'cublasLt' | 'cudnn';

/** Sonames tried per library, newest first. */
export const SONAMES: Readonly<Record<CudaLibrary, readonly string[]>> = {
  cuda: ['libcuda.so.1', 'libcuda.so'],
  nvrtc: ['libnvrtc.so.13', 'libnvrtc.so.12', 'libnvrtc.so'],
  cublasLt: ['libcublasLt.so.13', 'libcublasLt.so.12', 'libcublasLt.so'],
  cudnn: ['libcudnn.so.9', 'libcudnn.so'],
};

export interface LibraryCandidate {
  /** What to hand to dlopen: an absolute path, or a bare soname for the loader's own search. */
  readonly path: string;
  /** Why this candidate is on the list, for error messages. */
  readonly source: string;
}

export interface SearchEnv {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly exists: (path: string) => boolean;
  readonly listDir: (path: string) => readonly string[];
}

export const realSearchEnv: SearchEnv = {
  env: process.env,
  exists: existsSync,
  listDir: (p) => {
    try {
      return readdirSync(p);
    } catch {
      return [];
    }
  },
};

/** Python site-packages directories worth probing for the nvidia-* wheels. */
export function sitePackagesDirs(s: SearchEnv): string[] {
  const roots: string[] = [];
  const venv = s.env.VIRTUAL_ENV;
  if (venv) roots.push(join(venv, 'lib'));
  for (const d of s.listDir('/opt')) roots.push(join('/opt', d, '.venv', 'lib'), join('/opt', d, 'lib'));
  roots.push('/usr/local/lib', '/usr/lib');
  if (s.env.HOME) roots.push(join(s.env.HOME, '.local', 'lib'));
  const out: string[] = [];
  for (const root of roots) {
    for (const py of s.listDir(root)) {
      if (!py.startsWith('python3')) continue;
      for (const leaf of ['site-packages', 'dist-packages']) {
        const dir = join(root, py, leaf);
        if (s.exists(join(dir, 'nvidia'))) out.push(dir);
      }
    }
  }
  return [...new Set(out)];
}

/** Every place `lib` is looked for, in order. */
export function libraryCandidates(lib: CudaLibrary, s: SearchEnv = realSearchEnv): LibraryCandidate[] {
  const names = SONAMES[lib];
  const override = s.env.FUSEBENCH_CUDA_LIBS;
  if (override) {
    const out: LibraryCandidate[] = [];
    for (const entry of override.split(':').filter(Boolean)) {
      const base = entry.split('/').pop() ?? '';
      if (names.some((n) => base.startsWith(n.replace(/\.so.*$/, '.so')))) out.push({ path: entry, source: 'FUSEBENCH_CUDA_LIBS' });
      else for (const n of names) out.push({ path: join(entry, n), source: 'FUSEBENCH_CUDA_LIBS' });
    }
    return out.filter((c) => s.exists(c.path));
  }
  const out: LibraryCandidate[] = names.map((n) => ({ path: n, source: 'loader search path' }));
  const homes: Array<[string | undefined, string]> = [
    [s.env.CUDA_HOME, 'CUDA_HOME'],
    [s.env.CUDA_PATH, 'CUDA_PATH'],
    ['/usr/local/cuda', '/usr/local/cuda'],
  ];
  for (const [home, source] of homes) {
    if (!home) continue;
    for (const sub of ['lib64', 'lib', 'targets/x86_64-linux/lib']) {
      for (const n of names) out.push({ path: join(home, sub, n), source });
    }
  }
  if (lib === 'cuda') {
    for (const dir of ['/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/local/nvidia/lib64', '/usr/lib/wsl/lib']) {
      for (const n of names) out.push({ path: join(dir, n), source: 'driver directory' });
    }
  }
  for (const site of sitePackagesDirs(s)) {
    for (const pkg of s.listDir(join(site, 'nvidia'))) {
      for (const n of names) out.push({ path: join(site, 'nvidia', pkg, 'lib', n), source: `python wheel nvidia/${pkg}` });
    }
  }
  // Absolute candidates that are not on disk are dropped; bare sonames stay (only dlopen can tell).
  const seen = new Set<string>();
  return out.filter((c) => {
    if (seen.has(c.path)) return false;
    seen.add(c.path);
    return !c.path.startsWith('/') || s.exists(c.path);
  });
}
