// "wasm.Elementwise": a (fused) elementwise operator on float32 tensors, vectorized.
#include "backends/wasm/kernels/elementwise.h"

namespace webdnn::wasm {
namespace {

class ElementwiseKernel : public runtime::Kernel {
 public:
  explicit ElementwiseKernel(const runtime::KernelSpec& spec)
      : program_(Expr::from_json(spec.params.at("expr")), spec.inputs, spec.outputs[0]) {}

  void run(void* const* in, void* const* out) override {
    program_.run_all(reinterpret_cast<const float* const*>(in), static_cast<float*>(out[0]));
  }

 private:
  ElementwiseProgram program_;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Elementwise", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<ElementwiseKernel>(spec);
});

}  // namespace webdnn::wasm
