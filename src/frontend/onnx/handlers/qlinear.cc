// Handlers of the integer-domain operators of quantized ONNX models: ConvInteger, QLinearConv,
// QLinearMatMul and onnxruntime's com.microsoft QLinearAdd. Each is its integer product
// (ConvInteger, MatMulInteger: exact int32 sums) followed by onnxruntime's requantization,
// float32(sum) * (x_scale * w_scale / y_scale) rounded half to even and saturated, as one
// elementwise operator; QLinearAdd adds the two dequantized inputs and quantizes the sum.
#include "src/frontend/onnx/handlers/quantize.h"
#include "src/frontend/onnx/handlers/window.h"
#include "src/ops/quantize.h"
#include "webdnn/error.h"

namespace webdnn::onnx_frontend {
namespace {

// One value (a scalar, or [1]) as a scalar; `what` names it in errors.
ir::Variable* scalar(NodeContext& ctx, size_t i, const char* what) {
  ir::Variable* v = ctx.required_input(i);
  WEBDNN_CHECK(v->size() == 1, what, " '", v->name, "' is ", shape_to_string(v->shape), "; one value is expected");
  return ctx.reshape(v, {});
}

// One value, or one per output channel: [C] made to broadcast as `dims` (a scalar stays).
ir::Variable* per_channel(NodeContext& ctx, size_t i, const Dim& channels, const DimShape& dims, const char* what) {
  ir::Variable* v = ctx.required_input(i);
  if (v->size() == 1) return ctx.reshape(v, {});
  WEBDNN_CHECK(v->rank() == 1 && identical(v->dims[0], channels), what, " '", v->name, "' is ",
               shape_to_string(v->shape), "; one value or one per output channel ([", channels, "]) is expected");
  return ctx.reshape(v, dims);
}

// x_scale * w_scale / y_scale in float32, in onnxruntime's order.
ir::Variable* multiplier(NodeContext& ctx, ir::Variable* x_scale, ir::Variable* w_scale, ir::Variable* y_scale) {
  Expr e;
  int xw = e.unary(ExprOp::F32, e.binary(ExprOp::Mul, e.input(0), e.input(1)));
  e.unary(ExprOp::F32, e.binary(ExprOp::Div, xw, e.input(2)));
  return elementwise(ctx, e, {x_scale, w_scale, y_scale}, DType::Float32);
}

// The int32 sum (plus `bias`, if any) requantized into y's type (that of input `y_zero`).
ir::Variable* requantize(NodeContext& ctx, ir::Variable* acc, ir::Variable* m, size_t y_zero, ir::Variable* bias) {
  QType q = quantized_type(onnx_type_of(ctx, y_zero, onnx::TensorProto::UINT8), "the output");
  Expr e;
  int sum = bias ? e.binary(ExprOp::Add, e.input(0), e.input(3)) : e.input(0);
  ops::requantize(e, sum, e.input(1), e.input(2), q.lo, q.hi);
  std::vector<ir::Variable*> in = {acc, m, scalar(ctx, y_zero, "the output zero point")};
  if (bias) in.push_back(bias);
  return elementwise(ctx, e, in, q.dtype);
}

ir::Variable* conv_integer(NodeContext& ctx, ir::Variable* x, ir::Variable* w, ir::Variable* x_zero, ir::Variable* w_zero) {
  WEBDNN_CHECK(w->rank() == x->rank() && (x->rank() == 3 || x->rank() == 4), "weight '", w->name, "' is ",
               shape_to_string(w->shape), " for input ", shape_to_string(x->shape), "; both must be 3-D or 4-D alike");
  params::Conv p;
  p.window = window_params(read_window(ctx, x, std::vector<int64_t>(w->shape.begin() + 2, w->shape.end())));
  p.group = ctx.attr_int("group", 1);
  return ctx.add("ConvInteger", p.to_json(), {lift(ctx, x), lift(ctx, narrow_constant(ctx, w)), x_zero, w_zero});
}

ir::Variable* zero_or(NodeContext& ctx, size_t i) {
  ir::Variable* z = ctx.input(i);
  return z ? narrow_constant(ctx, z) : ctx.add_constant(Tensor::from_ints({}, {0}, DType::UInt8));
}

}  // namespace

WEBDNN_ONNX_HANDLER(ConvInteger) {
  ir::Variable* x = ctx.required_input(0);
  ir::Variable* x_zero = zero_or(ctx, 2);
  WEBDNN_CHECK(x_zero->size() == 1, "x_zero_point '", x_zero->name, "' is ", shape_to_string(x_zero->shape),
               "; one value is expected");
  ir::Variable* w_zero = zero_or(ctx, 3);
  set_windowed_output(ctx, x, conv_integer(ctx, x, ctx.required_input(1), x_zero, w_zero));
}

// x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B (int32, optional).
WEBDNN_ONNX_HANDLER(QLinearConv) {
  ir::Variable* x = ctx.required_input(0);
  ir::Variable* w = ctx.required_input(3);
  WEBDNN_CHECK(w->rank() >= 3, "weight '", w->name, "' is ", shape_to_string(w->shape), "; it must be [M, C/group, k...]");
  const Dim channels = w->dims[0];
  const DimShape column = {channels, Dim(1), Dim(1)};
  ir::Variable* w_zero = per_channel(ctx, 5, channels, {channels}, "w_zero_point");
  ir::Variable* acc = conv_integer(ctx, x, w, scalar(ctx, 2, "x_zero_point"), w_zero);
  ir::Variable* m = multiplier(ctx, scalar(ctx, 1, "x_scale"), per_channel(ctx, 4, channels, column, "w_scale"),
                               scalar(ctx, 6, "y_scale"));
  ir::Variable* bias = ctx.input(8) ? per_channel(ctx, 8, channels, column, "B") : nullptr;
  set_windowed_output(ctx, x, requantize(ctx, acc, m, 7, bias));
}

// a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point; b's scale and zero
// point one value or one per column.
WEBDNN_ONNX_HANDLER(QLinearMatMul) {
  ir::Variable* a = ctx.required_input(0);
  ir::Variable* b = narrow_constant(ctx, ctx.required_input(3));
  WEBDNN_CHECK(a->rank() >= 2 && b->rank() >= 2, "QLinearMatMul takes A and B of rank 2 or more (",
               shape_to_string(a->shape), ", ", shape_to_string(b->shape), ")");
  const Dim columns = b->dims.back();
  ir::Variable* acc = ctx.add("MatMulInteger", Json::object(),
                              {a, b, scalar(ctx, 2, "a_zero_point"), per_channel(ctx, 5, columns, {columns}, "b_zero_point")});
  ir::Variable* m = multiplier(ctx, scalar(ctx, 1, "a_scale"), per_channel(ctx, 4, columns, {columns}, "b_scale"),
                               scalar(ctx, 6, "y_scale"));
  ctx.set_output(0, requantize(ctx, acc, m, 7, nullptr));
}

// C = quantize(dequantize(A) + dequantize(B)), every scale and zero point one value; B broadcasts.
WEBDNN_ONNX_MS_HANDLER(QLinearAdd) {
  ir::Variable* a = ctx.required_input(0);
  ir::Variable* b = ctx.required_input(3);
  QType q = quantized_type(onnx_type_of(ctx, 0, onnx::TensorProto::UINT8), "input A");
  Expr e;
  int da = ops::dequantize(e, e.input(0), e.input(1), e.input(2));
  int db = ops::dequantize(e, e.input(3), e.input(4), e.input(5));
  int sum = e.unary(ExprOp::F32, e.binary(ExprOp::Add, da, db));
  ops::quantize(e, sum, e.input(6), e.input(7), q.lo, q.hi);
  auto zero = [&](size_t i, const char* what) {
    return ctx.input(i) ? scalar(ctx, i, what) : ctx.add_constant(Tensor::from_ints({}, {0}, DType::UInt8));
  };
  ctx.set_output(0, elementwise(ctx, e, {a, scalar(ctx, 1, "A_scale"), zero(2, "A_zero_point"), b,
                                         scalar(ctx, 4, "B_scale"), zero(5, "B_zero_point"), scalar(ctx, 6, "C_scale"),
                                         zero(7, "C_zero_point")},
                                q.dtype));
}

}  // namespace webdnn::onnx_frontend

namespace webdnn::onnx_frontend {

// onnxruntime's MatMulNBits: A [..., K] times W' for W [N, K] held in blocks of block_size values
// of `bits` bits along K. Inputs: A, B (uint8 [N, blocks, block_size * bits / 8]), scales
// ([N * blocks]), zero points (optional: uint8 packed like B, [N * ceil(blocks * bits / 8)], or
// floats [N * blocks]; absent: 2^(bits-1)), g_idx (refused), bias ([N], optional). The weight stays
// packed in the IR; the zero points become floats beside the scales.
WEBDNN_ONNX_MS_HANDLER(MatMulNBits) {
  params::MatMulNBits p;
  p.K = ctx.attr_int("K", 0);
  p.bits = ctx.attr_int("bits", 4);
  p.block_size = ctx.attr_int("block_size", 0);
  const int64_t N = ctx.attr_int("N", 0);
  WEBDNN_CHECK(N > 0 && p.K > 0, "attributes K ", p.K, " and N ", N, " must be positive");
  params::MatMulNBits::parse(p.to_json());  // checks bits and block_size
  WEBDNN_CHECK(!ctx.input(4), "the g_idx input (an act-order permutation) is not supported");
  ir::Variable* a = ctx.required_input(0);
  WEBDNN_CHECK(a->rank() >= 1 && a->shape.back() == p.K, "input A is ", shape_to_string(a->shape), "; [..., ", p.K,
               "] is expected (attribute K)");
  const int64_t blocks = p.blocks(), bytes = p.block_bytes();
  Tensor b = ctx.constant_input(1, "the packed weight B");
  WEBDNN_CHECK(b.size() == N * blocks * bytes, "the packed weight B is ", shape_to_string(b.shape), "; ", N * blocks * bytes,
               " bytes ([", N, ", ", blocks, ", ", bytes, "]) are expected for N ", N, ", K ", p.K, ", bits ", p.bits,
               ", block_size ", p.block_size);
  b = b.cast(DType::UInt8);
  b.shape = {N, blocks, bytes};
  Tensor scales = ctx.constant_input(2, "scales").cast(DType::Float32);
  WEBDNN_CHECK(scales.size() == N * blocks, "scales hold ", scales.size(), " values; ", N * blocks, " are expected");
  scales.shape = {N, blocks};
  Tensor zero(DType::Float32, {N, blocks});
  float* z = zero.data<float>();
  if (!ctx.input(3)) {
    std::fill(z, z + zero.size(), static_cast<float>(1 << (p.bits - 1)));
  } else if (ctx.required_input(3)->dtype == DType::Float32) {
    Tensor given = ctx.constant_input(3, "zero points");
    WEBDNN_CHECK(given.size() == N * blocks, "zero points hold ", given.size(), " values; ", N * blocks, " are expected");
    std::copy(given.data<float>(), given.data<float>() + given.size(), z);
  } else {
    // Packed like the weight, each row of N starting on a byte.
    std::vector<int64_t> packed = ctx.constant_ints(3, "zero points");
    const int64_t row = (blocks * p.bits + 7) / 8;
    WEBDNN_CHECK(static_cast<int64_t>(packed.size()) == N * row, "packed zero points hold ", packed.size(), " bytes; ",
                 N * row, " are expected");
    for (int64_t n = 0; n < N; n++)
      for (int64_t k = 0; k < blocks; k++) {
        int64_t bit = k * p.bits;
        z[n * blocks + k] = static_cast<float>((packed[n * row + bit / 8] >> (bit % 8)) & ((1 << p.bits) - 1));
      }
  }
  std::vector<ir::Variable*> in = {a, ctx.add_constant(std::move(b)), ctx.add_constant(std::move(scales)),
                                   ctx.add_constant(std::move(zero))};
  if (ir::Variable* bias = ctx.input(5)) in.push_back(bias);
  ctx.set_output(0, ctx.add("MatMulNBits", p.to_json(), in));
}

}  // namespace webdnn::onnx_frontend
