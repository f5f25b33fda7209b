// Elementwise expressions (webdnn/expr.h) as GLSL on vec4, four elements of one texel at once,
// from the table in webdnn/expr_ops.h, and the helper functions its templates call.
#include "backends/webgl/generator/program.h"

namespace webdnn::backends::webgl {
namespace {

// Each after the helpers it calls. Conditions are bvec4, combined through uvec4 (GLSL ES 3.00 has
// no && on vectors); mix() with a bvec4 picks exactly, with no arithmetic on the other side.
const std::vector<ExprHelper> kHelpers = {
    {"nan4", "vec4 nan4() { return vec4(uintBitsToFloat(0x7fc00000u)); }\n"},
    {"inf4", "vec4 inf4() { return vec4(uintBitsToFloat(0x7f800000u)); }\n"},
    {"is_nan", "bvec4 is_nan(vec4 x) { return greaterThan(floatBitsToUint(x) & 0x7fffffffu, uvec4(0x7f800000u)); }\n"},
    {"is_inf", "bvec4 is_inf(vec4 x) { return equal(floatBitsToUint(x) & 0x7fffffffu, uvec4(0x7f800000u)); }\n"},
    {"and4", "bvec4 and4(bvec4 a, bvec4 b) { return bvec4(uvec4(a) & uvec4(b)); }\n"},
    {"keep_nan", "vec4 keep_nan(vec4 x, vec4 y) { return mix(y, x, is_nan(x)); }\n"},
    {"or4", "bvec4 or4(bvec4 a, bvec4 b) { return bvec4(uvec4(a) | uvec4(b)); }\n"},
    {"log_f", R"(vec4 log_f(vec4 x) {
  return mix(mix(log(x), -inf4(), equal(x, vec4(0.0))), nan4(), or4(lessThan(x, vec4(0.0)), is_nan(x)));
}
)"},
    {"sqrt_f", "vec4 sqrt_f(vec4 x) { return mix(sqrt(x), nan4(), lessThan(x, vec4(0.0))); }\n"},
    // tanh through exp overflows for large |x|; clamping must keep NaN.
    {"tanh_f", "vec4 tanh_f(vec4 x) { return mix(tanh(clamp(x, -15.0, 15.0)), x, is_nan(x)); }\n"},
    // Abramowitz & Stegun 7.1.26, |error| < 1.5e-7.
    {"erf_f", R"(vec4 erf_f(vec4 x) {
  vec4 t = 1.0 / (1.0 + 0.3275911 * abs(x));
  vec4 y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
  return mix(-y, y, greaterThanEqual(x, vec4(0.0)));
}
)"},
    {"sign_f", "vec4 sign_f(vec4 x) { return mix(sign(x), x, is_nan(x)); }\n"},
    // Also on floats, for the running maxima of pooling and reductions.
    {"max_n", R"(vec4 max_n(vec4 a, vec4 b) { return mix(max(a, b), a + b, or4(is_nan(a), is_nan(b))); }
float max_n(float a, float b) { return max_n(vec4(a), vec4(b)).x; }
)"},
    {"min_n", R"(vec4 min_n(vec4 a, vec4 b) { return mix(min(a, b), a + b, or4(is_nan(a), is_nan(b))); }
float min_n(float a, float b) { return min_n(vec4(a), vec4(b)).x; }
)"},
    {"clamp_f", "vec4 clamp_f(vec4 x, vec4 lo, vec4 hi) { return mix(min(max(x, lo), hi), lo, is_nan(x)); }\n"},
    // The float quotient rounded toward zero, moved by one where rounding the division crossed
    // a whole number.
    {"idiv_f", R"(vec4 idiv_f(vec4 a, vec4 b) {
  vec4 q = trunc(a / b);
  vec4 r = a - q * b;
  vec4 s = sign(a) * sign(b);
  q = mix(q, q + s, greaterThanEqual(abs(r), abs(b)));
  q = mix(q, q - s, and4(notEqual(r, vec4(0.0)), notEqual(sign(r), sign(a))));
  return mix(q, vec4(0.0), equal(b, vec4(0.0)));
}
)"},
    // C's fmod: the remainder takes the dividend's sign and is smaller than |b|.
    {"fmod_f", R"(vec4 fmod_f(vec4 a, vec4 b) {
  vec4 r = a - b * trunc(a / b);
  vec4 ab = abs(b);
  vec4 sa = mix(vec4(-1.0), vec4(1.0), greaterThanEqual(a, vec4(0.0)));
  r = mix(r, r + sa * ab, and4(notEqual(r, vec4(0.0)), notEqual(sign(r), sa)));
  r = mix(r, r - sa * ab, greaterThanEqual(abs(r), ab));
  return mix(r, a, and4(is_inf(b), not(is_inf(a))));
}
)"},
    {"mod_f", R"(vec4 mod_f(vec4 a, vec4 b) {
  vec4 r = fmod_f(a, b);
  return mix(r, r + b, and4(notEqual(r, vec4(0.0)), notEqual(lessThan(r, vec4(0.0)), lessThan(b, vec4(0.0)))));
}
)"},
    // C's pow: a negative base (or -0) keeps its sign under odd whole exponents and has no
    // real power under other finite ones; x^0 = 1^y = 1 even for NaN.
    {"pow_f", R"(vec4 pow_f(vec4 a, vec4 b) {
  bvec4 negative = equal(floatBitsToUint(a) >> 31u, uvec4(1u));
  bvec4 whole = equal(fract(b), vec4(0.0));
  bvec4 odd = and4(whole, notEqual(fract(b * 0.5), vec4(0.0)));
  vec4 m = mix(pow(abs(a), b), mix(vec4(0.0), inf4(), lessThan(b, vec4(0.0))), equal(a, vec4(0.0)));
  m = mix(m, -m, and4(negative, odd));
  bvec4 finite = not(or4(is_inf(a), is_inf(b)));
  m = mix(m, nan4(), and4(and4(negative, not(whole)), and4(finite, notEqual(a, vec4(0.0)))));
  m = mix(m, vec4(1.0), and4(equal(abs(a), vec4(1.0)), is_inf(b)));
  m = mix(m, nan4(), or4(is_nan(a), is_nan(b)));
  return mix(m, vec4(1.0), or4(equal(b, vec4(0.0)), equal(a, vec4(1.0))));
}
)"},
};

}  // namespace

std::string glsl_expression(const Expr& e, const std::vector<std::string>& inputs, const std::string& prefix,
                            std::string& code, Kernel& kernel) {
  auto v = [&](int node) { return node >= 0 ? prefix + std::to_string(node) : std::string(); };
  std::string body;
  for (size_t i = 0; i < e.nodes.size(); i++) {
    const ExprNode& n = e.nodes[i];
    std::string r = n.op == ExprOp::Input   ? inputs.at(static_cast<size_t>(n.value))
                    : n.op == ExprOp::Const ? "vec4(" + glsl_float(n.value) + ")"
                                            : expr_code(n.op, ExprDialect::Glsl, v(n.args[0]), v(n.args[1]), v(n.args[2]));
    body += "  vec4 " + v(static_cast<int>(i)) + " = " + r + ";\n";
  }
  for (const std::string& h : expr_helpers(kHelpers, body)) kernel.helper(h);
  code += body;
  return v(e.result());
}

std::string glsl_op(Kernel& kernel, ExprOp op, const std::string& a, const std::string& b) {
  std::string code = expr_code(op, ExprDialect::Glsl, a, b, "");
  for (const std::string& h : expr_helpers(kHelpers, code)) kernel.helper(h);
  return code;
}

std::string glsl_store(const std::string& value, DType dtype) {
  if (dtype == DType::Bool) return "vec4(notEqual(" + value + ", vec4(0.0)))";
  if (dtype != DType::Float32) return "trunc(" + value + ")";
  return value;
}

}  // namespace webdnn::backends::webgl
