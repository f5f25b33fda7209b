// Handlers of ONNX reductions (Reduce*), ArgMax/ArgMin and TopK.
#include <algorithm>

#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

// Axes come from the attribute before opset `input_since` and from optional input 1 from then on.
// No axes means all axes, unless noop_with_empty_axes (an attribute since that same opset) is set:
// then nothing is reduced and the IR gets an empty list.
void reduce(NodeContext& ctx, const char* type, int64_t input_since) {
  ir::Variable* x = ctx.required_input(0);
  std::vector<int64_t> axes;
  if (ctx.opset() >= input_since) {
    WEBDNN_CHECK(!ctx.has("axes"), "axes is an input since opset ", input_since,
                 ", not an attribute (this model is opset ", ctx.opset(), ")");
    if (ctx.input(1)) axes = ctx.constant_ints(1, "axes");
  } else {
    axes = ctx.attr_ints("axes");
  }
  bool noop = ctx.opset() >= input_since && ctx.attr_int("noop_with_empty_axes", 0) != 0;
  if (axes.empty() && !noop)
    for (int a = 0; a < x->rank(); a++) axes.push_back(a);
  for (int64_t& a : axes) a = normalize_axis(a, x->rank());
  std::sort(axes.begin(), axes.end());
  auto twice = std::adjacent_find(axes.begin(), axes.end());
  WEBDNN_CHECK(twice == axes.end(), "axis ", *twice, " appears twice in axes");
  int64_t keepdims = ctx.attr_int("keepdims", 1) != 0 ? 1 : 0;
  ctx.set_output(0, ctx.add(type, {{"axes", axes}, {"keepdims", keepdims}}, {x}));
}

void arg_reduce(NodeContext& ctx, const char* type) {
  ir::Variable* x = ctx.required_input(0);
  Json p = {{"axis", normalize_axis(ctx.attr_int("axis", 0), x->rank())},
            {"keepdims", ctx.attr_int("keepdims", 1) != 0 ? 1 : 0},
            {"select_last_index", ctx.attr_int("select_last_index", 0) != 0 ? 1 : 0}};
  ctx.set_output(0, ctx.add(type, p, {x}));
}

}  // namespace

WEBDNN_ONNX_HANDLER(ReduceSum) { reduce(ctx, "ReduceSum", 13); }
WEBDNN_ONNX_HANDLER(ReduceMean) { reduce(ctx, "ReduceMean", 18); }
WEBDNN_ONNX_HANDLER(ReduceMax) { reduce(ctx, "ReduceMax", 18); }
WEBDNN_ONNX_HANDLER(ReduceMin) { reduce(ctx, "ReduceMin", 18); }
WEBDNN_ONNX_HANDLER(ReduceProd) { reduce(ctx, "ReduceProd", 18); }
WEBDNN_ONNX_HANDLER(ReduceL1) { reduce(ctx, "ReduceL1", 18); }
WEBDNN_ONNX_HANDLER(ReduceL2) { reduce(ctx, "ReduceL2", 18); }
WEBDNN_ONNX_HANDLER(ReduceSumSquare) { reduce(ctx, "ReduceSumSquare", 18); }
WEBDNN_ONNX_HANDLER(ReduceLogSum) { reduce(ctx, "ReduceLogSum", 18); }
WEBDNN_ONNX_HANDLER(ReduceLogSumExp) { reduce(ctx, "ReduceLogSumExp", 18); }
// TopK-1 takes k as an attribute, 10 as an input (a number, a dim of the model's free dimensions,
// or a value computed at run time: a data symbol, found by SizeFromValue), 11 adds largest and
// sorted. Unsorted results may come in any order: they come sorted.
WEBDNN_ONNX_HANDLER(TopK) {
  ir::Variable* x = ctx.required_input(0);
  params::TopK p;
  p.axis = normalize_axis(ctx.attr_int("axis", -1), x->rank());
  p.k = ctx.attr_int("k", 0);
  p.largest = ctx.opset() < 11 || ctx.attr_int("largest", 1) != 0;
  std::vector<ir::Variable*> in = {x};
  if (ctx.opset() >= 10) {
    ir::Variable* k = ctx.required_input(1);
    WEBDNN_CHECK(k->dims.size() <= 1 && identical(num_elements(k->dims), Dim(1)), "k ('", k->name, "') is ",
                 shape_to_string(k->dims), "; it must hold one value");
    if (std::optional<DimShape> given = ctx.dims_of_input(1)) {
      p.k = (*given)[0];
    } else {  // known only at run time
      params::SizeFromValue size{ctx.data_symbol(x->dims[p.axis]), x->dims[p.axis]};
      in.push_back(ctx.add_multi("SizeFromValue", size.to_json(), {k}, 1)[0]);
      p.k = size.count;
    }
  }
  std::vector<ir::Variable*> out = ctx.add_multi("TopK", p.to_json(), in, 2);
  ctx.set_output(0, out[0]);
  ctx.set_output(1, out[1]);
}

WEBDNN_ONNX_HANDLER(ArgMax) { arg_reduce(ctx, "ArgMax"); }
WEBDNN_ONNX_HANDLER(ArgMin) { arg_reduce(ctx, "ArgMin"); }

}  // namespace webdnn::onnx_frontend
