/**
 * CI-safe: the cuda backend's depthwise convolution kernels (backends/cuda/codegen/conv.ts: bias and activation in
 * the store, scalar or four channels per thread, 32- or 64-bit indices), compiled as C++ against
 * test/cuda/emulate/fb_emulate.h and run on the CPU against a float64 reference: 'same' and 'valid' padding, stride 2,
 * dilation 2, a channel multiplier of 2, channel counts that are and are not multiples of 4, a guard after the
 * output. test/cuda/gpu.test.ts checks the hardware. Skips without a C++20 g++.
 */
import { describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { backend_util } from '@tensorflow/tfjs-core';
import { depthwiseSource } from '../../backends/cuda/codegen/conv.ts';

const here = join(import.meta.dirname, 'emulate');
const run = promisify(execFile);

function hasGpp(): boolean {
  try {
    execFileSync('g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Case { x: [number, number, number, number]; f: [number, number, number, number]; stride: number; dil: number; pad: 'same' | 'valid'; act: 0 | 1 | 2; bias: boolean; vec4: boolean; wide: boolean }
const CASES: Case[] = [
  { x: [2, 9, 7, 12], f: [3, 3, 12, 1], stride: 1, dil: 1, pad: 'same', act: 1, bias: true, vec4: true, wide: false },
  { x: [1, 10, 9, 8], f: [3, 3, 8, 1], stride: 2, dil: 1, pad: 'same', act: 2, bias: true, vec4: true, wide: false },
  { x: [1, 11, 10, 4], f: [3, 3, 4, 1], stride: 1, dil: 2, pad: 'valid', act: 0, bias: false, vec4: true, wide: true },
  { x: [2, 7, 6, 6], f: [3, 3, 6, 1], stride: 1, dil: 1, pad: 'same', act: 1, bias: true, vec4: false, wide: false },
  { x: [1, 8, 8, 5], f: [3, 3, 5, 2], stride: 2, dil: 1, pad: 'same', act: 0, bias: true, vec4: false, wide: true },
];

describe.skipIf(!hasGpp())('cuda depthwise kernels under CPU emulation', () => {
  it('match float64 with padding, stride, dilation and a channel multiplier, without writing past the output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fusebench-dw-emu-'));
    try {
      const failures: string[] = [];
      for (let i = 0; i < CASES.length; i += 2) {
        await Promise.all(CASES.slice(i, i + 2).map(async (c, j) => {
          const { source, entry } = depthwiseSource(c.act, c.bias, c.vec4, c.wide);
          const info = backend_util.computeConv2DInfo(c.x, c.f, c.stride, c.dil, c.pad, undefined, true, 'channelsLast');
          const src = join(dir, `${entry}_${i + j}.cu`);
          writeFileSync(src, source);
          const exe = join(dir, `${entry}_${i + j}`);
          await run('g++', ['-std=c++20', '-O1', '-pthread', '-fno-strict-aliasing', '-Wno-unknown-pragmas', `-I${here}`,
            `-DFB_SOURCE="${src}"`, `-DFB_ENTRY=${entry}`, join(here, 'depthwise_check.cpp'), '-o', exe]);
          const argv = [c.x[0], c.x[1], c.x[2], c.x[3], c.f[3], c.f[0], c.f[1], info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
            info.padInfo.top, info.padInfo.left, info.outHeight, info.outWidth, c.act, +c.bias, +c.vec4];
          const { stdout } = await run(exe, argv.map(String));
          const r = JSON.parse(stdout) as { maxAbs: number; nonFinite: number; guardsChanged: number };
          if (r.nonFinite !== 0 || r.guardsChanged !== 0 || !(r.maxAbs <= 1e-5)) failures.push(`${entry} on ${JSON.stringify(c)}: ${stdout.trim()}`);
        }));
      }
      expect(failures).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
