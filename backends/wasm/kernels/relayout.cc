// Float32 tensors copied with their axes moved:
//   "wasm.Relayout"   the same logical tensor in another memory order (NCHW <-> NHWC at the
//                     model's edges)
//   "wasm.Transpose"  output axis a is input axis perm[a] (attention's head split and merge)
// The output is written in memory order; the input is read with its strides. Any dtype.
// And "wasm.Reshape": row-major bytes of any dtype under a new shape, nothing to do where the
// memory plan gave the output the input's memory (it dies there), one memmove where it lives on.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <vector>

#include "runtime/core/kernel.h"
#include "runtime/core/parallel.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::wasm {
namespace {

class Relayout : public runtime::Kernel {
 public:
  Relayout(const runtime::KernelSpec& spec, bool transpose) {
    const char* name = transpose ? "wasm.Transpose" : "wasm.Relayout";
    runtime::require_counts(spec, name, 1, 1);
    const auto &in = spec.inputs[0], &out = spec.outputs[0];
    WEBDNN_CHECK(in.dtype == out.dtype, name, " keeps the dtype");
    element_ = dtype_size(in.dtype);
    std::vector<int64_t> perm(out.shape.size());
    std::iota(perm.begin(), perm.end(), 0);
    if (transpose) {
      params::Transpose p = params::Transpose::parse(spec.params);
      runtime::check_outputs(spec, params::infer_transpose(p, runtime::types_of(spec.inputs)));
      perm = p.perm;
    }
    WEBDNN_CHECK(out.is_dense() && in.rank() == out.rank(), name, " copies a tensor into a dense one");
    for (size_t a = 0; a < perm.size(); a++)
      WEBDNN_CHECK(out.shape[a] == in.shape[static_cast<size_t>(perm[a])], name, ": output ", shape_to_string(out.shape),
                   " is not input ", shape_to_string(in.shape), " with its axes moved");
    std::vector<int> axes(out.shape.size());
    std::iota(axes.begin(), axes.end(), 0);
    std::stable_sort(axes.begin(), axes.end(), [&](int a, int b) { return out.strides[a] > out.strides[b]; });
    for (int a : axes) {
      dims_.push_back(out.shape[a]);
      strides_.push_back(in.strides[static_cast<size_t>(perm[a])]);
    }
    size_ = out.size();
    // The input read in the output's memory order may already lie densely in that order (a
    // transpose whose output order follows its input's: an image going channels-last when it is
    // stored so). Then the bytes stay as they are, and the memory plan usually gives the output
    // the input's place.
    same_image_ = true;
    for (size_t d = dims_.size(), step = 1; d-- > 0; step *= static_cast<size_t>(dims_[d]))
      same_image_ &= dims_[d] == 1 || strides_[d] == static_cast<int64_t>(step);
  }

  // Values are moved as their bits: 8-bit images (a quantized model's input) as well as floats.
  void run(void* const* in, void* const* out) override {
    if (same_image_) {
      if (in[0] != out[0]) std::memmove(out[0], in[0], static_cast<size_t>(size_) * element_);
      return;
    }
    switch (element_) {
      case 1: copy(static_cast<const uint8_t*>(in[0]), static_cast<uint8_t*>(out[0])); break;
      case 2: copy(static_cast<const uint16_t*>(in[0]), static_cast<uint16_t*>(out[0])); break;
      case 8: copy(static_cast<const uint64_t*>(in[0]), static_cast<uint64_t*>(out[0])); break;
      default: copy(static_cast<const uint32_t*>(in[0]), static_cast<uint32_t*>(out[0])); break;
    }
  }

 private:
  template <class T>
  void copy(const T* x, T* y) const {
    if (dims_.empty()) {  // a scalar
      *y = *x;
      return;
    }
    const int64_t inner = dims_.back(), stride = strides_.back(), rows = size_ / std::max<int64_t>(inner, 1);
    const size_t outer = dims_.size() - 1;
    runtime::parallel_for(rows, 64, [&](int64_t r0, int64_t r1) {
      // The first row's place by division, the others by counting: an image going channels-last
      // has rows of 3 values, where dividing per row cost more than the copy.
      std::vector<int64_t> index(outer);
      int64_t rest = r0, offset = 0;
      for (size_t d = outer; d-- > 0;) {
        index[d] = rest % dims_[d];
        offset += index[d] * strides_[d];
        rest /= dims_[d];
      }
      for (int64_t r = r0; r < r1; r++) {
        const T* src = x + offset;
        T* dst = y + r * inner;
        for (int64_t i = 0; i < inner; i++) dst[i] = src[i * stride];
        for (size_t d = outer; d-- > 0;) {
          offset += strides_[d];
          if (++index[d] < dims_[d]) break;
          offset -= index[d] * strides_[d];
          index[d] = 0;
        }
      }
    });
  }

  std::vector<int64_t> dims_, strides_;
  int64_t size_ = 0;
  size_t element_ = 4;
  bool same_image_ = false;
};

class Reshape : public runtime::Kernel {
 public:
  explicit Reshape(const runtime::KernelSpec& spec) {
    runtime::require_counts(spec, "wasm.Reshape", 1, 1);
    runtime::check_outputs(spec, params::infer_reshape(params::Reshape::parse(spec.params), runtime::types_of(spec.inputs)));
    const auto &in = spec.inputs[0], &out = spec.outputs[0];
    WEBDNN_CHECK(in.is_contiguous() && out.is_contiguous(), "wasm.Reshape needs row-major tensors");
    bytes_ = static_cast<size_t>(out.size()) * dtype_size(out.dtype);
  }

  void run(void* const* in, void* const* out) override {
    if (in[0] != out[0]) std::memmove(out[0], in[0], bytes_);
  }

 private:
  size_t bytes_ = 0;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Reshape", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<Reshape>(spec);
});
WEBDNN_REGISTER_KERNEL("wasm.Relayout", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<Relayout>(spec, false);
});
WEBDNN_REGISTER_KERNEL("wasm.Transpose", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<Relayout>(spec, true);
});

}  // namespace webdnn::wasm
