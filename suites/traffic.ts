/**
 * Byte counting for the analytic cost: a pattern's unfused and fused sequences written as kernels, each with
 * the float32 elements it reads and writes, so every cost formula is a list a reader can check against the
 * suite's tfjs code.
 */
import type { AnalyticCost } from 'fusebench';

export const F32 = 4;

export interface KernelTraffic {
  readonly kernel: string;
  readonly reads: number;
  readonly writes: number;
}

export const pass = (kernel: string, reads: number, writes: number): KernelTraffic => ({ kernel, reads, writes });

const bytes = (ks: readonly KernelTraffic[]): number => ks.reduce((s, k) => s + (k.reads + k.writes) * F32, 0);

/**
 * flops, plus bytes of each sequence. Intermediate bytes are the outputs of every unfused kernel but the last
 * (what the unfused sequence materialises) minus those of every fused kernel but the last.
 */
export function costOf(flops: number, unfused: readonly KernelTraffic[], fused: readonly KernelTraffic[]): AnalyticCost {
  const materialised = (ks: readonly KernelTraffic[]): number => ks.slice(0, -1).reduce((s, k) => s + k.writes * F32, 0);
  return {
    flops,
    bytesUnfused: bytes(unfused),
    bytesFused: bytes(fused),
    intermediateBytes: materialised(unfused) - materialised(fused),
  };
}
