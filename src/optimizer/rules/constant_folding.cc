// Matches: an operator whose inputs are all constants (DimValues and Range, which have none, once
// the model's free dimensions are bound to numbers: a symbolic graph specialized for one shape).
// Rewrites: its outputs become constants computed now with the reference kernels.
// Left alone: operators that would turn small constants into a much bigger one (Expand, Tile,
// ConstantOfShape-like growth), which are cheaper to ship unexpanded; DequantizeLinear is folded.
#include "src/ops/evaluate.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

// Whether parameters hold a dim of the model's free dimensions ({"dim": EXPR}): DimValues and
// Range compute their values from such dims, so they are known only once the symbols are.
bool mentions_symbols(const Json& params) {
  if (params.is_object()) {
    if (params.size() == 1 && params.contains("dim")) return true;
    for (auto& [key, value] : params.items())
      if (mentions_symbols(value)) return true;
  } else if (params.is_array()) {
    for (const Json& v : params)
      if (mentions_symbols(v)) return true;
  }
  return false;
}

class ConstantFolding : public Rule {
 public:
  const char* name() const override { return "constant_folding"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->inputs.empty() && mentions_symbols(op->params)) return false;
    int64_t in_bytes = 0, out_bytes = 0;
    for (const ir::Variable* v : op->inputs) {
      if (!v->is_constant()) return false;
      in_bytes += v->bytes();
    }
    for (const ir::Variable* v : op->outputs) {
      if (!v->is_static()) return false;  // its size depends on the model's free dimensions
      out_bytes += v->bytes();
    }
    // DequantizeLinear grows by the element size alone (int8 to float32): folded, as the kernels
    // want float weights (the frontend leaves constant ones to the rules).
    if (out_bytes > std::max<int64_t>(1 << 20, 2 * in_bytes) && op->type != "DequantizeLinear") return false;
    std::vector<Tensor> results = ops::evaluate_constants(*op);
    std::vector<ir::Variable*> outputs = op->outputs;
    graph.remove_operator(op);
    for (size_t i = 0; i < outputs.size(); i++) {
      outputs[i]->order = {};
      outputs[i]->set_shape(results[i].shape);  // constants are stored in logical order
      outputs[i]->data = std::move(results[i]);
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> constant_folding() { return std::make_unique<ConstantFolding>(); }

}  // namespace webdnn::optimizer::rules
