// "wasm.Gemm": Y = A . B + bias with B packed offline (alpha folded in) and an epilogue; for Gemm
// and MatMul with a constant 2-D B. Inputs: A [..., K] row-major (the axes before K make M rows:
// a transformer's [batch, sequence, K] activations times a weight), packed B, bias [N], extras.
#include <algorithm>

#include "backends/wasm/kernels/epilogue.h"
#include "backends/wasm/kernels/gemm.h"
#include "runtime/core/weights_codec.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

class GemmKernel : public runtime::Kernel {
 public:
  explicit GemmKernel(const runtime::KernelSpec& spec) {
    runtime::require_counts(spec, "wasm.Gemm", 3, 1, true);
    runtime::require_float32(spec, "wasm.Gemm");
    const runtime::TensorInfo &a = spec.inputs[0], &b = spec.inputs[1], &bias = spec.inputs[2], &y = spec.outputs[0];
    K_ = params::Reader(spec.params).integer("K", 1, params::kMaxExtent);
    WEBDNN_CHECK(a.rank() >= 2 && y.rank() == a.rank() && a.is_contiguous() && y.is_contiguous() &&
                     a.shape.back() == K_ && std::equal(a.shape.begin(), a.shape.end() - 1, y.shape.begin()),
                 "wasm.Gemm needs A [...,K] with K = ", K_, " and Y [...,N] with the same leading axes, both row-major");
    N_ = y.shape.back();
    M_ = N_ ? y.size() / N_ : a.size() / std::max<int64_t>(K_, 1);
    WEBDNN_CHECK(b.size() == packed_b_size(K_, N_) && bias.size() == N_, "wasm.Gemm needs B packed for ", K_, "x", N_,
                 " and a bias of ", N_, " values");
    epilogue_ = Epilogue::from(spec, 3);
  }

  void run(void* const* in, void* const* out) override {
    float* y = static_cast<float*>(out[0]);
    gemm(M_, N_, K_, static_cast<const float*>(in[0]), K_, static_cast<const float*>(in[1]),
         {y, N_, static_cast<const float*>(in[2]), epilogue_.lo, epilogue_.hi, epilogue_.residual_data(in)});
    epilogue_.finish(in, y, 0, M_ * N_);
  }

 private:
  int64_t M_, N_, K_;
  Epilogue epilogue_;
};

// Bounds far above any weight, so that sizes computed from them cannot overflow.
constexpr int64_t kMaxSide = int64_t{1} << 24;

std::pair<int64_t, int64_t> read_gemm_pack(const Json& j) {
  params::Reader r(j, "wasm.gemm_pack field");
  return {r.integer("K", 1, kMaxSide), r.integer("N", 1, kMaxSide)};
}

int64_t gemm_pack_size(const Json& params, int64_t source) {
  auto [K, N] = read_gemm_pack(params);
  WEBDNN_CHECK(source == K * N, "wasm.gemm_pack: ", source, " values are not a weight [", N, "][", K, "]");
  return packed_b_size(K, N);
}

void gemm_pack_apply(const Json& params, const float* source, int64_t count, float* out) {
  auto [K, N] = read_gemm_pack(params);
  WEBDNN_CHECK(count == packed_b_size(K, N), "wasm.gemm_pack: ", count, " values are not B packed for ", K, "x", N);
  pack_b(source, K, N, 1, K, out);
}

WEBDNN_REGISTER_WEIGHT_TRANSFORM("wasm.gemm_pack", gemm_pack_size, gemm_pack_apply);

}  // namespace

Json gemm_pack_transform(int64_t K, int64_t N) { return {{"kind", "wasm.gemm_pack"}, {"K", K}, {"N", N}}; }

WEBDNN_REGISTER_KERNEL("wasm.Gemm", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<GemmKernel>(spec);
});

}  // namespace webdnn::wasm
