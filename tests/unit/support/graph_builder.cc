#include "tests/unit/support/graph_builder.h"

namespace webdnn::testing {

ir::Variable* GraphBuilder::input(const std::string& name, const Shape& shape, DType dtype) {
  ir::Variable* v = graph.add_variable(name, dtype, shape);
  graph.inputs.push_back(v);
  return v;
}

ir::Variable* GraphBuilder::constant(const std::string& name, const Shape& shape, std::vector<float> values) {
  if (values.empty()) {
    values.resize(static_cast<size_t>(num_elements(shape)));
    for (size_t i = 0; i < values.size(); i++) values[i] = (i % 2 ? -0.1f : 0.1f) * static_cast<float>(1 + i % 7);
  }
  return graph.add_constant(name, Tensor::from_floats(shape, values));
}

ir::Variable* GraphBuilder::op(const std::string& type, const std::vector<ir::Variable*>& inputs, Json params) {
  return graph.add_operator(type, type + std::to_string(count_++), std::move(params), inputs)->output();
}

}  // namespace webdnn::testing
