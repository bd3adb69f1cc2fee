/**
 * LayerNorm over the last axis, one row at a time: mean, then biased variance, then the normalised, scaled and
 * shifted row. The row is read from memory once and re-read from cache twice; nothing but the output is
 * written. Statistics are accumulated in float64 (JavaScript numbers).
 */
export function layerNormRows(
  x: Float32Array, xOff: number, gamma: Float32Array, gOff: number, beta: Float32Array, bOff: number,
  out: Float32Array, oOff: number, rows: number, d: number, epsilon: number,
): void {
  for (let r = 0; r < rows; r++) {
    const xb = xOff + r * d;
    const ob = oOff + r * d;
    let sum = 0;
    for (let i = 0; i < d; i++) sum += x[xb + i];
    const mean = sum / d;
    let sq = 0;
    for (let i = 0; i < d; i++) {
      const c = x[xb + i] - mean;
      sq += c * c;
    }
    const inv = 1 / Math.sqrt(sq / d + epsilon);
    for (let i = 0; i < d; i++) out[ob + i] = (x[xb + i] - mean) * inv * gamma[gOff + i] + beta[bOff + i];
  }
}
