// Matrix products: MatMul (numpy semantics, broadcast batch axes) and Gemm
// (alpha * op(A) op(B) + beta * C with op = optional transpose).
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
}

void infer_gemm(ir::Operator& op) {
  const Shape &a = op.inputs[0]->shape, &b = op.inputs[1]->shape;
  WEBDNN_CHECK(a.size() == 2 && b.size() == 2, "Gemm needs 2-D inputs, got ", shape_to_string(a), " and ",
               shape_to_string(b));
  bool ta = op.params.value("transA", 0) != 0, tb = op.params.value("transB", 0) != 0;
  int64_t m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
  int64_t kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
  WEBDNN_CHECK(k == kb, "inner dimensions differ: A ", shape_to_string(a), " B ", shape_to_string(b));
  if (op.input(2)) broadcast_shapes(op.inputs[2]->shape, {m, n});
  set_output(op, 0, DType::Float32, {m, n});
  op.outputs[0]->axes = {"N", "C"};
}

Traits rows_tensorwise(const ir::Operator& op) {
  Traits t;
  for (int a = 0; a < op.outputs[0]->rank(); a++) t.tensorwise.push_back(a);
  return t;
}

OpSchema make(const char* type, int min_in, int max_in, void (*fn)(ir::Operator&)) {
  OpSchema s;
  s.type = type;
  s.min_inputs = min_in;
  s.max_inputs = max_in;
  s.infer = fn;
  s.traits = rows_tensorwise;
  s.kernel = type;
  return s;
}

WEBDNN_REGISTER_OP(make("MatMul", 2, 2, infer_matmul));
WEBDNN_REGISTER_OP(make("Gemm", 2, 3, infer_gemm));

}  // namespace
}  // namespace webdnn::ops
