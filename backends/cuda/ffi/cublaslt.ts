/**
 * Thin typed wrapper over cuBLASLt: fp32 (CUBLAS_COMPUTE_32F, no TF32) matmuls with epilogues.
 * Descriptors and the heuristic's algorithm are cached per problem signature so a repeated call is
 * two attribute sets and one cublasLtMatmul.
 */
import koffi from 'koffi';
import type { KoffiLib } from './load.ts';
import { CudaCallError } from './errors.ts';
import type { DevicePtr } from './driver.ts';

koffi.pointer('cublasLtHandle_t', koffi.opaque());
koffi.pointer('cublasLtMatmulDesc_t', koffi.opaque());
koffi.pointer('cublasLtMatrixLayout_t', koffi.opaque());
koffi.pointer('cublasLtMatmulPreference_t', koffi.opaque());

const CUBLAS_COMPUTE_32F = 68;
const CUDA_R_32F = 0;
const DESC_TRANSA = 3;
const DESC_TRANSB = 4;
const DESC_EPILOGUE = 7;
const DESC_BIAS_POINTER = 8;
const LAYOUT_BATCH_COUNT = 5;
const LAYOUT_STRIDED_BATCH_OFFSET = 6;
const PREF_MAX_WORKSPACE_BYTES = 1;
/** sizeof(cublasLtMatmulHeuristicResult_t): algo (8 × uint64) + workspaceSize + state + wavesCount + reserved[4]. */
const HEURISTIC_RESULT_BYTES = 96;

/** cublasLtEpilogue_t values. cuBLASLt's GELU is the tanh approximation (see docs/cuda.md). */
export const EPILOGUE = { none: 1, relu: 2, bias: 4, reluBias: 6, geluTanh: 32, geluTanhBias: 36 } as const;
export type Epilogue = keyof typeof EPILOGUE;

/** Column-major problem: D[m×n] = op(A)[m×k] · op(B)[k×n], batched with strides (0 = broadcast). */
export interface LtProblem {
  readonly transA: boolean;
  readonly transB: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly lda: number;
  readonly ldb: number;
  readonly ldd: number;
  readonly batch: number;
  readonly strideA: number;
  readonly strideB: number;
  readonly strideD: number;
  readonly epilogue: Epilogue;
}

interface Plan {
  readonly desc: unknown;
  /** Addresses of the descriptor and the A, B and D layouts, for the cublasLtMatmul call (see `matmulFn`). */
  readonly descAddr: number;
  readonly aAddr: number;
  readonly bAddr: number;
  readonly dAddr: number;
  /** The heuristic's candidates, best-ranked first. */
  readonly candidates: Buffer[];
  /** Native copy of the algorithm in use (cublasLtMatmulAlgo_t, 64 bytes) and its address. */
  readonly algo: unknown;
  readonly algoAddr: number;
  tuned: boolean;
}

/** GPU milliseconds of one run of `f` (CUDA events); supplied by the runtime. */
export type GpuTimer = (f: () => void) => number;

/** Heuristic candidates timed on first use of a problem signature. */
const CANDIDATES = 8;

type Fn = (...args: unknown[]) => unknown;

export class CublasLt {
  private readonly f: Record<string, Fn> = {};
  private readonly handle: unknown;
  private readonly plans = new Map<string, Plan>();
  /** alpha and beta in native memory, passed by address. */
  private readonly scalars: unknown;
  private readonly scalarView: Float32Array;
  private readonly alphaAddr: number;
  private readonly betaAddr: number;
  private readonly handleAddr: number;
  private readonly ptrBuf = new BigUint64Array(1);

  constructor(lib: KoffiLib, private readonly workspacePtr: DevicePtr, private readonly workspaceBytes: number, private readonly timer?: GpuTimer) {
    const decl = (proto: string): void => {
      const name = /(\w+)\s*\(/.exec(proto)![1]!;
      this.f[name] = lib.func(proto) as Fn;
    };
    decl('const char *cublasLtGetStatusName(int status)');
    decl('const char *cublasLtGetStatusString(int status)');
    decl('uint64_t cublasLtGetVersion()');
    decl('int cublasLtCreate(_Out_ cublasLtHandle_t *h)');
    decl('int cublasLtMatmulDescCreate(_Out_ cublasLtMatmulDesc_t *d, int computeType, int scaleType)');
    decl('int cublasLtMatmulDescSetAttribute(cublasLtMatmulDesc_t d, int attr, const void *buf, uint64_t size)');
    decl('int cublasLtMatrixLayoutCreate(_Out_ cublasLtMatrixLayout_t *l, int type, uint64_t rows, uint64_t cols, int64_t ld)');
    decl('int cublasLtMatrixLayoutSetAttribute(cublasLtMatrixLayout_t l, int attr, const void *buf, uint64_t size)');
    decl('int cublasLtMatmulPreferenceCreate(_Out_ cublasLtMatmulPreference_t *p)');
    decl('int cublasLtMatmulPreferenceSetAttribute(cublasLtMatmulPreference_t p, int attr, const void *buf, uint64_t size)');
    decl('int cublasLtMatmulPreferenceDestroy(cublasLtMatmulPreference_t p)');
    decl('int cublasLtMatmulAlgoGetHeuristic(cublasLtHandle_t h, cublasLtMatmulDesc_t d, cublasLtMatrixLayout_t a, cublasLtMatrixLayout_t b, cublasLtMatrixLayout_t c, cublasLtMatrixLayout_t dd, cublasLtMatmulPreference_t p, int requested, void *results, _Out_ int *count)');
    // Every argument a 64-bit address: koffi marshals numbers about twice as fast as opaque pointer objects or
    // typed arrays (as for cuLaunchKernel in driver.ts), and this call is on every matmul's dispatch path.
    decl('int cublasLtMatmul(uint64_t h, uint64_t d, uint64_t alpha, uint64_t A, uint64_t a, uint64_t B, uint64_t b, uint64_t beta, uint64_t C, uint64_t c, uint64_t D, uint64_t dd, uint64_t algo, uint64_t workspace, uint64_t wsSize, uint64_t stream)');
    const h: [unknown] = [null];
    this.call('cublasLtCreate', h);
    this.handle = h[0];
    this.handleAddr = addressOf(this.handle);
    this.scalars = koffi.alloc('float', 2);
    this.scalarView = new Float32Array(koffi.view(this.scalars, 8));
    this.scalarView[0] = 1;
    this.scalarView[1] = 0;
    this.alphaAddr = addressOf(this.scalars);
    this.betaAddr = this.alphaAddr + 4;
  }

  version(): number {
    return Number(this.f.cublasLtGetVersion!());
  }

  private call(name: string, ...args: unknown[]): void {
    this.check(name, this.f[name]!(...args) as number);
  }

  private check(call: string, code: number): void {
    if (code === 0) return;
    const name = (this.f.cublasLtGetStatusName!(code) as string | null) ?? `CUBLAS_STATUS_${code}`;
    const text = (this.f.cublasLtGetStatusString!(code) as string | null) ?? '';
    throw new CudaCallError('cublasLt', call, code, name, text);
  }

  private plan(p: LtProblem): Plan {
    const key = `${+p.transA}${+p.transB}|${p.m},${p.n},${p.k}|${p.lda},${p.ldb},${p.ldd}|${p.batch},${p.strideA},${p.strideB},${p.strideD}|${p.epilogue}`;
    const hit = this.plans.get(key);
    if (hit) return hit;
    const out: [unknown] = [null];
    this.call('cublasLtMatmulDescCreate', out, CUBLAS_COMPUTE_32F, CUDA_R_32F);
    const desc = out[0];
    const i32 = (v: number): Int32Array => new Int32Array([v]);
    this.call('cublasLtMatmulDescSetAttribute', desc, DESC_TRANSA, i32(p.transA ? 1 : 0), 4);
    this.call('cublasLtMatmulDescSetAttribute', desc, DESC_TRANSB, i32(p.transB ? 1 : 0), 4);
    this.call('cublasLtMatmulDescSetAttribute', desc, DESC_EPILOGUE, i32(EPILOGUE[p.epilogue]), 4);
    const layout = (rows: number, cols: number, ld: number, stride: number): unknown => {
      const l: [unknown] = [null];
      this.call('cublasLtMatrixLayoutCreate', l, CUDA_R_32F, rows, cols, ld);
      if (p.batch > 1) {
        this.call('cublasLtMatrixLayoutSetAttribute', l[0], LAYOUT_BATCH_COUNT, i32(p.batch), 4);
        this.call('cublasLtMatrixLayoutSetAttribute', l[0], LAYOUT_STRIDED_BATCH_OFFSET, new BigInt64Array([BigInt(stride)]), 8);
      }
      return l[0];
    };
    const a = p.transA ? layout(p.k, p.m, p.lda, p.strideA) : layout(p.m, p.k, p.lda, p.strideA);
    const b = p.transB ? layout(p.n, p.k, p.ldb, p.strideB) : layout(p.k, p.n, p.ldb, p.strideB);
    const d = layout(p.m, p.n, p.ldd, p.strideD);
    const pref: [unknown] = [null];
    this.call('cublasLtMatmulPreferenceCreate', pref);
    this.call('cublasLtMatmulPreferenceSetAttribute', pref[0], PREF_MAX_WORKSPACE_BYTES, new BigUint64Array([BigInt(this.workspaceBytes)]), 8);
    // The heuristic needs the bias pointer's alignment; our buffers are all 256-byte aligned.
    if (p.epilogue.toLowerCase().includes('bias')) this.setBias(desc, 256);
    const results = Buffer.alloc(HEURISTIC_RESULT_BYTES * CANDIDATES);
    const count: [number] = [0];
    this.call('cublasLtMatmulAlgoGetHeuristic', this.handle, desc, a, b, d, d, pref[0], CANDIDATES, results, count);
    this.f.cublasLtMatmulPreferenceDestroy!(pref[0]);
    if (count[0] < 1) {
      throw new CudaCallError('cublasLt', `cublasLtMatmulAlgoGetHeuristic(${key})`, 15, 'CUBLAS_STATUS_NOT_SUPPORTED', 'no algorithm for this problem');
    }
    const candidates: Buffer[] = [];
    for (let i = 0; i < count[0]; i++) {
      const r = results.subarray(i * HEURISTIC_RESULT_BYTES, (i + 1) * HEURISTIC_RESULT_BYTES);
      if (r.readInt32LE(72) === 0 && Number(r.readBigUInt64LE(64)) <= this.workspaceBytes) candidates.push(r.subarray(0, 64));
    }
    if (candidates.length === 0) candidates.push(results.subarray(0, 64));
    const algo = koffi.alloc('uint8_t', 64);
    const plan: Plan = {
      desc, descAddr: addressOf(desc), aAddr: addressOf(a), bAddr: addressOf(b), dAddr: addressOf(d),
      candidates, algo, algoAddr: addressOf(algo), tuned: candidates.length === 1 || !this.timer,
    };
    setAlgo(plan, candidates[0]!);
    this.plans.set(key, plan);
    return plan;
  }

  private setBias(desc: unknown, ptr: DevicePtr): void {
    this.ptrBuf[0] = BigInt(ptr);
    this.call('cublasLtMatmulDescSetAttribute', desc, DESC_BIAS_POINTER, this.ptrBuf, 8);
  }

  /** D = alpha·op(A)·op(B) (+ bias, activation per epilogue), on the default stream. */
  matmul(p: LtProblem, A: DevicePtr, B: DevicePtr, D: DevicePtr, bias: DevicePtr = 0, alpha = 1): void {
    const plan = this.plan(p);
    this.scalarView[0] = alpha;
    if (p.epilogue.toLowerCase().includes('bias')) {
      if (!bias) throw new Error(`cublasLt matmul: epilogue ${p.epilogue} needs a bias pointer`);
      this.setBias(plan.desc, bias);
    }
    if (!plan.tuned) this.tune(plan, A, B, D);
    this.check('cublasLtMatmul', this.run(plan, A, B, D));
  }

  /** One cublasLtMatmul with the plan's current algorithm, on the default stream; returns the status. */
  private run(plan: Plan, A: DevicePtr, B: DevicePtr, D: DevicePtr): number {
    return this.f.cublasLtMatmul!(
      this.handleAddr, plan.descAddr, this.alphaAddr, A, plan.aAddr, B, plan.bAddr, this.betaAddr, D, plan.dAddr, D, plan.dAddr,
      plan.algoAddr, this.workspacePtr, this.workspaceBytes, 0,
    ) as number;
  }

  /** Times each heuristic candidate on the real operands (D is overwritten by the call that follows) and keeps the fastest. */
  private tune(plan: Plan, A: DevicePtr, B: DevicePtr, D: DevicePtr): void {
    let best = plan.candidates[0]!;
    let bestMs = Infinity;
    for (const algo of plan.candidates) {
      setAlgo(plan, algo);
      if (this.run(plan, A, B, D) !== 0) continue;
      let ms = Infinity;
      for (let i = 0; i < 3; i++) ms = Math.min(ms, this.timer!(() => void this.run(plan, A, B, D)));
      if (ms < bestMs) [best, bestMs] = [algo, ms];
    }
    setAlgo(plan, best);
    plan.tuned = true;
  }
}

/** The address held by a koffi pointer (handle, descriptor, layout, native block) as a number. */
function addressOf(ptr: unknown): number {
  return Number(koffi.address(ptr));
}

/** Copies a heuristic result's algorithm (its first 64 bytes) into the plan's native block. */
function setAlgo(plan: Plan, algo: Buffer): void {
  new Uint8Array(koffi.view(plan.algo, 64)).set(algo.subarray(0, 64));
}
