// Handlers of ONNX's linear quantization: QuantizeLinear, DequantizeLinear (per tensor, per axis
// and, from opset 21, blocked), DynamicQuantizeLinear and MatMulInteger. Quantize and Dequantize
// are elementwise IR operators with their scale and zero point reshaped to broadcast along the
// quantized axis; DynamicQuantizeLinear is composed of reductions and elementwise operators, each
// step computed in float32 as onnxruntime computes it, so that the integers come out the same.
#include <cmath>
#include <limits>

#include "src/frontend/onnx/handlers/quantize.h"
#include "src/frontend/onnx/node_context.h"
#include "src/ops/quantize.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {

QType quantized_type(int onnx_type, const char* what) {
  using TP = onnx::TensorProto;
  switch (onnx_type) {
    case TP::UINT8: return {DType::UInt8, 0, 255};
    case TP::INT8: return {DType::Int8, -128, 127};
    case TP::UINT16: return {DType::Int64, 0, 65535};
    case TP::INT16: return {DType::Int64, -32768, 32767};
    case TP::INT32: return {DType::Int32, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
  }
  fail(what, " has element type ", onnx_type_name(onnx_type),
       "; webdnn quantizes to uint8, int8, uint16, int16 (and dequantizes int32)");
}

int onnx_type_of(const NodeContext& ctx, size_t i, int fallback) {
  int t = ctx.onnx_elem_type(i);
  if (t) return t;
  // Values our own handlers made: their IR dtype tells the width.
  if (ir::Variable* v = ctx.input(i)) {
    if (v->dtype == DType::UInt8) return onnx::TensorProto::UINT8;
    if (v->dtype == DType::Int8) return onnx::TensorProto::INT8;
  }
  return fallback;
}

ir::Variable* narrow_constant(NodeContext& ctx, ir::Variable* v) {
  if (!v || !v->is_constant() || v->dtype != DType::Int64) return v;
  Tensor t = v->logical_data();
  int64_t lo = 0, hi = 0;
  for (int64_t i = 0; i < t.size(); i++) lo = std::min(lo, t.as_int(i)), hi = std::max(hi, t.as_int(i));
  if (lo >= -128 && hi <= 127) return ctx.add_constant(t.cast(DType::Int8));
  if (lo >= 0 && hi <= 255) return ctx.add_constant(t.cast(DType::UInt8));
  return v;
}

ir::Variable* elementwise(NodeContext& ctx, Expr e, const std::vector<ir::Variable*>& inputs, DType to) {
  DimShape shape;
  for (const ir::Variable* v : inputs) shape = broadcast(shape, v->dims);
  auto inline_const = [](const ir::Variable* v) { return v->is_constant() && v->size() == 1; };
  bool all = true;
  for (const ir::Variable* v : inputs) all &= v->is_constant();
  std::vector<ir::Variable*> kept;
  std::vector<int> index(inputs.size(), -1);
  for (size_t i = 0; i < inputs.size(); i++)
    if (all || !inline_const(inputs[i])) index[i] = static_cast<int>(kept.size()), kept.push_back(inputs[i]);
  for (ExprNode& n : e.nodes) {
    if (n.op != ExprOp::Input) continue;
    int i = static_cast<int>(n.value);
    if (index[i] >= 0) {
      n.value = index[i];
    } else {
      n.op = ExprOp::Const;
      n.value = inputs[i]->data->as_double(0);
    }
  }
  return ctx.add("FusedElementwise", {{"expr", e.to_json()}, {"to", dtype_name(to)}, {"shape", params::dims_json(shape)}},
                 kept);
}

namespace {

Json reshape_to(const DimShape& dims) { return {{"shape", params::dims_json(dims)}}; }

// A scale or zero point made to broadcast against x [d0, d1, ...]: a scalar (or one value) as it
// is; one value per slice along `axis` ([d_axis]) as [d_axis, 1, ..., 1]; blocks (same rank as
// x, axis `axis` of ceil(d_axis / block) values) repeated `block` times along that axis.
ir::Variable* along_axis(NodeContext& ctx, ir::Variable* p, const ir::Variable* x, int64_t axis, int64_t block) {
  if (p->size() == 1 && !block) return p->rank() == 0 ? p : ctx.add("Reshape", reshape_to({}), {p});
  const int rank = x->rank();
  if (!block) {
    WEBDNN_CHECK(p->rank() == 1 && identical(p->dims[0], x->dims[axis]), "'", p->name, "' is ",
                 shape_to_string(p->shape), "; one value, or one per slice along axis ", axis, " of ",
                 shape_to_string(x->shape), " ([", x->shape[axis], "]) is expected");
    DimShape dims = {p->dims[0]};
    dims.resize(static_cast<size_t>(rank - axis), Dim(1));
    return ctx.add("Reshape", reshape_to(dims), {p});
  }
  WEBDNN_CHECK(block > 0 && p->rank() == rank, "'", p->name, "' is ", shape_to_string(p->shape),
               "; with block_size ", block, " it has the rank of ", shape_to_string(x->shape));
  for (int a = 0; a < rank; a++)
    WEBDNN_CHECK(a == axis ? p->shape[a] == (x->shape[a] + block - 1) / block : identical(p->dims[a], x->dims[a]),
                 "'", p->name, "' is ", shape_to_string(p->shape), "; blocks of ", block, " along axis ", axis, " of ",
                 shape_to_string(x->shape), " need ", (x->shape[axis] + block - 1) / block, " values there");
  // [.., n, ..] -> [.., n, 1, ..] -> [.., n, block, ..] -> [.., n * block, ..], cut to x's extent.
  DimShape split = p->dims, wide = p->dims, flat = p->dims;
  split.insert(split.begin() + axis + 1, Dim(1));
  wide.insert(wide.begin() + axis + 1, Dim(block));
  flat[axis] = p->dims[axis] * Dim(block);
  ir::Variable* v = ctx.add("Reshape", reshape_to(split), {p});
  v = ctx.add("Expand", reshape_to(wide), {v});
  v = ctx.add("Reshape", reshape_to(flat), {v});
  if (v->shape[axis] != x->shape[axis]) {
    params::Slice s;
    for (int a = 0; a < rank; a++) {
      s.starts.push_back(Dim(0));
      s.ends.push_back(a == axis ? x->dims[a] : v->dims[a]);
      s.steps.push_back(1);
    }
    v = ctx.add("Slice", s.to_json(), {v});
  }
  return v;
}

// The scale and zero point of a (de)quantization, broadcast against x; the zero point 0 if absent.
std::pair<ir::Variable*, ir::Variable*> scale_and_zero(NodeContext& ctx, ir::Variable* x) {
  ir::Variable* scale = ctx.required_input(1);
  // Zero points as 8-bit values where they fit, which the fast elementwise kernels read (int64 not).
  ir::Variable* zero = narrow_constant(ctx, ctx.input(2));
  if (!zero) zero = ctx.add_constant(Tensor::from_ints(scale->shape, std::vector<int64_t>(scale->size(), 0), DType::UInt8));
  WEBDNN_CHECK(scale->shape == zero->shape, "the scale ", shape_to_string(scale->shape), " and the zero point ",
               shape_to_string(zero->shape), " differ in shape");
  WEBDNN_CHECK(scale->dtype == DType::Float32, "the scale is ", dtype_name(scale->dtype), "; a float is expected");
  int64_t block = ctx.opset() >= 21 ? ctx.attr_int("block_size", 0) : 0;
  WEBDNN_CHECK(block >= 0, "block_size ", block, " is negative");
  // The axis matters only per axis and in blocks (a per-tensor scale ignores it, whatever the rank).
  int64_t axis = 0;
  if (ctx.opset() >= 13 && (scale->size() != 1 || block)) axis = normalize_axis(ctx.attr_int("axis", 1), x->rank());
  return {along_axis(ctx, scale, x, axis, block), along_axis(ctx, zero, x, axis, block)};
}

ir::Variable* quantize(NodeContext& ctx, ir::Variable* x, ir::Variable* scale, ir::Variable* zero, const QType& q) {
  return ctx.add("QuantizeLinear", {{"to", dtype_name(q.dtype)}, {"min", q.lo}, {"max", q.hi}}, {x, scale, zero});
}

}  // namespace

WEBDNN_ONNX_HANDLER(QuantizeLinear) {
  ir::Variable* x = ctx.required_input(0);
  WEBDNN_CHECK(x->dtype == DType::Float32, "input '", x->name, "' is ", dtype_name(x->dtype), "; a float is expected");
  using TP = onnx::TensorProto;
  // Without a zero point: opset 21's output_dtype, else uint8.
  int given = ctx.opset() >= 21 ? static_cast<int>(ctx.attr_int("output_dtype", 0)) : 0;
  int fallback = given ? given : TP::UINT8;
  QType q = quantized_type(onnx_type_of(ctx, 2, fallback), "the quantized type");
  WEBDNN_CHECK(q.dtype != DType::Int32, "QuantizeLinear to int32 is not an ONNX type");
  auto [scale, zero] = scale_and_zero(ctx, x);
  ctx.set_output(0, quantize(ctx, x, scale, zero, q));
}

WEBDNN_ONNX_HANDLER(DequantizeLinear) {
  ir::Variable* x = ctx.required_input(0);
  quantized_type(onnx_type_of(ctx, 0, onnx::TensorProto::UINT8), "the quantized input");  // refuses other types
  auto [scale, zero] = scale_and_zero(ctx, x);
  ctx.set_output(0, ctx.add("DequantizeLinear", Json::object(), {x, scale, zero}));
}

// y = QuantizeLinear(x, scale, zero_point) to uint8, with scale = (max - min) / 255 and
// zero_point = round(-min / scale) over min = min(x, 0), max = max(x, 0): onnxruntime's
// GetQuantizationParameter, step by step in float32 (scale 1 where max == min).
WEBDNN_ONNX_HANDLER(DynamicQuantizeLinear) {
  ir::Variable* x = ctx.required_input(0);
  WEBDNN_CHECK(x->dtype == DType::Float32, "input '", x->name, "' is ", dtype_name(x->dtype), "; a float is expected");
  std::vector<int64_t> all;
  for (int a = 0; a < x->rank(); a++) all.push_back(a);
  Json whole = params::Reduce{all, false}.to_json();
  ir::Variable* lo = ctx.add("ReduceMin", whole, {x});
  ir::Variable* hi = ctx.add("ReduceMax", whole, {x});
  Expr s;
  int min0 = s.binary(ExprOp::Min, s.input(0), s.constant(0)), max0 = s.binary(ExprOp::Max, s.input(1), s.constant(0));
  int range = s.unary(ExprOp::F32, s.binary(ExprOp::Sub, max0, min0));
  s.select(s.binary(ExprOp::Eq, max0, min0), s.constant(1), s.unary(ExprOp::F32, s.binary(ExprOp::Div, range, s.constant(255))));
  ir::Variable* scale = elementwise(ctx, s, {lo, hi}, DType::Float32);
  // round(clamp(0 - min / scale, 0, 255)): a quantization of -min with zero point 0.
  Expr z;
  int neg_min = z.unary(ExprOp::Neg, z.binary(ExprOp::Min, z.input(0), z.constant(0)));
  ops::quantize(z, neg_min, z.input(1), z.constant(0), 0, 255);
  ir::Variable* zero = elementwise(ctx, z, {lo, scale}, DType::UInt8);
  ctx.set_output(0, quantize(ctx, x, scale, zero, {DType::UInt8, 0, 255}));
  ctx.set_output(1, scale);
  ctx.set_output(2, zero);
}

// (A - a_zero_point) x (B - b_zero_point) in int32; a 1-D A is a row, a 1-D B a column.
WEBDNN_ONNX_HANDLER(MatMulInteger) {
  ir::Variable* a = ctx.required_input(0);
  ir::Variable* b = narrow_constant(ctx, ctx.required_input(1));
  auto zero = [&](size_t i) {
    ir::Variable* z = ctx.input(i);
    return z ? narrow_constant(ctx, z) : ctx.add_constant(Tensor::from_ints({}, {0}, DType::UInt8));
  };
  ir::Variable *za = zero(2), *zb = zero(3);
  const bool row = a->rank() == 1, column = b->rank() == 1;
  if (row) a = ctx.add("Reshape", reshape_to({Dim(1), a->dims[0]}), {a});
  if (column) b = ctx.add("Reshape", reshape_to({b->dims[0], Dim(1)}), {b});
  ir::Variable* y = ctx.add("MatMulInteger", Json::object(), {a, b, za, zb});
  if (row || column) {
    DimShape dims(y->dims.begin(), y->dims.end() - 2);
    if (!row) dims.push_back(y->dims[y->rank() - 2]);
    if (!column) dims.push_back(y->dims.back());
    y = ctx.add("Reshape", reshape_to(dims), {y});
  }
  ctx.set_output(0, y);
}

}  // namespace webdnn::onnx_frontend
