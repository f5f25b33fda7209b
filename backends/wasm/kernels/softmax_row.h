// The passes of a softmax over one contiguous row, shared by wasm.Softmax and wasm.Attention.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "backends/wasm/kernels/simd.h"

namespace webdnn::wasm {

inline float row_max(const float* x, int64_t n) {
  int64_t i = 0;
  f32x4 lanes = splat(-std::numeric_limits<float>::infinity());
  for (; i + 4 <= n; i += 4) lanes = wasm::max(lanes, load(x + i));
  float m = std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
  for (; i < n; i++) m = std::max(m, x[i]);
  return m;
}

// dst[i] = exp(src[i] - m) where dst is given (it may be src); returns the sum of them. Partial
// sums go into double every 256 terms, so rows of thousands of small terms lose nothing to
// float's rounding.
inline double exp_sum(const float* src, float* dst, int64_t n, float m) {
  const f32x4 shift = splat(m);
  double sum = 0;
  int64_t i = 0;
  while (i + 4 <= n) {
    f32x4 part = splat(0.0f);
    for (int64_t end = std::min(n - 3, i + 256); i < end; i += 4) {
      f32x4 e = exp_nonpositive(load(src + i) - shift);
      if (dst) store(dst + i, e);
      part += e;
    }
    float lanes[4];
    store(lanes, part);
    sum += static_cast<double>(lanes[0]) + lanes[1] + lanes[2] + lanes[3];
  }
  for (; i < n; i++) {
    float e = std::exp(src[i] - m);
    if (dst) dst[i] = e;
    sum += e;
  }
  return sum;
}

// x[0..n) *= k.
inline void scale_row(float* x, int64_t n, float k) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) store(x + i, load(x + i) * splat(k));
  for (; i < n; i++) x[i] *= k;
}

}  // namespace webdnn::wasm
