// Normalizations over the innermost axes of row-major tensors, one row at a time (a transformer's
// hidden vector per token, an attention score row per query):
//   "wasm.LayerNormalization"  (x - mean) / sqrt(var + epsilon) * scale + bias over axes axis..,
//                              scale and bias one row each; params "rms": the mean taken as 0
//   "wasm.Softmax"             exp(x - max) / sum along one axis (params "log": LogSoftmax); the
//                              elements along it are `inner` apart (1 for the last axis)
// Rows are independent, so threads take whole rows; within a row, four lanes at a time.
#include <algorithm>
#include <cmath>
#include <vector>

#include "backends/wasm/kernels/simd.h"
#include "backends/wasm/kernels/softmax_row.h"
#include "runtime/core/parallel.h"
#include "runtime/kernels/reference/reference.h"

namespace webdnn::wasm {
namespace {

// Sum of row[0..n), four lanes at a time, then the lanes folded.
float row_sum(const float* row, int64_t n) {
  f32x4 acc = splat(0.0f);
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) acc += load(row + i);
  float lanes[4];
  store(lanes, acc);
  float s = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (; i < n; i++) s += row[i];
  return s;
}

// The rows of a tensor whose last `axes_from..` axes make one row: rows x n.
void rows_of(const runtime::TensorInfo& x, size_t axes_from, int64_t& rows, int64_t& n) {
  n = 1;
  for (size_t d = axes_from; d < x.shape.size(); d++) n *= x.shape[d];
  rows = n ? x.size() / n : 0;
}

class LayerNorm : public runtime::Kernel {
 public:
  explicit LayerNorm(const runtime::KernelSpec& spec) {
    params::LayerNormalization p = params::LayerNormalization::parse(spec.params);
    runtime::check_outputs(spec, params::infer_layer_norm(p, runtime::types_of(spec.inputs)));
    runtime::require_float32(spec, "wasm.LayerNormalization");
    const runtime::TensorInfo &x = spec.inputs[0], &y = spec.outputs[0];
    rows_of(x, static_cast<size_t>(p.axis), rows_, n_);
    WEBDNN_CHECK(x.is_contiguous() && y.is_contiguous(), "wasm.LayerNormalization needs X and Y row-major");
    for (size_t i = 1; i < spec.inputs.size(); i++)
      WEBDNN_CHECK(spec.inputs[i].size() == n_ && spec.inputs[i].is_contiguous(),
                   "wasm.LayerNormalization needs a scale and a bias of one row (", n_, " values) each");
    has_bias_ = spec.inputs.size() > 2;
    epsilon_ = static_cast<float>(p.epsilon);
    rms_ = p.rms;
  }

  void run(void* const* in, void* const* out) override {
    const float *x = static_cast<const float*>(in[0]), *scale = static_cast<const float*>(in[1]);
    const float* bias = has_bias_ ? static_cast<const float*>(in[2]) : nullptr;
    float* y = static_cast<float*>(out[0]);
    const int64_t n = n_;
    runtime::parallel_for(rows_, 8, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; r++) {
        const float* row = x + r * n;
        float* dst = y + r * n;
        // Two passes (mean, then the squares about it): one pass of x^2 - mean^2 loses the
        // variance of rows far from zero in float.
        const float mean = rms_ ? 0.0f : row_sum(row, n) / static_cast<float>(n);
        const f32x4 m = splat(mean);
        f32x4 acc = splat(0.0f);
        int64_t i = 0;
        for (; i + 4 <= n; i += 4) {
          f32x4 d = load(row + i) - m;
          acc += d * d;
        }
        float lanes[4];
        store(lanes, acc);
        float var = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        for (; i < n; i++) var += (row[i] - mean) * (row[i] - mean);
        const float inv = 1.0f / std::sqrt(var / static_cast<float>(n) + epsilon_);
        const f32x4 k = splat(inv);
        i = 0;
        for (; i + 4 <= n; i += 4) {
          f32x4 v = (load(row + i) - m) * k * load(scale + i);
          store(dst + i, bias ? v + load(bias + i) : v);
        }
        for (; i < n; i++) dst[i] = (row[i] - mean) * inv * scale[i] + (bias ? bias[i] : 0.0f);
      }
    });
  }

 private:
  int64_t rows_ = 0, n_ = 0;
  bool has_bias_ = false, rms_ = false;
  float epsilon_ = 0;
};

class Softmax : public runtime::Kernel {
 public:
  explicit Softmax(const runtime::KernelSpec& spec) {
    runtime::require_counts(spec, "wasm.Softmax", 1, 1);
    runtime::require_float32(spec, "wasm.Softmax");
    params::Axis axis = params::Axis::parse(spec.params);
    log_ = params::Reader(spec.params).flag("log");
    runtime::check_outputs(spec, params::infer_softmax(axis, runtime::types_of(spec.inputs)));
    const runtime::TensorInfo &x = spec.inputs[0], &y = spec.outputs[0];
    WEBDNN_CHECK(x.is_contiguous() && y.is_contiguous(), "wasm.Softmax needs row-major tensors");
    const size_t a = static_cast<size_t>(axis.axis);
    n_ = x.shape[a];
    for (size_t d = 0; d < a; d++) outer_ *= x.shape[d];
    for (size_t d = a + 1; d < x.shape.size(); d++) inner_ *= x.shape[d];
  }

  void run(void* const* in, void* const* out) override {
    const float* x = static_cast<const float*>(in[0]);
    float* y = static_cast<float*>(out[0]);
    const int64_t n = n_, inner = inner_;
    if (n == 0) return;  // an empty axis: no rows to normalize
    if (inner == 1) {
      runtime::parallel_for(outer_, 8, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; r++) row(x + r * n, y + r * n);
      });
      return;
    }
    // Along an inner axis: one strided row per (outer, inner) position.
    runtime::parallel_for(outer_ * inner, 8, [&](int64_t r0, int64_t r1) {
      std::vector<float> gathered(static_cast<size_t>(n)), result(static_cast<size_t>(n));
      for (int64_t r = r0; r < r1; r++) {
        const int64_t at = r / inner * n * inner + r % inner;
        for (int64_t i = 0; i < n; i++) gathered[i] = x[at + i * inner];
        row(gathered.data(), result.data());
        for (int64_t i = 0; i < n; i++) y[at + i * inner] = result[i];
      }
    });
  }

 private:
  // One row of n_ contiguous values (dst may be src). The maximum first keeps exp() from overflowing.
  void row(const float* src, float* dst) const {
    const int64_t n = n_;
    const float max = row_max(src, n);
    const double sum = exp_sum(src, log_ ? nullptr : dst, n, max);
    if (log_) {
      const float shift = max + static_cast<float>(std::log(sum));
      for (int64_t i = 0; i < n; i++) dst[i] = src[i] - shift;
      return;
    }
    scale_row(dst, n, static_cast<float>(1.0 / sum));
  }

  int64_t outer_ = 1, n_ = 0, inner_ = 1;
  bool log_ = false;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.LayerNormalization", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<LayerNorm>(spec);
});
WEBDNN_REGISTER_KERNEL("wasm.Softmax", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<Softmax>(spec);
});

}  // namespace webdnn::wasm
