// Runs one generated FusebenchLayerNorm kernel under the CPU emulation and compares it with a float64 reference.
// Build: g++ -std=c++20 -O1 -pthread -DFB_SOURCE='"kernel.cu"' -DFB_ENTRY=fb_layernorm_warp_f4x6 layernorm_check.cpp
// Run:   ./a.out ROWS D THREADS ROWS_PER_BLOCK OFFSET  → one JSON line on stdout. OFFSET (floats) shifts every
// pointer off the 16-byte boundary when non-zero (the scalar kernels' case).
#include "fb_emulate.h"
#include FB_SOURCE
#include <cstdio>
#include <cstdlib>
#include <limits>

int main(int argc, char** argv) {
  if (argc != 6) { std::fprintf(stderr, "usage: ROWS D THREADS ROWS_PER_BLOCK OFFSET\n"); return 2; }
  const int rows = std::atoi(argv[1]), d = std::atoi(argv[2]), threads = std::atoi(argv[3]), rpb = std::atoi(argv[4]);
  const int off = std::atoi(argv[5]);
  const size_t n = static_cast<size_t>(rows) * d;
  // One float more than needed after each array: a read past the end shows as a wrong mean, a write as a changed guard.
  const float guard = 12345.f;
  std::vector<float> x(n + off + 4, guard), g(d + off + 4, guard), b(d + off + 4, guard), out(n + off + 4, guard);
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  auto uni = [&] { seed = seed * 6364136223846793005ull + 1442695040888963407ull; return static_cast<float>((seed >> 40) * (1.0 / 16777216.0) * 2 - 1); };
  // Rows with an offset (mean ≠ 0) and a spread, so the two-pass variance matters.
  for (size_t i = 0; i < n; ++i) x[off + i] = 3.f + 2.f * uni();
  for (int c = 0; c < d; ++c) { g[off + c] = 1.f + 0.5f * uni(); b[off + c] = 0.1f * uni(); }
  for (size_t i = 0; i < n; ++i) out[off + i] = std::numeric_limits<float>::quiet_NaN();
  const float eps = 1e-5f;
  fb_emulate_launch(FB_ENTRY, dim3{static_cast<unsigned>((rows + rpb - 1) / rpb), 1, 1}, threads, 0, 1u,
                    out.data() + off, static_cast<const float*>(x.data() + off), static_cast<const float*>(g.data() + off),
                    static_cast<const float*>(b.data() + off), static_cast<unsigned>(rows), d, eps);
  double maxAbs = 0;
  size_t bad = 0, guards = 0;
  for (int r = 0; r < rows; ++r) {
    const float* row = x.data() + off + static_cast<size_t>(r) * d;
    double mean = 0, var = 0;
    for (int c = 0; c < d; ++c) mean += row[c];
    mean /= d;
    for (int c = 0; c < d; ++c) var += (row[c] - mean) * (row[c] - mean);
    var /= d;
    const double inv = 1 / std::sqrt(var + eps);
    for (int c = 0; c < d; ++c) {
      const double want = (row[c] - mean) * inv * g[off + c] + b[off + c];
      const double got = out[off + static_cast<size_t>(r) * d + c];
      if (!std::isfinite(got)) { ++bad; continue; }
      maxAbs = std::max(maxAbs, std::fabs(got - want));
    }
  }
  for (int i = 0; i < 4; ++i) if (out[off + n + i] != guard) ++guards;
  for (int i = 0; i < off; ++i) if (out[i] != guard) ++guards;
  std::printf("{\"maxAbs\":%.3e,\"nonFinite\":%zu,\"guardsChanged\":%zu,\"count\":%zu}\n", maxAbs, bad, guards, n);
  return 0;
}
