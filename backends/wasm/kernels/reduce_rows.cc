// "wasm.ReduceRows": ReduceMax / ReduceMin of a row-major float32 tensor over its trailing axes
// (each output element the extreme of one contiguous row), four lanes at a time; NaN wins, as in
// the reference. DynamicQuantizeLinear's range of a whole activation is one such row. Params: the
// reference's ("axes", "keepdims", "reduce").
#include <algorithm>
#include <limits>

#include "backends/wasm/kernels/simd.h"
#include "runtime/core/kernel.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

class ReduceRowsKernel : public runtime::Kernel {
 public:
  explicit ReduceRowsKernel(const runtime::KernelSpec& spec) {
    runtime::require_counts(spec, "wasm.ReduceRows", 1, 1);
    runtime::require_float32(spec, "wasm.ReduceRows");
    params::Reader r(spec.params);
    params::Reduce p = params::Reduce::parse(spec.params);
    max_ = r.choice("reduce", {"max", "min"}) == "max";
    const runtime::TensorInfo &x = spec.inputs[0], &y = spec.outputs[0];
    runtime::check_outputs(spec, params::infer_reduce(p, runtime::types_of(spec.inputs)));
    WEBDNN_CHECK(x.is_contiguous() && y.is_contiguous(), "wasm.ReduceRows needs row-major tensors");
    const size_t first = static_cast<size_t>(x.rank()) - p.axes.size();
    for (size_t i = 0; i < p.axes.size(); i++)
      WEBDNN_CHECK(p.axes[i] == static_cast<int64_t>(first + i), "wasm.ReduceRows reduces trailing axes only");
    rows_ = y.size();
    length_ = rows_ ? x.size() / rows_ : 0;
  }

  void run(void* const* in, void* const* out) override {
    const float* x = static_cast<const float*>(in[0]);
    float* y = static_cast<float*>(out[0]);
    for (int64_t r = 0; r < rows_; r++) y[r] = max_ ? extreme<true>(x + r * length_) : extreme<false>(x + r * length_);
  }

 private:
  template <bool kMax>
  float extreme(const float* x) const {
    const float start = kMax ? -std::numeric_limits<float>::infinity() : std::numeric_limits<float>::infinity();
    f32x4 acc = splat(start);
    int64_t i = 0;
    for (; i + 4 <= length_; i += 4) acc = kMax ? max_nan(acc, load(x + i)) : min_nan(acc, load(x + i));
    float lanes[4];
    store(lanes, acc);
    float m = start;
    auto take = [&](float v) { m = v != v || (kMax ? v > m : v < m) ? v : m; };
    for (float v : lanes) take(v);
    for (; i < length_; i++) take(x[i]);
    return m;
  }

  bool max_ = true;
  int64_t rows_ = 0, length_ = 0;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.ReduceRows", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<ReduceRowsKernel>(spec);
});

}  // namespace webdnn::wasm
