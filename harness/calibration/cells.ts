/** Cells and phrases shared by the calibration summary and the comparison; every number goes through report/format.ts. */
import type { FusionPatternProfile } from './types.ts';
import type { Calibration } from './calibration.ts';
import { count, percent, times, timesRange } from '../report/format.ts';

/** `1.07× (0.98–1.21×, 4 sizes)`, or `—`. */
export function speedupCell(p: FusionPatternProfile | undefined): string {
  if (!p || p.speedup_factor === null || !p.speedup_range) return '—';
  const n = p.sizes.length;
  return n === 1
    ? `${times(p.speedup_factor)} (1 size)`
    : `${times(p.speedup_factor)} (${timesRange(p.speedup_range[0], p.speedup_range[1])}, ${count(n, 'size')})`;
}

export function ceilingsText(c: Calibration): { compute: string; memory: string } {
  const m = c.ceilings;
  if (!m) return { compute: 'not measured', memory: 'not measured' };
  const k = m.kernel;
  return {
    compute: `${m.matmul_gflops.toFixed(2)} GFLOP/s (matMul ${m.matmul.from.size}×${m.matmul.from.size}${k ? `; ${k.matmul_gflops.toFixed(2)} in kernel time` : ''})`,
    memory: `${m.bandwidth_gbps.toFixed(2)} GB/s (${m.bandwidth.from.op}, ${m.bandwidth.from.size} floats${k ? `; ${k.bandwidth_gbps.toFixed(2)} in kernel time` : ''})`,
  };
}

/** `1000 GFLOP/s (measured ceiling is 12% of it)`, or `not given`. */
export function theoreticalText(given: number | undefined, measured: number | undefined, unit: string): string {
  if (given === undefined) return 'not given';
  return measured === undefined ? `${given} ${unit}` : `${given} ${unit} (measured ceiling is ${percent(measured / given)} of it)`;
}
