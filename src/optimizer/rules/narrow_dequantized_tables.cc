// Matches: a Gather from a constant integer table whose values fit in 8 bits (the IR reads every
// ONNX integer initializer as int64), whose output only DequantizeLinear operators read: the
// embedding tables of dynamically quantized transformers (onnxruntime's quantize_dynamic gathers
// uint8 rows, then dequantizes them).
// Rewrites: the table as uint8 or int8, an eighth of the weights; the Gather then gives 8-bit
// values, which DequantizeLinear reads as well.
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class NarrowDequantizedTables : public Rule {
 public:
  const char* name() const override { return "narrow_dequantized_tables"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->type != "Gather" || !op->inputs[0]->is_constant() || op->inputs[0]->dtype != DType::Int64) return false;
    ir::Variable* y = op->outputs[0];
    if (y->consumers.empty() || is_graph_output(graph, y)) return false;
    for (const ir::Operator* c : y->consumers)
      if (c->type != "DequantizeLinear" || c->inputs[1] == y || c->inputs[2] == y) return false;
    Tensor table = op->inputs[0]->logical_data();
    int64_t lo = 0, hi = 0;
    for (int64_t i = 0; i < table.size(); i++) lo = std::min(lo, table.as_int(i)), hi = std::max(hi, table.as_int(i));
    DType narrow = lo >= 0 && hi <= 255 ? DType::UInt8 : lo >= -128 && hi <= 127 ? DType::Int8 : DType::Int64;
    if (narrow == DType::Int64) return false;
    ir::Variable* data = add_constant(graph, op->inputs[0]->name, table.cast(narrow));
    recreate(graph, op, "Gather", op->params, {data, op->inputs[1]});
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> narrow_dequantized_tables() { return std::make_unique<NarrowDequantizedTables>(); }

}  // namespace webdnn::optimizer::rules
