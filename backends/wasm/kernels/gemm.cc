#include "backends/wasm/kernels/gemm.h"

#include <algorithm>

#include "backends/wasm/kernels/simd.h"
#include "runtime/core/parallel.h"

namespace webdnn::wasm {
namespace {

// K is cut into blocks so that a B panel slice (kKC x kNR) stays in L1 while the rows of a block
// of A (kMC x kKC, in L2) go by.
constexpr int64_t kKC = 256;
constexpr int64_t kMC = 64;
constexpr int kNV = kNR / 4;

// One kMR x kNR tile: acc = (accumulate ? C : bias) + A[rows, k0:k0+kb] . Bp, then clamped.
// Rows past `mb` are not written (with two, the second reads a valid row again: cheaper than a
// branch per step); columns past `nb` are not written.
void tile(int kb, const float* const* a, const float* bp, float* c, int64_t ldc, int mb, int nb,
          const float* bias, bool accumulate, const float* residual, bool clamp, f32x4 lo, f32x4 hi) {
  f32x4 acc[kMR][kNV];
  if (!accumulate && !bias) {  // products of activations (attention): from zero
    for (int r = 0; r < kMR; r++)
      for (int v = 0; v < kNV; v++) acc[r][v] = splat(0.0f);
  } else if (mb == kMR && nb == kNR) {  // the common, whole tile: straight loads
    for (int r = 0; r < kMR; r++)
      for (int v = 0; v < kNV; v++) acc[r][v] = accumulate ? load(c + r * ldc + 4 * v) : load(bias + 4 * v);
  } else {
    float init[kMR][kNR] = {};
    for (int r = 0; r < kMR; r++)
      for (int j = 0; j < nb; j++) init[r][j] = accumulate ? (r < mb ? c[r * ldc + j] : 0.0f) : bias[j];
    for (int r = 0; r < kMR; r++)
      for (int v = 0; v < kNV; v++) acc[r][v] = load(init[r] + 4 * v);
  }
  // Pointers that advance and a 32-bit count: 64-bit index arithmetic costs extra instructions
  // per step in WebAssembly, whose pointers are 32-bit.
  const float *a0 = a[0], *a1 = a[1];
  if (mb == 1) {  // one row (a fully-connected layer on one image): no second row's products
    for (int k = kb; k > 0; k--, bp += kNR) {
      f32x4 b0 = load(bp), b1 = load(bp + 4), b2 = load(bp + 8), b3 = load(bp + 12);
      f32x4 x0 = splat(*a0++);
      acc[0][0] = madd(x0, b0, acc[0][0]), acc[0][1] = madd(x0, b1, acc[0][1]);
      acc[0][2] = madd(x0, b2, acc[0][2]), acc[0][3] = madd(x0, b3, acc[0][3]);
    }
  }
  for (int k = mb == 1 ? 0 : kb; k > 0; k--, bp += kNR) {
    f32x4 b0 = load(bp), b1 = load(bp + 4), b2 = load(bp + 8), b3 = load(bp + 12);
    f32x4 x0 = splat(*a0++), x1 = splat(*a1++);
    acc[0][0] = madd(x0, b0, acc[0][0]), acc[0][1] = madd(x0, b1, acc[0][1]);
    acc[0][2] = madd(x0, b2, acc[0][2]), acc[0][3] = madd(x0, b3, acc[0][3]);
    acc[1][0] = madd(x1, b0, acc[1][0]), acc[1][1] = madd(x1, b1, acc[1][1]);
    acc[1][2] = madd(x1, b2, acc[1][2]), acc[1][3] = madd(x1, b3, acc[1][3]);
  }
  if (residual) {
    float add[kMR][kNR] = {};
    for (int r = 0; r < mb; r++)
      for (int j = 0; j < nb; j++) add[r][j] = residual[r * ldc + j];
    for (int r = 0; r < kMR; r++)
      for (int v = 0; v < kNV; v++) acc[r][v] += load(add[r] + 4 * v);
  }
  if (clamp)
    for (int r = 0; r < kMR; r++)
      for (int v = 0; v < kNV; v++) acc[r][v] = min(max(acc[r][v], lo), hi);
  if (mb == kMR && nb == kNR) {
    for (int r = 0; r < kMR; r++)
      for (int v = 0; v < kNV; v++) store(c + r * ldc + 4 * v, acc[r][v]);
    return;
  }
  float out[kMR][kNR];
  for (int r = 0; r < kMR; r++)
    for (int v = 0; v < kNV; v++) store(out[r] + 4 * v, acc[r][v]);
  for (int r = 0; r < mb; r++)
    for (int j = 0; j < nb; j++) c[r * ldc + j] = out[r][j];
}

}  // namespace

void pack_b(const float* b, int64_t K, int64_t N, int64_t stride_k, int64_t stride_n, float* out) {
  for (int64_t p = 0; p < (N + kNR - 1) / kNR; p++)
    for (int64_t k = 0; k < K; k++)
      for (int64_t j = 0; j < kNR; j++) {
        int64_t n = p * kNR + j;
        out[(p * K + k) * kNR + j] = n < N ? b[k * stride_k + n * stride_n] : 0.0f;
      }
}

void gemm_rows(int64_t m0, int64_t m1, int64_t N, int64_t K, const float* a, int64_t lda, const float* bp,
               const GemmOutput& out) {
  gemm_block(m0, m1, 0, (N + kNR - 1) / kNR, N, K, a, lda, bp, out);
}

void gemm_block(int64_t m0, int64_t m1, int64_t p0, int64_t p1, int64_t N, int64_t K, const float* a, int64_t lda,
                const float* bp, const GemmOutput& out) {
  const bool clamp = out.lo > -std::numeric_limits<float>::infinity() || out.hi < std::numeric_limits<float>::infinity();
  const f32x4 lo = splat(out.lo), hi = splat(out.hi);
  for (int64_t mc = m0; mc < m1; mc += kMC) {
    int64_t mend = std::min(mc + kMC, m1);
    // K = 0 still takes one pass, of no products: C is then the bias (or 0), clamped.
    for (int64_t kc = 0; kc < std::max<int64_t>(K, 1); kc += kKC) {
      int64_t kb = std::min(kKC, K - kc);
      bool first = kc == 0, last = kc + kb == K;
      for (int64_t p = p0; p < p1; p++) {
        int nb = static_cast<int>(std::min<int64_t>(kNR, N - p * kNR));
        const float* panel = bp + (p * K + kc) * kNR;
        for (int64_t m = mc; m < mend; m += kMR) {
          int mb = static_cast<int>(std::min<int64_t>(kMR, mend - m));
          const float* rows[kMR];
          for (int r = 0; r < kMR; r++) rows[r] = a + (m + std::min(r, mb - 1)) * lda + kc;
          int64_t at = m * out.ldc + p * kNR;
          tile(static_cast<int>(kb), rows, panel, out.c + at, out.ldc, mb, nb, out.bias ? out.bias + p * kNR : nullptr,
               !first, last && out.residual ? out.residual + at : nullptr, last && clamp, lo, hi);
        }
      }
    }
  }
}

void gemm(int64_t M, int64_t N, int64_t K, const float* a, int64_t lda, const float* bp, const GemmOutput& out) {
  const int64_t blocks = (M + kMR - 1) / kMR, panels = (N + kNR - 1) / kNR;
  // Few rows (a fully-connected layer on one image): the threads share the columns instead.
  if (blocks < 4 * runtime::num_threads()) {
    runtime::parallel_for(panels, 2, [&](int64_t q0, int64_t q1) { gemm_block(0, M, q0, q1, N, K, a, lda, bp, out); });
    return;
  }
  runtime::parallel_for(blocks, 4, [&](int64_t b0, int64_t b1) {
    gemm_rows(b0 * kMR, std::min(b1 * kMR, M), N, K, a, lda, bp, out);
  });
}

std::vector<int64_t> batch_offsets(const runtime::TensorInfo& t, const Shape& batch) {
  const size_t pad = batch.size() - static_cast<size_t>(t.rank() - 2);
  std::vector<int64_t> at(static_cast<size_t>(num_elements(batch)), 0);
  for (size_t i = 0; i < at.size(); i++) {
    int64_t rest = static_cast<int64_t>(i), offset = 0;
    for (size_t d = batch.size(); d-- > 0;) {
      int64_t coord = rest % batch[d];
      rest /= batch[d];
      if (d >= pad && t.shape[d - pad] != 1) offset += coord * t.strides[d - pad];
    }
    at[i] = offset;
  }
  return at;
}

}  // namespace webdnn::wasm
