// "wasm.IntegerGemm": a quantized model's Gemm or MatMul by a constant weight (params::IntegerGrid)
// computed in integers, as onnxruntime computes it: exact int32 sums of the input's and the
// weight's grid multiples, scaled per column once (integer_gemm.h). The input stays float in
// memory; each block of rows is turned into its multiples of x_scale as the block begins.
// Inputs: A [..., K] row-major, B packed as int16 pairs (pack_int_b of the weight's multiples,
// K x N), scales [N] (x_scale * the column's weight scale * alpha), bias [N], epilogue extras.
// Params: K, x_scale, the epilogue.
#include <algorithm>

#include "backends/wasm/kernels/epilogue.h"
#include "backends/wasm/kernels/integer_gemm.h"
#include "backends/wasm/kernels/scratch.h"
#include "runtime/core/parallel.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

class IntegerGemm : public runtime::Kernel {
 public:
  explicit IntegerGemm(const runtime::KernelSpec& spec) {
    runtime::require_counts(spec, "wasm.IntegerGemm", 4, 1, true);
    const runtime::TensorInfo &a = spec.inputs[0], &packed = spec.inputs[1], &y = spec.outputs[0];
    params::Reader r(spec.params);
    K_ = r.integer("K", 1, params::kMaxExtent);
    const double x_scale = r.number("x_scale");
    WEBDNN_CHECK(x_scale > 0, "wasm.IntegerGemm's x_scale must be positive");
    inv_scale_ = static_cast<float>(1.0 / x_scale);
    WEBDNN_CHECK(a.dtype == DType::Float32 && y.dtype == DType::Float32 && a.rank() >= 2 && y.rank() == a.rank() &&
                     a.is_contiguous() && y.is_contiguous() && a.shape.back() == K_ &&
                     std::equal(a.shape.begin(), a.shape.end() - 1, y.shape.begin()),
                 "wasm.IntegerGemm needs float32 A [...,K] with K = ", K_, " and Y [...,N] with the same leading axes, both row-major");
    N_ = y.shape.back();
    M_ = N_ ? y.size() / N_ : a.size() / K_;
    WEBDNN_CHECK(packed.dtype == DType::Int32 && packed.size() == packed_int_b_size(K_, N_), "wasm.IntegerGemm needs B packed for ",
                 K_, "x", N_);
    for (size_t i = 2; i < spec.inputs.size(); i++)
      WEBDNN_CHECK(spec.inputs[i].dtype == DType::Float32 && (i > 3 || spec.inputs[i].size() == N_), "wasm.IntegerGemm needs ",
                   N_, " float scales and biases and float32 epilogue inputs");
    epilogue_ = Epilogue::from(spec, 4, true, true);
  }

  void run(void* const* in, void* const* out) override {
    const float* a = static_cast<const float*>(in[0]);
    const auto* bp = static_cast<const int32_t*>(in[1]);
    const auto* scales = static_cast<const float*>(in[2]);
    const auto* bias = static_cast<const float*>(in[3]);
    float* y = static_cast<float*>(out[0]);
    const int64_t pairs = int_pairs(K_);
    const int64_t rows_per_block = std::clamp<int64_t>((M_ + runtime::num_threads() - 1) / runtime::num_threads(), 8, 64);
    runtime::parallel_for((M_ + rows_per_block - 1) / rows_per_block, 1, [&](int64_t b0, int64_t b1) {
      auto* pa = reinterpret_cast<int32_t*>(scratch(static_cast<size_t>(rows_per_block * pairs), 1));
      for (int64_t b = b0; b < b1; b++) {
        const int64_t m0 = b * rows_per_block, rows = std::min(rows_per_block, M_ - m0);
        for (int64_t r = 0; r < rows; r++) grid_pairs(a + (m0 + r) * K_, K_, inv_scale_, pa + r * pairs);
        int_gemm_pairs(rows, N_, pairs, pa, bp, epilogue_.int_output(in, y, m0, N_, scales, bias));
        epilogue_.finish(in, y, m0 * N_, (m0 + rows) * N_);  // while the rows are in cache
      }
    });
  }

 private:
  int64_t M_, N_, K_;
  float inv_scale_;
  Epilogue epilogue_;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.IntegerGemm", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<IntegerGemm>(spec);
});

}  // namespace webdnn::wasm
