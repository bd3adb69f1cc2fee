/**
 * Classifies a failed spec. A failure counts against the backend unless EVERY failed expectation of the spec
 * is one of the two accepted reasons, recognised by the backend's own message:
 * - a stub kernel: backends/cuda/register.ts registers every tfjs-backend-cpu kernel cuda lacks as a stub that
 *   throws exactly "not implemented on cuda: <KernelName>" (the kernel must be in the backend's stub list, so a
 *   registered kernel saying "not implemented" for one of its cases is a failure, not a skip);
 * - an unsupported dtype: "not implemented on cuda: … dtype complex64|string".
 */

export type FailureClass =
  | { readonly kind: 'failed' }
  | { readonly kind: 'kernel-not-implemented'; readonly kernels: readonly string[] }
  | { readonly kind: 'dtype-unsupported'; readonly dtypes: readonly string[] };

function notImplemented(message: string, backend: string): RegExpMatchArray[] {
  return [...message.matchAll(new RegExp(`not implemented on ${backend}: ([^\\n]*)`, 'g'))];
}

export function classifyFailure(messages: readonly string[], backend: string, stubs: ReadonlySet<string>): FailureClass {
  if (messages.length === 0) return { kind: 'failed' };
  const kernels = new Set<string>();
  const dtypes = new Set<string>();
  for (const message of messages) {
    let accepted = false;
    for (const m of notImplemented(message, backend)) {
      const rest = m[1]!;
      const name = /^[A-Za-z0-9_]+/.exec(rest)?.[0];
      const dtype = /\bdtype (complex64|string)\b/.exec(rest)?.[1];
      if (dtype) {
        dtypes.add(dtype);
        accepted = true;
      } else if (name && stubs.has(name) && !/^[A-Za-z0-9_]+ /.test(rest)) {
        kernels.add(name);
        accepted = true;
      }
    }
    if (!accepted) return { kind: 'failed' };
  }
  if (kernels.size > 0) return { kind: 'kernel-not-implemented', kernels: [...kernels].sort() };
  return { kind: 'dtype-unsupported', dtypes: [...dtypes].sort() };
}
