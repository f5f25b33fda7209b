// The expression ops: the one table that says what each op of an elementwise expression
// (webdnn/expr.h) computes, in every language WebDNN writes it in. Each row is
//
//   X(Name, "name", arity, reference, simd, wgsl, glsl)
//
//   Name, "name"  the ExprOp enumerator and the op's name in descriptors
//   reference     C++ over doubles a, b, c: the semantics every other column must agree with
//                 (runtime/core/expr.cc evaluates it; constant folding and the reference kernels
//                 use it)
//   simd          C++ over four floats x, y, z (backends/wasm/kernels/simd.h); lanes(x, y, z)
//                 applies the reference to each lane where no vector form is worth having
//   wgsl          WGSL over f32 (backends/webgpu/generator), $0 $1 $2 the arguments
//   glsl          GLSL ES 3.00 over vec4 (backends/webgl/generator), $0 $1 $2 the arguments
//
// Templates call helper functions (name_f, max_n, keep_nan, ...) that each backend defines once,
// in its expression emitter; an emitter includes the helpers its shader uses. GPU builtins may do
// anything with NaN (SwiftShader's GLSL exp(NaN) is inf): templates pass NaN on explicitly.
//
// Semantics, decided once (docs/design.md, "Expression semantics"): IEEE-754 as C's <cmath>
// gives it for float32 values computed in double and rounded, which is what onnxruntime does:
// NaN propagates through arithmetic, max and min; comparisons with NaN are false; logic treats any
// non-zero value (NaN included) as true; round is half to even; pow follows C's pow; mod takes the
// sign of the divisor (Python's %), fmod that of the dividend (C's fmod); integer division
// truncates toward zero and gives 0 for a zero divisor. Signed zeros are produced as IEEE-754 does
// but not otherwise told apart. GPU backends may flush denormals to zero, compute exp, log, sin,
// tanh and erf to about 1e-5 relative, sin and cos to 1e-3 absolute for |x| < 1e4 (SwiftShader's are
// that coarse; beyond 1e4 a float has few fractional digits left), mod and fmod as
// a - b * trunc(a / b) in f32 (to a few float steps of |a|, or one whole |b| off where a lies
// within a step of a multiple of b), and keep integers exact up to 2^24 (they are stored as f32).
#pragma once

#define WEBDNN_EXPR_OPS(X)                                                                                           \
  /* unary */                                                                                                        \
  X(Neg, "neg", 1, -a, -x, "-$0", "-$0")                                                                             \
  X(Abs, "abs", 1, std::fabs(a), abs(x), "abs($0)", "abs($0)")                                                       \
  X(Exp, "exp", 1, std::exp(a), lanes(x, y, z), "keep_nan($0, exp($0))", "keep_nan($0, exp($0))")                                                \
  X(Log, "log", 1, std::log(a), lanes(x, y, z), "log_f($0)", "log_f($0)")                                            \
  X(Sqrt, "sqrt", 1, std::sqrt(a), lanes(x, y, z), "sqrt_f($0)", "sqrt_f($0)")                                       \
  X(Sin, "sin", 1, std::sin(a), lanes(x, y, z), "keep_nan($0, sin($0))", "keep_nan($0, sin($0))")                    \
  X(Cos, "cos", 1, std::cos(a), lanes(x, y, z), "keep_nan($0, cos($0))", "keep_nan($0, cos($0))")                    \
  X(Tanh, "tanh", 1, std::tanh(a), lanes(x, y, z), "tanh_f($0)", "tanh_f($0)")                                       \
  X(Erf, "erf", 1, std::erf(a), erf(x), "erf_f($0)", "erf_f($0)")                                                    \
  X(Floor, "floor", 1, std::floor(a), lanes(x, y, z), "floor($0)", "floor($0)")                                      \
  X(Ceil, "ceil", 1, std::ceil(a), lanes(x, y, z), "ceil($0)", "ceil($0)")                                           \
  X(Round, "round", 1, std::nearbyint(a), round_even(x), "round($0)", "roundEven($0)")                              \
  X(Sign, "sign", 1, expr_math::sign(a), lanes(x, y, z), "sign_f($0)", "sign_f($0)")                                 \
  X(IsNaN, "isnan", 1, std::isnan(a) ? 1.0 : 0.0, lanes(x, y, z), "select(0.0, 1.0, is_nan($0))",                    \
    "vec4(is_nan($0))")                                                                                              \
  X(Not, "not", 1, a == 0 ? 1.0 : 0.0, truth(x == 0), "select(0.0, 1.0, $0 == 0.0)", "vec4(equal($0, vec4(0.0)))")  \
  X(Sigmoid, "sigmoid", 1, expr_math::sigmoid(a), lanes(x, y, z), "keep_nan($0, 1.0 / (1.0 + exp(-$0)))",           \
    "keep_nan($0, 1.0 / (1.0 + exp(-$0)))")                                                                          \
  /* the value rounded to float32: where an expression must round as onnxruntime's float code does  */      \
  /* (the quotient QuantizeLinear rounds); every backend but the reference computes in f32 anyway   */      \
  X(F32, "f32", 1, static_cast<double>(static_cast<float>(a)), x, "$0", "$0")                                        \
  /* binary */                                                                                                       \
  X(Add, "add", 2, a + b, x + y, "$0 + $1", "$0 + $1")                                                               \
  X(Sub, "sub", 2, a - b, x - y, "$0 - $1", "$0 - $1")                                                               \
  X(Mul, "mul", 2, a * b, x * y, "$0 * $1", "$0 * $1")                                                               \
  X(Div, "div", 2, a / b, x / y, "$0 / $1", "$0 / $1")                                                               \
  X(IDiv, "idiv", 2, expr_math::idiv(a, b), lanes(x, y, z), "idiv_f($0, $1)", "idiv_f($0, $1)")                      \
  X(Pow, "pow", 2, std::pow(a, b), lanes(x, y, z), "pow_f($0, $1)", "pow_f($0, $1)")                                 \
  X(Max, "max", 2, expr_math::max(a, b), max_nan(x, y), "max_n($0, $1)", "max_n($0, $1)")                            \
  X(Min, "min", 2, expr_math::min(a, b), min_nan(x, y), "min_n($0, $1)", "min_n($0, $1)")                            \
  X(Mod, "mod", 2, expr_math::mod(a, b), lanes(x, y, z), "mod_f($0, $1)", "mod_f($0, $1)")                           \
  X(FMod, "fmod", 2, std::fmod(a, b), lanes(x, y, z), "fmod_f($0, $1)", "fmod_f($0, $1)")                            \
  X(Eq, "eq", 2, a == b ? 1.0 : 0.0, truth(x == y), "select(0.0, 1.0, $0 == $1)", "vec4(equal($0, $1))")           \
  X(Lt, "lt", 2, a < b ? 1.0 : 0.0, truth(x < y), "select(0.0, 1.0, $0 < $1)", "vec4(lessThan($0, $1))")          \
  X(Gt, "gt", 2, a > b ? 1.0 : 0.0, truth(x > y), "select(0.0, 1.0, $0 > $1)", "vec4(greaterThan($0, $1))")       \
  X(And, "and", 2, a != 0 && b != 0 ? 1.0 : 0.0, truth((x != 0) & (y != 0)),                                        \
    "select(0.0, 1.0, ($0 != 0.0) & ($1 != 0.0))", "vec4(notEqual($0, vec4(0.0))) * vec4(notEqual($1, vec4(0.0)))")  \
  X(Or, "or", 2, a != 0 || b != 0 ? 1.0 : 0.0, truth((x != 0) | (y != 0)),                                          \
    "select(0.0, 1.0, ($0 != 0.0) | ($1 != 0.0))", "max(vec4(notEqual($0, vec4(0.0))), vec4(notEqual($1, vec4(0.0))))")  \
  /* integer bitwise ops (the operands hold integers; GPU backends take them as i32) */                              \
  X(BitAnd, "bitand", 2, expr_math::bits(a, b, 0), lanes(x, y, z), "f32(i32($0) & i32($1))",                          \
    "vec4(ivec4($0) & ivec4($1))")                                                                                   \
  X(BitOr, "bitor", 2, expr_math::bits(a, b, 1), lanes(x, y, z), "f32(i32($0) | i32($1))",                            \
    "vec4(ivec4($0) | ivec4($1))")                                                                                   \
  X(BitXor, "bitxor", 2, expr_math::bits(a, b, 2), lanes(x, y, z), "f32(i32($0) ^ i32($1))",                          \
    "vec4(ivec4($0) ^ ivec4($1))")                                                                                   \
  /* ternary */                                                                                                      \
  X(Select, "select", 3, a != 0 ? b : c, pick(x, y, z), "select($2, $1, $0 != 0.0)",                                \
    "mix($2, $1, notEqual($0, vec4(0.0)))")                                                                          \
  /* a into [b, c], NaN to b: onnxruntime's quantization clamps so (SSE's max returns its second operand) */        \
  X(Clamp, "clamp", 3, expr_math::clamp(a, b, c), min(max(y, x), z), "clamp_f($0, $1, $2)", "clamp_f($0, $1, $2)")

#include <cmath>

namespace webdnn::expr_math {

// The reference semantics that take more than one C++ expression.
inline double sign(double a) { return a > 0 ? 1.0 : a < 0 ? -1.0 : a; }  // NaN and signed zero pass through
inline double sigmoid(double a) { return a >= 0 ? 1.0 / (1.0 + std::exp(-a)) : std::exp(a) / (1.0 + std::exp(a)); }
inline double max(double a, double b) { return std::isnan(a) || std::isnan(b) ? a + b : a < b ? b : a; }
inline double min(double a, double b) { return std::isnan(a) || std::isnan(b) ? a + b : b < a ? b : a; }
inline double mod(double a, double b) {
  double r = std::fmod(a, b);
  return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
}
inline double clamp(double a, double lo, double hi) { return a != a ? lo : a < lo ? lo : a > hi ? hi : a; }
inline double idiv(double a, double b) { return b == 0 ? 0.0 : std::trunc(a / b); }
// Two's complement and, or, xor (op 0, 1, 2) of two integers held as doubles.
inline double bits(double a, double b, int op) {
  // Integer tensors never hold NaN or values past int64; clamping keeps a stray one defined.
  auto whole = [](double v) { return v == v && std::fabs(v) < 9.2e18 ? static_cast<long long>(v) : 0LL; };
  long long x = whole(a), y = whole(b);
  return static_cast<double>(op == 0 ? x & y : op == 1 ? x | y : x ^ y);
}

}  // namespace webdnn::expr_math
