/**
 * fusebench's cuda backend beside PyTorch on the same GPU (issue 9 §4): per pattern and size, fusebench unfused /
 * fused against PyTorch eager / torch.compile (bench/torch-reference.py), the ratios, and, where one call takes
 * ≥ 50 µs, whether fusebench is within 1.3× — and, where it is not, the gap and its cause measured from the
 * analytic cost: achieved GB/s and GFLOP/s of each side against the ceilings passed in.
 */
import type { AnalyticCost, RunResults, VariantStats } from '../core/types.ts';
import { ms } from './format.ts';
import { table } from './table.ts';

/** One row of bench/torch-reference.py's output. */
export interface TorchRow {
  readonly id: string;
  readonly label: string;
  readonly params: Readonly<Record<string, number>>;
  readonly eagerMs?: number;
  readonly compiledMs?: number;
  readonly compileError?: string;
  readonly error?: string;
}

/** bench/torch-reference.py's JSON (schema fusebench/torch-reference@2). */
export interface TorchReference {
  readonly schema: string;
  readonly createdAt: string;
  readonly command: string;
  readonly machine: { readonly gpu: string; readonly torch: string; readonly cuda?: string; readonly hostname?: string };
  readonly timing?: string;
  readonly results: readonly TorchRow[];
  readonly skipped?: Readonly<Record<string, string>>;
}

/** Device ceilings (calibrated or datasheet): bytes/s in GB/s and FLOP/s in GFLOP/s. */
export interface Ceilings {
  readonly gbps: number;
  readonly gflops: number;
}

/** The issue's bar: within 1.3× of PyTorch where one call takes at least 50 µs. */
export const TORCH_RATIO_LIMIT = 1.3;
export const TORCH_MIN_CALL_MS = 0.05;

/** Per-call GPU time of a variant: CUDA-event kernel time where the backend reports it, else the wall median. */
export function callMs(v: VariantStats | undefined): number | undefined {
  if (!v) return undefined;
  return typeof v.kernelMs === 'number' && Number.isFinite(v.kernelMs) ? v.kernelMs : v.medianMs;
}

/** Same size on both sides: identical params (PyTorch rows carry the suite's params verbatim). */
function sameParams(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}

const pct = (x: number): string => `${x >= 10 ? x.toFixed(0) : x.toPrecision(2)} %`;
const rate = (x: number, unit: string): string => `${x >= 100 ? x.toFixed(0) : x.toPrecision(3)} ${unit}`;

/**
 * Why `ours` misses `theirs`, from the cost model: the bound (memory or compute, by the arithmetic intensity of the
 * bytes this variant moves against the ridge of the ceilings), each side's share of that ceiling, and the kernels we launch.
 */
export function gapCause(cost: AnalyticCost, variant: 'unfused' | 'fused', oursMs: number, theirsMs: number, kernels: number, c: Ceilings): string {
  const bytes = variant === 'unfused' ? cost.bytesUnfused : cost.bytesFused;
  const intensity = bytes > 0 ? cost.flops / bytes : Infinity;
  const ridge = c.gflops / c.gbps;
  const memoryBound = intensity < ridge;
  const ourGbps = bytes / (oursMs * 1e6), ourGflops = cost.flops / (oursMs * 1e6);
  const theirGbps = bytes / (theirsMs * 1e6), theirGflops = cost.flops / (theirsMs * 1e6);
  const floorMs = Math.max(bytes / (c.gbps * 1e6), cost.flops / (c.gflops * 1e6));
  const share = memoryBound
    ? `${rate(ourGbps, 'GB/s')} = ${pct((100 * ourGbps) / c.gbps)} of ${rate(c.gbps, 'GB/s')} (PyTorch ${pct((100 * theirGbps) / c.gbps)})`
    : `${rate(ourGflops, 'GFLOP/s')} = ${pct((100 * ourGflops) / c.gflops)} of ${rate(c.gflops, 'GFLOP/s')} (PyTorch ${pct((100 * theirGflops) / c.gflops)})`;
  const bound = memoryBound ? `memory-bound (${intensity.toPrecision(2)} FLOP/B < ridge ${ridge.toPrecision(3)})` : `compute-bound (${intensity.toPrecision(3)} FLOP/B ≥ ridge ${ridge.toPrecision(3)})`;
  const latency = oursMs > 5 * floorMs ? `; ${(oursMs / floorMs).toFixed(1)}× the roofline floor ${ms(floorMs)} ms${kernels > 1 ? ` over ${kernels} kernels` : ''}: launch/latency or kernel efficiency, not bytes` : '';
  return `${bound}: ${share}${latency}`;
}

interface Pair {
  readonly ours?: number;
  readonly theirs?: number;
}

function verdict(p: Pair, cost: AnalyticCost, variant: 'unfused' | 'fused', kernels: number, c: Ceilings): { ratio: string; check: string; cause: string } {
  if (p.ours === undefined || p.theirs === undefined || !(p.theirs > 0)) return { ratio: 'n/a', check: 'n/a', cause: '' };
  const r = p.ours / p.theirs;
  const ratio = `${r.toFixed(2)}×`;
  if (Math.max(p.ours, p.theirs) < TORCH_MIN_CALL_MS) return { ratio, check: '— (< 50 µs)', cause: '' };
  if (r <= TORCH_RATIO_LIMIT) return { ratio, check: '✓', cause: '' };
  return { ratio, check: `✗ ${r.toFixed(2)}× slower`, cause: gapCause(cost, variant, p.ours, p.theirs, kernels, c) };
}

/** The Markdown section: one table per pattern that both sides measured, then the misses with their causes. */
export function renderTorchComparison(results: RunResults, torch: TorchReference, ceilings: Ceilings, backend = 'cuda'): string {
  const out: string[] = [];
  out.push('## fusebench cuda vs PyTorch (same GPU)', '');
  out.push(
    `PyTorch ${torch.machine.torch}${torch.machine.cuda ? ` (CUDA ${torch.machine.cuda})` : ''} on ${torch.machine.gpu}, ${torch.createdAt}: \`${torch.command}\`. ` +
      `${torch.timing ?? 'CUDA events'}. fusebench: ${backend} backend, per-call GPU time (CUDA events; wall median where absent), from \`${results.command}\`. ` +
      `Eager runs one torch op per tfjs op of the suite's unfused sequence; compiled is torch.compile of the same function. ` +
      `Ratios are fusebench ÷ PyTorch (below 1 = fusebench faster). The bar: within ${TORCH_RATIO_LIMIT}× wherever one call takes ≥ ${TORCH_MIN_CALL_MS * 1000} µs on either side; ` +
      `a miss names its cause against the ceilings ${rate(ceilings.gbps, 'GB/s')} and ${rate(ceilings.gflops, 'GFLOP/s')}.`,
    '',
  );
  const misses: string[] = [];
  let compared = 0, inScope = 0, within = 0;
  for (const pattern of results.patterns) {
    const rows: string[][] = [];
    for (const r of pattern.results) {
      if (r.backend !== backend || r.status !== 'ok') continue;
      const t = torch.results.find((x) => x.id === pattern.id && sameParams(x.params, r.params));
      if (!t) continue;
      const unf = { ours: callMs(r.unfused), theirs: t.eagerMs };
      const fus = { ours: callMs(r.fused), theirs: t.compiledMs };
      const vu = verdict(unf, r.cost, 'unfused', r.unfused?.kernels.length ?? 0, ceilings);
      const vf = verdict(fus, r.cost, 'fused', r.fused?.kernels.length ?? 0, ceilings);
      compared++;
      for (const v of [vu, vf]) {
        if (v.check === '✓') (inScope++, within++);
        else if (v.check.startsWith('✗')) inScope++;
      }
      rows.push([r.size, ms(unf.ours), ms(unf.theirs), vu.ratio, vu.check, ms(fus.ours), t.compileError ? 'compile failed' : ms(fus.theirs), vf.ratio, vf.check]);
      const note = (v: ReturnType<typeof verdict>, what: string): void => {
        if (v.cause) misses.push(`- **${pattern.id} ${r.size}**, ${what}: ${v.check.slice(2)}; ${v.cause}.`);
      };
      note(vu, 'unfused vs eager');
      note(vf, 'fused vs compiled');
      if (t.compileError) misses.push(`- **${pattern.id} ${r.size}**: torch.compile failed: ${t.compileError}`);
      if (t.error) misses.push(`- **${pattern.id} ${r.size}**: PyTorch run failed: ${t.error}`);
    }
    if (rows.length === 0) continue;
    out.push(`### ${pattern.id}`, '');
    out.push(table(['size', 'cuda unfused ms', 'eager ms', 'ratio', '≤ 1.3×', 'cuda fused ms', 'compiled ms', 'ratio', '≤ 1.3×'], rows, ['l', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'l']), '');
  }
  if (compared === 0) {
    out.push(`No size was measured by both: no ${backend} result shares a pattern id and params with a PyTorch row.`, '');
    return out.join('\n');
  }
  out.push(`**${within} of ${inScope}** comparisons at ≥ 50 µs are within ${TORCH_RATIO_LIMIT}× (${compared} sizes compared).`, '');
  if (misses.length) out.push('### Misses and their measured causes', '', ...misses, '');
  const skipped = Object.entries(torch.skipped ?? {});
  if (skipped.length) out.push(`PyTorch side not measured: ${skipped.map(([id, why]) => `${id} (${why})`).join('; ')}.`, '');
  return out.join('\n');
}

/** Reads what bench/torch-reference.py wrote, naming the file and the field that is wrong. */
export function parseTorchReference(text: string, file: string): TorchReference {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const d = doc as Partial<TorchReference>;
  if (typeof d !== 'object' || d === null) throw new Error(`${file}: expected an object`);
  if (d.schema !== 'fusebench/torch-reference@2') throw new Error(`${file}: field "schema" must be "fusebench/torch-reference@2" (got ${JSON.stringify(d.schema)})`);
  if (!Array.isArray(d.results)) throw new Error(`${file}: field "results" must be an array`);
  if (!d.machine || typeof d.machine.gpu !== 'string') throw new Error(`${file}: field "machine.gpu" must be a string`);
  d.results.forEach((r, i) => {
    if (typeof r.id !== 'string' || typeof r.params !== 'object' || r.params === null) throw new Error(`${file}: results[${i}] needs "id" (string) and "params" (object)`);
  });
  return d as TorchReference;
}
