// Operators that rearrange data without arithmetic: Concat, Split, Slice, Pad, Tile, DepthToSpace.
// Parameters: params::Axis (Concat), params::Split, params::Slice, params::Pad, params::Tile,
// params::DepthToSpace (webdnn/params.h), all resolved by the frontend.
#include <algorithm>

#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

// Every axis but `except` (-1: none), for the Traits of ops that only move data along some axes.
std::vector<int> all_axes_but(int rank, int except) {
  std::vector<int> axes;
  for (int a = 0; a < rank; a++)
    if (a != except) axes.push_back(a);
  return axes;
}

void infer_concat(ir::Operator& op) {
  for (const ir::Variable* x : op.inputs) WEBDNN_CHECK(x, "an input is missing");
  set_like_input(op, params::infer_concat(params::Axis::parse(op.params), input_types(op)));
}

void infer_split(ir::Operator& op) { set_like_input(op, params::infer_split(params::Split::parse(op.params), input_types(op))); }

void infer_slice(ir::Operator& op) { set_like_input(op, params::infer_slice(params::Slice::parse(op.params), input_types(op))); }

Traits slice_traits(const ir::Operator& op) {
  Traits t;
  const ir::Variable* x = op.inputs[0];
  params::Slice p = params::Slice::parse(op.params);
  for (int a = 0; a < x->rank(); a++)
    if (p.whole(a, x->dims[a])) t.tensorwise.push_back(a);
  t.identity = static_cast<int>(t.tensorwise.size()) == x->rank() ? 0 : -1;  // every axis whole
  return t;
}

void infer_pad(ir::Operator& op) { set_like_input(op, params::infer_pad(params::Pad::parse(op.params), input_types(op))); }

void infer_tile(ir::Operator& op) { set_like_input(op, params::infer_tile(params::Tile::parse(op.params), input_types(op))); }

void infer_depth_to_space(ir::Operator& op) {
  set_outputs(op, params::infer_depth_to_space(params::DepthToSpace::parse(op.params), input_types(op)));
  op.outputs[0]->axes = {"N", "C", "H", "W"};
}

// Axes without pads are independent.
Traits pad_traits(const ir::Operator& op) {
  Traits t;
  std::vector<int64_t> pads = params::Pad::parse(op.params).pads;
  int rank = op.inputs[0]->rank();
  for (int a = 0; a < rank; a++)
    if (pads[a] == 0 && pads[a + rank] == 0) t.tensorwise.push_back(a);
  t.identity = static_cast<int>(t.tensorwise.size()) == rank ? 0 : -1;  // nothing padded
  return t;
}

// Axes repeated once are independent.
Traits tile_traits(const ir::Operator& op) {
  Traits t;
  std::vector<int64_t> repeats = params::Tile::parse(op.params).repeats;
  for (int a = 0; a < static_cast<int>(repeats.size()); a++)
    if (repeats[a] == 1) t.tensorwise.push_back(a);
  t.identity = t.tensorwise.size() == repeats.size() ? 0 : -1;  // nothing repeated
  return t;
}

Traits all_but_own_axis(const ir::Operator& op) {
  Traits t;
  t.tensorwise = all_axes_but(op.inputs[0]->rank(), static_cast<int>(params::Axis::parse(op.params).axis));
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
