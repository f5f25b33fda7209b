// Reference DimValues and Range: by the time a kernel is prepared, every dim in their parameters
// is a number (runtime/core/specialize.h).
#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

void store(Tensor& y, int64_t i, int64_t v) {
  if (y.dtype == DType::Int64) y.data<int64_t>()[i] = v;
  else y.data<int32_t>()[i] = static_cast<int32_t>(v);
}

void dim_values(const params::DimValues& p, const std::vector<Tensor>&, std::vector<Tensor>& out) {
  for (size_t i = 0; i < p.values.size(); i++) store(out[0], static_cast<int64_t>(i), *p.values[i].constant());
}

void range(const params::Range& p, const std::vector<Tensor>&, std::vector<Tensor>& out) {
  int64_t start = *p.start.constant(), count = *p.count.constant();
  // Wraps instead of overflowing (a descriptor may hold any numbers).
  for (int64_t i = 0; i < count; i++)
    store(out[0], i, static_cast<int64_t>(static_cast<uint64_t>(start) + static_cast<uint64_t>(i) * static_cast<uint64_t>(p.delta)));
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("DimValues", params::infer_dim_values, dim_values);
WEBDNN_REFERENCE_KERNEL("Range", params::infer_range, range);

}  // namespace webdnn::runtime::reference
