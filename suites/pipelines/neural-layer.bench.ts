/**
 * The study's Benchmark 2: a ternary dense layer's forward pass, bias and activation fused into one kernel.
 * "N neurons" = N output units, each with fan-in 64, on a batch of 16 input vectors.
 */
import { definePipeline, exact, trits } from 'fusebench';
import { fusebenchCopy, tadd, tmatmulSign, tnot, tnotBinary } from '../../kernels/ternary/ops.ts';
import { refMatmulSign, refNotBinaryArray } from '../../kernels/ternary/reference.ts';
import { OFF, studyPrediction } from './common.ts';

const BATCH = 16;
const FAN_IN = 64;

export default definePipeline({
  id: 'TernaryNeuralLayer',
  family: 'ternary-pipelines',
  title: 'Ternary neural network layer',
  description: `x[${BATCH}×${FAN_IN}]·W[${FAN_IN}×N] with ternary weights held as float32 (exact at this fan-in), requantized to trits ` +
    `with sign() (tfjs Cast, BatchMatMul, Sign, Cast), then bias (tadd; the bias row is tiled to ${BATCH}×N outside timing, since ` +
    'ternary kernels do not broadcast) and activation (tnot).',
  sizes: {
    full: [{ neurons: 1024 }, { neurons: 10000 }, { neurons: 100000 }],
    quick: [{ neurons: 1024 }, { neurons: 10000 }],
  },
  label: (p) => `${p.neurons.toLocaleString('en-US')} neurons`,
  magnitude: (p) => BATCH * p.neurons,
  inputs: (p, rng) => {
    const row = trits([p.neurons], rng).data;
    const bias = new Float64Array(BATCH * p.neurons);
    for (let r = 0; r < BATCH; r++) bias.set(row, r * p.neurons);
    return {
      x: trits([BATCH, FAN_IN], rng),
      weights: { ...trits([FAN_IN, p.neurons], rng), dtype: 'float32' },
      bias: { shape: [BATCH, p.neurons], dtype: 'int32', data: bias },
    };
  },
  stages: [
    { name: 'matrix multiply', inputs: ['x', 'weights'], out: 'pre', run: (x, w) => tmatmulSign(x, w) },
    {
      fused: 'bias+activation', inputs: ['pre', 'bias'], kernel: (p, b) => tnotBinary('tadd', p, b, OFF),
      stages: [
        { name: 'bias', inputs: ['pre', 'bias'], out: 'biased', run: (p, b) => tadd(p, b, OFF) },
        { name: 'activation', inputs: ['biased'], out: 'activated', run: (x) => tnot(x, OFF) },
      ],
    },
  ],
  micro: 'Ternary_tadd_tnot',
  predictions: studyPrediction(1.37),
  reference: (x, p) => refNotBinaryArray('tadd', refMatmulSign(x.x, x.weights, BATCH, FAN_IN, p.neurons), x.bias),
  tolerance: exact,
  copy: fusebenchCopy,
});
