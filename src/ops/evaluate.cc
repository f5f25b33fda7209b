#include "src/ops/evaluate.h"

#include "runtime/core/kernel.h"
#include "src/ops/branches.h"
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

std::vector<Tensor> evaluate_constants(const ir::Operator& op) {
  std::vector<Tensor> data;
  std::vector<const Tensor*> args;
  for (const ir::Variable* v : op.inputs) data.push_back(v->logical_data());
  for (const Tensor& t : data) args.push_back(&t);
  return evaluate(op, args);
}

}  // namespace webdnn::ops

namespace webdnn::ops {

std::map<std::string, Tensor> evaluate_graph(const ir::Graph& graph, const std::map<std::string, Tensor>& inputs) {
  std::map<const ir::Variable*, Tensor> values;
  for (const ir::Variable* v : graph.inputs) {
    auto it = inputs.find(v->name);
    WEBDNN_CHECK(it != inputs.end(), "no value given for input '", v->name, "'");
    WEBDNN_CHECK(it->second.shape == v->shape && it->second.dtype == v->dtype, "input '", v->name, "' must be ",
                 dtype_name(v->dtype), shape_to_string(v->shape));
    values[v] = it->second;
  }
  auto value_of = [&](const ir::Variable* v) -> const Tensor& {
    if (!values.count(v)) {
      WEBDNN_CHECK(v->is_constant(), "variable '", v->name, "' has no value");
      values[v] = v->logical_data();
    }
    return values.at(v);
  };
  // As ONNX runs an If, a branch its condition does not take is not run: what it would have
  // computed is zeros, which only the side of the Where not picked reads.
  const std::vector<ir::Operator*> schedule = conditions_first(graph.topological_order());
  const auto skippable = branches(graph, schedule);
  for (const ir::Operator* op : schedule) {
    if (auto b = skippable.find(op); b != skippable.end() && (value_of(b->second.condition).as_double(0) != 0) != b->second.value) {
      for (const ir::Variable* v : op->outputs)
        if (v) values[v] = Tensor(v->dtype, v->shape);
      continue;
    }
    std::vector<const Tensor*> args;
    for (const ir::Variable* v : op->inputs) args.push_back(&value_of(v));
    std::vector<Tensor> results = evaluate(*op, args);
    for (size_t i = 0; i < results.size(); i++) values[op->outputs[i]] = std::move(results[i]);
  }
  std::map<std::string, Tensor> outputs;
  for (const ir::Variable* v : graph.outputs) outputs[v->name] = value_of(v);
  return outputs;
}

}  // namespace webdnn::ops
