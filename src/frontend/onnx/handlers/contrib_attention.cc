// Handlers of onnxruntime's attention operators (com.microsoft): MultiHeadAttention, Attention,
// GroupQueryAttention, RotaryEmbedding and EmbedLayerNormalization, as the compositions of
// attention.h (semantics checked against onnxruntime 1.30's CPU kernels). Options that exporters
// rarely write (packed, shared-buffer and quantized caches, left-padding mask indices, rotary
// inside Attention, sinks) are refused with the attribute or input named.
#include <cmath>

#include "src/frontend/onnx/handlers/attention.h"
#include "src/frontend/onnx/handlers/normalization.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

ir::Variable* reshape(NodeContext& ctx, ir::Variable* x, const DimShape& dims) {
  return ctx.add("Reshape", {{"shape", params::dims_json(dims)}}, {x});
}

// x[..., begin:end] along the last axis.
ir::Variable* last_axis(NodeContext& ctx, ir::Variable* x, int64_t begin, int64_t end) {
  DimShape starts(x->rank(), Dim(0)), ends = x->dims;
  starts.back() = begin;
  ends.back() = end;
  Json p = {{"starts", params::dims_json(starts)}, {"ends", params::dims_json(ends)},
            {"steps", std::vector<int64_t>(x->rank(), 1)}};
  return ctx.add("Slice", p, {x});
}

void refuse_input(NodeContext& ctx, size_t i, const char* what) {
  WEBDNN_CHECK(!ctx.input(i), "input ", i, " (", what, ") is not supported");
}

void refuse_attr(NodeContext& ctx, const char* attr, int64_t usual) {
  int64_t v = ctx.attr_int(attr, usual);
  WEBDNN_CHECK(v == usual, "attribute ", attr, "=", v, " is not supported (only ", usual, ")");
}

int64_t heads_attr(NodeContext& ctx, const char* attr) {
  WEBDNN_CHECK(ctx.has(attr), "attribute '", attr, "' is required");
  int64_t n = ctx.attr_int(attr, 0);
  WEBDNN_CHECK(n > 0, "attribute '", attr, "' must be positive, not ", n);
  return n;
}

double scale_for(NodeContext& ctx, int64_t head) {
  float s = ctx.attr_float("scale", 0);
  return s != 0 ? s : 1 / std::sqrt(static_cast<double>(head));
}

// The key-side masks of MultiHeadAttention and Attention (int32, 0 = left out), as a bool that
// broadcasts to [B, H, S, T]: [B] valid lengths (right padding), [B, T] or [B, S, T].
ir::Variable* key_mask(NodeContext& ctx, ir::Variable* mask, const Dim& batch, const Dim& t) {
  const char* formats = "[batch] lengths, [batch, total_sequence] or [batch, sequence, total_sequence]";
  if (mask->rank() == 1) {
    auto m = mask->dims[0].constant(), b = batch.constant();
    WEBDNN_CHECK(identical(mask->dims[0], batch) || (m && b && *m == *b), "a mask index of shape ",
                 shape_to_string(mask->dims), " (start and end positions) is not supported; the masks supported are ",
                 formats);
    ir::Variable* len = reshape(ctx, mask, {batch, Dim(1), Dim(1), Dim(1)});
    return ctx.add("Less", {}, {positions(ctx, Dim(0), t, 3, 4), len});
  }
  WEBDNN_CHECK(mask->rank() == 2 || mask->rank() == 3, "a mask of rank ", mask->rank(),
               " is not supported; the masks supported are ", formats);
  DimShape d = mask->dims;
  d.insert(d.begin() + 1, mask->rank() == 2 ? 2 : 1, Dim(1));
  ir::Variable* zero = ctx.add_constant(Tensor::from_ints({}, {0}));
  return ctx.add("Greater", {}, {reshape(ctx, mask, d), zero});
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
      return reshape(ctx, ctx.add("Slice", s, {p}), one);
    };
    k = ctx.add("Concat", {{"axis", 2}}, {half(0), k});
    v = ctx.add("Concat", {{"axis", 2}}, {half(1), v});
  }
  if (wants_output(ctx, 1)) {
    WEBDNN_CHECK(sizes[1] == sizes[2], "the present output needs keys and values of one size, not ", sizes[1],
                 " and ", sizes[2]);
    DimShape d = {Dim(1), k->dims[0], k->dims[1], k->dims[2], k->dims[3]};
    ctx.set_output(1, ctx.add("Concat", {{"axis", 0}}, {reshape(ctx, k, d), reshape(ctx, v, d)}));
  }
  ctx.set_output(0, multi_head(ctx, proj[0], k, v, ctx.input(3), ctx.input(5), past));
}

// Inputs: query, key?, value?, past_key?, past_value?, seqlens_k, total_sequence_length,
// cos_cache?, sin_cache?, (the rest refused). query [B, S, N*H] (or packed [B, S, (N + 2 kv)*H]
// without key and value); past [B, kv, P, H]. Causal over absolute positions: without a past the
// prompt's query i sees keys j <= min(i, seqlens_k[b]) (right padding); with one, query i is at
// seqlens_k[b] + 1 - S + i. The present is past and new keys concatenated, which is onnxruntime's
// layout when every batch entry has seqlens_k = P + S - 1 (a batch of one sequence, or of equal
// ones); ragged batches with a past are not supported.
WEBDNN_ONNX_MS_HANDLER(GroupQueryAttention) {
  for (size_t i : {9, 11, 12, 13, 14, 15})
    refuse_input(ctx, i, i == 9 ? "position_ids" : i == 11 ? "head_sink" : i <= 13 ? "a quantized cache's scale"
                                                                                    : "a per-head norm's weight");
  refuse_attr(ctx, "smooth_softmax", 0);
  refuse_attr(ctx, "qk_output", 0);
  refuse_attr(ctx, "sliding_window_cache", 0);
  for (const char* a : {"k_quant_type", "v_quant_type"})
    WEBDNN_CHECK(ctx.attr_string(a, "NONE") == "NONE", "attribute ", a, " (a quantized cache) is not supported");
  int64_t n = heads_attr(ctx, "num_heads"), kv = heads_attr(ctx, "kv_num_heads");
  WEBDNN_CHECK(n % kv == 0, "num_heads ", n, " must be a multiple of kv_num_heads ", kv);
  ir::Variable *query = ctx.required_input(0), *key = ctx.input(1), *value = ctx.input(2);
  WEBDNN_CHECK(query->rank() == 3, "query must be [batch, sequence, hidden], not ", shape_to_string(query->dims));
  WEBDNN_CHECK(!key == !value, "key and value must be given together (or neither, with packed query, key and value)");
  if (!key) {
    int64_t hidden = fixed_dim(query, 2, "the packed hidden size");
    WEBDNN_CHECK(hidden % (n + 2 * kv) == 0, "the packed hidden size ", hidden, " is not a multiple of ", n + 2 * kv,
                 " heads (num_heads + 2 * kv_num_heads)");
    int64_t h = hidden / (n + 2 * kv);
    key = last_axis(ctx, query, n * h, (n + kv) * h);
    value = last_axis(ctx, query, (n + kv) * h, hidden);
    query = last_axis(ctx, query, 0, n * h);
  }
  int64_t h = fixed_dim(query, 2, "the hidden size") / n;
  Dim b = query->dims[0], s = query->dims[1];
  ir::Variable* seqlens = reshape(ctx, ctx.required_input(5), {b, Dim(1), Dim(1), Dim(1)});
  ir::Variable *past_k = ctx.input(3), *past_v = ctx.input(4);
  WEBDNN_CHECK(!past_k == !past_v, "past_key and past_value must be given together");
  bool prompt = !past_k || past_k->dims[2].constant() == 0;
  // Each query's absolute position, [B or 1, 1, S, 1].
  ir::Variable* i = positions(ctx, Dim(0), s, 2, 4);
  ir::Variable* pos = prompt ? i : ctx.add("Add", {}, {seqlens, positions(ctx, Dim(1) - s, s, 2, 4)});

  ir::Variable *q4 = reshape(ctx, query, {b, s, Dim(n), Dim(h)}), *k4 = reshape(ctx, key, {b, s, Dim(kv), Dim(h)});
  if (ctx.attr_int("do_rotary", 0)) {
    ir::Variable *cos = ctx.required_input(7), *sin = ctx.required_input(8);
    WEBDNN_CHECK(cos->rank() == 2, "cos_cache must be [max_sequence, rotary_dim / 2], not ",
                 shape_to_string(cos->dims));
    // Angles at [B or 1, S, 1, rotary_dim / 2], against [B, S, heads, H].
    ir::Variable* at = reshape(ctx, pos, {pos->dims[0], s});
    DimShape c = {pos->dims[0], s, Dim(1), cos->dims[1]};
    cos = reshape(ctx, ctx.add("Gather", {{"axis", 0}}, {cos, at}), c);
    sin = reshape(ctx, ctx.add("Gather", {{"axis", 0}}, {sin, at}), c);
    int64_t dim = 2 * fixed_dim(ctx.required_input(7), 1, "the rotary embedding size");
    bool interleaved = ctx.attr_int("rotary_interleaved", 0) != 0;
    q4 = rotate(ctx, q4, cos, sin, dim, interleaved);
    k4 = rotate(ctx, k4, cos, sin, dim, interleaved);
  }
  Json to_heads = {{"perm", {0, 2, 1, 3}}};
  ir::Variable *q = ctx.add("Transpose", to_heads, {q4}), *k = ctx.add("Transpose", to_heads, {k4});
  ir::Variable* v = split_heads(ctx, value, kv, "the value size");
  if (past_k) {
    k = ctx.add("Concat", {{"axis", 2}}, {past_k, k});
    v = ctx.add("Concat", {{"axis", 2}}, {past_v, v});
  }
  ctx.set_output(1, k);
  ctx.set_output(2, v);

  // Key j is seen from position p iff j <= p (and, in a prompt, j <= seqlens_k: right padding).
  ir::Variable* j = positions(ctx, Dim(0), k->dims[2], 3, 4);
  ir::Variable* last = prompt ? ctx.add("Min", {}, {pos, seqlens}) : pos;
  ir::Variable* allowed = ctx.add("Not", {}, {ctx.add("Greater", {}, {j, last})});
  int64_t window = ctx.attr_int("local_window_size", -1);
  if (window > 0) {
    ir::Variable* first = ctx.add("Sub", {}, {pos, ctx.add_constant(Tensor::from_ints({}, {window}))});
    allowed = both(ctx, allowed, ctx.add("Greater", {}, {j, first}));
  }
  AttentionSpec spec;
  spec.scale = scale_for(ctx, h);
  spec.softcap = ctx.attr_float("softcap", 0);
  spec.bias = ctx.input(10);
  spec.allowed = allowed;
  ir::Variable* y = attend(ctx, q, repeat_heads(ctx, k, n / kv), repeat_heads(ctx, v, n / kv), spec);
  ctx.set_output(0, merge_heads(ctx, y));
}

// Inputs: input, position_ids, cos_cache, sin_cache. input [B, S, hidden] or [B, N, S, H];
// position_ids [B, S], or [1] holding the first position of every row; caches
// [max_position, rotary_dim / 2].
WEBDNN_ONNX_MS_HANDLER(RotaryEmbedding) {
  refuse_attr(ctx, "is_packed_batching", 0);
  ir::Variable *x = ctx.required_input(0), *ids = ctx.required_input(1);
  ir::Variable *cos = ctx.required_input(2), *sin = ctx.required_input(3);
  WEBDNN_CHECK(x->rank() == 3 || x->rank() == 4, "input '", x->name, "' has rank ", x->rank(),
               "; it must be [batch, sequence, hidden] or [batch, heads, sequence, head_size]");
  WEBDNN_CHECK(cos->rank() == 2, "cos_cache must be [max_position, rotary_dim / 2], not ", shape_to_string(cos->dims));
  Dim s = x->dims[x->rank() == 3 ? 1 : 2];
  if (ids->rank() == 1) ids = ctx.add("Add", {}, {ids, positions(ctx, Dim(0), s, 1, 2)});  // [1, S]
  WEBDNN_CHECK(ids->rank() == 2, "position_ids must be [batch, sequence] or [1], not ", shape_to_string(ids->dims));
  int64_t dim = ctx.attr_int("rotary_embedding_dim", 0);
  if (dim == 0) dim = 2 * fixed_dim(cos, 1, "the rotary embedding size");
  ir::Variable* heads = x;
  if (x->rank() == 3) {
    int64_t hidden = fixed_dim(x, 2, "the hidden size"), n = ctx.attr_int("num_heads", 0);
    int64_t head = n > 0 ? hidden / n : dim;
    WEBDNN_CHECK(head > 0 && hidden % head == 0, "the hidden size ", hidden, " is not a multiple of the head size ",
                 head);
    heads = reshape(ctx, x, {x->dims[0], s, Dim(hidden / head), Dim(head)});
  }
  DimShape c = {ids->dims[0], ids->dims[1], cos->dims[1]};
  c.insert(c.begin() + (x->rank() == 3 ? 2 : 1), Dim(1));
  cos = reshape(ctx, ctx.add("Gather", {{"axis", 0}}, {cos, ids}), c);
  sin = reshape(ctx, ctx.add("Gather", {{"axis", 0}}, {sin, ids}), c);
  ir::Variable* y = rotate(ctx, heads, cos, sin, dim, ctx.attr_int("interleaved", 0) != 0);
  ctx.set_output(0, x->rank() == 3 ? reshape(ctx, y, x->dims) : y);
}

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
