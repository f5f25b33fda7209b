// Depthwise convolution over NHWC images (one input and one output channel per group).
#include <algorithm>
#include <cstring>
#include <vector>

#include "backends/wasm/kernels/conv.h"
#include "backends/wasm/kernels/simd.h"
#include "runtime/core/parallel.h"

namespace webdnn::wasm {
namespace {

class DepthwiseConv : public runtime::Kernel {
 public:
  DepthwiseConv(const ConvGeometry& g, Epilogue epilogue) : g_(g), epilogue_(std::move(epilogue)) {}

  void run(void* const* in, void* const* out) override {
    compute(in, static_cast<const float*>(in[0]), static_cast<const float*>(in[1]), static_cast<const float*>(in[2]),
            static_cast<float*>(out[0]));
  }

 private:
  void compute(void* const* in, const float* x, const float* w, const float* bias, float* y) const;

  ConvGeometry g_;
  Epilogue epilogue_;
};

// One output pixel's taps inside the image: where each reads x and w (offsets in floats).
struct Taps {
  std::vector<int64_t> x, w;
  int count = 0;
};

// Channels [c, c + 4V) of one output pixel: V vectors of sums kept in registers across the taps
// (in the same order as ever: bias, then row by row), clamped by the epilogue's bounds.
template <int V>
void channels(const Taps& t, const float* x, const float* w, const float* bias, float* yp, int64_t c, f32x4 lo, f32x4 hi) {
  f32x4 acc[V];
  for (int v = 0; v < V; v++) acc[v] = load(bias + c + 4 * v);
  for (int k = 0; k < t.count; k++) {
    const float* xp = x + t.x[static_cast<size_t>(k)] + c;
    const float* wp = w + t.w[static_cast<size_t>(k)] + c;
    for (int v = 0; v < V; v++) acc[v] = madd(load(xp + 4 * v), load(wp + 4 * v), acc[v]);
  }
  for (int v = 0; v < V; v++) store(yp + c + 4 * v, min(max(acc[v], lo), hi));
}

// One output pixel at a time: its taps inside the image listed once, then its channels 16 at a
// time (then 4, then one by one). The epilogue program runs over each finished row of pixels
// while it is in cache.
void DepthwiseConv::compute(void* const* in, const float* x, const float* w, const float* bias, float* y) const {
  const int64_t C = g_.C;
  const f32x4 lo = splat(epilogue_.lo), hi = splat(epilogue_.hi);
  runtime::parallel_for(g_.N * g_.OH, 1, [&](int64_t r0, int64_t r1) {
    Taps t;
    t.x.resize(static_cast<size_t>(g_.kh * g_.kw));
    t.w.resize(t.x.size());
    for (int64_t r = r0; r < r1; r++) {
      const int64_t n = r / g_.OH, oh = r % g_.OH;
      for (int64_t ow = 0; ow < g_.OW; ow++) {
        t.count = 0;
        for (int64_t i = 0; i < g_.kh; i++) {
          const int64_t ih = oh * g_.sh - g_.pt + i * g_.dh;
          if (ih < 0 || ih >= g_.H) continue;
          for (int64_t j = 0; j < g_.kw; j++) {
            const int64_t iw = ow * g_.sw - g_.pl + j * g_.dw;
            if (iw < 0 || iw >= g_.W) continue;
            t.x[static_cast<size_t>(t.count)] = ((n * g_.H + ih) * g_.W + iw) * C;
            t.w[static_cast<size_t>(t.count++)] = (i * g_.kw + j) * C;
          }
        }
        float* yp = y + (r * g_.OW + ow) * C;
        int64_t c = 0;
        for (; c + 16 <= C; c += 16) channels<4>(t, x, w, bias, yp, c, lo, hi);
        for (; c + 4 <= C; c += 4) channels<1>(t, x, w, bias, yp, c, lo, hi);
        for (; c < C; c++) {
          float acc = bias[c];
          for (int k = 0; k < t.count; k++) acc += x[t.x[static_cast<size_t>(k)] + c] * w[t.w[static_cast<size_t>(k)] + c];
          yp[c] = std::min(std::max(acc, epilogue_.lo), epilogue_.hi);
        }
      }
      epilogue_.finish(in, y, r * g_.OW * C, (r + 1) * g_.OW * C);
    }
  });
}

}  // namespace

std::unique_ptr<runtime::Kernel> make_depthwise_conv(const ConvGeometry& g, Epilogue epilogue) {
  return std::make_unique<DepthwiseConv>(g, std::move(epilogue));
}

}  // namespace webdnn::wasm
