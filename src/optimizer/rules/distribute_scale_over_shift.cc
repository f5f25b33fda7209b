// Matches: (x + b) * a with constants a, b, where the sum is read only here.
// Rewrites: x * a + (b * a), moving the shift outward so that affine chains
// ((x*a + b)*c + d ...) gather into one scale and one shift.
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class DistributeScaleOverShift : public Rule {
 public:
  const char* name() const override { return "distribute_scale_over_shift"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (binary_form(*op) != ExprOp::Mul) return false;
    ir::Variable *sum = op->inputs[0], *a = op->inputs[1];
    if (sum->is_constant()) std::swap(sum, a);
    ir::Operator* add = sum->producer;
    if (!a->is_constant() || !add || binary_form(*add) != ExprOp::Add || !single_use(graph, sum)) return false;
    ir::Variable *x = add->inputs[0], *b = add->inputs[1];
    if (x->is_constant()) std::swap(x, b);
    if (x->is_constant() || !b->is_constant()) return false;
    ir::Variable* out = op->outputs[0];
    if (out->dtype != DType::Float32 || !identical(broadcast(x->dims, a->dims), out->dims)) return false;
    Tensor at = a->logical_data(), bt = b->logical_data();
    Expr mul;
    mul.binary(ExprOp::Mul, mul.input(0), mul.input(1));
    ir::Variable* ba = add_constant(graph, b->name, evaluate(mul, {&bt, &at}, DType::Float32,
                                                              broadcast_shapes(a->shape, b->shape)));
    ir::Variable* scaled = graph.add_operator("Mul", op->name + ":scale", Json::object(), {x, a})->output();
    recreate(graph, op, "Add", Json::object(), {scaled, ba});
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> distribute_scale_over_shift() { return std::make_unique<DistributeScaleOverShift>(); }

}  // namespace webdnn::optimizer::rules
