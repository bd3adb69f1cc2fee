/** The environment variables fusebench reads, parsed in one place so every front end agrees. */
import { parseBackendList } from '../backends/registry.ts';

export interface EnvSelection {
  readonly backends?: string[];
  readonly patterns?: string;
  readonly quick: boolean;
  readonly out?: string;
}

const truthy = (v: string | undefined): boolean => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvSelection {
  return {
    ...(env.FUSEBENCH_BACKENDS ? { backends: parseBackendList(env.FUSEBENCH_BACKENDS, 'FUSEBENCH_BACKENDS') } : {}),
    ...(env.FUSEBENCH_PATTERNS ? { patterns: env.FUSEBENCH_PATTERNS } : {}),
    quick: truthy(env.FUSEBENCH_QUICK),
    ...(env.FUSEBENCH_OUT ? { out: env.FUSEBENCH_OUT } : {}),
  };
}
