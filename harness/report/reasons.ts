/**
 * Why a pattern won or lost, from what was measured and counted, never from a story: the compute kernels each
 * variant launched, the bytes the analytic cost says fusion stops moving, device time against throughput where a
 * device clock exists, the unfused variant's achieved bandwidth, and the suite's own notes (by number).
 */
import type { SizeResult } from '../core/types.ts';
import type { PatternBackendView } from './model.ts';
import { breakdown } from './kernels.ts';
import { rate, times } from './format.ts';
import { noteLink, notesOf, type RunNote } from './notes.ts';

/** Below this unfused bandwidth no machine fusebench targets is memory-bound: the unfused time goes elsewhere. */
const SLOW_GBPS = 2;

/** The correct size with the highest (`best`) or lowest (`worst`) speedup. */
export function extremeSize(v: PatternBackendView, which: 'best' | 'worst'): SizeResult | undefined {
  const sorted = [...v.correct].sort((a, b) => a.speedup!.ratio - b.speedup!.ratio);
  return which === 'best' ? sorted[sorted.length - 1] : sorted[0];
}

/** The measured reasons at one size, shortest first-hand facts first; `notes` adds the suite's notes by number. */
export function measuredReason(v: PatternBackendView, r: SizeResult, notes: readonly RunNote[]): string {
  const parts: string[] = [];
  const speedup = r.speedup!.ratio;
  const ku = breakdown(r.unfused!.kernels).compute.length;
  const kf = breakdown(r.fused!.kernels).compute.length;
  if (ku !== kf) parts.push(`${ku} → ${kf} kernels per call`);
  else parts.push(`${kf} kernel${kf === 1 ? '' : 's'} either way`);
  const byteRatio = r.cost.bytesFused > 0 ? r.cost.bytesUnfused / r.cost.bytesFused : Number.POSITIVE_INFINITY;
  if (Number.isFinite(byteRatio) && byteRatio > 1.005) parts.push(`${times(byteRatio)} fewer bytes moved (analytic)`);
  else parts.push('no bytes saved (analytic)');
  const u = r.unfused!.deviceMs;
  const f = r.fused!.deviceMs;
  if (u !== undefined && f !== undefined && u > 0 && f > 0) {
    const device = u / f;
    if (speedup > 1 && device < 1.1 && speedup > 1.2 * device) parts.push(`device time only ${times(device)}: the gain is launches and host work`);
    else if (device < 0.95) parts.push(`device time ${times(device)}: the fused kernel itself is slower`);
    else parts.push(`device time ${times(device)}`);
  } else if (speedup > 1 && Number.isFinite(byteRatio) && speedup > 1.5 * byteRatio) {
    const gbps = r.unfused!.gbps;
    parts.push(gbps < SLOW_GBPS
      ? `more than the bytes explain: unfused moved ${rate(gbps, 'GB/s')}, so its ops are slow for another reason`
      : 'more than the bytes explain');
  } else if (speedup < 1 && byteRatio > 1.05) {
    parts.push('slower although it moves fewer bytes');
  }
  // The suite's own notes (not the caveats many suites share), at most two.
  const own = notesOf(v.pattern, notes).filter((n) => n.patterns.length === 1).slice(0, 2);
  if (own.length) parts.push(`see ${own.map((n) => noteLink(n, 'report')).join(', ')}`);
  return parts.join('; ');
}
