/**
 * The kernels added for issue 23 (every kernel tfjs-backend-webgpu 4.22 registers), one file each or one file per
 * family, collected here for backends/cuda/register.ts.
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { addNConfig, selectConfig } from './select.ts';
import { batchToSpaceNDConfig, spaceToBatchNDConfig } from './space_to_batch_nd.ts';
import { bincountConfig, denseBincountConfig } from './bincount.ts';
import { broadcastArgsConfig } from './broadcast_args.ts';
import { einsumConfig } from './einsum.ts';
import { sparseSegmentMeanConfig, sparseSegmentSumConfig } from './sparse_segment.ts';
import { concatConfig, packConfig } from './concat.ts';
import { complexConfigs } from './complex.ts';
import { convGradConfigs } from './conv_grad.ts';
import { dilationConfigs } from './dilation2d.ts';
import { imageConfigs } from './image.ts';
import { lrnConfig, lrnGradConfig } from './lrn.ts';
import { multinomialConfig } from './multinomial.ts';
import { cumprodConfig, cumsumConfig } from './cumulative.ts';
import { depthToSpaceConfig } from './depth_to_space.ts';
import { diagConfig } from './diag.ts';
import { expandDimsConfig } from './expand_dims.ts';
import { gatherNdConfig, gatherV2Config } from './gather_v2.ts';
import { linSpaceConfig, rangeConfig } from './range.ts';
import { mirrorPadConfig, padV2Config } from './pad_v2.ts';
import { oneHotConfig } from './one_hot.ts';
import { poolConfigs } from './pool.ts';
import { reverseConfig } from './reverse.ts';
import { scatterNdConfig, sparseToDenseConfig, tensorScatterUpdateConfig } from './scatter_nd.ts';
import { searchSortedConfig } from './search_sorted.ts';
import { splitVConfig, unpackConfig } from './unpack.ts';
import { stridedSliceConfig } from './strided_slice.ts';
import { tileConfig } from './tile.ts';
import { topKConfig } from './top_k.ts';
import { unsortedSegmentSumConfig } from './unsorted_segment_sum.ts';
import { onesLikeConfig, zerosLikeConfig } from './zeros_like.ts';

export const coverageConfigs: readonly KernelConfig[] = [
  addNConfig, selectConfig, batchToSpaceNDConfig, spaceToBatchNDConfig, bincountConfig, denseBincountConfig, concatConfig, packConfig,
  cumprodConfig, cumsumConfig, depthToSpaceConfig, diagConfig, expandDimsConfig, gatherNdConfig, gatherV2Config, linSpaceConfig, rangeConfig,
  mirrorPadConfig, padV2Config, oneHotConfig, ...poolConfigs, reverseConfig, scatterNdConfig, sparseToDenseConfig, tensorScatterUpdateConfig,
  searchSortedConfig, splitVConfig, unpackConfig, stridedSliceConfig, tileConfig, topKConfig, unsortedSegmentSumConfig, onesLikeConfig, zerosLikeConfig,
  ...convGradConfigs, ...dilationConfigs, ...imageConfigs, lrnConfig, lrnGradConfig, multinomialConfig, broadcastArgsConfig, einsumConfig,
  sparseSegmentMeanConfig, sparseSegmentSumConfig, ...complexConfigs,
];
