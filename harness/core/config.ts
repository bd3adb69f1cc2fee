/**
 * Every threshold in one place. Defaults come from the two studies; a project overrides any of
 * them with a `fusebench.config.ts` (or .js/.mjs) in the working directory:
 *
 *   import { defineConfig } from 'fusebench';
 *   export default defineConfig({ verdicts: { strong: 1.4 }, sampling: { rounds: 40 } });
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './errors.ts';
import { ensureTypeScriptLoader } from './typescript.ts';
import type { CacheState } from './sampler.ts';

export interface VerdictThresholds {
  /** ≥ this: ✓ Strong benefit. */
  readonly strong: number;
  /** ≥ this: ✓ Moderate benefit. */
  readonly moderate: number;
  /** ≥ this (and below moderate): ⚠ Minimal benefit; below: ✗ Fusion is slower. */
  readonly minimal: number;
}

export interface DecisionThresholds {
  /** ≥ this: Deploy + Expand. */
  readonly expand: number;
  /** ≥ this: Deploy, stop expansion; below: Re-evaluate. */
  readonly deploy: number;
}

export interface SamplingConfig {
  /** At most this many interleaved rounds per size in each process (each round times every variant once). */
  readonly rounds: number;
  readonly quickRounds: number;
  /**
   * Processes per size, pyperf-style: each size is measured in up to this many fresh processes, one after another,
   * so that the variance between processes (JIT tiers, allocator, heap layout) is inside the interval.
   */
  readonly processes: number;
  readonly quickProcesses: number;
  /** …and in at least this many, whatever the interval says. */
  readonly minProcesses: number;
  /**
   * GPU backends: processes per size. The same as the CPU's until a GPU run shows its between-process variance
   * small (the condition for fewer; not yet measured: docs/gate.md, "Limits").
   */
  readonly gpuProcesses: number;
  /** Adaptive stopping: a size stops once its speedup CI's half-width is at most this share of the speedup. */
  readonly targetHalfWidth: number;
  /** Untimed calls of each variant before sampling, first-call compilation included. */
  readonly warmup: number;
  /** Minimum warm-up time per variant, in ms. */
  readonly warmupMs: number;
  /** Calls per sample are raised until one sample lasts at least this long, so timer resolution does not matter. */
  readonly minSampleMs: number;
  readonly bootstrapResamples: number;
  readonly confidence: number;
  /** A size's time budget over all its processes, in seconds: it stops there (keeping minRounds, minProcesses) and the report marks it. */
  readonly maxSecondsPerSize: number;
  /** Rounds a size gets at least, shared among its processes (2 per process at the least), whatever its budget. */
  readonly minRounds: number;
  /**
   * `warm` (default): inputs stay in cache between calls, as in a model run back to back. `cold`: the caches are
   * evicted before every sample (a buffer of at least twice the cache is written, outside the timed region),
   * and a sample is one call.
   */
  readonly cache: CacheState;
  /** Device-time measurements per variant and size (each over K calls), on backends that time the device. */
  readonly deviceReps: number;
}

export interface FusebenchConfig {
  readonly verdicts: VerdictThresholds;
  readonly decisions: DecisionThresholds;
  /** Crossover: the smallest size whose CI lower bound reaches this. */
  readonly crossover: number;
  readonly sampling: SamplingConfig;
  /** Default tolerance for the float64 check when a suite declares none. */
  readonly tolerance: { readonly atol: number; readonly rtol: number };
  /** Gate defaults (issue: CI gate). */
  readonly gate: { readonly maxRegression: number; readonly alpha: number };
  /** Shouldfuse default threshold for the cost model. */
  readonly fuseThreshold: number;
}

export const defaultConfig: FusebenchConfig = {
  verdicts: { strong: 1.5, moderate: 1.1, minimal: 0.95 },
  decisions: { expand: 1.1, deploy: 1.05 },
  crossover: 1.1,
  sampling: {
    rounds: 25,
    quickRounds: 20,
    processes: 2,
    quickProcesses: 3,
    minProcesses: 2,
    gpuProcesses: 2,
    targetHalfWidth: 0.02,
    warmup: 3,
    warmupMs: 50,
    minSampleMs: 8,
    bootstrapResamples: 2000,
    confidence: 0.95,
    maxSecondsPerSize: 8,
    minRounds: 6,
    cache: 'warm',
    deviceReps: 5,
  },
  tolerance: { atol: 1e-4, rtol: 1e-3 },
  gate: { maxRegression: 0.05, alpha: 0.05 },
  fuseThreshold: 1.1,
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function defineConfig(config: DeepPartial<FusebenchConfig>): DeepPartial<FusebenchConfig> {
  return config;
}

/** Fields earlier versions took, with what to do instead: a config that still sets one gets this message, not "unknown". */
const REMOVED_FIELDS: Readonly<Record<string, string>> = {
  'sampling.tinybenchMs': 'the tinybench cross-check is gone: vitest 5 runs benchmarks through fusebench\'s own provider, so its table shows the same samples; delete the field',
  'sampling.quickTinybenchMs': 'the tinybench cross-check is gone: vitest 5 runs benchmarks through fusebench\'s own provider, so its table shows the same samples; delete the field',
};

export function mergeConfig(base: FusebenchConfig, over: DeepPartial<FusebenchConfig>): FusebenchConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = (base as unknown as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (current === undefined) throw new UsageError(`fusebench.config: unknown field "${key}"; known fields: ${Object.keys(base).join(', ')}`);
    if (typeof current === 'object' && current !== null) {
      for (const sub of Object.keys(value as object)) {
        const removed = REMOVED_FIELDS[`${key}.${sub}`];
        if (removed) throw new UsageError(`fusebench.config: field "${key}.${sub}" was removed: ${removed}`);
        if (!(sub in (current as object))) throw new UsageError(`fusebench.config: unknown field "${key}.${sub}"; known fields of "${key}": ${Object.keys(current).join(', ')}`);
      }
      out[key] = { ...(current as object), ...(value as object) };
    } else {
      out[key] = value;
    }
  }
  const merged = out as unknown as FusebenchConfig;
  checkConfigValues(merged);
  return merged;
}

export const CACHE_STATES: readonly CacheState[] = ['warm', 'cold'];

/** Values a field's type cannot rule out, each named by its field. */
export function checkConfigValues(c: FusebenchConfig): void {
  if (!CACHE_STATES.includes(c.sampling.cache)) {
    throw new UsageError(`fusebench.config: sampling.cache must be "warm" or "cold" (got ${JSON.stringify(c.sampling.cache)})`);
  }
}

const CONFIG_FILES = ['fusebench.config.ts', 'fusebench.config.mjs', 'fusebench.config.js'];

let loaded: FusebenchConfig | undefined;

/** Imports one config file, naming it in every error (a missing file too); the defaults fill what it leaves out. */
export async function configFrom(file: string): Promise<FusebenchConfig> {
  if (!existsSync(file)) throw new UsageError(`${file}: no such config file`);
  let mod: { default?: DeepPartial<FusebenchConfig> };
  try {
    await ensureTypeScriptLoader(file);
    mod = (await import(pathToFileURL(file).href)) as typeof mod;
  } catch (e) {
    throw new UsageError(`${file}: could not load: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!mod.default || typeof mod.default !== 'object') throw new UsageError(`${file}: must export default defineConfig({...})`);
  try {
    return mergeConfig(defaultConfig, mod.default);
  } catch (e) {
    throw e instanceof UsageError ? new UsageError(`${file}: ${e.message}`) : e;
  }
}

/**
 * Loads the config once: the file FUSEBENCH_CONFIG names, else `fusebench.config.*` in `cwd`; the defaults when
 * there is none.
 */
export async function loadConfig(cwd = process.cwd(), env: Readonly<Record<string, string | undefined>> = process.env): Promise<FusebenchConfig> {
  if (loaded) return loaded;
  if (env.FUSEBENCH_CONFIG) {
    const file = resolve(cwd, env.FUSEBENCH_CONFIG);
    if (!existsSync(file)) throw new UsageError(`FUSEBENCH_CONFIG: no such file: ${file}`);
    loaded = await configFrom(file);
    return loaded;
  }
  for (const name of CONFIG_FILES) {
    const file = resolve(cwd, name);
    if (!existsSync(file)) continue;
    loaded = await configFrom(file);
    return loaded;
  }
  loaded = defaultConfig;
  return loaded;
}

/** The config in force; `loadConfig` must have run for overrides to apply. */
export function currentConfig(): FusebenchConfig {
  return loaded ?? defaultConfig;
}
