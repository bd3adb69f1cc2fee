/** out[i] = max(a[i] + b[i], 0) in one pass: two reads and one write per element, no intermediate. */
export function addReluRange(a: Float32Array, aOff: number, b: Float32Array, bOff: number, out: Float32Array, oOff: number, size: number): void {
  for (let i = 0; i < size; i++) {
    const v = a[aOff + i] + b[bOff + i];
    out[oOff + i] = v < 0 ? 0 : v; // NaN stays NaN, as in tfjs's Relu
  }
}
