// Reference kernels: plain, obviously-correct C++ for every IR operator. They are the baseline
// for every backend, compute constant folding in the transpiler, and run any operator a backend
// has no fast kernel for. Each works on contiguous row-major copies of its inputs, so the layout
// (strides) of the real tensors is handled once here, not in every kernel.
#pragma once
#include <vector>

#include "runtime/core/kernel.h"
#include "webdnn/error.h"
#include "webdnn/expr.h"
#include "webdnn/params.h"
#include "webdnn/tensor.h"

namespace webdnn::runtime::reference {

// A reference kernel is its parameters' struct P (webdnn/params.h), the operator's signature,
// which checks the kernel's tensors against the parameters when the kernel is prepared, and the
// computation. Outputs arrive allocated with their dtype and shape; inputs are contiguous.
template <class P>
using Signature = params::Types (*)(const P& params, const params::Types& inputs);
template <class P>
using Compute = void (*)(const P& params, const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs);

// Runs `compute` on contiguous copies of the inputs, scattering its outputs back.
std::unique_ptr<Kernel> make_function_kernel(const KernelSpec& spec,
                                             std::function<void(const std::vector<Tensor>&, std::vector<Tensor>&)> compute);

template <class P>
std::unique_ptr<Kernel> make_kernel(const KernelSpec& spec, Signature<P> signature, Compute<P> compute) {
  P p = P::parse(spec.params);
  check_outputs(spec, signature(p, types_of(spec.inputs)));
  return make_function_kernel(spec, [p, compute](const std::vector<Tensor>& in, std::vector<Tensor>& out) {
    compute(p, in, out);
  });
}

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

// The "Elementwise" kernel's parameters: the expression, the output dtype ("to") and, for
// Expand, the shape the inputs broadcast to (absent: their own broadcast shape).
struct ElementwiseKernel {
  Expr expr;
  DType to = DType::Float32;
  Shape shape;
  static ElementwiseKernel parse(const Json& j);
};
params::Types elementwise_signature(const ElementwiseKernel& p, const params::Types& in);

// out[i] = expr(in[0][i], in[1][i], ...), the inputs broadcast to out's shape.
void evaluate_expression(const Expr& expr, const std::vector<const Tensor*>& in, Tensor& out);
// y = the softmax (log: log-softmax) of x along `axis`, for kernels defined as a composition.
void softmax_along(const Tensor& x, size_t axis, bool log, Tensor& y);
// Applies the epilogue, if any, to y: x0 is y's element, x1... are in[first_extra...].
void apply_epilogue(const params::Epilogue& epilogue, const std::vector<Tensor>& in, size_t first_extra, Tensor& y);

}  // namespace webdnn::runtime::reference

// WEBDNN_REFERENCE_KERNEL("Name", signature, compute)
#define WEBDNN_REFERENCE_KERNEL(name, signature, compute)                        \
  WEBDNN_REGISTER_KERNEL(name, [](const ::webdnn::runtime::KernelSpec& spec) {   \
    return ::webdnn::runtime::reference::make_kernel(spec, signature, compute); \
  })
