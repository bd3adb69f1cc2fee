/** Shared by the report tests: the synthetic fixture, and small builders that vary it. */
import { readFileSync } from 'node:fs';
import type { BackendStatus, RunResults, SizeResult } from '../../harness/core/types.ts';
import { defaultConfig } from '../../harness/core/config.ts';
import { renderDetails, renderReport } from '../../harness/report/markdown.ts';

export const FIXTURE = new URL('../fixtures/results.json', import.meta.url);
export const GOLDEN = new URL('../fixtures/REPORT.golden.md', import.meta.url);
export const GOLDEN_DETAILS = new URL('../fixtures/DETAILS.golden.md', import.meta.url);

/** A fresh, mutable copy of the fixture (synthetic numbers; see test/fixtures/build-results-fixture.ts). */
export function fixture(): RunResults {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as RunResults;
}

/** REPORT.md of a results document, under the default thresholds. */
export const render = (r: RunResults): string => renderReport(r, { config: defaultConfig });
/** DETAILS.md of a results document, under the default thresholds. */
export const details = (r: RunResults): string => renderDetails(r, { config: defaultConfig });

type Mutable<T> = { -readonly [K in keyof T]: NonNullable<T[K]> extends object ? Mutable<NonNullable<T[K]>> | Extract<T[K], undefined> : T[K] };
export type MutableResults = Mutable<RunResults>;

export function mutable(r: RunResults): MutableResults {
  return r as unknown as MutableResults;
}

/** The fixture as if no GPU backend had run: webgpu's results removed and webgpu marked unavailable. */
export function withoutGpu(): RunResults {
  const r = mutable(fixture());
  r.machine.gpu = undefined as unknown as string;
  delete (r.machine as { gpu?: string }).gpu;
  r.backends = r.backends.map((b) => (b.kind === 'gpu' ? { name: b.name, kind: b.kind, available: false, reason: 'no GPU adapter found' } : b)) as Mutable<BackendStatus>[];
  for (const p of r.patterns) p.results = p.results.filter((x) => x.backend !== 'webgpu');
  return r as unknown as RunResults;
}

/** The text of one `## ` section (up to the next `## ` heading). */
export function section(md: string, title: string): string {
  const start = md.indexOf(`\n## ${title}`);
  if (start < 0) throw new Error(`no section "${title}"`);
  const next = md.indexOf('\n## ', start + 4);
  return md.slice(start, next < 0 ? undefined : next);
}

/** One ok size result with a given speedup CI, for unit tests of the model. */
export function sizeAt(size: string, magnitude: number, ratio: number, lo: number, hi: number, backend = 'cpu', ok = true): SizeResult {
  const samples = [1, 1, 1];
  const stats = (kernels: string[]) => ({ throughputMs: 1, latencyMs: 1, p10Ms: 1, p90Ms: 1, samplesMs: samples, kernels, bytesAllocated: 4, gflops: 1, gbps: 1 });
  return {
    backend, size, params: { n: magnitude }, magnitude, status: 'ok',
    cost: { flops: 1, bytesUnfused: 2, bytesFused: 1, intermediateBytes: 1 },
    correctness: { unfused: { maxAbs: 0, maxRel: 0, ok: true }, fused: { maxAbs: ok ? 0 : 1, maxRel: ok ? 0 : 1, ok } },
    unfused: stats(['BatchMatMul', 'Add']),
    fused: stats(['_FusedMatMul']),
    speedup: { ratio, lo, hi },
    memoryReduction: 0,
  };
}
