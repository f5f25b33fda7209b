// Building IR graphs directly in tests.
#pragma once
#include <string>
#include <vector>

#include "src/ir/graph.h"

namespace webdnn::testing {

class GraphBuilder {
 public:
  ir::Graph graph;

  ir::Variable* input(const std::string& name, const Shape& shape, DType dtype = DType::Float32);
  // A constant filled with `values`, or with 0.1, 0.2, ... (cycling, signs alternating) when empty.
  ir::Variable* constant(const std::string& name, const Shape& shape, std::vector<float> values = {});
  // The operator's parameters: those given, the others as the ONNX frontend writes them by default.
  ir::Variable* op(const std::string& type, const std::vector<ir::Variable*>& inputs, Json params = Json::object());
  void output(ir::Variable* v) { graph.outputs.push_back(v); }
  std::unique_ptr<ir::Graph> copy() const { return graph.clone(); }

 private:
  int count_ = 0;
};

// A ConvNeXt block on `x` ([N, 8, H, W]) as exporters write it: a depthwise convolution, a
// Transpose to [N, H, W, C], LayerNorm, MatMul, Relu, MatMul, a Transpose back, the residual Add.
// Returns the Add's output.
ir::Variable* convnext_block(GraphBuilder& b, ir::Variable* x);
// The block between convolutions, as the GPU backends' transpose tests build it: a Conv, the
// block, a Conv after it (an output), and two transposes of the block's output that still move
// data: one read by a MatMul (through a Relu), one a graph output (through a Sigmoid). Returns
// the block's output.
ir::Variable* convnext_between_convs(GraphBuilder& b);

}  // namespace webdnn::testing
