// Reference ScatterND and ScatterElements for any data dtype, int64 or int32 indices (negative
// ones count from the end of their axis): data copied, then each update applied in the indices'
// order, replacing or combined in the data's type (as onnxruntime does).
#include <algorithm>
#include <cstring>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

using Reduction = params::ScatterReduction;

template <class T>
void apply(Reduction r, T& dst, T v) {
  switch (r) {
    case Reduction::None: dst = v; break;
    case Reduction::Add: dst = static_cast<T>(dst + v); break;
    case Reduction::Mul: dst = static_cast<T>(dst * v); break;
    case Reduction::Max: dst = std::max(dst, v); break;
    case Reduction::Min: dst = std::min(dst, v); break;
  }
}

// Calls f with a pointer type of the tensors' element type.
template <class F>
void typed(DType t, F&& f) {
  switch (t) {
    case DType::Float32: return f(static_cast<float*>(nullptr));
    case DType::Int64: return f(static_cast<int64_t*>(nullptr));
    case DType::Int32: return f(static_cast<int32_t*>(nullptr));
    case DType::Int8: return f(static_cast<int8_t*>(nullptr));
    case DType::Bool:
    case DType::UInt8: return f(static_cast<uint8_t*>(nullptr));
  }
}

int64_t resolve(int64_t v, int64_t dim) {
  WEBDNN_CHECK(v >= -dim && v < dim, "index ", v, " is out of range for an axis of size ", dim);
  return v < 0 ? v + dim : v;
}

// Update row j (indices[:-1] flattened) lands on the data slice its tuple names.
void scatter_nd(const params::ScatterND& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &data = in[0], &indices = in[1], &updates = in[2];
  out[0].bytes = data.bytes;
  int64_t k = indices.shape.back(), rows = k == 0 ? 0 : indices.size() / k;
  int64_t slice = rows == 0 ? 0 : updates.size() / rows;
  Shape strides = contiguous_strides(data.shape);
  typed(data.dtype, [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    T* dst = out[0].data<T>();
    const T* src = updates.data<T>();
    for (int64_t j = 0; j < rows; j++) {
      int64_t off = 0;
      for (int64_t a = 0; a < k; a++) off += resolve(indices.as_int(j * k + a), data.shape[a]) * strides[a];
      for (int64_t e = 0; e < slice; e++) apply(p.reduction, dst[off + e], src[j * slice + e]);
    }
  });
}

// Update i lands where data's index is i's with the axis coordinate replaced by indices[i].
void scatter_elements(const params::ScatterElements& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &data = in[0], &indices = in[1], &updates = in[2];
  out[0].bytes = data.bytes;
  size_t axis = static_cast<size_t>(p.axis);
  Shape strides = contiguous_strides(data.shape);
  typed(data.dtype, [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    T* dst = out[0].data<T>();
    const T* src = updates.data<T>();
    int64_t i = 0;
    for_each_index(indices.shape, [&](const std::vector<int64_t>& index) {
      int64_t off = 0;
      for (size_t d = 0; d < index.size(); d++)
        off += (d == axis ? resolve(indices.as_int(i), data.shape[d]) : index[d]) * strides[d];
      apply(p.reduction, dst[off], src[i]);
      i++;
    });
  });
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("ScatterND", params::infer_scatter_nd, scatter_nd);
WEBDNN_REFERENCE_KERNEL("ScatterElements", params::infer_scatter_elements, scatter_elements);

}  // namespace webdnn::runtime::reference
