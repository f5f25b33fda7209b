// Matches: DequantizeLinear of a constant weight that only a Conv reads, as its weight, the
// Conv's input being DequantizeLinear(QuantizeLinear(x)) with one scale: a QDQ model's quantized
// convolution, seen before constant folding turns the weight into floats and forgets its scales.
// Rewrites: the Conv reads the dequantized weight as a constant (the same values) and records both
// grids (params::IntegerGrid): its input values are multiples of the activation's scale, output
// channel m's weights multiples of that channel's scale. A backend with integer kernels then
// computes the product exactly, in integers, as onnxruntime does (wasm); the others ignore it.
#include "src/ops/evaluate.h"
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

// The scale of an input computed as DequantizeLinear(QuantizeLinear(x, s, z), s, z) with one
// constant s; 0 for any other input.
double activation_scale(const ir::Variable* x) {
  const ir::Operator* dq = x->producer;
  if (!dq || !quantize_of_pair(*dq)) return 0;
  const ir::Variable* s = dq->inputs[1];
  return s->is_constant() && s->size() == 1 ? s->logical_data().as_double(0) : 0;
}

class RecordIntegerGrid : public Rule {
 public:
  const char* name() const override { return "record_integer_grid"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->type != "DequantizeLinear" || op->inputs.size() < 2) return false;
    for (const ir::Variable* v : op->inputs)
      if (!v->is_constant()) return false;
    ir::Variable* w = op->outputs[0];
    if (w->consumers.size() != 1 || is_graph_output(graph, w) || w->rank() != 4) return false;
    ir::Operator* conv = w->consumers[0];
    if (conv->type != "Conv" || conv->inputs.size() < 2 || conv->inputs[1] != w || conv->inputs[0] == w) return false;
    params::Conv p = params::Conv::parse(conv->params);
    const double x_scale = activation_scale(conv->inputs[0]);
    if (p.grid.x_scale > 0 || x_scale <= 0) return false;
    // One scale, or one per output channel (the frontend shaped it [M, 1, 1, 1] to broadcast).
    const int64_t M = w->shape[0];
    Tensor scales = op->inputs[1]->logical_data();
    if (scales.size() != 1 && scales.shape != Shape{M, 1, 1, 1}) return false;
    Tensor folded = std::move(ops::evaluate_constants(*op)[0]);
    p.grid.x_scale = x_scale;
    for (int64_t m = 0; m < M; m++) p.grid.w_scales.push_back(scales.as_double(scales.size() == 1 ? 0 : m));
    Json params = conv->params;
    p.grid.write(params);
    std::vector<ir::Variable*> inputs = conv->inputs;
    inputs[1] = add_constant(graph, w->name, std::move(folded));
    recreate(graph, conv, "Conv", params, inputs);
    graph.remove_operator(op);
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> record_integer_grid() { return std::make_unique<RecordIntegerGrid>(); }

}  // namespace webdnn::optimizer::rules
