/**
 * Phase 4.1: tnot(tadd(a, b)) fused into one pass — the study's micro claim (1.77×).
 * In the study's pipelines this is bias correction (tadd) followed by activation (tnot).
 */
import { defineSuite, trits } from 'fusebench';
import { tadd, tnot, tnotBinary } from '../../kernels/ternary/ops.ts';
import { refNotBinaryArray } from '../../kernels/ternary/reference.ts';
import {
  BENCH, EXACT, FULL_ELEMENTS, PHASE41_PREDICTION, QUICK_ELEMENTS_PHASE41, TERNARY_NOTES, elementsLabel, notBinaryCost, sizesOf,
} from './common.ts';

export default defineSuite({
  id: 'Ternary_tadd_tnot',
  family: 'ternary',
  title: 'Ternary tadd → tnot (Phase 4.1)',
  standsFor: ['bias correction + activation in the study\'s image pipeline and neural layer'],
  sizes: { full: sizesOf(FULL_ELEMENTS), quick: sizesOf(QUICK_ELEMENTS_PHASE41) },
  label: (p) => elementsLabel(p.n),
  magnitude: (p) => p.n,
  inputs: (p, rng) => ({ a: trits([p.n], rng), b: trits([p.n], rng) }),
  unfused: (t) => tnot(tadd(t.a, t.b, BENCH), BENCH),
  fused: (t) => tnotBinary('tadd', t.a, t.b, BENCH),
  fusedBy: 'fusebench kernel',
  cost: (p) => notBinaryCost('tadd', p),
  reference: (x) => refNotBinaryArray('tadd', x.a, x.b),
  tolerance: EXACT,
  predictions: PHASE41_PREDICTION,
  notes: TERNARY_NOTES,
});
