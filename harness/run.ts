/**
 * Runs suites on backends and collects a `RunResults`. Front ends (CLI, vitest) call this; it never exits
 * the process and never throws for a failing backend or size: those are recorded and the run goes on.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  BackendAdapter, BackendStatus, PipelineSizeResult, RegisteredPipeline, RegisteredSuite, RunResults, SizeParams, SizeResult,
} from './core/types.ts';
import type { FusebenchConfig } from './core/config.ts';
import { measureSize, openSize, sampleOn, sampleSession, type MeasureOptions, type Sampling, type Session } from './measure.ts';
import { openPipelineSize } from './measure-pipeline.ts';
import { measureOverhead } from './core/sampler.ts';
import { UsageError } from './core/errors.ts';
import { measureCeilings, type CeilingOptions, type MeasuredCeilings } from './ceilings/index.ts';
import { machineInfo } from './machine.ts';
import { detectAll } from '../backends/registry.ts';
import { activateBackend } from './activate.ts';
import { measurePasses, processesFor } from './passes.ts';
import { assembleResults, patternHeader, pipelineHeader } from './results.ts';
import { loadBenchFiles } from './load.ts';
import { judgeSize } from './core/verdicts.ts';
import { verdictText } from './report/format.ts';

export interface RunOptions {
  readonly suites: readonly RegisteredSuite[];
  /** Macro pipelines to measure after the suites, on each backend. */
  readonly pipelines?: readonly RegisteredPipeline[];
  /** Backend names to use; undefined = every available one. */
  readonly backends?: readonly string[];
  readonly quick: boolean;
  readonly config: FusebenchConfig;
  readonly command: string;
  readonly onProgress?: (line: string) => void;
  /** Where the backend selection came from, for errors (`--backends`, FUSEBENCH_BACKENDS). */
  readonly backendsSource?: string;
  /** Measure the backend's roofline ceilings first (a few seconds per backend). */
  readonly ceilings?: CeilingOptions;
}

/**
 * Detects backends and narrows them to the selection. A backend the user asked for by name (`source` says where:
 * `--backends`, FUSEBENCH_BACKENDS) that is unavailable is unusable input, with its reason; without a selection,
 * unavailable backends are kept in the list with theirs.
 */
export async function resolveBackends(selected?: readonly string[], source = 'the backend selection'): Promise<BackendStatus[]> {
  const chosen = await detectAll(selected);
  if (!selected) return chosen;
  const missing = chosen.filter((b) => !b.available);
  if (missing.length) {
    throw new UsageError(`${source}: ${missing.map((b) => `${b.name} is unavailable here (${b.reason ?? 'no reason given'})${b.installHint ? `; ${b.installHint}` : ''}`).join('; ')}`);
  }
  return chosen;
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

/**
 * `[done/total · ETA 3m10s]` for progress lines: the time left, from the mean time per measurement so far. The total
 * counts every size in every process; a size that converges early skips its later processes, so the ETA errs long.
 */
export function progressClock(total: number, now: () => number = () => performance.now()): () => string {
  const start = now();
  let done = 0;
  return () => {
    done++;
    const left = ((now() - start) / done) * (total - done) / 1000;
    const eta = left >= 60 ? `${Math.floor(left / 60)}m${String(Math.round(left % 60)).padStart(2, '0')}s` : `${Math.round(left)}s`;
    return `[${done}/${total} · ETA ${eta}]`;
  };
}

/** One line per measured size (a suite's or a pipeline's): throughput unfused → fused, the speedup and its interval, device time where measured. */
export function progressLine(backend: string, id: string, r: SizeResult | PipelineSizeResult): string {
  const head = `${backend.padEnd(8)} ${id.padEnd(24)} ${r.size.padEnd(22)}`;
  if (r.status !== 'ok') return `${head} FAILED: ${r.error}`;
  const u = r.unfused!, f = r.fused!;
  const dev = u.deviceMs !== undefined && f.deviceMs !== undefined ? `  device ${(u.deviceMs / f.deviceMs).toFixed(2)}×` : '';
  const procs = 'processes' in r && r.processes && r.processes.length > 1 ? `  ${r.processes.length} processes` : '';
  const budget = r.stoppedBy === 'budget' ? ' (time budget hit)' : '';
  const coverage = 'coverage' in r && r.coverage ? `  runtime coverage ${(r.coverage.runtime.ratio * 100).toFixed(0)}%` : '';
  return `${head} ${u.throughputMs.toFixed(4)} ms → ${f.throughputMs.toFixed(4)} ms  ${r.speedup!.ratio.toFixed(2)}× [${r.speedup!.lo.toFixed(2)}, ${r.speedup!.hi.toFixed(2)}]${dev}${procs}${coverage}${budget}  ${verdictText(judgeSize(r))}`;
}

/**
 * One planned measurement: a suite or a pipeline at one of its sizes on one backend. Plain data and the
 * declaration it names, nothing of the process that planned it: the function that measures it (openItem,
 * measureItem) depends only on the item, the backend adapter and the options, so it may run in any process.
 */
export type PlannedItem =
  | { readonly kind: 'suite'; readonly suite: RegisteredSuite; readonly backend: string; readonly params: SizeParams }
  | { readonly kind: 'pipeline'; readonly pipeline: RegisteredPipeline; readonly backend: string; readonly params: SizeParams };

/** A planned suite size: what passes.ts measures in several processes. */
export type PlannedSize = Extract<PlannedItem, { readonly kind: 'suite' }>;

/** A planned item as plain data (JSON-safe), for another process: it names its declaration by file and id. */
export interface PlannedItemRef {
  readonly kind: PlannedItem['kind'];
  readonly file: string;
  readonly id: string;
  readonly backend: string;
  readonly params: SizeParams;
}

export function itemRef(item: PlannedItem): PlannedItemRef {
  const { file, spec } = item.kind === 'suite' ? item.suite : item.pipeline;
  return { kind: item.kind, file, id: spec.id, backend: item.backend, params: item.params };
}

/** The planned item a reference names, its declaration loaded from its file (as a worker process would). */
export async function resolveItemRef(ref: PlannedItemRef): Promise<PlannedItem> {
  const declared = await loadBenchFiles([ref.file]);
  if (ref.kind === 'suite') {
    const suite = declared.suites.find((s) => s.spec.id === ref.id);
    if (suite) return { kind: 'suite', suite, backend: ref.backend, params: ref.params };
  } else {
    const pipeline = declared.pipelines.find((p) => p.spec.id === ref.id);
    if (pipeline) return { kind: 'pipeline', pipeline, backend: ref.backend, params: ref.params };
  }
  throw new UsageError(`${ref.file} declares no ${ref.kind} "${ref.id}"`);
}

/** What measuring a planned item gives: the result, filed under the suite's or pipeline's id. */
export type MeasuredItem =
  | { readonly kind: 'suite'; readonly id: string; readonly result: SizeResult }
  | { readonly kind: 'pipeline'; readonly id: string; readonly result: PipelineSizeResult };

export interface Declared {
  readonly suites: readonly RegisteredSuite[];
  readonly pipelines?: readonly RegisteredPipeline[];
}

/**
 * The plan of a run: backends × (suites, then pipelines) × sizes, in that order (a backend is activated once
 * for all its items, and a pipeline's micro suite is measured before it).
 */
export function planRun(declared: Declared, backends: readonly BackendStatus[], quick: boolean): PlannedItem[] {
  const plan: PlannedItem[] = [];
  for (const b of backends) {
    if (!b.available) continue;
    for (const suite of declared.suites) for (const params of quick ? suite.spec.sizes.quick : suite.spec.sizes.full) plan.push({ kind: 'suite', suite, backend: b.name, params });
    for (const pipeline of declared.pipelines ?? []) for (const params of quick ? pipeline.spec.sizes.quick : pipeline.spec.sizes.full) plan.push({ kind: 'pipeline', pipeline, backend: b.name, params });
  }
  return plan;
}

/** The id and size label of a planned item. */
export function itemName(item: PlannedItem): { id: string; size: string } {
  return item.kind === 'suite'
    ? { id: item.suite.spec.id, size: item.suite.spec.label(item.params) }
    : { id: item.pipeline.spec.id, size: item.pipeline.spec.label(item.params) };
}

/** An item opened for sampling, or its result when it failed before any timing. */
export type OpenedItem =
  | { readonly kind: 'suite'; readonly session: Session<SizeResult> | SizeResult }
  | { readonly kind: 'pipeline'; readonly session: Session<PipelineSizeResult> | PipelineSizeResult };

/** Opens a planned item on an activated backend (inputs, the float64 check, tf.profile): see openSize and openPipelineSize. */
export async function openItem(item: PlannedItem, adapter: BackendAdapter, opts: MeasureOptions): Promise<OpenedItem> {
  return item.kind === 'suite'
    ? { kind: 'suite', session: await openSize(item.suite.file, item.suite.spec, adapter, item.params, opts) }
    : { kind: 'pipeline', session: await openPipelineSize(item.pipeline.file, item.pipeline.spec, adapter, item.params, opts) };
}

/**
 * A planned item → its result: open, sample every variant with the one sampler (or with `sample`: a front end
 * that runs the same sampler through its own engine, e.g. vitest's bench.compare through fusebench's provider),
 * finish, release.
 */
export async function measureItem(item: PlannedItem, adapter: BackendAdapter, opts: MeasureOptions, sample: Sampling = sampleOn(adapter)): Promise<MeasuredItem> {
  const opened = await openItem(item, adapter, opts);
  const { id } = itemName(item);
  return opened.kind === 'suite'
    ? { kind: 'suite', id, result: await sampleSession(opened.session, sample) }
    : { kind: 'pipeline', id, result: await sampleSession(opened.session, sample) };
}

/** What a front end learns of a backend when it is activated for a run. */
export interface ActiveBackend {
  readonly adapter: BackendAdapter;
  /** The backend's status in results.json: availability, device, overhead (and ceilings when measured). */
  readonly status: BackendStatus;
}

/** Activates a backend and measures its facts; an init failure comes back as an unavailable status with the reason. */
export async function startBackend(status: BackendStatus, config: FusebenchConfig, log: (line: string) => void, ceilingOptions?: CeilingOptions): Promise<ActiveBackend | BackendStatus> {
  let adapter: BackendAdapter;
  try {
    adapter = await activateBackend(status.name);
  } catch (e) {
    log(`backend ${status.name}: init failed: ${(e as Error).message}`);
    return { ...status, available: false, reason: `init failed: ${(e as Error).message}` };
  }
  let ceilings: MeasuredCeilings | undefined;
  if (ceilingOptions) {
    try {
      ceilings = await measureCeilings(adapter, { ...ceilingOptions, onProgress: log });
      log(`backend ${adapter.name}: ceilings ${ceilings.matmul_gflops.toFixed(1)} GFLOP/s matmul, ${ceilings.bandwidth_gbps.toFixed(1)} GB/s elementwise`);
    } catch (e) {
      log(`backend ${adapter.name}: ceilings failed: ${(e as Error).message}`);
    }
  }
  const facts = await backendFacts(adapter, config);
  return { adapter, status: { ...status, ...facts, ...(ceilings ? { ceilings } : {}) } };
}

/**
 * The runner: iterates the plan (backends × suites and pipelines × sizes → measureItem) in one process, and
 * assembles the results document. It never exits the process and never throws for a failing backend or size:
 * those are recorded and the run goes on. The vitest front end runs the same plan, one vitest test per item.
 */
export async function runSuites(opts: RunOptions): Promise<RunResults> {
  const log = opts.onProgress ?? (() => {});
  const statuses = await resolveBackends(opts.backends, opts.backendsSource);
  const pipelines = opts.pipelines ?? [];
  const bySuite = new Map<string, SizeResult[]>(opts.suites.map((s) => [s.spec.id, []]));
  const byPipeline = new Map<string, PipelineSizeResult[]>(pipelines.map((p) => [p.spec.id, []]));
  const backendsOut: BackendStatus[] = [];
  for (const status of statuses) {
    if (!status.available) {
      backendsOut.push(status);
      log(`backend ${status.name}: unavailable (${status.reason ?? 'no reason given'})`);
      continue;
    }
    const started = await startBackend(status, opts.config, log, opts.ceilings);
    if (!('adapter' in started)) {
      backendsOut.push(started);
      continue;
    }
    const { adapter } = started;
    const stateAtStart = adapter.deviceState?.();
    const plan = planRun({ suites: opts.suites, pipelines }, [status], opts.quick);
    const items = plan.filter((i): i is PlannedSize => i.kind === 'suite');
    const passes = processesFor(adapter.kind, opts.config, opts.quick);
    const eta = progressClock(items.length * passes + plan.length - items.length);
    // Suites: each size in up to `passes` processes, pooled (passes.ts). Pipelines: one process, this one.
    const { pooled: results } = await measurePasses(items, {
      kindOf: () => adapter.kind, config: opts.config, quick: opts.quick,
      inProcess: (item, config) => measureSize(item.suite.file, item.suite.spec, adapter, item.params, { config, quick: opts.quick }),
      onProgress: (i, pass, r) => log(`${eta()} ${progressLine(adapter.name, items[i]!.suite.spec.id, r)}${passes > 1 ? ` (process ${pass}/${passes})` : ''}`),
    });
    results.forEach((r, i) => bySuite.get(items[i]!.suite.spec.id)!.push(r));
    for (const item of plan.filter((i) => i.kind === 'pipeline')) {
      const m = await measureItem(item, adapter, { config: opts.config, quick: opts.quick });
      byPipeline.get(m.id)!.push(m.result as PipelineSizeResult);
      log(`${eta()} ${progressLine(adapter.name, m.id, m.result)}`);
    }
    const stateAtEnd = adapter.deviceState?.();
    backendsOut.push({ ...started.status, ...(stateAtStart && stateAtEnd ? { deviceState: { start: stateAtStart, end: stateAtEnd } } : {}) });
    await adapter.teardown();
  }
  return assembleResults({
    command: opts.command, quick: opts.quick, config: opts.config, machine: machineInfo(), backends: backendsOut,
    patterns: opts.suites.map((suite) => ({ header: patternHeader(suite), results: bySuite.get(suite.spec.id) ?? [] })),
    pipelines: pipelines.map((p) => ({ header: pipelineHeader(p), results: byPipeline.get(p.spec.id) ?? [] })),
  });
}

export { tf };
