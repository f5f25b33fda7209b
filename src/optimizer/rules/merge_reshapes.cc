// Matches: Reshape(Reshape(x)).
// Rewrites: one Reshape of x to the final shape (row-major data never moves in a Reshape, so
// the intermediate shape does not matter).
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class MergeReshapes : public Rule {
 public:
  const char* name() const override { return "merge_reshapes"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->type != "Reshape") return false;
    ir::Operator* inner = op->inputs[0]->producer;
    if (!inner || inner->type != "Reshape") return false;
    graph.set_input(op, 0, inner->inputs[0]);
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> merge_reshapes() { return std::make_unique<MergeReshapes>(); }

}  // namespace webdnn::optimizer::rules
