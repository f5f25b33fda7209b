// Elementwise expressions (webdnn/expr.h) as WGSL over f32, from the table in webdnn/expr_ops.h,
// and the helper functions its templates call. Program adds the helpers a shader calls.
#include "backends/webgpu/generator/kernels/kernels.h"

namespace webdnn::backends::webgpu {
namespace {

// Each after the helpers it calls. NaN and infinity come from the private variables every
// shader declares (a constant expression may not hold them).
const std::vector<ExprHelper> kHelpers = {
    {"is_nan", "fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }\n"},
    {"is_inf", "fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }\n"},
    {"keep_nan", "fn keep_nan(x: f32, y: f32) -> f32 { return select(y, x, is_nan(x)); }\n"},
    {"log_f", R"(fn log_f(x: f32) -> f32 {
  return select(select(log(x), -bitcast<f32>(k_inf), x == 0.0), bitcast<f32>(k_nan), (x < 0.0) | is_nan(x));
}
)"},
    {"sqrt_f", "fn sqrt_f(x: f32) -> f32 { return select(sqrt(x), bitcast<f32>(k_nan), x < 0.0); }\n"},
    // tanh through exp overflows for large |x|; clamping must keep NaN.
    {"tanh_f", "fn tanh_f(x: f32) -> f32 { return select(tanh(clamp(x, -15.0, 15.0)), x, is_nan(x)); }\n"},
    // Abramowitz & Stegun 7.1.26, |error| < 1.5e-7.
    {"erf_f", R"(fn erf_f(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.3275911 * abs(x));
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
  return select(-y, y, x >= 0.0);
}
)"},
    {"sign_f", "fn sign_f(x: f32) -> f32 { return select(sign(x), x, is_nan(x)); }\n"},
    {"max_n", "fn max_n(a: f32, b: f32) -> f32 { return select(max(a, b), a + b, is_nan(a) | is_nan(b)); }\n"},
    {"min_n", "fn min_n(a: f32, b: f32) -> f32 { return select(min(a, b), a + b, is_nan(a) | is_nan(b)); }\n"},
    {"clamp_f", "fn clamp_f(x: f32, lo: f32, hi: f32) -> f32 { return select(min(max(x, lo), hi), lo, is_nan(x)); }\n"},
    // The float quotient rounded toward zero, moved by one where rounding the division crossed
    // a whole number.
    {"idiv_f", R"(fn idiv_f(a: f32, b: f32) -> f32 {
  var q = trunc(a / b);
  let r = a - q * b;
  let s = sign(a) * sign(b);
  q = select(q, q + s, abs(r) >= abs(b));
  q = select(q, q - s, (r != 0.0) & (sign(r) != sign(a)));
  return select(q, 0.0, b == 0.0);
}
)"},
    // C's fmod: the remainder takes the dividend's sign and is smaller than |b|.
    {"fmod_f", R"(fn fmod_f(a: f32, b: f32) -> f32 {
  var r = a - b * trunc(a / b);
  let ab = abs(b);
  let sa = select(-1.0, 1.0, a >= 0.0);
  r = select(r, r + sa * ab, (r != 0.0) & (sign(r) != sa));
  r = select(r, r - sa * ab, abs(r) >= ab);
  return select(r, a, is_inf(b) & !is_inf(a));
}
)"},
    {"mod_f", R"(fn mod_f(a: f32, b: f32) -> f32 {
  let r = fmod_f(a, b);
  return select(r, r + b, (r != 0.0) & ((r < 0.0) != (b < 0.0)));
}
)"},
    // C's pow: a negative base (or -0) keeps its sign under odd whole exponents and has no
    // real power under other finite ones; x^0 = 1^y = 1 even for NaN.
    {"pow_f", R"(fn pow_f(a: f32, b: f32) -> f32 {
  let negative = (bitcast<u32>(a) >> 31u) == 1u;
  let whole = fract(b) == 0.0;
  let odd = whole & (fract(b * 0.5) != 0.0);
  var m = select(pow(abs(a), b), select(0.0, bitcast<f32>(k_inf), b < 0.0), a == 0.0);
  m = select(m, -m, negative & odd);
  m = select(m, bitcast<f32>(k_nan), negative & !whole & !is_inf(b) & !is_inf(a) & (a != 0.0));
  m = select(m, 1.0, (abs(a) == 1.0) & is_inf(b));
  m = select(m, a + b, is_nan(a) | is_nan(b));
  return select(m, 1.0, (b == 0.0) | (a == 1.0));
}
)"},
};

}  // namespace

std::string expression(const Expr& e, const std::vector<std::string>& inputs, const std::string& prefix, std::string& code) {
  auto v = [&](int node) { return node >= 0 ? prefix + std::to_string(node) : std::string(); };
  for (size_t i = 0; i < e.nodes.size(); i++) {
    const ExprNode& n = e.nodes[i];
    std::string r = n.op == ExprOp::Input   ? inputs.at(static_cast<size_t>(n.value))
                    : n.op == ExprOp::Const ? f32(n.value)
                                            : expr_code(n.op, ExprDialect::Wgsl, v(n.args[0]), v(n.args[1]), v(n.args[2]));
    code += "let " + v(static_cast<int>(i)) + " = " + r + ";\n";
  }
  return v(e.result());
}

std::string wgsl_helpers(const std::string& code) {
  std::string out;
  for (const std::string& h : expr_helpers(kHelpers, code)) out += h;
  return out;
}

}  // namespace webdnn::backends::webgpu
