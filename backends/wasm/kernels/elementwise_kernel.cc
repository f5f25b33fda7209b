// "wasm.Elementwise": a (fused) elementwise operator on float32 tensors, vectorized.
#include "backends/wasm/kernels/elementwise.h"
#include "runtime/kernels/reference/reference.h"

namespace webdnn::wasm {
namespace {

// The expression, once the call is checked against it (the reference kernel's parameters).
Expr checked(const runtime::KernelSpec& spec) {
  runtime::require_counts(spec, "wasm.Elementwise", 1, 1, true);
  runtime::require_float32(spec, "wasm.Elementwise");
  auto p = runtime::reference::ElementwiseKernel::parse(spec.params);
  runtime::check_outputs(spec, runtime::reference::elementwise_signature(p, runtime::types_of(spec.inputs)));
  return p.expr;
}

class ElementwiseKernel : public runtime::Kernel {
 public:
  explicit ElementwiseKernel(const runtime::KernelSpec& spec) : program_(checked(spec), spec.inputs, spec.outputs[0]) {}

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
