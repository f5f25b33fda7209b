// The expressions of linear quantization, shared by the QuantizeLinear / DequantizeLinear
// operators (src/ops/elementwise.cc), the compositions the ONNX frontend builds from them and the
// rules that fuse them. Each appends nodes to `e` and returns the node of its result.
#pragma once
#include "webdnn/expr.h"

namespace webdnn::ops {

// saturate(round_half_even(x / scale) + zero_point) into [lo, hi], as onnxruntime computes it.
int quantize(Expr& e, int x, int scale, int zero_point, double lo, double hi);
// The same for an int32 sum of products: saturate(round_half_even(float32(acc) * multiplier) +
// zero_point), as onnxruntime requantizes QLinearConv's and QLinearMatMul's sums.
int requantize(Expr& e, int acc, int multiplier, int zero_point, double lo, double hi);
// (x - zero_point) * scale in float32.
int dequantize(Expr& e, int x, int scale, int zero_point);

}  // namespace webdnn::ops
