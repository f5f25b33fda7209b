#include "src/optimizer/fusion.h"

#include "src/ops/schema.h"
#include "src/optimizer/rewrite.h"

namespace webdnn::optimizer {

bool fusible_elementwise(const ir::Operator& op) {
  if (!ops::traits_of(op).elementwise || op.outputs.size() != 1) return false;
  auto real = [](const ir::Variable* v) { return v->dtype == DType::Float32 || v->dtype == DType::Bool; };
  for (const ir::Variable* v : op.inputs)
    if (!real(v)) return false;
  return real(op.outputs[0]);
}

int Fusion::node_for(ir::Variable* v) {
  auto it = nodes_.find(v);
  if (it != nodes_.end()) return it->second;
  int node;
  if (v->is_constant() && v->size() == 1) {
    node = expr.constant(v->data->as_double(0));
  } else {
    inputs.push_back(v);
    node = expr.input(reserved_ + static_cast<int>(inputs.size()) - 1);
  }
  nodes_[v] = node;
  return node;
}

int Fusion::add(const Expr& e, const std::vector<ir::Variable*>& vars, const std::map<ir::Variable*, int>& bound) {
  std::vector<int> input_nodes;
  for (int k = 0; k < e.num_inputs(); k++) {
    ir::Variable* v = k < static_cast<int>(vars.size()) ? vars[k] : nullptr;
    auto b = v ? bound.find(v) : bound.end();
    if (b != bound.end()) input_nodes.push_back(b->second);
    else if (v) input_nodes.push_back(node_for(v));
    else input_nodes.push_back(expr.input(k));
  }
  return expr.splice(e, input_nodes);
}

int Fusion::add_operator(const ir::Operator& op, const std::map<ir::Variable*, int>& bound) {
  return add(expression_of(op), op.inputs, bound);
}

}  // namespace webdnn::optimizer
