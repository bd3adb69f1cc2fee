/** Attributes of the fused conv kernels, validated once for every backend. */
import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import { activationCode } from './activation.ts';
import { requireRank } from './shape_checks.ts';

export interface ConvActAttrs {
  readonly strides: number | [number, number];
  readonly pad: 'same' | 'valid';
  readonly activation: 'linear' | 'relu';
}

export function convInfoFor(
  x: TensorInfo, filter: TensorInfo, bias: TensorInfo, attrs: Readonly<Record<string, unknown>> | undefined, depthwise: boolean, kernel: string,
): { info: backend_util.Conv2DInfo; act: number } {
  requireRank(x, 4, 'x', kernel);
  requireRank(filter, 4, 'filter', kernel);
  requireRank(bias, 1, 'bias', kernel);
  const strides = (attrs?.strides ?? 1) as number | [number, number];
  const pad = attrs?.pad ?? 'same';
  if (pad !== 'same' && pad !== 'valid') throw new Error(`${kernel}: attr "pad" must be 'same' or 'valid' (got ${String(pad)})`);
  const act = activationCode(attrs?.activation, kernel);
  if (act > 1) throw new Error(`${kernel}: attr "activation" must be 'linear' or 'relu'`);
  if (filter.shape[2] !== x.shape[3]) {
    throw new Error(`${kernel}: input "filter" has shape [${filter.shape.join(', ')}]; its axis 2 must be ${x.shape[3]}, the channels of input "x" [${x.shape.join(', ')}]`);
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, 1, pad, undefined, depthwise,
  );
  if (bias.shape[0] !== info.outChannels) {
    throw new Error(`${kernel}: input "bias" has ${bias.shape[0]} values; the conv has ${info.outChannels} output channels`);
  }
  return { info, act };
}
