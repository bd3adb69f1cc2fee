/**
 * The macro study end to end: for each backend, the Phase 4.1 micro suite (through the harness engine) and
 * every declared pipeline at every size, then MACRO-REPORT.md + MACRO-RESULTS.json validated
 * (schemas/macro-results.schema.json) and written atomically.
 *
 *   await runMacroStudy({ backends: ['cpu', 'wasm'], quick: false, outDir: 'reports/ternary/<machine>' });
 *
 * Also runnable directly: `npx tsx harness/pipeline/study.ts --backends cpu,wasm [--quick] [--rounds N] [--max-seconds S] --out DIR`,
 * or `--render-from MACRO-RESULTS.json --out DIR` to re-render a stored run (validated on read and on write).
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendAdapter, BackendStatus, PatternResult, SizeResult } from '../core/types.ts';
import type { FusebenchConfig } from '../core/config.ts';
import type { MacroBackendResult, MacroStudyResults, PipelineResult, PipelineSizeResult } from './results.ts';
import { loadConfig } from '../core/config.ts';
import { loadSuiteFiles } from '../load.ts';
import { measureSize } from '../measure.ts';
import { machineInfo } from '../machine.ts';
import { resolveBackends } from '../run.ts';
import { loadPipelineFiles, type RegisteredPipeline } from './spec.ts';
import { measurePipelineSize } from './measure.ts';
import { summarizeBackend } from './summary.ts';
import { writeMacroOutputs } from './output.ts';
import { loadMacroResults } from './schema.ts';
import { COPY_TARGET, STUDY_CLAIMS } from './claims.ts';
import { parseBackendList } from '../../backends/registry.ts';
import { activateBackend } from '../activate.ts';
import { OWN_EXTENSION } from '../core/typescript.ts';

export { STUDY_CLAIMS, COPY_TARGET };

export const MICRO_SUITE_FILE = fileURLToPath(new URL(`../../suites/ternary/tadd-tnot.bench${OWN_EXTENSION}`, import.meta.url));
export const MICRO_SUITE_ID = 'Ternary_tadd_tnot';

export interface MacroStudyOptions {
  /** Backend names; default: every known backend (unavailable ones are reported as not measured). */
  readonly backends?: readonly string[];
  readonly quick: boolean;
  readonly outDir: string;
  readonly config?: FusebenchConfig;
  readonly command?: string;
  /** Pipeline ids to run (default: all declared in suites/pipelines/). */
  readonly pipelines?: readonly string[];
  /** Run the Phase 4.1 micro suite too (default true). */
  readonly micro?: boolean;
  readonly onProgress?: (line: string) => void;
  readonly seed?: number;
}

function progressLine(r: PipelineSizeResult): string {
  if (r.status !== 'ok') return `${r.backend.padEnd(6)} ${r.pipeline.padEnd(22)} ${r.size.padEnd(16)} FAILED: ${r.error}`;
  const g = r.groups?.[0];
  return `${r.backend.padEnd(6)} ${r.pipeline.padEnd(22)} ${r.size.padEnd(16)} ${r.unfused!.wall.medianMs.toFixed(3)} → ${r.fused!.wall.medianMs.toFixed(3)} ms  ` +
    `macro ${r.macro!.ratio.toFixed(2)}× [${r.macro!.lo.toFixed(2)}, ${r.macro!.hi.toFixed(2)}]  predicted ${r.prediction!.ratio.toFixed(2)}×  ` +
    `c ${(r.coverage!.runtimeShare.ratio * 100).toFixed(0)}%  s ${g?.microSpeedup.ratio.toFixed(2)}×  copy ${g?.copy ? `${g.copy.ratio.ratio.toFixed(2)}×` : 'n/a'}  ` +
    `${r.correctness?.ok ? 'exact' : 'INCORRECT'}  (${r.rounds} rounds)`;
}

async function runBackend(
  status: BackendStatus, pipelines: readonly RegisteredPipeline[], micro: { file: string; spec: import('../core/types.ts').SuiteSpec } | undefined,
  opts: MacroStudyOptions, config: FusebenchConfig, log: (l: string) => void,
): Promise<MacroBackendResult> {
  const summaryOpts = { resamples: config.sampling.bootstrapResamples, confidence: config.sampling.confidence, copyTarget: COPY_TARGET };
  if (!status.available) {
    log(`backend ${status.name}: not measured (${status.reason ?? 'unavailable'})`);
    return { backend: status, pipelines: [], summary: summarizeBackend(undefined, [], summaryOpts) };
  }
  let adapter: BackendAdapter;
  try {
    adapter = await activateBackend(status.name);
  } catch (e) {
    const failed: BackendStatus = { ...status, available: false, reason: `init failed: ${(e as Error).message}` };
    log(`backend ${status.name}: init failed: ${(e as Error).message}`);
    return { backend: failed, pipelines: [], summary: summarizeBackend(undefined, [], summaryOpts) };
  }
  const backend: BackendStatus = { ...status, device: adapter.describe() };
  let microResult: PatternResult | undefined;
  if (micro) {
    const results: SizeResult[] = [];
    for (const p of opts.quick ? micro.spec.sizes.quick : micro.spec.sizes.full) {
      const r = await measureSize(micro.file, micro.spec, adapter, p, { config, quick: opts.quick, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
      results.push(r);
      log(r.status === 'ok'
        ? `${adapter.name.padEnd(6)} ${micro.spec.id.padEnd(22)} ${r.size.padEnd(16)} ${r.unfused!.throughputMs.toFixed(3)} → ${r.fused!.throughputMs.toFixed(3)} ms  micro ${r.speedup!.ratio.toFixed(2)}× [${r.speedup!.lo.toFixed(2)}, ${r.speedup!.hi.toFixed(2)}]  ${r.correctness?.fused.ok ? 'exact' : 'INCORRECT'}`
        : `${adapter.name.padEnd(6)} ${micro.spec.id.padEnd(22)} ${r.size.padEnd(16)} FAILED: ${r.error}`);
    }
    const s = micro.spec;
    microResult = {
      id: s.id, family: s.family, title: s.title, file: micro.file, fusedBy: s.fusedBy, standsFor: s.standsFor ?? [],
      predictions: s.predictions, notes: s.notes ?? [], results,
    };
  }
  const pipelineResults: PipelineResult[] = [];
  for (const { spec, file } of pipelines) {
    const results: PipelineSizeResult[] = [];
    for (const p of opts.quick ? spec.sizes.quick : spec.sizes.full) {
      const r = await measurePipelineSize(spec, adapter, p, { config, quick: opts.quick, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
      results.push(r);
      log(progressLine(r));
    }
    pipelineResults.push({
      id: spec.id, title: spec.title, kind: spec.kind, description: spec.description, file,
      stages: spec.stages.map((s) => ({ name: s.name, op: s.op, ...(s.fused ? { fused: s.fused } : {}) })),
      notes: spec.notes ?? [], results,
    });
  }
  await adapter.teardown();
  return { backend, ...(microResult ? { micro: microResult } : {}), pipelines: pipelineResults, summary: summarizeBackend(microResult, pipelineResults, summaryOpts) };
}

/** Runs the study and writes `MACRO-REPORT.md` and `MACRO-RESULTS.json` into outDir (both or neither). */
export async function runMacroStudy(opts: MacroStudyOptions): Promise<{ results: MacroStudyResults; files: string[] }> {
  const log = opts.onProgress ?? (() => {});
  const config = opts.config ?? (await loadConfig());
  const statuses = await resolveBackends(opts.backends);
  const all = await loadPipelineFiles();
  const pipelines = opts.pipelines ? all.filter((p) => opts.pipelines!.includes(p.spec.id)) : all;
  if (opts.pipelines) {
    const missing = opts.pipelines.filter((id) => !all.some((p) => p.spec.id === id));
    if (missing.length) throw new Error(`runMacroStudy: no pipeline ${missing.join(', ')}; declared: ${all.map((p) => p.spec.id).join(', ')}`);
  }
  let micro: { file: string; spec: import('../core/types.ts').SuiteSpec } | undefined;
  if (opts.micro !== false) {
    const suite = (await loadSuiteFiles([MICRO_SUITE_FILE])).find((s) => s.spec.id === MICRO_SUITE_ID);
    if (!suite) throw new Error(`runMacroStudy: ${MICRO_SUITE_FILE} does not declare ${MICRO_SUITE_ID}`);
    micro = suite;
  }
  const backends: MacroBackendResult[] = [];
  for (const status of statuses) backends.push(await runBackend(status, pipelines, micro, opts, config, log));
  const s = config.sampling;
  const results: MacroStudyResults = {
    schema: 'fusebench/macro@1',
    createdAt: new Date().toISOString(),
    command: opts.command ?? `runMacroStudy(${JSON.stringify({ backends: opts.backends, quick: opts.quick })})`,
    quick: opts.quick,
    machine: machineInfo(),
    sampling: {
      rounds: opts.quick ? s.quickRounds : s.rounds, minRounds: s.minRounds, warmup: s.warmup, minSampleMs: s.minSampleMs,
      maxSecondsPerSize: s.maxSecondsPerSize, bootstrap: s.bootstrapResamples,
    },
    copyTarget: COPY_TARGET,
    decisions: { expand: config.decisions.expand, deploy: config.decisions.deploy },
    study: STUDY_CLAIMS,
    backends,
  };
  return { results, files: writeMacroOutputs(results, opts.outDir) };
}

/** Re-renders MACRO-REPORT.md from a stored, validated MACRO-RESULTS.json (summaries recomputed from its samples). */
export function rerenderMacroReport(resultsFile: string, outDir: string, config: FusebenchConfig): string[] {
  const stored = loadMacroResults(resultsFile);
  const opts = { resamples: config.sampling.bootstrapResamples, confidence: config.sampling.confidence, copyTarget: stored.copyTarget };
  const results: MacroStudyResults = { ...stored, backends: stored.backends.map((b) => ({ ...b, summary: summarizeBackend(b.micro, b.pipelines, opts) })) };
  return writeMacroOutputs(results, outDir);
}

async function main(argv: string[]): Promise<number> {
  const { parseFlags } = await import('../cli/args.ts');
  const { values } = parseFlags(argv, {
    backends: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' }, pipelines: { type: 'string' },
    'no-micro': { type: 'boolean' }, 'render-from': { type: 'string' }, rounds: { type: 'string' }, 'max-seconds': { type: 'string' },
  }, false);
  if (typeof values.out !== 'string') throw new Error('--out DIR is required');
  const base = await loadConfig();
  const num = (flag: string, v: string | boolean | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!(n > 0)) throw new Error(`--${flag} must be a positive number (got ${String(v)})`);
    return n;
  };
  const rounds = num('rounds', values.rounds);
  const maxSeconds = num('max-seconds', values['max-seconds']);
  const config: FusebenchConfig = {
    ...base,
    sampling: { ...base.sampling, ...(rounds ? { rounds, quickRounds: rounds } : {}), ...(maxSeconds ? { maxSecondsPerSize: maxSeconds } : {}) },
  };
  if (typeof values['render-from'] === 'string') {
    console.log(`wrote ${rerenderMacroReport(resolve(values['render-from']), resolve(values.out), config).join(', ')}`);
    return 0;
  }
  const { files } = await runMacroStudy({
    ...(typeof values.backends === 'string' ? { backends: parseBackendList(values.backends, '--backends') } : {}),
    quick: values.quick === true,
    outDir: resolve(values.out),
    ...(typeof values.pipelines === 'string' ? { pipelines: values.pipelines.split(',').map((x) => x.trim()) } : {}),
    micro: values['no-micro'] !== true,
    config,
    command: `npx tsx harness/pipeline/study.ts ${argv.join(' ')}`,
    onProgress: (l) => console.log(l),
  });
  console.log(`wrote ${files.join(', ')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { console.error((e as Error).message); process.exitCode = 1; });
}
