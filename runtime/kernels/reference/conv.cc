// Reference Conv, ConvTranspose, MaxPool and AveragePool over contiguous NCHW tensors.
#include <cmath>
#include <limits>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

// The window's numbers under short names.
struct Window {
  int64_t kh, kw, sh, sw, pt, pl, dh, dw;
};

Window window(const params::Window& w) {
  return {w.kernel[0], w.kernel[1], w.strides[0], w.strides[1], w.pads[0], w.pads[1], w.dilations[0], w.dilations[1]};
}

// Conv as im2col + a row-by-row product, per image and group.
void conv(const params::Conv& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &x = in[0], &w = in[1];
  Tensor& y = out[0];
  Window win = window(p.window);
  int64_t group = p.group;
  int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  int64_t M = y.shape[1], OH = y.shape[2], OW = y.shape[3];
  int64_t Cg = C / group, Mg = M / group, K = Cg * win.kh * win.kw, P = OH * OW;
  std::vector<float> col(static_cast<size_t>(K * P));
  const float* wd = w.data<float>();
  const float* bias = in.size() > 2 ? in[2].data<float>() : nullptr;  // with an epilogue, always there
  for (int64_t n = 0; n < N; n++) {
    for (int64_t g = 0; g < group; g++) {
      const float* xg = x.data<float>() + (n * C + g * Cg) * H * W;
      for (int64_t c = 0; c < Cg; c++)
        for (int64_t i = 0; i < win.kh; i++)
          for (int64_t j = 0; j < win.kw; j++) {
            float* row = col.data() + ((c * win.kh + i) * win.kw + j) * P;
            for (int64_t oh = 0; oh < OH; oh++) {
              int64_t ih = oh * win.sh - win.pt + i * win.dh;
              for (int64_t ow = 0; ow < OW; ow++) {
                int64_t iw = ow * win.sw - win.pl + j * win.dw;
                bool inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
                row[oh * OW + ow] = inside ? xg[(c * H + ih) * W + iw] : 0.0f;
              }
            }
          }
      for (int64_t m = 0; m < Mg; m++) {
        int64_t mm = g * Mg + m;
        float* yr = y.data<float>() + (n * M + mm) * P;
        float b = bias ? bias[mm] : 0.0f;
        for (int64_t q = 0; q < P; q++) yr[q] = b;
        const float* wr = wd + mm * K;
        for (int64_t k = 0; k < K; k++) {
          float wk = wr[k];
          const float* cr = col.data() + k * P;
          for (int64_t q = 0; q < P; q++) yr[q] += wk * cr[q];
        }
      }
    }
  }
  apply_epilogue(p.epilogue, in, 3, y);
}

// ConvTranspose: every input pixel scatters its weighted kernel into the output.
void conv_transpose(const params::ConvTranspose& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &x = in[0], &w = in[1];
  Tensor& y = out[0];
  Window win = window(p.window);
  int64_t group = p.group;
  int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  int64_t M = y.shape[1], OH = y.shape[2], OW = y.shape[3];
  int64_t Cg = C / group, Mg = M / group;
  float* yd = y.data<float>();
  for (int64_t n = 0; n < N; n++)
    for (int64_t m = 0; m < M; m++)
      for (int64_t q = 0; q < OH * OW; q++) yd[(n * M + m) * OH * OW + q] = in.size() > 2 ? in[2].data<float>()[m] : 0;
  for (int64_t n = 0; n < N; n++)
    for (int64_t g = 0; g < group; g++)
      for (int64_t c = 0; c < Cg; c++)
        for (int64_t ih = 0; ih < H; ih++)
          for (int64_t iw = 0; iw < W; iw++) {
            float v = x.data<float>()[((n * C + g * Cg + c) * H + ih) * W + iw];
            for (int64_t m = 0; m < Mg; m++)
              for (int64_t i = 0; i < win.kh; i++) {
                int64_t oh = ih * win.sh - win.pt + i * win.dh;
                if (oh < 0 || oh >= OH) continue;
                for (int64_t j = 0; j < win.kw; j++) {
                  int64_t ow = iw * win.sw - win.pl + j * win.dw;
                  if (ow < 0 || ow >= OW) continue;
                  float wv = w.data<float>()[(((g * Cg + c) * Mg + m) * win.kh + i) * win.kw + j];
                  yd[((n * M + g * Mg + m) * OH + oh) * OW + ow] += v * wv;
                }
              }
          }
  apply_epilogue(p.epilogue, in, 3, y);
}

template <bool kMax>
void pool(const params::Pool& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  Tensor& y = out[0];
  Window win = window(p.window);
  bool include_pad = p.count_include_pad;
  int64_t NC = x.shape[0] * x.shape[1], H = x.shape[2], W = x.shape[3];
  int64_t OH = y.shape[2], OW = y.shape[3];
  // The padded extent an average window may count: the explicit pads, not ceil_mode's overhang.
  int64_t pads_b = p.window.pads[2], pads_r = p.window.pads[3];
  for (int64_t nc = 0; nc < NC; nc++) {
    const float* xp = x.data<float>() + nc * H * W;
    float* yp = y.data<float>() + nc * OH * OW;
    for (int64_t oh = 0; oh < OH; oh++)
      for (int64_t ow = 0; ow < OW; ow++) {
        float acc = kMax ? -std::numeric_limits<float>::infinity() : 0.0f;
        int64_t count = 0, padded = 0;
        for (int64_t i = 0; i < win.kh; i++) {
          int64_t ih = oh * win.sh - win.pt + i * win.dh;
          for (int64_t j = 0; j < win.kw; j++) {
            int64_t iw = ow * win.sw - win.pl + j * win.dw;
            if (ih >= -win.pt && ih < H + pads_b && iw >= -win.pl && iw < W + pads_r) padded++;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
            float v = xp[ih * W + iw];
            if (kMax) acc = std::isnan(v) || v > acc ? v : acc;
            else acc += v;
            count++;
          }
        }
        yp[oh * OW + ow] = kMax ? acc : acc / static_cast<float>(include_pad ? padded : count);
      }
  }
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("Conv", params::infer_conv, conv);
WEBDNN_REFERENCE_KERNEL("ConvTranspose", params::infer_conv_transpose, conv_transpose);
WEBDNN_REFERENCE_KERNEL("MaxPool", params::infer_pool, pool<true>);
WEBDNN_REFERENCE_KERNEL("AveragePool", params::infer_pool, pool<false>);

}  // namespace webdnn::runtime::reference
