// Elementwise operators (fused or not): one invocation per output element; each input read at
// its broadcast position; the expression inline.
#include "backends/webgpu/generator/kernels/kernels.h"
#include "src/ops/schema.h"

namespace webdnn::backends::webgpu {
namespace {

void elementwise(const ir::Operator& op, Program& program) {
  const ir::Variable* y = op.outputs[0];
  std::string body = coordinates(y->shape, "i", "c");
  std::vector<std::string> inputs;
  for (const ir::Variable* x : op.inputs)
    inputs.push_back(program.read(x, x->shape == y->shape ? "i" : broadcast_index(x->shape, y->shape, "c")));
  Expr e = ops::schema_of(op.type).expr(op);
  std::string result = expression(e, inputs, "e", body);
  // Results stored as f32 whatever the dtype; integer and bool outputs are rounded as a cast would.
  std::string value = result;
  if (y->dtype == DType::Bool) value = "select(0.0, 1.0, " + result + " != 0.0)";
  else if (y->dtype != DType::Float32) value = "trunc(" + result + ")";
  body += "  " + program.write(y, "i") + " = " + value + ";\n";
  program.dispatch(op, body, y->size(), kWorkgroup, expression_helpers());
}

}  // namespace

WEBDNN_WGSL_KERNEL(elementwise, "Identity", "Cast", "Expand", "Abs", "Neg", "Exp", "Log", "Sqrt", "Sin", "Cos", "Tanh", "Erf",
                   "Floor", "Ceil", "Round", "Sign", "Sigmoid", "IsNaN", "Not", "Reciprocal", "Relu", "LeakyRelu",
                   "PRelu", "Elu", "Selu", "HardSigmoid", "HardSwish", "Softplus", "Gelu", "Clip", "Add", "Sub", "Mul",
                   "Div", "Pow", "Sum", "Max", "Min", "Mod", "Equal", "Less", "Greater", "And", "Or", "Where",
                     "FusedElementwise");

}  // namespace webdnn::backends::webgpu
