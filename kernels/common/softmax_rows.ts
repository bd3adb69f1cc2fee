/**
 * In-place softmax(scale·row) over `rows` consecutive rows of length `n` starting at data[off]: the attention
 * kernels run it on a block of scores right after computing it, while the block is still in cache.
 * Max-subtracted for stability, as tfjs's Softmax is.
 */
export function softmaxRowsInPlace(data: Float32Array, off: number, rows: number, n: number, scale: number): void {
  for (let r = 0; r < rows; r++) {
    const base = off + r * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = data[base + j] * scale;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(data[base + j] * scale - max);
      data[base + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < n; j++) data[base + j] *= inv;
  }
}
