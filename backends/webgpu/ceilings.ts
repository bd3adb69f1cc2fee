/**
 * The two GPU ceilings calibration divides by, measured on the live webgpu backend:
 *
 * - device copy bandwidth: a large buffer copied 32 times in one submit, two ways: `copyBufferToBuffer`
 *   and a WGSL vec4 copy kernel; bytes counted are read + written (2 × size per copy), 1 GB = 1e9 bytes.
 *   Wall clock from submit to `onSubmittedWorkDone` (≥ 16 GiB of traffic per submit keeps the submit/poll
 *   latency small against it); with timestamp-query the GPU-side time of the same work is reported too.
 *   The ceiling is the faster of the two: on an H100 under Dawn/Vulkan, copyBufferToBuffer measured
 *   ~415 GB/s while tfjs elementwise kernels moved ~1 TB/s, so a copy-engine figure alone is no roof.
 * - fp32 matmul rate through tfjs: `tf.matMul` of n×n by n×n (2·n³ FLOPs) on the webgpu backend, k calls
 *   back to back ended by reading one element of the last result; the best median over the sizes tried.
 *
 * Both need `webgpuBackend.init()` first (the device and the active tfjs backend).
 */
import * as tf from '@tensorflow/tfjs-core';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** One way of copying a buffer, timed. */
export interface CopyMethodResult {
  /** Median over repeats, GB/s (read + written), wall clock from submit to onSubmittedWorkDone. */
  readonly gbps: number;
  /** Median over repeats, GB/s, from GPU timestamps; absent without timestamp-query. */
  readonly gpuGbps?: number;
  readonly method: string;
}

export interface CopyBandwidth {
  /** The higher of the two methods (wall clock): the memory roof kernels are held against. */
  readonly gbps: number;
  readonly from: 'copyBufferToBuffer' | 'shader copy';
  readonly bufferCopy: CopyMethodResult;
  readonly shaderCopy: CopyMethodResult;
  readonly bytesPerCopy: number;
  readonly copiesPerSubmit: number;
  readonly repeats: number;
}

export interface CopyOptions {
  /** Buffer size (default 256 MiB, capped by the device's maxBufferSize and maxStorageBufferBindingSize). */
  readonly bytes?: number;
  readonly copiesPerSubmit?: number;
  readonly repeats?: number;
}

async function readTimestamps(device: GPUDevice, resolve: GPUBuffer): Promise<number> {
  const staging = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(resolve, 0, staging, 0, 16);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const t = new BigUint64Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return Number(t[1]! - t[0]!) / 1e6;
}

/** A vec4 copy, 4 vec4 per invocation at a grid stride (coalesced), as a WGSL kernel would stream memory. */
const SHADER_COPY_WGSL = `
  @group(0) @binding(0) var<storage, read> src : array<vec4<f32>>;
  @group(0) @binding(1) var<storage, read_write> dst : array<vec4<f32>>;
  @compute @workgroup_size(256)
  fn main(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
    let stride = nwg.x * 256u;
    let n = arrayLength(&dst);
    for (var k = 0u; k < 4u; k++) {
      let i = gid.x + k * stride;
      if (i < n) { dst[i] = src[i]; }
    }
  }`;

export async function measureCopyBandwidth(device: GPUDevice, opts: CopyOptions = {}): Promise<CopyBandwidth> {
  const limit = Math.min(device.limits.maxBufferSize, device.limits.maxStorageBufferBindingSize);
  const bytes = Math.floor(Math.min(opts.bytes ?? 256 * 2 ** 20, limit) / 256) * 256;
  const copies = opts.copiesPerSubmit ?? 32;
  const repeats = opts.repeats ?? 7;
  const usage = GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | GPUBufferUsage.STORAGE;
  const src = device.createBuffer({ size: bytes, usage });
  const dst = device.createBuffer({ size: bytes, usage });
  const timestamps = device.features.has('timestamp-query');
  const querySet = timestamps ? device.createQuerySet({ type: 'timestamp', count: 2 }) : undefined;
  const resolve = timestamps ? device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }) : undefined;
  const module = device.createShaderModule({ code: SHADER_COPY_WGSL });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: src } }, { binding: 1, resource: { buffer: dst } }],
  });
  const workgroups = Math.ceil(bytes / 16 / 256 / 4);
  const traffic = 2 * bytes * copies;

  const time = async (encodeCopies: (enc: GPUCommandEncoder) => void): Promise<{ wall: number[]; gpu: number[] }> => {
    const encode = (): GPUCommandBuffer => {
      const enc = device.createCommandEncoder();
      // Two empty passes bracket the copies with GPU timestamps (copies cannot carry timestamps themselves).
      if (querySet) enc.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 0 } }).end();
      encodeCopies(enc);
      if (querySet && resolve) {
        enc.beginComputePass({ timestampWrites: { querySet, endOfPassWriteIndex: 1 } }).end();
        enc.resolveQuerySet(querySet, 0, 2, resolve, 0);
      }
      return enc.finish();
    };
    // Warm-up: Dawn clears new buffers lazily on first use, and the first dispatch may compile; neither is timed.
    device.queue.submit([encode()]);
    await device.queue.onSubmittedWorkDone();
    const wall: number[] = [];
    const gpu: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const cmd = encode();
      const t0 = performance.now();
      device.queue.submit([cmd]);
      await device.queue.onSubmittedWorkDone();
      wall.push(performance.now() - t0);
      if (resolve) gpu.push(await readTimestamps(device, resolve));
    }
    return { wall, gpu };
  };
  const result = (t: { wall: number[]; gpu: number[] }, method: string): CopyMethodResult => {
    const gpuMs = t.gpu.length ? median(t.gpu) : 0;
    return { gbps: traffic / (median(t.wall) * 1e6), ...(gpuMs > 0 ? { gpuGbps: traffic / (gpuMs * 1e6) } : {}), method };
  };
  try {
    const bufferCopy = result(await time((enc) => {
      for (let i = 0; i < copies; i++) enc.copyBufferToBuffer(src, 0, dst, 0, bytes);
    }), `copyBufferToBuffer ${bytes / 2 ** 20} MiB × ${copies} per submit, bytes read + written, median of ${repeats} submits`);
    const shaderCopy = result(await time((enc) => {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      for (let i = 0; i < copies; i++) pass.dispatchWorkgroups(workgroups);
      pass.end();
    }), `WGSL vec4 copy kernel over ${bytes / 2 ** 20} MiB × ${copies} dispatches per submit, bytes read + written, median of ${repeats} submits`);
    const shaderWins = shaderCopy.gbps > bufferCopy.gbps;
    return {
      gbps: shaderWins ? shaderCopy.gbps : bufferCopy.gbps,
      from: shaderWins ? 'shader copy' : 'copyBufferToBuffer',
      bufferCopy,
      shaderCopy,
      bytesPerCopy: bytes,
      copiesPerSubmit: copies,
      repeats,
    };
  } finally {
    src.destroy();
    dst.destroy();
    querySet?.destroy();
    resolve?.destroy();
  }
}

export interface MatmulPoint {
  readonly n: number;
  /** Median wall ms per call. */
  readonly ms: number;
  readonly gflops: number;
  /** Median GPU kernel ms per call from tf.time, where the backend has timestamp-query. */
  readonly kernelMs?: number;
  readonly kernelGflops?: number;
}

export interface MatmulRate {
  /** Best wall-clock GFLOP/s over the sizes. */
  readonly gflops: number;
  readonly points: readonly MatmulPoint[];
  readonly method: string;
}

export interface MatmulOptions {
  readonly sizes?: readonly number[];
  readonly samples?: number;
  /** Each sample lasts at least this long (default 20 ms). */
  readonly minSampleMs?: number;
}

async function readOne(t: tf.Tensor): Promise<void> {
  const one = tf.tidy(() => tf.slice(tf.reshape(t, [-1]), [0], [1]));
  try {
    await one.data();
  } finally {
    one.dispose();
  }
}

export async function measureMatmulRate(opts: MatmulOptions = {}): Promise<MatmulRate> {
  if (tf.getBackend() !== 'webgpu') throw new Error(`measureMatmulRate needs the webgpu backend active (active: ${tf.getBackend()})`);
  const sizes = opts.sizes ?? [1024, 2048, 4096];
  const samples = opts.samples ?? 5;
  const minSampleMs = opts.minSampleMs ?? 20;
  const timed = (tf.backend() as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery === true;
  const points: MatmulPoint[] = [];
  for (const n of sizes) {
    const a = tf.randomUniform([n, n], -1, 1, 'float32');
    const b = tf.randomUniform([n, n], -1, 1, 'float32');
    try {
      const run = async (k: number): Promise<number> => {
        const t0 = performance.now();
        let last: tf.Tensor | undefined;
        for (let i = 0; i < k; i++) {
          const out = tf.matMul(a, b);
          last?.dispose();
          last = out;
        }
        await readOne(last!);
        last!.dispose();
        return (performance.now() - t0) / k;
      };
      await run(1); // compile the pipeline, allocate
      const one = await run(1);
      const k = Math.max(1, Math.min(200, Math.ceil(minSampleMs / Math.max(one, 1e-3))));
      const ms: number[] = [];
      for (let s = 0; s < samples; s++) ms.push(await run(k));
      const flops = 2 * n ** 3;
      const wallMs = median(ms);
      let kernel: { kernelMs: number; kernelGflops: number } | undefined;
      if (timed) {
        const kms: number[] = [];
        for (let s = 0; s < samples; s++) {
          const info = await tf.time(() => tf.matMul(a, b).dispose());
          kms.push(info.kernelMs as number);
        }
        const kMs = median(kms);
        if (kMs > 0) kernel = { kernelMs: kMs, kernelGflops: flops / (kMs * 1e6) };
      }
      points.push({ n, ms: wallMs, gflops: flops / (wallMs * 1e6), ...(kernel ?? {}) });
    } finally {
      a.dispose();
      b.dispose();
    }
  }
  const best = points.reduce((p, q) => (q.gflops > p.gflops ? q : p));
  return {
    gflops: best.gflops,
    points,
    method: `tf.matMul n×n·n×n float32 (2n³ FLOPs), n ∈ {${sizes.join(', ')}}; per size the median of ${samples} samples of k back-to-back calls ended by reading one element; best size (n = ${best.n})`,
  };
}

/** Device copy bandwidth in GB/s (read + written), wall clock: the faster of copyBufferToBuffer and a shader copy. */
export async function measureCopyBandwidthGBps(device: GPUDevice, opts?: CopyOptions): Promise<number> {
  return (await measureCopyBandwidth(device, opts)).gbps;
}

/** fp32 matmul GFLOP/s through tfjs on the active webgpu backend, wall clock. */
export async function measureMatmulGflops(opts?: MatmulOptions): Promise<number> {
  return (await measureMatmulRate(opts)).gflops;
}
