/**
 * CI-safe: every source the cuda backend generates compiles to PTX for sm_90 with the installed nvcc
 * (the same text NVRTC compiles on the GPU host). Skips when nvcc is absent.
 */
import { describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generatedSourceCatalog } from '../../backends/cuda/codegen/catalog.ts';
import { elementwiseSource, FLOAT_OPS } from '../../backends/cuda/codegen/elementwise.ts';
import { sdpaCudaCatalog } from '../../kernels/sdpa/cuda_source.ts';
import { layerNormCudaCatalog } from '../../kernels/layer_norm/cuda.ts';
import { ADD_RELU_OP } from '../../kernels/add_relu/cuda.ts';
import { EPILOGUE_PASS } from '../../kernels/linear_act/cuda.ts';

/** The fused kernels' own sources (kernels/<k>/cuda.ts), beside the backend's catalog. */
function fusedKernelSources(): { source: string; entry: string }[] {
  const ew = (name: string, op: (typeof EPILOGUE_PASS)['gelu']) =>
    elementwiseSource({ name, op, inDtypes: new Array(op.arity).fill('float32'), outDtype: 'float32', modes: new Array(op.arity).fill('flat'), rank: 0, wide: false, vec4: true });
  return [...sdpaCudaCatalog(), ...layerNormCudaCatalog(), ew('addRelu', ADD_RELU_OP), ew('gelu', EPILOGUE_PASS.gelu), ew('silu', EPILOGUE_PASS.silu)];
}

function hasNvcc(): boolean {
  try {
    execFileSync('nvcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const run = promisify(execFile);

describe('cuda codegen', () => {
  it('names each signature uniquely', () => {
    const entries = generatedSourceCatalog().map((e) => e.entry);
    expect(new Set(entries).size).toBe(entries.length);
  });

  it('refuses a vec4 kernel with a strided input', () => {
    expect(() => elementwiseSource({ name: 'Add', op: FLOAT_OPS.Add!, inDtypes: ['float32', 'float32'], outDtype: 'float32', modes: ['flat', 'strided'], rank: 2, wide: false, vec4: true })).toThrow(/vec4/);
  });

  it('names each fused kernel variant uniquely', () => {
    const entries = fusedKernelSources().map((e) => e.entry);
    expect(new Set(entries).size).toBe(entries.length);
  });

  it.skipIf(!hasNvcc())('compiles every generated source (the backend\'s and the fused kernels\') to PTX for sm_90 with nvcc', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fusebench-cuda-'));
    try {
      const catalog = [...generatedSourceCatalog(), ...fusedKernelSources()];
      const failures: string[] = [];
      // Each source in its own namespace (extern "C" names stay global), two files compiled in parallel:
      // nvcc's start-up, not the kernels, dominates the time of one file per source.
      const halves = [catalog.filter((_, i) => i % 2 === 0), catalog.filter((_, i) => i % 2 === 1)];
      await Promise.all(halves.map(async (part, h) => {
        const file = join(dir, `part${h}.cu`);
        writeFileSync(file, part.map((e, i) => `namespace fb_src_${i} {\n${e.source}\n}\n`).join('\n'));
        try {
          await run('nvcc', ['-ptx', '-arch=sm_90', '-std=c++17', file, '-o', `${file}.ptx`], { maxBuffer: 1 << 26 });
          const ptx = readFileSync(`${file}.ptx`, 'utf8');
          for (const e of part) if (!ptx.includes(`.entry ${e.entry}(`)) failures.push(`${e.entry}: entry missing from PTX`);
        } catch (err) {
          failures.push(`part ${h}: ${(err as Error).message.slice(0, 4000)}`);
        }
      }));
      expect(failures).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
