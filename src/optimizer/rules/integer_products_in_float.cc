// For backends whose kernels compute in float32 (the GPU backends, which hold every value as an
// f32). Matches: MatMulInteger, ConvInteger and MatMulNBits.
// Rewrites: MatMulInteger into MatMul of float32(A - a_zero_point) by float32(B - b_zero_point),
// cast to int32, and ConvInteger likewise into Conv (zero padding is the zero point's place):
// exact while the sums stay within 2^24, the GPU backends' integer range (an 8-bit product of
// K = 512 terms of at most 255 * 128 each). MatMulNBits into MatMul of A by its weight
// dequantized now, W' [K, N] in float32, with the bias as an epilogue: on the GPU the weight is
// held in float32 (dequantized at load, not in the kernel).
// A constant operand is converted here, once, rather than on every run.
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

// W' [K, N] of MatMulNBits's blocks: (q - zero point) * scale, in float32 as the reference does.
Tensor dequantized_weight(const ir::Operator& op) {
  params::MatMulNBits p = params::MatMulNBits::parse(op.params);
  Tensor q = op.inputs[1]->logical_data(), scales = op.inputs[2]->logical_data(), zero = op.inputs[3]->logical_data();
  const int64_t N = q.shape[0], K = p.K, blocks = p.blocks(), bytes = p.block_bytes(), per_byte = 8 / p.bits;
  Tensor w(DType::Float32, {K, N});
  for (int64_t n = 0; n < N; n++)
    for (int64_t k = 0; k < K; k++) {
      int64_t b = k / p.block_size, j = k % p.block_size;
      unsigned byte = q.data<uint8_t>()[(n * blocks + b) * bytes + j / per_byte];
      float value = static_cast<float>((byte >> (p.bits * (j % per_byte))) & ((1u << p.bits) - 1));
      w.data<float>()[k * N + n] = (value - zero.data<float>()[n * blocks + b]) * scales.data<float>()[n * blocks + b];
    }
  return w;
}

class IntegerProductsInFloat : public Rule {
 public:
  const char* name() const override { return "integer_products_in_float"; }
  bool required() const override { return true; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->type == "MatMulInteger") {
      ir::Variable *a = op->inputs[0], *b = op->inputs[1];
      ir::Variable* af = less_zero_point(graph, op->name + ":a", a, op->inputs[2], a->rank() - 2);
      ir::Variable* bf = less_zero_point(graph, op->name + ":b", b, op->inputs[3], b->rank() - 1);
      ir::Variable* y = graph.add_operator("MatMul", op->name + ":float", Json::object(), {af, bf})->output();
      recreate(graph, op, "Cast", {{"to", "int32"}}, {y});
      return true;
    }
    if (op->type == "ConvInteger") {
      ir::Variable* xf = less_zero_point(graph, op->name + ":x", op->inputs[0], op->inputs[2], 1);
      ir::Variable* wf = less_zero_point(graph, op->name + ":w", op->inputs[1], op->inputs[3], 0);
      ir::Variable* y = graph.add_operator("Conv", op->name + ":float", op->params, {xf, wf})->output();
      recreate(graph, op, "Cast", {{"to", "int32"}}, {y});
      return true;
    }
    if (op->type == "MatMulNBits" && op->inputs[1]->is_constant() && op->inputs[2]->is_constant() &&
        op->inputs[3]->is_constant()) {
      ir::Variable* w = add_constant(graph, op->inputs[1]->name + ":float", dequantized_weight(*op));
      std::vector<ir::Variable*> inputs = {op->inputs[0], w};
      Json p = Json::object();
      if (op->inputs.size() > 4) {
        params::Epilogue bias;
        bias.expr.emplace();
        bias.expr->binary(ExprOp::Add, bias.expr->input(0), bias.expr->input(1));
        bias.write(p);
        inputs.push_back(op->inputs[4]);
      }
      recreate(graph, op, "MatMul", p, inputs);
      return true;
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Rule> integer_products_in_float() { return std::make_unique<IntegerProductsInFloat>(); }

}  // namespace webdnn::optimizer::rules
