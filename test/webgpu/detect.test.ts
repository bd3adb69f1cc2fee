/** Detection of the webgpu backend: every "unavailable" reason, driven by fakes; no GPU needed. */
import { describe, expect, it, vi } from 'vitest';
import {
  detectWebGPU, isSoftwareAdapter, REQUIRED_LIMITS, type AdapterLike, type DetectProbes, type LimitsLike,
} from '../../backends/webgpu/detect.ts';
import { deviceRequest } from '../../backends/webgpu/device.ts';
import { dawnFlags, defaultWebGPUOptions, readWebGPUOptions, type WebGPUOptions } from '../../backends/webgpu/options.ts';
import { createWebGPUAdapter, webgpuBackend } from '../../backends/webgpu/adapter.ts';

const LIMITS: LimitsLike = {
  maxComputeWorkgroupStorageSize: 49152,
  maxComputeInvocationsPerWorkgroup: 1024,
  maxComputeWorkgroupSizeX: 1024,
  maxStorageBufferBindingSize: 2 ** 31,
  maxBufferSize: 2 ** 34,
};

function fakeAdapter(over: { features?: string[]; limits?: Partial<LimitsLike>; device?: string; description?: string; fallback?: boolean } = {}): AdapterLike {
  return {
    features: new Set(over.features ?? ['timestamp-query', 'shader-f16']),
    limits: { ...LIMITS, ...over.limits },
    info: {
      vendor: 'nvidia', architecture: 'hopper', device: over.device ?? 'NVIDIA H100 80GB HBM3',
      description: over.description ?? 'NVIDIA: 550.54.15', isFallbackAdapter: over.fallback ?? false,
    },
  };
}

function probes(over: { loader?: string; dawnError?: Error; adapter?: AdapterLike | null; requestError?: Error; platform?: string } = {}) {
  const requestAdapter = vi.fn(async () => {
    if (over.requestError) throw over.requestError;
    return over.adapter === undefined ? fakeAdapter() : over.adapter;
  });
  const create = vi.fn(() => ({ requestAdapter }));
  const loadDawn = vi.fn(async () => {
    if (over.dawnError) throw over.dawnError;
    return { create };
  });
  const vulkanLoader = vi.fn(async () => over.loader);
  const p: DetectProbes = { platform: over.platform ?? 'linux', vulkanLoader, loadDawn };
  return { p, create, requestAdapter, loadDawn, vulkanLoader };
}

const opts = (o: Partial<WebGPUOptions> = {}): WebGPUOptions => ({ ...defaultWebGPUOptions, ...o });

describe('detectWebGPU', () => {
  it('reports a missing Vulkan loader without touching Dawn', async () => {
    const f = probes({ loader: 'libvulkan.so.1: cannot open shared object file: No such file or directory' });
    const d = await detectWebGPU(f.p, opts());
    expect(d.availability.available).toBe(false);
    expect(d.availability.reason).toMatch(/^no Vulkan loader: libvulkan\.so\.1 cannot be opened \(libvulkan\.so\.1: cannot open/);
    expect(d.availability.installHint).toMatch(/libvulkan1/);
    expect(f.loadDawn).not.toHaveBeenCalled();
  });

  it('checks the Vulkan loader only for the Vulkan backend on Linux', async () => {
    const gl = probes({ loader: 'missing' });
    expect((await detectWebGPU(gl.p, opts({ dawnBackend: 'opengl' }))).availability.available).toBe(true);
    expect(gl.vulkanLoader).not.toHaveBeenCalled();
    const mac = probes({ loader: 'missing', platform: 'darwin' });
    await detectWebGPU(mac.p, opts());
    expect(mac.vulkanLoader).not.toHaveBeenCalled();
  });

  it('reports dawn.node failing to load', async () => {
    const d = await detectWebGPU(probes({ dawnError: new Error('dawn.node: invalid ELF header') }).p, opts());
    expect(d.availability.available).toBe(false);
    expect(d.availability.reason).toBe('cannot load dawn.node from the webgpu package: dawn.node: invalid ELF header');
  });

  it('reports no adapter, naming the backend and feature level', async () => {
    const d = await detectWebGPU(probes({ adapter: null }).p, opts());
    expect(d.availability.available).toBe(false);
    expect(d.availability.reason).toMatch(/^no adapter: Dawn vulkan backend returned none at feature level "core": the Vulkan loader is present but no Vulkan device qualifies/);
    expect(d.adapter).toBeUndefined();
  });

  it('reports requestAdapter throwing', async () => {
    const d = await detectWebGPU(probes({ requestError: new Error('boom') }).p, opts());
    expect(d.availability.reason).toBe('Dawn vulkan backend: requestAdapter failed: boom');
  });

  it('rejects a software adapter unless allowed', async () => {
    const sw = fakeAdapter({ device: 'llvmpipe (LLVM 15.0.6, 256 bits)', description: 'Mesa 22.3.6' });
    const no = await detectWebGPU(probes({ adapter: sw }).p, opts());
    expect(no.availability.available).toBe(false);
    expect(no.availability.reason).toMatch(/software \(CPU\) implementation.*FUSEBENCH_WEBGPU_ALLOW_SOFTWARE=1/);
    expect(no.adapter).toBe(sw); // found, so the reason can name it
    const yes = await detectWebGPU(probes({ adapter: sw }).p, opts({ allowSoftware: true }));
    expect(yes.availability.available).toBe(true);
    expect(yes.availability.reason).toMatch(/SOFTWARE adapter \(correctness only\)/);
  });

  it('knows software adapters by name or by the fallback flag', () => {
    expect(isSoftwareAdapter(fakeAdapter({ device: 'SwiftShader Device (Subzero)' }).info)).toBe(true);
    expect(isSoftwareAdapter(fakeAdapter({ device: 'llvmpipe-llvm-15-0-6-256-bits-' }).info)).toBe(true);
    expect(isSoftwareAdapter(fakeAdapter({ fallback: true }).info)).toBe(true);
    expect(isSoftwareAdapter(fakeAdapter().info)).toBe(false);
  });

  it('reports a missing required feature, naming it and what the adapter has', async () => {
    const a = fakeAdapter({ features: ['shader-f16'] });
    const d = await detectWebGPU(probes({ adapter: a }).p, opts({ requiredFeatures: ['timestamp-query'] }));
    expect(d.availability.available).toBe(false);
    expect(d.availability.reason).toBe('adapter "NVIDIA H100 80GB HBM3" lacks required feature timestamp-query (required by FUSEBENCH_WEBGPU_REQUIRE_FEATURES; it has: shader-f16)');
  });

  it('reports a limit too small for the kernels', async () => {
    const a = fakeAdapter({ limits: { maxComputeWorkgroupStorageSize: 8192 } });
    const d = await detectWebGPU(probes({ adapter: a }).p, opts());
    expect(d.availability.available).toBe(false);
    expect(d.availability.reason).toBe(`adapter "NVIDIA H100 80GB HBM3" limit maxComputeWorkgroupStorageSize is 8192; fusebench's WGSL kernels need ≥ ${REQUIRED_LIMITS.maxComputeWorkgroupStorageSize}`);
  });

  it('is available on a hardware adapter and says whether kernel times exist', async () => {
    const f = probes();
    const d = await detectWebGPU(f.p, opts());
    expect(d.availability).toEqual({ available: true, reason: 'NVIDIA H100 80GB HBM3 via Dawn vulkan backend; timestamp-query: GPU kernel times' });
    expect(d.features).toEqual(['shader-f16', 'timestamp-query']);
    expect(f.create).toHaveBeenCalledWith(['backend=vulkan', 'disable-dawn-features=timestamp_quantization']);
    expect(f.requestAdapter).toHaveBeenCalledWith({ powerPreference: 'high-performance', featureLevel: 'core' });
    const noTs = await detectWebGPU(probes({ adapter: fakeAdapter({ features: [] }) }).p, opts());
    expect(noTs.availability.reason).toMatch(/no timestamp-query: wall time only$/);
  });
});

describe('options', () => {
  it('defaults to Vulkan, core, nothing required, no software', () => {
    expect(readWebGPUOptions({})).toEqual(defaultWebGPUOptions);
  });

  it('parses the environment and names a bad variable', () => {
    expect(readWebGPUOptions({ FUSEBENCH_WEBGPU_DAWN_BACKEND: 'opengl', FUSEBENCH_WEBGPU_FEATURE_LEVEL: 'compatibility', FUSEBENCH_WEBGPU_REQUIRE_FEATURES: 'timestamp-query, shader-f16', FUSEBENCH_WEBGPU_ALLOW_SOFTWARE: '1' }))
      .toEqual({ dawnBackend: 'opengl', featureLevel: 'compatibility', requiredFeatures: ['timestamp-query', 'shader-f16'], allowSoftware: true });
    expect(() => readWebGPUOptions({ FUSEBENCH_WEBGPU_DAWN_BACKEND: 'metal2' })).toThrow(/^FUSEBENCH_WEBGPU_DAWN_BACKEND: unknown value "metal2"; expected one of vulkan/);
    expect(() => readWebGPUOptions({ FUSEBENCH_WEBGPU_FEATURE_LEVEL: 'full' })).toThrow(/FUSEBENCH_WEBGPU_FEATURE_LEVEL/);
  });

  it('switches timestamp quantisation off', () => {
    expect(dawnFlags(defaultWebGPUOptions)).toContain('disable-dawn-features=timestamp_quantization');
  });
});

describe('deviceRequest', () => {
  it('asks for timestamp-query exactly when the adapter has it, and for the adapter limits', () => {
    expect(deviceRequest(fakeAdapter()).requiredFeatures).toEqual(['timestamp-query']);
    expect(deviceRequest(fakeAdapter({ features: ['shader-f16'] })).requiredFeatures).toEqual([]);
    expect(deviceRequest(fakeAdapter({ features: [] }), ['shader-f16']).requiredFeatures).toEqual(['shader-f16']);
    const limits = deviceRequest(fakeAdapter()).requiredLimits;
    expect(limits.maxBufferSize).toBe(LIMITS.maxBufferSize);
    expect(limits.maxComputeWorkgroupStorageSize).toBe(LIMITS.maxComputeWorkgroupStorageSize);
  });
});

describe('the adapter without a GPU', () => {
  it('is unavailable with the reason, and init rejects with it', async () => {
    const a = createWebGPUAdapter(opts(), probes({ loader: 'not found' }).p as never);
    const av = await a.detect();
    expect(av.available).toBe(false);
    await expect(a.init()).rejects.toThrow(`webgpu backend is not available: ${av.reason}`);
    expect(a.hasKernelTiming).toBe(false);
    expect(a.describe().description).toMatch(/^webgpu \(no Vulkan loader/);
    expect(() => a.gpuDevice()).toThrow(/not initialised/);
    await a.teardown();
  });

  it('turns a bad environment variable into "unavailable", not a crash', async () => {
    const before = process.env.FUSEBENCH_WEBGPU_DAWN_BACKEND;
    process.env.FUSEBENCH_WEBGPU_DAWN_BACKEND = 'nope';
    try {
      const av = await createWebGPUAdapter(undefined, probes().p as never).detect();
      expect(av).toEqual({ available: false, reason: expect.stringMatching(/^FUSEBENCH_WEBGPU_DAWN_BACKEND: unknown value "nope"/) });
    } finally {
      if (before === undefined) delete process.env.FUSEBENCH_WEBGPU_DAWN_BACKEND;
      else process.env.FUSEBENCH_WEBGPU_DAWN_BACKEND = before;
    }
  });

  it('detects on this machine without throwing, and names a reason when unavailable', async () => {
    const av = await webgpuBackend.detect();
    expect(typeof av.available).toBe('boolean');
    if (!av.available) expect(av.reason).toMatch(/\S/);
  });
});
