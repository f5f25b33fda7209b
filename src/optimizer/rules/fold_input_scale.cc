// Matches: an operator that reads its input linearly per channel (Traits::input_scale: Conv
// without groups, Gemm, MatMul) with a constant weight, where that input is x * s, s varying
// along the channel axis only, and the product is read only here.
// Rewrites: the weight scaled by s along its input-channel axis, reading x directly. (A shift
// before a Conv does not fold the same way: zero padding would turn into the shift.)
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class FoldInputScale : public Rule {
 public:
  const char* name() const override { return "fold_input_scale"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    ops::Traits::InputScale is = ops::traits_of(*op).input_scale;
    if (is.weight_input < 0 || op->params.contains("epilogue")) return false;
    ir::Variable *scaled = op->inputs[0], *w = op->inputs[is.weight_input];
    ir::Operator* mul = scaled->producer;
    if (!w->is_constant() || !mul || binary_form(*mul) != ExprOp::Mul || !single_use(graph, scaled)) return false;
    ir::Variable *x = mul->inputs[0], *s = mul->inputs[1];
    if (x->is_constant()) std::swap(x, s);
    if (x->is_constant() || !s->is_constant() || !identical(x->dims, scaled->dims)) return false;
    if (!x->dims[is.input_axis].is_constant()) return false;  // the scale folds per channel
    int64_t channels = x->shape[is.input_axis];
    int offset = x->rank() - s->rank();
    for (int a = 0; a < s->rank(); a++)
      if (s->shape[a] != 1 && a + offset != is.input_axis) return false;
    std::vector<float> values = s->logical_data().to_floats();
    if (values.size() == 1) values.assign(channels, values[0]);
    Tensor data = w->logical_data();
    Shape strides = contiguous_strides(data.shape);
    float* d = data.data<float>();
    for (int64_t i = 0; i < data.size(); i++) d[i] *= values[(i / strides[is.weight_axis]) % data.shape[is.weight_axis]];
    std::vector<ir::Variable*> inputs = op->inputs;
    inputs[0] = x;
    inputs[is.weight_input] = add_constant(graph, w->name, std::move(data));
    recreate(graph, op, op->type, op->params, inputs);
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> fold_input_scale() { return std::make_unique<FoldInputScale>(); }

}  // namespace webdnn::optimizer::rules
