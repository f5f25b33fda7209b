// Reference Resize: nearest (any dtype, copies bytes), n-linear and n-cubic interpolation, with
// ONNX's antialias and exclude_outside.
// Each axis is mapped on its own: an output coordinate goes back to a real input coordinate by
// the coordinate transformation, then to one index (nearest) or a few with weights (the filter's
// taps); an output element is the weighted sum over every combination of its axes' taps.
// Coordinates are computed in float from the float32 scales, as ONNX gives them and common
// runtimes compute, so that near-ties (x.5) round the same way in nearest mode.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "runtime/kernels/reference/index_maps.h"
#include "runtime/kernels/reference/reference.h"
#include "webdnn/error.h"

namespace webdnn::runtime::reference {
namespace {

using Coordinates = params::Resize::Coordinates;
using Nearest = params::Resize::Nearest;

float source_coordinate(Coordinates ctm, int64_t o, float scale, int64_t in, int64_t out) {
  float x = static_cast<float>(o);
  if (ctm == Coordinates::Asymmetric) {
    // When the scale is the size ratio, o * in / out is the exact coordinate: one rounding keeps
    // exact ties (x.5) as ties, where o / scale would round twice.
    if (scale == static_cast<float>(out) / static_cast<float>(in))
      return static_cast<float>(o * in) / static_cast<float>(out);
    return x / scale;
  }
  if (ctm == Coordinates::AlignCorners) return out == 1 ? 0.0f : x * static_cast<float>(in - 1) / static_cast<float>(out - 1);
  if (ctm == Coordinates::PytorchHalfPixel) return out > 1 ? (x + 0.5f) / scale - 0.5f : 0.0f;
  if (ctm == Coordinates::TfHalfPixelForNn) return (x + 0.5f) / scale;
  if (ctm == Coordinates::HalfPixelSymmetric) {
    // Centers the sampled window when the output size was rounded down from in * scale. The
    // coordinate itself in double, as onnxruntime does (ties then round the same way).
    float adjustment = static_cast<float>(out) / (scale * static_cast<float>(in));
    float offset = static_cast<float>(in) / 2.0f * (1.0f - adjustment);
    return static_cast<float>(offset + (x + 0.5) / scale - 0.5);
  }
  return (x + 0.5f) / scale - 0.5f;  // half_pixel
}

int64_t nearest_index(Nearest mode, float x, bool shrinking) {
  if (mode == Nearest::Floor) return static_cast<int64_t>(std::floor(x));
  if (mode == Nearest::Ceil) return static_cast<int64_t>(std::ceil(x));
  if (mode == Nearest::RoundPreferCeil) return static_cast<int64_t>(std::round(x));  // x.5 goes up
  if (mode == Nearest::Simple) return static_cast<int64_t>(shrinking ? std::ceil(x) : std::floor(x));
  return static_cast<int64_t>(std::ceil(x - 0.5f));  // round_prefer_floor: x.5 goes down
}

// Keys' cubic kernel with parameter a, and the triangle of linear interpolation.
double cubic_filter(double x, double a) {
  x = std::fabs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

double linear_filter(double x) { return std::max(0.0, 1 - std::fabs(x)); }

// The most taps an output coordinate may read: antialiasing at a tiny scale would read the
// whole axis many times over.
constexpr int kMaxTaps = 1024;

// Linear or cubic taps as ONNX's reference computes them: around x = xi + r with r in (0, 1],
// taps xi + start ... xi + 1 - start, the filter evaluated at scale * (t - r).
void filter_taps(const params::Resize& p, AxisMap& m, float x, int64_t in, float scale) {
  bool cubic = p.mode == params::Resize::Mode::Cubic;
  double support = cubic ? 2 : 1, s = p.antialias ? std::min(static_cast<double>(scale), 1.0) : 1.0;
  int start = static_cast<int>(std::floor(-support / s)) + 1;
  m.taps = 2 - 2 * start;
  WEBDNN_CHECK(m.taps <= kMaxTaps, "antialiasing at scale ", scale, " needs ", m.taps, " taps per output; at most ",
               kMaxTaps, " are supported");
  double xi = std::floor(x), r = x - xi;
  if (r == 0) xi -= 1, r = 1;
  double sum = 0;
  size_t first = m.weight.size();
  for (int t = start; t < start + m.taps; t++) {
    double w = cubic ? cubic_filter(s * (t - r), p.cubic_coeff_a) : linear_filter(s * (t - r));
    int64_t i = static_cast<int64_t>(xi) + t;
    if (p.exclude_outside && (i < 0 || i >= in)) w = 0;
    m.index.push_back(std::clamp<int64_t>(i, 0, in - 1));
    m.weight.push_back(w);
    sum += w;
  }
  // The weights sum to 1 in exact arithmetic unless antialiasing or exclude_outside cut them.
  if ((p.antialias || p.exclude_outside) && sum != 0)
    for (size_t k = first; k < m.weight.size(); k++) m.weight[k] /= sum;
}

// When every output coordinate has one tap of weight 1 (the others 0), as an axis whose size and
// scale are 1:1 in most modes, it is a copy: one tap each, so that kernels that copy rows (wasm's
// Resize keeping the innermost axis) and for_each_tap's fast path apply.
void copy_if_exact(AxisMap& m) {
  if (m.taps == 1) return;
  const size_t out = m.index.size() / static_cast<size_t>(m.taps);
  std::vector<int64_t> index(out);
  for (size_t o = 0; o < out; o++) {
    int ones = 0;
    for (int t = 0; t < m.taps; t++) {
      double w = m.weight[o * m.taps + t];
      if (w == 1) ones++, index[o] = m.index[o * m.taps + t];
      else if (w != 0) return;
    }
    if (ones != 1) return;
  }
  m.taps = 1;
  m.index = std::move(index);
  m.weight.assign(out, 1.0);
}

}  // namespace

AxisMap resize_axis_map(const params::Resize& p, int64_t in, int64_t out, float scale) {
  using Mode = params::Resize::Mode;
  AxisMap m;
  if (p.mode == Mode::Nearest) {
    for (int64_t o = 0; o < out; o++) {
      float x = source_coordinate(p.coordinates, o, scale, in, out);
      m.index.push_back(std::clamp<int64_t>(nearest_index(p.nearest, x, scale < 1.0f), 0, in - 1));
      m.weight.push_back(1);
    }
    return m;
  }
  if (p.mode == Mode::Linear && !p.antialias && !p.exclude_outside) {
    // The common case kept as it always was: x clamped into the input, its two neighbours.
    m.taps = 2;
    for (int64_t o = 0; o < out; o++) {
      float x = std::min(std::max(source_coordinate(p.coordinates, o, scale, in, out), 0.0f), static_cast<float>(in - 1));
      int64_t lo = static_cast<int64_t>(x);
      double w = x - static_cast<float>(lo);
      m.index.insert(m.index.end(), {lo, std::min(lo + 1, in - 1)});
      m.weight.insert(m.weight.end(), {1 - w, w});
    }
  } else {
    for (int64_t o = 0; o < out; o++) filter_taps(p, m, source_coordinate(p.coordinates, o, scale, in, out), in, scale);
  }
  copy_if_exact(m);
  return m;
}

namespace {

void resize(const params::Resize& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  Tensor& y = out[0];
  if (y.bytes.empty()) return;  // and its other axes may be huge: no per-axis tables
  const std::vector<double> scales = p.scales_for(x.shape, y.shape);
  size_t rank = x.shape.size(), elem = dtype_size(x.dtype);
  std::vector<AxisMap> maps;
  bool copy = true;
  for (size_t d = 0; d < rank; d++) {
    maps.push_back(resize_axis_map(p, x.shape[d], y.shape[d], static_cast<float>(scales[d])));
    copy &= maps.back().trivial();
  }
  Shape strides = contiguous_strides(x.shape);
  int64_t i = 0;
  for_each_index(y.shape, [&](const std::vector<int64_t>& index) {
    if (copy) {
      for_each_tap(maps, index, strides, [&](double, int64_t off) {
        std::memcpy(y.bytes.data() + i * elem, x.bytes.data() + off * elem, elem);
      });
    } else {
      double acc = 0;
      for_each_tap(maps, index, strides, [&](double weight, int64_t off) { acc += weight * load(x.bytes.data(), x.dtype, off); });
      store(y.bytes.data(), y.dtype, i, acc);
    }
    i++;
  });
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("Resize", params::infer_resize, resize);

}  // namespace webdnn::runtime::reference
