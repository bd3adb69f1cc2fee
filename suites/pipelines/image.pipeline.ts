/**
 * The study's Benchmark 1: a five-stage ternary image pipeline, bias correction + activation fused (Phase 4.1).
 * "Convolution" is the study's elementwise tmul with a per-pixel ternary weight map, not a spatial convolution.
 */
import { trits } from '../../harness/core/inputs.ts';
import { definePipeline } from '../../harness/pipeline/spec.ts';

export default definePipeline({
  id: 'TernaryImagePipeline',
  title: 'Ternary image processing pipeline',
  kind: 'image',
  description:
    'An N×N image of trits goes through five elementwise stages, as in the study: convolution (tmul with a ternary ' +
    'weight map of the same size — elementwise, as the study\'s "convolution (tmul)"; not a spatial convolution), ' +
    'bias correction (tadd), activation (tnot), thresholding (tmin with a threshold map) and a final adjustment ' +
    '(tmul with a gain map). Bias correction and activation are fused into one TernaryNotBinary(tadd) kernel.',
  sizes: {
    full: [{ side: 256 }, { side: 512 }, { side: 1024 }, { side: 2048 }],
    quick: [{ side: 256 }, { side: 1024 }],
  },
  label: (p) => `${p.side}×${p.side}`,
  elements: (p) => p.side * p.side,
  inputs: (p, rng) => {
    const shape = [p.side, p.side];
    return {
      image: trits(shape, rng), weights: trits(shape, rng), bias: trits(shape, rng),
      threshold: trits(shape, rng), gain: trits(shape, rng),
    };
  },
  stages: [
    { name: 'convolution', op: 'tmul', inputs: ['image', 'weights'], out: 'conv' },
    { name: 'bias correction', op: 'tadd', inputs: ['conv', 'bias'], out: 'biased', fused: 'bias+activation' },
    { name: 'activation', op: 'tnot', inputs: ['biased'], out: 'activated', fused: 'bias+activation' },
    { name: 'thresholding', op: 'tmin', inputs: ['activated', 'threshold'], out: 'thresholded' },
    { name: 'final adjustment', op: 'tmul', inputs: ['thresholded', 'gain'], out: 'result' },
  ],
});
