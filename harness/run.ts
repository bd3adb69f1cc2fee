/**
 * Runs suites on backends and collects a `RunResults`. Front ends (CLI, vitest) call this; it never exits
 * the process and never throws for a failing backend or size: those are recorded and the run goes on.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendAdapter, BackendStatus, PatternResult, RegisteredSuite, RunResults, SizeResult } from './core/types.ts';
import type { FusebenchConfig } from './core/config.ts';
import { measureSize } from './measure.ts';
import { measureOverhead } from './core/sampler.ts';
import { UsageError } from './core/errors.ts';
import { measureCeilings, type CeilingOptions, type MeasuredCeilings } from './ceilings/index.ts';
import { machineInfo } from './machine.ts';
import { detectAll } from '../backends/registry.ts';
import { activateBackend } from './activate.ts';

export interface RunOptions {
  readonly suites: readonly RegisteredSuite[];
  /** Backend names to use; undefined = every available one. */
  readonly backends?: readonly string[];
  readonly quick: boolean;
  readonly config: FusebenchConfig;
  readonly command: string;
  readonly onProgress?: (line: string) => void;
  /** Measure the backend's roofline ceilings first (a few seconds per backend). */
  readonly ceilings?: CeilingOptions;
}

/** Detects backends and narrows them to the selection; a selected but unavailable backend is kept, with its reason. */
export async function resolveBackends(selected?: readonly string[]): Promise<BackendStatus[]> {
  const all = await detectAll();
  return selected ? all.filter((b) => selected.includes(b.name)) : all;
}

/** The sampling rules of a run, as results.json records them (reports describe the run from these, not from today's config). */
export function samplingRecord(config: FusebenchConfig, quick: boolean): RunResults['sampling'] {
  const s = config.sampling;
  return {
    rounds: quick ? s.quickRounds : s.rounds, warmup: s.warmup, bootstrap: s.bootstrapResamples, timing: describeTiming(config),
    method: 'pipelined', cache: s.cache, minSampleMs: s.minSampleMs, maxSecondsPerSize: s.maxSecondsPerSize, minRounds: s.minRounds,
  };
}

export function describeTiming(config: FusebenchConfig): string {
  const s = config.sampling;
  const sample = s.cache === 'cold'
    ? 'cold caches: before every sample the caches are evicted (outside the timed region) and a sample is one call then the device fence'
    : `throughput: each sample is K back-to-back calls (K raised until a sample lasts ≥ ${s.minSampleMs} ms) then one device fence, nothing read back, ÷ K`;
  return `${sample}; latency: one lone call then the fence; device time: the device's own clock over the K calls (CUDA events with the stream held ` +
    `until all are queued; WebGPU timestamp queries per pass), where the backend has one; unfused and fused interleaved in alternating order each round; ` +
    `each warmed up first (≥ ${s.warmup} calls and ≥ ${s.warmupMs} ms)`;
}

/** A suite's declaration and its measured sizes, as results.json records a pattern. */
export function patternResult({ spec, file }: RegisteredSuite, results: readonly SizeResult[]): PatternResult {
  return {
    id: spec.id,
    family: spec.family,
    title: spec.title,
    file,
    fusedBy: spec.fusedBy,
    standsFor: spec.standsFor ?? [],
    predictions: spec.predictions,
    ...(spec.minSpeedup ? { minSpeedup: spec.minSpeedup } : {}),
    notes: spec.notes ?? [],
    results,
  };
}

/** Per-call cost of a one-element op through the sampler (tidy, dispose, K = 100, one fence) and bare (see measureOverhead). */
export async function harnessOverhead(adapter: BackendAdapter): Promise<{ harnessMs: number; bareMs: number }> {
  const one = tf.scalar(1);
  try {
    return await measureOverhead(adapter, () => {
      const out = tf.tidy(() => tf.neg(one));
      return () => out.dispose();
    }, () => tf.neg(one).dispose());
  } finally {
    one.dispose();
  }
}

/** The backend's measured facts for results.json: its device, the harness overhead, and cold-cache support. */
export async function backendFacts(adapter: BackendAdapter, config: FusebenchConfig): Promise<Pick<BackendStatus, 'device' | 'harnessOverheadMs' | 'bareDispatchMs' | 'evictionMethod'>> {
  if (config.sampling.cache === 'cold' && !adapter.evictCache) {
    throw new UsageError(`sampling.cache "cold": backend ${adapter.name} cannot evict its caches; use "warm" or leave ${adapter.name} out`);
  }
  const overhead = await harnessOverhead(adapter);
  return {
    device: adapter.describe(),
    harnessOverheadMs: overhead.harnessMs,
    bareDispatchMs: overhead.bareMs,
    ...(config.sampling.cache === 'cold' && adapter.evictionMethod ? { evictionMethod: adapter.evictionMethod } : {}),
  };
}

/** One line per measured size: throughput unfused → fused, the speedup and its interval, device time where measured. */
export function progressLine(backend: string, id: string, r: SizeResult): string {
  const head = `${backend.padEnd(8)} ${id.padEnd(24)} ${r.size.padEnd(22)}`;
  if (r.status !== 'ok') return `${head} FAILED: ${r.error}`;
  const u = r.unfused!, f = r.fused!;
  const dev = u.deviceMs !== undefined && f.deviceMs !== undefined ? `  device ${(u.deviceMs / f.deviceMs).toFixed(2)}×` : '';
  return `${head} ${u.throughputMs.toFixed(4)} ms → ${f.throughputMs.toFixed(4)} ms  ${r.speedup!.ratio.toFixed(2)}× [${r.speedup!.lo.toFixed(2)}, ${r.speedup!.hi.toFixed(2)}]${dev}  ${r.judgement!.verdict}`;
}

export async function runSuites(opts: RunOptions): Promise<RunResults> {
  const log = opts.onProgress ?? (() => {});
  const statuses = await resolveBackends(opts.backends);
  const bySuite = new Map<string, SizeResult[]>(opts.suites.map((s) => [s.spec.id, []]));
  const backendsOut: BackendStatus[] = [];
  for (const status of statuses) {
    if (!status.available) {
      backendsOut.push(status);
      log(`backend ${status.name}: unavailable (${status.reason ?? 'no reason given'})`);
      continue;
    }
    let adapter: BackendAdapter;
    try {
      adapter = await activateBackend(status.name);
    } catch (e) {
      backendsOut.push({ ...status, available: false, reason: `init failed: ${(e as Error).message}` });
      log(`backend ${status.name}: init failed: ${(e as Error).message}`);
      continue;
    }
    let ceilings: MeasuredCeilings | undefined;
    if (opts.ceilings) {
      try {
        ceilings = await measureCeilings(adapter, { ...opts.ceilings, onProgress: log });
        log(`backend ${adapter.name}: ceilings ${ceilings.matmul_gflops.toFixed(1)} GFLOP/s matmul, ${ceilings.bandwidth_gbps.toFixed(1)} GB/s elementwise`);
      } catch (e) {
        log(`backend ${adapter.name}: ceilings failed: ${(e as Error).message}`);
      }
    }
    const facts = await backendFacts(adapter, opts.config);
    const stateAtStart = adapter.deviceState?.();
    for (const suite of opts.suites) {
      const sizes = opts.quick ? suite.spec.sizes.quick : suite.spec.sizes.full;
      for (const p of sizes) {
        const r = await measureSize(suite.file, suite.spec, adapter, p, { config: opts.config, quick: opts.quick });
        bySuite.get(suite.spec.id)!.push(r);
        log(progressLine(adapter.name, suite.spec.id, r));
      }
    }
    const stateAtEnd = adapter.deviceState?.();
    backendsOut.push({ ...status, ...facts, ...(stateAtStart && stateAtEnd ? { deviceState: { start: stateAtStart, end: stateAtEnd } } : {}), ...(ceilings ? { ceilings } : {}) });
    await adapter.teardown();
  }
  const patterns = opts.suites.map((suite) => patternResult(suite, bySuite.get(suite.spec.id) ?? []));
  const s = opts.config.sampling;
  return {
    schema: 'fusebench/results@1',
    createdAt: new Date().toISOString(),
    command: opts.command,
    quick: opts.quick,
    machine: machineInfo(),
    sampling: samplingRecord(opts.config, opts.quick),
    backends: backendsOut,
    patterns,
  };
}

export { tf };
