// Matches: DequantizeLinear reading the output of a QuantizeLinear with the same scale and zero
// point (the same variables, or constants of the same values): the pair QDQ models put around
// every activation.
// Rewrites: the DequantizeLinear into one float32 -> float32 FusedElementwise computing both (the
// value rounded onto the quantization grid), reading the QuantizeLinear's input; the
// QuantizeLinear goes when nothing else reads it. Being float to float, it then fuses with its
// neighbours and into the epilogue of the Conv or MatMul before it. The numbers are those of the
// pair: the quantized value is an integer, exact in float32.
#include "src/ops/quantize.h"
#include "src/optimizer/fusion.h"
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class FuseQuantizeDequantize : public Rule {
 public:
  const char* name() const override { return "fuse_quantize_dequantize"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->type != "DequantizeLinear") return false;
    ir::Operator* q = quantize_of_pair(*op);
    if (!q) return false;
    params::Reader r(q->params);
    const double lo = r.number("min"), hi = r.number("max");
    Expr e;
    int x = e.input(0), scale = e.input(1);
    ir::Variable* z = q->inputs[2];
    if (z->is_constant() && z->size() == 1) {
      // (round(clamp(x / s, lo - z, hi - z)) + z - z) * s: the zero point cancels exactly (small
      // integers in float), and the clamp's bounds are numbers: 4 steps per element (f32 is free).
      double zp = z->data->as_double(0);
      int t = e.unary(ExprOp::F32, e.binary(ExprOp::Div, x, scale));
      t = e.clamp(t, e.constant(lo - zp), e.constant(hi - zp));
      e.unary(ExprOp::F32, e.binary(ExprOp::Mul, e.unary(ExprOp::Round, t), scale));
    } else {
      int zero = e.input(2);
      ops::dequantize(e, ops::quantize(e, x, scale, zero, lo, hi), scale, zero);
    }
    // One-value scales and zero points go into the expression; a constant zero point per channel
    // becomes float32 (its integers are exact there), so that the operator reads floats only.
    std::vector<ir::Variable*> inputs = q->inputs;
    ir::Variable*& per_channel = inputs[2];
    if (per_channel->is_constant() && per_channel->size() > 1 && per_channel->dtype != DType::Float32)
      per_channel = add_constant(graph, per_channel->name + ":float", per_channel->logical_data().cast(DType::Float32));
    Fusion f;
    f.add(e, inputs, {});
    Json params = {{"expr", f.expr.to_json()}, {"to", "float32"}, {"shape", params::dims_json(op->outputs[0]->dims)}};
    recreate(graph, op, "FusedElementwise", params, f.inputs);
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> fuse_quantize_dequantize() { return std::make_unique<FuseQuantizeDequantize>(); }

}  // namespace webdnn::optimizer::rules
