// Matches: an elementwise operator reading the output of another elementwise operator of the
// same shape that nothing else reads (float values only).
// Rewrites: one FusedElementwise computing both expressions in one pass, scalar constants
// written into the expression. Repeated, whole chains and trees become one kernel.
#include "src/optimizer/fusion.h"
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class MergeElementwise : public Rule {
 public:
  const char* name() const override { return "merge_elementwise"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (!fusible_elementwise(*op)) return false;
    for (ir::Variable* in : op->inputs) {
      ir::Operator* producer = in->producer;
      if (!producer || !fusible_elementwise(*producer) || !single_use(graph, in) || !identical(in->dims, op->outputs[0]->dims))
        continue;
      // The producer's inputs join the consumer's; the producer's result feeds the expression.
      Fusion f;
      f.add_operator(*producer, {});
      int produced = f.result();
      f.add_operator(*op, {{in, produced}});
      if (f.num_inputs() > kMaxFusedInputs) continue;
      // The shape is kept explicitly: constants written into the expression no longer broadcast.
      Json params = {{"expr", f.expr.to_json()}, {"to", dtype_name(op->outputs[0]->dtype)},
                     {"shape", params::dims_json(op->outputs[0]->dims)}};
      recreate(graph, op, "FusedElementwise", params, f.inputs);
      return true;
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Rule> merge_elementwise() { return std::make_unique<MergeElementwise>(); }

}  // namespace webdnn::optimizer::rules
