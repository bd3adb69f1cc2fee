/**
 * Writes FusebenchSDPA cuda variants' sources to a folder and, where nvcc exists, prints ptxas's registers, spills
 * and shared memory per variant (sm_90): `npx tsx bench/sdpa-cuda-resources.ts [dir] [--suite]`.
 * Default: the CI catalog. --suite: every path at the tilings the host heuristic picks for the suite sizes on an
 * H200 (132 SMs) plus bench/sdpa-check.ts's default sweep. Runs on any machine with nvcc; no GPU needed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SDPA_CUDA_PATHS, sdpaCudaCatalog, sdpaCudaKernel, type SdpaCudaKernel, type SdpaCudaTiling } from '../kernels/sdpa/cuda_source.ts';
import { sdpaCudaTilingFor } from '../kernels/sdpa/cuda.ts';
import { attnSizes } from '../suites/attention/shapes.ts';

const args = process.argv.slice(2);
const suite = args.includes('--suite');
const dir = args.find((a) => !a.startsWith('--')) ?? mkdtempSync(join(tmpdir(), 'fusebench-sdpa-'));
mkdirSync(dir, { recursive: true });

function suiteVariants(): SdpaCudaKernel[] {
  const seen = new Map<string, SdpaCudaKernel>();
  const add = (d: number, t: SdpaCudaTiling): void => {
    for (const path of SDPA_CUDA_PATHS) {
      const k = sdpaCudaKernel(d, path, t);
      seen.set(k.entry, k);
    }
  };
  for (const p of [...attnSizes.quick, ...attnSizes.full, { h: 12, s: 256, d: 128 }, { h: 1, s: 2048, d: 128 }]) add(p.d, sdpaCudaTilingFor(p.h, p.s, p.d, { smCount: 132, clusters: true }));
  for (const [w, k, s] of [[8, 64, 1], [8, 64, 2], [2, 64, 1], [2, 32, 2], [1, 32, 2], [4, 32, 2]] as const) add(64, { warps: w, keysPerTile: k, split: s });
  return [...seen.values()];
}

for (const k of suite ? suiteVariants() : sdpaCudaCatalog()) {
  const file = join(dir, `${k.entry}.cu`);
  writeFileSync(file, k.source);
  const r = spawnSync('nvcc', ['-arch=sm_90', '-cubin', '-std=c++17', '-Xptxas', '-v', file, '-o', join(dir, `${k.entry}.cubin`)], { encoding: 'utf8' });
  const log = r.error ? `nvcc not run: ${r.error.message}` : `${r.stdout}${r.stderr}${r.status === 0 ? '' : `\nerror: nvcc exited ${r.status}`}`;
  const regs = /Used (\d+) registers/.exec(log)?.[1] ?? '?';
  const spill = /(\d+) bytes spill stores, (\d+) bytes spill loads/.exec(log);
  const perSm = regs === '?' ? '?' : Math.min(Math.floor(65536 / (Math.ceil((Number(regs) * 32) / 256) * 256 * (k.threads / 32))), k.smemBytes ? Math.floor((228 * 1024) / (k.smemBytes + 1024)) : 32);
  console.log(`${k.entry}: ${k.threads} threads, ${k.rowsPerBlock} rows/block, cluster ${k.split}, smem ${k.smemBytes} B, ${regs} registers, spills ${spill ? `${spill[1]}/${spill[2]} B` : '?'}, blocks/SM ${perSm}${/error|not run/.test(log) ? `\n${log}` : ''}`);
}
