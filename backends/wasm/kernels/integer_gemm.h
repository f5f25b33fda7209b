// Integer matrix multiply for the wasm backend: C (int32) = (A - a_zero) . (B - b_zero) exactly,
// on SIMD128's i32x4.dot_i16x8_s, which multiplies 8 pairs of int16 and adds neighbours into 4
// int32 lanes: two steps of K per instruction. Both operands are int16 after their zero points
// are taken off (an 8-bit value less an 8-bit zero point fits), K in pairs: B is packed offline
// into panels of kIntNR columns, each column's (k, k+1) pair one int32; A's rows become pairs at
// run time.
#pragma once
#include <cstdint>
#include <vector>

#include "webdnn/json.h"

namespace webdnn::wasm {

// A tile of 2 rows x 16 columns: 4 B vectors and 2 broadcast A pairs per step, 8 accumulators,
// as the float GEMM's (gemm.h).
constexpr int kIntNR = 16;
constexpr int kIntMR = 2;

inline int64_t int_pairs(int64_t K) { return (K + 1) / 2; }
// int32 words holding a packed K x N matrix: panels [N/kIntNR][K/2][kIntNR].
inline int64_t packed_int_b_size(int64_t K, int64_t N) { return (N + kIntNR - 1) / kIntNR * kIntNR * int_pairs(K); }
// Packs b (row-major K x N, any integer values) less b_zero (one value, or one per column).
std::vector<int32_t> pack_int_b(const std::vector<int32_t>& b, const std::vector<int32_t>& b_zero, int64_t K, int64_t N);
// The same done at load: the weight transform "wasm.int_pack" (runtime/core/weights_codec.h) of
// B's integers as floats, held as [N][K] (a column after another), so that the file holds the
// weight's K * N small integers (int8 where they fit), not pairs in panels; the words it makes
// are int32, held in the float buffer bit for bit.
Json int_pack_transform(int64_t K, int64_t N);

// Rows [m0, m1) of C = A' . B', A' = A - a_zero with A row-major uint8 or int8 (`a_signed`),
// leading dimension lda; C row-major int32 with leading dimension ldc.
void int_gemm_rows(int64_t m0, int64_t m1, int64_t N, int64_t K, const void* a, bool a_signed, int64_t lda,
                   int32_t a_zero, const int32_t* bp, int32_t* c, int64_t ldc);

// Row `x` of K floats that are multiples of `scale` (a quantized model's activations, params::
// IntegerGrid) as those multiples, int16 pairs (the last padded with 0); |x / scale| < 2^15.
void grid_pairs(const float* x, int64_t K, float inv_scale, int32_t* out);

// A value rounded onto a quantization grid as a QuantizeLinear -> DequantizeLinear pair does:
// round(clamp(x / step, lo, hi)) * step; no rounding where step is 0.
struct Grid {
  float step = 0, lo = 0, hi = 0;
};

// A float result of an integer product: C = float(A' . B') * scale[n] + bias[n], rounded onto
// `product_grid`, plus residual, clamped to [lo, hi], rounded onto `grid`; laid out as GemmOutput
// (gemm.h).
struct IntGemmOutput {
  float* c;
  int64_t ldc;
  const float* scale;
  const float* bias;
  float lo, hi;
  const float* residual = nullptr;
  Grid grid, product_grid;  // Epilogue::grid, Epilogue::product_grid
};
// Rows [0, rows) of C from A' given as `P` pairs a row (grid_pairs), row r at a + r * P.
void int_gemm_pairs(int64_t rows, int64_t N, int64_t P, const int32_t* a, const int32_t* bp, const IntGemmOutput& out);

}  // namespace webdnn::wasm
