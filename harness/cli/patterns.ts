/**
 * `fusebench patterns <suite-or-pipeline>`: runs the unfused variant of a suite or pipeline, records the
 * kernels it executes (tf.profile + dataflow), and ranks the adjacent fusible pairs by share of runtime and
 * frequency, with the Amdahl estimate of the end-to-end gain.
 *
 *   fusebench patterns TernaryImagePipeline [--backend cpu] [--size 1] [--runs 5] [--top 5]
 */
import { markdownTable } from 'markdown-table';
import type * as tf from '@tensorflow/tfjs-core';
import { parseFlags } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { loadPipelineFiles } from '../pipeline/spec.ts';
import { buildPipelineState } from '../pipeline/measure.ts';
import { loadSuiteFiles } from '../load.ts';
import { buildSizeState } from '../measure.ts';
import { recordKernelTrace } from '../pipeline/trace.ts';
import { analyzeTrace, eventLabel } from '../pipeline/patterns.ts';
import { seededRandom } from '../core/stats.ts';
import type { SizeParams } from '../core/types.ts';
import { getAdapter, knownBackends } from '../../backends/registry.ts';
import { activateBackend } from '../activate.ts';

const USAGE = 'usage: fusebench patterns <suite-or-pipeline> [--backend cpu] [--size INDEX|LABEL] [--runs N] [--top N]';

function positiveInt(v: string | boolean | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer (got ${String(v)})`);
  return n;
}

function pickSize<P extends SizeParams>(sizes: readonly P[], label: (p: P) => string, wanted: string | undefined, flag: string): P {
  if (wanted === undefined) return sizes[0];
  const byIndex = Number(wanted);
  if (Number.isInteger(byIndex) && byIndex >= 0 && byIndex < sizes.length) return sizes[byIndex];
  const byLabel = sizes.find((p) => label(p) === wanted);
  if (byLabel) return byLabel;
  throw new UsageError(`${flag}: no size "${wanted}"; sizes: ${sizes.map((p, i) => `${i} = ${label(p)}`).join(', ')}`);
}

interface Target {
  readonly kind: 'pipeline' | 'suite';
  readonly sizeLabel: string;
  readonly run: () => tf.Tensor;
  dispose(): void;
}

async function resolveTarget(id: string, size: string | undefined): Promise<Target> {
  const rng = seededRandom(1);
  const pipeline = (await loadPipelineFiles()).find((p) => p.spec.id === id);
  if (pipeline) {
    const sizes = [...pipeline.spec.sizes.full, ...pipeline.spec.sizes.quick.filter((q) => !pipeline.spec.sizes.full.some((f) => pipeline.spec.label(f) === pipeline.spec.label(q)))];
    const p = pickSize(sizes, pipeline.spec.label, size, '--size');
    const state = buildPipelineState(pipeline.spec, p, rng);
    return { kind: 'pipeline', sizeLabel: pipeline.spec.label(p), run: () => state.unfused(), dispose: () => state.dispose() };
  }
  const suites = await loadSuiteFiles();
  const suite = suites.find((s) => s.spec.id === id);
  if (!suite) {
    const pipelines = (await loadPipelineFiles()).map((p) => p.spec.id);
    throw new UsageError(`no suite or pipeline "${id}"; pipelines: ${pipelines.join(', ')}; suites: ${suites.map((s) => s.spec.id).sort().join(', ')}`);
  }
  const p = pickSize(suite.spec.sizes.full, suite.spec.label, size, '--size');
  const state = buildSizeState(suite.spec, p, rng);
  return { kind: 'suite', sizeLabel: suite.spec.label(p), run: () => state.unfused(), dispose: () => state.dispose() };
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
  const adapter = await getAdapter(backend);
  const avail = await adapter.detect();
  if (!avail.available) {
    console.error(`fusebench patterns: backend ${backend} is unavailable: ${avail.reason ?? ''}`);
    return 1;
  }
  await activateBackend(backend);
  const target = await resolveTarget(positionals[0], typeof values.size === 'string' ? values.size : undefined);
  try {
    const trace = await recordKernelTrace(target.run, runs);
    const analysis = analyzeTrace(trace);
    console.log(`${target.kind} ${positionals[0]} at ${target.sizeLabel} on ${backend}: ${analysis.kernels} kernels, ${analysis.totalMs.toFixed(3)} ms of kernel time (median of ${runs} runs, tf.profile)\n`);
    console.log('Executed kernel sequence (unfused variant):');
    console.log(markdownTable([['#', 'Kernel', 'Output shape', 'ms', 'share'], ...trace.events.map((e, i) => [
      String(i + 1), eventLabel(e), `[${e.outputShapes[0]?.join(', ') ?? ''}]`, e.timeMs.toFixed(3), analysis.totalMs > 0 ? `${((e.timeMs / analysis.totalMs) * 100).toFixed(1)}%` : '—',
    ])]));
    console.log('');
    if (analysis.candidates.length === 0) {
      console.log('No adjacent fusible pair (elementwise producer → consumer, same shape, intermediate used once).');
    } else {
      console.log(`Top ${Math.min(top, analysis.candidates.length)} fusion candidates (overlapping pairs are alternatives, not additive):`);
      console.log(markdownTable([['Rank', 'Pair', 'Occurrences', 'Runtime share', 'Byte-model micro speedup', 'Amdahl end-to-end gain', 'Fused kernel'], ...analysis.candidates.slice(0, top).map((c, i) => [
        String(i + 1), c.pattern, String(c.occurrences), `${(c.runtimeShare * 100).toFixed(1)}%`, `${c.byteModelSpeedup.toFixed(2)}×`, `${c.estimatedGain.toFixed(3)}×`, c.fusedKernel ?? 'none yet',
      ])]));
      console.log('\nGain = 1 / ((1 − share) + share / s) with s from the bytes the fused kernel no longer moves (memory-bound assumption); measure before building (`fusebench run`).');
    }
    if (analysis.rejected.length) {
      console.log('\nNot fusible:');
      for (const r of analysis.rejected) console.log(`  ${r.pattern}: ${r.reason}`);
    }
  } finally {
    target.dispose();
  }
  return 0;
}
