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

}  // namespace webdnn::wasm
