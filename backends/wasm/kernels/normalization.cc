// "wasm.InstanceNormalization" on channels-last images: per image, the mean and variance of every
// channel over its pixels, accumulated four channels at a time, then one pass to normalize.
#include <algorithm>
#include <cmath>
#include <vector>

#include "backends/wasm/kernels/simd.h"
#include "runtime/core/parallel.h"
#include "runtime/kernels/reference/reference.h"

namespace webdnn::wasm {
namespace {

class InstanceNorm : public runtime::Kernel {
 public:
  explicit InstanceNorm(const runtime::KernelSpec& spec) {
    params::Normalization p = params::Normalization::parse(spec.params);
    runtime::check_outputs(spec, params::infer_instance_norm(p, runtime::types_of(spec.inputs)));
    const runtime::TensorInfo &x = spec.inputs[0], &y = spec.outputs[0];
    WEBDNN_CHECK(x.strides[1] == 1 && x.is_dense() && y.strides == x.strides,
                 "wasm.InstanceNormalization needs channels innermost, input and output laid out alike");
    N_ = x.shape[0], C_ = x.shape[1], P_ = x.size() / std::max<int64_t>(N_ * C_, 1);
    epsilon_ = p.epsilon;
  }

  void run(void* const* in, void* const* out) override {
    const float* x = static_cast<const float*>(in[0]);
    const float *scale = static_cast<const float*>(in[1]), *bias = static_cast<const float*>(in[2]);
    float* y = static_cast<float*>(out[0]);
    for (int64_t n = 0; n < N_; n++) {
      const float* xn = x + n * P_ * C_;
      float* yn = y + n * P_ * C_;
      // Row by row, four channels at a time, in float over blocks of pixels that are then
      // folded into double sums (one partial per block, so threads need no lock).
      constexpr int64_t kBlock = 256;
      const int64_t blocks = (P_ + kBlock - 1) / kBlock, C4 = (C_ + 3) / 4 * 4;
      std::vector<double> partial(static_cast<size_t>(blocks * 2 * C4), 0.0);
      runtime::parallel_for(blocks, 1, [&](int64_t b0, int64_t b1) {
        std::vector<float> s(C4), q(C4);
        for (int64_t b = b0; b < b1; b++) {
          std::fill(s.begin(), s.end(), 0.0f);
          std::fill(q.begin(), q.end(), 0.0f);
          for (int64_t p = b * kBlock; p < std::min(P_, (b + 1) * kBlock); p++) {
            const float* row = xn + p * C_;
            int64_t c = 0;
            for (; c + 4 <= C_; c += 4) {
              f32x4 v = load(row + c);
              store(&s[c], load(&s[c]) + v);
              store(&q[c], load(&q[c]) + v * v);
            }
            for (; c < C_; c++) s[c] += row[c], q[c] += row[c] * row[c];
          }
          for (int64_t c = 0; c < C_; c++) partial[(b * 2) * C4 + c] = s[c], partial[(b * 2 + 1) * C4 + c] = q[c];
        }
      });
      std::vector<double> sum(C_, 0.0), squares(C_, 0.0);
      for (int64_t b = 0; b < blocks; b++)
        for (int64_t c = 0; c < C_; c++) sum[c] += partial[(b * 2) * C4 + c], squares[c] += partial[(b * 2 + 1) * C4 + c];
      std::vector<float> mul(C_), add(C_);
      for (int64_t c = 0; c < C_; c++) {
        double mean = sum[c] / P_, var = std::max(squares[c] / P_ - mean * mean, 0.0);
        double k = scale[c] / std::sqrt(var + epsilon_);
        mul[c] = static_cast<float>(k);
        add[c] = static_cast<float>(bias[c] - mean * k);
      }
      runtime::parallel_for(P_, 256, [&](int64_t p0, int64_t p1) {
        for (int64_t p = p0; p < p1; p++) {
          const float* row = xn + p * C_;
          float* dst = yn + p * C_;
          int64_t c = 0;
          for (; c + 4 <= C_; c += 4) store(dst + c, load(row + c) * load(&mul[c]) + load(&add[c]));
          for (; c < C_; c++) dst[c] = row[c] * mul[c] + add[c];
        }
      });
    }
  }

 private:
  int64_t N_, C_, P_;
  double epsilon_;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.InstanceNormalization", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<InstanceNorm>(spec);
});

}  // namespace webdnn::wasm
