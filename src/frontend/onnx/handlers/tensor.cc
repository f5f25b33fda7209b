// Handlers of ONNX operators that rearrange data: Concat, Split, Slice, Gather, GatherElements,
// Pad, Tile, DepthToSpace, and Range (computed at convert time).
#include <algorithm>
#include <cmath>
#include <set>

#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

// ONNX Slice's clamping of one axis (starts/ends count from the end when negative). A free
// dimension compared with a bound makes a guard (webdnn/dim.h).
void clamp_slice(const Dim& dim, int64_t step, Dim& start, Dim& end) {
  if (dim.constant() == 0) {
    start = end = Dim(0);
    return;
  }
  for (Dim* v : {&start, &end})
    if (auto c = v->constant(); c && *c < 0) *v = std::max<int64_t>(*c, -params::kMaxExtent) + dim;
    else if (c && *c > params::kMaxExtent) *v = Dim(params::kMaxExtent);
  auto clamp = [](Dim& v, const Dim& lo, const Dim& hi) {
    if (v < lo) v = lo;
    else if (v > hi) v = hi;
  };
  if (step > 0) {
    clamp(start, 0, dim);
    clamp(end, 0, dim);
  } else {
    clamp(start, 0, dim - 1);
    clamp(end, -1, dim - 1);
  }
}

// Output sizes of Split without an explicit split: equal parts, or from opset 18 with
// num_outputs, parts of ceil(dim / n) with a smaller last one.
std::vector<int64_t> equal_split(NodeContext& ctx, int64_t dim, int64_t n) {
  if (ctx.opset() >= 18 && ctx.has("num_outputs")) {
    int64_t k = ctx.attr_int("num_outputs", 0);
    WEBDNN_CHECK(k == n, "num_outputs is ", k, " but the node has ", n, " outputs");
    int64_t chunk = (dim + n - 1) / n;
    std::vector<int64_t> split;
    for (int64_t i = 0; i < n; i++) split.push_back(std::clamp<int64_t>(dim - i * chunk, 0, chunk));
    return split;
  }
  WEBDNN_CHECK(dim % n == 0, "cannot split an axis of size ", dim, " into ", n, " equal outputs");
  return std::vector<int64_t>(n, dim / n);
}

std::vector<int64_t> int_range(const Tensor& start, const Tensor& limit, const Tensor& delta) {
  int64_t s = start.as_int(0), l = limit.as_int(0), d = delta.as_int(0);
  WEBDNN_CHECK(d != 0, "delta is 0");
  WEBDNN_CHECK(d != INT64_MIN, "delta is out of range");
  // In 128 bits: limit - start may not fit in 64.
  __int128 span = d > 0 ? static_cast<__int128>(l) - s : static_cast<__int128>(s) - l, step = d > 0 ? d : -d;
  __int128 count = span > 0 ? (span + step - 1) / step : 0;
  WEBDNN_CHECK(count <= max_tensor_bytes() / 8, "Range from ", s, " to ", l, " by ", d, " has ", static_cast<double>(count),
               " elements, more than any backend holds");
  int64_t n = static_cast<int64_t>(count);
  std::vector<int64_t> v;
  for (int64_t i = 0; i < n; i++) v.push_back(s + i * d);
  return v;
}

}  // namespace

WEBDNN_ONNX_HANDLER(Concat) {
  WEBDNN_CHECK(ctx.has("axis"), "attribute 'axis' is required");
  std::vector<ir::Variable*> inputs;
  for (size_t i = 0; i < ctx.num_inputs(); i++) inputs.push_back(ctx.required_input(i));
  WEBDNN_CHECK(!inputs.empty(), "Concat needs at least one input");
  int axis = normalize_axis(ctx.attr_int("axis", 0), inputs[0]->rank());
  ctx.set_output(0, ctx.add("Concat", {{"axis", axis}}, inputs));
}

WEBDNN_ONNX_HANDLER(Split) {
  ir::Variable* x = ctx.required_input(0);
  int axis = normalize_axis(ctx.attr_int("axis", 0), x->rank());
  int64_t n = static_cast<int64_t>(ctx.num_outputs());
  WEBDNN_CHECK(n > 0, "Split has no outputs");
  std::vector<int64_t> split;
  if (ctx.opset() < 13) split = ctx.attr_ints("split");
  else if (ctx.input(1)) split = ctx.constant_ints(1, "split");
  if (split.empty()) split = equal_split(ctx, x->shape[axis], n);
  WEBDNN_CHECK(static_cast<int64_t>(split.size()) == n, "split ", shape_to_string(split), " gives ", split.size(),
               " sizes, but the node has ", n, " outputs");
  auto outs = ctx.add_multi("Split", {{"axis", axis}, {"split", split}}, {x}, static_cast<int>(n));
  for (size_t i = 0; i < outs.size(); i++) ctx.set_output(i, outs[i]);
}

WEBDNN_ONNX_HANDLER(Slice) {
  ir::Variable* x = ctx.required_input(0);
  DimShape starts, ends;
  std::vector<int64_t> axes, steps;
  if (ctx.opset() < 10) {
    for (int64_t v : ctx.attr_ints("starts")) starts.push_back(v);
    for (int64_t v : ctx.attr_ints("ends")) ends.push_back(v);
    axes = ctx.attr_ints("axes");
  } else {
    starts = ctx.dims_input(1, "starts");
    ends = ctx.dims_input(2, "ends");
    if (ctx.input(3)) axes = ctx.constant_ints(3, "axes");
    if (ctx.input(4)) steps = ctx.constant_ints(4, "steps");
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); i++) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  WEBDNN_CHECK(ends.size() == starts.size() && axes.size() == starts.size() && steps.size() == starts.size(),
               "starts ", shape_to_string(starts), ", ends ", shape_to_string(ends), ", axes ", shape_to_string(axes),
               " and steps ", shape_to_string(steps), " must have the same length");
  int rank = x->rank();
  DimShape s(rank, Dim(0)), e(x->dims);
  std::vector<int64_t> k(rank, 1);
  std::set<int> seen;
  for (size_t i = 0; i < axes.size(); i++) {
    int a = normalize_axis(axes[i], rank);
    WEBDNN_CHECK(seen.insert(a).second, "axis ", axes[i], " is sliced twice");
    WEBDNN_CHECK(steps[i] != 0, "the step of axis ", axes[i], " is 0");
    s[a] = starts[i];
    e[a] = ends[i];
    k[a] = steps[i];
    clamp_slice(x->dims[a], k[a], s[a], e[a]);
  }
  Json p = {{"starts", params::dims_json(s)}, {"ends", params::dims_json(e)}, {"steps", k}};
  ctx.set_output(0, ctx.add("Slice", p, {x}));
}

WEBDNN_ONNX_HANDLER(Gather) {
  ir::Variable* data = ctx.required_input(0);
  int axis = normalize_axis(ctx.attr_int("axis", 0), data->rank());
  ctx.set_output(0, ctx.add("Gather", {{"axis", axis}}, {data, ctx.required_input(1)}));
}

WEBDNN_ONNX_HANDLER(GatherElements) {
  ir::Variable* data = ctx.required_input(0);
  int axis = normalize_axis(ctx.attr_int("axis", 0), data->rank());
  ctx.set_output(0, ctx.add("GatherElements", {{"axis", axis}}, {data, ctx.required_input(1)}));
}

WEBDNN_ONNX_HANDLER(Pad) {
  ir::Variable* x = ctx.required_input(0);
  int rank = x->rank();
  std::vector<int64_t> pads, axes;
  double value = 0;
  if (ctx.opset() < 11) {
    pads = ctx.attr_ints("pads");
    value = ctx.attr_float("value", 0.0f);
  } else {
    pads = ctx.constant_ints(1, "pads");
    if (ctx.input(2)) {
      Tensor v = ctx.constant_input(2, "constant_value");
      WEBDNN_CHECK(v.size() <= 1, "constant_value must be one value, got ", shape_to_string(v.shape));
      if (v.size() == 1) value = v.as_double(0);
    }
    if (ctx.opset() >= 18 && ctx.input(3)) axes = ctx.constant_ints(3, "axes");
  }
  if (axes.empty())
    for (int a = 0; a < rank; a++) axes.push_back(a);
  int64_t n = static_cast<int64_t>(axes.size());
  WEBDNN_CHECK(static_cast<int64_t>(pads.size()) == 2 * n, "pads ", shape_to_string(pads), " must hold ", 2 * n,
               " values (the begins, then the ends, of ", n, " axes)");
  std::vector<int64_t> full(2 * rank, 0);
  for (int64_t i = 0; i < n; i++) {
    int a = normalize_axis(axes[i], rank);
    full[a] = pads[i];
    full[a + rank] = pads[i + n];
  }
  Json p = {{"pads", full}, {"mode", ctx.attr_string("mode", "constant")}, {"value", value}};
  ctx.set_output(0, ctx.add("Pad", p, {x}));
}

WEBDNN_ONNX_HANDLER(Tile) {
  ir::Variable* x = ctx.required_input(0);
  ctx.set_output(0, ctx.add("Tile", {{"repeats", ctx.constant_ints(1, "repeats")}}, {x}));
}

WEBDNN_ONNX_HANDLER(DepthToSpace) {
  WEBDNN_CHECK(ctx.has("blocksize"), "attribute 'blocksize' is required");
  std::string mode = ctx.opset() >= 11 ? ctx.attr_string("mode", "DCR") : "DCR";
  Json p = {{"blocksize", ctx.attr_int("blocksize", 0)}, {"mode", mode}};
  ctx.set_output(0, ctx.add("DepthToSpace", p, {ctx.required_input(0)}));
}

// Range over integers whose bounds follow from the input shapes (`Range(0, sequence, 1)`).
static void dim_range(NodeContext& ctx) {
  DimShape start = ctx.dims_input(0, "start"), limit = ctx.dims_input(1, "limit"), delta = ctx.dims_input(2, "delta");
  WEBDNN_CHECK(start.size() == 1 && limit.size() == 1 && delta.size() == 1, "start, limit and delta must be scalars");
  auto d = delta[0].constant();
  WEBDNN_CHECK(d && *d != 0, "delta must be a non-zero number, not ", delta[0]);
  Dim span = *d > 0 ? limit[0] - start[0] : start[0] - limit[0];
  Dim count = span > Dim(0) ? ceil_div(span, Dim(*d > 0 ? *d : -*d)) : Dim(0);
  params::Range p{ctx.required_input(0)->dtype, start[0], count, *d};
  ctx.set_output(0, ctx.add("Range", p.to_json(), {}));
}

// Range with constant inputs is computed here; one whose bounds are dims runs as the IR's Range.
WEBDNN_ONNX_HANDLER(Range) {
  if (!ctx.is_constant(0) || !ctx.is_constant(1) || !ctx.is_constant(2)) return dim_range(ctx);
  Tensor start = ctx.constant_input(0, "start");
  Tensor limit = ctx.constant_input(1, "limit");
  Tensor delta = ctx.constant_input(2, "delta");
  WEBDNN_CHECK(start.size() == 1 && limit.size() == 1 && delta.size() == 1, "start, limit and delta must be scalars");
  WEBDNN_CHECK(start.dtype == limit.dtype && start.dtype == delta.dtype, "start, limit and delta must have one dtype");
  WEBDNN_CHECK(start.dtype == DType::Float32 || start.dtype == DType::Int64 || start.dtype == DType::Int32,
               "Range of ", dtype_name(start.dtype), " is not supported (float32, int64, int32)");
  if (start.dtype != DType::Float32) {
    std::vector<int64_t> v = int_range(start, limit, delta);
    ctx.set_output(0, ctx.add_constant(Tensor::from_ints({static_cast<int64_t>(v.size())}, v, start.dtype)));
    return;
  }
  double s = start.as_double(0), l = limit.as_double(0), d = delta.as_double(0);
  WEBDNN_CHECK(d != 0, "delta is 0");
  double count = std::ceil((l - s) / d);  // NaN or infinite when start, limit or delta is
  WEBDNN_CHECK(!(count > static_cast<double>(max_tensor_bytes() / 4)), "Range from ", s, " to ", l, " by ", d,
               " has ", count, " elements, more than any backend holds");
  int64_t n = count > 0 ? static_cast<int64_t>(count) : 0;
  std::vector<float> v;
  for (int64_t i = 0; i < n; i++) v.push_back(static_cast<float>(s + static_cast<double>(i) * d));
  ctx.set_output(0, ctx.add_constant(Tensor::from_floats({n}, v)));
}

}  // namespace webdnn::onnx_frontend
