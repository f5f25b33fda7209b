// Reference TopK: along params::TopK's axis, the k largest (or smallest) elements in order and
// their int64 indices. Ties go to the lower index, as onnxruntime orders them; NaN counts as
// larger than every number (first when largest, last when smallest), which keeps the order total.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

void top_k(const params::TopK& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  Tensor &values = out[0], &indices = out[1];
  size_t axis = static_cast<size_t>(p.axis);
  int64_t n = x.shape[axis], k = values.shape[axis];
  int64_t inner = contiguous_strides(x.shape)[axis], outer = n > 0 ? x.size() / (n * inner) : 0;
  std::vector<double> v(static_cast<size_t>(n));
  std::vector<int64_t> order(static_cast<size_t>(n));
  // a before b: the larger (smaller) value, NaN largest; equal values by index.
  auto before = [&](int64_t a, int64_t b) {
    double va = v[a], vb = v[b];
    bool na = std::isnan(va), nb = std::isnan(vb);
    if (na || nb) {
      if (na && nb) return a < b;
      return p.largest ? na : nb;
    }
    if (va != vb) return p.largest ? va > vb : va < vb;
    return a < b;
  };
  for (int64_t o = 0; o < outer; o++) {
    for (int64_t i = 0; i < inner; i++) {
      int64_t base = o * n * inner + i;
      for (int64_t r = 0; r < n; r++) v[r] = load(x.bytes.data(), x.dtype, base + r * inner);
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
      for (int64_t j = 0; j < k; j++) {
        int64_t at = o * k * inner + j * inner + i;
        store(values.bytes.data(), values.dtype, at, v[order[j]]);
        indices.data<int64_t>()[at] = order[j];
      }
    }
  }
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("TopK", params::infer_top_k, top_k);

}  // namespace webdnn::runtime::reference
