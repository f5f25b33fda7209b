// Handlers of ONNX normalization operators: BatchNormalization, InstanceNormalization,
// LayerNormalization (RMSNormalization and SimplifiedLayerNormalization with its "rms"), LRN,
// Softmax and LogSoftmax; GroupNormalization, LpNormalization and MeanVarianceNormalization as
// compositions of those and reductions.
#include "src/frontend/onnx/handlers/normalization.h"

#include <algorithm>

#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

// Opset 7-8 spatial=0: statistics per activation, shaped like X without N. Rare enough that plain
// elementwise operators do it: (x - mean) / sqrt(var + epsilon) * scale + B.
ir::Variable* per_activation_batch_norm(NodeContext& ctx, const std::vector<ir::Variable*>& in, float epsilon) {
  ir::Variable* x = in[0];
  Shape per_activation(x->shape.begin() + 1, x->shape.end());
  for (size_t i = 1; i < in.size(); i++)
    WEBDNN_CHECK(in[i]->shape == per_activation, "with spatial=0 input ", i, " ('", in[i]->name, "') must be ",
                 shape_to_string(per_activation), ", not ", shape_to_string(in[i]->shape));
  ir::Variable* var_eps = ctx.add("Add", {}, {in[4], ctx.add_constant(Tensor::scalar(epsilon))});
  ir::Variable* deviation = ctx.add("Sqrt", {}, {var_eps});
  ir::Variable* normalized = ctx.add("Div", {}, {ctx.add("Sub", {}, {x, in[3]}), deviation});
  return ctx.add("Add", {}, {ctx.add("Mul", {}, {normalized, in[1]}), in[2]});
}

void softmax(NodeContext& ctx, const char* type) {
  ir::Variable* x = ctx.required_input(0);
  WEBDNN_CHECK(x->rank() >= 1, "input '", x->name, "' is a scalar; ", type, " needs an axis");
  if (ctx.opset() >= 13) {
    int axis = normalize_axis(ctx.attr_int("axis", -1), x->rank());
    ctx.set_output(0, ctx.add(type, {{"axis", axis}}, {x}));
    return;
  }
  // Before opset 13 the input is read as the matrix [d0*...*d(axis-1), d(axis)*...*d(n-1)] and
  // each row normalized. When no axis follows `axis` (all sizes 1) that is the one-axis meaning;
  // otherwise the IR's one-axis operator runs on that matrix, reshaped to and fro.
  int axis = normalize_axis(ctx.attr_int("axis", 1), x->rank());
  Dim rows(1), trailing(1);
  for (int a = 0; a < axis; a++) rows *= x->dims[a];
  for (int a = axis + 1; a < x->rank(); a++) trailing *= x->dims[a];
  if (trailing.constant() == 1) {
    ctx.set_output(0, ctx.add(type, {{"axis", axis}}, {x}));
    return;
  }
  ir::Variable* matrix = ctx.add("Reshape", {{"shape", params::dims_json({rows, x->dims[axis] * trailing})}}, {x});
  ir::Variable* y = ctx.add(type, {{"axis", 1}}, {matrix});
  ctx.set_output(0, ctx.add("Reshape", {{"shape", params::dims_json(x->dims)}}, {y}));
}

// The axes from `axis` to the last, as a reduction's parameters (keeping them as 1).
Json trailing_axes(int axis, int rank) {
  std::vector<int64_t> axes;
  for (int a = axis; a < rank; a++) axes.push_back(a);
  return {{"axes", axes}, {"keepdims", 1}};
}

ir::Variable* scalar(NodeContext& ctx, float v) { return ctx.add_constant(Tensor::scalar(v)); }

}  // namespace

ir::Variable* rms_norm(NodeContext& ctx, ir::Variable* x, ir::Variable* scale, int axis, float epsilon,
                       ir::Variable** inv_std) {
  if (inv_std) {  // as its definition; pruned after import unless something reads it
    ir::Variable* mean_square = ctx.add("ReduceMean", trailing_axes(axis, x->rank()), {ctx.add("Mul", {}, {x, x})});
    *inv_std = ctx.add("Reciprocal", {}, {ctx.add("Sqrt", {}, {ctx.add("Add", {}, {mean_square, scalar(ctx, epsilon)})})});
  }
  params::LayerNormalization p{axis, epsilon, true};
  return ctx.add("LayerNormalization", p.to_json(), {x, scale});
}

void simplified_layer_norm(NodeContext& ctx) {
  ir::Variable* x = ctx.required_input(0);
  WEBDNN_CHECK(x->dtype == DType::Float32, "input '", x->name, "' is ", dtype_name(x->dtype), "; it must be float32");
  int axis = normalize_axis(ctx.attr_int("axis", -1), x->rank());
  ir::Variable* inv_std = nullptr;
  ctx.set_output(0, rms_norm(ctx, x, ctx.required_input(1), axis, ctx.attr_float("epsilon", 1e-5f), &inv_std));
  ctx.set_output(1, inv_std);  // pruned after import unless something reads it
}

// Opset 23: LayerNormalization with statistics about zero (one kernel on every backend);
// stash_type only names the statistics' precision.
WEBDNN_ONNX_HANDLER(RMSNormalization) {
  ir::Variable* x = ctx.required_input(0);
  WEBDNN_CHECK(x->dtype == DType::Float32, "input '", x->name, "' is ", dtype_name(x->dtype), "; it must be float32");
  int axis = normalize_axis(ctx.attr_int("axis", -1), x->rank());
  ctx.set_output(0, rms_norm(ctx, x, ctx.required_input(1), axis, ctx.attr_float("epsilon", 1e-5f)));
}

WEBDNN_ONNX_HANDLER(SimplifiedLayerNormalization) { simplified_layer_norm(ctx); }

// x / ||x|| along one axis, the L1 or L2 norm.
WEBDNN_ONNX_HANDLER(LpNormalization) {
  ir::Variable* x = ctx.required_input(0);
  int64_t p = ctx.attr_int("p", 2);
  WEBDNN_CHECK(p == 1 || p == 2, "p must be 1 or 2, not ", p);
  int axis = normalize_axis(ctx.attr_int("axis", -1), x->rank());
  ir::Variable* norm = ctx.add(p == 1 ? "ReduceL1" : "ReduceL2", {{"axes", {axis}}, {"keepdims", 1}}, {x});
  ctx.set_output(0, ctx.add("Div", {}, {x, norm}));
}

// (x - mean) / (std + 1e-9) over `axes` (default N, H, W), the variance taken about the mean.
WEBDNN_ONNX_HANDLER(MeanVarianceNormalization) {
  ir::Variable* x = ctx.required_input(0);
  std::vector<int64_t> axes = ctx.attr_ints("axes", {0, 2, 3});
  for (int64_t& a : axes) a = normalize_axis(a, x->rank());
  std::sort(axes.begin(), axes.end());
  WEBDNN_CHECK(std::adjacent_find(axes.begin(), axes.end()) == axes.end(), "an axis appears twice in axes");
  Json reduce = {{"axes", axes}, {"keepdims", 1}};
  ir::Variable* d = ctx.add("Sub", {}, {x, ctx.add("ReduceMean", reduce, {x})});
  ir::Variable* var = ctx.add("ReduceMean", reduce, {ctx.add("Mul", {}, {d, d})});
  ir::Variable* std_eps = ctx.add("Add", {}, {ctx.add("Sqrt", {}, {var}), scalar(ctx, 1e-9f)});
  ctx.set_output(0, ctx.add("Div", {}, {d, std_eps}));
}

// Channels split into num_groups groups, each normalized over its channels and the spatial axes:
// the input seen as [N, G, C/G * spatial] is exactly InstanceNormalization's input, so that kernel
// does the work on every backend. Opset 18 scales per group (InstanceNormalization's own scale and
// bias); opset 21 per channel, applied after reshaping back.
WEBDNN_ONNX_HANDLER(GroupNormalization) {
  ir::Variable* x = ctx.required_input(0);
  ir::Variable* scale = ctx.required_input(1);
  ir::Variable* bias = ctx.required_input(2);
  WEBDNN_CHECK(x->rank() >= 3, "input '", x->name, "' has rank ", x->rank(), "; it must be [N, C, D1, ...]");
  WEBDNN_CHECK(ctx.has("num_groups"), "attribute 'num_groups' is required");
  int64_t groups = ctx.attr_int("num_groups", 0);
  auto channels = x->dims[1].constant();
  WEBDNN_CHECK(channels, "the channel axis of input '", x->name, "' must be a fixed size");
  WEBDNN_CHECK(groups > 0 && *channels % groups == 0, "num_groups (", groups, ") must divide the ", *channels,
               " channels");
  bool per_channel = ctx.opset() >= 21;
  int64_t params = per_channel ? *channels : groups;
  for (ir::Variable* v : {scale, bias})
    WEBDNN_CHECK(v->shape == Shape{params}, "input '", v->name, "' must have shape [", params, "] (",
                 per_channel ? "one value per channel since opset 21" : "one value per group before opset 21",
                 "), not ", shape_to_string(v->shape));
  float epsilon = ctx.attr_float("epsilon", 1e-5f);
  Dim rest = Dim(*channels / groups);
  for (int a = 2; a < x->rank(); a++) rest *= x->dims[a];
  ir::Variable* grouped = ctx.add("Reshape", {{"shape", params::dims_json({x->dims[0], Dim(groups), rest})}}, {x});
  if (per_channel) {
    Tensor ones = Tensor::from_floats({groups}, std::vector<float>(groups, 1.0f));
    scale = ctx.add_constant(ones);
    bias = ctx.add_constant(Tensor::from_floats({groups}, std::vector<float>(groups, 0.0f)));
  }
  ir::Variable* y = ctx.add("InstanceNormalization", {{"epsilon", epsilon}}, {grouped, scale, bias});
  y = ctx.add("Reshape", {{"shape", params::dims_json(x->dims)}}, {y});
  if (per_channel) {
    DimShape column(x->rank() - 1, Dim(1));
    column[0] = Dim(*channels);
    Json to_column = {{"shape", params::dims_json(column)}};
    y = ctx.add("Mul", {}, {y, ctx.add("Reshape", to_column, {ctx.required_input(1)})});
    y = ctx.add("Add", {}, {y, ctx.add("Reshape", to_column, {ctx.required_input(2)})});
  }
  ctx.set_output(0, y);
}

WEBDNN_ONNX_HANDLER(BatchNormalization) {
  // Opset 14+ has training_mode; earlier opsets signal training by asking for the statistics.
  WEBDNN_CHECK(ctx.attr_int("training_mode", 0) == 0,
               "training_mode=1 is not supported: webdnn runs inference only (export the model in eval mode)");
  for (size_t i = 1; i < ctx.num_outputs(); i++)
    WEBDNN_CHECK(!wants_output(ctx, i), "output ", i, " ('", ctx.node().output(static_cast<int>(i)),
                 "') is a training statistic; only output Y is supported (export the model in eval mode)");
  std::vector<ir::Variable*> in;
  for (size_t i = 0; i < 5; i++) in.push_back(ctx.required_input(i));
  float epsilon = ctx.attr_float("epsilon", 1e-5f);
  if (ctx.opset() < 9 && ctx.attr_int("spatial", 1) == 0) {
    ctx.set_output(0, per_activation_batch_norm(ctx, in, epsilon));
    return;
  }
  ctx.set_output(0, ctx.add("BatchNormalization", {{"epsilon", epsilon}}, in));
}

WEBDNN_ONNX_HANDLER(InstanceNormalization) {
  std::vector<ir::Variable*> in = {ctx.required_input(0), ctx.required_input(1), ctx.required_input(2)};
  ctx.set_output(0, ctx.add("InstanceNormalization", {{"epsilon", ctx.attr_float("epsilon", 1e-5f)}}, in));
}

// Standard from opset 17; onnxruntime also accepts it in older models, with the same meaning.
// stash_type only names the precision of the statistics; the kernels use double anyway.
WEBDNN_ONNX_HANDLER(LayerNormalization) {
  ir::Variable* x = ctx.required_input(0);
  int axis = normalize_axis(ctx.attr_int("axis", -1), x->rank());
  float epsilon = ctx.attr_float("epsilon", 1e-5f);
  std::vector<ir::Variable*> in = {x, ctx.required_input(1)};
  if (ir::Variable* b = ctx.input(2)) in.push_back(b);
  ctx.set_output(0, ctx.add("LayerNormalization", {{"axis", axis}, {"epsilon", epsilon}}, in));
  if (!wants_output(ctx, 1) && !wants_output(ctx, 2)) return;
  // Mean and InvStdDev (exporters often name them though nothing reads them; the graph is pruned
  // after import, so these operators only stay when something does).
  Json reduce = trailing_axes(axis, x->rank());
  ir::Variable* mean = ctx.add("ReduceMean", reduce, {x});
  ir::Variable* d = ctx.add("Sub", {}, {x, mean});
  ir::Variable* var = ctx.add("ReduceMean", reduce, {ctx.add("Mul", {}, {d, d})});
  ir::Variable* var_eps = ctx.add("Add", {}, {var, ctx.add_constant(Tensor::scalar(epsilon))});
  ctx.set_output(1, mean);
  ctx.set_output(2, ctx.add("Reciprocal", {}, {ctx.add("Sqrt", {}, {var_eps})}));
}

WEBDNN_ONNX_HANDLER(LRN) {
  WEBDNN_CHECK(ctx.has("size"), "attribute 'size' is required");
  int64_t size = ctx.attr_int("size", 0);
  WEBDNN_CHECK(size > 0, "size must be positive, not ", size);
  Json p = {{"size", size},
            {"alpha", ctx.attr_float("alpha", 1e-4f)},
            {"beta", ctx.attr_float("beta", 0.75f)},
            {"bias", ctx.attr_float("bias", 1.0f)}};
  ctx.set_output(0, ctx.add("LRN", p, {ctx.required_input(0)}));
}

WEBDNN_ONNX_HANDLER(Softmax) { softmax(ctx, "Softmax"); }
WEBDNN_ONNX_HANDLER(LogSoftmax) { softmax(ctx, "LogSoftmax"); }

}  // namespace webdnn::onnx_frontend
