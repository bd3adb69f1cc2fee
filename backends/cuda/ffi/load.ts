/** dlopen through koffi over the candidates of find-libs.ts; the error lists every place tried and why it failed. */
import koffi from 'koffi';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { libraryCandidates, type CudaLibrary, type SearchEnv, realSearchEnv } from './find-libs.ts';
import { CudaUnavailableError } from './errors.ts';

export type KoffiLib = ReturnType<typeof koffi.load>;

export interface LoadedLibrary {
  readonly lib: KoffiLib;
  /** The path or soname that loaded. */
  readonly path: string;
  readonly source: string;
}

export function loadCudaLibrary(name: CudaLibrary, search: SearchEnv = realSearchEnv): LoadedLibrary {
  const tried: string[] = [];
  for (const c of libraryCandidates(name, search)) {
    try {
      // NVRTC dlopens libnvrtc-builtins by soname; preloading it from the same folder makes that work
      // when the folder is not on the loader's path (python wheels).
      if (name === 'nvrtc' && c.path.startsWith('/')) preloadSibling(c.path, 'libnvrtc-builtins.so');
      const lib = koffi.load(c.path);
      return { lib, path: c.path, source: c.source };
    } catch (e) {
      tried.push(`  ${c.path} (${c.source}): ${firstLine((e as Error).message)}`);
    }
  }
  const where = search.env.FUSEBENCH_CUDA_LIBS ? `FUSEBENCH_CUDA_LIBS=${search.env.FUSEBENCH_CUDA_LIBS}` : 'the loader path, CUDA_HOME, CUDA_PATH, /usr/local/cuda, python site-packages/nvidia/*/lib';
  throw new CudaUnavailableError(`lib${name} not found (searched ${where})${tried.length ? `; tried:\n${tried.join('\n')}` : '; no candidate file exists'}`);
}

function preloadSibling(libPath: string, prefix: string): void {
  const dir = dirname(libPath);
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (f.startsWith(prefix)) {
      try {
        koffi.load(join(dir, f));
        return;
      } catch {
        // NVRTC will report its own error if it really cannot find the builtins.
      }
    }
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
