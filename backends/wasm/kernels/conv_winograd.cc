// Winograd F(2x2,3x3) convolution over NHWC images: per block of 4x4 input tiles, the input
// transform, 16 matrix products with the transformed weights (one per point of the transform),
// and the output transform to 2x2 outputs.
#include <algorithm>
#include <cstring>

#include "backends/wasm/kernels/conv.h"
#include "backends/wasm/kernels/gemm.h"
#include "backends/wasm/kernels/scratch.h"
#include "backends/wasm/kernels/simd.h"
#include "backends/wasm/kernels/winograd.h"
#include "runtime/core/parallel.h"

namespace webdnn::wasm {
namespace {

class WinogradConv : public runtime::Kernel {
 public:
  WinogradConv(const ConvGeometry& g, Epilogue epilogue) : g_(g), epilogue_(std::move(epilogue)) {}

  void run(void* const* in, void* const* out) override {
    float* y = static_cast<float*>(out[0]);
    compute(static_cast<const float*>(in[0]), static_cast<const float*>(in[1]), static_cast<const float*>(in[2]), y);
    epilogue_.finish(in, y, 0, g_.N * g_.OH * g_.OW * g_.M);
  }

 private:
  void compute(const float* x, const float* u, const float* bias, float* y) const;

  ConvGeometry g_;
  Epilogue epilogue_;
};

// Winograd F(2x2,3x3) over blocks of tiles: transform the input tiles, 16 matrix products with the
// transformed weights (one per point of the 4x4 transform), transform back to 2x2 outputs.
void WinogradConv::compute(const float* x, const float* u, const float* bias, float* y) const {
  using winograd::kPoints;
  const int64_t C = g_.C, M = g_.M, TH = (g_.OH + 1) / 2, TW = (g_.OW + 1) / 2, T = g_.N * TH * TW;
  // Tiles per block: the transformed block (16 x tiles x (C + M) floats) near 4 MB.
  // Fewer when that leaves a thread without a block (a 14x14 image has 49 tiles).
  const int64_t threads = runtime::num_threads();
  const int64_t per_block = std::min(std::max<int64_t>(16, std::min<int64_t>(T, (1 << 20) / (kPoints * (C + M)))),
                                     std::max<int64_t>(4, (T + threads - 1) / threads));
  const int64_t u_block = packed_b_size(C, M);
  const int64_t C4 = (C + 3) / 4 * 4;
  runtime::parallel_for((T + per_block - 1) / per_block, 1, [&](int64_t b0, int64_t b1) {
    float* v = scratch(static_cast<size_t>(kPoints * per_block * C4), 0);
    float* m = scratch(static_cast<size_t>(kPoints * per_block * M), 1);
    for (int64_t b = b0; b < b1; b++) {
      const int64_t t0 = b * per_block, tiles = std::min(per_block, T - t0);
      // Input transform: V = B^T d B per tile, four channels at a time.
      for (int64_t t = 0; t < tiles; t++) {
        int64_t tile = t0 + t, n = tile / (TH * TW), th = tile / TW % TH, tw = tile % TW;
        int64_t ih0 = th * 2 - g_.pt, iw0 = tw * 2 - g_.pl;
        // Tiles wholly inside the image (most of them) load without checks.
        const bool inside = C % 4 == 0 && ih0 >= 0 && ih0 + 4 <= g_.H && iw0 >= 0 && iw0 + 4 <= g_.W;
        const float* origin = x + ((n * g_.H + ih0) * g_.W + iw0) * C;
        for (int64_t c = 0; c < C; c += 4) {
          f32x4 dv[4][4];
          for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
              if (inside) {
                dv[i][j] = load(origin + (i * g_.W + j) * C + c);
                continue;
              }
              int64_t ih = ih0 + i, iw = iw0 + j;
              float tmp[4] = {0, 0, 0, 0};
              if (ih >= 0 && ih < g_.H && iw >= 0 && iw < g_.W)
                std::memcpy(tmp, x + ((n * g_.H + ih) * g_.W + iw) * C + c, std::min<int64_t>(4, C - c) * sizeof(float));
              dv[i][j] = load(tmp);
            }
          f32x4 tr[4][4];
          for (int j = 0; j < 4; j++) {
            tr[0][j] = dv[0][j] - dv[2][j];
            tr[1][j] = dv[1][j] + dv[2][j];
            tr[2][j] = dv[2][j] - dv[1][j];
            tr[3][j] = dv[1][j] - dv[3][j];
          }
          for (int i = 0; i < 4; i++) {
            f32x4 r[4] = {tr[i][0] - tr[i][2], tr[i][1] + tr[i][2], tr[i][2] - tr[i][1], tr[i][1] - tr[i][3]};
            for (int j = 0; j < 4; j++) store(&v[((i * 4 + j) * per_block + t) * C4 + c], r[j]);
          }
        }
      }
      // One product per transformed point: [tiles x C] . [C x M].
      for (int p = 0; p < kPoints; p++)
        gemm_rows(0, tiles, M, C, &v[p * per_block * C4], C4, u + p * u_block, {&m[p * per_block * M], M});
      // Output transform: Y = A^T m A, plus bias, clamped, written where the image has pixels.
      const f32x4 lo = splat(epilogue_.lo), hi = splat(epilogue_.hi);
      for (int64_t t = 0; t < tiles; t++) {
        int64_t tile = t0 + t, n = tile / (TH * TW), oh = tile / TW % TH * 2, ow = tile % TW * 2;
        const bool full = M % 4 == 0 && oh + 1 < g_.OH && ow + 1 < g_.OW;
        for (int64_t k = 0; k < M; k += 4) {
          int64_t lanes = std::min<int64_t>(4, M - k);
          f32x4 mv[4][4];
          for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
              const float* src = &m[((i * 4 + j) * per_block + t) * M + k];
              float tmp[4] = {0, 0, 0, 0};
              if (lanes < 4) std::memcpy(tmp, src, lanes * sizeof(float));
              mv[i][j] = lanes < 4 ? load(tmp) : load(src);
            }
          f32x4 s[2][4];
          for (int j = 0; j < 4; j++) {
            s[0][j] = mv[0][j] + mv[1][j] + mv[2][j];
            s[1][j] = mv[1][j] - mv[2][j] - mv[3][j];
          }
          float bt[4] = {0, 0, 0, 0};
          std::memcpy(bt, bias + k, lanes * sizeof(float));
          const f32x4 bv = load(bt);
          for (int i = 0; i < 2; i++) {
            f32x4 out[2] = {s[i][0] + s[i][1] + s[i][2] + bv, s[i][1] - s[i][2] - s[i][3] + bv};
            if (full) {
              float* yp = y + ((n * g_.OH + oh + i) * g_.OW + ow) * M + k;
              store(yp, min(max(out[0], lo), hi));
              store(yp + M, min(max(out[1], lo), hi));
              continue;
            }
            for (int j = 0; j < 2; j++) {
              if (oh + i >= g_.OH || ow + j >= g_.OW) continue;
              float o[4];
              store(o, min(max(out[j], lo), hi));
              std::memcpy(y + ((n * g_.OH + oh + i) * g_.OW + ow + j) * M + k, o, lanes * sizeof(float));
            }
          }
        }
      }
    }
  });
}

}  // namespace

std::unique_ptr<runtime::Kernel> make_winograd_conv(const ConvGeometry& g, Epilogue epilogue) {
  return std::make_unique<WinogradConv>(g, std::move(epilogue));
}

}  // namespace webdnn::wasm
