// Handlers of onnxruntime's decoder operators (com.microsoft): GroupQueryAttention and
// RotaryEmbedding, as the compositions of attention.h (semantics checked against onnxruntime 1.30's
// CPU kernels). Options that exporters rarely write (quantized and windowed caches, sinks, per-head
// norms) are refused with the attribute or input named.
#include "src/frontend/onnx/handlers/attention.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {

// Inputs: query, key?, value?, past_key?, past_value?, seqlens_k, total_sequence_length,
// cos_cache?, sin_cache?, (the rest refused). query [B, S, N*H] (or packed [B, S, (N + 2 kv)*H]
// without key and value); past [B, kv, P, H]. Batch entry b has past_b = seqlens_k[b] + 1 - S
// tokens of its past (0 in a first prompt, where S is the total length: then seqlens_k marks
// right padding), so query i sits at position past_b + i and sees keys j <= min(past_b + i,
// seqlens_k[b]). The present holds, as onnxruntime lays it out, max(P, total) positions: entry b's
// past_b past keys, its S new ones after them, zeros beyond (each entry its own length: ragged
// batches, and past buffers longer than the past, work alike).
namespace {

// Where each of `length` present positions comes from in past [P] and new [S] side by side, for
// entries starting past_b [B, 1, 1, 1] tokens in: entry b's first past_b positions from its past,
// then its S new ones, then none (`valid` false: zeros). Both [B, 1, length, 1].
struct PresentPlace {
  ir::Variable *at, *valid;
};

PresentPlace present_place(NodeContext& ctx, const Dim& past, const Dim& fresh, ir::Variable* past_b, const Dim& length) {
  ir::Variable* j = positions(ctx, Dim(0), length, 2, 4);
  ir::Variable* from_past = ctx.add("Less", {}, {j, past_b});
  ir::Variable* shifted = ctx.add("Add", {}, {ctx.add("Sub", {}, {j, past_b}), ctx.add_dims({past}, true)});
  ir::Variable* valid = ctx.add("Less", {}, {j, ctx.add("Add", {}, {past_b, ctx.add_dims({fresh}, true)})});
  ir::Variable* zero = ctx.add_constant(Tensor::from_ints({}, {0}));
  return {ctx.add("Where", {}, {valid, ctx.add("Where", {}, {from_past, j, shifted}), zero}), valid};
}

// The present of `fresh` [B, kv, S, H] after `past` [B, kv, P, H] at those places: one
// GatherElements from the two side by side.
ir::Variable* present(NodeContext& ctx, ir::Variable* past, ir::Variable* fresh, const PresentPlace& place) {
  ir::Variable* both = ctx.add("Concat", {{"axis", 2}}, {past, fresh});
  DimShape shape = past->dims;
  shape[0] = place.at->dims[0];
  shape[2] = place.at->dims[2];
  ir::Variable* at = ctx.add("Expand", {{"shape", params::dims_json(shape)}}, {place.at});
  ir::Variable* gathered = ctx.add("GatherElements", {{"axis", 2}}, {both, at});
  return ctx.add("Where", {}, {place.valid, gathered, ctx.add_constant(Tensor::scalar(0.0f))});
}

}  // namespace

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
  ir::Variable* seqlens = ctx.reshape(ctx.required_input(5), {b, Dim(1), Dim(1), Dim(1)});
  ir::Variable *past_k = ctx.input(3), *past_v = ctx.input(4);
  WEBDNN_CHECK(!past_k == !past_v, "past_key and past_value must be given together");
  check_past(past_k, past_v, "kv_heads");
  // Without a past (or one of no positions) every entry starts at 0; else past_b, [B, 1, 1, 1].
  bool prompt = !past_k || past_k->dims[2].constant() == 0;
  ir::Variable* past = nullptr;
  if (!prompt) {
    ir::Variable* ahead = ctx.add("Add", {}, {seqlens, ctx.add_dims({Dim(1) - s}, true)});
    past = ctx.add("Max", {}, {ahead, ctx.add_constant(Tensor::from_ints({}, {0}))});
  }
  // Each query's absolute position, [B or 1, 1, S, 1].
  ir::Variable* i = positions(ctx, Dim(0), s, 2, 4);
  ir::Variable* pos = prompt ? i : ctx.add("Add", {}, {past, i});

  ir::Variable *q4 = ctx.reshape(query, {b, s, Dim(n), Dim(h)}), *k4 = ctx.reshape(key, {b, s, Dim(kv), Dim(h)});
  if (ctx.attr_int("do_rotary", 0)) {
    ir::Variable *cos = ctx.required_input(7), *sin = ctx.required_input(8);
    WEBDNN_CHECK(cos->rank() == 2, "cos_cache must be [max_sequence, rotary_dim / 2], not ",
                 shape_to_string(cos->dims));
    // Angles at [B or 1, S, 1, rotary_dim / 2], against [B, S, heads, H].
    ir::Variable* at = ctx.reshape(pos, {pos->dims[0], s});
    DimShape c = {pos->dims[0], s, Dim(1), cos->dims[1]};
    cos = ctx.reshape(ctx.add("Gather", {{"axis", 0}}, {cos, at}), c);
    sin = ctx.reshape(ctx.add("Gather", {{"axis", 0}}, {sin, at}), c);
    int64_t dim = 2 * fixed_dim(ctx.required_input(7), 1, "the rotary embedding size");
    bool interleaved = ctx.attr_int("rotary_interleaved", 0) != 0;
    q4 = rotate(ctx, q4, cos, sin, dim, interleaved);
    k4 = rotate(ctx, k4, cos, sin, dim, interleaved);
  }
  Json to_heads = {{"perm", {0, 2, 1, 3}}};
  ir::Variable *q = ctx.add("Transpose", to_heads, {q4}), *k = ctx.add("Transpose", to_heads, {k4});
  ir::Variable* v = split_heads(ctx, value, kv, "the value size");
  if (!prompt) {
    std::optional<DimShape> total = ctx.dims_of_input(6);
    WEBDNN_CHECK(total && total->size() == 1, "total_sequence_length ('", ctx.required_input(6)->name,
                 "') must follow from the input shapes (it sizes the present outputs), but it depends on input values");
    // The most positions a row can hold, past and new: a larger total would size the present
    // outputs (and the positions built here) for nothing, past any memory.
    std::optional<int64_t> t = (*total)[0].constant(), most = (past_k->dims[2] + s).constant();
    WEBDNN_CHECK(!t || !most || *t <= *most, "total_sequence_length ('", ctx.required_input(6)->name, "') is ", *t,
                 ", more than the past's ", past_k->dims[2].to_string(), " positions and the ", s.to_string(), " new ones");
    // Keys and values share their places: computed once.
    PresentPlace place = present_place(ctx, past_k->dims[2], s, past, max(past_k->dims[2], (*total)[0]));
    k = present(ctx, past_k, k, place);
    v = present(ctx, past_v, v, place);
  }
  ctx.set_output(1, k);
  ctx.set_output(2, v);

  // Key j is seen from position p iff j <= p and j <= seqlens_k (a first prompt's right padding;
  // elsewhere p is the smaller).
  ir::Variable* j = positions(ctx, Dim(0), k->dims[2], 3, 4);
  ir::Variable* last = ctx.add("Min", {}, {pos, seqlens});
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
    heads = ctx.reshape(x, {x->dims[0], s, Dim(hidden / head), Dim(head)});
  }
  DimShape c = {ids->dims[0], ids->dims[1], cos->dims[1]};
  c.insert(c.begin() + (x->rank() == 3 ? 2 : 1), Dim(1));
  cos = ctx.reshape(ctx.add("Gather", {{"axis", 0}}, {cos, ids}), c);
  sin = ctx.reshape(ctx.add("Gather", {{"axis", 0}}, {sin, ids}), c);
  ir::Variable* y = rotate(ctx, heads, cos, sin, dim, ctx.attr_int("interleaved", 0) != 0);
  ctx.set_output(0, x->rank() == 3 ? ctx.reshape(y, x->dims) : y);
}

}  // namespace webdnn::onnx_frontend
