// Matches: an operator whose traits say its output is one of its inputs unchanged (Identity,
// Dropout, x*1, x+0, a Cast to the same type, a Reshape or Transpose that changes nothing, a
// Slice of everything...), with the same dtype and memory layout.
// Rewrites: its readers read that input directly.
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class RemoveIdentity : public Rule {
 public:
  const char* name() const override { return "remove_identity"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->outputs.size() != 1) return false;
    int i = ops::traits_of(*op).identity;
    if (i < 0) return false;
    ir::Variable *in = op->inputs[i], *out = op->outputs[0];
    if (in->dtype != out->dtype || !same_layout(*in, *out)) return false;
    if (!forward(graph, out, in)) return false;
    graph.remove_operator(op);
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> remove_identity() { return std::make_unique<RemoveIdentity>(); }

}  // namespace webdnn::optimizer::rules
