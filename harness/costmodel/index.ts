/** The fusion cost model a graph partitioner queries. */
export { CostModel, type BenefitBasis, type BenefitOptions, type FuseDecision, type FusionBenefit, type PatternQuery, type ShouldFuseOptions } from './cost-model.ts';
export { estimateAtSize, type SizeEstimate, type SizePoint } from './interpolate.ts';
export { canonicalOp, resolvePattern, OP_ALIASES, OP_SEQUENCES } from './ops.ts';
