// The wasm backend's convolution: NHWC images, weights packed offline (conv_pack.h), three
// algorithms: matrix product over im2col rows (or the image itself for pointwise convolutions),
// Winograd F(2x2,3x3), and depthwise. Inputs: X, packed W, bias [M], epilogue extras.
#include <algorithm>
#include <cstring>

#include "backends/wasm/kernels/conv_pack.h"
#include "backends/wasm/kernels/epilogue.h"
#include "backends/wasm/kernels/gemm.h"
#include "backends/wasm/kernels/scratch.h"
#include "backends/wasm/kernels/simd.h"
#include "backends/wasm/kernels/winograd.h"
#include "runtime/core/parallel.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

struct Geometry {
  int64_t N, C, H, W, M, OH, OW, kh, kw, sh, sw, pt, pl, dh, dw, group;
};

Geometry geometry(const runtime::KernelSpec& spec) {
  const Shape &x = spec.inputs[0].shape, &y = spec.outputs[0].shape;
  auto ints = [&](const char* k) { return spec.params.at(k).get<std::vector<int64_t>>(); };
  auto k = ints("kernel_shape"), s = ints("strides"), p = ints("pads"), d = ints("dilations");
  return {x[0], x[1], x[2], x[3], y[1], y[2], y[3], k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1],
          spec.params.value("group", int64_t{1})};
}

// NCHW logical shape laid out channels-last: strides [HWC, 1, WC, C].
void require_nhwc(const runtime::TensorInfo& t, const char* what) {
  const Shape& s = t.shape;
  Shape want = {s[1] * s[2] * s[3], 1, s[3] * s[1], s[1]};
  for (int a = 0; a < 4; a++)
    WEBDNN_CHECK(s[a] == 1 || t.strides[a] == want[a], "wasm Conv needs its ", what, " channels-last (NHWC)");
}

class Conv : public runtime::Kernel {
 public:
  explicit Conv(const runtime::KernelSpec& spec)
      : g_(geometry(spec)),
        algorithm_(spec.params.at("algorithm").get<std::string>()),
        epilogue_(Epilogue::from(spec, 3, algorithm_ == "gemm")) {
    require_nhwc(spec.inputs[0], "input");
    require_nhwc(spec.outputs[0], "output");
    pointwise_ = g_.kh == 1 && g_.kw == 1 && g_.sh == 1 && g_.sw == 1 && g_.pt == 0 && g_.pl == 0 && g_.group == 1;
  }

  void run(void* const* in, void* const* out) override {
    const float* x = static_cast<const float*>(in[0]);
    const float* w = static_cast<const float*>(in[1]);
    const float* bias = static_cast<const float*>(in[2]);
    float* y = static_cast<float*>(out[0]);
    const int64_t total = g_.N * g_.OH * g_.OW * g_.M;
    if (algorithm_ == "winograd") {
      winograd(x, w, bias, y);
      epilogue_.finish(in, y, 0, total);
    } else if (algorithm_ == "depthwise") {
      depthwise(x, w, bias, y);
      epilogue_.finish(in, y, 0, total);
    } else if (pointwise_) {
      gemm(g_.N * g_.OH * g_.OW, g_.M, g_.C, x, g_.C, w, {y, g_.M, bias, epilogue_.lo, epilogue_.hi, epilogue_.residual_data(in)});
      epilogue_.finish(in, y, 0, total);
    } else {
      im2col_gemm(in, x, w, bias, y);
    }
  }

 private:
  // Rows are output pixels (n, oh, ow); each holds the receptive field, taps outer, channels inner.
  void im2col(const float* x, int64_t p0, int64_t rows, int64_t c0, int64_t cg, float* patch) const {
    for (int64_t r = 0; r < rows; r++) {
      int64_t p = p0 + r, n = p / (g_.OH * g_.OW), oh = p / g_.OW % g_.OH, ow = p % g_.OW;
      float* row = patch + r * g_.kh * g_.kw * cg;
      const int64_t iw0 = ow * g_.sw - g_.pl;
      // A whole row of taps inside the image is one contiguous run of the input (no groups).
      const bool whole_rows = cg == g_.C && g_.dw == 1 && iw0 >= 0 && iw0 + g_.kw <= g_.W;
      for (int64_t i = 0; i < g_.kh; i++) {
        int64_t ih = oh * g_.sh - g_.pt + i * g_.dh;
        if (whole_rows && ih >= 0 && ih < g_.H) {
          std::memcpy(row, x + ((n * g_.H + ih) * g_.W + iw0) * g_.C, g_.kw * g_.C * sizeof(float));
          row += g_.kw * cg;
          continue;
        }
        for (int64_t j = 0; j < g_.kw; j++, row += cg) {
          int64_t iw = ow * g_.sw - g_.pl + j * g_.dw;
          if (ih < 0 || ih >= g_.H || iw < 0 || iw >= g_.W) std::fill(row, row + cg, 0.0f);
          else std::memcpy(row, x + ((n * g_.H + ih) * g_.W + iw) * g_.C + c0, cg * sizeof(float));
        }
      }
    }
  }

  void im2col_gemm(void* const* in, const float* x, const float* w, const float* bias, float* y) const {
    const int64_t P = g_.N * g_.OH * g_.OW, Cg = g_.C / g_.group, Mg = g_.M / g_.group, K = g_.kh * g_.kw * Cg;
    const int64_t block = packed_b_size(K, Mg);
    // Blocks of up to 64 output pixels, smaller when that leaves a thread without a block (the
    // last stages of ResNet50 have 49 pixels).
    const int64_t rows_per_block = std::clamp<int64_t>((P + runtime::num_threads() - 1) / runtime::num_threads(), 8, 64);
    runtime::parallel_for((P + rows_per_block - 1) / rows_per_block, 1, [&](int64_t b0, int64_t b1) {
      float* patch = scratch(static_cast<size_t>(rows_per_block * K));
      for (int64_t b = b0; b < b1; b++) {
        int64_t p0 = b * rows_per_block, rows = std::min(rows_per_block, P - p0);
        for (int64_t g = 0; g < g_.group; g++) {
          im2col(x, p0, rows, g * Cg, Cg, patch);
          const float* residual = epilogue_.residual_data(in);
          gemm_rows(0, rows, Mg, K, patch, K, w + g * block,
                    {y + p0 * g_.M + g * Mg, g_.M, bias + g * Mg, epilogue_.lo, epilogue_.hi,
                     residual ? residual + p0 * g_.M + g * Mg : nullptr});
        }
        epilogue_.finish(in, y, p0 * g_.M, (p0 + rows) * g_.M);  // while the rows are in cache
      }
    });
  }

  void winograd(const float* x, const float* u, const float* bias, float* y) const;
  void depthwise(const float* x, const float* w, const float* bias, float* y) const;

  Geometry g_;
  std::string algorithm_;
  Epilogue epilogue_;
  bool pointwise_ = false;
};

// Winograd F(2x2,3x3) over blocks of tiles: transform the input tiles, 16 matrix products with the
// transformed weights (one per point of the 4x4 transform), transform back to 2x2 outputs.
void Conv::winograd(const float* x, const float* u, const float* bias, float* y) const {
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

// One output pixel at a time, the channels in vectors: taps outer, channels inner.
void Conv::depthwise(const float* x, const float* w, const float* bias, float* y) const {
  const int64_t C = g_.C;
  const f32x4 lo = splat(epilogue_.lo), hi = splat(epilogue_.hi);
  runtime::parallel_for(g_.N * g_.OH, 1, [&](int64_t r0, int64_t r1) {
    std::vector<float> acc(static_cast<size_t>((C + 3) / 4 * 4));
    for (int64_t r = r0; r < r1; r++) {
      int64_t n = r / g_.OH, oh = r % g_.OH;
      for (int64_t ow = 0; ow < g_.OW; ow++) {
        std::copy(bias, bias + C, acc.begin());
        for (int64_t i = 0; i < g_.kh; i++) {
          int64_t ih = oh * g_.sh - g_.pt + i * g_.dh;
          if (ih < 0 || ih >= g_.H) continue;
          for (int64_t j = 0; j < g_.kw; j++) {
            int64_t iw = ow * g_.sw - g_.pl + j * g_.dw;
            if (iw < 0 || iw >= g_.W) continue;
            const float* xp = x + ((n * g_.H + ih) * g_.W + iw) * C;
            const float* wp = w + (i * g_.kw + j) * C;
            int64_t c = 0;
            for (; c + 4 <= C; c += 4) store(&acc[c], load(&acc[c]) + load(xp + c) * load(wp + c));
            for (; c < C; c++) acc[c] += xp[c] * wp[c];
          }
        }
        float* yp = y + ((n * g_.OH + oh) * g_.OW + ow) * C;
        int64_t c = 0;
        for (; c + 4 <= C; c += 4) store(yp + c, min(max(load(&acc[c]), lo), hi));
        for (; c < C; c++) yp[c] = std::min(std::max(acc[c], epilogue_.lo), epilogue_.hi);
      }
    }
  });
}

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Conv", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<Conv>(spec);
});

}  // namespace webdnn::wasm
