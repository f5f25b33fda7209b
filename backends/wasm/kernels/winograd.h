// Winograd F(2x2, 3x3): a 3x3 convolution computed on 4x4 input tiles giving 2x2 output tiles
// with 16 multiplications per tile and channel pair instead of 36. Transforms shared by the
// offline weight packing and the kernel.
#pragma once

namespace webdnn::wasm::winograd {

constexpr int kTile = 4;    // input tile side
constexpr int kOut = 2;     // output tile side
constexpr int kPoints = 16; // transformed values per tile

// U = G g G^T for one 3x3 kernel g (row-major); u gets 16 values.
void transform_kernel(const float* g, float* u);

}  // namespace webdnn::wasm::winograd
