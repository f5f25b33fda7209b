// Data movement on images in any layout whose innermost axis in memory is left alone (the
// channels of NHWC images): each output row of that axis is copied, filled or blended from input
// rows. "wasm.Pad", "wasm.Resize" and "wasm.Concat".
#include <algorithm>
#include <cstring>
#include <numeric>

#include "backends/wasm/kernels/simd.h"
#include "runtime/core/parallel.h"
#include "runtime/kernels/reference/index_maps.h"
#include "runtime/kernels/reference/reference.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

using runtime::TensorInfo;

// For every row of the output (all its axes but the innermost in memory), calls
// row(output_offset, index) with the row's logical multi-index; rows split across threads.
template <class F>
void for_each_row(const TensorInfo& out, F&& row) {
  std::vector<int> axes = out.memory_axes();
  const int inner = axes.back();
  const int64_t rows = out.size() / std::max<int64_t>(out.shape[inner], 1);
  runtime::parallel_for(rows, 16, [&](int64_t r0, int64_t r1) {
    std::vector<int64_t> index(out.shape.size(), 0);
    for (int64_t r = r0; r < r1; r++) {
      int64_t rest = r, offset = 0;
      for (size_t k = axes.size() - 1; k-- > 0;) {
        int a = axes[k];
        index[a] = rest % out.shape[a];
        rest /= out.shape[a];
        offset += index[a] * out.strides[a];
      }
      row(offset, index);
    }
  });
}

void require_same_layout(const TensorInfo& a, const TensorInfo& b, const char* what) {
  WEBDNN_CHECK(a.memory_axes().back() == b.memory_axes().back(), what, " needs input and output laid out alike");
}

// The one float32 input of Pad and Resize, whose rows they write whole (their parameters are
// checked by each).
const TensorInfo& checked_input(const runtime::KernelSpec& spec) {
  runtime::require_counts(spec, "wasm.Pad/Resize", 1, 1);
  runtime::require_float32(spec, "wasm.Pad/Resize");
  WEBDNN_CHECK(spec.outputs[0].is_dense(), "wasm.Pad/Resize needs a dense output");
  return spec.inputs[0];
}

class Pad : public runtime::Kernel {
 public:
  explicit Pad(const runtime::KernelSpec& spec) : in_(checked_input(spec)), out_(spec.outputs[0]) {
    params::Pad p = params::Pad::parse(spec.params);
    runtime::check_outputs(spec, params::infer_pad(p, runtime::types_of(spec.inputs)));
    require_same_layout(in_, out_, "wasm.Pad");
    const std::vector<int64_t>& pads = p.pads;
    params::Pad::Mode mode = p.mode;
    value_ = static_cast<float>(p.value);
    size_t rank = in_.shape.size();
    for (size_t a = 0; a < rank; a++) {
      std::vector<int64_t> m(static_cast<size_t>(out_.shape[a]));
      for (int64_t o = 0; o < out_.shape[a]; o++)
        m[o] = runtime::reference::pad_source(o, pads[a], pads[a + rank], in_.shape[a], mode);
      maps_.push_back(std::move(m));
    }
    inner_ = out_.memory_axes().back();
  }

  void run(void* const* in, void* const* out) override {
    const float* x = static_cast<const float*>(in[0]);
    float* y = static_cast<float*>(out[0]);
    const std::vector<int64_t>& inner = maps_[inner_];
    const int64_t n = out_.shape[inner_], in_step = in_.strides[inner_];
    for_each_row(out_, [&](int64_t at, const std::vector<int64_t>& index) {
      int64_t src = 0;
      for (size_t a = 0; a < maps_.size(); a++) {
        if (static_cast<int>(a) == inner_) continue;
        int64_t s = maps_[a][index[a]];
        if (s < 0) {
          std::fill(y + at, y + at + n, value_);
          return;
        }
        src += s * in_.strides[a];
      }
      for (int64_t i = 0; i < n; i++) y[at + i] = inner[i] < 0 ? value_ : x[src + inner[i] * in_step];
    });
  }

 private:
  TensorInfo in_, out_;
  std::vector<std::vector<int64_t>> maps_;
  int inner_ = 0;
  float value_ = 0;
};

// Resize whose innermost axis keeps its size (any mode on the others).
class Resize : public runtime::Kernel {
 public:
  explicit Resize(const runtime::KernelSpec& spec) : in_(checked_input(spec)), out_(spec.outputs[0]) {
    params::Resize p = params::Resize::parse(spec.params);
    runtime::check_outputs(spec, params::infer_resize(p, runtime::types_of(spec.inputs)));
    require_same_layout(in_, out_, "wasm.Resize");
    empty_ = num_elements(out_.shape) == 0;
    if (empty_) return;  // and its other axes may be huge: no per-axis tables
    std::vector<double> scales = p.scales_for(in_.shape, out_.shape);
    copy_ = true;
    for (size_t a = 0; a < in_.shape.size(); a++) {
      maps_.push_back(runtime::reference::resize_axis_map(p, in_.shape[a], out_.shape[a], static_cast<float>(scales[a])));
      copy_ &= maps_.back().trivial();
    }
    inner_ = out_.memory_axes().back();
    WEBDNN_CHECK(in_.shape[inner_] == out_.shape[inner_] && maps_[inner_].identity() && in_.strides[inner_] == 1,
                 "wasm.Resize leaves the innermost axis as it is");
  }

  void run(void* const* in, void* const* out) override {
    if (empty_) return;
    const float* x = static_cast<const float*>(in[0]);
    float* y = static_cast<float*>(out[0]);
    const int64_t n = out_.shape[inner_];
    for_each_row(out_, [&](int64_t at, const std::vector<int64_t>& index) {
      if (copy_) {
        runtime::reference::for_each_tap(maps_, index, in_.strides,
                                         [&](double, int64_t off) { std::memcpy(y + at, x + off, n * sizeof(float)); });
        return;
      }
      std::fill(y + at, y + at + n, 0.0f);
      runtime::reference::for_each_tap(maps_, index, in_.strides, [&](double weight, int64_t off) {
        const f32x4 wv = splat(static_cast<float>(weight));
        int64_t i = 0;
        for (; i + 4 <= n; i += 4) store(y + at + i, load(y + at + i) + wv * load(x + off + i));
        for (; i < n; i++) y[at + i] += static_cast<float>(weight) * x[off + i];
      });
    });
  }

 private:
  TensorInfo in_, out_;
  std::vector<runtime::reference::AxisMap> maps_;
  bool empty_ = false;
  bool copy_ = true;  // every axis copies: rows are copied whole
  int inner_ = 0;
};

// Concat of inputs laid out like the output: in memory order, blocks of each input in turn.
class Concat : public runtime::Kernel {
 public:
  explicit Concat(const runtime::KernelSpec& spec) {
    params::Axis p = params::Axis::parse(spec.params);
    runtime::require_float32(spec, "wasm.Concat");
    runtime::check_outputs(spec, params::infer_concat(p, runtime::types_of(spec.inputs)));
    const TensorInfo& out = spec.outputs[0];
    WEBDNN_CHECK(out.is_dense(), "wasm.Concat needs a dense output");
    int axis = static_cast<int>(p.axis);
    std::vector<int> axes = out.memory_axes();
    size_t q = std::find(axes.begin(), axes.end(), axis) - axes.begin();
    outer_ = 1;
    for (size_t k = 0; k < q; k++) outer_ *= out.shape[axes[k]];
    for (const TensorInfo& t : spec.inputs) {
      WEBDNN_CHECK(t.memory_axes() == axes || t.size() == 0, "wasm.Concat needs its inputs laid out like its output");
      blocks_.push_back(t.size() / std::max<int64_t>(outer_, 1));
    }
    total_ = std::accumulate(blocks_.begin(), blocks_.end(), int64_t{0});
  }

  void run(void* const* in, void* const* out) override {
    float* y = static_cast<float*>(out[0]);
    runtime::parallel_for(outer_, 64, [&](int64_t o0, int64_t o1) {
      for (int64_t o = o0; o < o1; o++) {
        float* dst = y + o * total_;
        for (size_t i = 0; i < blocks_.size(); i++) {
          std::memcpy(dst, static_cast<const float*>(in[i]) + o * blocks_[i], blocks_[i] * sizeof(float));
          dst += blocks_[i];
        }
      }
    });
  }

 private:
  int64_t outer_ = 1, total_ = 0;
  std::vector<int64_t> blocks_;
};

template <class K>
std::unique_ptr<runtime::Kernel> make(const runtime::KernelSpec& spec) {
  return std::make_unique<K>(spec);
}

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Pad", make<Pad>);
WEBDNN_REGISTER_KERNEL("wasm.Resize", make<Resize>);
WEBDNN_REGISTER_KERNEL("wasm.Concat", make<Concat>);

}  // namespace webdnn::wasm
