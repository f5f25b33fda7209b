// For the wasm backend, whose integer convolution reads float images of whole numbers.
// Matches: ConvInteger of an 8-bit image by a constant weight with constant zero points (a
// dynamically quantized CNN's, or QLinearConv's as the frontend writes it), whose every sum is a
// whole number below 2^24 in magnitude: exact in float32 whatever the order of the additions.
// Rewrites: into Conv of float32(x - x_zero_point) by float32(w - w_zero_point), its grids
// recorded as steps of 1 (params::IntegerGrid) so that the wasm lowering computes it in integers
// (wasm/kernels/conv_integer.cc), rounded and cast to int32. Zero padding is the zero point's place.
#include <cmath>

#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

class ConvIntegerOnGrid : public Rule {
 public:
  const char* name() const override { return "conv_integer_on_grid"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->type != "ConvInteger" || op->inputs.size() < 4) return false;
    ir::Variable *x = op->inputs[0], *w = op->inputs[1], *xz = op->inputs[2], *wz = op->inputs[3];
    if (!w->is_constant() || !xz || !xz->is_constant() || xz->size() != 1 || !wz || !wz->is_constant()) return false;
    // The largest |x - x_zero_point| times each output channel's sum of |w - w_zero_point|. x is
    // 8-bit (ONNX's ConvInteger takes no other), though the IR may hold it as int64, its
    // signedness then unknown: -128..255.
    const double lo = x->dtype == DType::UInt8 ? 0 : -128, hi = x->dtype == DType::Int8 ? 127 : 255;
    const double zero = xz->logical_data().as_double(0), largest = std::max(zero - lo, hi - zero);
    const Tensor wt = w->logical_data(), zt = wz->logical_data();
    const int64_t M = wt.shape[0], per = M ? wt.size() / M : 0;
    if (zt.size() != 1 && zt.size() != M) return false;
    for (int64_t m = 0; m < M; m++) {
      double sum = 0;
      for (int64_t i = 0; i < per; i++) sum += std::fabs(wt.as_double(m * per + i) - zt.as_double(zt.size() == 1 ? 0 : m));
      if (sum * largest >= 16777216.0) return false;
    }
    ir::Variable* xf = less_zero_point(graph, op->name + ":x", x, xz, 1);
    ir::Variable* wf = less_zero_point(graph, op->name + ":w", w, wz, 0);
    Json p = op->params;
    params::IntegerGrid{1.0, std::vector<double>(static_cast<size_t>(M), 1.0)}.write(p);
    ir::Variable* y = graph.add_operator("Conv", op->name + ":float", p, {xf, wf})->output();
    // Whole numbers already; the rounding keeps a float algorithm's last-bit error (Winograd's,
    // for a grouped convolution) from truncating to the integer below.
    Expr e;
    e.unary(ExprOp::Round, e.input(0));
    ir::Variable* rounded = graph.add_operator("FusedElementwise", op->name + ":round", {{"expr", e.to_json()}, {"to", "float32"}}, {y})->output();
    recreate(graph, op, "Cast", {{"to", "int32"}}, {rounded});
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> conv_integer_on_grid() { return std::make_unique<ConvIntegerOnGrid>(); }

}  // namespace webdnn::optimizer::rules
