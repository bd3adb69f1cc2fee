/**
 * The study's Benchmark 1: an N×N image of trits through five elementwise stages, bias correction and activation
 * fused into one kernel. "Convolution" is the study's elementwise tmul with a per-pixel weight map.
 */
import { definePipeline, exact, trits } from 'fusebench';
import { fusebenchCopy, tadd, tmin, tmul, tnot, tnotBinary } from '../../kernels/ternary/ops.ts';
import { refBinaryArray, refNotBinaryArray } from '../../kernels/ternary/reference.ts';
import { OFF, studyPrediction } from './common.ts';

export default definePipeline({
  id: 'TernaryImagePipeline',
  family: 'ternary-pipelines',
  title: 'Ternary image processing pipeline',
  description: 'An N×N image of trits (int32): convolution (elementwise tmul with a weight map of the same size, not a spatial ' +
    'convolution), bias correction (tadd), activation (tnot), thresholding (tmin with a threshold map), final adjustment (tmul with a gain map).',
  sizes: {
    full: [{ side: 256 }, { side: 512 }, { side: 1024 }, { side: 2048 }],
    quick: [{ side: 256 }, { side: 1024 }],
  },
  label: (p) => `${p.side}×${p.side}`,
  magnitude: (p) => p.side * p.side,
  inputs: (p, rng) => {
    const shape = [p.side, p.side];
    return { image: trits(shape, rng), weights: trits(shape, rng), bias: trits(shape, rng), threshold: trits(shape, rng), gain: trits(shape, rng) };
  },
  stages: [
    { name: 'convolution', inputs: ['image', 'weights'], out: 'conv', run: (x, w) => tmul(x, w, OFF) },
    {
      fused: 'bias+activation', inputs: ['conv', 'bias'], kernel: (c, b) => tnotBinary('tadd', c, b, OFF),
      stages: [
        { name: 'bias correction', inputs: ['conv', 'bias'], out: 'biased', run: (c, b) => tadd(c, b, OFF) },
        { name: 'activation', inputs: ['biased'], out: 'activated', run: (x) => tnot(x, OFF) },
      ],
    },
    { name: 'thresholding', inputs: ['activated', 'threshold'], out: 'thresholded', run: (x, t) => tmin(x, t, OFF) },
    { name: 'final adjustment', inputs: ['thresholded', 'gain'], out: 'result', run: (x, g) => tmul(x, g, OFF) },
  ],
  micro: 'Ternary_tadd_tnot',
  predictions: studyPrediction(1.25),
  reference: (x) => {
    const activated = refNotBinaryArray('tadd', refBinaryArray('tmul', x.image, x.weights), x.bias);
    return refBinaryArray('tmul', refBinaryArray('tmin', activated, x.threshold), x.gain);
  },
  tolerance: exact,
  copy: fusebenchCopy,
});
