/**
 * FusebenchSDPA on WebGPU: softmax(q·kᵀ·scale)·v in one pass with an online softmax (the FlashAttention
 * recurrence), so the [S,S] score matrix is never written anywhere.
 *
 * Three programs: the tiled kernel (webgpu_tiled.ts: 16 query rows × 16 invocations per row, Q block and K/V
 * tiles in workgroup memory), the default wherever its tiles fit the device's workgroup memory (capped at 32 KiB:
 * D ≤ 236); the row kernel (webgpu_rows.ts: one invocation per query row) beyond that; and, on request, the
 * blocked kernel (webgpu_blocked.ts: 32 query rows × 32-key tiles, every per-invocation value in registers by
 * construction; D = 16, 32, 48, 64), the candidate to replace the tiled one once the GPU check has timed both.
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
import { SdpaBlockedProgram, sdpaBlocking } from './webgpu_blocked.ts';

/**
 * The tiled kernel is the default. FUSEBENCH_WEBGPU_SDPA=rows selects the row kernel everywhere (comparisons);
 * FUSEBENCH_WEBGPU_SDPA=blocked the blocked kernel wherever it applies (the tiled or row kernel elsewhere), and
 * =blocked16 the same with 16 query rows per workgroup (twice the workgroups).
 * (The tiled kernel's first H100 run was wrong at S ≥ 128: a loop-local accumulator that Dawn on Vulkan did not
 * re-zero per key tile; see docs/webgpu.md, "Finding".) Read per call, so a bench can switch between calls.
 */
export function defaultSdpaChoice(env: Readonly<Record<string, string | undefined>> = process.env): SdpaProgramChoice {
  const v = env.FUSEBENCH_WEBGPU_SDPA;
  if (v === undefined || v === '' || v === 'tiled') return {};
  if (v === 'rows') return { rows: true };
  if (v === 'blocked') return { blocked: true };
  if (v === 'blocked16') return { blocked: true, blockedRows: 16 };
  throw new WebGPUKernelInputError(`FUSEBENCH_WEBGPU_SDPA must be 'tiled', 'rows' or 'blocked' (got ${JSON.stringify(v)}; 'blocked16': the blocked kernel with 16 query rows per workgroup)`);
}

export interface SdpaProgramChoice {
  /** Workgroup memory the tiled kernel may use; default: the device's limit (the kernel caps it at 32 KiB). */
  readonly budgetBytes?: number;
  /** Force the row kernel (tests and comparisons). */
  readonly rows?: boolean;
  /** The blocked kernel wherever it applies. */
  readonly blocked?: boolean;
  /** Its query rows per workgroup (default 32). */
  readonly blockedRows?: 16 | 32;
}

/** The program FusebenchSDPA runs for [bh, seq, d] on a device with `deviceBudgetBytes` of workgroup memory. */
export function sdpaProgram(bh: number, seq: number, d: number, deviceBudgetBytes: number, choice: SdpaProgramChoice = defaultSdpaChoice()): WebGPUProgram {
  const budget = choice.budgetBytes ?? deviceBudgetBytes;
  const blocking = choice.blocked ? sdpaBlocking(d, budget, choice.blockedRows ?? 32) : null;
  if (blocking) return new SdpaBlockedProgram(bh, seq, blocking);
  const tiling = choice.rows ? null : sdpaTiling(d, budget);
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
