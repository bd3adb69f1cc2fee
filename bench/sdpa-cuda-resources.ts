/**
 * Writes every FusebenchSDPA cuda variant's source to a folder and, where nvcc exists, prints ptxas's
 * registers, spills and shared memory per variant (sm_90): `npx tsx bench/sdpa-cuda-resources.ts [dir]`.
 * Runs on any machine with nvcc; no GPU needed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sdpaCudaCatalog } from '../kernels/sdpa/cuda_source.ts';

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'fusebench-sdpa-'));
mkdirSync(dir, { recursive: true });
for (const k of sdpaCudaCatalog()) {
  const file = join(dir, `${k.entry}.cu`);
  writeFileSync(file, k.source);
  const r = spawnSync('nvcc', ['-arch=sm_90', '-cubin', '-std=c++17', '-Xptxas', '-v', file, '-o', join(dir, `${k.entry}.cubin`)], { encoding: 'utf8' });
  const log = r.error ? `nvcc not run: ${r.error.message}` : `${r.stdout}${r.stderr}${r.status === 0 ? '' : `\nerror: nvcc exited ${r.status}`}`;
  console.log(`${k.entry} (path ${k.path}, ${k.threads} threads, ${k.rowsPerBlock} rows/block, dynamic smem ${k.smemBytes} B): ${file}`);
  console.log(log.split('\n').filter((l) => /registers|spill|smem|error|not run/i.test(l)).map((l) => `  ${l.trim()}`).join('\n'));
}
