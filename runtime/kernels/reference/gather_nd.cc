// Reference GatherND for any data dtype, int64 or int32 indices (negative ones count from the
// end of their axis).
#include <cstring>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

// data as [batch, tuple axes..., slice]: output row (b, j) is the slice that tuple j of batch b
// names.
void gather_nd(const params::GatherND& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &data = in[0], &indices = in[1];
  size_t b = static_cast<size_t>(p.batch_dims), last = static_cast<size_t>(indices.shape.back());
  int64_t batch = 1, slice = static_cast<int64_t>(dtype_size(data.dtype));
  for (size_t d = 0; d < b; d++) batch *= data.shape[d];
  for (size_t d = b + last; d < data.shape.size(); d++) slice *= data.shape[d];
  Shape strides = contiguous_strides(data.shape);
  int64_t batch_stride = b == 0 ? num_elements(data.shape) : strides[b - 1];
  int64_t tuples = batch == 0 ? 0 : indices.size() / static_cast<int64_t>(last) / batch;
  size_t elem = dtype_size(data.dtype);
  uint8_t* dst = out[0].bytes.data();
  for (int64_t n = 0; n < batch; n++)
    for (int64_t j = 0; j < tuples; j++) {
      int64_t off = n * batch_stride, at = (n * tuples + j) * static_cast<int64_t>(last);
      for (size_t k = 0; k < last; k++) {
        int64_t dim = data.shape[b + k], v = indices.as_int(at + static_cast<int64_t>(k));
        WEBDNN_CHECK(v >= -dim && v < dim, "index ", v, " is out of range for an axis of size ", dim);
        off += (v < 0 ? v + dim : v) * strides[b + k];
      }
      std::memcpy(dst, data.bytes.data() + off * static_cast<int64_t>(elem), slice);
      dst += slice;
    }
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("GatherND", params::infer_gather_nd, gather_nd);

}  // namespace webdnn::runtime::reference
