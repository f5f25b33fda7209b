// Handlers of onnxruntime's contrib operators (domain com.microsoft) that its transformer optimizer
// and optimum's exports write (the attention ones are in contrib_attention.cc and contrib_decoder.cc).
// Each is exactly a composition of IR operators, so it is imported as that composition: every
// backend runs it, elementwise fusion merges the activations back into one kernel, and the
// normalizations (EmbedLayerNormalization's embeddings too) reach LayerNormalization's fast kernels.
#include <cmath>

#include "src/frontend/onnx/handlers/attention.h"
#include "src/frontend/onnx/handlers/normalization.h"
#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"

namespace webdnn::onnx_frontend {
namespace {

ir::Variable* add(NodeContext& ctx, ir::Variable* a, ir::Variable* b) { return ctx.add("Add", {}, {a, b}); }

// x plus the optional bias input `i` (a vector along the last axis).
ir::Variable* plus_bias(NodeContext& ctx, ir::Variable* x, size_t i) {
  ir::Variable* bias = ctx.input(i);
  return bias ? add(ctx, x, bias) : x;
}

}  // namespace

WEBDNN_ONNX_MS_HANDLER(Gelu) { ctx.set_output(0, ctx.add("Gelu", {{"approximate", "none"}}, {ctx.required_input(0)})); }

// Gelu(A + B), erf form.
WEBDNN_ONNX_MS_HANDLER(BiasGelu) {
  ir::Variable* x = add(ctx, ctx.required_input(0), ctx.required_input(1));
  ctx.set_output(0, ctx.add("Gelu", {{"approximate", "none"}}, {x}));
}

// Gelu's tanh approximation of X (+ bias).
WEBDNN_ONNX_MS_HANDLER(FastGelu) {
  ir::Variable* x = plus_bias(ctx, ctx.required_input(0), 1);
  ctx.set_output(0, ctx.add("Gelu", {{"approximate", "tanh"}}, {x}));
}

// x * sigmoid(alpha * x).
WEBDNN_ONNX_MS_HANDLER(QuickGelu) {
  ir::Variable* x = ctx.required_input(0);
  ir::Variable* ax = ctx.add("Mul", {}, {x, ctx.add_constant(Tensor::scalar(ctx.attr_float("alpha", 1.702f)))});
  ctx.set_output(0, ctx.add("Mul", {}, {x, ctx.add("Sigmoid", {}, {ax})}));
}

// X + bias + skip.
WEBDNN_ONNX_MS_HANDLER(BiasAdd) {
  ir::Variable* x = add(ctx, ctx.required_input(0), ctx.required_input(1));
  ctx.set_output(0, add(ctx, x, ctx.required_input(2)));
}

// LayerNormalization over the last axis of input + skip (+ bias). Outputs: the normalized sum,
// mean and inverse standard deviation (refused: onnxruntime's fusions leave them unnamed), and
// the sum itself, which the next residual block reads.
static void skip_norm(NodeContext& ctx, bool simplified) {
  const char* what = simplified ? "SkipSimplifiedLayerNormalization" : "SkipLayerNormalization";
  for (size_t i = 1; i <= 2; i++)
    WEBDNN_CHECK(!wants_output(ctx, i), what, "'s output ", i, " ('", ctx.node().output(static_cast<int>(i)),
                 "', a statistic) is not supported; only the normalized output and the input+skip sum are");
  ir::Variable* x = ctx.required_input(0);
  ir::Variable* skip = ctx.required_input(1);
  ir::Variable* gamma = ctx.required_input(2);
  ir::Variable* sum = add(ctx, x, skip);
  float epsilon = ctx.attr_float("epsilon", 1e-12f);
  int axis = x->rank() - 1;
  ir::Variable* y;
  if (simplified) {
    sum = plus_bias(ctx, sum, 3);  // inputs: input, skip, gamma, bias
    y = rms_norm(ctx, sum, gamma, axis, epsilon);
  } else {
    sum = plus_bias(ctx, sum, 4);  // inputs: input, skip, gamma, beta, bias
    std::vector<ir::Variable*> in = {sum, gamma};
    if (ir::Variable* beta = ctx.input(3)) in.push_back(beta);
    y = ctx.add("LayerNormalization", {{"axis", axis}, {"epsilon", epsilon}}, in);
  }
  ctx.set_output(0, y);
  ctx.set_output(3, sum);
}

WEBDNN_ONNX_MS_HANDLER(SkipLayerNormalization) { skip_norm(ctx, false); }
WEBDNN_ONNX_MS_HANDLER(SkipSimplifiedLayerNormalization) { skip_norm(ctx, true); }

// onnxruntime registers SimplifiedLayerNormalization in the default domain (its fusions write it
// there) and accepts it in com.microsoft too.
WEBDNN_ONNX_MS_HANDLER(SimplifiedLayerNormalization) { simplified_layer_norm(ctx); }

// LayerNormalization of word + position (+ segment) embeddings. Inputs: input_ids, segment_ids?,
// word_embedding, position_embedding, segment_embedding?, gamma, beta, mask?, position_ids?.
// Outputs: the normalized sum, mask_index (the ones of each mask row), the sum itself.
WEBDNN_ONNX_MS_HANDLER(EmbedLayerNormalization) {
  ir::Variable* ids = ctx.required_input(0);
  WEBDNN_CHECK(ids->rank() == 2, "input_ids must be [batch, sequence], not ", shape_to_string(ids->dims));
  auto gather = [&](size_t table, ir::Variable* at) {
    return ctx.add("Gather", {{"axis", 0}}, {ctx.required_input(table), at});
  };
  ir::Variable* pos = ctx.input(8);
  if (!pos) pos = positions(ctx, Dim(0), ids->dims[1], 1, 2);
  ir::Variable* sum = ctx.add("Add", {}, {gather(2, ids), gather(3, pos)});
  if (ir::Variable* segments = ctx.input(1)) {
    WEBDNN_CHECK(ctx.input(4), "segment_ids are given without segment_embedding");
    sum = ctx.add("Add", {}, {sum, gather(4, segments)});
  }
  std::vector<ir::Variable*> in = {sum, ctx.required_input(5), ctx.required_input(6)};
  Json ln = {{"axis", 2}, {"epsilon", ctx.attr_float("epsilon", 1e-12f)}};
  ctx.set_output(0, ctx.add("LayerNormalization", ln, in));
  if (wants_output(ctx, 1)) {
    ir::Variable* mask = ctx.input(7);
    WEBDNN_CHECK(mask, "output mask_index needs the mask input");
    ctx.set_output(1, ctx.add("ReduceSum", {{"axes", {1}}, {"keepdims", 0}}, {mask}));
  }
  ctx.set_output(2, sum);
}

}  // namespace webdnn::onnx_frontend
