// Handlers of ONNX's Attention and RotaryEmbedding (opset 23), as the compositions of attention.h.
// Checked against onnxruntime 1.30, which follows the corrected opset-23 text: softcap before the
// mask, and causal masks aligned with the end of the past keys.
#include <cmath>

#include "src/frontend/onnx/handlers/attention.h"
#include "src/frontend/onnx/handlers/normalization.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

// Q, K or V as [B, heads, S, D]: 4-D inputs are that already, 3-D ones [B, S, heads*D] are split by
// the head-count attribute.
ir::Variable* as_heads(NodeContext& ctx, ir::Variable* x, const char* heads_attr) {
  if (x->rank() == 4) return x;
  WEBDNN_CHECK(x->rank() == 3, "input '", x->name, "' has rank ", x->rank(), "; Attention takes 3-D or 4-D inputs");
  WEBDNN_CHECK(ctx.has(heads_attr), "attribute '", heads_attr, "' is required with 3-D inputs");
  return split_heads(ctx, x, ctx.attr_int(heads_attr, 0), "the hidden size");
}

}  // namespace

// Inputs: Q, K, V, attn_mask?, past_key?, past_value?, nonpad_kv_seqlen? (opset 24). Outputs: Y,
// present_key?, present_value?, qk_matmul_output?.
WEBDNN_ONNX_HANDLER(Attention) {
  ir::Variable *q_in = ctx.required_input(0), *k_in = ctx.required_input(1), *v_in = ctx.required_input(2);
  WEBDNN_CHECK(q_in->rank() == k_in->rank() && q_in->rank() == v_in->rank(), "Q, K and V must have one rank, not ",
               q_in->rank(), ", ", k_in->rank(), " and ", v_in->rank());
  WEBDNN_CHECK(q_in->dtype == DType::Float32, "input '", q_in->name, "' is ", dtype_name(q_in->dtype),
               "; it must be float32");
  WEBDNN_CHECK(!ctx.input(6), "input 6 (nonpad_kv_seqlen) is not supported");
  ir::Variable *q = as_heads(ctx, q_in, "q_num_heads"), *k = as_heads(ctx, k_in, "kv_num_heads"),
               *v = as_heads(ctx, v_in, "kv_num_heads");
  int64_t q_heads = fixed_dim(q, 1, "the number of query heads"), kv_heads = fixed_dim(k, 1, "the number of key heads");
  WEBDNN_CHECK(kv_heads > 0 && q_heads % kv_heads == 0, "the ", q_heads,
               " query heads must be a multiple of the ", kv_heads, " key and value heads");
  int64_t head = fixed_dim(q, 3, "the head size");

  ir::Variable *past_k = ctx.input(4), *past_v = ctx.input(5);
  WEBDNN_CHECK(!past_k == !past_v, "past_key and past_value must be given together");
  Dim past(0);
  if (past_k) {
    check_past(past_k, past_v, "heads");
    past = past_k->dims[2];
    k = ctx.add("Concat", {{"axis", 2}}, {past_k, k});
    v = ctx.add("Concat", {{"axis", 2}}, {past_v, v});
  }
  ctx.set_output(1, k);
  ctx.set_output(2, v);

  AttentionSpec spec;
  spec.scale = ctx.has("scale") ? ctx.attr_float("scale", 1) : 1 / std::sqrt(static_cast<double>(head));
  spec.softcap = ctx.attr_float("softcap", 0);
  Dim s = q->dims[2], t = k->dims[2];
  if (ir::Variable* mask = ctx.input(3)) {
    WEBDNN_CHECK(mask->rank() >= 1 && mask->rank() <= 4, "attn_mask has rank ", mask->rank(),
                 "; it must broadcast to [batch, heads, q_sequence, total_sequence]");
    auto m = mask->dims.back().constant(), total = t.constant();
    WEBDNN_CHECK(!m || !total || *m == *total, "attn_mask's last axis holds ", *m, " keys but there are ", *total,
                 " (past and new); shorter masks are not supported (onnxruntime refuses them too)");
    if (mask->dtype == DType::Bool) spec.allowed = mask;
    else spec.bias = mask;
  }
  if (ctx.attr_int("is_causal", 0)) spec.allowed = both(ctx, spec.allowed, causal(ctx, s, t, past));

  AttentionScores scores;
  ir::Variable* y = attend(ctx, q, repeat_heads(ctx, k, q_heads / kv_heads), repeat_heads(ctx, v, q_heads / kv_heads),
                           spec, &scores);
  ctx.set_output(0, q_in->rank() == 3 ? merge_heads(ctx, y) : y);
  if (wants_output(ctx, 3)) {
    // The numbering of the modes between 0 and 3 changed with the softcap fix; only the two ends
    // mean the same in every version.
    int64_t mode = ctx.attr_int("qk_matmul_output_mode", 0);
    WEBDNN_CHECK(mode == 0 || mode == 3, "qk_matmul_output_mode ", mode,
                 " is not supported; only 0 (scale * Q K^T) and 3 (after softmax) are");
    ctx.set_output(3, mode == 0 ? scores.raw : scores.probs);
  }
}

// Inputs: X, cos_cache, sin_cache, position_ids?. X is [B, S, heads*D] (num_heads given) or
// [B, heads, S, D]; the caches are [max_position, rotary_dim / 2] read at position_ids [B, S], or
// [B, S, rotary_dim / 2] already.
WEBDNN_ONNX_HANDLER(RotaryEmbedding) {
  ir::Variable *x = ctx.required_input(0), *cos = ctx.required_input(1), *sin = ctx.required_input(2);
  WEBDNN_CHECK(x->rank() == 3 || x->rank() == 4, "input '", x->name, "' has rank ", x->rank(),
               "; it must be [batch, sequence, hidden] or [batch, heads, sequence, head_size]");
  if (ir::Variable* ids = ctx.input(3)) {
    cos = ctx.add("Gather", {{"axis", 0}}, {cos, ids});
    sin = ctx.add("Gather", {{"axis", 0}}, {sin, ids});
  }
  WEBDNN_CHECK(cos->rank() == 3, "the cos and sin values must be [batch, sequence, rotary_dim / 2] (or caches of "
               "rank 2 with position_ids), not of rank ", cos->rank());
  ir::Variable* heads = x;
  if (x->rank() == 3) {
    int64_t n = ctx.attr_int("num_heads", 0);
    WEBDNN_CHECK(n > 0, "attribute 'num_heads' is required with a 3-D input");
    int64_t hidden = fixed_dim(x, 2, "the hidden size");
    WEBDNN_CHECK(hidden % n == 0, "the hidden size ", hidden, " is not a multiple of the ", n, " heads");
    heads = ctx.add("Reshape", {{"shape", params::dims_json({x->dims[0], x->dims[1], Dim(n), Dim(hidden / n)})}}, {x});
  }
  // The angles broadcast over the head axis: [B, S, 1, half] against [B, S, heads, D], or
  // [B, 1, S, half] against [B, heads, S, D].
  DimShape c = cos->dims;
  c.insert(c.begin() + (x->rank() == 3 ? 2 : 1), Dim(1));
  Json to_c = {{"shape", params::dims_json(c)}};
  cos = ctx.add("Reshape", to_c, {cos});
  sin = ctx.add("Reshape", to_c, {sin});
  int64_t head = fixed_dim(heads, 3, "the head size");
  int64_t dim = ctx.attr_int("rotary_embedding_dim", 0);
  ir::Variable* y = rotate(ctx, heads, cos, sin, dim == 0 ? head : dim, ctx.attr_int("interleaved", 0) != 0);
  if (x->rank() == 3) y = ctx.add("Reshape", {{"shape", params::dims_json(x->dims)}}, {y});
  ctx.set_output(0, y);
}

}  // namespace webdnn::onnx_frontend
