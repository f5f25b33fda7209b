// Matches: y * s or y + t, where y is the output of an operator that is linear per output channel
// in a constant weight (Traits::channel_affine: Conv, ConvTranspose, Gemm, MatMul), read only
// here, and the constant varies along that channel axis only.
// Rewrites: the weight (and bias) scaled by s, or t added to the bias, and the Mul / Add gone.
// This is how BatchNormalization and other channel-wise affine steps disappear into a Conv.
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

// The constant's value for each of `channels` channels along output axis `axis`, if it varies
// along no other axis.
std::optional<std::vector<float>> per_channel(const ir::Variable& c, const ir::Variable& out, int axis, int64_t channels) {
  int offset = out.rank() - c.rank();
  if (offset < 0) return std::nullopt;
  for (int a = 0; a < c.rank(); a++)
    if (c.shape[a] != 1 && a + offset != axis) return std::nullopt;
  std::vector<float> v = c.logical_data().to_floats();
  if (v.size() == 1) return std::vector<float>(channels, v[0]);
  if (static_cast<int64_t>(v.size()) != channels) return std::nullopt;
  return v;
}

// w with slice k along `axis` multiplied by s[k].
Tensor scale_along(Tensor w, int axis, const std::vector<float>& s) {
  Shape strides = contiguous_strides(w.shape);
  float* d = w.data<float>();
  for (int64_t i = 0; i < w.size(); i++) d[i] *= s[(i / strides[axis]) % w.shape[axis]];
  return w;
}

class FoldChannelAffine : public Rule {
 public:
  const char* name() const override { return "fold_channel_affine"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    auto form = binary_form(*op);
    if (form != ExprOp::Mul && form != ExprOp::Add) return false;
    ir::Variable *y = op->inputs[0], *c = op->inputs[1];
    if (y->is_constant()) std::swap(y, c);
    ir::Operator* producer = y->producer;
    if (!c->is_constant() || !producer || !single_use(graph, y) || producer->params.contains("epilogue")) return false;
    ops::Traits::ChannelAffine ca = ops::traits_of(*producer).channel_affine;
    if (ca.weight_input < 0 || !producer->inputs[ca.weight_input]->is_constant()) return false;
    if (!identical(op->outputs[0]->dims, y->dims) || y->dtype != DType::Float32) return false;
    if (!y->dims[ca.output_axis].is_constant()) return false;  // per-channel constants need a number of channels
    int64_t channels = y->shape[ca.output_axis];
    auto values = per_channel(*c, *y, ca.output_axis, channels);
    if (!values) return false;
    bool scaling = form == ExprOp::Mul;
    Json params = producer->params;
    double beta = params.value("beta", 1.0);  // Gemm adds its bias (C) times beta
    std::vector<ir::Variable*> inputs = producer->inputs;
    ir::Variable* bias = ca.bias_input >= 0 && ca.bias_input < static_cast<int>(inputs.size()) ? inputs[ca.bias_input] : nullptr;
    if (bias && (!bias->is_constant() || bias->shape != Shape{channels})) return false;
    if (!scaling && (ca.bias_input < 0 || (bias && beta == 0))) return false;
    std::vector<float> b = bias ? bias->logical_data().to_floats() : std::vector<float>(channels, 0.0f);
    if (scaling) {
      ir::Variable* w = inputs[ca.weight_input];
      inputs[ca.weight_input] = add_constant(graph, w->name, scale_along(w->logical_data(), ca.weight_axis, *values));
      for (int64_t k = 0; k < channels; k++) b[k] *= (*values)[k];
    } else {
      if (!bias) beta = 1.0;  // a new bias is added once
      for (int64_t k = 0; k < channels; k++) b[k] += static_cast<float>((*values)[k] / beta);
    }
    if (bias || !scaling) {
      inputs.resize(std::max<size_t>(inputs.size(), static_cast<size_t>(ca.bias_input) + 1));
      inputs[ca.bias_input] = add_constant(graph, bias ? bias->name : producer->name + ":bias",
                                           Tensor::from_floats({channels}, b));
      if (!bias && params.contains("beta")) params["beta"] = 1.0;
    }
    // The producer now writes what the Mul / Add wrote.
    ir::Variable* out = op->outputs[0];
    std::string type = producer->type, name = producer->name;
    graph.remove_operator(op);
    graph.remove_operator(producer);
    graph.add_operator(type, name, params, inputs, {out});
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> fold_channel_affine() { return std::make_unique<FoldChannelAffine>(); }

}  // namespace webdnn::optimizer::rules
