// Runs one operator on given tensors with its reference kernel (constant folding, tests).
#pragma once
#include <vector>

#include "src/ir/graph.h"
#include "webdnn/tensor.h"

namespace webdnn::ops {

// `inputs` in logical (row-major) order, one per operator input; outputs come back the same way,
// with the dtypes and shapes the operator's outputs hold.
std::vector<Tensor> evaluate(const ir::Operator& op, const std::vector<const Tensor*>& inputs);
// The same on the operator's own inputs, every one a constant (constant folding).
std::vector<Tensor> evaluate_constants(const ir::Operator& op);

}  // namespace webdnn::ops

#include <map>
#include <string>

namespace webdnn::ops {

// Runs a whole graph with the reference kernels: inputs by name, outputs by graph output name.
// Inputs not given are an error. Used by tests to compare graphs before and after a rewrite.
std::map<std::string, Tensor> evaluate_graph(const ir::Graph& graph, const std::map<std::string, Tensor>& inputs);

}  // namespace webdnn::ops
