// Matches: Transpose(Transpose(x)).
// Rewrites: one Transpose of x with the two permutations composed (removed later by
// remove_identity when they cancel). The inner one goes when nothing else reads it.
#include "src/optimizer/rules/rules.h"
#include "webdnn/params.h"

namespace webdnn::optimizer::rules {
namespace {

class MergeTransposes : public Rule {
 public:
  const char* name() const override { return "merge_transposes"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->type != "Transpose") return false;
    ir::Operator* inner = op->inputs[0]->producer;
    if (!inner || inner->type != "Transpose") return false;
    std::vector<int64_t> outer_perm = params::Transpose::parse(op->params).perm;
    std::vector<int64_t> inner_perm = params::Transpose::parse(inner->params).perm;
    params::Transpose merged{std::vector<int64_t>(outer_perm.size())};
    for (size_t i = 0; i < outer_perm.size(); i++) merged.perm[i] = inner_perm[outer_perm[i]];
    op->params = merged.to_json();
    graph.set_input(op, 0, inner->inputs[0]);
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> merge_transposes() { return std::make_unique<MergeTransposes>(); }

}  // namespace webdnn::optimizer::rules
