// Reference Gather and GatherElements for any data dtype, int64 or int32 indices (negative ones
// count from the end of the axis).
#include <cstring>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

int64_t resolve_index(const Tensor& indices, int64_t i, int64_t dim) {
  int64_t v = indices.as_int(i);
  WEBDNN_CHECK(v >= -dim && v < dim, "index ", v, " is out of range for an axis of size ", dim);
  return v < 0 ? v + dim : v;
}

// data as [outer, dim, inner]: output row (o, j) is data row (o, indices[j]).
void gather(const params::Axis& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &data = in[0], &indices = in[1];
  size_t axis = static_cast<size_t>(p.axis);
  int64_t outer = 1, inner = static_cast<int64_t>(dtype_size(data.dtype));
  for (size_t d = 0; d < axis; d++) outer *= data.shape[d];
  for (size_t d = axis + 1; d < data.shape.size(); d++) inner *= data.shape[d];
  int64_t dim = data.shape[axis], n = indices.size();
  uint8_t* dst = out[0].bytes.data();
  for (int64_t o = 0; o < outer; o++)
    for (int64_t j = 0; j < n; j++) {
      int64_t k = resolve_index(indices, j, dim);
      std::memcpy(dst, data.bytes.data() + (o * dim + k) * inner, inner);
      dst += inner;
    }
}

// out[i] = data[i with its axis coordinate replaced by indices[i]].
void gather_elements(const params::Axis& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &data = in[0], &indices = in[1];
  size_t axis = static_cast<size_t>(p.axis);
  Shape strides = contiguous_strides(data.shape);
  size_t elem = dtype_size(data.dtype);
  int64_t i = 0;
  for_each_index(indices.shape, [&](const std::vector<int64_t>& index) {
    int64_t off = 0;
    for (size_t d = 0; d < index.size(); d++)
      off += (d == axis ? resolve_index(indices, i, data.shape[d]) : index[d]) * strides[d];
    std::memcpy(out[0].bytes.data() + i * elem, data.bytes.data() + off * elem, elem);
    i++;
  });
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("Gather", params::infer_gather, gather);
WEBDNN_REFERENCE_KERNEL("GatherElements", params::infer_gather_elements, gather_elements);

}  // namespace webdnn::runtime::reference
