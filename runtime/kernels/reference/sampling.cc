// Reference GridSample and RoiAlign on NCHW float32, as onnxruntime computes them.
#include <algorithm>
#include <cmath>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

using GS = params::GridSample;

// Folds x into [lo, hi] by reflecting it at the borders as often as needed.
double reflect(double x, double lo, double hi) {
  double range = hi - lo;
  if (x >= lo && x <= hi) return x;
  double d = x < lo ? lo - x : x - hi;
  auto n = static_cast<int64_t>(d / range);
  double r = d - static_cast<double>(n) * range;
  bool from_lo = (x < lo) == (n % 2 == 0);
  return from_lo ? lo + r : hi - r;
}

// Keys' cubic convolution weights (A = -0.75) of the 4 taps around a point at t in [0, 1) past tap 1.
void cubic_weights(double t, double w[4]) {
  const double a = -0.75;
  auto near = [a](double x) { return ((a + 2) * x - (a + 3)) * x * x + 1; };
  auto far = [a](double x) { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a; };
  w[0] = far(t + 1);
  w[1] = near(t);
  w[2] = near(1 - t);
  w[3] = far(2 - t);
}

// One image plane and how it is padded: padding applies to the pixels an interpolation reads.
struct Plane {
  const float* data;
  int64_t h, w;
  GS::Padding padding;
  bool align_corners;
  double at(int64_t r, int64_t c) const {
    if (padding == GS::Padding::Zeros) {
      if (r < 0 || r >= h || c < 0 || c >= w) return 0;
    } else if (padding == GS::Padding::Border) {
      r = std::clamp<int64_t>(r, 0, h - 1);
      c = std::clamp<int64_t>(c, 0, w - 1);
    } else {
      double lo = align_corners ? 0 : -0.5;
      c = static_cast<int64_t>(reflect(static_cast<double>(c), lo, align_corners ? w - 1 : w - 0.5));
      r = static_cast<int64_t>(reflect(static_cast<double>(r), lo, align_corners ? h - 1 : h - 0.5));
    }
    return data[r * w + c];
  }
};

// [-1, 1] to pixel coordinates: the centres of the corner pixels, or their outer edges. In float,
// as onnxruntime computes them (a nearest sample near a tie rounds the same way).
float denormalize(float n, int64_t size, bool align_corners) {
  auto s = static_cast<float>(size);
  return align_corners ? (n + 1) / 2 * (s - 1) : ((n + 1) * s - 1) / 2;
}

double sample(const GS& p, const Plane& img, double x, double y) {
  if (p.mode == GS::Mode::Nearest)
    return img.at(static_cast<int64_t>(std::nearbyint(y)), static_cast<int64_t>(std::nearbyint(x)));
  auto x0 = static_cast<int64_t>(std::floor(x)), y0 = static_cast<int64_t>(std::floor(y));
  double fx = x - static_cast<double>(x0), fy = y - static_cast<double>(y0);
  if (p.mode == GS::Mode::Bilinear)
    return (1 - fy) * ((1 - fx) * img.at(y0, x0) + fx * img.at(y0, x0 + 1)) +
           fy * ((1 - fx) * img.at(y0 + 1, x0) + fx * img.at(y0 + 1, x0 + 1));
  double wx[4], wy[4], v = 0;
  cubic_weights(fx, wx);
  cubic_weights(fy, wy);
  for (int i = 0; i < 4; i++) {
    double row = 0;
    for (int j = 0; j < 4; j++) row += wx[j] * img.at(y0 - 1 + i, x0 - 1 + j);
    v += wy[i] * row;
  }
  return v;
}

void grid_sample(const GS& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &x = in[0], &grid = in[1];
  int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
  int64_t points = grid.shape[1] * grid.shape[2];
  const float* g = grid.data<float>();
  float* y = out[0].data<float>();
  for (int64_t b = 0; b < n; b++)
    for (int64_t ch = 0; ch < c; ch++) {
      Plane img{x.data<float>() + (b * c + ch) * h * w, h, w, p.padding, p.align_corners};
      for (int64_t i = 0; i < points; i++) {
        const float* at = g + (b * points + i) * 2;
        double px = denormalize(at[0], w, p.align_corners), py = denormalize(at[1], h, p.align_corners);
        *y++ = static_cast<float>(sample(p, img, px, py));
      }
    }
}

// One bilinear sample of a region: its four pixels and weights (all zero outside the image).
struct Tap {
  int64_t at[4] = {0, 0, 0, 0};
  double w[4] = {0, 0, 0, 0};
};

Tap tap(double y, double x, int64_t h, int64_t w) {
  Tap t;
  if (y < -1.0 || y > static_cast<double>(h) || x < -1.0 || x > static_cast<double>(w)) return t;
  y = std::max(y, 0.0);
  x = std::max(x, 0.0);
  auto y0 = static_cast<int64_t>(y), x0 = static_cast<int64_t>(x);
  int64_t y1 = y0 + 1, x1 = x0 + 1;
  if (y0 >= h - 1) y = static_cast<double>(y0 = y1 = h - 1);
  if (x0 >= w - 1) x = static_cast<double>(x0 = x1 = w - 1);
  double ly = y - static_cast<double>(y0), lx = x - static_cast<double>(x0);
  t.at[0] = y0 * w + x0, t.at[1] = y0 * w + x1, t.at[2] = y1 * w + x0, t.at[3] = y1 * w + x1;
  t.w[0] = (1 - ly) * (1 - lx), t.w[1] = (1 - ly) * lx, t.w[2] = ly * (1 - lx), t.w[3] = ly * lx;
  return t;
}

// Each bin averages (or takes the largest weighted corner of, as onnxruntime's max mode does)
// grid_h x grid_w bilinear samples.
void roi_align(const params::RoiAlign& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &x = in[0], &rois = in[1], &batch = in[2];
  int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
  int64_t oh = p.output_height, ow = p.output_width;
  const float* r = rois.data<float>();
  float* y = out[0].data<float>();
  double shift = p.half_pixel ? 0.5 : 0.0;
  for (int64_t k = 0; k < rois.shape[0]; k++, r += 4) {
    int64_t b = batch.as_int(k);
    WEBDNN_CHECK(b >= 0 && b < n, "batch index ", b, " of region ", k, " is out of range for ", n, " images");
    // The region's geometry in float, as onnxruntime computes it (the sample counts are ceilings).
    auto scale = static_cast<float>(p.spatial_scale), half = static_cast<float>(shift);
    float x1 = r[0] * scale - half, y1 = r[1] * scale - half;
    float rw = r[2] * scale - half - x1, rh = r[3] * scale - half - y1;
    if (!p.half_pixel) rw = std::max(rw, 1.0f), rh = std::max(rh, 1.0f);
    float bh = rh / static_cast<float>(oh), bw = rw / static_cast<float>(ow);
    auto adaptive = [](float bin) {  // NaN and negative bins: no samples
      return bin > 0 ? static_cast<int64_t>(std::min<double>(std::ceil(bin), params::RoiAlign::kMaxAdaptiveSamples)) : 0;
    };
    auto gh = p.sampling_ratio > 0 ? p.sampling_ratio : adaptive(bh);
    auto gw = p.sampling_ratio > 0 ? p.sampling_ratio : adaptive(bw);
    double count = static_cast<double>(std::max<int64_t>(gh * gw, 1));
    for (int64_t ch = 0; ch < c; ch++) {
      const float* img = x.data<float>() + (b * c + ch) * h * w;
      for (int64_t i = 0; i < oh; i++)
        for (int64_t j = 0; j < ow; j++) {
          double acc = 0;
          bool first = true;
          for (int64_t sy = 0; sy < gh; sy++)
            for (int64_t sx = 0; sx < gw; sx++) {
              auto f = [](int64_t v) { return static_cast<float>(v); };
              float py = y1 + f(i) * bh + (f(sy) + 0.5f) * bh / f(gh);
              float px = x1 + f(j) * bw + (f(sx) + 0.5f) * bw / f(gw);
              Tap t = tap(py, px, h, w);
              if (p.mode == params::RoiAlign::Mode::Avg) {
                for (int q = 0; q < 4; q++) acc += t.w[q] * img[t.at[q]];
              } else {
                double v = t.w[0] * img[t.at[0]];
                for (int q = 1; q < 4; q++) v = std::max(v, t.w[q] * img[t.at[q]]);
                acc = first ? v : std::max(acc, v);
                first = false;
              }
            }
          *y++ = static_cast<float>(p.mode == params::RoiAlign::Mode::Avg ? acc / count : acc);
        }
    }
  }
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("GridSample", params::infer_grid_sample, grid_sample);
WEBDNN_REFERENCE_KERNEL("RoiAlign", params::infer_roi_align, roi_align);

}  // namespace webdnn::runtime::reference
