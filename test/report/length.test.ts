/**
 * REPORT.md stays one to three screens on real runs of the full built-in suite set (the checked-in results):
 * ≤ 250 lines for one backend, ≤ 400 for four. The four-backend run is assembled from three real runs (cpu+wasm on
 * the 2-core VM, cuda and webgpu on the H100) only to count lines; no figure of it is read.
 */
import { describe, expect, it } from 'vitest';
import type { RunResults } from '../../harness/core/types.ts';
import { defaultConfig } from '../../harness/core/config.ts';
import { loadResults } from '../../harness/schema.ts';
import { renderReport } from '../../harness/report/markdown.ts';

const load = (path: string): RunResults => loadResults(new URL(`../../reports/${path}/results.json`, import.meta.url).pathname);
const lines = (r: RunResults): number => renderReport(r, { config: defaultConfig }).split('\n').length - 1;

function only(r: RunResults, ...backends: string[]): RunResults {
  return { ...r, backends: r.backends.filter((b) => backends.includes(b.name)), patterns: r.patterns.map((p) => ({ ...p, results: p.results.filter((x) => backends.includes(x.backend)) })) };
}

describe('REPORT.md length on real runs of every built-in suite', () => {
  // The checked-in full run also has tensorflow; the four-backend count takes its cpu and wasm.
  const cpu = only(load('cpu/amd-epyc-2vcpu-full'), 'cpu', 'wasm');
  const cuda = load('gpu/h100-80gb-hbm3/cuda');
  const webgpu = load('gpu/h100-80gb-hbm3/webgpu');

  it('one backend: at most 250 lines', () => {
    for (const r of [only(cpu, 'cpu'), only(cpu, 'wasm'), cuda, webgpu]) {
      expect(r.patterns.length).toBeGreaterThanOrEqual(32);
      expect(lines(r)).toBeLessThanOrEqual(250);
    }
  });

  it('four backends: at most 400 lines', () => {
    const four: RunResults = {
      ...cpu,
      backends: [...cpu.backends, ...cuda.backends, ...webgpu.backends],
      patterns: cpu.patterns.map((p) => ({
        ...p, results: [...p.results, ...[cuda, webgpu].flatMap((r) => r.patterns.find((x) => x.id === p.id)?.results ?? [])],
      })),
    };
    expect(four.backends.map((b) => b.name)).toEqual(['cpu', 'wasm', 'cuda', 'webgpu']);
    expect(lines(four)).toBeLessThanOrEqual(400);
  });
});
