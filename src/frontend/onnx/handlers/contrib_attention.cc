// Handlers of onnxruntime's encoder attention operators (com.microsoft): MultiHeadAttention and
// Attention, as the compositions of attention.h (semantics checked against onnxruntime 1.30's CPU
// kernels). Options that exporters rarely write (packed inputs, shared-buffer caches, left-padding
// mask indices, rotary inside Attention) are refused with the attribute or input named.
#include "src/frontend/onnx/handlers/attention.h"
#include "src/frontend/onnx/handlers/normalization.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

// The key-side masks of MultiHeadAttention and Attention (int32, 0 = left out), as a bool that
// broadcasts to [B, H, S, T]: [B] valid lengths (right padding), [B, T] or [B, S, T].
ir::Variable* key_mask(NodeContext& ctx, ir::Variable* mask, const Dim& batch, const Dim& t) {
  const char* formats = "[batch] lengths, [batch, total_sequence] or [batch, sequence, total_sequence]";
  if (mask->rank() == 1) {
    auto m = mask->dims[0].constant(), b = batch.constant();
    WEBDNN_CHECK(identical(mask->dims[0], batch) || (m && b && *m == *b), "a mask index of shape ",
                 shape_to_string(mask->dims), " (start and end positions) is not supported; the masks supported are ",
                 formats);
    ir::Variable* len = ctx.reshape(mask, {batch, Dim(1), Dim(1), Dim(1)});
    return ctx.add("Less", {}, {positions(ctx, Dim(0), t, 3, 4), len});
  }
  WEBDNN_CHECK(mask->rank() == 2 || mask->rank() == 3, "a mask of rank ", mask->rank(),
               " is not supported; the masks supported are ", formats);
  DimShape d = mask->dims;
  d.insert(d.begin() + 1, mask->rank() == 2 ? 2 : 1, Dim(1));
  ir::Variable* zero = ctx.add_constant(Tensor::from_ints({}, {0}));
  return ctx.add("Greater", {}, {ctx.reshape(mask, d), zero});
}

// onnxruntime's key masks add mask_filter_value (not -inf) where a key is left out (so a query whose
// keys are all padding still weighs them by their scores); its causal masks leave keys out.
ir::Variable* filter_bias(NodeContext& ctx, ir::Variable* allowed, ir::Variable* attention_bias) {
  ir::Variable* bias = attention_bias;
  if (allowed) {
    float fill = ctx.attr_float("mask_filter_value", -10000.0f);
    ir::Variable* m = ctx.add("Where", {}, {allowed, ctx.add_constant(Tensor::scalar(0)),
                                            ctx.add_constant(Tensor::scalar(fill))});
    bias = bias ? ctx.add("Add", {}, {m, bias}) : m;
  }
  return bias;
}

// q [B,N,S,H], k and v [B,N,T,H] with the past already in them; masks from the node's inputs.
ir::Variable* multi_head(NodeContext& ctx, ir::Variable* q, ir::Variable* k, ir::Variable* v, ir::Variable* mask,
                         ir::Variable* attention_bias, const Dim& past) {
  Dim s = q->dims[2], t = k->dims[2];
  AttentionSpec spec;
  spec.scale = scale_for(ctx, fixed_dim(q, 3, "the head size"));
  spec.bias = filter_bias(ctx, mask ? key_mask(ctx, mask, q->dims[0], t) : nullptr, attention_bias);
  if (ctx.attr_int("unidirectional", 0)) spec.allowed = causal(ctx, s, t, past);
  return merge_heads(ctx, attend(ctx, q, k, v, spec));
}

}  // namespace

// Inputs: query, key, value, bias?, key_padding_mask?, attention_bias?, past_key?, past_value?.
// query [B, S, D]; key and value [B, T, D] (bias added, heads split) or [B, N, T, H] (cross
// attention with keys projected already).
WEBDNN_ONNX_MS_HANDLER(MultiHeadAttention) {
  refuse_input(ctx, 8, "past_sequence_length");
  refuse_input(ctx, 9, "cache_indirection");
  WEBDNN_CHECK(!wants_output(ctx, 3), "output 3 (the attention scores) is not supported");
  int64_t n = heads_attr(ctx, "num_heads");
  ir::Variable *query = ctx.required_input(0), *key = ctx.input(1), *value = ctx.input(2), *bias = ctx.input(3);
  WEBDNN_CHECK(query->rank() == 3 && key && value, "packed query, key and value (query of shape ",
               shape_to_string(query->dims), ") are not supported; give query [batch, sequence, hidden] and separate "
               "key and value");
  WEBDNN_CHECK(key->rank() == value->rank() && (key->rank() == 3 || key->rank() == 4), "key and value must both be "
               "[batch, kv_sequence, hidden] or [batch, heads, kv_sequence, head_size] (packed key and value are "
               "not supported), not of shapes ", shape_to_string(key->dims), " and ", shape_to_string(value->dims));
  int64_t d = fixed_dim(query, 2, "the hidden size"), dv = fixed_dim(value, value->rank() - 1, "the value size");
  if (key->rank() == 4) dv *= fixed_dim(value, 1, "the number of heads");
  if (bias) {
    WEBDNN_CHECK(key->rank() == 3, "a bias with key and value of [batch, heads, kv_sequence, head_size] is not "
                 "supported");
    WEBDNN_CHECK(bias->shape == Shape{2 * d + dv}, "bias must be [", 2 * d + dv, "], not ",
                 shape_to_string(bias->dims));
    query = ctx.add("Add", {}, {query, last_axis(ctx, bias, 0, d)});
    key = ctx.add("Add", {}, {key, last_axis(ctx, bias, d, 2 * d)});
    value = ctx.add("Add", {}, {value, last_axis(ctx, bias, 2 * d, 2 * d + dv)});
  }
  ir::Variable* q = split_heads(ctx, query, n, "the hidden size");
  ir::Variable* k = key->rank() == 3 ? split_heads(ctx, key, n, "the hidden size") : key;
  ir::Variable* v = value->rank() == 3 ? split_heads(ctx, value, n, "the value size") : value;
  ir::Variable *past_k = ctx.input(6), *past_v = ctx.input(7);
  WEBDNN_CHECK(!past_k == !past_v, "past_key and past_value must be given together");
  Dim past(0);
  if (past_k) {
    WEBDNN_CHECK(key->rank() == 3, "past_key with key and value of [batch, heads, kv_sequence, head_size] is not "
                 "supported");
    check_past(past_k, past_v, "heads");
    past = past_k->dims[2];
    k = ctx.add("Concat", {{"axis", 2}}, {past_k, k});
    v = ctx.add("Concat", {{"axis", 2}}, {past_v, v});
  }
  ctx.set_output(1, k);
  ctx.set_output(2, v);
  ctx.set_output(0, multi_head(ctx, q, k, v, ctx.input(4), ctx.input(5), past));
}

// Inputs: input [B, S, D_in], weights [D_in, Dq + Dk + Dv], bias?, mask_index?, past?
// [2, B, N, P, H], attention_bias?. Outputs: output, present [2, B, N, P + S, H].
WEBDNN_ONNX_MS_HANDLER(Attention) {
  refuse_attr(ctx, "do_rotary", 0);
  refuse_attr(ctx, "past_present_share_buffer", 0);
  refuse_input(ctx, 6, "past_sequence_length");
  int64_t n = heads_attr(ctx, "num_heads");
  ir::Variable *x = ctx.required_input(0), *w = ctx.required_input(1), *bias = ctx.input(2);
  WEBDNN_CHECK(w->rank() == 2, "weights must be [input_hidden, q_hidden + k_hidden + v_hidden], not ",
               shape_to_string(w->dims));
  int64_t total = fixed_dim(w, 1, "the projected size");
  std::vector<int64_t> sizes = ctx.attr_ints("qkv_hidden_sizes", {total / 3, total / 3, total / 3});
  WEBDNN_CHECK(sizes.size() == 3 && sizes[0] + sizes[1] + sizes[2] == total && sizes[0] == sizes[1],
               "qkv_hidden_sizes ", shape_to_string(sizes), " must be three sizes, the first two equal, adding up to ",
               total, " (the weights' columns)");
  // One projection each (the weights' columns sliced, at convert time when they are constants): the
  // MatMul kernels see the usual [D_in, D] weights.
  ir::Variable* proj[3];
  for (int i = 0, at = 0; i < 3; at += static_cast<int>(sizes[i]), i++) {
    ir::Variable* y = ctx.add("MatMul", params::MatMul{}.to_json(), {x, last_axis(ctx, w, at, at + sizes[i])});
    if (bias) y = ctx.add("Add", {}, {y, last_axis(ctx, bias, at, at + sizes[i])});
    proj[i] = split_heads(ctx, y, n, i == 2 ? "the value size" : "the hidden size");
  }
  ir::Variable *k = proj[1], *v = proj[2];
  Dim past(0);
  if (ir::Variable* p = ctx.input(4)) {
    WEBDNN_CHECK(p->rank() == 5, "past must be [2, batch, heads, past_sequence, head_size], not ",
                 shape_to_string(p->dims));
    past = p->dims[3];
    DimShape one = {p->dims[1], p->dims[2], p->dims[3], p->dims[4]};
    auto half = [&](int64_t i) {
      Json s = {{"starts", params::dims_json({Dim(i), 0, 0, 0, 0})},
                {"ends", params::dims_json({Dim(i + 1), p->dims[1], p->dims[2], p->dims[3], p->dims[4]})},
                {"steps", std::vector<int64_t>(5, 1)}};
      return ctx.reshape(ctx.add("Slice", s, {p}), one);
    };
    k = ctx.add("Concat", {{"axis", 2}}, {half(0), k});
    v = ctx.add("Concat", {{"axis", 2}}, {half(1), v});
  }
  if (wants_output(ctx, 1)) {
    WEBDNN_CHECK(sizes[1] == sizes[2], "the present output needs keys and values of one size, not ", sizes[1],
                 " and ", sizes[2]);
    DimShape d = {Dim(1), k->dims[0], k->dims[1], k->dims[2], k->dims[3]};
    ctx.set_output(1, ctx.add("Concat", {{"axis", 0}}, {ctx.reshape(k, d), ctx.reshape(v, d)}));
  }
  ctx.set_output(0, multi_head(ctx, proj[0], k, v, ctx.input(3), ctx.input(5), past));
}

}  // namespace webdnn::onnx_frontend
