#include "backends/wasm/kernels/conv_pack.h"

#include "backends/wasm/kernels/gemm.h"
#include "backends/wasm/kernels/winograd.h"
#include "runtime/core/weights_codec.h"
#include "webdnn/error.h"

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

Json conv_pack_transform(ConvAlgorithm algorithm, const ConvShape& s) {
  return {{"kind", "wasm.conv_pack"}, {"algorithm", conv_algorithm_name(algorithm)}, {"C", s.C}, {"M", s.M},
          {"kh", s.kh}, {"kw", s.kw}, {"group", s.group}};
}

namespace {

// Bounds far above any convolution, so that sizes computed from them cannot overflow.
constexpr int64_t kMaxChannels = 1 << 16, kMaxKernel = 64;

std::pair<ConvAlgorithm, ConvShape> read_transform(const Json& j) {
  params::Reader r(j, "wasm.conv_pack field");
  ConvShape s{r.integer("C", 1, kMaxChannels), r.integer("M", 1, kMaxChannels), r.integer("kh", 1, kMaxKernel),
              r.integer("kw", 1, kMaxKernel), r.integer("group", 1, kMaxChannels)};
  ConvAlgorithm a = parse_conv_algorithm(r);
  WEBDNN_CHECK(s.C % s.group == 0 && s.M % s.group == 0, "wasm.conv_pack: ", s.group, " groups do not divide C ", s.C,
               " and M ", s.M);
  WEBDNN_CHECK(a == ConvAlgorithm::Gemm || (a == ConvAlgorithm::Depthwise ? depthwise(s) : s.kh == 3 && s.kw == 3 && s.group == 1),
               "wasm.conv_pack: the ", conv_algorithm_name(a), " algorithm does not fit this convolution");
  return {a, s};
}

int64_t conv_pack_size(const Json& params, int64_t source) {
  auto [a, s] = read_transform(params);
  WEBDNN_CHECK(source == s.M * (s.C / s.group) * s.kh * s.kw, "wasm.conv_pack: ", source, " values are not a weight [",
               s.M, "][", s.C / s.group, "][", s.kh, "][", s.kw, "]");
  return packed_conv_size(a, s);
}

void conv_pack_apply(const Json& params, const float* source, int64_t count, float* out) {
  auto [a, s] = read_transform(params);
  std::vector<float> packed = pack_conv_weights(a, s, source);
  std::copy(packed.begin(), packed.begin() + count, out);
}

WEBDNN_REGISTER_WEIGHT_TRANSFORM("wasm.conv_pack", conv_pack_size, conv_pack_apply);

}  // namespace

}  // namespace webdnn::wasm
