/**
 * Runs tfjs ops on the cuda backend and on tfjs-backend-cpu at odd shapes and compares: the non-trivial cuda kernels
 * (gather and scatter, pooling and its gradients, top-k, cumulative sums, convolution gradients, resize, the shape
 * kernels), and FusebenchSDPA with its key range split over a thread-block cluster. Meant to run under the CPU emulation (test/cuda/emulate/fake-cuda.ts), where it checks indexing, bounds
 * and barriers of the generated CUDA; on a GPU host it checks the hardware the same way. Prints one JSON line per case.
 *   npx tsx test/cuda/emulate/fake-cuda.ts npx tsx test/cuda/emulate/check-kernels.ts [name-filter]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerCudaBackend } from '../../../backends/cuda/register.ts';
import { registerFusebenchKernels } from '../../../kernels/registry.ts';
import { sdpa } from '../../../kernels/ops.ts';
import { sdpaCudaTilingFor } from '../../../kernels/sdpa/cuda.ts';

let seed = 12345;
function rand(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const values = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => lo + (hi - lo) * rand());
const ints = (n: number, lo: number, hi: number): number[] => Array.from({ length: n }, () => lo + Math.floor((hi - lo) * rand()));
const size = (shape: number[]): number => shape.reduce((p, v) => p * v, 1);

interface Case {
  readonly name: string;
  /** Builds the inputs from fixed host data (so both backends see the same values) and runs the op. */
  readonly run: () => tf.Tensor | tf.Tensor[];
  readonly tol?: number;
}

function data(shape: number[], lo = -1, hi = 1): () => tf.Tensor {
  const v = values(size(shape), lo, hi);
  return () => tf.tensor(v, shape);
}
function intData(shape: number[], lo: number, hi: number): () => tf.Tensor {
  const v = ints(size(shape), lo, hi);
  return () => tf.tensor(v, shape, 'int32');
}

// Every input is made once here, so that cpu and cuda see the same values.
const x3 = data([3, 7, 5]);
const x3b = data([3, 2, 5]);
const x4 = data([2, 9, 7, 3]);
const x4nchw = data([2, 3, 8, 7]);
const x5 = data([2, 5, 6, 7, 3]);
const g3 = data([2, 5, 3]);
const idx = intData([11], 0, 7);
const idx2 = intData([2, 4], 0, 5);
const ndIdx = intData([6, 2], 0, 3);
const topFloat = data([3, 1000]);
const topInt = intData([4, 13], -5, 5);
const long = data([2, 1500]);
const short = data([9, 5, 3]);
const positive = data([4, 70], 0.9, 1.1);
const positive2 = data([3, 5], 0.5, 1.5);
const filter = data([3, 3, 3, 4]);
const dw = data([3, 2, 3, 2]);
const filter3 = data([2, 3, 2, 3, 2]);
const segData = data([9, 4]);
const segIds = intData([9], -1, 4);
const upd = data([6, 3]);
const scatIdx = intData([6, 1], 0, 8);
const dyT = data([2, 5, 4, 4]);
const img = data([2, 6, 5, 4], 0, 255);
const transforms = () => tf.tensor([[1.1, 0.2, -0.5, -0.1, 0.9, 0.7, 0.01, -0.02], [0.8, -0.3, 1.5, 0.25, 1.2, -0.6, 0, 0.03]]);
const dil = data([2, 7, 6, 3]);
const dilFilter = data([2, 3, 3]);
const lrnIn = data([2, 3, 4, 9]);
const binX = intData([2, 17], 0, 8);
const binW = data([2, 17]);
const sorted = () => tf.tensor([[-3, -1, -1, 0, 2, 2, 2, 5, 9], [0, 1, 2, 3, 4, 5, 6, 7, 8]]);
const probes = data([2, 7], -4, 10);
const boxes = () => tf.tensor([0.1, 0.2, 0.8, 0.9, -0.1, 0.3, 0.6, 1.2], [2, 4]);
/** Ties on purpose: values rounded to a grid. */
const tied = (t: tf.Tensor): tf.Tensor => tf.div(tf.round(tf.mul(t, 20)), 20);

/** A gradient kernel called directly, with dy of the forward output's shape (the kernels, not tfjs's gradient code). */
const kernel = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor =>
  tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
const dyLike = (t: tf.Tensor): tf.Tensor => tf.reshape(tf.sin(tf.mul(tf.range(0, t.size, 1, 'float32'), 0.37)), t.shape);

const h0 = intData([3, 4], -1, 6);
const h1 = data([12, 2, 3, 1]);
const h2 = data([2, 3, 2, 8]);
const h3 = data([2, 3, 4]);
const h4 = data([2, 4, 5]);
const h5 = data([3, 4]);
const h6 = data([4, 4]);
const [sq, sk, sv] = [data([1, 64, 128]), data([1, 64, 128]), data([1, 64, 128])];
const [tq, tk, tv] = [data([1, 37, 64]), data([1, 37, 64]), data([1, 37, 64])];
/** The emulation reports 2 SMs and compute capability 9.0: one 64-row block of 32-key tiles is split over a cluster. */
const SDPA_EMULATED_GPU = { smCount: 2, clusters: true };

const CASES: Case[] = [
  { name: 'GatherV2 axis 1', run: () => tf.gather(x3(), idx(), 1) },
  { name: 'GatherV2 batchDims 1', run: () => tf.gather(g3(), idx2(), 1, 1) },
  { name: 'GatherNd', run: () => tf.gatherND(x3(), ndIdx()) },
  { name: 'ScatterNd (duplicates summed)', run: () => tf.scatterND(scatIdx(), upd(), [8, 3]) },
  { name: 'UnsortedSegmentSum', run: () => tf.unsortedSegmentSum(segData(), segIds() as tf.Tensor1D, 4) },
  { name: 'MaxPool 3x3 s2 same', run: () => tf.maxPool(x4() as tf.Tensor4D, 3, 2, 'same') },
  { name: 'AvgPool 2x3 s(1,2) valid', run: () => tf.avgPool(x4() as tf.Tensor4D, [2, 3], [1, 2], 'valid') },
  { name: 'MaxPoolGrad', run: () => { const x = tied(x4()); const y = tf.maxPool(x as tf.Tensor4D, 3, 2, 'same'); return kernel('MaxPoolGrad', { dy: dyLike(y), input: x, output: y }, { filterSize: 3, strides: 2, pad: 'same' }); } },
  { name: 'AvgPoolGrad', run: () => { const x = x4(); const y = tf.avgPool(x as tf.Tensor4D, [2, 3], [1, 2], 'valid'); return kernel('AvgPoolGrad', { dy: dyLike(y), input: x }, { filterSize: [2, 3], strides: [1, 2], pad: 'valid' }); } },
  { name: 'MaxPool3D and MaxPool3DGrad', run: () => { const x = tied(x5()); const y = tf.maxPool3d(x as tf.Tensor5D, 2, [1, 2, 2], 'same'); return [y, kernel('MaxPool3DGrad', { dy: dyLike(y), input: x, output: y }, { filterSize: 2, strides: [1, 2, 2], pad: 'same' })]; } },
  { name: 'AvgPool3DGrad', run: () => { const x = x5(); const y = tf.avgPool3d(x as tf.Tensor5D, [2, 3, 2], 1, 'valid'); return kernel('AvgPool3DGrad', { dy: dyLike(y), input: x }, { filterSize: [2, 3, 2], strides: 1, pad: 'valid' }); } },
  { name: 'MaxPoolWithArgmax', run: () => { const r = tf.maxPoolWithArgmax(x4() as tf.Tensor4D, 2, 2, 'same', true); return [r.result, r.indexes]; } },
  { name: 'TopK rows of 1000 with ties', run: () => { const r = tf.topk(tied(topFloat()), 37); return [r.values, r.indices]; } },
  { name: 'TopK int32, k = n', run: () => { const r = tf.topk(topInt(), 13); return [r.values, r.indices]; } },
  { name: 'Cumsum long rows (block scan)', run: () => [tf.cumsum(long(), 1), tf.cumsum(long(), 1, true, true)], tol: 1e-3 },
  { name: 'Cumsum short rows, middle axis', run: () => [tf.cumsum(short(), 1), tf.cumsum(short(), 1, true, false), tf.cumsum(short(), 1, false, true)] },
  { name: 'Cumprod', run: () => tf.cumprod(positive(), 1, false, true), tol: 1e-3 },
  { name: 'Conv2DBackpropInput/-Filter, stride 2, same', run: () => { const x = x4(), w = filter(); const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'); const dy = dyLike(y); return [kernel('Conv2DBackpropInput', { dy, filter: w }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: x.shape }), kernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: w.shape })]; } },
  { name: 'Conv2DBackpropInput/-Filter NCHW, valid', run: () => { const x = x4nchw(), w = filter(); const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid', 'NCHW'); const dy = dyLike(y); return [kernel('Conv2DBackpropInput', { dy, filter: w }, { strides: 1, pad: 'valid', dataFormat: 'NCHW', inputShape: x.shape }), kernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: w.shape })]; } },
  { name: 'conv2dTranspose stride 2', run: () => tf.conv2dTranspose(dyT() as tf.Tensor4D, filter() as tf.Tensor4D, [2, 9, 7, 3], 2, 'same') },
  { name: 'DepthwiseConv2dNativeBackpropInput/-Filter', run: () => { const x = x4(), w = dw(); const y = tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'); const dy = dyLike(y); return [kernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { strides: 2, dilations: 1, pad: 'same', inputShape: x.shape }), kernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: 2, dilations: 1, pad: 'same', filterShape: w.shape })]; } },
  { name: 'Conv3D and its gradients', run: () => { const x = x5(), w = filter3(); const y = tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, [1, 2, 1], 'valid'); const dy = dyLike(y); return [tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, 'same'), y, kernel('Conv3DBackpropInputV2', { dy, filter: w }, { strides: [1, 2, 1], pad: 'valid', inputShape: x.shape }), kernel('Conv3DBackpropFilterV2', { x, dy }, { strides: [1, 2, 1], pad: 'valid', filterShape: w.shape })]; } },
  // cpu's ResizeBilinearGrad swaps height and width in its result's shape (a tfjs finding, pinned in
  // test/cuda/tfjs-findings.test.ts); its values are in the images' order, so both are compared in the images' shape.
  { name: 'ResizeBilinear and its gradient', run: () => { const x = x4(); const y = tf.image.resizeBilinear(x as tf.Tensor4D, [5, 11]) as tf.Tensor; return [tf.image.resizeBilinear(x as tf.Tensor4D, [5, 11], false, true) as tf.Tensor, tf.reshape(kernel('ResizeBilinearGrad', { images: x, dy: dyLike(y) }, { alignCorners: false }), x.shape)]; } },
  // cpu's ResizeNearestNeighborGrad reads dy with the images' batch stride, wrong from the second batch on (a tfjs
  // finding): cpu is asked one batch at a time, cuda for the whole batch.
  { name: 'ResizeNearestNeighbor and its gradient', run: () => {
    const x = x4(); const y = tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [13, 4], true) as tf.Tensor; const dy = dyLike(y);
    const grad = (images: tf.Tensor, d: tf.Tensor): tf.Tensor => kernel('ResizeNearestNeighborGrad', { images, dy: d }, { alignCorners: true });
    const perBatch = (): tf.Tensor => tf.concat([0, 1].map((b) => grad(tf.slice(x, b, 1), tf.slice(dy, b, 1))));
    return [y, tf.getBackend() === 'cpu' ? perBatch() : grad(x, dy)];
  } },
  { name: 'CropAndResize', run: () => tf.image.cropAndResize(x4() as tf.Tensor4D, boxes() as tf.Tensor2D, tf.tensor1d([1, 0], 'int32'), [4, 5]) },
  { name: 'Concat, Tile, Pad, MirrorPad, Reverse', run: () => [tf.concat([x3(), x3b()], 1), tf.tile(x3(), [2, 1, 3]), tf.pad(x3(), [[1, 0], [2, 3], [0, 1]], 7), tf.mirrorPad(x3(), [[1, 2], [2, 1], [0, 4]], 'symmetric'), tf.reverse(x3(), [0, 2])] },
  { name: 'StridedSlice with negative strides', run: () => tf.stridedSlice(x4(), [1, 8, 0, 2], [0, 1, 7, 0], [-1, -3, 2, -1]) },
  // cpu's Transform returns after the first batch (a tfjs finding): cpu is asked one batch at a time.
  { name: 'Transform bilinear (reflect) and nearest (wrap), two batches', run: () => {
    const one = (i: tf.Tensor, t: tf.Tensor, interp: 'bilinear' | 'nearest', mode: 'reflect' | 'wrap'): tf.Tensor => tf.image.transform(i as tf.Tensor4D, t as tf.Tensor2D, interp, mode, 3, [7, 4]);
    const run = (interp: 'bilinear' | 'nearest', mode: 'reflect' | 'wrap'): tf.Tensor => tf.getBackend() === 'cpu'
      ? tf.concat([0, 1].map((b) => one(tf.slice(img(), b, 1), tf.slice(transforms(), b, 1), interp, mode)))
      : one(img(), transforms(), interp, mode);
    return [run('bilinear', 'reflect'), run('nearest', 'wrap')];
  }, tol: 1e-3 },
  { name: 'RotateWithOffset (number and RGB fill)', run: () => [tf.image.rotateWithOffset(img() as tf.Tensor4D, 0.7, 9, [2, 3]), tf.image.rotateWithOffset(img() as tf.Tensor4D, -2.1, [10, 20, 30])] },
  { name: 'Dilation2D and its gradients', run: () => {
    const x = dil(), f = dilFilter(); const y = tf.dilation2d(x as tf.Tensor4D, f as tf.Tensor3D, [1, 2], 'same', [2, 1]); const dy = dyLike(y);
    const attrs = { strides: [1, 2], pad: 'same', dilations: [2, 1] };
    return [y, kernel('Dilation2DBackpropInput', { x, filter: f, dy }, attrs), kernel('Dilation2DBackpropFilter', { x, filter: f, dy }, attrs)];
  } },
  { name: 'LRN and LRNGrad', run: () => { const x = lrnIn(); const y = tf.localResponseNormalization(x as tf.Tensor4D, 2, 1.5, 0.3, 0.75); return [y, kernel('LRNGrad', { x, y, dy: dyLike(y) }, { depthRadius: 2, bias: 1.5, alpha: 0.3, beta: 0.75 })]; } },
  { name: 'Bincount, DenseBincount (weights, binary)', run: () => [tf.bincount(tf.reshape(tf.slice(binX(), 0, 1), [17]) as tf.Tensor1D, tf.reshape(tf.slice(binW(), 0, 1), [17]) as tf.Tensor1D, 6), tf.denseBincount(binX() as tf.Tensor2D, binW() as tf.Tensor2D, 6), tf.denseBincount(binX() as tf.Tensor2D, tf.tensor([]), 6, true)] },
  { name: 'SearchSorted left and right', run: () => [tf.searchSorted(sorted(), probes()), tf.searchSorted(sorted(), probes(), 'right')] },
  { name: 'OneHot, SparseToDense, TensorScatterUpdate', run: () => [tf.oneHot(h0(), 5, 2, -1), tf.sparseToDense(tf.tensor([[0, 1], [2, 0], [1, 3]], undefined, 'int32'), tf.tensor([4, 5, 6]), [3, 4], tf.scalar(-1)), tf.tensorScatterUpdate(x3(), tf.tensor([[2], [0]], undefined, 'int32'), tf.ones([2, 7, 5]))] },
  { name: 'SpaceToBatchND, BatchToSpaceND, DepthToSpace', run: () => [tf.spaceToBatchND(x4(), [2, 3], [[1, 0], [1, 1]]), tf.batchToSpaceND(h1(), [2, 3, 2], [[0, 1], [1, 0], [0, 0]]), tf.depthToSpace(h2() as tf.Tensor4D, 2)] },
  { name: 'Einsum', run: () => [tf.einsum('bij,bjk->bik', h3(), h4()), tf.einsum('ij->ji', h5()), tf.einsum('ij,j->i', h6(), tf.reshape(tf.slice(h5(), [0, 0], [1, 4]), [4]))] },
  { name: 'complex64: Complex, Multiply (broadcast), Add, Cast, Concat, ComplexAbs, FFT (fallback)', run: () => {
    const a = tf.complex(x3(), tf.neg(x3())), c = tf.complex(tf.slice(x3(), 0, 1), tf.ones([1, 7, 5]));
    const m = tf.mul(a, c), s2 = tf.add(m, tf.cast(x3(), 'complex64'));
    const cat = tf.concat([a, c], 0);
    return [tf.real(s2), tf.imag(s2), tf.abs(cat), tf.real(tf.spectral.fft(a)), tf.imag(tf.spectral.ifft(cat)), tf.cast(m, 'float32')];
  } },
  // A fused kernel (kernels/sdpa) through the backend's compiler and launcher: the flash kernel's key range split over
  // a thread-block cluster, which the emulated cuLaunchKernel runs cluster by cluster from its __cluster_dims__.
  { name: 'FusebenchSDPA, key range split over a cluster of 2 (1×64×128), and unsplit (1×37×64)', run: () => {
    const split = sdpaCudaTilingFor(1, 64, 128, SDPA_EMULATED_GPU).split;
    if (split !== 2) throw new Error(`the case expects a cluster of 2 at 1×64×128 on the emulation's GPU, the heuristic gives ${split}`);
    return [sdpa(sq(), sk(), sv()), sdpa(tq(), tk(), tv())];
  } },
  { name: 'ArgMax, Min, Prod over axes', run: () => [tf.argMax(x3(), 1), tf.argMin(x3(), 2), tf.min(x3(), [0, 2]), tf.prod(positive2(), 1)] },
];

await registerCudaBackend();
await registerFusebenchKernels('cpu');
await registerFusebenchKernels('cuda');
const filterText = process.argv[2] ?? '';
let failures = 0;
for (const c of CASES.filter((k) => k.name.includes(filterText))) {
  const outputs = async (backend: string): Promise<{ shape: number[]; values: number[] }[]> => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const r = c.run();
      return (Array.isArray(r) ? r : [r]).map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
    });
  };
  let line: Record<string, unknown>;
  try {
    const want = await outputs('cpu');
    const got = await outputs('cuda');
    const tol = c.tol ?? 1e-4;
    let maxErr = 0;
    let shapesOk = want.length === got.length;
    for (let i = 0; i < want.length && shapesOk; i++) {
      shapesOk = want[i]!.shape.join(',') === got[i]!.shape.join(',');
      for (let j = 0; shapesOk && j < want[i]!.values.length; j++) {
        const w = want[i]!.values[j]!, g = got[i]!.values[j]!;
        const err = Number.isNaN(w) && Number.isNaN(g) ? 0 : Math.abs(w - g) / Math.max(1, Math.abs(w));
        maxErr = Math.max(maxErr, Number.isNaN(err) ? Infinity : err);
      }
    }
    const ok = shapesOk && maxErr <= tol;
    line = { name: c.name, ok, maxErr, ...(shapesOk ? {} : { want: want.map((o) => o.shape), got: got.map((o) => o.shape) }) };
    if (process.env.CHECK_VERBOSE) {
      for (let i = 0; i < want.length; i++) {
        const at = want[i]!.values.findIndex((w, j) => Math.abs(w - got[i]!.values[j]!) > tol * Math.max(1, Math.abs(w)));
        if (at >= 0) console.log(JSON.stringify({ output: i, shape: want[i]!.shape, at, want: want[i]!.values.slice(at, at + 6), got: got[i]!.values.slice(at, at + 6) }));
      }
    }
  } catch (e) {
    line = { name: c.name, ok: false, error: (e as Error).message.split('\n')[0] };
  }
  if (!line.ok) failures++;
  console.log(JSON.stringify(line));
}
const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
console.log(JSON.stringify({ done: true, failures, deviceBytesInUse: m.numBytesInGPU ?? null }));
process.exit(failures === 0 ? 0 : 1);
