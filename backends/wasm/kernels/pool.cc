// Pooling on channels-last images, the channels in vectors: "wasm.Pool" (MaxPool, AveragePool
// windows) and "wasm.GlobalPool" (mean or max over all pixels of each image).
#include <algorithm>
#include <limits>

#include "backends/wasm/kernels/simd.h"
#include "runtime/core/parallel.h"
#include "runtime/kernels/reference/reference.h"

namespace webdnn::wasm {
namespace {

class Pool : public runtime::Kernel {
 public:
  explicit Pool(const runtime::KernelSpec& spec) {
    params::Pool p = params::Pool::parse(spec.params);
    max_ = params::Reader(spec.params).choice("mode", {"max", "average"}) == "max";
    runtime::require_float32(spec, "wasm.Pool");
    runtime::check_outputs(spec, params::infer_pool(p, runtime::types_of(spec.inputs)));
    WEBDNN_CHECK(spec.inputs[0].is_channels_last() && spec.outputs[0].is_channels_last(),
                 "wasm.Pool needs its input and output NCHW, laid out NHWC");
    const Shape &x = spec.inputs[0].shape, &y = spec.outputs[0].shape;
    N_ = x[0], C_ = x[1], H_ = x[2], W_ = x[3], OH_ = y[2], OW_ = y[3];
    const params::Window& w = p.window;
    kh_ = w.kernel[0], kw_ = w.kernel[1], sh_ = w.strides[0], sw_ = w.strides[1], dh_ = w.dilations[0], dw_ = w.dilations[1];
    pt_ = w.pads[0], pl_ = w.pads[1], pb_ = w.pads[2], pr_ = w.pads[3];
    include_pad_ = p.count_include_pad;
  }

  void run(void* const* in, void* const* out) override {
    const float* x = static_cast<const float*>(in[0]);
    float* y = static_cast<float*>(out[0]);
    runtime::parallel_for(N_ * OH_, 1, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; r++) {
        int64_t n = r / OH_, oh = r % OH_;
        for (int64_t ow = 0; ow < OW_; ow++) window(x, y + ((n * OH_ + oh) * OW_ + ow) * C_, n, oh, ow);
      }
    });
  }

 private:
  void window(const float* x, float* y, int64_t n, int64_t oh, int64_t ow) const {
    const float init = max_ ? -std::numeric_limits<float>::infinity() : 0.0f;
    int64_t count = 0, padded = 0;
    std::fill(y, y + C_, init);
    for (int64_t i = 0; i < kh_; i++) {
      int64_t ih = oh * sh_ - pt_ + i * dh_;
      for (int64_t j = 0; j < kw_; j++) {
        int64_t iw = ow * sw_ - pl_ + j * dw_;
        if (ih >= -pt_ && ih < H_ + pb_ && iw >= -pl_ && iw < W_ + pr_) padded++;
        if (ih < 0 || ih >= H_ || iw < 0 || iw >= W_) continue;
        count++;
        const float* xp = x + ((n * H_ + ih) * W_ + iw) * C_;
        int64_t c = 0;
        if (max_) {  // NaN wins, as in the reference
          for (; c + 4 <= C_; c += 4) store(y + c, max_nan(load(y + c), load(xp + c)));
          for (; c < C_; c++) y[c] = static_cast<float>(expr_math::max(y[c], xp[c]));
        } else {
          for (; c + 4 <= C_; c += 4) store(y + c, load(y + c) + load(xp + c));
          for (; c < C_; c++) y[c] += xp[c];
        }
      }
    }
    if (max_) return;
    float scale = 1.0f / static_cast<float>(include_pad_ ? padded : count);
    for (int64_t c = 0; c < C_; c++) y[c] *= scale;
  }

  int64_t N_, C_, H_, W_, OH_, OW_, kh_, kw_, sh_, sw_, pt_, pl_, pb_, pr_, dh_, dw_;
  bool max_ = true, include_pad_ = false;
};

// Mean or max over H x W of [N, HW, C] channels-last data: rows of C accumulated in vectors.
class GlobalPool : public runtime::Kernel {
 public:
  explicit GlobalPool(const runtime::KernelSpec& spec) {
    max_ = params::Reader(spec.params).choice("mode", {"max", "mean"}) == "max";
    runtime::require_counts(spec, "wasm.GlobalPool", 1, 1);
    runtime::require_float32(spec, "wasm.GlobalPool");
    const runtime::TensorInfo &x = spec.inputs[0], &y = spec.outputs[0];
    bool per_channel = y.rank() >= 2 && y.size() == x.shape[0] * x.shape[1] &&
                       (x.shape[0] == 1 || y.strides[0] == x.shape[1]) && (x.shape[1] == 1 || y.strides[1] == 1);
    WEBDNN_CHECK(x.is_channels_last() && per_channel,
                 "wasm.GlobalPool needs an NCHW input laid out NHWC and one output value per image and channel, in order");
    N_ = x.shape[0], C_ = x.shape[1], HW_ = x.shape[2] * x.shape[3];
  }

  void run(void* const* in, void* const* out) override {
    const float* x = static_cast<const float*>(in[0]);
    float* y = static_cast<float*>(out[0]);
    for (int64_t n = 0; n < N_; n++) {
      float* yn = y + n * C_;
      const float* xn = x + n * HW_ * C_;
      std::copy(xn, xn + C_, yn);
      for (int64_t p = 1; p < HW_; p++) {
        const float* row = xn + p * C_;
        int64_t c = 0;
        if (max_) {
          for (; c + 4 <= C_; c += 4) store(yn + c, max_nan(load(yn + c), load(row + c)));
          for (; c < C_; c++) yn[c] = static_cast<float>(expr_math::max(yn[c], row[c]));
        } else {
          for (; c + 4 <= C_; c += 4) store(yn + c, load(yn + c) + load(row + c));
          for (; c < C_; c++) yn[c] += row[c];
        }
      }
      if (!max_)
        for (int64_t c = 0; c < C_; c++) yn[c] /= static_cast<float>(HW_);
    }
  }

 private:
  int64_t N_, C_, HW_;
  bool max_ = false;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Pool", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<Pool>(spec);
});
WEBDNN_REGISTER_KERNEL("wasm.GlobalPool", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<GlobalPool>(spec);
});

}  // namespace webdnn::wasm
