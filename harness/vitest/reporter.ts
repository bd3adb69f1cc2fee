/**
 * vitest reporter (main process): when the run ends, reads every fusebench test's result from its task
 * (task.meta.fusebench: live, or from blob reports after `vitest --merge-reports`), assembles one results
 * document, writes reports/latest/ and, if FUSEBENCH_BASELINE is set, gates. Nothing goes through side files.
 *
 * Reports are not written when a bench file failed to load or when FUSEBENCH_PATTERNS names nothing that exists.
 * Shards that ran on different hardware are never pooled: each shard's backends are kept apart as `cpu@<label>`.
 */
import { resolve } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import type { BackendStatus, MachineInfo, PipelineSizeResult, SizeResult } from '../core/types.ts';
import { loadConfig } from '../core/config.ts';
import { writeRunOutputs } from '../output.ts';
import { readEnv, withCache } from '../env.ts';
import { assembleResults, type PatternHeader, type PipelineHeader } from '../results.ts';
import type { FusebenchPipelineMeta, FusebenchTaskMeta, ItemMeta } from './meta.ts';
import { UsageError } from '../core/errors.ts';
import { resolveBackends } from '../run.ts';
import { closingLines } from '../report/closing.ts';

const isMerge = (): boolean => process.argv.some((a) => a === '--merge-reports' || a.startsWith('--merge-reports='));

/** One shard's (or the single run's) machine, as the blob label and the workers name it. */
export interface ShardMachine {
  readonly label: string;
  readonly machine: MachineInfo;
}

/** What decides whether two machines' results may be pooled: the same processor, core count and GPU. */
export function hardwareKey(m: MachineInfo): string {
  return `${m.cpuModel} × ${m.cores} | ${m.gpu ?? 'no GPU'}`;
}

/** A declared id and family: what FUSEBENCH_PATTERNS may name. */
type Named = { readonly id: string; readonly family: string };

interface Collected {
  readonly metas: ReadonlyArray<FusebenchTaskMeta & { readonly label: string }>;
  readonly pipelines: ReadonlyArray<FusebenchPipelineMeta & { readonly label: string }>;
  readonly declared: readonly Named[];
  readonly loadErrors: readonly string[];
}

function collect(modules: ReadonlyArray<TestModule>): Collected {
  const metas: Array<FusebenchTaskMeta & { label: string }> = [];
  const pipelines: Array<FusebenchPipelineMeta & { label: string }> = [];
  const declared: Named[] = [];
  const loadErrors: string[] = [];
  for (const mod of modules) {
    const label = mod.meta().__vitest_label__ ?? 'local';
    for (const e of mod.errors()) loadErrors.push(`${mod.relativeModuleId}: ${e.message ?? String(e)}`);
    for (const tc of mod.children.allTests()) {
      const meta = tc.meta();
      if (meta.fusebench) {
        metas.push({ ...meta.fusebench, label });
        declared.push(meta.fusebench.pattern);
      }
      if (meta.fusebenchPipeline) {
        pipelines.push({ ...meta.fusebenchPipeline, label });
        declared.push(meta.fusebenchPipeline.pipeline);
      }
      if (meta.fusebenchDeclared) declared.push(meta.fusebenchDeclared);
    }
  }
  return { metas, pipelines, declared, loadErrors };
}

/** Names in a FUSEBENCH_PATTERNS selector that match no declared pattern id or family. */
export function unknownSelections(selector: string | undefined, declared: readonly Named[]): string[] {
  return (selector ?? '').split(',').map((w) => w.trim())
    .filter((w) => w !== '' && w !== 'all' && !declared.some((p) => p.id === w || p.family === w));
}

/** Backends as the workers saw them; the status of an activated backend (device, overhead) wins over a detected one. */
export function mergeBackends(metas: ReadonlyArray<Pick<ItemMeta, 'backend' | 'backends'>>): BackendStatus[] {
  const byName = new Map<string, BackendStatus>();
  for (const m of metas) for (const b of m.backends) if (!byName.has(b.name)) byName.set(b.name, b);
  for (const m of metas) {
    const prev = byName.get(m.backend.name);
    if (!prev?.device || (!prev.harnessOverheadMs && m.backend.harnessOverheadMs)) byName.set(m.backend.name, m.backend);
  }
  return [...byName.values()];
}

/** One shard's test, with its backend renamed `<backend>@<label>` so that its figures stay apart from other hardware's. */
export function keptApart<M extends ItemMeta & { readonly label: string; readonly result: SizeResult | PipelineSizeResult }>(m: M): M {
  const rename = (b: BackendStatus): BackendStatus => ({ ...b, name: `${b.name}@${m.label}` });
  return { ...m, backend: rename(m.backend), backends: m.backends.map(rename), result: { ...m.result, backend: `${m.result.backend}@${m.label}` } };
}

function fail(message: string, code: number): void {
  console.error(`\nfusebench: ${message}`);
  process.exitCode = code;
}

export default class FusebenchReporter implements Reporter {
  /**
   * Unusable input stops the run before any test, with exit code 2 and a message naming the variable or field:
   * the workers would otherwise each fail to load and vitest would exit 1.
   */
  async onInit(): Promise<void> {
    try {
      const env = readEnv();
      await loadConfig();
      if (env.backends && !isMerge()) await resolveBackends(env.backends, 'FUSEBENCH_BACKENDS');
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      console.error(`fusebench: ${e.message}`);
      process.exit(2);
    }
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const env = readEnv();
    const { metas, pipelines: pipelineMetas, declared, loadErrors } = collect(testModules);
    if (loadErrors.length) {
      return fail(`${loadErrors.length} bench file(s) failed to load, so no report was written (the previous one is untouched):\n  ${loadErrors.join('\n  ')}`, 2);
    }
    const unknown = unknownSelections(env.patterns, declared);
    if (unknown.length) {
      const ids = [...new Set(declared.map((p) => p.id))].sort();
      const families = [...new Set(declared.map((p) => p.family))].sort();
      return fail(`FUSEBENCH_PATTERNS: no pattern, pipeline or family ${unknown.map((w) => `"${w}"`).join(', ')}; ids: ${ids.join(', ')}; families: ${families.join(', ')}`, 2);
    }
    const all: ReadonlyArray<ItemMeta & { readonly label: string }> = [...metas, ...pipelineMetas];
    if (all.length === 0) return;
    const shards = new Map<string, ShardMachine>();
    for (const m of all) if (!shards.has(m.label)) shards.set(m.label, { label: m.label, machine: m.machine });
    const apart = new Set([...shards.values()].map((s) => hardwareKey(s.machine))).size > 1;
    if (apart) {
      console.log(`\nfusebench: the shards ran on different hardware (${[...shards.values()].map((s) => `${s.label}: ${hardwareKey(s.machine)}`).join('; ')}); ` +
        'each shard\'s backends are reported apart as <backend>@<label>, never pooled');
    }
    const runs = apart ? metas.map((m) => keptApart(m)) : metas;
    const pipelineRuns = apart ? pipelineMetas.map((m) => keptApart(m)) : pipelineMetas;
    const patterns = new Map<string, { header: PatternHeader; results: SizeResult[] }>();
    for (const m of runs) {
      let p = patterns.get(m.pattern.id);
      if (!p) patterns.set(m.pattern.id, (p = { header: m.pattern, results: [] }));
      p.results.push(m.result);
    }
    const pipelines = new Map<string, { header: PipelineHeader; results: PipelineSizeResult[] }>();
    for (const m of pipelineRuns) {
      let p = pipelines.get(m.pipeline.id);
      if (!p) pipelines.set(m.pipeline.id, (p = { header: m.pipeline, results: [] }));
      p.results.push(m.result);
    }
    const config = withCache(await loadConfig(), env.cache);
    const quick = all[0]!.quick;
    const first = [...shards.values()][0]!;
    const results = assembleResults({
      command: `vitest bench --run${quick ? ' (FUSEBENCH_QUICK=1)' : ''}${env.backends ? ` (FUSEBENCH_BACKENDS=${env.backends.join(',')})` : ''}${env.patterns ? ` (FUSEBENCH_PATTERNS=${env.patterns})` : ''}`,
      quick, config, machine: first.machine, backends: mergeBackends([...runs, ...pipelineRuns]), patterns: [...patterns.values()],
      pipelines: [...pipelines.values()],
      ...(shards.size > 1 ? { shards: [...shards.values()] } : {}),
    });
    const outDir = resolve(env.out ?? 'reports/latest');
    try {
      writeRunOutputs(results, outDir);
      console.log(`\n${closingLines(results, outDir).join('\n')}`);
    } catch (e) {
      return fail(`could not write reports: ${(e as Error).message}`, 1);
    }
    if (process.env.FUSEBENCH_BASELINE) {
      const { gateFromEnv } = await import('../gate/env.ts');
      const code = await gateFromEnv(results);
      if (code !== 0) process.exitCode = code;
    }
  }
}
