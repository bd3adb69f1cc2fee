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
      // cuDNN 9's libcudnn.so.9 dlopens its parts (libcudnn_ops, _cnn, _engines_*, …) by soname; preloaded
      // from the same folder, they are found even when that folder is not on the loader's path.
      if (name === 'cudnn' && c.path.startsWith('/')) preloadCudnnParts(c.path);
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

/** Loads every libcudnn_*.so.9 beside `libPath`; parts whose dependencies are not loaded yet are retried. */
function preloadCudnnParts(libPath: string): void {
  const dir = dirname(libPath);
  if (!existsSync(dir)) return;
  // The graph library first: the others link against it.
  let pending = readdirSync(dir).filter((f) => /^libcudnn_\w+\.so\.\d+$/.test(f)).sort((a, b) => +b.startsWith('libcudnn_graph') - +a.startsWith('libcudnn_graph'));
  for (let round = 0; round < 4 && pending.length > 0; round++) {
    pending = pending.filter((f) => {
      try {
        koffi.load(join(dir, f));
        return false;
      } catch {
        return true;
      }
    });
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
