/**
 * The generated f32x4 GEMM (kernels/common/wasm_gemm.ts) on its own memory, against a float64 loop: row tails
 * below a tile, one and many panels, k = 1, alpha, B read through strides (panels packed, or rows of a wider
 * matrix as the sdpa kernel reads v), and C written only inside its panels.
 */
import { describe, expect, it } from 'vitest';
import { encodeModule } from '../../kernels/common/wasm_encoder.ts';
import { GEMM_MR, gemmFunction } from '../../kernels/common/wasm_gemm.ts';
import { packPanels, PANEL, panelsFor } from '../../kernels/common/wasm_attention.ts';
import { seededRandom } from '../../harness/core/stats.ts';

type Gemm = (a: number, lda: number, b: number, bPanel: number, bRow: number, c: number, ldc: number, m: number, panels: number, k: number, alpha: number) => void;

const memory = new WebAssembly.Memory({ initial: 64 }); // 4 MiB
const gemm = new WebAssembly.Instance(new WebAssembly.Module(encodeModule([gemmFunction()])), { env: { memory } }).exports.gemm as Gemm;
const heap = new Float32Array(memory.buffer);

function fill(at: number, n: number, seed: number): void {
  const r = seededRandom(seed);
  for (let i = 0; i < n; i++) heap[at + i] = r() * 2 - 1;
}

/** Max |got − want| over C = alpha·A·B, A m × k (row stride lda floats), B k × n from bAt(kk, j). */
function worstError(m: number, n: number, k: number, alpha: number, aAt: number, lda: number, bAt: (kk: number, j: number) => number, cAt: number, ldc: number): number {
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let kk = 0; kk < k; kk++) sum += heap[aAt + i * lda + kk] * heap[bAt(kk, j)];
      worst = Math.max(worst, Math.abs(alpha * sum - heap[cAt + i * ldc + j]));
    }
  }
  return worst;
}

describe('generated wasm GEMM', () => {
  it.each([
    [1, 8, 1], [3, 8, 5], [GEMM_MR, 16, 7], [GEMM_MR + 1, 5, 64], [13, 24, 33], [37, 70, 19],
  ] as const)('m %i × n %i × k %i, B packed into panels, alpha 0.3', (m, n, k) => {
    const lda = k + 3; // rows of A further apart than k
    const panels = panelsFor(n);
    const [aAt, srcAt, bAt, cAt] = [0, 20_000, 40_000, 80_000];
    fill(aAt, m * lda, m);
    fill(srcAt, k * n, n); // B row-major k × n
    packPanels(heap, srcAt, n, 1, k, n, bAt);
    const ldc = panels * PANEL + 2;
    heap.fill(Number.NaN, cAt, cAt + m * ldc);
    gemm(4 * aAt, 4 * lda, 4 * bAt, 4 * PANEL * k, 4 * PANEL, 4 * cAt, 4 * ldc, m, panels, k, 0.3);
    expect(worstError(m, n, k, 0.3, aAt, lda, (kk, j) => srcAt + kk * n + j, cAt, ldc)).toBeLessThan(1e-5);
    // padded columns hold alpha·A·0 = 0; the two floats past the panels in each row are untouched
    for (let i = 0; i < m; i++) {
      for (let j = n; j < panels * PANEL; j++) expect(heap[cAt + i * ldc + j]).toBe(0);
      for (let j = panels * PANEL; j < ldc; j++) expect(Number.isNaN(heap[cAt + i * ldc + j])).toBe(true);
    }
  });

  it('reads B in place through its row stride (v of the sdpa kernel: rows of D = 24 floats, 3 panels)', () => {
    const [m, k, d] = [6, 11, 24];
    const [aAt, vAt, cAt] = [0, 10_000, 20_000];
    fill(aAt, m * k, 1);
    fill(vAt, k * d, 2);
    gemm(4 * aAt, 4 * k, 4 * vAt, 4 * PANEL, 4 * d, 4 * cAt, 4 * d, m, d / PANEL, k, 1);
    expect(worstError(m, d, k, 1, aAt, k, (kk, j) => vAt + kk * d + j, cAt, d)).toBeLessThan(1e-5);
  });

  it('writes nothing when m or panels is 0, and zeros when k is 0', () => {
    heap.fill(7, 0, 64);
    gemm(0, 16, 0, 32, 32, 0, 32, 0, 2, 4, 1);
    gemm(0, 16, 0, 32, 32, 0, 32, 2, 0, 4, 1);
    expect(heap[0]).toBe(7);
    gemm(1024, 16, 1024, 32, 32, 0, 32, 2, 1, 0, 1);
    expect(Array.from(heap.subarray(0, 16))).toEqual(new Array(16).fill(0));
  });

  it('refuses a tile height it has no registers for', () => {
    expect(() => gemmFunction(7)).toThrow(/mr must be 1\.\.6/);
  });
});
