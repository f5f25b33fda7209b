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
// tails, where that difference is far below float's resolution of the sum). NaN gives NaN.
inline f32x4 exp(f32x4 x) {
  const f32x4 nan = x != x ? x : splat(0.0f);
  x = min(max(x, splat(-87.33654f)), splat(88.37626f));
  // Adding and taking away 1.5 * 2^23 rounds to the nearest integer.
  const f32x4 n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  f32x4 r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  f32x4 p = splat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const f32x4 er = p * r * r + r + 1.0f;
  const i32x4 bits = (__builtin_convertvector(n, i32x4) + 127) << 23;
  const f32x4 y = er * (f32x4)bits;
  return x != x ? nan : y;
}

}  // namespace webdnn::wasm
