// The compositions of attention.h.
#include "src/frontend/onnx/handlers/attention.h"

#include <cmath>
#include <limits>

#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

ir::Variable* transpose(NodeContext& ctx, ir::Variable* x, std::vector<int64_t> perm) {
  return ctx.add("Transpose", {{"perm", perm}}, {x});
}

ir::Variable* binary(NodeContext& ctx, const char* op, ir::Variable* a, ir::Variable* b) {
  return ctx.add(op, {}, {a, b});
}

ir::Variable* concat_last(NodeContext& ctx, const std::vector<ir::Variable*>& parts) {
  return ctx.add("Concat", {{"axis", parts[0]->rank() - 1}}, parts);
}

}  // namespace

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

void check_past(const ir::Variable* past_k, const ir::Variable* past_v, const char* heads) {
  if (!past_k) return;
  WEBDNN_CHECK(past_k->rank() == 4 && past_v->rank() == 4, "past_key and past_value must be [batch, ", heads,
               ", past_sequence, head_size], not of shapes ", shape_to_string(past_k->dims), " and ",
               shape_to_string(past_v->dims));
}

int64_t fixed_dim(const ir::Variable* x, int axis, const char* what) {
  auto n = x->dims[axis].constant();
  WEBDNN_CHECK(n, "axis ", axis, " of input '", x->name, "' is the free dimension ", x->dims[axis].to_string(), "; ",
               what, " must be a fixed size (pin it with --input-shape)");
  return *n;
}

ir::Variable* split_heads(NodeContext& ctx, ir::Variable* x, int64_t heads, const char* what) {
  WEBDNN_CHECK(x->rank() == 3, "input '", x->name, "' has rank ", x->rank(), "; it must be [batch, sequence, hidden]");
  int64_t hidden = fixed_dim(x, 2, what);
  WEBDNN_CHECK(heads > 0 && hidden % heads == 0, "the hidden size ", hidden, " of input '", x->name,
               "' is not a multiple of the ", heads, " heads");
  ir::Variable* y = ctx.reshape(x, {x->dims[0], x->dims[1], Dim(heads), Dim(hidden / heads)});
  return transpose(ctx, y, {0, 2, 1, 3});
}

ir::Variable* merge_heads(NodeContext& ctx, ir::Variable* x) {
  ir::Variable* y = transpose(ctx, x, {0, 2, 1, 3});
  return ctx.reshape(y, {x->dims[0], x->dims[2], x->dims[1] * x->dims[3]});
}

ir::Variable* repeat_heads(NodeContext& ctx, ir::Variable* x, int64_t reps) {
  if (reps == 1) return x;
  const DimShape& d = x->dims;
  ir::Variable* y = ctx.reshape(x, {d[0], d[1], Dim(1), d[2], d[3]});
  y = ctx.add("Expand", {{"shape", params::dims_json({d[0], d[1], Dim(reps), d[2], d[3]})}}, {y});
  return ctx.reshape(y, {d[0], d[1] * Dim(reps), d[2], d[3]});
}

ir::Variable* positions(NodeContext& ctx, const Dim& start, const Dim& n, int axis, int rank) {
  DimShape shape(rank, Dim(1));
  shape[axis] = n;
  ir::Variable* v;
  if (start.constant() && n.constant()) {
    std::vector<int64_t> values(*n.constant());
    for (int64_t i = 0; i < *n.constant(); i++) values[i] = *start.constant() + i;
    v = ctx.add_constant(Tensor::from_ints({*n.constant()}, values));
  } else {
    v = ctx.add("Range", params::Range{DType::Int64, start, n, 1}.to_json(), {});
  }
  return rank == 1 ? v : ctx.reshape(v, shape);
}

ir::Variable* causal(NodeContext& ctx, const Dim& s, const Dim& t, const Dim& offset) {
  // j < i + offset + 1, with i down the rows and j along the columns.
  return binary(ctx, "Less", positions(ctx, Dim(0), t, 1, 2), positions(ctx, offset + Dim(1), s, 0, 2));
}

ir::Variable* both(NodeContext& ctx, ir::Variable* a, ir::Variable* b) {
  if (!a) return b;
  if (!b) return a;
  return binary(ctx, "And", a, b);
}

ir::Variable* attend(NodeContext& ctx, ir::Variable* q, ir::Variable* k, ir::Variable* v, const AttentionSpec& spec,
                     AttentionScores* scores) {
  Json matmul = params::MatMul{}.to_json();
  ir::Variable* s = ctx.add("MatMul", matmul, {q, transpose(ctx, k, {0, 1, 3, 2})});
  s = binary(ctx, "Mul", s, ctx.add_constant(Tensor::scalar(static_cast<float>(spec.scale))));
  if (scores) scores->raw = s;
  if (spec.softcap > 0) {
    ir::Variable* cap = ctx.add_constant(Tensor::scalar(static_cast<float>(spec.softcap)));
    s = binary(ctx, "Mul", ctx.add("Tanh", {}, {binary(ctx, "Div", s, cap)}), cap);
  }
  if (spec.bias) s = binary(ctx, "Add", s, spec.bias);
  // Left-out keys score the lowest float rather than -inf (as onnxruntime's masks do), so that a
  // query that sees no key at all averages them evenly instead of giving NaN.
  if (spec.allowed) {
    ir::Variable* lowest = ctx.add_constant(Tensor::scalar(std::numeric_limits<float>::lowest()));
    s = ctx.add("Where", {}, {spec.allowed, s, lowest});
  }
  ir::Variable* p = ctx.add("Softmax", {{"axis", 3}}, {s});
  if (scores) scores->probs = p;
  return ctx.add("MatMul", matmul, {p, v});
}

ir::Variable* rotate(NodeContext& ctx, ir::Variable* x, ir::Variable* cos, ir::Variable* sin, int64_t rotary_dim,
                     bool interleaved) {
  int64_t head = fixed_dim(x, x->rank() - 1, "the head size");
  WEBDNN_CHECK(rotary_dim > 0 && rotary_dim % 2 == 0 && rotary_dim <= head, "the rotary embedding dimension ",
               rotary_dim, " must be even and at most the head size ", head);
  int64_t half = rotary_dim / 2;
  ir::Variable* rot = rotary_dim == head ? x : last_axis(ctx, x, 0, rotary_dim);
  ir::Variable *x1, *x2;
  if (interleaved) {
    // [..., half, 2]: pairs of neighbours; cos and sin gain the pair axis.
    DimShape pairs(rot->dims.begin(), rot->dims.end() - 1);
    pairs.push_back(Dim(half));
    pairs.push_back(Dim(2));
    rot = ctx.reshape(rot, pairs);
    x1 = last_axis(ctx, rot, 0, 1);
    x2 = last_axis(ctx, rot, 1, 2);
    DimShape c = cos->dims, s = sin->dims;
    c.push_back(Dim(1));
    s.push_back(Dim(1));
    cos = ctx.reshape(cos, c);
    sin = ctx.reshape(sin, s);
  } else {
    x1 = last_axis(ctx, rot, 0, half);
    x2 = last_axis(ctx, rot, half, rotary_dim);
  }
  ir::Variable* real = binary(ctx, "Sub", binary(ctx, "Mul", x1, cos), binary(ctx, "Mul", x2, sin));
  ir::Variable* imag = binary(ctx, "Add", binary(ctx, "Mul", x1, sin), binary(ctx, "Mul", x2, cos));
  ir::Variable* y = concat_last(ctx, {real, imag});
  if (interleaved) {
    DimShape flat(x->dims.begin(), x->dims.end() - 1);
    flat.push_back(Dim(rotary_dim));
    y = ctx.reshape(y, flat);
  }
  if (rotary_dim < head) y = concat_last(ctx, {y, last_axis(ctx, x, rotary_dim, head)});
  return y;
}

}  // namespace webdnn::onnx_frontend
