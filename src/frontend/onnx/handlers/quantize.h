// What the quantization handlers share (quantize.cc, qlinear.cc).
#pragma once
#include "src/frontend/onnx/node_context.h"
#include "webdnn/expr.h"

namespace webdnn::onnx_frontend {

// An ONNX integer type as the IR holds it, and the range a quantization to it saturates to.
struct QType {
  DType dtype;
  double lo, hi;
};
QType quantized_type(int onnx_type, const char* what);
// The ONNX element type of input i: as the model says, else from its IR dtype (8-bit values our
// own handlers made), else `fallback`.
int onnx_type_of(const NodeContext& ctx, size_t i, int fallback);
// A constant integer tensor in the narrowest of int8 / uint8 that holds its values (the IR reads
// every ONNX integer initializer as int64); anything else as it is.
ir::Variable* narrow_constant(NodeContext& ctx, ir::Variable* v);

// An elementwise operator computing `e` over `inputs` into `to`: a FusedElementwise, which no rule
// rewrites into other float arithmetic (x / c stays a division), with the inputs that are
// one-value constants written into the expression.
ir::Variable* elementwise(NodeContext& ctx, Expr e, const std::vector<ir::Variable*>& inputs, DType to);

}  // namespace webdnn::onnx_frontend
