// "wasm.Relayout": a float32 tensor copied into another memory order (NCHW <-> NHWC at the
// model's edges). The output is written in memory order; the input is read with its strides.
#include <algorithm>
#include <numeric>

#include "runtime/core/kernel.h"
#include "runtime/core/parallel.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

class Relayout : public runtime::Kernel {
 public:
  explicit Relayout(const runtime::KernelSpec& spec) {
    runtime::require_counts(spec, "wasm.Relayout", 1, 1);
    runtime::require_float32(spec, "wasm.Relayout");
    const auto &in = spec.inputs[0], &out = spec.outputs[0];
    WEBDNN_CHECK(in.shape == out.shape && out.is_dense(), "wasm.Relayout copies a tensor into a dense one of its shape");
    std::vector<int> axes(out.shape.size());
    std::iota(axes.begin(), axes.end(), 0);
    std::stable_sort(axes.begin(), axes.end(), [&](int a, int b) { return out.strides[a] > out.strides[b]; });
    for (int a : axes) {
      dims_.push_back(out.shape[a]);
      strides_.push_back(in.strides[a]);
    }
    size_ = out.size();
  }

  void run(void* const* in, void* const* out) override {
    const float* x = static_cast<const float*>(in[0]);
    float* y = static_cast<float*>(out[0]);
    const int64_t inner = dims_.back(), stride = strides_.back(), rows = size_ / std::max<int64_t>(inner, 1);
    runtime::parallel_for(rows, 64, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; r++) {
        int64_t rest = r, offset = 0;
        for (size_t d = dims_.size() - 1; d-- > 0;) {
          offset += rest % dims_[d] * strides_[d];
          rest /= dims_[d];
        }
        const float* src = x + offset;
        float* dst = y + r * inner;
        for (int64_t i = 0; i < inner; i++) dst[i] = src[i * stride];
      }
    });
  }

 private:
  std::vector<int64_t> dims_, strides_;
  int64_t size_ = 0;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Relayout", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<Relayout>(spec);
});

}  // namespace webdnn::wasm
