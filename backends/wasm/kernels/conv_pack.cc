#include "backends/wasm/kernels/conv_pack.h"

#include "backends/wasm/kernels/gemm.h"
#include "backends/wasm/kernels/winograd.h"

namespace webdnn::wasm {

namespace {

bool depthwise(const ConvShape& s) { return s.group > 1 && s.group == s.C && s.M == s.C; }

bool winograd_fits(const ConvShape& s, const params::Window& w) {
  const std::array<int64_t, 2> one{1, 1};
  return w.strides == one && w.dilations == one && s.kh == 3 && s.kw == 3 && s.group == 1;
}

}  // namespace

ConvAlgorithm conv_algorithm(const ConvShape& s, const params::Window& window) {
  if (depthwise(s)) return ConvAlgorithm::Depthwise;
  // Below 16 channels the transforms cost more than the multiplications they save.
  if (winograd_fits(s, window) && s.C >= 16 && s.M >= 16) return ConvAlgorithm::Winograd;
  return ConvAlgorithm::Gemm;
}

bool conv_algorithm_fits(ConvAlgorithm algorithm, const ConvShape& s, const params::Window& window) {
  switch (algorithm) {
    case ConvAlgorithm::Depthwise: return depthwise(s);
    case ConvAlgorithm::Winograd: return winograd_fits(s, window);
    case ConvAlgorithm::Gemm: return true;
  }
  return false;
}

int64_t packed_conv_size(ConvAlgorithm algorithm, const ConvShape& s) {
  switch (algorithm) {
    case ConvAlgorithm::Depthwise: return s.kh * s.kw * s.C;
    case ConvAlgorithm::Winograd: return packed_b_size(s.C, s.M) * winograd::kPoints;
    case ConvAlgorithm::Gemm: return packed_b_size(s.kh * s.kw * (s.C / s.group), s.M / s.group) * s.group;
  }
  return 0;
}

std::vector<float> pack_conv_weights(ConvAlgorithm algorithm, const ConvShape& s, const float* w) {
  const int64_t Cg = s.C / s.group, Mg = s.M / s.group, taps = s.kh * s.kw;
  std::vector<float> out;
  if (algorithm == ConvAlgorithm::Depthwise) {  // [tap][channel], channels contiguous for vectors
    out.resize(taps * s.C);
    for (int64_t c = 0; c < s.C; c++)
      for (int64_t t = 0; t < taps; t++) out[t * s.C + c] = w[c * taps + t];
    return out;
  }
  if (algorithm == ConvAlgorithm::Winograd) {  // per transformed point, a packed [C][M] matrix
    std::vector<float> u(s.M * s.C * winograd::kPoints), b(s.C * s.M);
    for (int64_t m = 0; m < s.M; m++)
      for (int64_t c = 0; c < s.C; c++) winograd::transform_kernel(w + (m * s.C + c) * 9, &u[(m * s.C + c) * winograd::kPoints]);
    int64_t block = packed_b_size(s.C, s.M);
    out.resize(block * winograd::kPoints);
    for (int p = 0; p < winograd::kPoints; p++) {
      for (int64_t c = 0; c < s.C; c++)
        for (int64_t m = 0; m < s.M; m++) b[c * s.M + m] = u[(m * s.C + c) * winograd::kPoints + p];
      pack_b(b.data(), s.C, s.M, s.M, 1, out.data() + p * block);
    }
    return out;
  }
  // gemm: per group, B[(tap)*Cg + c][m] packed; the im2col rows hold taps outer, channels inner.
  const int64_t K = taps * Cg, block = packed_b_size(K, Mg);
  std::vector<float> b(K * Mg);
  out.resize(block * s.group);
  for (int64_t g = 0; g < s.group; g++) {
    for (int64_t m = 0; m < Mg; m++)
      for (int64_t c = 0; c < Cg; c++)
        for (int64_t t = 0; t < taps; t++) b[(t * Cg + c) * Mg + m] = w[((g * Mg + m) * Cg + c) * taps + t];
    pack_b(b.data(), K, Mg, Mg, 1, out.data() + g * block);
  }
  return out;
}

}  // namespace webdnn::wasm
