/**
 * FusebenchSDPA on WebGPU: softmax(q·kᵀ·scale)·v in one pass with an online softmax (the FlashAttention
 * recurrence), so the [S,S] score matrix is never written anywhere.
 *
 * Two programs, chosen by head dimension D: the tiled kernel (sdpa_tiled.ts: 16 query rows × 16 invocations
 * per row, Q block and K/V tiles in workgroup memory) wherever its tiles fit the device's workgroup memory
 * (capped at 32 KiB: D ≤ 330); the row kernel (sdpa_rows.ts: one invocation per query row) beyond that.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import {
  asWebGPUBackend, requireDispatchFits, WebGPUKernelInputError, type ProgramUniform, type WebGPUProgram,
} from '../common/webgpu_program.ts';
import { attentionDims, attentionScale, requireFloat32, requireInput } from '../common/shape_checks.ts';
import { SDPA } from '../names.ts';
import { SdpaRowProgram } from './webgpu_rows.ts';
import { SdpaTiledProgram, sdpaTiling } from './webgpu_tiled.ts';

/**
 * The tiled kernel is the default. FUSEBENCH_WEBGPU_SDPA=rows selects the row kernel everywhere (comparisons).
 * (Its first H100 run was wrong at S ≥ 128: a loop-local accumulator that Dawn on Vulkan did not re-zero per
 * key tile; see docs/webgpu.md, "Finding".)
 */
export function defaultSdpaChoice(env: Readonly<Record<string, string | undefined>> = process.env): SdpaProgramChoice {
  const v = env.FUSEBENCH_WEBGPU_SDPA;
  if (v === undefined || v === '' || v === 'tiled') return {};
  if (v === 'rows') return { rows: true };
  throw new WebGPUKernelInputError(`FUSEBENCH_WEBGPU_SDPA must be 'tiled' or 'rows' (got ${JSON.stringify(v)})`);
}

export interface SdpaProgramChoice {
  /** Workgroup memory the tiled kernel may use; default: the device's limit (the kernel caps it at 32 KiB). */
  readonly budgetBytes?: number;
  /** Force the row kernel (tests and comparisons). */
  readonly rows?: boolean;
}

/** The program FusebenchSDPA runs for [bh, seq, d] on a device with `deviceBudgetBytes` of workgroup memory. */
export function sdpaProgram(bh: number, seq: number, d: number, deviceBudgetBytes: number, choice: SdpaProgramChoice = defaultSdpaChoice()): WebGPUProgram {
  const tiling = choice.rows ? null : sdpaTiling(d, choice.budgetBytes ?? deviceBudgetBytes);
  return tiling ? new SdpaTiledProgram(bh, seq, tiling) : new SdpaRowProgram(bh, seq, d);
}

/** Checks q, k, v and runs FusebenchSDPA's program on `gpu`. */
export function runSdpa(gpu: WebGPUBackend, q: TensorInfo, k: TensorInfo, v: TensorInfo, attrs: Readonly<Record<string, unknown>> | undefined, choice: SdpaProgramChoice = defaultSdpaChoice()): TensorInfo {
  for (const [n, t] of [['q', q], ['k', k], ['v', v]] as const) requireFloat32(t, n, SDPA);
  const { bh, s: seq, d } = attentionDims({ q, k, v }, SDPA);
  const scale = attentionScale(attrs?.scale, d, SDPA);
  const uniforms: ProgramUniform[] = [{ type: 'float32', data: [scale] }];
  const program = sdpaProgram(bh, seq, d, gpu.device.limits.maxComputeWorkgroupStorageSize, choice);
  requireDispatchFits(SDPA, gpu, program.dispatch, `[BH,S,D] = [${q.shape}]`);
  return gpu.runWebGPUProgram(program, [q, k, v], 'float32', uniforms);
}

const sdpaKernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = asWebGPUBackend(backend, SDPA);
  const named = inputs as Record<string, TensorInfo | undefined>;
  return runSdpa(gpu, requireInput(named, 'q', SDPA), requireInput(named, 'k', SDPA), requireInput(named, 'v', SDPA), attrs as Record<string, unknown> | undefined);
};

export const sdpaConfig: KernelConfig = { kernelName: SDPA, backendName: 'webgpu', kernelFunc: sdpaKernelFunc };
