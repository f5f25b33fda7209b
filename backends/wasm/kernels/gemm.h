// Matrix multiply for the wasm backend: C = A . B + bias, clamped, with B packed offline into
// panels of kNR columns so the inner loop reads it sequentially.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "runtime/core/kernel.h"
#include "webdnn/json.h"

namespace webdnn::wasm {

// A tile of 2 rows x 16 columns (8 vector accumulators) measured fastest in Chromium's
// WebAssembly: 4 B vectors and 2 broadcast A values per step leave registers free.
constexpr int kNR = 16;  // columns per B panel
constexpr int kMR = 2;   // rows per microkernel tile

// Floats needed to pack a K x N matrix.
inline int64_t packed_b_size(int64_t K, int64_t N) { return (N + kNR - 1) / kNR * kNR * K; }
// Packs B, whose element (k, n) is b[k * stride_k + n * stride_n], as panels [N/kNR][K][kNR],
// the last zero-padded.
void pack_b(const float* b, int64_t K, int64_t N, int64_t stride_k, int64_t stride_n, float* out);
// The same done at load: the weight transform "wasm.gemm_pack" (runtime/core/weights_codec.h) of
// B held as [N][K] (a column of B after another), so that the file holds B's K * N values, not
// panels padded to kNR columns, and a weight quantized per output channel holds one scale per row.
Json gemm_pack_transform(int64_t K, int64_t N);

struct GemmOutput {
  float* c;
  int64_t ldc;
  const float* bias = nullptr;  // per column, added once
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
  // Added before the clamp (a residual connection): laid out like C, at the same offsets.
  const float* residual = nullptr;
};

// Rows [m0, m1) of C = A . B + bias, clamped to [lo, hi]; A row-major with leading dimension lda.
void gemm_rows(int64_t m0, int64_t m1, int64_t N, int64_t K, const float* a, int64_t lda, const float* bp,
               const GemmOutput& out);
// Rows [m0, m1) and column panels [p0, p1) only.
void gemm_block(int64_t m0, int64_t m1, int64_t p0, int64_t p1, int64_t N, int64_t K, const float* a, int64_t lda,
                const float* bp, const GemmOutput& out);

// Where each matrix of a batch of shape `batch` starts in `t` (its last two axes a matrix, the
// axes before broadcasting to `batch` as numpy's): a batched product's operands.
std::vector<int64_t> batch_offsets(const runtime::TensorInfo& t, const Shape& batch);

// Whole C, split across threads by rows.
void gemm(int64_t M, int64_t N, int64_t K, const float* a, int64_t lda, const float* bp, const GemmOutput& out);

}  // namespace webdnn::wasm
