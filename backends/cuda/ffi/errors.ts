/** Every failing CUDA call becomes one of these, naming the library, the call and the library's own error text. */
export class CudaCallError extends Error {
  constructor(
    readonly library: 'cuda' | 'nvrtc' | 'cublasLt' | 'cudnn',
    readonly call: string,
    readonly code: number,
    readonly errorName: string,
    readonly errorString: string,
    detail?: string,
  ) {
    super(formatCudaError(call, code, errorName, errorString, detail));
    this.name = 'CudaCallError';
  }
}

export function formatCudaError(call: string, code: number, errorName: string, errorString: string, detail?: string): string {
  const text = errorString && errorString !== errorName ? `${errorName}: ${errorString}` : errorName;
  return `${call} failed with ${text} (code ${code})${detail ? `\n${detail}` : ''}`;
}

/** Why the cuda backend cannot run on this machine; `detect()` reports the message verbatim. */
export class CudaUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CudaUnavailableError';
  }
}
