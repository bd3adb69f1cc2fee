/**
 * fusebench's GPU backend beside PyTorch on the same GPU, like for like (bench/torch-reference.py): per pattern and
 * size, our throughput (K back-to-back calls, one fence) against PyTorch's throughput (events around K calls), and
 * our device time (no host gaps) against PyTorch's CUDA-graph replay time (no launch overhead). Where we are more
 * than 1.15× slower than PyTorch's best comparable figure, the row names the cause, measured from the analytic cost
 * against the ceilings passed in.
 */
import type { AnalyticCost, RunResults } from '../core/types.ts';
import { ms, rate, roughPercent, times } from './format.ts';
import { table } from './table.ts';

/** One PyTorch callable's two figures. */
export interface TorchTiming {
  readonly throughputMs?: number;
  readonly graphMs?: number;
  readonly graphError?: string;
  readonly error?: string;
}

/** One row of bench/torch-reference.py's output. */
export interface TorchRow {
  readonly id: string;
  readonly label: string;
  readonly params: Readonly<Record<string, number>>;
  /** One torch op per tfjs op of the suite's unfused sequence. */
  readonly eager?: TorchTiming;
  /** torch.compile of that same function. */
  readonly compiled?: TorchTiming;
  readonly compileError?: string;
  /** PyTorch's own fused op for the pattern, where it has one. */
  readonly fusedOp?: TorchTiming & { readonly name: string };
  readonly error?: string;
}

/** bench/torch-reference.py's JSON (schema fusebench/torch-reference@3). */
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

/** The bar: within 1.15× of PyTorch's best comparable figure, judged where PyTorch's takes at least 5 µs. */
export const TORCH_RATIO_LIMIT = 1.15;
export const TORCH_MIN_CALL_MS = 0.005;

/** PyTorch's fastest figure of one kind among eager, compiled and its own fused op, with which one it was. */
export function bestTorch(t: TorchRow, figure: 'throughputMs' | 'graphMs'): { ms: number; by: string } | undefined {
  const candidates: Array<[string, number | undefined]> = [
    ['compiled', t.compiled?.[figure]],
    [t.fusedOp?.name ?? 'fused op', t.fusedOp?.[figure]],
    ['eager', t.eager?.[figure]],
  ];
  let best: { ms: number; by: string } | undefined;
  for (const [by, v] of candidates) if (typeof v === 'number' && v > 0 && (!best || v < best.ms)) best = { ms: v, by };
  return best;
}

/** Same size on both sides: identical params (PyTorch rows carry the suite's params verbatim). */
function sameParams(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}

/** A share of a ceiling given in percent (0–100). */
const pct = (x: number): string => roughPercent(x / 100);

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

function ratioCell(ours: number | undefined, theirs: number | undefined): string {
  return ours !== undefined && theirs !== undefined && theirs > 0 ? times(ours / theirs) : 'n/a';
}

/** The Markdown section: one table per pattern that both sides measured, then the misses with their causes. */
export function renderTorchComparison(results: RunResults, torch: TorchReference, ceilings: Ceilings, backend = 'cuda'): string {
  const out: string[] = [];
  out.push(`## fusebench ${backend} vs PyTorch (same GPU)`, '');
  out.push(
    `PyTorch ${torch.machine.torch}${torch.machine.cuda ? ` (CUDA ${torch.machine.cuda})` : ''} on ${torch.machine.gpu}, ${torch.createdAt}: \`${torch.command}\`. ` +
      `Like for like: our throughput (K back-to-back calls, one fence) against PyTorch's (CUDA events around K back-to-back calls), and our device time ` +
      `(the GPU's clock with the stream held until every call is queued) against PyTorch's CUDA-graph replay; PyTorch's best is the fastest of eager, ` +
      `torch.compile and its own fused op. fusebench: \`${results.command}\`. Ratios are fusebench ÷ PyTorch (below 1 = fusebench faster). ` +
      `The bar: fused device time within ${TORCH_RATIO_LIMIT}× of PyTorch's best graph time wherever that is ≥ ${TORCH_MIN_CALL_MS * 1000} µs; a miss names its ` +
      `cause against the ceilings ${rate(ceilings.gbps, 'GB/s')} and ${rate(ceilings.gflops, 'GFLOP/s')}.`,
    '',
  );
  const misses: string[] = [];
  let compared = 0, inScope = 0, within = 0;
  for (const pattern of results.patterns) {
    const rows: string[][] = [];
    for (const r of pattern.results) {
      if (r.backend !== backend || r.status !== 'ok' || !r.unfused || !r.fused) continue;
      const t = torch.results.find((x) => x.id === pattern.id && sameParams(x.params, r.params));
      if (!t) continue;
      compared++;
      const thr = bestTorch(t, 'throughputMs');
      const graph = bestTorch(t, 'graphMs');
      const ours = r.fused.deviceMs;
      let check = '—';
      if (ours !== undefined && graph && graph.ms >= TORCH_MIN_CALL_MS) {
        inScope++;
        const ratio = ours / graph.ms;
        if (ratio <= TORCH_RATIO_LIMIT) {
          within++;
          check = '✓';
        } else {
          check = `✗ ${times(ratio)}`;
          misses.push(`- **${pattern.id} ${r.size}**: fused device ${ms(ours)} ms vs PyTorch ${graph.by} graph ${ms(graph.ms)} ms; ` +
            `${gapCause(r.cost, 'fused', ours, graph.ms, r.fused.kernels.length, ceilings)}.`);
        }
      } else if (graph && graph.ms < TORCH_MIN_CALL_MS) check = '— (< 5 µs)';
      rows.push([
        r.size, ms(r.unfused.throughputMs), ms(t.eager?.throughputMs), ms(r.fused.throughputMs),
        thr ? `${ms(thr.ms)} (${thr.by})` : '—', ratioCell(r.fused.throughputMs, thr?.ms),
        ms(ours), graph ? `${ms(graph.ms)} (${graph.by})` : '—', ratioCell(ours, graph?.ms), check,
      ]);
      for (const [what, x] of [['eager', t.eager], ['compiled', t.compiled], [t.fusedOp?.name ?? 'fused op', t.fusedOp]] as const) {
        if (x?.error) misses.push(`- **${pattern.id} ${r.size}**: PyTorch ${what} failed: ${x.error}`);
      }
      if (t.compileError) misses.push(`- **${pattern.id} ${r.size}**: torch.compile failed: ${t.compileError}`);
      if (t.error) misses.push(`- **${pattern.id} ${r.size}**: PyTorch run failed: ${t.error}`);
    }
    if (rows.length === 0) continue;
    out.push(`### ${pattern.id}`, '');
    out.push(table(
      ['size', `${backend} unfused thr ms`, 'eager thr ms', `${backend} fused thr ms`, 'PyTorch best thr ms', 'ratio', `${backend} fused device ms`, 'PyTorch best graph ms', 'ratio', `≤ ${TORCH_RATIO_LIMIT}×`],
      rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ), '');
  }
  if (compared === 0) {
    out.push(`No size was measured by both: no ${backend} result shares a pattern id and params with a PyTorch row.`, '');
    return out.join('\n');
  }
  out.push(`**${within} of ${inScope}** fused sizes where PyTorch's graph time is ≥ 5 µs are within ${TORCH_RATIO_LIMIT}× of it (${compared} sizes compared).`, '');
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
  if (d.schema === 'fusebench/torch-reference@2') {
    throw new Error(`${file}: schema fusebench/torch-reference@2 timed one call between two events, which is not comparable with pipelined timing; measure again with bench/torch-reference.py (it writes @3)`);
  }
  if (d.schema !== 'fusebench/torch-reference@3') throw new Error(`${file}: field "schema" must be "fusebench/torch-reference@3" (got ${JSON.stringify(d.schema)})`);
  if (!Array.isArray(d.results)) throw new Error(`${file}: field "results" must be an array`);
  if (!d.machine || typeof d.machine.gpu !== 'string') throw new Error(`${file}: field "machine.gpu" must be a string`);
  d.results.forEach((r, i) => {
    if (typeof r.id !== 'string' || typeof r.params !== 'object' || r.params === null) throw new Error(`${file}: results[${i}] needs "id" (string) and "params" (object)`);
  });
  return d as TorchReference;
}
