// Integer products of quantized models: MatMulInteger and ConvInteger (8-bit operands less their
// zero points, exact int32 sums) and MatMulNBits (float A times a weight of 2/4/8-bit blocks, each
// block dequantized as it is read). QuantizeLinear and DequantizeLinear are elementwise
// (elementwise.cc).
#include "src/ops/schema.h"

namespace webdnn::ops {
namespace {

void infer_matmul_integer(ir::Operator& op) {
  set_outputs(op, params::infer_matmul_integer(params::MatMulInteger::parse(op.params), input_types(op)));
}

void infer_conv_integer(ir::Operator& op) {
  set_like_input(op, params::infer_conv_integer(params::Conv::parse(op.params), input_types(op)));
}

void infer_matmul_nbits(ir::Operator& op) {
  set_like_input(op, params::infer_matmul_nbits(params::MatMulNBits::parse(op.params), input_types(op)));
}

// Rows of A (and of the output) are independent.
Traits rows_traits(const ir::Operator& op) {
  Traits t;
  const ir::Variable* y = op.outputs[0];
  for (int axis = 0; axis + 1 < y->rank(); axis++) t.tensorwise.push_back(axis);
  return t;
}


WEBDNN_REGISTER_OP(with_flops(make_schema("MatMulInteger", 4, 4, infer_matmul_integer, nullptr),
                              [](const ir::Operator& op) { return product_flops(op, op.inputs[0]->shape.back()); }));
WEBDNN_REGISTER_OP(with_flops(make_schema("ConvInteger", 4, 4, infer_conv_integer, nullptr), [](const ir::Operator& op) {
  const ir::Variable* w = op.inputs[1];
  return product_flops(op, w->shape[1] * w->shape[2] * w->shape[3]);
}));
WEBDNN_REGISTER_OP(with_flops(make_schema("MatMulNBits", 4, 5, infer_matmul_nbits, rows_traits), [](const ir::Operator& op) {
  return product_flops(op, params::MatMulNBits::parse(op.params).K);
}));

}  // namespace
}  // namespace webdnn::ops
