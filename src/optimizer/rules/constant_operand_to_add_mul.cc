// Matches: x - c and x / c with c constant (float).
// Rewrites: x + (-c) and x * (1/c), so that chains of constant operands are all additions and
// multiplications, which commute and associate and thus collapse (merge_constant_operands).
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class ConstantOperandToAddMul : public Rule {
 public:
  const char* name() const override { return "constant_operand_to_add_mul"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    auto form = binary_form(*op);
    if (!form || (*form != ExprOp::Sub && *form != ExprOp::Div)) return false;
    ir::Variable *x = op->inputs[0], *c = op->inputs[1];
    if (x->is_constant() || !c->is_constant() || c->dtype != DType::Float32 || op->outputs[0]->dtype != DType::Float32)
      return false;
    Expr invert;
    int v = invert.input(0);
    if (*form == ExprOp::Sub) invert.unary(ExprOp::Neg, v);
    else invert.binary(ExprOp::Div, invert.constant(1), v);
    Tensor data = c->logical_data();
    ir::Variable* k = add_constant(graph, c->name, evaluate(invert, {&data}, DType::Float32, data.shape));
    recreate(graph, op, *form == ExprOp::Sub ? "Add" : "Mul", Json::object(), {x, k});
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> constant_operand_to_add_mul() { return std::make_unique<ConstantOperandToAddMul>(); }

}  // namespace webdnn::optimizer::rules
