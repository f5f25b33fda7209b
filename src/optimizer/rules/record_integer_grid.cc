// Matches: DequantizeLinear of a constant weight that only a Conv, MatMul or Gemm reads, as its
// weight (Traits::channel_affine), the product's input being DequantizeLinear(QuantizeLinear(x)) with one scale: a QDQ
// model's quantized product, seen before constant folding turns the weight into floats and
// forgets its scales.
// Rewrites: the product reads the dequantized weight as a constant (the same values) and records
// both grids (params::IntegerGrid): its input values are multiples of the activation's scale
// (within the range its QuantizeLinear allows), output channel (column) m's weights multiples of
// that channel's scale. A backend with integer kernels then computes the product exactly, in
// integers, as onnxruntime does (wasm, webgpu); the others ignore it.
#include <cmath>
#include <tuple>

#include "src/ops/evaluate.h"
#include "src/ops/schema.h"
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

// The range of the multiples of that scale that such an input holds, [min - z, max - z] of its
// QuantizeLinear (one constant zero point z); {0, 0} where unknown.
std::pair<int64_t, int64_t> activation_range(const ir::Variable* x) {
  const ir::Operator* q = x->producer ? quantize_of_pair(*x->producer) : nullptr;
  if (!q || !q->params.contains("min") || !q->params.contains("max")) return {0, 0};
  const ir::Variable* z = q->inputs[2];
  if (!z->is_constant() || z->size() != 1) return {0, 0};
  const double zero = z->logical_data().as_double(0), lo = q->params["min"].get<double>(), hi = q->params["max"].get<double>();
  if (lo != std::floor(lo) || hi != std::floor(hi) || zero != std::floor(zero) || std::abs(lo) > 65536 || std::abs(hi) > 65536)
    return {0, 0};
  return {static_cast<int64_t>(lo - zero), static_cast<int64_t>(hi - zero)};
}

// The axis of weight `w` that runs along the product's output channels (Traits::channel_affine),
// -1 unless `op` is linear in `w` as its input 1 and reads input 0 linearly (Traits::input_scale),
// a variable times a weight: Conv, MatMul by a 2-D constant, Gemm.
int channel_axis(const ir::Operator& op, const ir::Variable* w) {
  if (op.inputs.size() < 2 || op.inputs[1] != w || op.inputs[0] == w) return -1;
  const ops::Traits t = ops::traits_of(op);
  return t.channel_affine.weight_input == 1 && t.input_scale.weight_input == 1 ? t.channel_affine.weight_axis : -1;
}

class RecordIntegerGrid : public Rule {
 public:
  const char* name() const override { return "record_integer_grid"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->type != "DequantizeLinear" || op->inputs.size() < 2) return false;
    for (const ir::Variable* v : op->inputs)
      if (!v->is_constant()) return false;
    ir::Variable* w = op->outputs[0];
    if (w->consumers.size() != 1 || is_graph_output(graph, w)) return false;
    ir::Operator* product = w->consumers[0];
    const int axis = channel_axis(*product, w);
    if (axis < 0) return false;
    params::IntegerGrid grid = params::IntegerGrid::parse(product->params);
    const double x_scale = activation_scale(product->inputs[0]);
    if (grid.x_scale > 0 || x_scale <= 0) return false;
    // One scale, or one per output channel (the frontend shaped it to broadcast: 1 on the other axes).
    const int64_t M = w->shape[axis];
    Tensor scales = op->inputs[1]->logical_data();
    if (scales.size() != 1) {
      Shape per_channel(static_cast<size_t>(w->rank()), 1);
      per_channel[static_cast<size_t>(axis)] = M;
      Shape padded(static_cast<size_t>(w->rank()) - std::min<size_t>(scales.shape.size(), w->rank()), 1);
      padded.insert(padded.end(), scales.shape.begin(), scales.shape.end());
      if (padded != per_channel) return false;
    }
    Tensor folded = std::move(ops::evaluate_constants(*op)[0]);
    grid.x_scale = x_scale;
    std::tie(grid.x_min, grid.x_max) = activation_range(product->inputs[0]);
    if (!grid.has_range()) grid.x_min = grid.x_max = 0;
    for (int64_t m = 0; m < M; m++) grid.w_scales.push_back(scales.as_double(scales.size() == 1 ? 0 : m));
    Json params = product->params;
    grid.write(params);
    std::vector<ir::Variable*> inputs = product->inputs;
    inputs[1] = add_constant(graph, w->name, std::move(folded));
    recreate(graph, product, product->type, params, inputs);
    graph.remove_operator(op);
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> record_integer_grid() { return std::make_unique<RecordIntegerGrid>(); }

}  // namespace webdnn::optimizer::rules
