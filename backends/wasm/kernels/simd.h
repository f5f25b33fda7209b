// Four floats at a time, written with the compiler's vector extensions so that the same source
// becomes WebAssembly SIMD128 (clang -msimd128), SSE natively, and plain scalar code for the
// JavaScript fallback build.
#pragma once
#include <cstring>

namespace webdnn::wasm {

typedef float f32x4 __attribute__((vector_size(16)));
typedef int i32x4 __attribute__((vector_size(16)));

inline f32x4 load(const float* p) {
  f32x4 v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
inline void store(float* p, f32x4 v) { std::memcpy(p, &v, sizeof(v)); }
inline f32x4 splat(float x) { return f32x4{x, x, x, x}; }
// These orders of comparison become f32x4.pmin / pmax in WebAssembly.
inline f32x4 min(f32x4 a, f32x4 b) { return b < a ? b : a; }
inline f32x4 max(f32x4 a, f32x4 b) { return a < b ? b : a; }
// NaN-propagating forms, as the expression semantics ask (webdnn/expr_ops.h): a NaN in `a` falls
// through the comparison above; one in `b` is picked explicitly.
inline f32x4 max_nan(f32x4 a, f32x4 b) { return b != b ? b : max(a, b); }
inline f32x4 min_nan(f32x4 a, f32x4 b) { return b != b ? b : min(a, b); }
inline f32x4 abs(f32x4 a) { return (f32x4)((i32x4)a & 0x7fffffff); }
// A comparison's lanes (all ones or zero) as 1.0 or 0.0, the expressions' truth values.
inline f32x4 truth(i32x4 mask) { return (f32x4)(mask & (i32x4)splat(1.0f)); }
// c != 0 ? a : b lane by lane (NaN counts as true, as in the reference).
inline f32x4 pick(f32x4 c, f32x4 a, f32x4 b) { return c != 0 ? a : b; }
// Round half to even: WebAssembly's f32x4.nearest; elsewhere adding and taking away 1.5 * 2^23
// leaves the nearest integer (ties to even, the default rounding) where |x| < 2^22; beyond, x is
// an integer already (and NaN stays).
inline f32x4 round_even(f32x4 x) {
#ifdef __wasm_simd128__
  return __builtin_wasm_nearest_f32x4(x);  // f32x4.nearest: one instruction
#else
  const f32x4 r = (x + 12582912.0f) - 12582912.0f;
  return abs(x) < 4194304.0f ? r : x;
#endif
}

// e^x, within 2 ulp of the float result: e^x = 2^n e^r with n the integer nearest x / ln 2 and
// r = x - n ln 2 (ln 2 in two parts, so r keeps its low bits), e^r by a degree-6 polynomial on
// |r| <= ln 2 / 2 (Cephes' expf coefficients), 2^n built in the exponent bits. x is clamped to
// the range whose result is a normal float; below it gives 2^-126 rather than 0 (softmax's
// tails, where that difference is far below float's resolution of the sum). NaN gives NaN (the
// clamp and the arithmetic keep it).
inline f32x4 exp(f32x4 x) {
  x = min(max(x, splat(-87.33654f)), splat(88.37626f));
  // Adding 1.5 * 2^23 rounds to the nearest integer n, which then sits in the low mantissa bits:
  // shifted into the exponent field they make 2^n without a float-to-int conversion (a long
  // instruction sequence in WebAssembly engines on x86), the sum's own exponent bits shifted out.
  const f32x4 shifted = x * 1.44269504088896341f + 12582912.0f;
  const f32x4 n = shifted - 12582912.0f;
  f32x4 r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  f32x4 p = splat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const f32x4 er = p * r * r + r + 1.0f;
  const i32x4 two_n = ((i32x4)shifted << 23) + (127 << 23);
  return er * (f32x4)two_n;
}

// erf(x) within about 3e-7 relative, so that GELU's erf runs four lanes at a time rather than
// through the C library one value at a time. |x| < 0.5: the Taylor series 2/sqrt(pi) sum (-1)^n
// x^(2n+1) / (n! (2n+1)) through n = 6 (the rest is below 1e-9 of the value). Beyond: 1 - erfc(|x|)
// with Numerical Recipes' Chebyshev fit erfc(z) = t exp(-z^2 - 1.26551223 + t P(t)), t = 1 / (1 +
// z/2) (fractional error below 1.2e-7 for every z >= 0), the sign put back. Infinities give +-1,
// NaN gives NaN, -0 and denormals keep their sign and value (x times 2/sqrt(pi)).
inline f32x4 erf(f32x4 x) {
  const f32x4 x2 = x * x;
  f32x4 s = splat(1.2055332981789664e-4f);
  s = s * x2 - 8.548325508299338e-4f;
  s = s * x2 + 5.223977625442188e-3f;
  s = s * x2 - 2.6866170645131252e-2f;
  s = s * x2 + 1.1283791670955126e-1f;
  s = s * x2 - 3.761263890318375e-1f;
  s = s * x2 + 1.1283791670955126f;
  const f32x4 near = x * s;
  const f32x4 z = abs(x);
  const f32x4 t = 1.0f / (z * 0.5f + 1.0f);
  f32x4 p = splat(0.17087277f);
  p = p * t - 0.82215223f;
  p = p * t + 1.48851587f;
  p = p * t - 1.13520398f;
  p = p * t + 0.27886807f;
  p = p * t - 0.18628806f;
  p = p * t + 0.09678418f;
  p = p * t + 0.37409196f;
  p = p * t + 1.00002368f;
  p = p * t - 1.26551223f;
  const f32x4 far = 1.0f - t * exp(p - z * z);
  const f32x4 signed_far = (f32x4)((i32x4)far | ((i32x4)x & (i32x4)splat(-0.0f)));
  return z < 0.5f ? near : signed_far;
}

}  // namespace webdnn::wasm
