/**
 * `fusebench patterns <suite-or-pipeline>`: profile first, then fuse.
 *   1. A pipeline is measured as a run measures it (the runner's measureItem, the one sampler) at one size: each
 *      stage alone against the unfused pipeline, so the stages' shares of the runtime are measured, not guessed.
 *   2. The unfused variant's kernels are recorded (tf.profile + dataflow) and the adjacent fusible pairs ranked by
 *      share of kernel time and frequency, with the Amdahl estimate of the end-to-end gain; a pair that a declared
 *      suite or pipeline already fuses names its kernel.
 *
 *   fusebench patterns <pipeline-or-suite-id> [--backend cpu] [--size 1] [--runs 5] [--top 5]
 */
import type * as tf from '@tensorflow/tfjs-core';
import { parseFlags } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { loadConfig, type FusebenchConfig } from '../core/config.ts';
import { loadBenchFiles } from '../load.ts';
import { buildSizeState } from '../measure.ts';
import { buildPipelineState } from '../measure-pipeline.ts';
import { measureItem, type PlannedItem } from '../run.ts';
import { recordKernelTrace } from '../patterns/trace.ts';
import { analyzeTrace, eventLabel } from '../patterns/rank.ts';
import { learnFusions } from '../patterns/learn.ts';
import { seededRandom } from '../core/stats.ts';
import type { BackendAdapter, PipelineSizeResult, SizeParams } from '../core/types.ts';
import { getAdapter, knownBackends } from '../../backends/registry.ts';
import { activateBackend } from '../activate.ts';
import { table } from '../report/table.ts';
import { ms, percent, speedupWithCi } from '../report/format.ts';

const USAGE = 'usage: fusebench patterns <suite-or-pipeline> [--backend cpu] [--size INDEX|LABEL] [--runs N] [--top N]';

function positiveInt(v: string | boolean | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer (got ${String(v)})`);
  return n;
}

/** Every size a declaration has, full then quick-only ones. */
function allSizes<P extends SizeParams>(sizes: { readonly full: readonly P[]; readonly quick: readonly P[] }, label: (p: P) => string): P[] {
  return [...sizes.full, ...sizes.quick.filter((q) => !sizes.full.some((f) => label(f) === label(q)))];
}

function pickSize<P extends SizeParams>(sizes: readonly P[], label: (p: P) => string, wanted: string | undefined, flag: string): P {
  if (wanted === undefined) return sizes[0]!;
  const byIndex = Number(wanted);
  if (Number.isInteger(byIndex) && byIndex >= 0 && byIndex < sizes.length) return sizes[byIndex]!;
  const byLabel = sizes.find((p) => label(p) === wanted);
  if (byLabel) return byLabel;
  throw new UsageError(`${flag}: no size "${wanted}"; sizes: ${sizes.map((p, i) => `${i} = ${label(p)}`).join(', ')}`);
}

/** The run's sampling, cut to `rounds` rounds: enough to rank stages, not to judge a speedup. */
function profilingConfig(base: FusebenchConfig, rounds: number): FusebenchConfig {
  const s = base.sampling;
  return { ...base, sampling: { ...s, quickRounds: Math.max(rounds, 2), minRounds: Math.min(s.minRounds, Math.max(rounds, 2)) } };
}

/** Step 1 for a pipeline: its stages measured through the runner, as shares of the unfused pipeline. */
function stageTable(r: PipelineSizeResult): string {
  if (r.status !== 'ok') return `The pipeline could not be measured: ${r.error ?? 'no message'}`;
  const whole = r.unfused!.throughputMs;
  return [
    `Measured (the runner's sampler, ${r.unfused!.samplesMs.length} interleaved rounds): unfused ${ms(whole)} ms, fused ${ms(r.fused!.throughputMs)} ms per call, ` +
      `${speedupWithCi(r.speedup!)} end to end; the declared fusion covers ${percent(r.coverage!.runtime.ratio)} of the runtime.`,
    '',
    table(['#', 'Stage', 'Alone (ms)', 'Share of the unfused pipeline', 'Fused group'], r.stages!.map((s, i) => [
      String(i + 1), s.name, ms(s.timing.throughputMs), percent(s.timing.throughputMs / whole), s.group ?? '',
    ]), ['r', 'l', 'r', 'r', 'l']),
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    backend: { type: 'string' }, size: { type: 'string' }, runs: { type: 'string' }, top: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(`${USAGE}\n(got ${positionals.length} positional arguments)`);
  const backend = typeof values.backend === 'string' ? values.backend : 'cpu';
  if (!knownBackends.includes(backend)) throw new UsageError(`--backend: unknown backend "${backend}"; known: ${knownBackends.join(', ')}`);
  const runs = positiveInt(values.runs, '--runs', 5);
  const top = positiveInt(values.top, '--top', 5);
  const wanted = typeof values.size === 'string' ? values.size : undefined;
  const declared = await loadBenchFiles();
  const id = positionals[0]!;
  const pipeline = declared.pipelines.find((p) => p.spec.id === id);
  const suite = declared.suites.find((s) => s.spec.id === id);
  if (!pipeline && !suite) {
    throw new UsageError(`no suite or pipeline "${id}"; pipelines: ${declared.pipelines.map((p) => p.spec.id).sort().join(', ')}; suites: ${declared.suites.map((s) => s.spec.id).sort().join(', ')}`);
  }
  const adapter: BackendAdapter = await getAdapter(backend);
  const avail = await adapter.detect();
  if (!avail.available) {
    console.error(`fusebench patterns: backend ${backend} is unavailable: ${avail.reason ?? ''}`);
    return 1;
  }
  await activateBackend(backend);
  const rng = seededRandom(1);
  let label: string;
  let run: () => tf.Tensor;
  let dispose: () => void;
  if (pipeline) {
    const { spec, file } = pipeline;
    const p = pickSize(allSizes(spec.sizes, spec.label), spec.label, wanted, '--size');
    label = spec.label(p);
    const item: PlannedItem = { kind: 'pipeline', pipeline, backend, params: p };
    const measured = await measureItem(item, adapter, { config: profilingConfig(await loadConfig(), runs), quick: true, seed: 1 });
    console.log(`pipeline ${id} at ${label} on ${backend}\n`);
    console.log(stageTable(measured.result as PipelineSizeResult));
    console.log('');
    const state = buildPipelineState(file, spec, p, rng);
    run = state.unfused;
    dispose = state.dispose;
  } else {
    const spec = suite!.spec;
    const p = pickSize(spec.sizes.full, spec.label, wanted, '--size');
    label = spec.label(p);
    const state = buildSizeState(spec, p, rng);
    run = state.unfused;
    dispose = state.dispose;
  }
  try {
    const knowledge = await learnFusions(declared);
    const trace = await recordKernelTrace(run, runs);
    const analysis = analyzeTrace(trace, knowledge);
    console.log(`${pipeline ? 'pipeline' : 'suite'} ${id} at ${label} on ${backend}: ${analysis.kernels} kernels, ${analysis.totalMs.toFixed(3)} ms of kernel time (median of ${runs} runs, tf.profile)\n`);
    console.log('Executed kernel sequence (unfused variant):');
    console.log(table(['#', 'Kernel', 'Output shape', 'ms', 'share'], trace.events.map((e, i) => [
      String(i + 1), eventLabel(e), `[${e.outputShapes[0]?.join(', ') ?? ''}]`, e.timeMs.toFixed(3), analysis.totalMs > 0 ? `${((e.timeMs / analysis.totalMs) * 100).toFixed(1)}%` : '—',
    ])));
    console.log('');
    if (analysis.candidates.length === 0) {
      console.log('No adjacent fusible pair (elementwise producer → consumer, same shape, intermediate used once).');
    } else {
      console.log(`Top ${Math.min(top, analysis.candidates.length)} fusion candidates (overlapping pairs are alternatives, not additive):`);
      console.log(table(['Rank', 'Pair', 'Occurrences', 'Runtime share', 'Byte-model micro speedup', 'Amdahl end-to-end gain', 'Fused kernel'], analysis.candidates.slice(0, top).map((c, i) => [
        String(i + 1), c.pattern, String(c.occurrences), `${(c.runtimeShare * 100).toFixed(1)}%`, `${c.byteModelSpeedup.toFixed(2)}×`, `${c.estimatedGain.toFixed(3)}×`, c.fusedKernel ?? 'none declared',
      ])));
      console.log('\nGain = 1 / ((1 − share) + share / s) with s from the bytes the fused kernel no longer moves (memory-bound assumption); measure before building (`fusebench run`).');
    }
    if (analysis.rejected.length) {
      console.log('\nNot fusible:');
      for (const r of analysis.rejected) console.log(`  ${r.pattern}: ${r.reason}`);
    }
  } finally {
    dispose();
  }
  return 0;
}
