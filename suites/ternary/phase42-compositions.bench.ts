/**
 * Phase 4.2: the 16 binary→binary compositions outer(inner(a, b), c), one suite each, generated from the op
 * table (kernels/ternary/spec.ts). Ids name the ops in execution order: Ternary_tmul_tadd = tadd(tmul(a, b), c).
 */
import { defineSuite, trits } from 'fusebench';
import { ternaryBinary, ternaryFused3 } from '../../kernels/ternary/ops.ts';
import { refFused3Array } from '../../kernels/ternary/reference.ts';
import { BINARY_TABLE, PHASE_42_COMPOSITIONS } from '../../kernels/ternary/spec.ts';
import {
  BENCH, EXACT, FULL_ELEMENTS_PHASE42, PHASE42_PREDICTION, QUICK_ELEMENTS, TERNARY_NOTES, elementsLabel, fused3Cost, sizesOf,
} from './common.ts';

for (const [inner, outer] of PHASE_42_COMPOSITIONS) {
  defineSuite({
    id: `Ternary_${inner}_${outer}`,
    family: 'ternary-phase42',
    title: `Ternary ${inner} → ${outer}: ${outer}(${inner}(a, b), c) (Phase 4.2)`,
    standsFor: [`inner ${inner} = ${BINARY_TABLE[inner].formula}, then outer ${outer} = ${BINARY_TABLE[outer].formula} with a = the inner result, b = c`],
    sizes: { full: sizesOf(FULL_ELEMENTS_PHASE42), quick: sizesOf(QUICK_ELEMENTS) },
    label: (p) => elementsLabel(p.n),
    magnitude: (p) => p.n,
    inputs: (p, rng) => ({ a: trits([p.n], rng), b: trits([p.n], rng), c: trits([p.n], rng) }),
    unfused: (t) => ternaryBinary(outer, ternaryBinary(inner, t.a, t.b, BENCH), t.c, BENCH),
    fused: (t) => ternaryFused3(inner, outer, t.a, t.b, t.c, BENCH),
    fusedBy: 'fusebench kernel',
    cost: (p) => fused3Cost(inner, outer, p),
    reference: (x) => refFused3Array(inner, outer, x.a, x.b, x.c),
    tolerance: EXACT,
    predictions: PHASE42_PREDICTION,
    notes: TERNARY_NOTES,
  });
}
