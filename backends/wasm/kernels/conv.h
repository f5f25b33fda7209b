// The wasm backend's convolution ("wasm.Conv") on NHWC images with weights packed offline
// (conv_pack.h). The kernel checks its call and picks the algorithm when it is prepared
// (conv.cc); each algorithm is a kernel of its own: matrix products over im2col rows or over the
// image itself for pointwise convolutions (conv_gemm.cc), Winograd F(2x2,3x3)
// (conv_winograd.cc) and depthwise (conv_depthwise.cc). Inputs: X, packed W, bias [M], epilogue
// extras.
#pragma once
#include <memory>

#include "backends/wasm/kernels/epilogue.h"
#include "runtime/core/kernel.h"

namespace webdnn::wasm {

struct ConvGeometry {
  int64_t N, C, H, W, M, OH, OW, kh, kw, sh, sw, pt, pl, dh, dw, group;
};

// Rows [p0, p0 + rows) of the im2col matrix of channels [c0, c0 + cg) into `patch`: a row per
// output pixel (n, oh, ow) holding its receptive field, taps outer, channels inner, zero outside.
void im2col(const ConvGeometry& g, const float* x, int64_t p0, int64_t rows, int64_t c0, int64_t cg, float* patch);

std::unique_ptr<runtime::Kernel> make_gemm_conv(const ConvGeometry& g, Epilogue epilogue);
std::unique_ptr<runtime::Kernel> make_winograd_conv(const ConvGeometry& g, Epilogue epilogue);
std::unique_ptr<runtime::Kernel> make_depthwise_conv(const ConvGeometry& g, Epilogue epilogue);

}  // namespace webdnn::wasm
