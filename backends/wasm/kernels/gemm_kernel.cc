// "wasm.Gemm": Y = A . B + bias with B packed offline (alpha folded in) and an epilogue; for Gemm
// and 2-D MatMul with a constant B. Inputs: A [M,K] row-major, packed B, bias [N], extras.
#include "backends/wasm/kernels/epilogue.h"
#include "backends/wasm/kernels/gemm.h"

namespace webdnn::wasm {
namespace {

class GemmKernel : public runtime::Kernel {
 public:
  explicit GemmKernel(const runtime::KernelSpec& spec) : epilogue_(Epilogue::from(spec, 3)) {
    M_ = spec.outputs[0].shape[0];
    N_ = spec.outputs[0].shape[1];
    K_ = spec.params.at("K").get<int64_t>();
  }

  void run(void* const* in, void* const* out) override {
    float* y = static_cast<float*>(out[0]);
    gemm(M_, N_, K_, static_cast<const float*>(in[0]), K_, static_cast<const float*>(in[1]),
         {y, N_, static_cast<const float*>(in[2]), epilogue_.lo, epilogue_.hi});
    epilogue_.finish(in, y, 0, M_ * N_);
  }

 private:
  int64_t M_, N_, K_;
  Epilogue epilogue_;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Gemm", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<GemmKernel>(spec);
});

}  // namespace webdnn::wasm
