/** Shared shape math for the Conv family: NHWC, batch 1, 3×3 filters, stride 1, 'same' padding. */
import * as tf from '@tensorflow/tfjs-core';
import { uniform, ref, type HostInputs, type Tensors } from 'fusebench';
import { costOf, pass, type KernelTraffic } from '../traffic.ts';

/** Inference batch-norm epsilon (PyTorch's BatchNorm2d default, as in torchvision's ResNet/MobileNet). */
export const BN_EPSILON = 1e-5;

export type ConvP = { h: number; w: number; cin: number; cout: number };
export type DepthwiseP = { h: number; w: number; c: number };

export const convLabel = (p: ConvP): string => `${p.h}×${p.w}×${p.cin}→${p.cout}`;
export const depthwiseLabel = (p: DepthwiseP): string => `${p.h}×${p.w}×${p.c}`;
/** Output elements: what the epilogue (bias, BN, ReLU) touches, so what fusion saves scales with it. */
export const convMagnitude = (p: ConvP): number => p.h * p.w * p.cout;
export const depthwiseMagnitude = (p: DepthwiseP): number => p.h * p.w * p.c;

/** Small to the four 3×3 convolutions of ResNet-50 (conv2_x … conv5_x at 224×224 input). */
export const convSizes: { full: ConvP[]; quick: ConvP[] } = {
  full: [
    { h: 8, w: 8, cin: 32, cout: 32 },
    { h: 14, w: 14, cin: 64, cout: 64 },
    { h: 7, w: 7, cin: 512, cout: 512 },
    { h: 14, w: 14, cin: 256, cout: 256 },
    { h: 28, w: 28, cin: 128, cout: 128 },
    { h: 56, w: 56, cin: 64, cout: 64 },
  ],
  quick: [
    { h: 8, w: 8, cin: 32, cout: 32 },
    { h: 14, w: 14, cin: 32, cout: 32 },
  ],
};

export const CONV_STANDS_FOR = [
  'ResNet-50 conv2_x 3×3: 56×56×64→64',
  'ResNet-50 conv3_x 3×3: 28×28×128→128',
  'ResNet-50 conv4_x 3×3: 14×14×256→256',
  'ResNet-50 conv5_x 3×3: 7×7×512→512',
];

/** The stride-1 3×3 depthwise layers of MobileNetV2 (224×224 input): expanded channels per resolution. */
export const depthwiseSizes: { full: DepthwiseP[]; quick: DepthwiseP[] } = {
  full: [
    { h: 7, w: 7, c: 960 },
    { h: 14, w: 14, c: 384 },
    { h: 14, w: 14, c: 576 },
    { h: 28, w: 28, c: 192 },
    { h: 112, w: 112, c: 32 },
    { h: 56, w: 56, c: 144 },
  ],
  quick: [
    { h: 14, w: 14, c: 96 },
    { h: 28, w: 28, c: 96 },
  ],
};

export const DEPTHWISE_STANDS_FOR = [
  'MobileNetV2 block 1 depthwise 3×3: 112×112×32',
  'MobileNetV2 blocks 3, 5–6, 8–10, 12–13, 15–16 depthwise 3×3 (stride 1): 56×56×144, 28×28×192, 14×14×384, 14×14×576, 7×7×960',
];

const bnParams = (c: number, rng: () => number): HostInputs => ({
  mean: uniform([c], rng, -0.5, 0.5),
  variance: uniform([c], rng, 0.5, 1.5),
  gamma: uniform([c], rng, 0.5, 1.5),
  beta: uniform([c], rng, -0.5, 0.5),
});

/** Filters scaled 1/√(fan-in) (Kaiming-like) so outputs stay O(1). */
export function convInputs(p: ConvP, rng: () => number, withBn: boolean): HostInputs {
  const s = 1 / Math.sqrt(9 * p.cin);
  const base = { x: uniform([1, p.h, p.w, p.cin], rng), w: uniform([3, 3, p.cin, p.cout], rng, -s, s) };
  return withBn ? { ...base, ...bnParams(p.cout, rng) } : { ...base, b: uniform([p.cout], rng) };
}

export function depthwiseInputs(p: DepthwiseP, rng: () => number): HostInputs {
  return { x: uniform([1, p.h, p.w, p.c], rng), w: uniform([3, 3, p.c, 1], rng, -1 / 3, 1 / 3), ...bnParams(p.c, rng) };
}

export const conv = (t: Tensors): tf.Tensor => tf.conv2d(t.x as tf.Tensor4D, t.w as tf.Tensor4D, 1, 'same');
export const depthwise = (t: Tensors): tf.Tensor => tf.depthwiseConv2d(t.x as tf.Tensor4D, t.w as tf.Tensor4D, 1, 'same');
export const batchNorm = (y: tf.Tensor, t: Tensors): tf.Tensor => tf.batchNorm(y, t.mean, t.variance, t.beta, t.gamma, BN_EPSILON);

/**
 * BN folded into the conv, once, outside timing: s = γ/√(var + ε), w' = w·s (per output channel),
 * b' = β − mean·s. Computed in float32 on the backend, as a converter would ship it.
 */
export function foldBatchNorm(t: Tensors, depthwiseFilter: boolean): Tensors {
  const s = tf.div(t.gamma, tf.sqrt(tf.add(t.variance, BN_EPSILON)));
  const c = s.shape[0];
  const wf = tf.mul(t.w, depthwiseFilter ? tf.reshape(s, [1, 1, c, 1]) : s);
  return { wf, bf: tf.sub(t.beta, tf.mul(t.mean, s)) };
}

export type Epilogue = 'bias+relu' | 'bn' | 'bn+relu';

/** Unfused kernels after the convolution, as (reads, writes) over its output of `out` elements. */
function epiloguePasses(e: Epilogue, out: number, c: number): KernelTraffic[] {
  const relu = [pass('Relu', out, out)];
  if (e === 'bias+relu') return [pass('Add', out + c, out), ...relu];
  const bn = [pass('FusedBatchNorm', out + 4 * c, out)];
  return e === 'bn' ? bn : [...bn, ...relu];
}

export function convCost(p: ConvP, e: Epilogue) {
  const out = p.h * p.w * p.cout;
  const weights = 9 * p.cin * p.cout;
  const unfused = [pass('Conv2D', p.h * p.w * p.cin + weights, out), ...epiloguePasses(e, out, p.cout)];
  const fused = [pass('fused conv2d+bias(+relu)', p.h * p.w * p.cin + weights + p.cout, out)];
  return costOf(2 * 9 * p.cin * out + out * (e === 'bn' ? 1 : 2), unfused, fused);
}

export function depthwiseCost(p: DepthwiseP) {
  const out = p.h * p.w * p.c;
  const unfused = [pass('DepthwiseConv2dNative', out + 9 * p.c, out), ...epiloguePasses('bn+relu', out, p.c)];
  const fused = [pass('fused depthwise+bias+relu', out + 9 * p.c + p.c, out)];
  return costOf(2 * 9 * out + 2 * out, unfused, fused);
}

const geometry = (h: number, w: number, inC: number, outC: number): ref.Conv2dGeometry =>
  ({ batch: 1, inH: h, inW: w, inC, fH: 3, fW: 3, outC, stride: 1, pad: 'same' });

export function convReference(e: Epilogue) {
  return (x: Readonly<Record<string, Float64Array>>, p: ConvP): Float64Array => {
    const y = ref.conv2dNHWC(x.x, x.w, geometry(p.h, p.w, p.cin, p.cout));
    if (e === 'bias+relu') return ref.map(ref.addBias(y, x.b), ref.relu);
    ref.batchNormLastAxis(y, x.mean, x.variance, x.beta, x.gamma, BN_EPSILON);
    return e === 'bn' ? y : ref.map(y, ref.relu);
  };
}

export function depthwiseReference(x: Readonly<Record<string, Float64Array>>, p: DepthwiseP): Float64Array {
  const y = ref.depthwiseConv2dNHWC(x.x, x.w, geometry(p.h, p.w, p.c, 1));
  return ref.map(ref.batchNormLastAxis(y, x.mean, x.variance, x.beta, x.gamma, BN_EPSILON), ref.relu);
}
