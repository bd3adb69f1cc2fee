/**
 * The roofline section of a report: each pattern's unfused and fused points placed against a backend's
 * measured ceilings. A point's operational intensity is its analytic FLOPs over its analytic bytes (the
 * suite's cost model, not measured traffic); its roof is min(compute ceiling, intensity × bandwidth
 * ceiling); it is memory-bound left of the ridge point (ceiling GFLOP/s ÷ ceiling GB/s), compute-bound right.
 */
import type { RunResults, SizeResult, VariantStats } from '../core/types.ts';
import type { Roofs } from '../core/ceilings.ts';
import { decimal as num, roughPercent as pct } from './format.ts';
import { table } from './table.ts';

export type Bound = 'memory' | 'compute';

export interface RooflinePoint {
  /** FLOP per byte moved. */
  readonly intensity: number;
  readonly bound: Bound;
  /** min(compute roof, intensity × memory roof), GFLOP/s. */
  readonly attainableGflops: number;
  readonly achievedGflops: number;
  readonly achievedGbps: number;
  /** Achieved share of the roof that bounds the point: GB/s ÷ bandwidth ceiling if memory-bound, GFLOP/s ÷ matmul ceiling otherwise. */
  readonly fractionOfRoof: number;
  /** Which time the rates use: device time where the backend measures it, otherwise the pipelined throughput. */
  readonly time: 'kernel' | 'wall';
}

/** One variant's point from its analytic cost and measured time. */
export function rooflinePoint(flops: number, bytes: number, v: VariantStats, roofs: Roofs): RooflinePoint {
  const useKernel = typeof v.deviceMs === 'number' && v.deviceMs > 0;
  const ms = useKernel ? v.deviceMs! : v.throughputMs;
  const intensity = bytes > 0 ? flops / bytes : Infinity;
  const ridge = roofs.gflops / roofs.gbps;
  const bound: Bound = intensity < ridge ? 'memory' : 'compute';
  const achievedGflops = flops / (ms * 1e6);
  const achievedGbps = bytes / (ms * 1e6);
  return {
    intensity,
    bound,
    attainableGflops: Math.min(roofs.gflops, intensity * roofs.gbps),
    achievedGflops,
    achievedGbps,
    fractionOfRoof: bound === 'memory' ? achievedGbps / roofs.gbps : achievedGflops / roofs.gflops,
    time: useKernel ? 'kernel' : 'wall',
  };
}

const arrow = (a: string, b: string): string => `${a} → ${b}`;
/** Labels (bound, time) are written once when both variants share them; numbers always twice. */
const pair = (a: string, b: string): string => (a === b ? a : arrow(a, b));

function rowsFor(patternId: string, r: SizeResult, roofs: Roofs): string[] | undefined {
  if (r.status !== 'ok' || !r.unfused || !r.fused) return undefined;
  const u = rooflinePoint(r.cost.flops, r.cost.bytesUnfused, r.unfused, roofs);
  const f = rooflinePoint(r.cost.flops, r.cost.bytesFused, r.fused, roofs);
  const wrong = r.correctness && !r.correctness.fused.ok ? ' (✗ incorrect)' : '';
  return [
    patternId,
    r.size,
    arrow(num(u.intensity), num(f.intensity)),
    pair(u.bound, f.bound),
    arrow(num(u.attainableGflops), num(f.attainableGflops)),
    arrow(num(u.achievedGflops), num(f.achievedGflops)) + wrong,
    arrow(num(u.achievedGbps), num(f.achievedGbps)),
    arrow(pct(u.fractionOfRoof), pct(f.fractionOfRoof)),
    pair(u.time, f.time),
  ];
}

/**
 * Renders `## Roofline` with one table per backend that has both results and ceilings.
 * Backends without ceilings are named, so a reader knows why they are missing.
 */
export function renderRoofline(results: RunResults, ceilings: Record<string, Roofs>): string {
  const lines = [
    '## Roofline',
    '',
    'Each pattern\'s unfused → fused points against the ceilings measured on the backend (`fusebench calibrate`: a large ' +
      'matMul for the compute roof, large elementwise ops for the memory roof). Operational intensity (OI) = analytic FLOPs ÷ ' +
      'analytic bytes moved by the variant; a point left of the ridge (compute ceiling ÷ bandwidth ceiling) is memory-bound, ' +
      'right of it compute-bound. "% of roof" is achieved GB/s ÷ bandwidth ceiling for a memory-bound point and achieved ' +
      'GFLOP/s ÷ compute ceiling for a compute-bound one; above 100% means the data came from a cache faster than the ' +
      'measured memory ceiling, or the analytic bytes overstate the traffic.',
    '',
  ];
  const backends = [...new Set(results.patterns.flatMap((p) => p.results.map((r) => r.backend)))];
  const missing: string[] = [];
  for (const backend of backends) {
    const roofs = ceilings[backend];
    if (!roofs || !(roofs.gflops > 0) || !(roofs.gbps > 0)) {
      missing.push(backend);
      continue;
    }
    const rows: string[][] = [];
    for (const p of results.patterns) {
      for (const r of p.results.filter((x) => x.backend === backend)) {
        const row = rowsFor(p.id, r, roofs);
        if (row) rows.push(row);
      }
    }
    lines.push(
      `### ${backend}`,
      '',
      `Ceilings: ${num(roofs.gflops)} GFLOP/s compute, ${num(roofs.gbps)} GB/s memory; ridge at ${num(roofs.gflops / roofs.gbps)} FLOP/byte. ` +
        'Columns give unfused → fused.',
      '',
      rows.length
        ? table(['Pattern', 'Size', 'OI (FLOP/B)', 'Bound', 'Roof (GFLOP/s)', 'Achieved GFLOP/s', 'Achieved GB/s', '% of roof', 'Time'], rows)
        : '_No measured size on this backend._',
      '',
    );
  }
  if (missing.length) lines.push(`No measured ceilings for: ${missing.join(', ')} (run \`fusebench calibrate --backend B\`).`, '');
  return lines.join('\n');
}

interface CeilingsLike {
  readonly matmul_gflops: number;
  readonly bandwidth_gbps: number;
  readonly kernel?: { readonly matmul_gflops: number; readonly bandwidth_gbps: number };
}

/**
 * Roofs per backend from loaded calibration profiles that carry measured ceilings. Where the ceilings were
 * also measured in GPU kernel time, those are used, because the points of such a backend use kernel time too.
 */
export function roofsFromProfiles(profiles: Iterable<{ readonly backend: string; readonly ceilings?: CeilingsLike | undefined }>): Record<string, Roofs> {
  const out: Record<string, Roofs> = {};
  for (const p of profiles) {
    if (!p.ceilings) continue;
    const c = p.ceilings.kernel ?? p.ceilings;
    out[p.backend] = { gflops: c.matmul_gflops, gbps: c.bandwidth_gbps };
  }
  return out;
}
