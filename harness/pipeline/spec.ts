/**
 * Macro pipelines: declared as a list of stages, some marked as fused. Declarations only — how a stage
 * runs is in ops.ts, how a pipeline is measured is in measure.ts.
 *
 *   definePipeline({
 *     id: 'TernaryImage', …,
 *     stages: [
 *       { name: 'convolution', op: 'tmul', inputs: ['image', 'weights'], out: 'conv' },
 *       { name: 'bias correction', op: 'tadd', inputs: ['conv', 'bias'], out: 'biased', fused: 'bias+activation' },
 *       { name: 'activation', op: 'tnot', inputs: ['biased'], out: 'act', fused: 'bias+activation' },
 *       …
 *     ],
 *   })
 *
 * Consecutive stages sharing a `fused` label run as one fused kernel in the fused pipeline; the planner
 * (ops.ts) picks the kernel from the stages' ops and refuses groups it cannot fuse.
 */
import { OWN_EXTENSION } from '../core/typescript.ts';
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HostInputs, SizeParams } from '../core/types.ts';
import { planPipeline, PIPELINE_OPS, type PipelineOp } from './ops.ts';

export interface PipelineStage {
  /** What the stage stands for in the application, e.g. "bias correction". */
  readonly name: string;
  readonly op: PipelineOp;
  /** Tensor names: pipeline inputs or outputs of earlier stages. */
  readonly inputs: readonly string[];
  readonly out: string;
  /** Fusion group label; consecutive stages with the same label become one fused kernel. */
  readonly fused?: string;
}

export interface PipelineSpec<P extends SizeParams = SizeParams> {
  readonly id: string;
  readonly title: string;
  /** The study's table this pipeline reproduces, e.g. 'image' or 'neural'. */
  readonly kind: 'image' | 'neural' | 'other';
  /** Prose: what the workload is and how its sizes are defined (printed in the report's methodology). */
  readonly description: string;
  readonly sizes: { readonly full: readonly P[]; readonly quick: readonly P[] };
  /** Label for a size, e.g. `1024×1024` or `10,000 neurons`. */
  readonly label: (p: P) => string;
  /** Elements processed by each elementwise stage at a size. */
  readonly elements: (p: P) => number;
  readonly inputs: (p: P, rng: () => number) => HostInputs;
  readonly stages: readonly PipelineStage[];
  readonly notes?: readonly string[];
}

export interface RegisteredPipeline {
  readonly spec: PipelineSpec;
  readonly file: string;
}

export class PipelineDeclarationError extends Error {
  constructor(file: string, field: string, problem: string) {
    super(`${file}: pipeline field "${field}" ${problem}`);
    this.name = 'PipelineDeclarationError';
  }
}

const registry = new Map<string, RegisteredPipeline>();

export function registeredPipelines(): RegisteredPipeline[] {
  return [...registry.values()];
}

export function clearPipelineRegistry(): void {
  registry.clear();
}

function callerFile(): string {
  const self = fileURLToPath(import.meta.url);
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const path = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (path !== self) return path;
  }
  return '<unknown file>';
}

function validate(spec: PipelineSpec, file: string): void {
  const fail = (field: string, problem: string): never => {
    throw new PipelineDeclarationError(file, field, problem);
  };
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(spec.id ?? '')) fail('id', `"${String(spec.id)}" must be letters, digits and underscores, starting with a letter`);
  for (const f of ['title', 'description'] as const) if (typeof spec[f] !== 'string' || spec[f].length === 0) fail(f, 'is missing (a non-empty string)');
  if (!['image', 'neural', 'other'].includes(spec.kind)) fail('kind', `must be 'image', 'neural' or 'other' (got ${String(spec.kind)})`);
  for (const f of ['label', 'elements', 'inputs'] as const) if (typeof spec[f] !== 'function') fail(f, 'is missing (a function)');
  for (const set of ['full', 'quick'] as const) {
    const sizes = spec.sizes?.[set];
    if (!Array.isArray(sizes) || sizes.length === 0) fail(`sizes.${set}`, 'must be a non-empty array of size parameters');
  }
  if (!Array.isArray(spec.stages) || spec.stages.length === 0) fail('stages', 'must be a non-empty array');
  spec.stages.forEach((s, i) => {
    if (typeof s.name !== 'string' || !s.name) fail(`stages[${i}].name`, 'is missing');
    if (!(s.op in PIPELINE_OPS)) fail(`stages[${i}].op`, `"${String(s.op)}" is not one of ${Object.keys(PIPELINE_OPS).join(', ')}`);
    if (!Array.isArray(s.inputs) || s.inputs.length !== PIPELINE_OPS[s.op].arity) {
      fail(`stages[${i}].inputs`, `must name ${PIPELINE_OPS[s.op]?.arity} tensor(s) for op ${s.op}`);
    }
    if (typeof s.out !== 'string' || !s.out) fail(`stages[${i}].out`, 'is missing');
  });
  try {
    planPipeline(spec.stages);
  } catch (e) {
    fail('stages', (e as Error).message);
  }
}

/** Declares a pipeline; throws PipelineDeclarationError naming the file and field. */
export function definePipeline<P extends SizeParams>(spec: PipelineSpec<P>, file: string = callerFile()): PipelineSpec<P> {
  const generic = spec as unknown as PipelineSpec;
  validate(generic, file);
  const existing = registry.get(spec.id);
  if (existing && existing.file !== file) throw new PipelineDeclarationError(file, 'id', `"${spec.id}" is already declared in ${existing.file}`);
  registry.set(spec.id, { spec: generic, file });
  return spec;
}

export const PIPELINES_DIR = fileURLToPath(new URL('../../suites/pipelines/', import.meta.url));

/** Imports every `*.pipeline.ts` (or the given files) and returns what they declared, sorted by id. */
export async function loadPipelineFiles(files?: readonly string[]): Promise<RegisteredPipeline[]> {
  const paths = files && files.length > 0
    ? files.map((f) => resolve(f))
    : existsSync(PIPELINES_DIR)
      ? (readdirSync(PIPELINES_DIR) as string[]).filter((f) => f.endsWith('.pipeline.ts') || f.endsWith(`.pipeline${OWN_EXTENSION}`)).map((f) => join(PIPELINES_DIR, f)).sort()
      : [];
  for (const p of paths) {
    if (!existsSync(p) || !statSync(p).isFile()) throw new Error(`pipeline file not found: ${p}`);
    await import(pathToFileURL(p).href);
  }
  const wanted = new Set(paths);
  return registeredPipelines().filter((r) => wanted.has(r.file)).sort((a, b) => a.spec.id.localeCompare(b.spec.id));
}
