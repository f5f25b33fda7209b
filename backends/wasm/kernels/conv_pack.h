// How the wasm Conv kernel wants its weights, packed offline by the generator.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace webdnn::wasm {

struct ConvShape {
  int64_t C, M, kh, kw, group;  // input channels, output channels, kernel, groups
};

// The algorithm for a convolution: "winograd" (3x3, stride 1, no dilation, no groups, enough
// channels), "depthwise" (one input and one output channel per group), or "gemm" (im2col, or the
// input itself for pointwise convolutions).
std::string conv_algorithm(const ConvShape& s, const std::vector<int64_t>& strides, const std::vector<int64_t>& dilations);

// `w` is the ONNX weight [M][C/group][kh][kw], row-major.
std::vector<float> pack_conv_weights(const std::string& algorithm, const ConvShape& s, const float* w);

}  // namespace webdnn::wasm
