// Matrix products: MatMul (numpy semantics, broadcast batch axes) and Gemm
// (alpha * op(A) op(B) + beta * C with op = optional transpose). Both may carry an epilogue (see
// Traits::epilogue_inputs), with extra inputs after B (MatMul) or C (Gemm).
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

void infer_matmul(ir::Operator& op) { set_outputs(op, params::infer_matmul(params::MatMul::parse(op.params), input_types(op))); }

void infer_fused_attention(ir::Operator& op) {
  set_outputs(op, params::infer_fused_attention(params::FusedAttention::parse(op.params), input_types(op)));
}

// Q . K' (S x T sums of D products) and P . V (S x Dv sums of T).
double fused_attention_flops(const ir::Operator& op) {
  const Shape &q = op.inputs[0]->shape, &k = op.inputs[1]->shape, &y = op.outputs[0]->shape;
  double rows = 1;
  for (size_t d = 0; d + 1 < y.size(); d++) rows *= static_cast<double>(y[d]);
  return 2 * rows * static_cast<double>(k.back()) * static_cast<double>(q.back() + y.back());
}

void infer_gemm(ir::Operator& op) {
  set_outputs(op, params::infer_gemm(params::Gemm::parse(op.params), input_types(op)));
  op.outputs[0]->axes = {"N", "C"};
}

// Extra (epilogue) inputs and C slice like the output they broadcast to.
std::vector<int> aligned_rest(const ir::Operator& op, size_t from, int axis, std::vector<int> head) {
  for (size_t i = from; i < op.inputs.size(); i++) head.push_back(aligned_axis(*op.inputs[i], *op.outputs[0], axis));
  return head;
}

Traits matmul_traits(const ir::Operator& op) {
  Traits t;
  const ir::Variable *a = op.inputs[0], *b = op.inputs[1], *y = op.outputs[0];
  for (int axis = 0; axis < y->rank(); axis++) t.tensorwise.push_back(axis);
  t.epilogue_inputs = 2;
  if (a->rank() >= 2 && b->rank() >= 2) {
    int rows = y->rank() - 2, cols = y->rank() - 1;
    t.split_inputs[rows] = aligned_rest(op, 2, rows, {a->rank() - 2, -1});
    t.split_inputs[cols] = aligned_rest(op, 2, cols, {-1, b->rank() - 1});
    if (b->rank() == 2) {
      t.channel_affine = {cols, 1, 1, -1};
      t.input_scale = {a->rank() - 1, 1, 0};
    }
  }
  return t;
}

Traits gemm_traits(const ir::Operator& op) {
  Traits t;
  params::Gemm p = params::Gemm::parse(op.params);
  bool ta = p.trans_a, tb = p.trans_b;
  t.tensorwise = {0, 1};
  t.epilogue_inputs = 3;
  t.split_inputs[0] = aligned_rest(op, 2, 0, {ta ? 1 : 0, -1});
  t.split_inputs[1] = aligned_rest(op, 2, 1, {-1, tb ? 0 : 1});
  t.channel_affine = {1, 1, tb ? 0 : 1, 2};
  t.input_scale = {ta ? 0 : 1, 1, tb ? 1 : 0};
  return t;
}


WEBDNN_REGISTER_OP(with_flops(make_schema("MatMul", 2, -1, infer_matmul, matmul_traits),
                              [](const ir::Operator& op) { return product_flops(op, op.inputs[0]->shape.back()); }));
WEBDNN_REGISTER_OP(with_flops(make_schema("Gemm", 2, -1, infer_gemm, gemm_traits), [](const ir::Operator& op) {
  return product_flops(op, op.inputs[0]->shape[params::Gemm::parse(op.params).trans_a ? 0 : 1]);
}));

// Made by a backend's rule, never imported: no trait lets other rules rewrite it further.
WEBDNN_REGISTER_OP(with_flops(make_schema("FusedAttention", 3, -1, infer_fused_attention,
                                          [](const ir::Operator&) { return Traits{}; }),
                              fused_attention_flops));

}  // namespace
}  // namespace webdnn::ops
