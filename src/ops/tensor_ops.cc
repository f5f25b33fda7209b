// Operators that rearrange data without arithmetic: Concat, Split, Slice, Pad, Tile, DepthToSpace.
// Parameters (all resolved by the frontend):
//   Concat, Split: axis (non-negative); Split also split (the size of every output along axis).
//   Slice: starts, ends, steps, one per axis, clamped as the ONNX spec says: with a positive step
//     0 <= start, end <= dim; with a negative step 0 <= start <= dim-1 and -1 <= end <= dim-1
//     (end -1 means "through index 0"). Output length ceil((end - start) / step), at least 0.
//   Pad: pads [begin_0..begin_{r-1}, end_0..end_{r-1}] (negative ones crop, before the other
//     side is padded from what is left), mode constant | reflect | edge | wrap, value (constant).
//   Tile: repeats, one per axis.  DepthToSpace: blocksize, mode DCR | CRD, over NCHW.
#include <algorithm>

#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

int64_t int_param(const ir::Operator& op, const char* key) {
  WEBDNN_CHECK(op.params.contains(key), "parameter '", key, "' is missing");
  return op.params.at(key).get<int64_t>();
}

// A parameter list that must hold one value per axis of the input.
std::vector<int64_t> per_axis(const ir::Operator& op, const char* key, int rank) {
  WEBDNN_CHECK(op.params.contains(key), "parameter '", key, "' is missing");
  std::vector<int64_t> v = param_ints(op, key);
  WEBDNN_CHECK(static_cast<int>(v.size()) == rank, key, " ", shape_to_string(v),
               " must give one value per axis of the rank-", rank, " input");
  return v;
}

int axis_param(const ir::Operator& op, int rank) {
  int64_t axis = int_param(op, "axis");
  WEBDNN_CHECK(axis >= 0 && axis < rank, "axis ", axis, " is out of range for rank ", rank);
  return static_cast<int>(axis);
}

// Every axis but `except` (-1: none), for the Traits of ops that only move data along some axes.
std::vector<int> all_axes_but(int rank, int except) {
  std::vector<int> axes;
  for (int a = 0; a < rank; a++)
    if (a != except) axes.push_back(a);
  return axes;
}

void infer_concat(ir::Operator& op) {
  const ir::Variable* first = op.inputs[0];
  int axis = axis_param(op, first->rank());
  Shape shape = first->shape;
  shape[axis] = 0;
  for (const ir::Variable* x : op.inputs) {
    WEBDNN_CHECK(x, "an input is missing");
    WEBDNN_CHECK(x->dtype == first->dtype, "input '", x->name, "' is ", dtype_name(x->dtype), " but '", first->name,
                 "' is ", dtype_name(first->dtype));
    WEBDNN_CHECK(x->rank() == first->rank(), "input '", x->name, "' ", shape_to_string(x->shape),
                 " has another rank than '", first->name, "' ", shape_to_string(first->shape));
    for (int d = 0; d < x->rank(); d++)
      WEBDNN_CHECK(d == axis || x->shape[d] == first->shape[d], "input '", x->name, "' ", shape_to_string(x->shape),
                   " differs from '", first->name, "' ", shape_to_string(first->shape), " on axis ", d,
                   ", which is not the concatenation axis ", axis);
    shape[axis] += x->shape[axis];
  }
  set_output(op, 0, first->dtype, shape);
  copy_axes(*first, *op.outputs[0]);
}

void infer_split(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  int axis = axis_param(op, x->rank());
  std::vector<int64_t> split = param_ints(op, "split");
  WEBDNN_CHECK(split.size() == op.outputs.size(), "split ", shape_to_string(split), " gives ", split.size(),
               " sizes for ", op.outputs.size(), " outputs");
  int64_t total = 0;
  for (int64_t s : split) {
    WEBDNN_CHECK(s >= 0, "split ", shape_to_string(split), " has a negative size");
    total += s;
  }
  WEBDNN_CHECK(total == x->shape[axis], "split ", shape_to_string(split), " adds up to ", total, ", but axis ", axis,
               " of ", shape_to_string(x->shape), " has ", x->shape[axis]);
  for (size_t i = 0; i < split.size(); i++) {
    Shape shape = x->shape;
    shape[axis] = split[i];
    set_output(op, i, x->dtype, shape);
    copy_axes(*x, *op.outputs[i]);
  }
}

int64_t slice_length(int64_t start, int64_t end, int64_t step) {
  int64_t span = step > 0 ? end - start : start - end;
  int64_t s = step > 0 ? step : -step;
  return span <= 0 ? 0 : (span + s - 1) / s;
}

void infer_slice(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  auto starts = per_axis(op, "starts", x->rank());
  auto ends = per_axis(op, "ends", x->rank());
  auto steps = per_axis(op, "steps", x->rank());
  Shape shape(x->rank());
  for (int a = 0; a < x->rank(); a++) {
    int64_t dim = x->shape[a], s = starts[a], e = ends[a], k = steps[a];
    WEBDNN_CHECK(k != 0, "the step of axis ", a, " is 0");
    bool normalized = k > 0 ? s >= 0 && s <= dim && e >= 0 && e <= dim : s >= 0 && s <= dim && e >= -1 && e < dim;
    shape[a] = slice_length(s, e, k);
    if (shape[a] > 0) normalized &= s < dim && s + (shape[a] - 1) * k >= 0 && s + (shape[a] - 1) * k < dim;
    WEBDNN_CHECK(normalized, "axis ", a, " of size ", dim, ": start ", s, ", end ", e, ", step ", k,
                 " are not clamped to the axis");
  }
  set_output(op, 0, x->dtype, shape);
  copy_axes(*x, *op.outputs[0]);
}

Traits slice_traits(const ir::Operator& op) {
  Traits t;
  const ir::Variable* x = op.inputs[0];
  auto starts = param_ints(op, "starts"), ends = param_ints(op, "ends"), steps = param_ints(op, "steps");
  for (int a = 0; a < x->rank(); a++)
    if (starts[a] == 0 && ends[a] == x->shape[a] && steps[a] == 1) t.tensorwise.push_back(a);
  t.identity = static_cast<int>(t.tensorwise.size()) == x->rank() ? 0 : -1;  // every axis whole
  return t;
}

void infer_pad(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  int rank = x->rank();
  std::vector<int64_t> pads = param_ints(op, "pads");
  WEBDNN_CHECK(static_cast<int>(pads.size()) == 2 * rank, "pads ", shape_to_string(pads), " must give ", 2 * rank,
               " values (begin and end of every axis) for the rank-", rank, " input");
  std::string mode = op.params.value("mode", std::string("constant"));
  WEBDNN_CHECK(mode == "constant" || mode == "reflect" || mode == "edge" || mode == "wrap", "unknown mode '", mode,
               "' (constant, reflect, edge and wrap are supported)");
  Shape shape(rank);
  for (int a = 0; a < rank; a++) {
    shape[a] = x->shape[a] + pads[a] + pads[a + rank];
    WEBDNN_CHECK(shape[a] >= 0, "pads ", shape_to_string(pads), " crop more than axis ", a, " of ",
                 shape_to_string(x->shape), " holds");
    // Negative pads crop before the other side is padded: something must be left to repeat.
    int64_t kept = x->shape[a] + std::min<int64_t>(pads[a], 0) + std::min<int64_t>(pads[a + rank], 0);
    bool grows = pads[a] > 0 || pads[a + rank] > 0;
    WEBDNN_CHECK(mode == "constant" || kept > 0 || !grows, "cannot pad axis ", a, " in mode '", mode,
                 "': no element of it is left to repeat");
  }
  set_output(op, 0, x->dtype, shape);
  copy_axes(*x, *op.outputs[0]);
}

void infer_tile(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  auto repeats = per_axis(op, "repeats", x->rank());
  Shape shape(x->rank());
  for (int a = 0; a < x->rank(); a++) {
    WEBDNN_CHECK(repeats[a] >= 0, "repeats ", shape_to_string(repeats), " has a negative count");
    shape[a] = x->shape[a] * repeats[a];
  }
  set_output(op, 0, x->dtype, shape);
  copy_axes(*x, *op.outputs[0]);
}

void infer_depth_to_space(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  WEBDNN_CHECK(x->rank() == 4, "input '", x->name, "' is ", shape_to_string(x->shape), "; an NCHW tensor is expected");
  int64_t b = int_param(op, "blocksize");
  std::string mode = op.params.value("mode", std::string("DCR"));
  WEBDNN_CHECK(mode == "DCR" || mode == "CRD", "unknown mode '", mode, "' (DCR or CRD)");
  WEBDNN_CHECK(b > 0, "blocksize ", b, " must be positive");
  WEBDNN_CHECK(x->shape[1] % (b * b) == 0, "channels ", x->shape[1], " are not a multiple of blocksize ", b,
               " squared");
  set_output(op, 0, x->dtype, {x->shape[0], x->shape[1] / (b * b), x->shape[2] * b, x->shape[3] * b});
  op.outputs[0]->axes = {"N", "C", "H", "W"};
}

// Axes without pads are independent.
Traits pad_traits(const ir::Operator& op) {
  Traits t;
  std::vector<int64_t> pads = param_ints(op, "pads");
  int rank = op.inputs[0]->rank();
  for (int a = 0; a < rank; a++)
    if (pads[a] == 0 && pads[a + rank] == 0) t.tensorwise.push_back(a);
  t.identity = static_cast<int>(t.tensorwise.size()) == rank ? 0 : -1;  // nothing padded
  return t;
}

// Axes repeated once are independent.
Traits tile_traits(const ir::Operator& op) {
  Traits t;
  std::vector<int64_t> repeats = param_ints(op, "repeats");
  for (int a = 0; a < static_cast<int>(repeats.size()); a++)
    if (repeats[a] == 1) t.tensorwise.push_back(a);
  t.identity = t.tensorwise.size() == repeats.size() ? 0 : -1;  // nothing repeated
  return t;
}

Traits all_but_own_axis(const ir::Operator& op) {
  Traits t;
  t.tensorwise = all_axes_but(op.inputs[0]->rank(), static_cast<int>(int_param(op, "axis")));
  t.identity = op.inputs.size() == 1 && op.outputs.size() == 1 ? 0 : -1;  // one piece: joined or split, it is all
  return t;
}

WEBDNN_REGISTER_OP(make_schema("Concat", 1, -1, infer_concat, all_but_own_axis));
WEBDNN_REGISTER_OP(make_schema("Split", 1, 1, infer_split, all_but_own_axis, -1));
WEBDNN_REGISTER_OP(make_schema("Slice", 1, 1, infer_slice, slice_traits));
WEBDNN_REGISTER_OP(make_schema("Pad", 1, 1, infer_pad, pad_traits));
WEBDNN_REGISTER_OP(make_schema("Tile", 1, 1, infer_tile, tile_traits));
WEBDNN_REGISTER_OP(make_schema("DepthToSpace", 1, 1, infer_depth_to_space, [](const ir::Operator&) {
  Traits t;
  t.tensorwise = {0};
  return t;
}));

}  // namespace
}  // namespace webdnn::ops
