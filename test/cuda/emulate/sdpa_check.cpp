// Runs one generated FusebenchSDPA kernel under the CPU emulation and compares it with a float64 reference.
// Build: g++ -std=c++20 -O2 -pthread -DFB_SOURCE='"kernel.cu"' -DFB_ENTRY=fb_sdpa_fp32_d64 sdpa_check.cpp
// Run:   ./a.out BH S D THREADS ROWS_PER_BLOCK SMEM_BYTES SPLIT  → one JSON line on stdout (SPLIT: blocks per
//        cluster, each query tile's grid.x count).
#include "fb_emulate.h"
#include FB_SOURCE
#include <cstdio>
#include <cstdlib>
#include <limits>

int main(int argc, char** argv) {
  if (argc != 8) { std::fprintf(stderr, "usage: BH S D THREADS ROWS_PER_BLOCK SMEM_BYTES SPLIT\n"); return 2; }
  const int bh = std::atoi(argv[1]), s = std::atoi(argv[2]), d = std::atoi(argv[3]);
  const int threads = std::atoi(argv[4]), rows = std::atoi(argv[5]);
  const size_t smem = std::strtoull(argv[6], nullptr, 10);
  const unsigned split = static_cast<unsigned>(std::atoi(argv[7]));
  const size_t n = static_cast<size_t>(bh) * s * d;
  std::vector<float> q(n), k(n), v(n), out(n, std::numeric_limits<float>::quiet_NaN());
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  auto uni = [&] { seed = seed * 6364136223846793005ull + 1442695040888963407ull; return static_cast<float>((seed >> 40) * (1.0 / 16777216.0) * 2 - 1); };
  for (size_t i = 0; i < n; ++i) { q[i] = uni(); k[i] = uni(); v[i] = uni(); }
  const double scale = 1 / std::sqrt(static_cast<double>(d));
  fb_emulate_launch(FB_ENTRY, dim3{static_cast<unsigned>((s + rows - 1) / rows) * split, static_cast<unsigned>(bh), 1}, threads, smem, split,
                    out.data(), static_cast<const float*>(q.data()), static_cast<const float*>(k.data()), static_cast<const float*>(v.data()), s,
                    static_cast<float>(scale * 1.4426950408889634));
  double maxAbs = 0, maxRel = 0;
  size_t bad = 0;
  std::vector<double> p(s);
  for (int h = 0; h < bh; ++h)
    for (int i = 0; i < s; ++i) {
      const size_t base = static_cast<size_t>(h) * s * d;
      double mx = -INFINITY;
      for (int j = 0; j < s; ++j) {
        double dot = 0;
        for (int c = 0; c < d; ++c) dot += static_cast<double>(q[base + static_cast<size_t>(i) * d + c]) * k[base + static_cast<size_t>(j) * d + c];
        p[j] = dot * scale;
        mx = std::max(mx, p[j]);
      }
      double sum = 0;
      for (int j = 0; j < s; ++j) sum += (p[j] = std::exp(p[j] - mx));
      for (int c = 0; c < d; ++c) {
        double want = 0;
        for (int j = 0; j < s; ++j) want += p[j] * v[base + static_cast<size_t>(j) * d + c];
        want /= sum;
        const double got = out[base + static_cast<size_t>(i) * d + c];
        if (!std::isfinite(got)) { ++bad; continue; }
        const double err = std::fabs(got - want);
        maxAbs = std::max(maxAbs, err);
        maxRel = std::max(maxRel, err / std::max(std::fabs(want), 1e-3));
      }
    }
  std::printf("{\"maxAbs\":%.3e,\"maxRel\":%.3e,\"nonFinite\":%zu,\"count\":%zu}\n", maxAbs, maxRel, bad, n);
  return 0;
}
