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
#include "webdnn/params.h"

namespace webdnn::wasm {

struct ConvGeometry {
  int64_t N, C, H, W, M, OH, OW, kh, kw, sh, sw, pt, pl, dh, dw, group;
  // Of a convolution from its NCHW input and output shapes.
  static ConvGeometry of(const Shape& x, const Shape& y, const params::Conv& p) {
    const auto& w = p.window;
    return {x[0], x[1], x[2], x[3], y[1], y[2], y[3], w.kernel[0], w.kernel[1], w.strides[0], w.strides[1],
            w.pads[0], w.pads[1], w.dilations[0], w.dilations[1], p.group};
  }
};

// Walks the receptive field of output pixel p (n, oh, ow) over channels [c0, c0 + cg), taps outer,
// channels inner: `run(from, count)` for each run of input values, `zeros(count)` for the values
// past the border. A whole row of taps inside the image is one run (every channel, no dilation).
template <class Run, class Zeros>
void receptive_field(const ConvGeometry& g, const float* x, int64_t p, int64_t c0, int64_t cg, Run run, Zeros zeros) {
  const int64_t n = p / (g.OH * g.OW), oh = p / g.OW % g.OH, ow = p % g.OW, iw0 = ow * g.sw - g.pl;
  const bool whole_rows = cg == g.C && g.dw == 1 && iw0 >= 0 && iw0 + g.kw <= g.W;
  for (int64_t i = 0; i < g.kh; i++) {
    const int64_t ih = oh * g.sh - g.pt + i * g.dh;
    if (whole_rows && ih >= 0 && ih < g.H) {
      run(x + ((n * g.H + ih) * g.W + iw0) * g.C, g.kw * g.C);
      continue;
    }
    for (int64_t j = 0; j < g.kw; j++) {
      const int64_t iw = iw0 + j * g.dw;
      if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) zeros(cg);
      else run(x + ((n * g.H + ih) * g.W + iw) * g.C + c0, cg);
    }
  }
}

// Rows [p0, p0 + rows) of the im2col matrix of channels [c0, c0 + cg) into `patch`: a row per
// output pixel holding its receptive field (receptive_field), zero outside the image.
void im2col(const ConvGeometry& g, const float* x, int64_t p0, int64_t rows, int64_t c0, int64_t cg, float* patch);

std::unique_ptr<runtime::Kernel> make_gemm_conv(const ConvGeometry& g, Epilogue epilogue);
std::unique_ptr<runtime::Kernel> make_winograd_conv(const ConvGeometry& g, Epilogue epilogue);
std::unique_ptr<runtime::Kernel> make_depthwise_conv(const ConvGeometry& g, Epilogue epilogue);

}  // namespace webdnn::wasm
