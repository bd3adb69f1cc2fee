/** The environment variables fusebench reads, parsed in one place so every front end agrees. */
import { parseBackendList } from '../backends/registry.ts';
import { CACHE_STATES, type FusebenchConfig } from './core/config.ts';
import { UsageError } from './core/errors.ts';
import type { CacheState } from './core/sampler.ts';

export interface EnvSelection {
  readonly backends?: string[];
  readonly patterns?: string;
  readonly quick: boolean;
  readonly out?: string;
  readonly cache?: CacheState;
}

/** The config with the cache state a flag or variable chose, where one did. */
export function withCache(config: FusebenchConfig, cache: CacheState | undefined): FusebenchConfig {
  return cache ? { ...config, sampling: { ...config.sampling, cache } } : config;
}

/** A cache state from a flag or variable, naming it when the value is not one. */
export function parseCache(text: string, source: string): CacheState {
  if (!(CACHE_STATES as readonly string[]).includes(text)) throw new UsageError(`${source}: "${text}" is not a cache state; use warm or cold`);
  return text as CacheState;
}

const truthy = (v: string | undefined): boolean => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvSelection {
  return {
    ...(env.FUSEBENCH_BACKENDS ? { backends: parseBackendList(env.FUSEBENCH_BACKENDS, 'FUSEBENCH_BACKENDS') } : {}),
    ...(env.FUSEBENCH_PATTERNS ? { patterns: env.FUSEBENCH_PATTERNS } : {}),
    quick: truthy(env.FUSEBENCH_QUICK),
    ...(env.FUSEBENCH_OUT ? { out: env.FUSEBENCH_OUT } : {}),
    ...(env.FUSEBENCH_CACHE ? { cache: parseCache(env.FUSEBENCH_CACHE, 'FUSEBENCH_CACHE') } : {}),
  };
}
