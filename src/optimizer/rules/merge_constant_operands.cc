// Matches: (x op c1) op c2 for an operator that is commutative and associative (Add, Mul, Max,
// Min...) with constants c1, c2, where the inner result is read only here.
// Rewrites: x op c with c = c1 op c2 computed now; a chain of them collapses to one operator.
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

// The non-constant and the constant input of a binary operator, if it has one of each.
bool split_operands(const ir::Operator& op, ir::Variable*& x, ir::Variable*& c) {
  if (op.inputs.size() != 2 || op.inputs[0]->is_constant() == op.inputs[1]->is_constant()) return false;
  c = op.inputs[0]->is_constant() ? op.inputs[0] : op.inputs[1];
  x = op.inputs[0]->is_constant() ? op.inputs[1] : op.inputs[0];
  return true;
}

class MergeConstantOperands : public Rule {
 public:
  const char* name() const override { return "merge_constant_operands"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    ops::Traits t = ops::traits_of(*op);
    auto form = binary_form(*op);
    ir::Variable *y, *c2, *x, *c1;
    if (!form || !t.commutative || !t.associative || !split_operands(*op, y, c2)) return false;
    ir::Operator* inner = y->producer;
    if (!inner || inner->type != op->type || binary_form(*inner) != form || !single_use(graph, y)) return false;
    if (!split_operands(*inner, x, c1)) return false;
    Shape merged = broadcast_shapes(c1->shape, c2->shape);
    ir::Variable* out = op->outputs[0];
    DimShape merged_dims(merged.begin(), merged.end());  // constants: numbers
    if (!identical(broadcast(x->dims, merged_dims), out->dims) || x->dtype != out->dtype) return false;
    Tensor a = c1->logical_data(), b = c2->logical_data();
    Expr e;
    e.binary(*form, e.input(0), e.input(1));
    ir::Variable* c = add_constant(graph, c2->name, evaluate(e, {&a, &b}, c2->dtype, merged));
    recreate(graph, op, op->type, op->params, {x, c});
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> merge_constant_operands() { return std::make_unique<MergeConstantOperands>(); }

}  // namespace webdnn::optimizer::rules
