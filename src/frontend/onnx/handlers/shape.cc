// Handlers of ONNX operators that describe or change shapes: Reshape, Flatten, Squeeze,
// Unsqueeze, Transpose, and the shape-computing Shape, Constant, ConstantOfShape.
#include <algorithm>

#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"

namespace webdnn::onnx_frontend {
namespace {

void reshape_to(NodeContext& ctx, ir::Variable* x, const Shape& shape) {
  ctx.set_output(0, ctx.add("Reshape", {{"shape", shape}}, {x}));
}

// Axes from the attribute (older opsets) or from input 1 (opset >= `input_since`).
std::vector<int64_t> axes_of(NodeContext& ctx, int64_t input_since) {
  if (ctx.opset() >= input_since) return ctx.input(1) ? ctx.constant_ints(1, "axes") : std::vector<int64_t>{};
  return ctx.attr_ints("axes");
}

}  // namespace

WEBDNN_ONNX_HANDLER(Reshape) {
  ir::Variable* x = ctx.required_input(0);
  std::vector<int64_t> spec = ctx.constant_ints(1, "shape");
  bool allowzero = ctx.attr_int("allowzero", 0) != 0;
  Shape shape(spec.size());
  int infer = -1;
  int64_t known = 1;
  for (size_t i = 0; i < spec.size(); i++) {
    WEBDNN_CHECK(spec[i] >= -1, "shape ", shape_to_string(spec), " has a dimension below -1");
    if (spec[i] == -1) {
      WEBDNN_CHECK(infer < 0, "shape ", shape_to_string(spec), " has more than one -1");
      infer = static_cast<int>(i);
      continue;
    }
    if (spec[i] == 0 && !allowzero) {
      WEBDNN_CHECK(static_cast<int>(i) < x->rank(), "shape ", shape_to_string(spec), " copies axis ", i,
                   " which the input ", shape_to_string(x->shape), " does not have");
      shape[i] = x->shape[i];
    } else {
      shape[i] = spec[i];
    }
    known = checked_size_mul(known, shape[i]);
  }
  if (infer >= 0) {
    WEBDNN_CHECK(known > 0 && x->size() % known == 0, "cannot reshape ", shape_to_string(x->shape), " to ",
                 shape_to_string(spec));
    shape[infer] = x->size() / known;
  }
  reshape_to(ctx, x, shape);
}

WEBDNN_ONNX_HANDLER(Flatten) {
  ir::Variable* x = ctx.required_input(0);
  // axis may equal the rank (everything in the outer part), but a negative one counts from rank.
  int64_t a = ctx.attr_int("axis", 1);
  int axis = a < 0 ? normalize_axis(a, x->rank()) : normalize_axis(a, x->rank() + 1);
  int64_t outer = 1;
  for (int i = 0; i < axis; i++) outer *= x->shape[i];
  reshape_to(ctx, x, {outer, outer ? x->size() / outer : 0});
}

WEBDNN_ONNX_HANDLER(Squeeze) {
  ir::Variable* x = ctx.required_input(0);
  std::vector<int64_t> axes = axes_of(ctx, 13);
  std::vector<bool> drop(x->rank(), false);
  if (axes.empty()) {
    for (int i = 0; i < x->rank(); i++) drop[i] = x->shape[i] == 1;
  } else {
    for (int64_t a : axes) {
      int i = normalize_axis(a, x->rank());
      WEBDNN_CHECK(x->shape[i] == 1, "cannot squeeze axis ", a, " of size ", x->shape[i]);
      drop[i] = true;
    }
  }
  Shape shape;
  for (int i = 0; i < x->rank(); i++)
    if (!drop[i]) shape.push_back(x->shape[i]);
  reshape_to(ctx, x, shape);
}

WEBDNN_ONNX_HANDLER(Unsqueeze) {
  ir::Variable* x = ctx.required_input(0);
  std::vector<int64_t> axes = axes_of(ctx, 13);
  int rank = x->rank() + static_cast<int>(axes.size());
  std::vector<bool> added(rank, false);
  for (int64_t a : axes) {
    int i = normalize_axis(a, rank);
    WEBDNN_CHECK(!added[i], "axis ", a, " appears twice");
    added[i] = true;
  }
  Shape shape;
  size_t k = 0;
  for (int i = 0; i < rank; i++) shape.push_back(added[i] ? 1 : x->shape[k++]);
  reshape_to(ctx, x, shape);
}

WEBDNN_ONNX_HANDLER(Transpose) {
  ir::Variable* x = ctx.required_input(0);
  std::vector<int64_t> perm = ctx.attr_ints("perm");
  if (perm.empty())
    for (int i = x->rank() - 1; i >= 0; i--) perm.push_back(i);
  ctx.set_output(0, ctx.add("Transpose", {{"perm", perm}}, {x}));
}

WEBDNN_ONNX_HANDLER(Shape) {
  ir::Variable* x = ctx.required_input(0);
  int64_t rank = x->rank();
  auto clamp = [rank](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank); };
  int64_t start = clamp(ctx.attr_int("start", 0)), end = clamp(ctx.attr_int("end", rank));
  std::vector<int64_t> dims;
  for (int64_t i = start; i < end; i++) dims.push_back(x->shape[i]);
  ctx.set_output(0, ctx.add_constant(Tensor::from_ints({static_cast<int64_t>(dims.size())}, dims)));
}

WEBDNN_ONNX_HANDLER(Constant) {
  if (ctx.has("value")) {
    ctx.set_output(0, ctx.add_constant(ctx.attr_tensor("value")));
  } else if (ctx.has("value_float")) {
    ctx.set_output(0, ctx.add_constant(Tensor::scalar(ctx.attr_float("value_float", 0))));
  } else if (ctx.has("value_floats")) {
    auto v = ctx.attr_floats("value_floats");
    ctx.set_output(0, ctx.add_constant(Tensor::from_floats({static_cast<int64_t>(v.size())}, v)));
  } else if (ctx.has("value_int")) {
    ctx.set_output(0, ctx.add_constant(Tensor::from_ints({}, {ctx.attr_int("value_int", 0)})));
  } else if (ctx.has("value_ints")) {
    auto v = ctx.attr_ints("value_ints");
    ctx.set_output(0, ctx.add_constant(Tensor::from_ints({static_cast<int64_t>(v.size())}, v)));
  } else {
    fail("Constant has no value attribute webdnn understands (sparse and string values are not supported)");
  }
}

WEBDNN_ONNX_HANDLER(ConstantOfShape) {
  Shape shape = ctx.constant_ints(0, "shape");
  Tensor value = ctx.has("value") ? ctx.attr_tensor("value") : Tensor::scalar(0.0f);
  WEBDNN_CHECK(value.size() == 1, "value must hold one element");
  Tensor out(value.dtype, shape);
  size_t elem = dtype_size(value.dtype);
  for (int64_t i = 0; i < out.size(); i++) std::copy_n(value.bytes.data(), elem, out.bytes.data() + i * elem);
  ctx.set_output(0, ctx.add_constant(std::move(out)));
}

}  // namespace webdnn::onnx_frontend
