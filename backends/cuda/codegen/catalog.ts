/**
 * Representative instances of every source the cuda backend generates, for the CI check that they all
 * compile (nvcc -ptx for sm_90) on a machine without a GPU. The fused kernels' sources (kernels/<k>/cuda.ts)
 * have their own catalogs; the backend knows none of them.
 */
import { BOOL_OPS, castOp, elementwiseSource, FLOAT_OPS, FLOOR_DIV, INT_OPS, INT_TO_FLOAT_OPS, intViaFloat, type ElemDtype, type ElementwiseSignature, type InputMode } from './elementwise.ts';
import { argReduceSource, reduceSource, softmaxSource, SOFTMAX_WARP_VALUES } from './rowwise.ts';
import { batchNormSource, depthwiseSource, im2colSource } from './conv.ts';
import { indexMapSource } from './indexmap.ts';
import {
  bincountSource, gatherNdSource, gatherSource, intRangeSource, oneHotSource, scatterSource, searchSortedSource, segmentSumSource, sparseSegmentSource,
} from './gather.ts';
import { scanSource } from './scan.ts';
import { topkSource } from './topk.ts';
import { poolSource, type PoolKind } from './pool.ts';
import { convGradSource } from './conv_grad.ts';
import { imageSource, type ImageKernel } from './image.ts';
import { dilationSource, lrnGradSource, lrnSource, multinomialSource } from './misc.ts';

export interface CatalogEntry {
  readonly source: string;
  readonly entry: string;
}

export function generatedSourceCatalog(): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  const ew = (s: Omit<ElementwiseSignature, 'rank' | 'wide' | 'vec4'> & Partial<ElementwiseSignature>): void => {
    out.push(elementwiseSource({ rank: 0, wide: false, vec4: false, ...s }));
  };
  for (const [name, op] of Object.entries(FLOAT_OPS)) {
    const modes: InputMode[] = new Array(op.arity).fill('flat');
    ew({ name, op, inDtypes: modes.map(() => 'float32'), outDtype: 'float32', modes, vec4: true });
  }
  for (const [name, op] of Object.entries(INT_OPS)) {
    const modes: InputMode[] = new Array(op.arity).fill('flat');
    ew({ name, op, inDtypes: modes.map(() => 'int32'), outDtype: 'int32', modes });
  }
  // Float ops on int32 inputs: stored as int32 (tfjs-backend-cpu's rule), or float32 for Exp, LeakyRelu, Prelu.
  for (const [name, op] of Object.entries(FLOAT_OPS)) {
    const modes: InputMode[] = new Array(op.arity).fill('flat');
    ew({ name: `${name}_int`, op: intViaFloat(op), inDtypes: modes.map(() => 'int32'), outDtype: 'int32', modes });
  }
  ew({ name: 'LeakyRelu_i2f', op: FLOAT_OPS.LeakyRelu!, inDtypes: ['int32'], outDtype: 'float32', modes: ['flat'], vec4: true });
  for (const [name, op] of Object.entries(INT_TO_FLOAT_OPS)) ew({ name: `${name}_i2f`, op, inDtypes: ['int32'], outDtype: 'float32', modes: ['flat'], vec4: true });
  ew({ name: 'Prelu_mixed', op: FLOAT_OPS.Prelu!, inDtypes: ['float32', 'int32'], outDtype: 'float32', modes: ['strided', 'scalar'], rank: 4 });
  // Slice's strided read (the pointer carries the offset) and Transpose's.
  ew({ name: 'Slice', op: { expr: 'a', arity: 1 }, inDtypes: ['int32'], outDtype: 'int32', modes: ['strided'], rank: 5 });
  // Broadcasting and index-width variants of one binary op, and a 3-input int op.
  ew({ name: 'Add', op: FLOAT_OPS.Add!, inDtypes: ['float32', 'float32'], outDtype: 'float32', modes: ['strided', 'scalar'], rank: 6 });
  ew({ name: 'Add', op: FLOAT_OPS.Add!, inDtypes: ['float32', 'float32'], outDtype: 'float32', modes: ['flat', 'strided'], rank: 3, wide: true });
  ew({ name: 'Add', op: FLOAT_OPS.Add!, inDtypes: ['float32', 'float32'], outDtype: 'float32', modes: ['flat', 'scalar'], wide: true, vec4: true });
  ew({ name: 'clamp_mul3', op: { expr: 'fb_max(fb_min((a + b), (1)), (-1)) * c', arity: 3 }, inDtypes: ['int32', 'int32', 'int32'], outDtype: 'int32', modes: ['flat', 'flat', 'flat'], vec4: true });
  for (const [from, to] of [['float32', 'int32'], ['int32', 'float32'], ['float32', 'bool'], ['int32', 'bool']] as const) {
    ew({ name: `Cast_${from}_${to}`, op: castOp(from, to), inDtypes: [from], outDtype: to === 'bool' ? 'int32' : to, modes: ['flat'] });
  }
  for (const op of ['sum', 'max', 'mean', 'min', 'prod'] as const) for (const dt of ['float32', 'int32'] as const) for (const tpr of [false, true]) out.push(reduceSource(op, dt, tpr));
  for (const values of SOFTMAX_WARP_VALUES) out.push(softmaxSource({ kind: 'warp', values }));
  out.push(softmaxSource({ kind: 'smem' }), softmaxSource({ kind: 'global' }), im2colSource(false), im2colSource(true), batchNormSource());
  for (const act of [0, 1, 2] as const) for (const vec4 of [false, true]) out.push(depthwiseSource(act, true, vec4, false));
  out.push(depthwiseSource(0, false), depthwiseSource(1, false, true, true));
  out.push(...coverageCatalog(ew));
  return out;
}

/** The sources of the kernels added for issue 23 (kernels/coverage.ts), every dtype and variant they generate. */
function coverageCatalog(ew: (s: Omit<ElementwiseSignature, 'rank' | 'wide' | 'vec4'> & Partial<ElementwiseSignature>) => void): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  const dtypes: readonly ElemDtype[] = ['float32', 'int32'];
  // Comparisons, logical ops and IsNan/IsInf/IsFinite (bool out, int32 on the device) on float and int inputs; FloorDiv; Select.
  for (const [name, op] of Object.entries(BOOL_OPS)) {
    for (const dt of dtypes) {
      const modes: InputMode[] = new Array(op.arity).fill('flat');
      ew({ name: `${name}_${dt}`, op, inDtypes: modes.map(() => dt), outDtype: 'int32', modes });
    }
  }
  for (const dt of dtypes) ew({ name: `FloorDiv_${dt}`, op: FLOOR_DIV, inDtypes: [dt, dt], outDtype: 'int32', modes: ['flat', 'strided'], rank: 2 });
  ew({ name: 'Select', op: { expr: '(a != 0 ? b : c)', arity: 3 }, inDtypes: ['int32', 'float32', 'float32'], outDtype: 'float32', modes: ['strided', 'flat', 'flat'], rank: 3 });
  out.push(indexMapSource(), gatherSource(), gatherNdSource(), oneHotSource(), intRangeSource());
  for (const dt of dtypes) {
    for (const sum of [true, false]) out.push(scatterSource(dt, sum));
    out.push(segmentSumSource(dt), bincountSource(dt), searchSortedSource(dt), sparseSegmentSource(dt));
    for (const op of ['max', 'min'] as const) out.push(argReduceSource(op, dt));
    for (const op of ['sum', 'prod'] as const) for (const tpr of [false, true]) out.push(scanSource(op, dt, tpr));
    const t = topkSource(dt);
    out.push({ source: t.source, entry: t.init });
    for (const is3d of [false, true]) for (const kind of ['max', 'avg', 'argmax', 'maxGrad', 'avgGrad'] as PoolKind[]) out.push(poolSource(kind, dt, is3d));
  }
  for (const kind of ['forward', 'inputGrad', 'filterGrad'] as const) out.push(convGradSource(kind));
  for (const kind of ['resizeBilinear', 'resizeNearest', 'resizeBilinearGrad', 'resizeNearestGrad', 'cropAndResize', 'rotate', 'transform'] as ImageKernel[]) out.push(imageSource(kind));
  out.push(lrnSource(), lrnGradSource(), multinomialSource());
  for (const kind of ['forward', 'input', 'filter'] as const) out.push(dilationSource(kind));
  return out;
}
