/**
 * Thin typed wrapper over cuDNN 9's legacy C API (still shipped, deprecated in favour of the graph API):
 * 2-D NHWC fp32 convolutions, plain (cudnnConvolutionForward) and with bias + activation
 * (cudnnConvolutionBiasActivationForward). FMA math only: no TF32, like the cuBLASLt path (COMPUTE_32F).
 * Every non-zero cudnnStatus_t throws CudaCallError with cuDNN's own error string.
 */
import koffi from 'koffi';
import type { KoffiLib } from './load.ts';
import { CudaCallError } from './errors.ts';
import type { DevicePtr } from './driver.ts';

koffi.pointer('cudnnHandle_t', koffi.opaque());
koffi.pointer('cudnnTensorDescriptor_t', koffi.opaque());
koffi.pointer('cudnnFilterDescriptor_t', koffi.opaque());
koffi.pointer('cudnnConvolutionDescriptor_t', koffi.opaque());
koffi.pointer('cudnnActivationDescriptor_t', koffi.opaque());

const CUDNN_TENSOR_NCHW = 0;
const CUDNN_TENSOR_NHWC = 1;
const CUDNN_DATA_FLOAT = 0;
const CUDNN_CROSS_CORRELATION = 1;
/** cudnnMathType_t: 1 and 2 allow tensor-op (TF32 / conversion) math; 3 = CUDNN_FMA_MATH. */
const CUDNN_TENSOR_OP_MATH = 1;
const CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION = 2;
const CUDNN_FMA_MATH = 3;
const CUDNN_ACTIVATION_RELU = 1;
const CUDNN_ACTIVATION_IDENTITY = 5;
const CUDNN_PROPAGATE_NAN = 1;
/** cudnnConvolutionBiasActivationForward with IDENTITY supports only this algorithm (cuDNN docs). */
export const CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM = 1;
/** sizeof(cudnnConvolutionFwdAlgoPerf_t): algo, status (int), time (float), memory (size_t), determinism, mathType, reserved[3]. */
const PERF_BYTES = 48;

/** NHWC fp32 2-D convolution, cross-correlation (what tfjs computes); padding symmetric. */
export interface ConvShape {
  readonly n: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outC: number;
  readonly outH: number;
  readonly outW: number;
  readonly kH: number;
  readonly kW: number;
  readonly padH: number;
  readonly padW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilH: number;
  readonly dilW: number;
}

/** 'none': cudnnConvolutionForward; 'bias' / 'biasRelu': cudnnConvolutionBiasActivationForward. */
export type ConvEpilogue = 'none' | 'bias' | 'biasRelu';

export interface ConvPlan {
  readonly key: string;
  readonly x: unknown;
  readonly w: unknown;
  readonly y: unknown;
  readonly conv: unknown;
  readonly bias: unknown;
  readonly act: unknown;
  readonly epilogue: ConvEpilogue;
  algo: number;
  workspaceBytes: number;
  chosen: boolean;
}

/** Workspace for one convolution call, from the device pool; released right after the (stream-ordered) launch. */
export interface Workspace {
  acquire(bytes: number): DevicePtr;
  /** `bytes`: what the block's acquire asked for. */
  release(ptr: DevicePtr, bytes: number): void;
}

/** Algorithms FindEx may try at most, with this much workspace. */
const FIND_WORKSPACE_BYTES = 256 << 20;

type Fn = (...args: unknown[]) => unknown;

export class Cudnn {
  private readonly f: Record<string, Fn> = {};
  private readonly handle: unknown;
  private readonly plans = new Map<string, ConvPlan>();
  private readonly one = new Float32Array([1]);
  private readonly zero = new Float32Array([0]);
  private readonly outHandle: [unknown] = [null];
  readonly version: number;

  constructor(lib: KoffiLib, private readonly ws: Workspace) {
    const decl = (proto: string): void => {
      const name = /(\w+)\s*\(/.exec(proto)![1]!;
      this.f[name] = lib.func(proto) as Fn;
    };
    decl('uint64_t cudnnGetVersion()');
    decl('const char *cudnnGetErrorString(int status)');
    decl('int cudnnCreate(_Out_ cudnnHandle_t *h)');
    decl('int cudnnCreateTensorDescriptor(_Out_ cudnnTensorDescriptor_t *d)');
    decl('int cudnnSetTensor4dDescriptor(cudnnTensorDescriptor_t d, int format, int dataType, int n, int c, int h, int w)');
    decl('int cudnnCreateFilterDescriptor(_Out_ cudnnFilterDescriptor_t *d)');
    decl('int cudnnSetFilter4dDescriptor(cudnnFilterDescriptor_t d, int dataType, int format, int k, int c, int h, int w)');
    decl('int cudnnCreateConvolutionDescriptor(_Out_ cudnnConvolutionDescriptor_t *d)');
    decl('int cudnnSetConvolution2dDescriptor(cudnnConvolutionDescriptor_t d, int padH, int padW, int u, int v, int dilH, int dilW, int mode, int computeType)');
    decl('int cudnnSetConvolutionMathType(cudnnConvolutionDescriptor_t d, int mathType)');
    decl('int cudnnGetConvolution2dForwardOutputDim(cudnnConvolutionDescriptor_t d, cudnnTensorDescriptor_t x, cudnnFilterDescriptor_t w, _Out_ int *n, _Out_ int *c, _Out_ int *h, _Out_ int *w)');
    decl('int cudnnCreateActivationDescriptor(_Out_ cudnnActivationDescriptor_t *d)');
    decl('int cudnnSetActivationDescriptor(cudnnActivationDescriptor_t d, int mode, int nanOpt, double coef)');
    decl('int cudnnFindConvolutionForwardAlgorithmEx(cudnnHandle_t h, cudnnTensorDescriptor_t xd, uint64_t x, cudnnFilterDescriptor_t wd, uint64_t w, cudnnConvolutionDescriptor_t cd, cudnnTensorDescriptor_t yd, uint64_t y, int requested, _Out_ int *returned, void *perf, uint64_t ws, uint64_t wsBytes)');
    decl('int cudnnGetConvolutionForwardWorkspaceSize(cudnnHandle_t h, cudnnTensorDescriptor_t xd, cudnnFilterDescriptor_t wd, cudnnConvolutionDescriptor_t cd, cudnnTensorDescriptor_t yd, int algo, _Out_ uint64_t *bytes)');
    decl('int cudnnConvolutionForward(cudnnHandle_t h, const void *alpha, cudnnTensorDescriptor_t xd, uint64_t x, cudnnFilterDescriptor_t wd, uint64_t w, cudnnConvolutionDescriptor_t cd, int algo, uint64_t ws, uint64_t wsBytes, const void *beta, cudnnTensorDescriptor_t yd, uint64_t y)');
    decl('int cudnnConvolutionBiasActivationForward(cudnnHandle_t h, const void *alpha1, cudnnTensorDescriptor_t xd, uint64_t x, cudnnFilterDescriptor_t wd, uint64_t w, cudnnConvolutionDescriptor_t cd, int algo, uint64_t ws, uint64_t wsBytes, const void *alpha2, cudnnTensorDescriptor_t zd, uint64_t z, cudnnTensorDescriptor_t bd, uint64_t bias, cudnnActivationDescriptor_t ad, cudnnTensorDescriptor_t yd, uint64_t y)');
    this.version = Number(this.f.cudnnGetVersion!());
    this.call('cudnnCreate', this.outHandle);
    this.handle = this.outHandle[0];
  }

  /** "9.10.2" from cudnnGetVersion's 91002 (cuDNN 9 encodes major·10000 + minor·100 + patch). */
  versionString(): string {
    const v = this.version;
    return v >= 90000 ? `${Math.floor(v / 10000)}.${Math.floor((v % 10000) / 100)}.${v % 100}` : `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 100)}.${v % 100}`;
  }

  private call(name: string, ...args: unknown[]): void {
    const code = this.f[name]!(...args) as number;
    if (code !== 0) throw new CudaCallError('cudnn', name, code, (this.f.cudnnGetErrorString!(code) as string | null) ?? `CUDNN_STATUS_${code}`, '');
  }

  private create(kind: 'Tensor' | 'Filter' | 'Convolution' | 'Activation'): unknown {
    this.call(`cudnnCreate${kind}Descriptor`, this.outHandle);
    return this.outHandle[0];
  }

  /** Descriptors for a shape and epilogue, made once; the algorithm is chosen on the first run (real operands). */
  plan(s: ConvShape, epilogue: ConvEpilogue): ConvPlan {
    const key = `${s.n},${s.inH},${s.inW},${s.inC}|${s.outC},${s.kH},${s.kW}|${s.padH},${s.padW}|${s.strideH},${s.strideW}|${s.dilH},${s.dilW}|${epilogue}`;
    const hit = this.plans.get(key);
    if (hit) return hit;
    const x = this.create('Tensor');
    this.call('cudnnSetTensor4dDescriptor', x, CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, s.n, s.inC, s.inH, s.inW);
    // NHWC filter format means KRSC memory order: [outC, kH, kW, inC].
    const w = this.create('Filter');
    this.call('cudnnSetFilter4dDescriptor', w, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NHWC, s.outC, s.inC, s.kH, s.kW);
    const conv = this.create('Convolution');
    this.call('cudnnSetConvolution2dDescriptor', conv, s.padH, s.padW, s.strideH, s.strideW, s.dilH, s.dilW, CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT);
    this.call('cudnnSetConvolutionMathType', conv, CUDNN_FMA_MATH);
    const dims: Array<[number]> = [[0], [0], [0], [0]];
    this.call('cudnnGetConvolution2dForwardOutputDim', conv, x, w, ...dims);
    const got = dims.map((d) => d[0]).join('×');
    const want = [s.n, s.outC, s.outH, s.outW].join('×');
    if (got !== want) throw new Error(`cuDNN computes an output of ${got} (N×C×H×W) where tfjs expects ${want}`);
    const y = this.create('Tensor');
    this.call('cudnnSetTensor4dDescriptor', y, CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, s.n, s.outC, s.outH, s.outW);
    let bias: unknown = null, act: unknown = null;
    if (epilogue !== 'none') {
      bias = this.create('Tensor');
      this.call('cudnnSetTensor4dDescriptor', bias, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, 1, s.outC, 1, 1);
      act = this.create('Activation');
      this.call('cudnnSetActivationDescriptor', act, epilogue === 'biasRelu' ? CUDNN_ACTIVATION_RELU : CUDNN_ACTIVATION_IDENTITY, CUDNN_PROPAGATE_NAN, 0);
    }
    const plan: ConvPlan = { key, x, w, y, conv, bias, act, epilogue, algo: CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM, workspaceBytes: 0, chosen: false };
    this.plans.set(key, plan);
    return plan;
  }

  /**
   * Picks the algorithm: the bias + identity form supports only IMPLICIT_PRECOMP_GEMM; otherwise FindEx times
   * every algorithm on the real operands (it writes y) and the fastest FMA-math one that succeeded is kept.
   */
  private choose(p: ConvPlan, xPtr: DevicePtr, wPtr: DevicePtr, yPtr: DevicePtr): void {
    if (p.epilogue !== 'bias') {
      const requested = 16;
      const perf = Buffer.alloc(PERF_BYTES * requested);
      const count: [number] = [0];
      const ws = this.ws.acquire(FIND_WORKSPACE_BYTES);
      try {
        this.call('cudnnFindConvolutionForwardAlgorithmEx', this.handle, p.x, xPtr, p.w, wPtr, p.conv, p.y, yPtr, requested, count, perf, ws, FIND_WORKSPACE_BYTES);
      } finally {
        this.ws.release(ws, FIND_WORKSPACE_BYTES);
      }
      let found = false;
      for (let i = 0; i < count[0] && !found; i++) {
        const r = perf.subarray(i * PERF_BYTES);
        const status = r.readInt32LE(4), math = r.readInt32LE(28);
        if (status !== 0 || math === CUDNN_TENSOR_OP_MATH || math === CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION) continue;
        p.algo = r.readInt32LE(0);
        found = true;
      }
      if (!found) throw new Error(`cuDNN FindConvolutionForwardAlgorithmEx: no FMA-math algorithm succeeded for ${p.key} (${count[0]} tried)`);
    }
    const bytes: [number | bigint] = [0];
    this.call('cudnnGetConvolutionForwardWorkspaceSize', this.handle, p.x, p.w, p.conv, p.y, p.algo, bytes);
    p.workspaceBytes = Number(bytes[0]);
    p.chosen = true;
  }

  /** y = epilogue(conv(x, w) [+ bias]) on the default stream. */
  run(p: ConvPlan, x: DevicePtr, w: DevicePtr, y: DevicePtr, bias: DevicePtr = 0): void {
    if (!p.chosen) this.choose(p, x, w, y);
    const ws = p.workspaceBytes > 0 ? this.ws.acquire(p.workspaceBytes) : 0;
    try {
      if (p.epilogue === 'none') {
        this.call('cudnnConvolutionForward', this.handle, this.one, p.x, x, p.w, w, p.conv, p.algo, ws, p.workspaceBytes, this.zero, p.y, y);
      } else {
        if (!bias) throw new Error(`cuDNN convolution with epilogue ${p.epilogue} needs a bias pointer`);
        // z = y with alpha2 = 0: the residual input is unused.
        this.call('cudnnConvolutionBiasActivationForward', this.handle, this.one, p.x, x, p.w, w, p.conv, p.algo, ws, p.workspaceBytes, this.zero, p.y, y, p.bias, bias, p.act, p.y, y);
      }
    } finally {
      if (ws) this.ws.release(ws, p.workspaceBytes);
    }
  }

  /** The algorithm a plan runs (after its first call), for reports. */
  algoOf(key: string): number | undefined {
    const p = this.plans.get(key);
    return p?.chosen ? p.algo : undefined;
  }
}
