// Handlers of ONNX operators that describe or change shapes: Reshape, Flatten, Squeeze,
// Unsqueeze, Transpose, and the shape-computing Shape, Constant, ConstantOfShape.
#include <algorithm>

#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

void reshape_to(NodeContext& ctx, ir::Variable* x, const DimShape& shape) {
  ctx.set_output(0, ctx.add("Reshape", {{"shape", params::dims_json(shape)}}, {x}));
}

// Axes from the attribute (older opsets) or from input 1 (opset >= `input_since`).
std::vector<int64_t> axes_of(NodeContext& ctx, int64_t input_since) {
  if (ctx.opset() >= input_since) return ctx.input(1) ? ctx.constant_ints(1, "axes") : std::vector<int64_t>{};
  return ctx.attr_ints("axes");
}

bool is_one(const Dim& d) { return d.constant() == 1; }

}  // namespace

// The target may be dims of the model's free dimensions (a Shape -> Gather -> Concat chain); 0
// copies the input's dim and one -1 takes what is left.
WEBDNN_ONNX_HANDLER(Reshape) {
  ir::Variable* x = ctx.required_input(0);
  DimShape spec = ctx.dims_input(1, "shape");
  bool allowzero = ctx.attr_int("allowzero", 0) != 0;
  DimShape shape(spec.size());
  int infer = -1;
  Dim known(1);
  for (size_t i = 0; i < spec.size(); i++) {
    if (spec[i].constant() == -1) {
      WEBDNN_CHECK(infer < 0, "shape ", shape_to_string(spec), " has more than one -1");
      infer = static_cast<int>(i);
      continue;
    }
    if (spec[i].constant() == 0 && !allowzero) {
      WEBDNN_CHECK(static_cast<int>(i) < x->rank(), "shape ", shape_to_string(spec), " copies axis ", i,
                   " which the input ", shape_to_string(x->dims), " does not have");
      shape[i] = x->dims[i];
    } else {
      WEBDNN_CHECK(spec[i].hint() >= 0, "shape ", shape_to_string(spec), " has a negative dimension");
      shape[i] = spec[i];
    }
    known *= shape[i];
  }
  if (infer >= 0) {
    Dim total = num_elements(x->dims);
    WEBDNN_CHECK(known.hint() > 0 && total.hint() % known.hint() == 0, "cannot reshape ", shape_to_string(x->dims),
                 " to ", shape_to_string(spec));
    shape[infer] = total / known;
  }
  reshape_to(ctx, x, shape);
}

WEBDNN_ONNX_HANDLER(Flatten) {
  ir::Variable* x = ctx.required_input(0);
  // axis may equal the rank (everything in the outer part), but a negative one counts from rank.
  int64_t a = ctx.attr_int("axis", 1);
  int axis = a < 0 ? normalize_axis(a, x->rank()) : normalize_axis(a, x->rank() + 1);
  Dim outer(1), inner(1);
  for (int i = 0; i < x->rank(); i++) (i < axis ? outer : inner) *= x->dims[i];
  reshape_to(ctx, x, {outer, inner});
}

WEBDNN_ONNX_HANDLER(Squeeze) {
  ir::Variable* x = ctx.required_input(0);
  std::vector<int64_t> axes = axes_of(ctx, 13);
  std::vector<bool> drop(x->rank(), false);
  if (axes.empty()) {
    // Only axes of size 1 whatever the shapes: a free dimension that happens to be 1 stays.
    for (int i = 0; i < x->rank(); i++) drop[i] = is_one(x->dims[i]);
  } else {
    for (int64_t a : axes) {
      int i = normalize_axis(a, x->rank());
      WEBDNN_CHECK(x->dims[i] == Dim(1), "cannot squeeze axis ", a, " of size ", x->dims[i]);
      drop[i] = true;
    }
  }
  DimShape shape;
  for (int i = 0; i < x->rank(); i++)
    if (!drop[i]) shape.push_back(x->dims[i]);
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
  DimShape shape;
  size_t k = 0;
  for (int i = 0; i < rank; i++) shape.push_back(added[i] ? Dim(1) : x->dims[k++]);
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
  DimShape dims(x->dims.begin() + start, x->dims.begin() + std::max(start, end));  // start past end: none
  ctx.set_output(0, ctx.add_dims(dims, false));
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
  DimShape dims = ctx.dims_input(0, "shape");
  Tensor value = ctx.has("value") ? ctx.attr_tensor("value") : Tensor::scalar(0.0f);
  WEBDNN_CHECK(value.size() == 1, "value must hold one element");
  bool known = true;
  for (const Dim& d : dims) known &= d.is_constant();
  if (!known) {  // its shape follows the model's free dimensions: the value, broadcast at run time
    value.shape = {};
    ctx.set_output(0, ctx.add("Expand", {{"shape", params::dims_json(dims)}}, {ctx.add_constant(std::move(value))}));
    return;
  }
  Shape shape = params::numbers_of(dims, "shape");
  Tensor out(value.dtype, shape);
  size_t elem = dtype_size(value.dtype);
  for (int64_t i = 0; i < out.size(); i++) std::copy_n(value.bytes.data(), elem, out.bytes.data() + i * elem);
  ctx.set_output(0, ctx.add_constant(std::move(out)));
}

}  // namespace webdnn::onnx_frontend
