// Elementwise operators (fused or not), texel by texel: four elements per fragment and output,
// each input read as one texel where its layout matches the output's (four elements otherwise),
// the expression inline on vec4. Reshape and Relayout: a shared texture where the elements stay
// in place, a copy otherwise.
#include "backends/webgl/generator/kernels/kernels.h"
#include "src/ops/schema.h"

namespace webdnn::backends::webgl {
namespace {

bool same_layout(const Layout& a, const Layout& b) {
  if (a.shape != b.shape || a.packed != b.packed || a.layers != b.layers || a.width != b.width || a.dims.size() != b.dims.size())
    return false;
  for (size_t i = 0; i < a.dims.size(); i++)
    if (a.dims[i].axis != b.dims[i].axis || a.dims[i].extent != b.dims[i].extent) return false;
  return true;
}

void elementwise(const ir::Operator& op, Program& p) {
  const ir::Variable* y = op.outputs[0];
  int out = p.var(y);
  if (y->size() == 0) return;
  texel_kernel(op, p, out, [&](Kernel& k) {
    std::string code;
    Coords oc = k.out_coords();
    int packed = k.out_layout().packed;
    std::vector<std::string> args;
    for (size_t i = 0; i < op.inputs.size(); i++) {
      int v = p.var(op.inputs[i]);
      const Layout& l = p.at(v).layout;
      std::string a = "a" + std::to_string(i);
      if (same_layout(l, k.out_layout())) {
        code += "  vec4 " + a + " = " + k.texel(v, "t") + ";\n";
      } else {
        int axis = packed < 0 ? -1 : packed - (k.out_layout().rank() - l.rank());
        code += "  vec4 " + a + " = " + k.vec4_along(v, k.broadcast(v, oc), axis) + ";\n";
      }
      args.push_back(a);
    }
    Expr e = ops::schema_of(op.type).expr(op);
    std::string r = glsl_expression(e, args, "e", code, k);
    return code + "  vec4 r = " + glsl_store(r, y->dtype) + ";\n";
  });
}

// Output coordinates -> row-major flat index -> input coordinates; one element each.
void copy_reshaped(const ir::Operator& op, Program& p, int x, int y) {
  element_kernel(op, p, y, [&](Kernel& k) {
    const Shape& ys = p.at(y).layout.shape;
    const Shape& xs = p.at(x).layout.shape;
    Shape ystr = contiguous_strides(ys), xstr = contiguous_strides(xs);
    std::string code = "  int i = 0";
    for (size_t a = 0; a < ys.size(); a++)
      if (ys[a] > 1) code += " + c" + std::to_string(a) + " * " + glsl_int(ystr[a]);
    code += ";\n";
    Coords xc;
    for (size_t a = 0; a < xs.size(); a++) {
      if (xs[a] == 1) {
        xc.push_back("0");
        continue;
      }
      std::string c = "x" + std::to_string(a);
      code += "  int " + c + " = (i / " + glsl_int(xstr[a]) + ") % " + glsl_int(xs[a]) + ";\n";
      xc.push_back(c);
    }
    return code + "  v = " + k.element(x, xc) + ";\n";
  });
}

void reshape(const ir::Operator& op, Program& p) {
  int x = p.var(op.inputs[0]), y = p.var(op.outputs[0]);
  if (op.outputs[0]->size() == 0) return;
  if (p.at(x).layout.same_placement(p.at(y).layout) && !p.is_output(op.outputs[0])) {
    p.make_alias(y, x);
    return;
  }
  copy_reshaped(op, p, x, y);
}

// The same tensor in another layout (layout selection is not used here, but the operator may come
// from elsewhere).
void relayout(const ir::Operator& op, Program& p) {
  int x = p.var(op.inputs[0]), y = p.var(op.outputs[0]);
  if (op.outputs[0]->size() == 0) return;
  texel_kernel(op, p, y, [&](Kernel& k) { return "  vec4 r = " + k.vec4_along(x, k.out_coords(), k.out_layout().packed) + ";\n"; });
}

}  // namespace

WEBDNN_GLSL_KERNEL(elementwise, nullptr, "Identity", "Cast", "Expand", "Abs", "Neg", "Exp", "Log", "Sqrt", "Sin", "Cos", "Tanh",
                   "Erf", "Floor", "Ceil", "Round", "Sign", "Sigmoid", "IsNaN", "Not", "Reciprocal", "Relu", "LeakyRelu",
                   "PRelu", "Elu", "Selu", "HardSigmoid", "HardSwish", "Softplus", "Gelu", "Clip", "Add", "Sub", "Mul", "Div",
                   "Pow", "Sum", "Max", "Min", "Mod", "Equal", "Less", "Greater", "And", "Or", "Where",
                   "Mish", "Celu", "ThresholdedRelu", "Shrink", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "QuantizeLinear",
                   "DequantizeLinear", "FusedElementwise");
WEBDNN_GLSL_KERNEL(reshape, nullptr, "Reshape");
WEBDNN_GLSL_KERNEL(relayout, nullptr, "Relayout");

}  // namespace webdnn::backends::webgl
