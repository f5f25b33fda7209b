// Shape computations of models with free dimensions, done at import: an operator whose inputs
// are small integer tensors whose values are known as dims (constants, and the DimValues that
// Shape makes) is evaluated on those dims instead of being left to run, so that what a Reshape or
// an Expand receives is an expression of the input shapes (`[batch, sequence, 2, 64]`), not a
// tensor computed at run time.
#pragma once
#include <optional>
#include <vector>

#include "src/ir/graph.h"

namespace webdnn::onnx_frontend {

struct DimTensor {
  DType dtype = DType::Int64;
  Shape shape;      // rank 0 or 1
  DimShape values;  // row-major
};

// The op's outputs, or nullopt when it is not one that shape computations use (elementwise
// arithmetic and comparisons, Gather, Concat, Reshape, Slice) or its values cannot be dims.
std::optional<std::vector<DimTensor>> evaluate_dims(const ir::Operator& op, const std::vector<DimTensor>& inputs);

}  // namespace webdnn::onnx_frontend
