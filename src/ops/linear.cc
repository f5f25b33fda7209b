// Matrix products: MatMul (numpy semantics, broadcast batch axes) and Gemm
// (alpha * op(A) op(B) + beta * C with op = optional transpose). Both may carry an epilogue (see
// Traits::epilogue_inputs), with extra inputs after B (MatMul) or C (Gemm).
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

void infer_matmul(ir::Operator& op) {
  Shape a = op.inputs[0]->shape, b = op.inputs[1]->shape;
  WEBDNN_CHECK(!a.empty() && !b.empty(), "MatMul needs inputs of rank 1 or more");
  bool a_vector = a.size() == 1, b_vector = b.size() == 1;
  if (a_vector) a.insert(a.begin(), 1);
  if (b_vector) b.push_back(1);
  int64_t k = a.back();
  WEBDNN_CHECK(k == b[b.size() - 2], "cannot multiply ", shape_to_string(op.inputs[0]->shape), " by ",
               shape_to_string(op.inputs[1]->shape));
  Shape batch = broadcast_shapes(Shape(a.begin(), a.end() - 2), Shape(b.begin(), b.end() - 2));
  Shape out = batch;
  if (!a_vector) out.push_back(a[a.size() - 2]);
  if (!b_vector) out.push_back(b.back());
  set_output(op, 0, DType::Float32, out);
  check_epilogue(op, 2);
}

void infer_gemm(ir::Operator& op) {
  const Shape &a = op.inputs[0]->shape, &b = op.inputs[1]->shape;
  WEBDNN_CHECK(a.size() == 2 && b.size() == 2, "Gemm needs 2-D inputs, got ", shape_to_string(a), " and ",
               shape_to_string(b));
  bool ta = op.params.value("transA", 0) != 0, tb = op.params.value("transB", 0) != 0;
  int64_t m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
  int64_t kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
  WEBDNN_CHECK(k == kb, "inner dimensions differ: A ", shape_to_string(a), " B ", shape_to_string(b));
  if (op.input(2))
    WEBDNN_CHECK(broadcast_shapes(op.inputs[2]->shape, {m, n}) == Shape({m, n}), "C ",
                 shape_to_string(op.inputs[2]->shape), " does not broadcast to [", m, ",", n, "]");
  set_output(op, 0, DType::Float32, {m, n});
  op.outputs[0]->axes = {"N", "C"};
  check_epilogue(op, 3);
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
  bool ta = op.params.value("transA", 0) != 0, tb = op.params.value("transB", 0) != 0;
  t.tensorwise = {0, 1};
  t.epilogue_inputs = 3;
  t.split_inputs[0] = aligned_rest(op, 2, 0, {ta ? 1 : 0, -1});
  t.split_inputs[1] = aligned_rest(op, 2, 1, {-1, tb ? 0 : 1});
  t.channel_affine = {1, 1, tb ? 0 : 1, 2};
  t.input_scale = {ta ? 0 : 1, 1, tb ? 1 : 0};
  return t;
}

WEBDNN_REGISTER_OP(make_schema("MatMul", 2, -1, infer_matmul, matmul_traits));
WEBDNN_REGISTER_OP(make_schema("Gemm", 2, -1, infer_gemm, gemm_traits));

}  // namespace
}  // namespace webdnn::ops
