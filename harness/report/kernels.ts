/**
 * Reading the kernel lists that tf.profile recorded: which entries are real kernels, and who provides
 * the fused one. The report uses this to show when a backend's "fused" path is not one kernel.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { FusedImplementation, SizeResult } from '../core/types.ts';
import { VIEW_KERNELS } from '../core/launches.ts';

/** Kernels that only relabel a tensor's shape (the engine's own list): they move no data. */
const SHAPE_ONLY = VIEW_KERNELS;

/** tfjs-core's own kernel names: it exports each as a constant named as its value (`Add = 'Add'`). */
const TFJS_KERNELS: ReadonlySet<string> = new Set(Object.entries(tfc).filter(([k, v]) => typeof v === 'string' && k === v).map(([k]) => k));

/**
 * tf.profile also records an op's scope as an entry named `<op>__op` (e.g. `fusedMatMul__op` around a
 * custom-gradient op); it wraps the real kernels and launches nothing itself.
 */
export const isOpWrapper = (name: string): boolean => name.endsWith('__op'); // results written before the engine dropped them
export const isShapeOnly = (name: string): boolean => SHAPE_ONLY.has(name);
export const isComputeKernel = (name: string): boolean => !isOpWrapper(name) && !isShapeOnly(name);
/** A kernel tfjs does not have: one fusebench (or the project) registered (see kernels/README.md). */
export const isFusebenchKernel = (name: string): boolean => isComputeKernel(name) && !TFJS_KERNELS.has(name);

export interface KernelBreakdown {
  /** Kernels that compute, in launch order. */
  readonly compute: readonly string[];
  readonly shapeOnly: readonly string[];
  readonly wrappers: readonly string[];
}

export function breakdown(kernels: readonly string[]): KernelBreakdown {
  return {
    compute: kernels.filter(isComputeKernel),
    shapeOnly: kernels.filter(isShapeOnly),
    wrappers: kernels.filter(isOpWrapper),
  };
}

/** `Reshape×2, _FusedMatMul`: runs of the same name collapsed, order kept. */
export function compactList(names: readonly string[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < names.length) {
    let j = i;
    while (j < names.length && names[j] === names[i]) j++;
    out.push(j - i > 1 ? `${names[i]}×${j - i}` : names[i]);
    i = j;
  }
  return out.join(', ');
}

/** What the fused path of one (pattern, backend) launched, over every timed size. */
export interface FusedPathKernels {
  /** Distinct compute-kernel sequences seen across sizes (usually one). */
  readonly sequences: ReadonlyArray<readonly string[]>;
  /** The most compute kernels any size launched. */
  readonly maxCompute: number;
  readonly minCompute: number;
  /** Who provides the fused kernel, derived from the names launched, else the suite's declaration. */
  readonly fusedBy: FusedImplementation;
  /** How `fusedBy` was established. */
  readonly fusedBySource: 'kernels launched' | 'suite declaration';
  /** The suite declares a fusebench kernel, yet none of ours was launched. */
  readonly declaredButAbsent: boolean;
}

function distinct(lists: ReadonlyArray<readonly string[]>): string[][] {
  const seen = new Map<string, string[]>();
  for (const l of lists) seen.set(l.join('\u0000'), [...l]);
  return [...seen.values()];
}

/** Kernel facts for one variant across sizes; `undefined` when no size was profiled. */
export function variantKernels(sizes: readonly SizeResult[], variant: 'unfused' | 'fused'): ReadonlyArray<readonly string[]> {
  return sizes.flatMap((r) => (r[variant] ? [r[variant]!.kernels] : []));
}

export function fusedPathKernels(sizes: readonly SizeResult[], declared: FusedImplementation): FusedPathKernels | undefined {
  const lists = variantKernels(sizes, 'fused');
  if (lists.length === 0) return undefined;
  const computeLists = lists.map((l) => breakdown(l).compute);
  const ours = lists.some((l) => l.some(isFusebenchKernel));
  const counts = computeLists.map((l) => l.length);
  return {
    sequences: distinct(computeLists),
    maxCompute: Math.max(...counts),
    minCompute: Math.min(...counts),
    fusedBy: ours ? 'fusebench kernel' : declared,
    fusedBySource: ours ? 'kernels launched' : 'suite declaration',
    declaredButAbsent: declared === 'fusebench kernel' && !ours,
  };
}

/** `3 → 1` for one size: compute kernels unfused → fused. */
export function kernelCountCell(r: SizeResult): string {
  if (!r.unfused || !r.fused) return '—';
  return `${breakdown(r.unfused.kernels).compute.length} → ${breakdown(r.fused.kernels).compute.length}`;
}
