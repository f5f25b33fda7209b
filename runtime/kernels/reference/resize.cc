// Reference Resize: nearest (any dtype, copies bytes) and n-linear interpolation.
// Each axis is mapped on its own: an output coordinate goes back to a real input coordinate by
// the coordinate transformation, then to one index (nearest) or two with a weight (linear).
// Coordinates are computed in float from the float32 scales, as ONNX gives them and common
// runtimes compute, so that near-ties (x.5) round the same way in nearest mode.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "runtime/kernels/reference/index_maps.h"
#include "runtime/kernels/reference/reference.h"

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

}  // namespace

AxisMap resize_axis_map(const params::Resize& p, int64_t in, int64_t out, float scale) {
  Coordinates ctm = p.coordinates;
  Nearest nearest = p.nearest;
  bool linear = p.mode == params::Resize::Mode::Linear;
  AxisMap m;
  for (int64_t o = 0; o < out; o++) {
    float x = source_coordinate(ctm, o, scale, in, out);
    if (linear) {
      x = std::min(std::max(x, 0.0f), static_cast<float>(in - 1));
      int64_t lo = static_cast<int64_t>(x);
      m.lo.push_back(lo);
      m.hi.push_back(std::min(lo + 1, in - 1));
      m.w.push_back(x - static_cast<float>(lo));
      m.trivial &= m.w.back() == 0;
    } else {
      int64_t i = std::clamp<int64_t>(nearest_index(nearest, x, scale < 1.0f), 0, in - 1);
      m.lo.push_back(i);
      m.hi.push_back(i);
      m.w.push_back(0);
    }
  }
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
  std::vector<int> blended;  // axes that interpolate between two inputs
  for (size_t d = 0; d < rank; d++) {
    maps.push_back(resize_axis_map(p, x.shape[d], y.shape[d], static_cast<float>(scales[d])));
    if (!maps.back().trivial) blended.push_back(static_cast<int>(d));
  }
  Shape strides = contiguous_strides(x.shape);
  int64_t i = 0;
  for_each_index(y.shape, [&](const std::vector<int64_t>& index) {
    int64_t base = 0;
    for (size_t d = 0; d < rank; d++) base += maps[d].lo[index[d]] * strides[d];
    if (blended.empty()) {
      std::memcpy(y.bytes.data() + i * elem, x.bytes.data() + base * elem, elem);
    } else {
      double acc = 0;
      for_each_corner(maps, blended, index, strides, base,
                      [&](double weight, int64_t off) { acc += weight * load(x.bytes.data(), x.dtype, off); });
      store(y.bytes.data(), y.dtype, i, acc);
    }
    i++;
  });
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("Resize", params::infer_resize, resize);

}  // namespace webdnn::runtime::reference
