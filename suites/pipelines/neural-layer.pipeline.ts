/**
 * The study's Benchmark 2: a ternary dense layer's forward pass, bias + activation fused (Phase 4.1).
 * "N neurons" = N output units, each with fan-in 64, run on a batch of 16 input vectors.
 */
import { trits } from '../../harness/core/inputs.ts';
import { definePipeline } from '../../harness/pipeline/spec.ts';

const BATCH = 16;
const FAN_IN = 64;

export default definePipeline({
  id: 'TernaryNeuralLayer',
  title: 'Ternary neural network layer',
  kind: 'neural',
  description:
    `A fully connected ternary layer. "N neurons" means N output units, each with fan-in ${FAN_IN}, applied to a batch ` +
    `of ${BATCH} input vectors of trits: matrix multiply x[${BATCH}×${FAN_IN}]·W[${FAN_IN}×N] (ternary weights held as ` +
    'float32, accumulated in float32 — exact at this fan-in — and requantized to trits with sign(); tfjs Cast, ' +
    `BatchMatMul, Sign, Cast), bias (tadd with the bias vector tiled once to ${BATCH}×N outside timing: ternary kernels ` +
    `do not broadcast) and activation (tnot). Bias and activation, ${BATCH}×N elements each, are fused into one ` +
    'TernaryNotBinary(tadd) kernel.',
  sizes: {
    full: [{ neurons: 1024 }, { neurons: 10000 }, { neurons: 100000 }],
    quick: [{ neurons: 1024 }, { neurons: 10000 }],
  },
  label: (p) => `${p.neurons.toLocaleString('en-US')} neurons`,
  elements: (p) => BATCH * p.neurons,
  inputs: (p, rng) => {
    const biasRow = trits([p.neurons], rng).data;
    const bias = new Float64Array(BATCH * p.neurons);
    for (let r = 0; r < BATCH; r++) bias.set(biasRow, r * p.neurons);
    return {
      x: trits([BATCH, FAN_IN], rng),
      weights: { ...trits([FAN_IN, p.neurons], rng), dtype: 'float32' },
      bias: { shape: [BATCH, p.neurons], dtype: 'int32', data: bias },
    };
  },
  stages: [
    { name: 'matrix multiply', op: 'tmatmul_sign', inputs: ['x', 'weights'], out: 'pre' },
    { name: 'bias', op: 'tadd', inputs: ['pre', 'bias'], out: 'biased', fused: 'bias+activation' },
    { name: 'activation', op: 'tnot', inputs: ['biased'], out: 'activated', fused: 'bias+activation' },
  ],
});
