// Reference BatchNormalization, InstanceNormalization, LayerNormalization, LRN and Softmax
// (LogSoftmax with "log": true). Statistics and sums are accumulated in double.
#include <cmath>
#include <limits>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

// Elements per index of axis `axis` (the product of the later axes) and the count before it.
int64_t inner_size(const Shape& shape, size_t axis) {
  int64_t n = 1;
  for (size_t a = axis + 1; a < shape.size(); a++) n *= shape[a];
  return n;
}

int64_t outer_size(const Shape& shape, size_t axis) {
  int64_t n = 1;
  for (size_t a = 0; a < axis; a++) n *= shape[a];
  return n;
}

struct Moments {
  double mean, inv_std;
};

// Mean and 1/sqrt(variance + epsilon) of n values `step` apart, in two passes so that a large
// mean does not swallow the variance. `about_zero`: the mean is taken as 0 (RMS statistics).
Moments moments(const float* x, int64_t n, int64_t step, double epsilon, bool about_zero = false) {
  double sum = 0;
  for (int64_t i = 0; i < n && !about_zero; i++) sum += x[i * step];
  double mean = sum / static_cast<double>(n);
  double sq = 0;
  for (int64_t i = 0; i < n; i++) {
    double d = x[i * step] - mean;
    sq += d * d;
  }
  return {mean, 1.0 / std::sqrt(sq / static_cast<double>(n) + epsilon)};
}

void batch_norm(const params::Normalization& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  const float *scale = in[1].data<float>(), *bias = in[2].data<float>();
  const float *mean = in[3].data<float>(), *var = in[4].data<float>();
  double epsilon = p.epsilon;
  int64_t N = x.shape[0], C = x.shape[1], inner = inner_size(x.shape, 1);
  for (int64_t c = 0; c < C; c++) {
    double a = scale[c] / std::sqrt(static_cast<double>(var[c]) + epsilon);
    for (int64_t n = 0; n < N; n++) {
      const float* xp = x.data<float>() + (n * C + c) * inner;
      float* yp = out[0].data<float>() + (n * C + c) * inner;
      for (int64_t i = 0; i < inner; i++) yp[i] = static_cast<float>((xp[i] - mean[c]) * a + bias[c]);
    }
  }
}

void instance_norm(const params::Normalization& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  const float *scale = in[1].data<float>(), *bias = in[2].data<float>();
  double epsilon = p.epsilon;
  int64_t N = x.shape[0], C = x.shape[1], inner = inner_size(x.shape, 1);
  for (int64_t n = 0; n < N; n++)
    for (int64_t c = 0; c < C; c++) {
      const float* xp = x.data<float>() + (n * C + c) * inner;
      float* yp = out[0].data<float>() + (n * C + c) * inner;
      Moments m = moments(xp, inner, 1, epsilon);
      for (int64_t i = 0; i < inner; i++) yp[i] = static_cast<float>((xp[i] - m.mean) * m.inv_std * scale[c] + bias[c]);
    }
}

// `t` broadcast (numpy rules) to `shape`, as one value per element of `shape`.
std::vector<double> expand(const Tensor& t, const Shape& shape) {
  Shape strides = broadcast_strides(t.shape, contiguous_strides(t.shape), shape);
  std::vector<double> v;
  v.reserve(static_cast<size_t>(num_elements(shape)));
  for_each_index(shape, [&](const std::vector<int64_t>& index) {
    int64_t off = 0;
    for (size_t d = 0; d < index.size(); d++) off += index[d] * strides[d];
    v.push_back(t.data<float>()[off]);
  });
  return v;
}

void layer_norm(const params::LayerNormalization& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  size_t axis = static_cast<size_t>(p.axis);
  double epsilon = p.epsilon;
  int64_t rows = outer_size(x.shape, axis), n = x.size() / std::max<int64_t>(rows, 1);
  std::vector<double> scale = expand(in[1], x.shape);
  std::vector<double> bias = in.size() > 2 ? expand(in[2], x.shape) : std::vector<double>(scale.size(), 0.0);
  for (int64_t r = 0; r < rows; r++) {
    const float* xp = x.data<float>() + r * n;
    float* yp = out[0].data<float>() + r * n;
    Moments m = moments(xp, n, 1, epsilon, p.rms);
    for (int64_t i = 0; i < n; i++) {
      size_t k = static_cast<size_t>(r * n + i);
      yp[i] = static_cast<float>((xp[i] - m.mean) * m.inv_std * scale[k] + bias[k]);
    }
  }
}

// y = x / (bias + alpha / size * sum of x^2 over the channel window)^beta, the window reaching
// floor((size-1)/2) channels back and ceil((size-1)/2) forward.
void lrn(const params::Lrn& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  int64_t size = p.size;
  double alpha = p.alpha, beta = p.beta, bias = p.bias;
  int64_t N = x.shape[0], C = x.shape[1], inner = inner_size(x.shape, 1);
  int64_t back = (size - 1) / 2, forward = size - 1 - back;
  for (int64_t n = 0; n < N; n++)
    for (int64_t c = 0; c < C; c++)
      for (int64_t i = 0; i < inner; i++) {
        double sum = 0;
        for (int64_t k = std::max<int64_t>(0, c - back); k <= std::min(C - 1, c + forward); k++) {
          double v = x.data<float>()[(n * C + k) * inner + i];
          sum += v * v;
        }
        int64_t at = (n * C + c) * inner + i;
        double scale = std::pow(bias + alpha / static_cast<double>(size) * sum, beta);
        out[0].data<float>()[at] = static_cast<float>(x.data<float>()[at] / scale);
      }
}

// The "Softmax" kernel computes Softmax and LogSoftmax along one axis.
struct SoftmaxKernel {
  params::Axis axis;
  bool log = false;
  static SoftmaxKernel parse(const Json& j) { return {params::Axis::parse(j), params::Reader(j).flag("log")}; }
};

params::Types softmax_signature(const SoftmaxKernel& p, const params::Types& in) { return params::infer_softmax(p.axis, in); }

void softmax(const SoftmaxKernel& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  softmax_along(in[0], static_cast<size_t>(p.axis.axis), p.log, out[0]);
}

}  // namespace

// Subtracting the maximum first keeps exp() from overflowing.
void softmax_along(const Tensor& x, size_t axis, bool log, Tensor& y) {
  int64_t outer = outer_size(x.shape, axis), n = x.shape[axis], inner = inner_size(x.shape, axis);
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      const float* xp = x.data<float>() + o * n * inner + i;
      float* yp = y.data<float>() + o * n * inner + i;
      double max = -std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < n; k++) max = std::max<double>(max, xp[k * inner]);
      double sum = 0;
      for (int64_t k = 0; k < n; k++) sum += std::exp(xp[k * inner] - max);
      for (int64_t k = 0; k < n; k++) {
        double d = xp[k * inner] - max;
        yp[k * inner] = static_cast<float>(log ? d - std::log(sum) : std::exp(d) / sum);
      }
    }
}

WEBDNN_REFERENCE_KERNEL("BatchNormalization", params::infer_batch_norm, batch_norm);
WEBDNN_REFERENCE_KERNEL("InstanceNormalization", params::infer_instance_norm, instance_norm);
WEBDNN_REFERENCE_KERNEL("LayerNormalization", params::infer_layer_norm, layer_norm);
WEBDNN_REFERENCE_KERNEL("LRN", params::infer_lrn, lrn);
WEBDNN_REFERENCE_KERNEL("Softmax", softmax_signature, softmax);

}  // namespace webdnn::runtime::reference
