/** CI-safe parts of the cuda backend: library search order, error text, the pool, broadcasting strides, detection. */
import { describe, expect, it } from 'vitest';
import { libraryCandidates, type SearchEnv } from '../../backends/cuda/ffi/find-libs.ts';
import { CudaCallError, formatCudaError } from '../../backends/cuda/ffi/errors.ts';
import { DevicePool, sizeClass } from '../../backends/cuda/runtime/pool.ts';
import { broadcastStrides } from '../../backends/cuda/ops/elementwise.ts';
import { cacheKey } from '../../backends/cuda/runtime/compiler.ts';
import { softmaxVariant } from '../../backends/cuda/codegen/rowwise.ts';
import { backend_util } from '@tensorflow/tfjs-core';
import { CudaBackend } from '../../backends/cuda/backend.ts';
import type { CudaRuntime } from '../../backends/cuda/runtime/context.ts';
import { nhwcPad } from '../../backends/cuda/ops/conv.ts';

function fakeFs(files: string[], env: Record<string, string> = {}): SearchEnv {
  const set = new Set(files);
  return {
    env,
    exists: (p) => set.has(p) || files.some((f) => f.startsWith(p + '/')),
    listDir: (p) => [...new Set(files.filter((f) => f.startsWith(p + '/')).map((f) => f.slice(p.length + 1).split('/')[0]!))],
  };
}

describe('cuda library search', () => {
  it('tries the loader, then CUDA_HOME, /usr/local/cuda, then python wheels, in that order', () => {
    const wheel = '/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib/libnvrtc.so.13';
    const fs = fakeFs(['/cuda-home/lib64/libnvrtc.so.13', '/usr/local/cuda/lib64/libnvrtc.so', wheel], { CUDA_HOME: '/cuda-home' });
    const paths = libraryCandidates('nvrtc', fs).map((c) => `${c.path} <${c.source}>`);
    expect(paths).toEqual([
      'libnvrtc.so.13 <loader search path>',
      'libnvrtc.so.12 <loader search path>',
      'libnvrtc.so <loader search path>',
      '/cuda-home/lib64/libnvrtc.so.13 <CUDA_HOME>',
      '/usr/local/cuda/lib64/libnvrtc.so </usr/local/cuda>',
      `${wheel} <python wheel nvidia/cu13>`,
    ]);
  });

  it('FUSEBENCH_CUDA_LIBS replaces the search and accepts folders or files', () => {
    const fs = fakeFs(['/x/libcublasLt.so.12', '/y/libcublasLt.so.13', '/usr/local/cuda/lib64/libcublasLt.so.13'], { FUSEBENCH_CUDA_LIBS: '/x:/y/libcublasLt.so.13' });
    expect(libraryCandidates('cublasLt', fs).map((c) => c.path)).toEqual(['/x/libcublasLt.so.12', '/y/libcublasLt.so.13']);
  });

  it('never offers the libcuda stub', () => {
    const fs = fakeFs(['/usr/local/cuda/lib64/stubs/libcuda.so']);
    expect(libraryCandidates('cuda', fs).some((c) => c.path.includes('stubs'))).toBe(false);
  });
});

describe('cuda errors', () => {
  it('names the call, the CUDA error name, its text and code', () => {
    const e = new CudaCallError('cuda', 'cuMemAlloc(1024)', 2, 'CUDA_ERROR_OUT_OF_MEMORY', 'out of memory');
    expect(e.message).toBe('cuMemAlloc(1024) failed with CUDA_ERROR_OUT_OF_MEMORY: out of memory (code 2)');
    expect(formatCudaError('nvrtcCompileProgram(x.cu)', 6, 'NVRTC_ERROR_COMPILATION', '', 'x.cu(3): error: bad')).toBe(
      'nvrtcCompileProgram(x.cu) failed with NVRTC_ERROR_COMPILATION (code 6)\nx.cu(3): error: bad',
    );
  });
});

describe('cuda device pool', () => {
  it('reuses freed blocks per size class and returns in-use bytes to baseline', () => {
    let next = 0x1000;
    const freed: number[] = [];
    const pool = new DevicePool({ alloc: (b) => ((next += b + 256), next), free: (p) => freed.push(p) });
    expect(pool.acquire(0)).toBe(0);
    const a = pool.acquire(1000);
    const b = pool.acquire(3 << 20);
    expect(pool.stats().inUseBytes).toBe(sizeClass(1000) + sizeClass(3 << 20));
    pool.release(a, 1000);
    pool.release(b, 3 << 20);
    expect(pool.stats().inUseBytes).toBe(0);
    expect(pool.acquire(900)).toBe(a);
    expect(pool.stats().deviceAllocs).toBe(2);
    expect(() => pool.release(12345, 100 << 20)).toThrow(/unknown block/);
    pool.trim();
    expect(freed).toEqual([b]);
  });

  it('trims the cache and retries once when the device is out of memory', () => {
    let calls = 0;
    const pool = new DevicePool({ alloc: () => (++calls === 2 ? 0 : 0x10000 * calls), free: () => {} });
    pool.release(pool.acquire(512), 512);
    expect(pool.acquire(4096)).toBeGreaterThan(0);
    expect(pool.stats().cachedBytes).toBe(0);
  });

  it('size classes: 512-byte steps below 1 MiB, 2 MiB steps above', () => {
    expect(sizeClass(1)).toBe(512);
    expect(sizeClass(513)).toBe(1024);
    expect(sizeClass((1 << 20) + 1)).toBe(2 << 20);
  });
});

describe('cuda broadcasting and caching helpers', () => {
  it('broadcast strides put 0 on broadcast axes', () => {
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([2, 3, 4], [2, 3, 4])).toEqual([12, 4, 1]);
  });
  it('the disk cache key changes with source, options and NVRTC version', () => {
    const k = cacheKey('src', ['-arch=sm_90'], '13.0');
    expect(cacheKey('src', ['-arch=sm_90'], '13.1')).not.toBe(k);
    expect(cacheKey('src', ['-arch=sm_80'], '13.0')).not.toBe(k);
    expect(cacheKey('src2', ['-arch=sm_90'], '13.0')).not.toBe(k);
  });
  it('row softmax keeps rows in registers up to 1024 columns, in shared memory up to 12288, else re-reads', () => {
    expect(softmaxVariant(1)).toEqual({ kind: 'warp', values: 1 });
    expect(softmaxVariant(33)).toEqual({ kind: 'warp', values: 2 });
    expect(softmaxVariant(512)).toEqual({ kind: 'warp', values: 16 });
    expect(softmaxVariant(1024)).toEqual({ kind: 'warp', values: 32 });
    expect(softmaxVariant(1025)).toEqual({ kind: 'smem' });
    expect(softmaxVariant(12288)).toEqual({ kind: 'smem' });
    expect(softmaxVariant(12289)).toEqual({ kind: 'global' });
  });
});

/** A CudaBackend over the real pool and a driver that only counts: storage, views and refcounts, no GPU. */
function fakeBackend(): { backend: CudaBackend; pool: DevicePool } {
  let next = 0x10000;
  const pool = new DevicePool({ alloc: (b) => ((next += b + 256), next), free: () => {} });
  const driver = { eventCreate: () => ({}), eventDestroy: () => {}, htod: () => {}, dtoh: () => {} };
  const rt = { pool, driver, constant: () => 0 } as unknown as CudaRuntime;
  return { backend: new CudaBackend(rt), pool };
}

describe('cuda backend storage (fake driver)', () => {
  it('views share data and count references as tfjs-backend-cpu does: freed with the last reference', () => {
    const { backend, pool } = fakeBackend();
    const x = backend.makeTensorInfo([2, 3], 'float32', new Float32Array(6));
    const v = backend.view(x, [6]);
    expect(v.dataId).toBe(x.dataId);
    expect(backend.refCount(x.dataId)).toBe(2);
    expect(backend.disposeData(x.dataId)).toBe(false);
    expect(pool.stats().inUseBytes).toBe(512);
    expect(backend.disposeData(v.dataId)).toBe(true);
    expect(pool.stats().inUseBytes).toBe(0);
    expect(backend.numDataIds()).toBe(0);
  });

  it('dispose() returns the device memory of tensors still alive (tfjs engine reset after a spec whose gradient threw)', () => {
    const { backend, pool } = fakeBackend();
    const a = backend.makeTensorInfo([4], 'float32', new Float32Array(4));
    backend.view(a, [2, 2]);
    backend.makeTensorInfo([300], 'int32', new Int32Array(300));
    backend.derivedOf(a, 'k', () => backend.makeOutput([4], 'float32'));
    expect(pool.stats().inUseBytes).toBe(512 + 1536 + 512);
    backend.dispose();
    expect(pool.stats().inUseBytes).toBe(0);
    expect(pool.stats().liveBlocks).toBe(0);
  });
});

describe('cuda complex64 storage (fake driver)', () => {
  it('a complex tensor owns its two float32 parts: views keep it alive, the last reference frees all three', () => {
    const { backend, pool } = fakeBackend();
    const c = backend.makeComplex(backend.makeOutput([200], 'float32'), backend.makeOutput([200], 'float32'), [10, 20]);
    expect(c.dtype).toBe('complex64');
    expect(backend.numDataIds()).toBe(3);
    const v = backend.view(c, [200]);
    const { real, imag } = backend.complexParts(v);
    expect(real.shape).toEqual([200]);
    backend.disposeData(c.dataId);
    backend.disposeData(v.dataId);
    expect(pool.stats().inUseBytes).toBe(2 * 1024);
    backend.disposeData(real.dataId);
    backend.disposeData(imag.dataId);
    expect(pool.stats().inUseBytes).toBe(0);
    expect(backend.numDataIds()).toBe(0);
    expect(() => backend.complexParts(backend.makeOutput([2], 'float32'))).toThrow(/has no complex parts/);
  });
});

describe('cuda conv layouts', () => {
  it('NCHW explicit padding moves with the axes when the conv runs in NHWC (the H200 "p=explicit NCHW" failure)', () => {
    const pad: backend_util.ExplicitPadding = [[0, 0], [0, 0], [1, 2], [0, 1]];
    const nchw = backend_util.computeConv2DInfo([1, 3, 5, 6], [2, 2, 3, 4], 1, 1, pad, undefined, false, 'channelsFirst');
    const nhwc = backend_util.computeConv2DInfo([1, 5, 6, 3], [2, 2, 3, 4], 1, 1, nhwcPad(pad), undefined, false, 'channelsLast');
    expect([nhwc.outHeight, nhwc.outWidth, nhwc.padInfo]).toEqual([nchw.outHeight, nchw.outWidth, nchw.padInfo]);
    expect(nhwcPad('same')).toBe('same');
  });
});
