// How the wasm Conv kernel wants its weights: the algorithm of a convolution and the packed
// layout of its weights for that algorithm, decided by the generator (which packs them) and
// checked by the kernel when it is prepared.
#pragma once
#include <cstdint>
#include <vector>

#include "webdnn/json.h"
#include "webdnn/params.h"

namespace webdnn::wasm {

struct ConvShape {
  int64_t C, M, kh, kw, group;  // input channels, output channels, kernel, groups
};

// "winograd" (3x3, stride 1, no dilation, no groups, enough channels), "depthwise" (one input
// and one output channel per group), or "gemm" (im2col, or the input itself for pointwise
// convolutions). The names are the kernel's "algorithm" parameter.
enum class ConvAlgorithm { Gemm, Winograd, Depthwise };
inline const char* conv_algorithm_name(ConvAlgorithm a) {
  const char* names[] = {"gemm", "winograd", "depthwise"};
  return names[static_cast<int>(a)];
}
inline ConvAlgorithm parse_conv_algorithm(const params::Reader& r) {
  return static_cast<ConvAlgorithm>(r.pick("algorithm", {"gemm", "winograd", "depthwise"}));
}

ConvAlgorithm conv_algorithm(const ConvShape& s, const params::Window& window);
// Whether `algorithm` can compute this convolution (the kernel's check of a descriptor).
bool conv_algorithm_fits(ConvAlgorithm algorithm, const ConvShape& s, const params::Window& window);
// Floats of the packed weights.
int64_t packed_conv_size(ConvAlgorithm algorithm, const ConvShape& s);

// `w` is the ONNX weight [M][C/group][kh][kw], row-major.
std::vector<float> pack_conv_weights(ConvAlgorithm algorithm, const ConvShape& s, const float* w);

// The same done at load: the weight transform "wasm.conv_pack" (runtime/core/weights_codec.h)
// with these parameters.
Json conv_pack_transform(ConvAlgorithm algorithm, const ConvShape& s);

}  // namespace webdnn::wasm
