/**
 * Which profiled kernels count as launches: view kernels only relabel a buffer and make no pass over memory, and
 * `<name>__op` entries wrap other kernels (an op's scope, or a kernel that ran kernels; see harness/kernel-profile.ts).
 */
export const VIEW_KERNELS: ReadonlySet<string> = new Set(['Reshape', 'Identity', 'ExpandDims', 'Squeeze']);

export function launchCount(kernels: readonly string[]): number {
  return kernels.filter((k) => !VIEW_KERNELS.has(k) && !k.endsWith('__op')).length;
}
