/**
 * Whether two runs came from the same machine. Speedup ratios carry across machines (both variants ran on
 * the same one, in the same rounds); times do not. So any difference in host, CPU model, core count or GPU
 * model turns the fused-time check off. A GPU driver change alone is named but keeps times comparable: the
 * hardware is the same and a driver regression is worth seeing.
 */
import type { MachineInfo } from '../core/types.ts';

export interface MachineComparison {
  readonly same: boolean;
  /** Differences that make times incomparable, e.g. `cpuModel: "AMD EPYC" vs "Intel Xeon"`. */
  readonly differences: readonly string[];
  /** Differences that do not, e.g. a GPU driver version. */
  readonly notes: readonly string[];
}

const normalise = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** "NVIDIA H100 (driver 560.1)" → model "NVIDIA H100", driver "560.1". */
function splitGpu(gpu: string | undefined): { model: string; driver?: string } {
  if (gpu === undefined || gpu.trim() === '') return { model: '(none)' };
  const m = /^(.*?)\s*\(driver ([^)]*)\)\s*$/.exec(gpu);
  return m ? { model: m[1], driver: m[2] } : { model: gpu };
}

export function compareMachines(baseline: MachineInfo, current: MachineInfo): MachineComparison {
  const differences: string[] = [];
  const notes: string[] = [];
  const check = (field: string, a: string, b: string): void => {
    if (normalise(a) !== normalise(b)) differences.push(`${field}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  };
  check('hostname', baseline.hostname, current.hostname);
  check('cpuModel', baseline.cpuModel, current.cpuModel);
  if (baseline.cores !== current.cores) differences.push(`cores: ${baseline.cores} vs ${current.cores}`);
  const gb = splitGpu(baseline.gpu);
  const gc = splitGpu(current.gpu);
  check('gpu', gb.model, gc.model);
  if (gb.model === gc.model && gb.driver !== gc.driver) notes.push(`GPU driver: ${gb.driver ?? '(unknown)'} vs ${gc.driver ?? '(unknown)'}`);
  if (baseline.tfjs !== current.tfjs) notes.push(`tfjs: ${baseline.tfjs} vs ${current.tfjs}`);
  if (baseline.node !== current.node) notes.push(`node: ${baseline.node} vs ${current.node}`);
  return { same: differences.length === 0, differences, notes };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.hostname} (${m.cpuModel}, ${m.cores} cores${m.gpu ? `, ${m.gpu}` : ''})`;
}
