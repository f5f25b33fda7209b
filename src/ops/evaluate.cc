#include "src/ops/evaluate.h"

#include "runtime/core/kernel.h"
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {

std::vector<Tensor> evaluate(const ir::Operator& op, const std::vector<const Tensor*>& inputs) {
  const OpSchema& schema = schema_of(op.type);
  runtime::KernelFactory factory = runtime::find_kernel(schema.kernel);
  WEBDNN_CHECK(factory, "no reference kernel '", schema.kernel, "' for ", op.type);
  runtime::KernelSpec spec;
  spec.params = kernel_params_of(op);
  std::vector<void*> in_ptrs, out_ptrs;
  for (const Tensor* t : inputs) {
    spec.inputs.push_back({t->dtype, t->shape, contiguous_strides(t->shape)});
    in_ptrs.push_back(const_cast<uint8_t*>(t->bytes.data()));
  }
  std::vector<Tensor> outputs;
  for (const ir::Variable* v : op.outputs) {
    outputs.emplace_back(v->dtype, v->shape);
    spec.outputs.push_back({v->dtype, v->shape, contiguous_strides(v->shape)});
  }
  for (Tensor& t : outputs) out_ptrs.push_back(t.bytes.data());
  factory(spec)->run(in_ptrs.data(), out_ptrs.data());
  return outputs;
}

}  // namespace webdnn::ops
