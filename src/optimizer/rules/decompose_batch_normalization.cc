// Matches: BatchNormalization (inference) whose scale, bias, mean and variance are constants.
// Rewrites: x * s + t, with s = scale / sqrt(var + epsilon) and t = bias - mean * s shaped
// [C,1,...,1] so they broadcast along the channel axis. The affine rules then fold them into a
// neighbouring Conv / Gemm or merge them with other elementwise operators.
#include <cmath>

#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class DecomposeBatchNormalization : public Rule {
 public:
  const char* name() const override { return "decompose_batch_normalization"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->type != "BatchNormalization") return false;
    for (size_t i = 1; i < 5; i++)
      if (!op->inputs[i]->is_constant()) return false;
    ir::Variable* x = op->inputs[0];
    std::vector<float> scale = op->inputs[1]->logical_data().to_floats(), bias = op->inputs[2]->logical_data().to_floats(),
                       mean = op->inputs[3]->logical_data().to_floats(), var = op->inputs[4]->logical_data().to_floats();
    double epsilon = params::Normalization::parse(op->params).epsilon;
    size_t channels = scale.size();
    std::vector<float> s(channels), t(channels);
    for (size_t c = 0; c < channels; c++) {
      double k = scale[c] / std::sqrt(static_cast<double>(var[c]) + epsilon);
      s[c] = static_cast<float>(k);
      t[c] = static_cast<float>(bias[c] - mean[c] * k);
    }
    Shape shape(static_cast<size_t>(x->rank() - 1), 1);  // [C,1,...,1]
    shape[0] = static_cast<int64_t>(channels);
    ir::Variable* sv = add_constant(graph, op->inputs[1]->name + ":scale", Tensor::from_floats(shape, s));
    ir::Variable* tv = add_constant(graph, op->inputs[2]->name + ":shift", Tensor::from_floats(shape, t));
    ir::Variable* scaled = graph.add_operator("Mul", op->name + ":scale", Json::object(), {x, sv})->output();
    recreate(graph, op, "Add", Json::object(), {scaled, tv});
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> decompose_batch_normalization() { return std::make_unique<DecomposeBatchNormalization>(); }

}  // namespace webdnn::optimizer::rules
