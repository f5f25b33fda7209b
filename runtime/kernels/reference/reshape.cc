// Reference Reshape (the contiguous data is already right) and Transpose.
#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

void reshape(const Json&, const std::vector<Tensor>& in, std::vector<Tensor>& out) { out[0].bytes = in[0].bytes; }

void transpose(const Json& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  auto perm = ints(p, "perm");
  const Tensor& x = in[0];
  Shape xs = contiguous_strides(x.shape), strides(perm.size());
  for (size_t i = 0; i < perm.size(); i++) strides[i] = xs[perm[i]];
  size_t elem = dtype_size(x.dtype);
  int64_t i = 0;
  for_each_index(out[0].shape, [&](const std::vector<int64_t>& index) {
    int64_t off = 0;
    for (size_t d = 0; d < index.size(); d++) off += index[d] * strides[d];
    std::memcpy(out[0].bytes.data() + i * elem, x.bytes.data() + off * elem, elem);
    i++;
  });
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("Reshape", reshape);
// Copies between layouts: make_kernel gathers the input and scatters the output by strides.
WEBDNN_REFERENCE_KERNEL("Relayout", reshape);
WEBDNN_REFERENCE_KERNEL("Transpose", transpose);

}  // namespace webdnn::runtime::reference
