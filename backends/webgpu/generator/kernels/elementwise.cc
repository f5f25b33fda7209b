// Elementwise operators (fused or not): one invocation per output element; each input read at
// its broadcast position; the expression inline.
#include "backends/webgpu/generator/kernels/kernels.h"
#include "src/ops/schema.h"

namespace webdnn::backends::webgpu {
namespace {

void elementwise(const ir::Operator& op, Program& program) {
  const ir::Variable* y = op.outputs[0];
  Expr e = ops::schema_of(op.type).expr(op);
  std::vector<bool> used(op.inputs.size(), false);
  for (const ExprNode& n : e.nodes)
    if (n.op == ExprOp::Input) used.at(static_cast<size_t>(n.value)) = true;
  if (op.type == "Identity" || op.type == "Cast" || op.type == "Expand") {
    // A copy onto itself (an in-place handover) needs no kernel when no value changes.
    const ir::Variable* x = op.inputs[0];
    bool same_values = x->shape == y->shape && (op.type != "Cast" || y->dtype == DType::Float32 || x->dtype == y->dtype);
    if (same_values && program.same_memory(x, y)) return;
  }
  std::vector<Operand> xs(op.inputs.size());
  bool broadcast = false;
  for (size_t k = 0; k < op.inputs.size(); k++)
    if (used[k]) {
      xs[k] = program.input("x" + std::to_string(k), op.inputs[k]);
      broadcast |= xs[k].shape() != y->shape;
    }
  std::string body = broadcast ? coordinates(y->shape, "i", "c") : "";
  std::vector<std::string> inputs;
  for (const Operand& x : xs) inputs.push_back(x.variable ? x.broadcast(y->shape, "i", "c") : "0.0");
  std::string result = expression(e, inputs, "e", body);
  // Results stored as f32 whatever the dtype (set_y rounds integer and bool outputs as a cast would).
  body += program.output("y", y).set("i", result) + "\n";
  program.dispatch(op, body, y->size(), workgroup_for(y->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(elementwise, "Identity", "Cast", "Expand", "Abs", "Neg", "Exp", "Log", "Sqrt", "Sin", "Cos", "Tanh", "Erf",
                   "Floor", "Ceil", "Round", "Sign", "Sigmoid", "IsNaN", "Not", "Reciprocal", "Relu", "LeakyRelu",
                   "PRelu", "Elu", "Selu", "HardSigmoid", "HardSwish", "Softplus", "Gelu", "Clip", "Add", "Sub", "Mul",
                   "Div", "Pow", "Sum", "Max", "Min", "Mod", "Equal", "Less", "Greater", "And", "Or", "Where",
                   "Mish", "Celu", "ThresholdedRelu", "Shrink", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
                   "QuantizeLinear", "DequantizeLinear", "FusedElementwise");

}  // namespace webdnn::backends::webgpu
