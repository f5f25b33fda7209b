// Depthwise convolution over NHWC images (one input and one output channel per group).
#include <algorithm>
#include <cstring>

#include "backends/wasm/kernels/conv.h"
#include "backends/wasm/kernels/simd.h"
#include "runtime/core/parallel.h"

namespace webdnn::wasm {
namespace {

class DepthwiseConv : public runtime::Kernel {
 public:
  DepthwiseConv(const ConvGeometry& g, Epilogue epilogue) : g_(g), epilogue_(std::move(epilogue)) {}

  void run(void* const* in, void* const* out) override {
    float* y = static_cast<float*>(out[0]);
    compute(static_cast<const float*>(in[0]), static_cast<const float*>(in[1]), static_cast<const float*>(in[2]), y);
    epilogue_.finish(in, y, 0, g_.N * g_.OH * g_.OW * g_.M);
  }

 private:
  void compute(const float* x, const float* w, const float* bias, float* y) const;

  ConvGeometry g_;
  Epilogue epilogue_;
};

// One output pixel at a time, the channels in vectors: taps outer, channels inner.
void DepthwiseConv::compute(const float* x, const float* w, const float* bias, float* y) const {
  const int64_t C = g_.C;
  const f32x4 lo = splat(epilogue_.lo), hi = splat(epilogue_.hi);
  runtime::parallel_for(g_.N * g_.OH, 1, [&](int64_t r0, int64_t r1) {
    std::vector<float> acc(static_cast<size_t>((C + 3) / 4 * 4));
    for (int64_t r = r0; r < r1; r++) {
      int64_t n = r / g_.OH, oh = r % g_.OH;
      for (int64_t ow = 0; ow < g_.OW; ow++) {
        std::copy(bias, bias + C, acc.begin());
        for (int64_t i = 0; i < g_.kh; i++) {
          int64_t ih = oh * g_.sh - g_.pt + i * g_.dh;
          if (ih < 0 || ih >= g_.H) continue;
          for (int64_t j = 0; j < g_.kw; j++) {
            int64_t iw = ow * g_.sw - g_.pl + j * g_.dw;
            if (iw < 0 || iw >= g_.W) continue;
            const float* xp = x + ((n * g_.H + ih) * g_.W + iw) * C;
            const float* wp = w + (i * g_.kw + j) * C;
            int64_t c = 0;
            for (; c + 4 <= C; c += 4) store(&acc[c], load(&acc[c]) + load(xp + c) * load(wp + c));
            for (; c < C; c++) acc[c] += xp[c] * wp[c];
          }
        }
        float* yp = y + ((n * g_.OH + oh) * g_.OW + ow) * C;
        int64_t c = 0;
        for (; c + 4 <= C; c += 4) store(yp + c, min(max(load(&acc[c]), lo), hi));
        for (; c < C; c++) yp[c] = std::min(std::max(acc[c], epilogue_.lo), epilogue_.hi);
      }
    }
  });
}

}  // namespace

std::unique_ptr<runtime::Kernel> make_depthwise_conv(const ConvGeometry& g, Epilogue epilogue) {
  return std::make_unique<DepthwiseConv>(g, std::move(epilogue));
}

}  // namespace webdnn::wasm
