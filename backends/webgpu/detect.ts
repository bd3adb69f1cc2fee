/**
 * Is there a WebGPU device fusebench can benchmark, and if not, exactly why. Each step that can fail is a
 * probe, so tests drive every reason with fakes: no Vulkan loader, dawn.node not loadable, no adapter, a
 * software adapter, a missing feature, a limit too small for our kernels.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Availability } from '../../harness/core/types.ts';
import { dawnFlags, type WebGPUOptions } from './options.ts';

/** The parts of GPUAdapterInfo we read. */
export interface AdapterInfoLike {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter?: boolean;
}

/** The parts of GPUSupportedLimits our kernels depend on. */
export interface LimitsLike {
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
}

/** The parts of GPUAdapter detection reads (a real GPUAdapter satisfies it). */
export interface AdapterLike {
  readonly features: ReadonlySet<string>;
  readonly limits: LimitsLike;
  readonly info: AdapterInfoLike;
}

export interface GpuLike<A extends AdapterLike = AdapterLike> {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power'; featureLevel?: string }): Promise<A | null>;
}

export interface DawnLike<A extends AdapterLike = AdapterLike> {
  create(flags: string[]): GpuLike<A>;
}

export interface DetectProbes<A extends AdapterLike = AdapterLike> {
  readonly platform: string;
  /** Opens the Vulkan loader; returns undefined when it loads, else the loader's error. */
  vulkanLoader(): Promise<string | undefined>;
  loadDawn(): Promise<DawnLike<A>>;
}

/** What our kernels need from the device, beyond WebGPU core. Core guarantees these; a compatibility-mode adapter may not. */
export const REQUIRED_LIMITS: Readonly<Partial<Record<keyof LimitsLike, number>>> = {
  // FusebenchLinearAct's tiles (2 × 16 × 64 floats) and FusebenchSDPA's K/V tiles each fit in 16 KiB.
  maxComputeWorkgroupStorageSize: 16384,
  // FusebenchLayerNorm and the linear tile use 256 invocations per workgroup.
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
};

export const VULKAN_LOADER = 'libvulkan.so.1';

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|softpipe/i;

export interface WebGPUDetection<A extends AdapterLike = AdapterLike> {
  readonly availability: Availability;
  /** Set when an adapter was found (available or not), so that init can reuse it. */
  readonly dawn?: DawnLike<A>;
  readonly gpu?: GpuLike<A>;
  readonly adapter?: A;
  readonly features: readonly string[];
}

export function adapterName(info: AdapterInfoLike): string {
  const parts = [info.device, info.description, info.vendor, info.architecture].filter((s) => s && s.trim());
  return parts[0] ?? 'unnamed adapter';
}

export function isSoftwareAdapter(info: AdapterInfoLike): boolean {
  return info.isFallbackAdapter === true || SOFTWARE.test(`${info.description} ${info.device} ${info.architecture} ${info.vendor}`);
}

function unavailable(reason: string, installHint?: string, extra: Partial<WebGPUDetection> = {}): WebGPUDetection {
  return { features: [], ...extra, availability: { available: false, reason, ...(installHint ? { installHint } : {}) } };
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function detectWebGPU<A extends AdapterLike>(probes: DetectProbes<A>, options: WebGPUOptions): Promise<WebGPUDetection<A>> {
  const label = `Dawn ${options.dawnBackend} backend`;
  if (options.dawnBackend === 'vulkan' && probes.platform === 'linux') {
    const err = await probes.vulkanLoader();
    if (err !== undefined) {
      return unavailable(
        `no Vulkan loader: ${VULKAN_LOADER} cannot be opened (${err})`,
        'install the Vulkan loader (Debian/Ubuntu: apt-get install libvulkan1) and the GPU driver\'s Vulkan ICD (NVIDIA: nvidia_icd.json, found through VK_DRIVER_FILES)',
      ) as WebGPUDetection<A>;
    }
  }
  let dawn: DawnLike<A>;
  try {
    dawn = await probes.loadDawn();
  } catch (e) {
    return unavailable(`cannot load dawn.node from the webgpu package: ${errorText(e)}`, 'npm install webgpu (ships dawn.node for linux-x64)') as WebGPUDetection<A>;
  }
  let gpu: GpuLike<A>;
  let adapter: A | null;
  try {
    gpu = dawn.create(dawnFlags(options));
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance', featureLevel: options.featureLevel });
  } catch (e) {
    return unavailable(`${label}: requestAdapter failed: ${errorText(e)}`) as WebGPUDetection<A>;
  }
  if (!adapter) {
    const where = options.dawnBackend === 'vulkan'
      ? `the Vulkan loader is present but no Vulkan device qualifies (no ICD for a GPU, or the driver lacks what Dawn requires; ${process.env.VK_DRIVER_FILES ? `VK_DRIVER_FILES=${process.env.VK_DRIVER_FILES}` : 'VK_DRIVER_FILES unset'})`
      : `the ${options.dawnBackend} backend offers no device`;
    return unavailable(`no adapter: ${label} returned none at feature level "${options.featureLevel}": ${where}`,
      options.dawnBackend === 'vulkan' ? 'install the GPU\'s Vulkan driver; `vulkaninfo --summary` should list the GPU' : undefined) as WebGPUDetection<A>;
  }
  const features = [...adapter.features].sort();
  const name = adapterName(adapter.info);
  const found = { dawn, gpu, adapter, features };
  if (isSoftwareAdapter(adapter.info) && !options.allowSoftware) {
    return unavailable(`adapter "${name}" is a software (CPU) implementation; its timings say nothing about a GPU (set FUSEBENCH_WEBGPU_ALLOW_SOFTWARE=1 to use it anyway)`, undefined, found) as WebGPUDetection<A>;
  }
  const missing = options.requiredFeatures.filter((f) => !adapter.features.has(f));
  if (missing.length) {
    return unavailable(`adapter "${name}" lacks required feature${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (required by FUSEBENCH_WEBGPU_REQUIRE_FEATURES; it has: ${features.join(', ') || 'none'})`, undefined, found) as WebGPUDetection<A>;
  }
  for (const [limit, need] of Object.entries(REQUIRED_LIMITS) as Array<[keyof LimitsLike, number]>) {
    const has = adapter.limits[limit];
    if (!(has >= need)) {
      return unavailable(`adapter "${name}" limit ${limit} is ${has}; fusebench's WGSL kernels need ≥ ${need}`, undefined, found) as WebGPUDetection<A>;
    }
  }
  const timing = adapter.features.has('timestamp-query') ? 'timestamp-query: GPU kernel times' : 'no timestamp-query: wall time only';
  const software = isSoftwareAdapter(adapter.info) ? ', SOFTWARE adapter (correctness only)' : '';
  return { ...found, availability: { available: true, reason: `${name} via ${label}${software}; ${timing}` } };
}

/** Where the dynamic loader looks for libvulkan.so.1 when koffi cannot tell (LD_LIBRARY_PATH first). */
function loaderOnDisk(): boolean {
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/lib64', '/usr/lib', '/lib', '/usr/local/lib',
  ];
  return dirs.some((d) => existsSync(join(d, VULKAN_LOADER)));
}

/** The real probes: koffi opens the loader exactly as Dawn will; dawn.node comes from the webgpu package. */
export function realProbes(): DetectProbes<GPUAdapter & AdapterLike> {
  return {
    platform: process.platform,
    async vulkanLoader() {
      let koffi: typeof import('koffi');
      try {
        koffi = (await import('koffi')).default as typeof import('koffi');
      } catch {
        // No koffi: fall back to looking for the file.
        return loaderOnDisk() ? undefined : 'not found in LD_LIBRARY_PATH or the standard library directories';
      }
      try {
        koffi.load(VULKAN_LOADER).unload();
        return undefined;
      } catch (e) {
        return errorText(e);
      }
    },
    async loadDawn() {
      const { loadDawn } = await import('./dawn.ts');
      return (await loadDawn()) as unknown as DawnLike<GPUAdapter & AdapterLike>;
    },
  };
}
