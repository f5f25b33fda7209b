#include "backends/wasm/kernels/integer_gemm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#if defined(__SSE2__) && !defined(__wasm_simd128__)
#include <emmintrin.h>
#endif

#include "backends/wasm/kernels/scratch.h"
#include "backends/wasm/kernels/simd.h"
#include "runtime/core/weights_codec.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::wasm {
namespace {

typedef short i16x8 __attribute__((vector_size(16)));
typedef short i16x4 __attribute__((vector_size(8)));

// Lane i: a[2i] * b[2i] + a[2i+1] * b[2i+1].
inline i32x4 dot(i32x4 a, i32x4 b) {
#if defined(__wasm_simd128__)
  return (i32x4)__builtin_wasm_dot_s_i32x4_i16x8((i16x8)a, (i16x8)b);
#elif defined(__SSE2__)
  return (i32x4)_mm_madd_epi16((__m128i)a, (__m128i)b);  // the native build's same instruction
#else
  i16x8 x = (i16x8)a, y = (i16x8)b;
  i32x4 even = __builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6), i32x4) *
               __builtin_convertvector(__builtin_shufflevector(y, y, 0, 2, 4, 6), i32x4);
  i32x4 odd = __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7), i32x4) *
              __builtin_convertvector(__builtin_shufflevector(y, y, 1, 3, 5, 7), i32x4);
  return even + odd;
#endif
}

inline i32x4 load_i32(const int32_t* p) {
  i32x4 v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

inline int32_t pair(int32_t lo, int32_t hi) {
  return static_cast<int32_t>((static_cast<uint32_t>(lo) & 0xffffu) | (static_cast<uint32_t>(hi) << 16));
}

// Row r of A less its zero point, as K/2 pairs (the last padded with 0).
void row_pairs(const void* a, bool a_signed, int64_t K, int32_t a_zero, int32_t* out) {
  auto value = [&](int64_t k) -> int32_t {
    if (k >= K) return 0;
    return (a_signed ? static_cast<const int8_t*>(a)[k] : static_cast<const uint8_t*>(a)[k]) - a_zero;
  };
  for (int64_t p = 0; p < int_pairs(K); p++) out[p] = pair(value(2 * p), value(2 * p + 1));
}

// The sums of one tile of kIntMR rows (a0, a1: P pairs each) by one panel of kIntNR columns.
inline void accumulate(const int32_t* a0, const int32_t* a1, int64_t P, const int32_t* panel, i32x4 acc[kIntMR][4]) {
  for (int r = 0; r < kIntMR; r++)
    for (int v = 0; v < 4; v++) acc[r][v] = i32x4{0, 0, 0, 0};
  // Pointers that step, not indexes scaled each step: wasm has no scaled addressing, and V8 made
  // 6 address instructions a step of the indexed loop (a step is 22 SIMD instructions).
  const int32_t* end = a0 + P;
  for (const int32_t* b = panel; a0 != end; a0++, a1++, b += kIntNR) {
    i32x4 b0 = load_i32(b), b1 = load_i32(b + 4), b2 = load_i32(b + 8), b3 = load_i32(b + 12);
    i32x4 x = i32x4{*a0, *a0, *a0, *a0}, y = i32x4{*a1, *a1, *a1, *a1};
    acc[0][0] += dot(x, b0), acc[0][1] += dot(x, b1), acc[0][2] += dot(x, b2), acc[0][3] += dot(x, b3);
    acc[1][0] += dot(y, b0), acc[1][1] += dot(y, b1), acc[1][2] += dot(y, b2), acc[1][3] += dot(y, b3);
  }
}

// C[0..rows) x [0..cols) of one tile; `a` holds kIntMR rows of pairs (rows past `rows` repeat).
void tile(const int32_t* a0, const int32_t* a1, int64_t P, const int32_t* panel, int32_t* c, int64_t ldc,
          int rows, int cols) {
  i32x4 acc[kIntMR][4];
  accumulate(a0, a1, P, panel, acc);
  for (int r = 0; r < rows; r++) {
    int32_t out[kIntNR];
    std::memcpy(out, acc[r], sizeof(out));
    std::memcpy(c + r * ldc, out, sizeof(int32_t) * cols);
  }
}

// round(clamp(y / step, lo, hi)) * step, the division a division as the reference's: a multiply
// by its reciprocal could round a value on a tie the other way.
struct OnGrid {
  explicit OnGrid(const Grid& g) : on(g.step > 0), step(splat(g.step)), lo(splat(g.lo)), hi(splat(g.hi)) {}
  f32x4 operator()(f32x4 y) const { return on ? round_even(min(max(y / step, lo), hi)) * step : y; }
  bool on;
  f32x4 step, lo, hi;
};

// A finished tile as floats, scaled per column, biased, clamped (the columns from n of `out`).
void float_tile(const i32x4 acc[kIntMR][4], const IntGemmOutput& out, int64_t m, int64_t n, int rows, int cols) {
  const f32x4 lo = splat(out.lo), hi = splat(out.hi);
  const OnGrid product_grid(out.product_grid), grid(out.grid);
  // A residual block's Add reads the product rounded onto its own grid first (QDQ around both).
  auto value = [&](i32x4 acc, const float* scale, const float* bias) {
    return product_grid(__builtin_convertvector(acc, f32x4) * load(scale) + load(bias));
  };
  auto finish = [&](f32x4 y) { return grid(min(max(y, lo), hi)); };
  if (cols == kIntNR) {  // the common, whole tile: straight loads and stores
    for (int r = 0; r < rows; r++) {
      float* c = out.c + (m + r) * out.ldc + n;
      const float* add = out.residual ? out.residual + (m + r) * out.ldc + n : nullptr;
      for (int v = 0; v < 4; v++) {
        f32x4 y = value(acc[r][v], out.scale + n + 4 * v, out.bias + n + 4 * v);
        store(c + 4 * v, finish(add ? y + load(add + 4 * v) : y));
      }
    }
    return;
  }
  float scale[kIntNR] = {}, bias[kIntNR] = {};
  std::memcpy(scale, out.scale + n, sizeof(float) * cols);
  std::memcpy(bias, out.bias + n, sizeof(float) * cols);
  for (int r = 0; r < rows; r++) {
    float row[kIntNR], add[kIntNR] = {};
    if (out.residual) std::memcpy(add, out.residual + (m + r) * out.ldc + n, sizeof(float) * cols);
    for (int v = 0; v < 4; v++) store(row + 4 * v, finish(value(acc[r][v], scale + 4 * v, bias + 4 * v) + load(add + 4 * v)));
    std::memcpy(out.c + (m + r) * out.ldc + n, row, sizeof(float) * cols);
  }
}

}  // namespace

std::vector<int32_t> pack_int_b(const std::vector<int32_t>& b, const std::vector<int32_t>& b_zero, int64_t K, int64_t N) {
  const int64_t P = int_pairs(K);
  std::vector<int32_t> out(static_cast<size_t>(packed_int_b_size(K, N)), 0);
  auto value = [&](int64_t k, int64_t n) -> int32_t {
    if (k >= K || n >= N) return 0;
    return b[k * N + n] - b_zero[b_zero.size() == 1 ? 0 : n];
  };
  for (int64_t n0 = 0; n0 < N; n0 += kIntNR)
    for (int64_t p = 0; p < P; p++)
      for (int j = 0; j < kIntNR; j++) out[(n0 * P) + p * kIntNR + j] = pair(value(2 * p, n0 + j), value(2 * p + 1, n0 + j));
  return out;
}

Json int_pack_transform(int64_t K, int64_t N) { return {{"kind", "wasm.int_pack"}, {"K", K}, {"N", N}}; }

namespace {

std::pair<int64_t, int64_t> read_int_pack(const Json& params) {
  params::Reader r(params, "wasm.int_pack field");
  return {r.integer("K", 1, params::kMaxExtent), r.integer("N", 1, params::kMaxExtent)};
}

int64_t int_pack_size(const Json& params, int64_t source) {
  auto [K, N] = read_int_pack(params);
  WEBDNN_CHECK(source / K == N && source % K == 0, "wasm.int_pack: ", source, " values are not B [", N, "][", K, "]");
  return packed_int_b_size(K, N);
}

void int_pack_apply(const Json& params, const float* source, int64_t count, float* out) {
  auto [K, N] = read_int_pack(params);
  WEBDNN_CHECK(count == packed_int_b_size(K, N), "wasm.int_pack: ", count, " words are not B packed for ", K, "x", N);
  std::vector<int32_t> b(static_cast<size_t>(K * N));
  for (int64_t n = 0; n < N; n++)
    for (int64_t k = 0; k < K; k++)
      b[static_cast<size_t>(k * N + n)] = static_cast<int32_t>(std::clamp(std::nearbyint(source[n * K + k]), -32768.0f, 32767.0f));
  std::vector<int32_t> packed = pack_int_b(b, {0}, K, N);
  std::memcpy(out, packed.data(), sizeof(int32_t) * static_cast<size_t>(count));
}

WEBDNN_REGISTER_WEIGHT_TRANSFORM("wasm.int_pack", int_pack_size, int_pack_apply);

}  // namespace

void int_gemm_rows(int64_t m0, int64_t m1, int64_t N, int64_t K, const void* a, bool a_signed, int64_t lda,
                   int32_t a_zero, const int32_t* bp, int32_t* c, int64_t ldc) {
  const int64_t P = int_pairs(K);
  int32_t* pairs = reinterpret_cast<int32_t*>(scratch(static_cast<size_t>(kIntMR * P), 1));
  const size_t element = 1;  // uint8 and int8
  for (int64_t m = m0; m < m1; m += kIntMR) {
    int rows = static_cast<int>(std::min<int64_t>(kIntMR, m1 - m));
    for (int r = 0; r < kIntMR; r++) {
      int64_t row = m + std::min(r, rows - 1);
      row_pairs(static_cast<const uint8_t*>(a) + row * lda * element, a_signed, K, a_zero, pairs + r * P);
    }
    for (int64_t n = 0; n < N; n += kIntNR)
      tile(pairs, pairs + P, P, bp + n * P, c + m * ldc + n, ldc, rows, static_cast<int>(std::min<int64_t>(kIntNR, N - n)));
  }
}

void grid_pairs(const float* x, int64_t K, float inv_scale, int32_t* out) {
  typedef short i16x8 __attribute__((vector_size(16)));
  // Adding 1.5 * 2^23 rounds to the nearest integer and leaves it in the low mantissa bits, read
  // back by taking the sum's bits away: no float-to-int conversion, a long sequence in wasm on x86.
  const f32x4 magic = splat(12582912.0f);
  const i32x4 bits = (i32x4)magic;
  int64_t k = 0;
  for (; k + 8 <= K; k += 8, out += 4) {
    i16x8 lo = (i16x8)((i32x4)(load(x + k) * inv_scale + magic) - bits);
    i16x8 hi = (i16x8)((i32x4)(load(x + k + 4) * inv_scale + magic) - bits);
    i16x8 packed = __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14);  // the low halves
    std::memcpy(out, &packed, sizeof(packed));
  }
  for (; k < K; k += 2) {
    int32_t a = static_cast<int32_t>(std::nearbyint(x[k] * inv_scale));
    int32_t b = k + 1 < K ? static_cast<int32_t>(std::nearbyint(x[k + 1] * inv_scale)) : 0;
    *out++ = pair(a, b);
  }
}

void int_gemm_pairs(int64_t rows, int64_t N, int64_t P, const int32_t* a, const int32_t* bp, const IntGemmOutput& out) {
  // K in blocks of kKC pairs, as the float GEMM's (gemm.cc): a panel's slice (16 KB) stays in L1
  // while the rows go by, the rows' slice in L2 while the panels go by; without blocks a deep
  // convolution's panels (K = 4608: 147 KB each) came from memory for every pair of rows (29 GOP/s
  // against 80 for K = 1024). 256 pairs beat 128 by 4-10% on ResNet50's deep 3x3 products and 64
  // or 96 lost (wasm in Node, one thread). Sums of the blocks before stay int32, exact, in `partial`.
  constexpr int64_t kKC = 256;
  const int64_t padded = (N + kIntNR - 1) / kIntNR * kIntNR;
  int32_t* partial = P > kKC ? reinterpret_cast<int32_t*>(scratch(static_cast<size_t>(rows * padded), 2)) : nullptr;
  for (int64_t k0 = 0; k0 < P; k0 += kKC) {
    const int64_t kb = std::min(kKC, P - k0);
    const bool first = k0 == 0, last = k0 + kb == P;
    for (int64_t n = 0; n < N; n += kIntNR) {
      const int32_t* panel = bp + (n * P) + k0 * kIntNR;
      const int cols = static_cast<int>(std::min<int64_t>(kIntNR, N - n));
      for (int64_t m = 0; m < rows; m += kIntMR) {
        const int mb = static_cast<int>(std::min<int64_t>(kIntMR, rows - m));
        i32x4 acc[kIntMR][4];
        accumulate(a + m * P + k0, a + (m + mb - 1) * P + k0, kb, panel, acc);
        int32_t* keep = partial ? partial + m * padded + n : nullptr;
        for (int r = 0; r < mb && !first; r++)
          for (int v = 0; v < 4; v++) acc[r][v] += load_i32(keep + r * padded + 4 * v);
        if (last) float_tile(acc, out, m, n, mb, cols);
        else
          for (int r = 0; r < mb; r++) std::memcpy(keep + r * padded, acc[r], sizeof(acc[r]));
      }
    }
  }
}

}  // namespace webdnn::wasm
