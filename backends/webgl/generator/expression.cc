// Elementwise expressions (webdnn/expr.h) as GLSL on vec4: four elements of one texel at once.
#include <sstream>

#include "backends/webgl/generator/program.h"

namespace webdnn::backends::webgl {
namespace {

// erf: Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
const char* kErf = R"(vec4 erf_f(vec4 x) {
  vec4 t = 1.0 / (1.0 + 0.3275911 * abs(x));
  vec4 y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
  return mix(-y, y, greaterThanEqual(x, vec4(0.0)));
}
)";
// pow as the reference computes it: negative bases with whole exponents, x^0 = 1, 0^-y = inf.
const char* kPow = R"(vec4 pow_f(vec4 a, vec4 b) {
  vec4 m = pow(abs(a), b);
  m = mix(m, mix(vec4(0.0), vec4(uintBitsToFloat(0x7f800000u)), lessThan(b, vec4(0.0))), equal(a, vec4(0.0)));
  m = mix(m, vec4(1.0), equal(b, vec4(0.0)));
  vec4 signed_m = mix(m, -m, notEqual(fract(b * 0.5), vec4(0.0)));
  signed_m = mix(vec4(uintBitsToFloat(0x7fc00000u)), signed_m, equal(fract(b), vec4(0.0)));
  return mix(m, signed_m, lessThan(a, vec4(0.0)));
}
)";
// C's fmod (the sign of the dividend, |r| < |b|), corrected for the rounded division.
const char* kFmod = R"(vec4 fmod_f(vec4 a, vec4 b) {
  vec4 r = a - b * trunc(a / b);
  vec4 ab = abs(b);
  vec4 sa = mix(vec4(-1.0), vec4(1.0), greaterThanEqual(a, vec4(0.0)));
  r = mix(r, r + sa * ab, bvec4(uvec4(notEqual(r, vec4(0.0))) & uvec4(notEqual(sign(r), sa))));
  r = mix(r, r - sa * ab, greaterThanEqual(abs(r), ab));
  return r;
}
)";
// Integer division truncating toward zero, corrected for the rounded float division.
const char* kIdiv = R"(vec4 idiv_f(vec4 a, vec4 b) {
  vec4 q = trunc(a / b);
  vec4 r = a - q * b;
  vec4 s = sign(a) * sign(b);
  q = mix(q, q + s, greaterThanEqual(abs(r), abs(b)));
  q = mix(q, q - s, bvec4(uvec4(notEqual(r, vec4(0.0))) & uvec4(notEqual(sign(r), sign(a)))));
  return q;
}
)";

}  // namespace

std::string glsl_expression(const Expr& e, const std::vector<std::string>& inputs, const std::string& prefix, bool integer,
                            std::string& code, Kernel& kernel) {
  std::ostringstream s;
  auto v = [&](int node) { return prefix + std::to_string(node); };
  auto b4 = [](const std::string& cond) { return "vec4(" + cond + ")"; };
  for (size_t i = 0; i < e.nodes.size(); i++) {
    const ExprNode& n = e.nodes[i];
    std::string a = n.args[0] >= 0 ? v(n.args[0]) : "", b = n.args[1] >= 0 ? v(n.args[1]) : "",
                c = n.args[2] >= 0 ? v(n.args[2]) : "";
    std::string r;
    switch (n.op) {
      case ExprOp::Input: r = inputs.at(static_cast<size_t>(n.value)); break;
      case ExprOp::Const: r = "vec4(" + glsl_float(n.value) + ")"; break;
      case ExprOp::Neg: r = "-" + a; break;
      case ExprOp::Abs: r = "abs(" + a + ")"; break;
      case ExprOp::Exp: r = "exp(" + a + ")"; break;
      case ExprOp::Log: r = "log(" + a + ")"; break;
      case ExprOp::Sqrt: r = "sqrt(" + a + ")"; break;
      case ExprOp::Sin: r = "sin(" + a + ")"; break;
      case ExprOp::Cos: r = "cos(" + a + ")"; break;
      case ExprOp::Tanh: r = "tanh(clamp(" + a + ", -15.0, 15.0))"; break;  // no inf/inf for large |x|
      case ExprOp::Erf:
        kernel.helper(kErf);
        r = "erf_f(" + a + ")";
        break;
      case ExprOp::Floor: r = "floor(" + a + ")"; break;
      case ExprOp::Ceil: r = "ceil(" + a + ")"; break;
      case ExprOp::Round: r = "roundEven(" + a + ")"; break;
      case ExprOp::Sign: r = "sign(" + a + ")"; break;
      case ExprOp::IsNaN: r = b4("isnan(" + a + ")"); break;
      case ExprOp::Not: r = b4("equal(" + a + ", vec4(0.0))"); break;
      case ExprOp::Sigmoid: r = "1.0 / (1.0 + exp(-" + a + "))"; break;
      case ExprOp::Add: r = a + " + " + b; break;
      case ExprOp::Sub: r = a + " - " + b; break;
      case ExprOp::Mul: r = a + " * " + b; break;
      case ExprOp::Div:
        if (integer) {
          kernel.helper(kIdiv);
          r = "idiv_f(" + a + ", " + b + ")";
        } else {
          r = a + " / " + b;
        }
        break;
      case ExprOp::Pow:
        kernel.helper(kPow);
        r = "pow_f(" + a + ", " + b + ")";
        break;
      case ExprOp::Max: r = "max(" + a + ", " + b + ")"; break;
      case ExprOp::Min: r = "min(" + a + ", " + b + ")"; break;
      case ExprOp::Mod: {
        // Python's %: fmod moved to the sign of the divisor.
        kernel.helper(kFmod);
        std::string f = v(static_cast<int>(i)) + "f";
        s << "  vec4 " << f << " = fmod_f(" << a << ", " << b << ");\n";
        r = "mix(" + f + ", " + f + " + " + b + ", bvec4(uvec4(notEqual(" + f + ", vec4(0.0))) & uvec4(notEqual(lessThan(" +
            f + ", vec4(0.0)), lessThan(" + b + ", vec4(0.0))))))";
        break;
      }
      case ExprOp::FMod:
        kernel.helper(kFmod);
        r = "fmod_f(" + a + ", " + b + ")";
        break;
      case ExprOp::Eq: r = b4("equal(" + a + ", " + b + ")"); break;
      case ExprOp::Lt: r = b4("lessThan(" + a + ", " + b + ")"); break;
      case ExprOp::Gt: r = b4("greaterThan(" + a + ", " + b + ")"); break;
      case ExprOp::And: r = b4("notEqual(" + a + ", vec4(0.0))") + " * " + b4("notEqual(" + b + ", vec4(0.0))"); break;
      case ExprOp::Or: r = "max(" + b4("notEqual(" + a + ", vec4(0.0))") + ", " + b4("notEqual(" + b + ", vec4(0.0))") + ")"; break;
      case ExprOp::Select: r = "mix(" + c + ", " + b + ", notEqual(" + a + ", vec4(0.0)))"; break;
    }
    s << "  vec4 " << v(static_cast<int>(i)) << " = " << r << ";\n";
  }
  code += s.str();
  return v(e.result());
}

std::string glsl_store(const std::string& value, DType dtype) {
  if (dtype == DType::Bool) return "vec4(notEqual(" + value + ", vec4(0.0)))";
  if (dtype != DType::Float32) return "trunc(" + value + ")";
  return value;
}

}  // namespace webdnn::backends::webgl
