// "wasm.IntegerConv": a quantized model's convolution (params::IntegerGrid) computed in integers,
// as onnxruntime computes it: exact int32 sums of the input's and the weight's grid multiples,
// scaled per output channel once. Both operands fit int16, so SIMD128's i32x4.dot_i16x8_s does
// 8 products an instruction where float does 4 in two (integer_gemm.h). The input stays float in
// memory: each block of im2col rows (the image itself for pointwise convolutions) is turned into
// its multiples of x_scale as it is gathered.
// Inputs: X (NHWC), W packed as int16 pairs (pack_int_b of the weight's multiples, K x M),
// scales [M] (x_scale * the channel's weight scale), bias [M], epilogue extras.
// Params: the Conv's (one group), and x_scale.
#include <algorithm>

#include "backends/wasm/kernels/conv.h"
#include "backends/wasm/kernels/integer_gemm.h"
#include "backends/wasm/kernels/scratch.h"
#include "runtime/core/parallel.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

class IntegerConv : public runtime::Kernel {
 public:
  IntegerConv(const ConvGeometry& g, float x_scale, Epilogue epilogue)
      : g_(g), inv_scale_(1.0f / x_scale), epilogue_(std::move(epilogue)) {
    pointwise_ = g_.kh == 1 && g_.kw == 1 && g_.sh == 1 && g_.sw == 1 && g_.pt == 0 && g_.pl == 0;
    even_taps_ = !pointwise_ && g_.C % 2 == 0;
  }

  void run(void* const* in, void* const* out) override {
    const float* x = static_cast<const float*>(in[0]);
    const auto* bp = static_cast<const int32_t*>(in[1]);
    const auto* scales = static_cast<const float*>(in[2]);
    const auto* bias = static_cast<const float*>(in[3]);
    float* y = static_cast<float*>(out[0]);
    const int64_t P = g_.N * g_.OH * g_.OW, K = g_.kh * g_.kw * g_.C, pairs = int_pairs(K);
    const int64_t rows_per_block = std::clamp<int64_t>((P + runtime::num_threads() - 1) / runtime::num_threads(), 8, 64);
    runtime::parallel_for((P + rows_per_block - 1) / rows_per_block, 1, [&](int64_t b0, int64_t b1) {
      float* patch = pointwise_ || even_taps_ ? nullptr : scratch(static_cast<size_t>(rows_per_block * K));
      auto* a = reinterpret_cast<int32_t*>(scratch(static_cast<size_t>(rows_per_block * pairs), 1));
      for (int64_t b = b0; b < b1; b++) {
        const int64_t p0 = b * rows_per_block, rows = std::min(rows_per_block, P - p0);
        if (even_taps_) {
          for (int64_t r = 0; r < rows; r++) gather_pairs(x, p0 + r, a + r * pairs);
        } else {
          const float* rows_of_x = x + p0 * K;
          if (!pointwise_) {
            im2col(g_, x, p0, rows, 0, g_.C, patch);
            rows_of_x = patch;
          }
          for (int64_t r = 0; r < rows; r++) grid_pairs(rows_of_x + r * K, K, inv_scale_, a + r * pairs);
        }
        int_gemm_pairs(rows, g_.M, pairs, a, bp, epilogue_.int_output(in, y, p0, g_.M, scales, bias));
        epilogue_.finish(in, y, p0 * g_.M, (p0 + rows) * g_.M);  // while the rows are in cache
      }
    });
  }

 private:
  // The im2col row of output pixel p as pairs, read from the image itself: with an even channel
  // count each tap's channels are whole pairs, so no float row is written and read again.
  void gather_pairs(const float* x, int64_t p, int32_t* out) const {
    receptive_field(
        g_, x, p, 0, g_.C, [&](const float* from, int64_t count) { grid_pairs(from, count, inv_scale_, out), out += count / 2; },
        [&](int64_t count) { std::fill(out, out + count / 2, 0), out += count / 2; });
  }

  ConvGeometry g_;
  float inv_scale_;
  Epilogue epilogue_;
  bool pointwise_ = false, even_taps_ = false;
};

std::unique_ptr<runtime::Kernel> make_integer_conv(const runtime::KernelSpec& spec) {
  params::Conv p = params::Conv::parse(spec.params);
  runtime::require_counts(spec, "wasm.IntegerConv", 4, 1, true);
  const runtime::TensorInfo &x = spec.inputs[0], &packed = spec.inputs[1], &y = spec.outputs[0];
  WEBDNN_CHECK(x.dtype == DType::Float32 && y.dtype == DType::Float32 && x.is_channels_last() && y.is_channels_last(),
               "wasm.IntegerConv needs its input and output float32 NCHW, laid out NHWC");
  WEBDNN_CHECK(p.group == 1, "wasm.IntegerConv computes one group");
  const int64_t C = x.shape[1], M = y.shape[1];
  const auto& win = p.window;
  Shape expected = p.output(x.shape, Shape{M, C, win.kernel[0], win.kernel[1]});
  WEBDNN_CHECK(y.shape == expected, "output ", shape_to_string(y.shape), " is not the convolution's ", shape_to_string(expected));
  const int64_t K = C * win.kernel[0] * win.kernel[1];
  WEBDNN_CHECK(packed.dtype == DType::Int32 && packed.size() == packed_int_b_size(K, M), "wasm.IntegerConv needs the weight packed for ",
               K, "x", M);
  for (size_t i : {2, 3})
    WEBDNN_CHECK(spec.inputs[i].dtype == DType::Float32 && spec.inputs[i].size() == M, "wasm.IntegerConv needs ", M,
                 " float scales and biases");
  const double x_scale = params::Reader(spec.params).number("x_scale");
  WEBDNN_CHECK(x_scale > 0, "wasm.IntegerConv's x_scale must be positive");
  for (size_t i = 4; i < spec.inputs.size(); i++)
    WEBDNN_CHECK(spec.inputs[i].dtype == DType::Float32, "wasm.IntegerConv's epilogue reads float32 inputs");
  ConvGeometry g = ConvGeometry::of(x.shape, y.shape, p);  // one group, checked above
  return std::make_unique<IntegerConv>(g, static_cast<float>(x_scale), Epilogue::from(spec, 4, true, true));
}

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.IntegerConv", make_integer_conv);

}  // namespace webdnn::wasm
