// Handlers of ONNX normalization operators: BatchNormalization, InstanceNormalization,
// LayerNormalization, LRN, Softmax and LogSoftmax.
#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

bool wants_output(NodeContext& ctx, size_t i) { return i < ctx.num_outputs() && !ctx.node().output(i).empty(); }

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

}  // namespace

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
  std::vector<int64_t> axes;
  for (int a = axis; a < x->rank(); a++) axes.push_back(a);
  Json reduce = {{"axes", axes}, {"keepdims", 1}};
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
