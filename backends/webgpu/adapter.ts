/**
 * tfjs-backend-webgpu on Dawn (dawn.node from the `webgpu` package, Vulkan by default) as a fusebench backend.
 *
 * - detect() names the exact reason when there is no usable GPU (see detect.ts); it never throws.
 * - init() builds the GPUDevice itself (timestamp-query when the adapter has it) and registers tfjs's
 *   WebGPUBackend on it, with WEBGPU_CPU_FORWARD off so small tensors are measured on the GPU too.
 * - Every WebGPU validation error is collected; sync() throws the first one, so a shader that fails to
 *   compile marks the size failed instead of timing a kernel that never ran.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Availability, BackendAdapter, DeviceInfo } from '../../harness/core/types.ts';
import { detectWebGPU, isSoftwareAdapter, realProbes, type AdapterLike, type DetectProbes, type WebGPUDetection } from './detect.ts';
import { deviceRequest, TIMESTAMP_QUERY } from './device.ts';
import { installGpuGlobals, removeGpuGlobal, type DawnModule } from './dawn.ts';
import { deviceInfo } from './info.ts';
import { nvidiaDeviceState, nvidiaDriverVersion } from '../common/nvidia-smi.ts';
import { readWebGPUOptions, type WebGPUOptions } from './options.ts';

export const WEBGPU_BACKEND_NAME = 'webgpu';

/** What cold-cache eviction writes: WebGPU does not report the L2 size, so a size at least twice any current L2. */
const EVICTION_BYTES = 256 * 2 ** 20;

/** The part of tfjs-webgpu's backend the fence needs (public in its JavaScript, absent from its typings). */
interface SubmittingBackend {
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

/** Submits what tfjs-webgpu holds in its command encoder, as its own reads do before mapping a buffer. */
function submitPending(): void {
  const b = tf.findBackend(WEBGPU_BACKEND_NAME) as unknown as SubmittingBackend | null;
  if (!b) throw new Error('webgpu backend is not initialised: call init() first');
  b.ensureCommandEncoderReady();
  b.endComputePassEncoder();
  b.submitQueue();
}

type RealAdapter = GPUAdapter & AdapterLike;

interface Live {
  readonly device: GPUDevice;
  readonly info: DeviceInfo;
  readonly timestamp: boolean;
  readonly errors: string[];
  readonly adapterFeatures: readonly string[];
}

export interface WebGPUAdapterHandle extends BackendAdapter {
  /** The live GPUDevice (after init), for calibration. */
  gpuDevice(): GPUDevice;
  /** WebGPU errors reported by the device since init (validation, out-of-memory, internal, device lost). */
  gpuErrors(): readonly string[];
  /** Every feature the adapter offers (the device requests only what fusebench uses). */
  adapterFeatures(): readonly string[];
}

/**
 * Builds the adapter. `options` defaults to the environment (options.ts), read at detect time so that a bad
 * value becomes an "unavailable" with the variable named rather than an import-time crash.
 */
export function createWebGPUAdapter(
  options?: WebGPUOptions, probes: DetectProbes<RealAdapter> = realProbes(),
): WebGPUAdapterHandle {
  let detection: WebGPUDetection<RealAdapter> | undefined;
  let opts: WebGPUOptions | undefined = options;
  let live: Live | undefined;
  let reported = 0;
  let evictBuffer: GPUBuffer | undefined;

  const detectOnce = async (): Promise<WebGPUDetection<RealAdapter>> => {
    if (detection) return detection;
    try {
      opts ??= readWebGPUOptions();
    } catch (e) {
      return { features: [], availability: { available: false, reason: (e as Error).message } };
    }
    try {
      detection = await detectWebGPU(probes, opts);
    } catch (e) {
      detection = { features: [], availability: { available: false, reason: `detection failed: ${(e as Error).message}` } };
    }
    return detection;
  };

  const start = async (): Promise<Live> => {
    const det = await detectOnce();
    if (!det.availability.available || !det.adapter || !det.gpu || !det.dawn || !opts) {
      throw new Error(`webgpu backend is not available: ${det.availability.reason ?? 'unknown reason'}`);
    }
    const adapter = det.adapter;
    // Globals first: tfjs-backend-webgpu registers itself and reads GPUBufferUsage etc. only if they exist.
    installGpuGlobals(det.dawn as unknown as DawnModule, det.gpu as unknown as GPU);
    const tfwebgpu = await import('@tensorflow/tfjs-backend-webgpu');
    tf.env().set('WEBGPU_CPU_FORWARD', false);

    const request = deviceRequest(adapter, opts.requiredFeatures);
    const device = await adapter.requestDevice(request as GPUDeviceDescriptor);
    const errors: string[] = [];
    device.addEventListener('uncapturederror', (ev) => {
      const err = (ev as GPUUncapturedErrorEvent).error;
      errors.push(`${err.constructor?.name ?? 'GPUError'}: ${err.message}`);
    });
    void device.lost.then((l) => {
      if (l.reason !== 'destroyed') errors.push(`device lost (${l.reason}): ${l.message}`);
    });

    if (tf.findBackendFactory(WEBGPU_BACKEND_NAME)) tf.removeBackend(WEBGPU_BACKEND_NAME);
    tf.registerBackend(WEBGPU_BACKEND_NAME, () => new tfwebgpu.WebGPUBackend(device, adapter.info), 3);
    if (!(await tf.setBackend(WEBGPU_BACKEND_NAME))) throw new Error('tf.setBackend("webgpu") failed');
    await tf.ready();

    const timestamp = device.features.has(TIMESTAMP_QUERY);
    const info = deviceInfo({
      info: adapter.info,
      dawnBackend: opts.dawnBackend,
      featureLevel: opts.featureLevel,
      deviceFeatures: [...device.features].sort(),
      timestampQuery: timestamp,
      driver: nvidiaDriverVersion(),
      software: isSoftwareAdapter(adapter.info),
    });
    return { device, info, timestamp, errors, adapterFeatures: det.features };
  };

  const handle: WebGPUAdapterHandle = {
    name: WEBGPU_BACKEND_NAME,
    kind: 'gpu',
    get hasKernelTiming(): boolean {
      return live?.timestamp ?? false;
    },
    async detect(): Promise<Availability> {
      return (await detectOnce()).availability;
    },
    async init(): Promise<void> {
      if (!live) {
        live = await start();
        reported = 0;
      } else if (tf.getBackend() !== WEBGPU_BACKEND_NAME && !(await tf.setBackend(WEBGPU_BACKEND_NAME))) {
        throw new Error('tf.setBackend("webgpu") failed');
      }
    },
    // The fence: submit what tfjs-webgpu still holds in its command encoder, then wait for the queue to drain.
    async sync(): Promise<void> {
      if (!live) throw new Error('webgpu backend is not initialised: call init() first');
      submitPending();
      await live.device.queue.onSubmittedWorkDone();
      if (live.errors.length > reported) {
        const first = live.errors[reported]!;
        reported = live.errors.length;
        throw new Error(`WebGPU error: ${first.slice(0, 400)}`);
      }
    },
    // Timestamp queries around every pass (tfjs-webgpu's own profiler): the sum of the passes' GPU time, so host
    // gaps between them are never counted.
    async deviceTime(issue: () => void): Promise<number | undefined> {
      if (!live?.timestamp) return undefined;
      const info = await tf.time(issue);
      return typeof info.kernelMs === 'number' ? info.kernelMs : undefined;
    },
    async evictCache(): Promise<void> {
      if (!live) throw new Error('webgpu backend is not initialised: call init() first');
      submitPending();
      evictBuffer ??= live.device.createBuffer({ size: EVICTION_BYTES, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      const encoder = live.device.createCommandEncoder();
      encoder.clearBuffer(evictBuffer);
      live.device.queue.submit([encoder.finish()]);
    },
    evictionMethod: `a ${EVICTION_BYTES / 2 ** 20} MiB buffer cleared on the queue before each sample (WebGPU does not report the L2 size; this is at least 2 × the L2 of current GPUs)`,
    deviceState: nvidiaDeviceState,
    describe(): DeviceInfo {
      if (live) return live.info;
      const a = detection?.adapter;
      if (!a) return { description: `webgpu (${detection?.availability.reason ?? 'not detected yet'})` };
      return { description: `${a.info.description || a.info.device || 'WebGPU adapter'} (not initialised)`, vendor: a.info.vendor, architecture: a.info.architecture };
    },
    async teardown(): Promise<void> {
      if (!live) return;
      if (tf.findBackend(WEBGPU_BACKEND_NAME) || tf.findBackendFactory(WEBGPU_BACKEND_NAME)) tf.removeBackend(WEBGPU_BACKEND_NAME);
      evictBuffer?.destroy();
      evictBuffer = undefined;
      live.device.destroy();
      live = undefined;
      // The adapter was consumed by requestDevice; the next init detects afresh.
      detection = undefined;
      removeGpuGlobal();
    },
    gpuDevice(): GPUDevice {
      if (!live) throw new Error('webgpu backend is not initialised: call init() first');
      return live.device;
    },
    gpuErrors(): readonly string[] {
      return live?.errors ?? [];
    },
    adapterFeatures(): readonly string[] {
      return live?.adapterFeatures ?? detection?.features ?? [];
    },
  };
  return handle;
}

export const webgpuBackend: WebGPUAdapterHandle = createWebGPUAdapter();
