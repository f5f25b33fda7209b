// "wasm.Elementwise": a (fused) elementwise operator, vectorized over float32 (bool and integer
// tensors of up to 32 bits converted as they are read and written).
#include "backends/wasm/kernels/elementwise.h"
#include "runtime/kernels/reference/reference.h"

namespace webdnn::wasm {
namespace {

// The expression, once the call is checked against it (the reference kernel's parameters).
Expr checked(const runtime::KernelSpec& spec) {
  runtime::require_counts(spec, "wasm.Elementwise", 1, 1, true);
  for (const auto* list : {&spec.inputs, &spec.outputs})
    for (const runtime::TensorInfo& t : *list)
      WEBDNN_CHECK(ElementwiseProgram::takes_dtype(t.dtype), "wasm.Elementwise takes float32, bool, uint8, int8 and int32 tensors, not ",
                   dtype_name(t.dtype));
  auto p = runtime::reference::ElementwiseKernel::parse(spec.params);
  runtime::check_outputs(spec, runtime::reference::elementwise_signature(p, runtime::types_of(spec.inputs)));
  return p.expr;
}

class ElementwiseKernel : public runtime::Kernel {
 public:
  explicit ElementwiseKernel(const runtime::KernelSpec& spec) : program_(checked(spec), spec.inputs, spec.outputs[0]) {}

  void run(void* const* in, void* const* out) override {
    program_.run_all(in, out[0]);
  }

 private:
  ElementwiseProgram program_;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Elementwise", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<ElementwiseKernel>(spec);
});

}  // namespace webdnn::wasm
