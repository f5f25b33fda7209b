// Matches: an elementwise operator (bias, activation, residual add, clip, or a fused chain of
// them) reading the output of an operator that takes an epilogue (Conv, ConvTranspose, Gemm,
// MatMul), of the same shape, that nothing else reads.
// Rewrites: the producer computes the elementwise expression itself as its epilogue, writing
// the consumer's output; the consumer's other inputs become the producer's extra inputs.
#include <algorithm>

#include "src/optimizer/fusion.h"
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class FuseEpilogue : public Rule {
 public:
  const char* name() const override { return "fuse_epilogue"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (!fusible_elementwise(*op)) return false;
    ir::Variable* out = op->outputs[0];
    for (ir::Variable* y : op->inputs) {
      ir::Operator* producer = y->producer;
      if (!producer || !single_use(graph, y) || !identical(y->dims, out->dims) || y->dtype != DType::Float32) continue;
      ops::Traits t = ops::traits_of(*producer);
      if (t.epilogue_inputs < 0) continue;
      size_t core = ops::core_inputs(*producer, t.epilogue_inputs);
      std::vector<ir::Variable*> inputs(producer->inputs.begin(), producer->inputs.begin() + static_cast<long>(core));
      if (!complete_core_inputs(graph, *producer, t, inputs)) continue;
      // x0 is the value the producer computed; its current epilogue (if any) applies first.
      Fusion f(1);
      int value = f.expr.input(0);
      params::Epilogue epilogue = params::Epilogue::parse(params::Reader(producer->params));
      if (epilogue.expr) {
        std::vector<ir::Variable*> vars = {nullptr};
        vars.insert(vars.end(), producer->inputs.begin() + static_cast<long>(core), producer->inputs.end());
        value = f.add(*epilogue.expr, vars, {});
      }
      f.add_operator(*op, {{y, value}});
      // The epilogue kernels read their extra inputs as float32 (an attention mask's bool is not).
      bool floats = std::all_of(f.inputs.begin(), f.inputs.end(), [](const ir::Variable* v) {
        return v->dtype == DType::Float32;
      });
      if (f.num_inputs() > kMaxFusedInputs || !floats || out->dtype != DType::Float32) continue;
      Json merged = producer->params;
      params::Epilogue{f.expr}.write(merged);
      inputs.insert(inputs.end(), f.inputs.begin(), f.inputs.end());
      std::string type = producer->type, name = producer->name;
      graph.remove_operator(op);
      graph.remove_operator(producer);
      graph.add_operator(type, name, merged, inputs, {out});
      return true;
    }
    return false;
  }

 private:
  // An epilogue needs every regular input present; a missing bias is a zero one.
  static bool complete_core_inputs(ir::Graph& graph, const ir::Operator& producer, const ops::Traits& t,
                                   std::vector<ir::Variable*>& inputs) {
    while (static_cast<int>(inputs.size()) < t.epilogue_inputs) {
      if (static_cast<int>(inputs.size()) != t.channel_affine.bias_input) return false;
      if (!producer.outputs[0]->dims[t.channel_affine.output_axis].is_constant()) return false;
      int64_t channels = producer.outputs[0]->shape[t.channel_affine.output_axis];
      inputs.push_back(add_constant(graph, producer.name + ":bias", Tensor(DType::Float32, {channels})));
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> fuse_epilogue() { return std::make_unique<FuseEpilogue>(); }

}  // namespace webdnn::optimizer::rules
