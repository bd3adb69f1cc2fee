/** Why a measured item fails its vitest test: the message names the item, the size, the backend and the figures. */
import type { PipelineSizeResult, SizeResult, Tolerance } from '../core/types.ts';

/** Why an item's result fails its test: the size failed, or the fused result is wrong (with the error and the tolerance). */
export function failureMessage(id: string, r: SizeResult | PipelineSizeResult, tolerance: Tolerance): string | undefined {
  const where = `${id} at ${r.size} on ${r.backend}`;
  if (r.status !== 'ok') return `${where} failed: ${r.error ?? 'no message'}`;
  const c = r.correctness!;
  for (const [variant, e] of [['fused', c.fused], ['unfused', c.unfused]] as const) {
    if (e.ok) continue;
    return `${where}: the ${variant} result is wrong: max abs error ${e.maxAbs.toExponential(2)} (max rel ${e.maxRel.toExponential(2)}) ` +
      `exceeds the tolerance |got − want| ≤ ${tolerance.atol} + ${tolerance.rtol}·|want|`;
  }
  return undefined;
}
