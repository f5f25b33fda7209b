// Reference CumSum for float32, int64 and int32: each line along the axis summed in order, in its
// own type (float32 sums round after every step, as onnxruntime's do; integer sums wrap).
#include <type_traits>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

template <class T>
void sum_lines(const params::CumSum& p, const Tensor& x, Tensor& y) {
  size_t axis = static_cast<size_t>(p.axis);
  int64_t outer = 1, inner = 1, dim = x.shape[axis];
  for (size_t d = 0; d < axis; d++) outer *= x.shape[d];
  for (size_t d = axis + 1; d < x.shape.size(); d++) inner *= x.shape[d];
  // Integers add as unsigned: overflow wraps instead of being undefined.
  using Acc = typename std::conditional_t<std::is_integral_v<T>, std::make_unsigned<T>, std::common_type<T>>::type;
  const T* src = x.data<T>();
  T* dst = y.data<T>();
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      Acc sum = 0;
      for (int64_t s = 0; s < dim; s++) {
        int64_t k = p.reverse ? dim - 1 - s : s, at = (o * dim + k) * inner + i;
        if (p.exclusive) {
          dst[at] = static_cast<T>(sum);
          sum += static_cast<Acc>(src[at]);
        } else {
          sum += static_cast<Acc>(src[at]);
          dst[at] = static_cast<T>(sum);
        }
      }
    }
}

void cum_sum(const params::CumSum& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  switch (in[0].dtype) {
    case DType::Float32: return sum_lines<float>(p, in[0], out[0]);
    case DType::Int64: return sum_lines<int64_t>(p, in[0], out[0]);
    case DType::Int32: return sum_lines<int32_t>(p, in[0], out[0]);
    default: fail("CumSum: no kernel for ", dtype_name(in[0].dtype));
  }
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("CumSum", params::infer_cum_sum, cum_sum);

}  // namespace webdnn::runtime::reference
