// Runs one generated depthwise-conv kernel (backends/cuda/codegen/conv.ts) under the CPU emulation against a float64
// reference. Build: g++ -std=c++20 -O1 -pthread -DFB_SOURCE='"kernel.cu"' -DFB_ENTRY=fb_depthwise_nhwc_a1_b_v4 depthwise_check.cpp
// Run: ./a.out batch inH inW inC mult kH kW strideH strideW dilH dilW padTop padLeft outH outW act hasBias vec4
// → one JSON line on stdout. act: 0 linear, 1 relu, 2 relu6.
#include "fb_emulate.h"
#include FB_SOURCE
#include <cstdio>
#include <cstdlib>
#include <limits>

int main(int argc, char** argv) {
  if (argc != 19) { std::fprintf(stderr, "usage: batch inH inW inC mult kH kW strideH strideW dilH dilW padTop padLeft outH outW act hasBias vec4\n"); return 2; }
  int a[18];
  for (int i = 0; i < 18; ++i) a[i] = std::atoi(argv[i + 1]);
  ConvP p{};
  p.batch = a[0]; p.inH = a[1]; p.inW = a[2]; p.inC = a[3]; p.mult = a[4]; p.kH = a[5]; p.kW = a[6];
  p.strideH = a[7]; p.strideW = a[8]; p.dilH = a[9]; p.dilW = a[10]; p.padTop = a[11]; p.padLeft = a[12];
  p.outH = a[13]; p.outW = a[14]; p.outC = p.inC * p.mult;
  const int act = a[15], hasBias = a[16], vec4 = a[17];
  const size_t nx = static_cast<size_t>(p.batch) * p.inH * p.inW * p.inC, nf = static_cast<size_t>(p.kH) * p.kW * p.inC * p.mult;
  const size_t total = static_cast<size_t>(p.batch) * p.outH * p.outW * p.outC;
  const float guard = 12345.f;
  std::vector<float> x(nx), f(nf), bias(p.outC), out(total + 4, guard);
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  auto uni = [&] { seed = seed * 6364136223846793005ull + 1442695040888963407ull; return static_cast<float>((seed >> 40) * (1.0 / 16777216.0) * 2 - 1); };
  for (auto& v : x) v = uni();
  for (auto& v : f) v = uni();
  for (auto& v : bias) v = uni();
  for (size_t i = 0; i < total; ++i) out[i] = std::numeric_limits<float>::quiet_NaN();
  const size_t work = vec4 ? total / 4 : total;
  fb_emulate_launch(FB_ENTRY, dim3{static_cast<unsigned>((work + 255) / 256), 1, 1}, 256, 0, 1u, out.data(), static_cast<const float*>(x.data()),
                    static_cast<const float*>(f.data()), static_cast<const float*>(hasBias ? bias.data() : nullptr), static_cast<U>(work), p);
  double maxAbs = 0;
  size_t bad = 0, guards = 0;
  for (int n = 0; n < p.batch; ++n)
    for (int oh = 0; oh < p.outH; ++oh)
      for (int ow = 0; ow < p.outW; ++ow)
        for (int oc = 0; oc < p.outC; ++oc) {
          const int c = oc / p.mult, m = oc % p.mult;
          double acc = 0;
          for (int kh = 0; kh < p.kH; ++kh)
            for (int kw = 0; kw < p.kW; ++kw) {
              const int ih = oh * p.strideH - p.padTop + kh * p.dilH, iw = ow * p.strideW - p.padLeft + kw * p.dilW;
              if (ih < 0 || ih >= p.inH || iw < 0 || iw >= p.inW) continue;
              acc += static_cast<double>(x[((static_cast<size_t>(n) * p.inH + ih) * p.inW + iw) * p.inC + c]) * f[((kh * p.kW + kw) * p.inC + c) * p.mult + m];
            }
          if (hasBias) acc += bias[oc];
          if (act == 1) acc = acc < 0 ? 0 : acc;
          if (act == 2) acc = acc < 0 ? 0 : (acc > 6 ? 6 : acc);
          const double got = out[((static_cast<size_t>(n) * p.outH + oh) * p.outW + ow) * p.outC + oc];
          if (!std::isfinite(got)) { ++bad; continue; }
          maxAbs = std::max(maxAbs, std::fabs(got - acc));
        }
  for (int i = 0; i < 4; ++i) if (out[total + i] != guard) ++guards;
  std::printf("{\"maxAbs\":%.3e,\"nonFinite\":%zu,\"guardsChanged\":%zu,\"count\":%zu}\n", maxAbs, bad, guards, total);
  return 0;
}
