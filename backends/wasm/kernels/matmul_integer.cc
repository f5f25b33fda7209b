// "wasm.MatMulInteger": Y (int32) = (A - a_zero) . (B - b_zero) for a constant 2-D B, packed
// offline less its zero points (integer_gemm.h). Inputs: A [..., K] uint8 or int8 row-major (the
// axes before K make the rows), packed B (int32 words), A's zero point (one value of any integer
// type: DynamicQuantizeLinear computes it at run time). Params: K, N.
#include <algorithm>

#include "backends/wasm/kernels/integer_gemm.h"
#include "runtime/core/kernel.h"
#include "runtime/core/parallel.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

int32_t read_integer(const void* p, DType t) {
  switch (t) {
    case DType::UInt8: return *static_cast<const uint8_t*>(p);
    case DType::Int8: return *static_cast<const int8_t*>(p);
    case DType::Int32: return *static_cast<const int32_t*>(p);
    case DType::Int64: return static_cast<int32_t>(*static_cast<const int64_t*>(p));
    default: return 0;
  }
}

class MatMulIntegerKernel : public runtime::Kernel {
 public:
  explicit MatMulIntegerKernel(const runtime::KernelSpec& spec) {
    runtime::require_counts(spec, "wasm.MatMulInteger", 3, 1);
    const runtime::TensorInfo &a = spec.inputs[0], &b = spec.inputs[1], &za = spec.inputs[2], &y = spec.outputs[0];
    params::Reader r(spec.params);
    K_ = r.integer("K", 1, params::kMaxExtent);
    N_ = r.integer("N", 1, params::kMaxExtent);
    WEBDNN_CHECK((a.dtype == DType::UInt8 || a.dtype == DType::Int8) && a.is_contiguous() && a.rank() >= 1 &&
                     a.shape.back() == K_,
                 "wasm.MatMulInteger needs A uint8 or int8 [..., ", K_, "], row-major");
    WEBDNN_CHECK(y.dtype == DType::Int32 && y.is_contiguous() && y.rank() == a.rank() && y.shape.back() == N_ &&
                     std::equal(a.shape.begin(), a.shape.end() - 1, y.shape.begin()),
                 "wasm.MatMulInteger needs Y int32 [..., ", N_, "] with A's leading axes, row-major");
    WEBDNN_CHECK(b.dtype == DType::Int32 && b.size() == packed_int_b_size(K_, N_), "wasm.MatMulInteger needs B packed for ",
                 K_, "x", N_);
    WEBDNN_CHECK(za.size() == 1 && za.dtype != DType::Float32 && za.dtype != DType::Bool,
                 "wasm.MatMulInteger needs one integer zero point for A");
    signed_ = a.dtype == DType::Int8;
    zero_type_ = za.dtype;
    M_ = a.size() / K_;
  }

  void run(void* const* in, void* const* out) override {
    const int32_t a_zero = read_integer(in[2], zero_type_);
    const auto* bp = static_cast<const int32_t*>(in[1]);
    auto* y = static_cast<int32_t*>(out[0]);
    const int64_t blocks = (M_ + kIntMR - 1) / kIntMR;
    runtime::parallel_for(blocks, 4, [&](int64_t b0, int64_t b1) {
      int_gemm_rows(b0 * kIntMR, std::min(b1 * kIntMR, M_), N_, K_, in[0], signed_, K_, a_zero, bp, y, N_);
    });
  }

 private:
  int64_t M_, N_, K_;
  bool signed_ = false;
  DType zero_type_ = DType::UInt8;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.MatMulInteger", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<MatMulIntegerKernel>(spec);
});

}  // namespace webdnn::wasm
