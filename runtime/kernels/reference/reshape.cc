// Reference Reshape (the contiguous data is already right) and Transpose.
#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

void reshape(const params::Reshape&, const std::vector<Tensor>& in, std::vector<Tensor>& out) { out[0].bytes = in[0].bytes; }

// Relayout: the same tensor in another memory order (make_function_kernel gathers the input and
// scatters the output by their strides).
struct Relayout {
  static Relayout parse(const Json&) { return {}; }
};

params::Types relayout_signature(const Relayout&, const params::Types& in) {
  params::require_inputs(in, 1, 1);
  return in;
}

void relayout(const Relayout&, const std::vector<Tensor>& in, std::vector<Tensor>& out) { out[0].bytes = in[0].bytes; }

void transpose(const params::Transpose& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const std::vector<int64_t>& perm = p.perm;
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

WEBDNN_REFERENCE_KERNEL("Reshape", params::infer_reshape, reshape);
WEBDNN_REFERENCE_KERNEL("Relayout", relayout_signature, relayout);
WEBDNN_REFERENCE_KERNEL("Transpose", params::infer_transpose, transpose);

}  // namespace webdnn::runtime::reference
