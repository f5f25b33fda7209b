// Reference kernels: plain, obviously-correct C++ for every IR operator. They are the baseline
// for every backend, compute constant folding in the transpiler, and run any operator a backend
// has no fast kernel for. Each works on contiguous row-major copies of its inputs, so the layout
// (strides) of the real tensors is handled once here, not in every kernel.
#pragma once
#include <vector>

#include "runtime/core/kernel.h"
#include "webdnn/error.h"
#include "webdnn/expr.h"
#include "webdnn/tensor.h"

namespace webdnn::runtime::reference {

// Outputs arrive allocated with their dtype and shape; inputs are contiguous.
using Compute = void (*)(const Json& params, const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs);

std::unique_ptr<Kernel> make_kernel(const KernelSpec& spec, Compute compute);

// Copies between strided memory and contiguous tensors.
Tensor gather_contiguous(const void* data, const TensorInfo& info);
void scatter_contiguous(const Tensor& t, void* data, const TensorInfo& info);

// Reads and writes one element of any dtype as a double.
double load(const void* data, DType dtype, int64_t index);
void store(void* data, DType dtype, int64_t index, double value);

// Calls f(index) for every multi-index of `shape`, last axis fastest.
template <class F>
void for_each_index(const Shape& shape, F&& f) {
  int64_t n = num_elements(shape);
  std::vector<int64_t> index(shape.size(), 0);
  for (int64_t i = 0; i < n; i++) {
    f(index);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
}

// out[i] = expr(in[0][i], in[1][i], ...), the inputs broadcast to out's shape.
void evaluate_expression(const Expr& expr, const std::vector<const Tensor*>& in, Tensor& out);
// Applies params["epilogue"], if any, to y: x0 is y's element, x1... are in[first_extra...].
void apply_epilogue(const Json& params, const std::vector<Tensor>& in, size_t first_extra, Tensor& y);

inline std::vector<int64_t> ints(const Json& params, const char* key, std::vector<int64_t> fallback = {}) {
  return params.contains(key) ? params.at(key).get<std::vector<int64_t>>() : fallback;
}

}  // namespace webdnn::runtime::reference

#define WEBDNN_REFERENCE_KERNEL(name, compute)                                                   \
  WEBDNN_REGISTER_KERNEL(name, [](const ::webdnn::runtime::KernelSpec& spec) {                   \
    return ::webdnn::runtime::reference::make_kernel(spec, compute);                             \
  })
