/**
 * The kernels cuda runs on tfjs-backend-cpu through the counted fallback (fallback.ts), each with why it is not
 * native. Import-free, so the adapter and `fusebench backends` can list them without loading any CUDA library.
 */
export const FALLBACK_KERNELS: Readonly<Record<string, string>> = {
  RaggedGather: 'ragged tensor: output sizes depend on the row splits\' values',
  RaggedRange: 'ragged tensor: output size depends on the starts, limits and deltas\' values',
  RaggedTensorToTensor: 'ragged tensor: the layout depends on the row partition tensors\' values',
  SparseFillEmptyRows: 'output size depends on which rows are empty (values)',
  SparseReshape: 'validates and maps sparse indices by value on the host, as tfjs-backend-cpu',
  Unique: 'output size is the number of distinct values',
  NonMaxSuppressionV3: 'greedy, value-dependent selection (tfjs-backend-webgpu also reads its inputs back)',
  NonMaxSuppressionV4: 'greedy, value-dependent selection, padded output (cpu-only in tfjs)',
  NonMaxSuppressionV5: 'greedy, value-dependent selection with soft-NMS (tfjs-backend-webgpu also reads its inputs back)',
  Draw: 'draws into a host canvas',
  StringNGrams: 'string tensors stay on the host',
  StringSplit: 'string tensors stay on the host',
  StringToHashBucketFast: 'string tensors stay on the host',
  StaticRegexReplace: 'string tensors stay on the host',
  FFT: 'complex64: not native yet (the complex tensors themselves are; tfjs-backend-cpu\'s FFT runs on their parts)',
  IFFT: 'complex64: not native yet (the complex tensors themselves are; tfjs-backend-cpu\'s IFFT runs on their parts)',
};

/** Every other kernel given a string tensor (or asked for one) runs on tfjs-backend-cpu too, counted under this cause. */
export const STRING_FALLBACK = 'any kernel with a string input or output (string tensors stay on the host)';

/** Kernels whose cuda implementation only makes a view, so strings pass through them without the fallback. */
export const STRING_SAFE_VIEWS: ReadonlySet<string> = new Set(['Reshape', 'Identity', 'ExpandDims']);

