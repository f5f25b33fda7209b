#include <map>
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {
std::map<std::string, Generator>& generators() {
  static std::map<std::string, Generator> g;
  return g;
}
}  // namespace

void register_generator(const char* type, Generator generator) { generators()[type] = generator; }

Generator find_generator(const std::string& type) {
  auto it = generators().find(type);
  return it == generators().end() ? nullptr : it->second;
}

std::string u32(int64_t v) { return std::to_string(v) + "u"; }
std::string i32(int64_t v) { return std::to_string(v) + "i"; }

Shape strides_of(const Shape& shape) { return contiguous_strides(shape); }

int workgroup_for(int64_t threads) {
  if (threads >= 64 * 256) return 256;
  if (threads >= 64 * 16) return 64;
  return 32;
}

std::string cast_value(DType dtype, const std::string& x) {
  if (dtype == DType::Bool) return "select(0.0, 1.0, " + x + " != 0.0)";
  if (dtype != DType::Float32) return "trunc(" + x + ")";
  return x;
}

std::string nan_helpers() {
  return R"(fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn max_n(a: f32, b: f32) -> f32 { return select(a, b, is_nan(b) | (b > a)); }
fn min_n(a: f32, b: f32) -> f32 { return select(a, b, is_nan(b) | (b < a)); }
)";
}

std::string store_function(const ir::Operator& op, size_t first_extra, Program& program, const std::string& name) {
  const ir::Variable* y = op.outputs[0];
  std::string body;
  std::string result = "x";
  if (op.params.contains("epilogue")) {
    Expr e = Expr::from_json(op.params.at("epilogue"));
    std::vector<bool> used(op.inputs.size() + 1, false);
    for (const ExprNode& n : e.nodes)
      if (n.op == ExprOp::Input) used.at(static_cast<size_t>(n.value)) = true;
    bool need_coordinates = false;
    for (size_t k = 1; k < used.size(); k++)
      if (used[k] && first_extra + k - 1 < op.inputs.size() && op.inputs[first_extra + k - 1]->shape != y->shape)
        need_coordinates = true;
    if (need_coordinates) body += coordinates(y->shape, "i", "c");
    std::vector<std::string> inputs = {"x"};
    for (size_t k = 1; k < used.size(); k++) {
      if (!used[k] || first_extra + k - 1 >= op.inputs.size()) {
        inputs.push_back("0.0");
        continue;
      }
      const ir::Variable* x = op.inputs[first_extra + k - 1];
      inputs.push_back(program.read(x, x->shape == y->shape ? "i" : broadcast_index(x->shape, y->shape, "c")));
    }
    result = expression(e, inputs, "e", body);
  }
  body += "  " + program.write(y, "i") + " = " + cast_value(y->dtype, result) + ";\n";
  return "fn " + name + "(i: u32, x: f32) {\n" + body + "}\n";
}

std::string coordinates(const Shape& shape, const std::string& index, const std::string& prefix) {
  std::ostringstream s;
  Shape strides = contiguous_strides(shape);
  for (size_t d = 0; d < shape.size(); d++) {
    s << "  let " << prefix << d << " = ";
    if (d == 0) s << index << " / " << u32(strides[d]);
    else s << "(" << index << " / " << u32(strides[d]) << ") % " << u32(shape[d]);
    s << ";\n";
  }
  return s.str();
}

std::string broadcast_index(const Shape& shape, const Shape& target, const std::string& prefix) {
  Shape strides = contiguous_strides(shape);
  size_t offset = target.size() - shape.size();
  std::string s;
  for (size_t d = 0; d < shape.size(); d++) {
    if (shape[d] == 1) continue;
    s += (s.empty() ? "" : " + ") + prefix + std::to_string(offset + d) + " * " + u32(strides[d]);
  }
  return s.empty() ? "0u" : s;
}

std::string expression_helpers() {
  // erf: Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7); pow: integer exponents of negative bases.
  return R"(fn erf_f(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.3275911 * abs(x));
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
  return select(-y, y, x >= 0.0);
}
fn pow_f(a: f32, b: f32) -> f32 {
  let m = pow(abs(a), b);
  if (a >= 0.0) { return m; }
  if (fract(b) != 0.0) { return bitcast<f32>(k_nan); }
  return select(m, -m, fract(b * 0.5) != 0.0);
}
)";
}

std::string expression(const Expr& e, const std::vector<std::string>& inputs, const std::string& prefix, std::string& code) {
  std::ostringstream s;
  auto v = [&](int node) { return prefix + std::to_string(node); };
  for (size_t i = 0; i < e.nodes.size(); i++) {
    const ExprNode& n = e.nodes[i];
    std::string a = n.args[0] >= 0 ? v(n.args[0]) : "", b = n.args[1] >= 0 ? v(n.args[1]) : "",
                c = n.args[2] >= 0 ? v(n.args[2]) : "";
    std::string r;
    switch (n.op) {
      case ExprOp::Input: r = inputs.at(static_cast<size_t>(n.value)); break;
      case ExprOp::Const: r = f32(n.value); break;
      case ExprOp::Neg: r = "-" + a; break;
      case ExprOp::Abs: r = "abs(" + a + ")"; break;
      case ExprOp::Exp: r = "exp(" + a + ")"; break;
      case ExprOp::Log: r = "log(" + a + ")"; break;
      case ExprOp::Sqrt: r = "sqrt(" + a + ")"; break;
      case ExprOp::Sin: r = "sin(" + a + ")"; break;
      case ExprOp::Cos: r = "cos(" + a + ")"; break;
      case ExprOp::Tanh: r = "tanh(clamp(" + a + ", -15.0, 15.0))"; break;  // exp overflow otherwise
      case ExprOp::Erf: r = "erf_f(" + a + ")"; break;
      case ExprOp::Floor: r = "floor(" + a + ")"; break;
      case ExprOp::Ceil: r = "ceil(" + a + ")"; break;
      case ExprOp::Round: r = "round(" + a + ")"; break;
      case ExprOp::Sign: r = "sign(" + a + ")"; break;
      case ExprOp::IsNaN: r = "select(0.0, 1.0, (bitcast<u32>(" + a + ") & 0x7fffffffu) > 0x7f800000u)"; break;
      case ExprOp::Not: r = "select(0.0, 1.0, " + a + " == 0.0)"; break;
      case ExprOp::Sigmoid: r = "1.0 / (1.0 + exp(-" + a + "))"; break;
      case ExprOp::Add: r = a + " + " + b; break;
      case ExprOp::Sub: r = a + " - " + b; break;
      case ExprOp::Mul: r = a + " * " + b; break;
      case ExprOp::Div: r = a + " / " + b; break;
      case ExprOp::Pow: r = "pow_f(" + a + ", " + b + ")"; break;
      case ExprOp::Max: r = "max(" + a + ", " + b + ")"; break;
      case ExprOp::Min: r = "min(" + a + ", " + b + ")"; break;
      case ExprOp::Mod: r = a + " - " + b + " * floor(" + a + " / " + b + ")"; break;
      case ExprOp::FMod: r = a + " - " + b + " * trunc(" + a + " / " + b + ")"; break;
      case ExprOp::Eq: r = "select(0.0, 1.0, " + a + " == " + b + ")"; break;
      case ExprOp::Lt: r = "select(0.0, 1.0, " + a + " < " + b + ")"; break;
      case ExprOp::Gt: r = "select(0.0, 1.0, " + a + " > " + b + ")"; break;
      case ExprOp::And: r = "select(0.0, 1.0, (" + a + " != 0.0) & (" + b + " != 0.0))"; break;
      case ExprOp::Or: r = "select(0.0, 1.0, (" + a + " != 0.0) | (" + b + " != 0.0))"; break;
      case ExprOp::Select: r = "select(" + c + ", " + b + ", " + a + " != 0.0)"; break;
    }
    s << "  let " << v(static_cast<int>(i)) << " = " << r << ";\n";
  }
  code += s.str();
  return v(e.result());
}

}  // namespace webdnn::backends::webgpu
