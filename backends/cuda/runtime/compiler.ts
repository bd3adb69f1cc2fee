/**
 * NVRTC compilation with two caches: in memory (per process) and on disk, keyed by a hash of the
 * source, the options and the NVRTC version, in a folder per GPU architecture.
 * Disk folder: $FUSEBENCH_CUDA_CACHE, else $XDG_CACHE_HOME/fusebench/cuda, else ~/.cache/fusebench/cuda.
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { writeFileAtomic } from '../../../harness/core/io.ts';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Driver, Handle } from '../ffi/driver.ts';
import type { Nvrtc } from '../ffi/nvrtc.ts';
import type { Kernel } from './launcher.ts';

export interface CompileStats {
  nvrtcCompiles: number;
  diskHits: number;
  memoryHits: number;
  compileMs: number;
}

export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.FUSEBENCH_CUDA_CACHE) return env.FUSEBENCH_CUDA_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'fusebench', 'cuda');
}

export function cacheKey(source: string, options: readonly string[], nvrtcVersion: string): string {
  return createHash('sha256').update(nvrtcVersion).update('\0').update(options.join(' ')).update('\0').update(source).digest('hex').slice(0, 32);
}

export class KernelCompiler {
  private readonly modules = new Map<string, Handle>();
  /**
   * By entry name, then by source text: no key string is built per call, and a source the caller keeps (the
   * generators memoise theirs) hashes once, since V8 caches a string's hash in the string.
   */
  private readonly kernels = new Map<string, Map<string, Kernel>>();
  readonly stats: CompileStats = { nvrtcCompiles: 0, diskHits: 0, memoryHits: 0, compileMs: 0 };
  readonly options: readonly string[];
  readonly dir: string;

  constructor(
    private readonly driver: Driver,
    private readonly nvrtc: Nvrtc,
    private readonly nvrtcVersion: string,
    readonly arch: string,
    cacheDir: string = defaultCacheDir(),
  ) {
    this.options = [`-arch=${arch}`, '-std=c++17', '-default-device'];
    this.dir = join(cacheDir, arch);
  }

  /** The kernel `entry` of `source`, compiled at most once per process and once per machine. */
  kernel(source: string, entry: string, fileName = 'fusebench.cu'): Kernel {
    let bySource = this.kernels.get(entry);
    if (!bySource) this.kernels.set(entry, (bySource = new Map()));
    const hit = bySource.get(source);
    if (hit) {
      this.stats.memoryHits++;
      return hit;
    }
    const key = cacheKey(source, this.options, this.nvrtcVersion);
    let mod = this.modules.get(key);
    if (!mod) {
      mod = this.driver.loadModule(this.cubin(key, source, fileName));
      this.modules.set(key, mod);
    }
    const fn = this.driver.getFunction(mod, entry);
    const k: Kernel = { fn, addr: this.driver.address(fn), name: entry };
    bySource.set(source, k);
    return k;
  }

  private cubin(key: string, source: string, fileName: string): Uint8Array {
    const file = join(this.dir, `${key}.cubin`);
    if (existsSync(file)) {
      this.stats.diskHits++;
      return new Uint8Array(readFileSync(file));
    }
    const t0 = performance.now();
    const cubin = this.nvrtc.compile(source, fileName, this.options);
    this.stats.compileMs += performance.now() - t0;
    this.stats.nvrtcCompiles++;
    try {
      writeFileAtomic(file, cubin);
    } catch {
      // A read-only cache folder only costs recompiles in the next process.
    }
    return cubin;
  }
}
