#include "tests/unit/support/graph_builder.h"

#include "webdnn/params.h"

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

namespace {

// What the ONNX frontend would have written for the parameters a test leaves out, so that tests
// name only what they are about (the IR itself takes no defaults).
Json defaults(const std::string& type, const std::vector<ir::Variable*>& inputs) {
  if (type == "Conv" || type == "ConvTranspose") {
    params::ConvTranspose p;  // the superset; Conv ignores output_padding
    p.window.kernel = {inputs.at(1)->shape.at(2), inputs.at(1)->shape.at(3)};
    return p.to_json();
  }
  if (type == "MaxPool" || type == "AveragePool") return params::Pool{}.to_json();
  if (type == "Gemm") return params::Gemm{}.to_json();
  if (type == "ArgMax" || type == "ArgMin") return params::ArgReduce{}.to_json();
  if (type.rfind("Reduce", 0) == 0) return {{"keepdims", 1}};
  if (type == "LeakyRelu") return {{"alpha", 0.01}};
  if (type == "Elu") return {{"alpha", 1.0}};
  if (type == "HardSigmoid") return {{"alpha", 0.2}, {"beta", 0.5}};
  if (type == "Selu") return {{"alpha", 1.67326319217681884765625}, {"gamma", 1.05070102214813232421875}};
  if (type == "Gelu") return {{"approximate", "none"}};
  if (type == "Mod") return {{"fmod", 0}};
  if (type == "BatchNormalization" || type == "InstanceNormalization") return params::Normalization{}.to_json();
  if (type == "LRN") return params::Lrn{}.to_json();
  if (type == "Pad") return {{"mode", "constant"}, {"value", 0.0}};
  if (type == "DepthToSpace") return {{"mode", "DCR"}};
  return Json::object();
}

}  // namespace

ir::Variable* GraphBuilder::op(const std::string& type, const std::vector<ir::Variable*>& inputs, Json params) {
  Json full = defaults(type, inputs);
  full.update(params);
  return graph.add_operator(type, type + std::to_string(count_++), std::move(full), inputs)->output();
}

ir::Variable* convnext_block(GraphBuilder& b, ir::Variable* x) {
  ir::Variable* dw = b.op("Conv", {x, b.constant("dw", {8, 1, 3, 3})}, {{"pads", Shape{1, 1, 1, 1}}, {"group", 8}});
  ir::Variable* h = b.op("Transpose", {dw}, {{"perm", Shape{0, 2, 3, 1}}});
  h = b.op("LayerNormalization", {h, b.constant("g", {8}), b.constant("be", {8})}, params::LayerNormalization{3}.to_json());
  h = b.op("Relu", {b.op("MatMul", {h, b.constant("w1", {8, 16})})});
  h = b.op("Transpose", {b.op("MatMul", {h, b.constant("w2", {16, 8})})}, {{"perm", Shape{0, 3, 1, 2}}});
  return b.op("Add", {h, x});
}

ir::Variable* convnext_between_convs(GraphBuilder& b) {
  ir::Variable* x = b.op("Conv", {b.input("x", {1, 3, 7, 6}), b.constant("w", {8, 3, 3, 3})}, {{"pads", Shape{1, 1, 1, 1}}});
  ir::Variable* y = convnext_block(b, x);
  b.output(b.op("Conv", {y, b.constant("w3", {4, 8, 1, 1})}));
  ir::Variable* mid = b.op("Transpose", {b.op("Relu", {y})}, {{"perm", Shape{0, 1, 3, 2}}});
  b.output(b.op("MatMul", {mid, b.constant("w4", {7, 5})}));
  b.output(b.op("Transpose", {b.op("Sigmoid", {y})}, {{"perm", Shape{0, 2, 3, 1}}}));
  return y;
}

}  // namespace webdnn::testing
