/**
 * PyTorch on the same CPU as the yardstick for the cpu, wasm and tensorflow backends (issue 21): reads what
 * bench/torch-cpu-reference.py writes (schemas/torch-cpu-reference.schema.json) and pairs it with a run's results,
 * per pattern and size: PyTorch's unfused (eager), fused and torch.compile times and the best of them, PyTorch's
 * own fusion speedup, our unfused and fused times, and our fused time ÷ PyTorch's best; per backend, the geometric
 * mean of that ratio. Pure functions and one plain Markdown table; where the table goes in a report is the report's.
 */
import type { Prediction, RunResults, SizeParams } from '../core/types.ts';
import { DocumentValidationError, documentProblems, readJsonDocument, schemaValidator } from '../json-schema.ts';
import { ms, times } from './format.ts';
import { geomean } from './aggregate.ts';
import { table } from './table.ts';

export const TORCH_CPU_SCHEMA_FILE = new URL('../../schemas/torch-cpu-reference.schema.json', import.meta.url);

export type TorchVariant = 'eager' | 'fused' | 'compiled';
export const TORCH_VARIANTS: readonly TorchVariant[] = ['eager', 'fused', 'compiled'];

/** One row: a pattern at one size and thread count. A variant that was not measured is absent (see `skipped`). */
export interface TorchCpuRow {
  readonly id: string;
  readonly label: string;
  readonly params: SizeParams;
  readonly threads: number;
  readonly eagerMs?: number;
  readonly fusedMs?: number;
  readonly compiledMs?: number;
  readonly eagerRoundsMs?: readonly number[];
  readonly fusedRoundsMs?: readonly number[];
  readonly compiledRoundsMs?: readonly number[];
  readonly compileSeconds?: number;
}

type LoadAverage = readonly [number, number, number] | null;

export interface TorchCpuReference {
  readonly schema: 'fusebench/torch-cpu-reference@1';
  readonly createdAt: string;
  readonly command: string;
  readonly machine: {
    readonly hostname: string; readonly cpu: string; readonly logicalCpus: number | null; readonly torchThreads: number;
    readonly torch: string; readonly python: string; readonly cxx: string | null;
  };
  readonly load: { readonly before: LoadAverage; readonly after: LoadAverage; readonly seconds: number };
  readonly dtype: 'float32';
  readonly quick: boolean;
  readonly threads: readonly number[];
  readonly timing: string;
  readonly variants: Readonly<Record<TorchVariant, string>>;
  readonly check: string;
  readonly fusedForms: Readonly<Record<string, string>>;
  readonly results: readonly TorchCpuRow[];
  readonly skipped: Readonly<Record<string, string>>;
}

const validator = schemaValidator(TORCH_CPU_SCHEMA_FILE);

/** What the schema cannot state: thread counts the run lists, one row per size and thread count, figures = lowest round. */
function crossChecks(doc: TorchCpuReference): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  doc.results.forEach((r, i) => {
    const at = `/results/${i}`;
    if (!doc.threads.includes(r.threads)) problems.push(`${at}/threads ${r.threads} is not among /threads (${doc.threads.join(', ')})`);
    const key = `${r.id}\u0000${r.label}\u0000${r.threads}`;
    if (seen.has(key)) problems.push(`${at} repeats ${r.id} ${r.label} at ${r.threads} thread(s)`);
    seen.add(key);
    for (const v of TORCH_VARIANTS) {
      const figure = r[`${v}Ms`], rounds = r[`${v}RoundsMs`];
      if (rounds && figure === undefined) problems.push(`${at}/${v}RoundsMs has no ${v}Ms`);
      if (rounds && figure !== undefined && figure !== Math.min(...rounds)) problems.push(`${at}/${v}Ms must be the lowest of /${v}RoundsMs`);
    }
  });
  return problems;
}

/** The faults of a document, each `<JSON path> <problem>`; empty when it is valid. */
export function torchCpuProblems(doc: unknown): string[] {
  return documentProblems(doc, validator(), crossChecks);
}

/** Parses and validates bench/torch-cpu-reference.py's JSON; errors name `file` and the path of each fault. */
export function parseTorchCpuReference(text: string, file: string): TorchCpuReference {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const problems = torchCpuProblems(doc);
  if (problems.length) throw new DocumentValidationError(file, problems);
  return doc as TorchCpuReference;
}

export function loadTorchCpuReference(file: string): TorchCpuReference {
  const doc = readJsonDocument(file);
  const problems = torchCpuProblems(doc);
  if (problems.length) throw new DocumentValidationError(file, problems);
  return doc as TorchCpuReference;
}

/** PyTorch at one size and thread count. */
export interface TorchFigures {
  readonly unfusedMs?: number;
  readonly fusedMs?: number;
  readonly compiledMs?: number;
  /** The fastest of the three, and which it was. */
  readonly bestMs?: number;
  readonly best?: TorchVariant;
  /** PyTorch's own fusion speedup: eager ÷ the faster of its fused form and torch.compile. */
  readonly fusionSpeedup?: number;
}

export function torchFigures(row: TorchCpuRow): TorchFigures {
  const byVariant: Array<[TorchVariant, number | undefined]> = [['eager', row.eagerMs], ['fused', row.fusedMs], ['compiled', row.compiledMs]];
  const measured = byVariant.filter((e): e is [TorchVariant, number] => e[1] !== undefined);
  const best = measured.reduce<[TorchVariant, number] | undefined>((b, e) => (b === undefined || e[1] < b[1] ? e : b), undefined);
  const fusedSide = [row.fusedMs, row.compiledMs].filter((x): x is number => x !== undefined);
  return {
    unfusedMs: row.eagerMs,
    fusedMs: row.fusedMs,
    compiledMs: row.compiledMs,
    bestMs: best?.[1],
    best: best?.[0],
    fusionSpeedup: row.eagerMs !== undefined && fusedSide.length ? row.eagerMs / Math.min(...fusedSide) : undefined,
  };
}

/** Same size on both sides: PyTorch rows carry the suite's params verbatim. */
function sameParams(a: SizeParams, b: SizeParams): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** One pattern at one size on one backend, beside PyTorch at the same size and thread count. */
export interface TorchCpuComparison {
  readonly pattern: string;
  readonly size: string;
  readonly backend: string;
  readonly threads: number;
  readonly oursUnfusedMs?: number;
  readonly oursFusedMs?: number;
  /** Our fusion speedup as the run judged it (its processes' ratios of medians, geometric mean). */
  readonly oursSpeedup?: number;
  readonly torch: TorchFigures;
  /** Our fused time ÷ PyTorch's best time: how many times PyTorch's time we take. */
  readonly fusedOverTorchBest?: number;
}

/**
 * Every size a backend measured (status ok) that PyTorch measured at `threads`, in the run's order of patterns,
 * sizes and backends. Our times are wall medians per call (the CPU backends report no kernel time).
 */
export function compareWithTorch(results: RunResults, torch: TorchCpuReference, threads = 1): TorchCpuComparison[] {
  const out: TorchCpuComparison[] = [];
  for (const pattern of results.patterns) {
    const rows = torch.results.filter((t) => t.id === pattern.id && t.threads === threads);
    for (const r of pattern.results) {
      if (r.status !== 'ok') continue;
      const t = rows.find((x) => sameParams(x.params, r.params));
      if (!t) continue;
      const figures = torchFigures(t);
      const fused = r.fused?.throughputMs;
      out.push({
        pattern: pattern.id, size: r.size, backend: r.backend, threads,
        oursUnfusedMs: r.unfused?.throughputMs, oursFusedMs: fused, oursSpeedup: r.speedup?.ratio,
        torch: figures,
        fusedOverTorchBest: fused !== undefined && figures.bestMs !== undefined ? fused / figures.bestMs : undefined,
      });
    }
  }
  return out;
}

export interface BackendDistance {
  readonly backend: string;
  /** Geometric mean of our fused time ÷ PyTorch's best over `sizes` sizes, and its range. */
  readonly geomean: number;
  readonly min: number;
  readonly max: number;
  readonly sizes: number;
}

/** Per backend, in order of first appearance: how far its fused variants are from PyTorch's best. */
export function backendDistances(rows: readonly TorchCpuComparison[]): BackendDistance[] {
  const byBackend = new Map<string, number[]>();
  for (const r of rows) {
    if (r.fusedOverTorchBest === undefined) continue;
    byBackend.set(r.backend, [...(byBackend.get(r.backend) ?? []), r.fusedOverTorchBest]);
  }
  return [...byBackend].map(([backend, ratios]) => ({
    backend, geomean: geomean(ratios), min: Math.min(...ratios), max: Math.max(...ratios), sizes: ratios.length,
  }));
}

/** A ratio's range over a pattern's sizes on one backend. */
export interface PatternRange {
  readonly pattern: string;
  readonly backend: string;
  readonly min: number;
  readonly max: number;
  readonly sizes: number;
}

/** Per pattern and backend, the range of `pick` over the sizes where it is defined (e.g. fused ÷ PyTorch's best). */
export function patternRanges(rows: readonly TorchCpuComparison[], pick: (r: TorchCpuComparison) => number | undefined): PatternRange[] {
  const groups = new Map<string, { pattern: string; backend: string; values: number[] }>();
  for (const r of rows) {
    const v = pick(r);
    if (v === undefined) continue;
    const key = `${r.pattern}\u0000${r.backend}`;
    const g = groups.get(key) ?? { pattern: r.pattern, backend: r.backend, values: [] };
    g.values.push(v);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ pattern: g.pattern, backend: g.backend, min: Math.min(...g.values), max: Math.max(...g.values), sizes: g.values.length }));
}

/** A pattern's CPU prediction from the study beside what PyTorch's own fusion and ours measured on this machine. */
export interface StudyCheck {
  readonly pattern: string;
  readonly predicted: Prediction;
  /** Range of PyTorch's fusion speedup (eager ÷ the faster of its fused form and torch.compile) over the sizes. */
  readonly torch?: { readonly min: number; readonly max: number; readonly sizes: number };
  /** Whether PyTorch's range meets the predicted one: the study's finding reproduces with the study's own tool. */
  readonly torchMeetsPrediction?: boolean;
  /** Our fusion speedups (as the run judged them), range per backend, at the sizes PyTorch measured too. */
  readonly ours: readonly PatternRange[];
}

/** For every pattern of the run that PyTorch measured at `threads`, the study's CPU prediction against both. */
export function studyChecks(results: RunResults, torch: TorchCpuReference, threads = 1): StudyCheck[] {
  const rows = compareWithTorch(results, torch, threads);
  const out: StudyCheck[] = [];
  for (const pattern of results.patterns) {
    const speedups = torch.results
      .filter((t) => t.id === pattern.id && t.threads === threads && pattern.results.some((r) => sameParams(r.params, t.params)))
      .map((t) => torchFigures(t).fusionSpeedup)
      .filter((x): x is number => x !== undefined);
    const ours = patternRanges(rows.filter((r) => r.pattern === pattern.id), (r) => r.oursSpeedup);
    if (!speedups.length && !ours.length) continue;
    const predicted = pattern.predictions.cpu;
    const range = speedups.length ? { min: Math.min(...speedups), max: Math.max(...speedups), sizes: speedups.length } : undefined;
    out.push({
      pattern: pattern.id, predicted, torch: range, ours,
      torchMeetsPrediction: range ? range.min <= predicted.max && range.max >= predicted.min : undefined,
    });
  }
  return out;
}

/** The comparison as one plain Markdown table (ratios: our time ÷ PyTorch's; above 1 = slower than PyTorch). */
export function torchCpuTable(rows: readonly TorchCpuComparison[]): string {
  const header = ['pattern', 'size', 'backend', 'ours unfused ms', 'ours fused ms', 'PyTorch eager ms', 'PyTorch fused ms', 'torch.compile ms', 'PyTorch best', 'PyTorch fusion', 'fused ÷ PyTorch best'];
  const body = rows.map((r) => [
    r.pattern, r.size, r.backend, ms(r.oursUnfusedMs), ms(r.oursFusedMs), ms(r.torch.unfusedMs), ms(r.torch.fusedMs), ms(r.torch.compiledMs),
    r.torch.best ? `${ms(r.torch.bestMs)} (${r.torch.best})` : 'n/a', times(r.torch.fusionSpeedup), times(r.fusedOverTorchBest),
  ]);
  return table(header, body, ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']);
}

/** The `## ` section for DETAILS.md: per backend the distance to PyTorch's best on the same CPU, then every size. */
export function renderTorchCpuSection(results: RunResults, torch: TorchCpuReference, threads = 1): string {
  const rows = compareWithTorch(results, torch, threads);
  const out = [
    '## fusebench vs PyTorch on the same CPU',
    '',
    `PyTorch ${torch.machine.torch} on ${torch.machine.cpu}, ${threads} thread(s), ${torch.createdAt}: \`${torch.command}\`. ` +
      'Ratios are our fused time ÷ PyTorch\'s best of eager, its own fused form and torch.compile (above 1: slower than PyTorch).',
    '',
  ];
  if (rows.length === 0) {
    out.push('No size was measured by both: no result shares a pattern id and params with a PyTorch row at this thread count.');
    return out.join('\n');
  }
  const distances = backendDistances(rows);
  out.push(...distances.map((d) => `- **${d.backend}:** fused ÷ PyTorch's best ${times(d.geomean)} (geometric mean over ${d.sizes} sizes; ${times(d.min)}–${times(d.max)})`), '');
  out.push(torchCpuTable(rows));
  return out.join('\n');
}
