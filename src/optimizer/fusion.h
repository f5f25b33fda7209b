// Building one expression out of several operators' expressions, for the fusion rules.
#pragma once
#include <map>
#include <vector>

#include "src/ir/graph.h"
#include "webdnn/expr.h"

namespace webdnn::optimizer {

// More inputs than this would exceed what GPU kernels can bind comfortably.
constexpr int kMaxFusedInputs = 8;

// An elementwise operator computing on float32 (and bool) values only: integer arithmetic is not
// fused, since a fused kernel computes in float.
bool fusible_elementwise(const ir::Operator& op);

class Fusion {
 public:
  // With `reserved` > 0, expression inputs 0..reserved-1 are not variables (an epilogue's x0 is
  // the value its operator computed) and variables become inputs from `reserved` on.
  explicit Fusion(int reserved = 0) : reserved_(reserved) {}

  Expr expr;
  std::vector<ir::Variable*> inputs;

  // Appends `e`, whose input k reads vars[k], or the node bound to vars[k] in `bound`, or (when
  // vars[k] is null) expression input k itself. Returns the node of its result.
  int add(const Expr& e, const std::vector<ir::Variable*>& vars, const std::map<ir::Variable*, int>& bound);
  // Appends an elementwise operator's expression over its inputs.
  int add_operator(const ir::Operator& op, const std::map<ir::Variable*, int>& bound);
  int result() const { return expr.result(); }
  int num_inputs() const { return static_cast<int>(inputs.size()); }

 private:
  // The node reading `v`: a constant when it is a one-element constant, else an input.
  int node_for(ir::Variable* v);

  int reserved_;
  std::map<ir::Variable*, int> nodes_;
};

}  // namespace webdnn::optimizer
