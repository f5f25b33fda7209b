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
// a * b + c. In the runtime's relaxed build (WEBDNN_RELAXED_SIMD) one f32x4.relaxed_madd, a
// fused multiply-add on CPUs that have one: half the instructions of a product's inner loop,
// which on x86 is bound by how many instructions it issues (the float GEMM tile: 25 -> 37 GFLOP/s
// in Node). clang 14 knows the instruction only as the pre-standard f32x4.fma, whose operands it
// takes as a + b * c (so it folds constants that way: never give this three constants) and whose
// opcode engines no longer accept; runtime/wasm/relaxed_simd.mjs rewrites that opcode to
// relaxed_madd's, whose operands in the same order mean a * b + c, and makes the plain build's
// multiply and add from it. Elsewhere (native, the fallback) the plain multiply and add.
inline f32x4 madd(f32x4 a, f32x4 b, f32x4 c) {
#ifdef WEBDNN_RELAXED_SIMD
  return __builtin_wasm_fma_f32x4(a, b, c);
#else
  return a * b + c;
#endif
}
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
  p = madd(p, r, splat(1.3981999507e-3f));
  p = madd(p, r, splat(8.3334519073e-3f));
  p = madd(p, r, splat(4.1665795894e-2f));
  p = madd(p, r, splat(1.6666665459e-1f));
  p = madd(p, r, splat(5.0000001201e-1f));
  const f32x4 er = p * r * r + r + 1.0f;
  const i32x4 two_n = ((i32x4)shifted << 23) + (127 << 23);
  return er * (f32x4)two_n;
}

// e^x for x <= 0, the softmax's x - max, with 18 operations where exp() takes 26 (Whisper's
// attention spent a quarter of its time in exp): 2^t for t = x log2 e split into n + f, |f| <=
// 1/2, 2^f by a degree-5 polynomial fitted for relative error (2e-7). Rounding t to float costs
// up to half an ulp of t: 7e-7 relative where the terms matter (x > -17), more only on terms
// below 2^-24 of the largest. Only the lower clamp remains (-inf, masked scores, give 2^-126);
// NaN gives NaN.
inline f32x4 exp_nonpositive(f32x4 x) {
  const f32x4 t = max(x, splat(-87.33654f)) * 1.44269504088896341f;
  const f32x4 shifted = t + 12582912.0f;  // n in the low mantissa bits, as in exp()
  const f32x4 f = t - (shifted - 12582912.0f);
  f32x4 p = splat(1.32647e-3f);
  p = madd(p, f, splat(9.67150e-3f));
  p = madd(p, f, splat(5.550734e-2f));
  p = madd(p, f, splat(2.4022242e-1f));
  p = madd(p, f, splat(6.9314698e-1f));
  p = madd(p, f, splat(1.0f));
  return p * (f32x4)(((i32x4)shifted << 23) + (127 << 23));
}

// erf(x) within 4e-7 relative, four lanes at a time (GELU's erf through the C library one value
// at a time cost more than the products around it). A rational function x P(x^2) / Q(x^2) of
// degrees 6 and 5 in x^2, fitted (least squares reweighted toward the largest error) to erf on
// [0, 4]; in float its error is rounding's, a few ulps of the result. Beyond |x| = 3.9 the result
// is +-1 (erfc(3.9) = 3.5e-8 is below half an ulp of 1), where the fit would drift and x^12
// overflow: infinities give +-1. NaN gives NaN (it fails the comparison), -0 and denormals keep
// their sign and value (x times 2/sqrt(pi)).
inline f32x4 erf(f32x4 x) {
  const f32x4 z = x * x;
  f32x4 p = splat(-1.3681108690377641e-08f);
  p = madd(p, z, splat(4.783378699357854e-06f));
  p = madd(p, z, splat(3.8279619184322655e-04f));
  p = madd(p, z, splat(3.8397025782614946e-03f));
  p = madd(p, z, splat(5.433456972241402e-02f));
  p = madd(p, z, splat(1.8470673263072968e-01f));
  p = madd(p, z, splat(1.128379225730896f));
  f32x4 q = splat(6.403626321116462e-05f);
  q = madd(q, z, splat(1.3097545597702265e-03f));
  q = madd(q, z, splat(1.5454224310815334e-02f));
  q = madd(q, z, splat(1.1382699012756348e-01f));
  q = madd(q, z, splat(4.9702563881874084e-01f));
  q = madd(q, z, splat(1.0f));
  const f32x4 one = (f32x4)((i32x4)splat(1.0f) | ((i32x4)x & (i32x4)splat(-0.0f)));
  return abs(x) > 3.9f ? one : x * p / q;
}

}  // namespace webdnn::wasm
