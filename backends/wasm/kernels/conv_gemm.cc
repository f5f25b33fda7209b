// Convolution as matrix products: the image itself is the left operand of a pointwise
// convolution; other windows gather im2col rows, a block of output pixels at a time.
#include <algorithm>
#include <cstring>

#include "backends/wasm/kernels/conv.h"
#include "backends/wasm/kernels/gemm.h"
#include "backends/wasm/kernels/scratch.h"
#include "backends/wasm/kernels/simd.h"
#include "runtime/core/parallel.h"

namespace webdnn::wasm {
namespace {

// A few channels (an RGB image: 9 floats a row of taps) are copied inline: memcpy is a call in
// WebAssembly, which costs more than such a copy.
void copy(float* to, const float* from, int64_t n) {
  if (n > 32) {
    std::memcpy(to, from, static_cast<size_t>(n) * sizeof(float));
    return;
  }
  for (int64_t i = 0; i < n; i++) to[i] = from[i];
}

class GemmConv : public runtime::Kernel {
 public:
  GemmConv(const ConvGeometry& g, Epilogue epilogue) : g_(g), epilogue_(std::move(epilogue)) {
    pointwise_ = g_.kh == 1 && g_.kw == 1 && g_.sh == 1 && g_.sw == 1 && g_.pt == 0 && g_.pl == 0 && g_.group == 1;
  }

  void run(void* const* in, void* const* out) override {
    const float* x = static_cast<const float*>(in[0]);
    const float* w = static_cast<const float*>(in[1]);
    const float* bias = static_cast<const float*>(in[2]);
    float* y = static_cast<float*>(out[0]);
    if (!pointwise_) {
      im2col_gemm(in, x, w, bias, y);
      return;
    }
    gemm(g_.N * g_.OH * g_.OW, g_.M, g_.C, x, g_.C, w, {y, g_.M, bias, epilogue_.lo, epilogue_.hi, epilogue_.residual_data(in)});
    epilogue_.finish(in, y, 0, g_.N * g_.OH * g_.OW * g_.M);
  }

 private:
  void im2col_gemm(void* const* in, const float* x, const float* w, const float* bias, float* y) const {
    const int64_t P = g_.N * g_.OH * g_.OW, Cg = g_.C / g_.group, Mg = g_.M / g_.group, K = g_.kh * g_.kw * Cg;
    const int64_t block = packed_b_size(K, Mg);
    // Blocks of up to 64 output pixels, smaller when that leaves a thread without a block (the
    // last stages of ResNet50 have 49 pixels).
    const int64_t rows_per_block = std::clamp<int64_t>((P + runtime::num_threads() - 1) / runtime::num_threads(), 8, 64);
    runtime::parallel_for((P + rows_per_block - 1) / rows_per_block, 1, [&](int64_t b0, int64_t b1) {
      float* patch = scratch(static_cast<size_t>(rows_per_block * K));
      for (int64_t b = b0; b < b1; b++) {
        int64_t p0 = b * rows_per_block, rows = std::min(rows_per_block, P - p0);
        for (int64_t g = 0; g < g_.group; g++) {
          im2col(g_, x, p0, rows, g * Cg, Cg, patch);
          const float* residual = epilogue_.residual_data(in);
          gemm_rows(0, rows, Mg, K, patch, K, w + g * block,
                    {y + p0 * g_.M + g * Mg, g_.M, bias + g * Mg, epilogue_.lo, epilogue_.hi,
                     residual ? residual + p0 * g_.M + g * Mg : nullptr});
        }
        epilogue_.finish(in, y, p0 * g_.M, (p0 + rows) * g_.M);  // while the rows are in cache
      }
    });
  }

  ConvGeometry g_;
  Epilogue epilogue_;
  bool pointwise_ = false;
};

}  // namespace

void im2col(const ConvGeometry& g, const float* x, int64_t p0, int64_t rows, int64_t c0, int64_t cg, float* patch) {
  for (int64_t r = 0; r < rows; r++) {
    float* row = patch + r * g.kh * g.kw * cg;
    receptive_field(
        g, x, p0 + r, c0, cg, [&](const float* from, int64_t count) { copy(row, from, count), row += count; },
        [&](int64_t count) { std::fill(row, row + count, 0.0f), row += count; });
  }
}

std::unique_ptr<runtime::Kernel> make_gemm_conv(const ConvGeometry& g, Epilogue epilogue) {
  return std::make_unique<GemmConv>(g, std::move(epilogue));
}

}  // namespace webdnn::wasm
