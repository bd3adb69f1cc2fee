/**
 * A helper of bench/sdpa-check.ts: compiles the FusebenchSDPA cuda kernels named on the command line into the
 * backend's disk cache (backends/cuda/runtime/compiler.ts), so that several of these processes compile at once
 * while the check computes its float64 references, and the check itself then loads cubins.
 *   npx tsx bench/sdpa-check-precompile.ts '[{"d":64,"path":"tf32x3","tiling":{"warps":4,"keysPerTile":64,"split":2}}]'
 * Prints one JSON line: kernels compiled, NVRTC compiles and their milliseconds.
 */
import { CudaRuntime } from '../backends/cuda/runtime/context.ts';
import { sdpaCudaKernel, type SdpaCudaPath, type SdpaCudaTiling } from '../kernels/sdpa/cuda_source.ts';

export interface PrecompileItem { readonly d: number; readonly path: SdpaCudaPath; readonly tiling: SdpaCudaTiling }

let list: PrecompileItem[];
try {
  list = JSON.parse(process.argv[2] ?? '') as PrecompileItem[];
  if (!Array.isArray(list)) throw new Error('not an array');
} catch (e) {
  console.error(`sdpa-check-precompile: argument 1 must be a JSON array of {d, path, tiling} (${(e as Error).message})`);
  process.exit(2);
}
const rt = CudaRuntime.open();
for (const x of list) {
  const k = sdpaCudaKernel(x.d, x.path, x.tiling, true);
  rt.compiler.kernel(k.source, k.entry);
}
const s = rt.compiler.stats;
console.log(JSON.stringify({ kernels: list.length, nvrtcCompiles: s.nvrtcCompiles, diskHits: s.diskHits, compileMs: Math.round(s.compileMs) }));
