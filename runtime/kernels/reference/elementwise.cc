// The one reference kernel for every elementwise operator: evaluates the operator's expression
// per output element, reading each input through broadcast strides.
#include "runtime/kernels/reference/reference.h"
#include "webdnn/expr.h"

namespace webdnn::runtime::reference {

void evaluate_expression(const Expr& expr, const std::vector<const Tensor*>& in, Tensor& y) {
  const Shape& shape = y.shape;
  size_t rank = shape.size();
  std::vector<Shape> strides;
  for (const Tensor* t : in) {
    WEBDNN_CHECK(t->shape.size() <= rank, "elementwise input of rank ", t->shape.size(), " for output rank ", rank);
    strides.push_back(broadcast_strides(t->shape, contiguous_strides(t->shape), shape));
  }
  std::vector<int64_t> index(rank, 0), offset(in.size(), 0);
  std::vector<double> args(in.size());
  int64_t n = y.size();
  for (int64_t i = 0; i < n; i++) {
    for (size_t k = 0; k < in.size(); k++) args[k] = load(in[k]->bytes.data(), in[k]->dtype, offset[k]);
    store(y.bytes.data(), y.dtype, i, expr.evaluate(args.data()));
    // Advance the multi-index and every input's offset together.
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < shape[d]) {
        for (size_t k = 0; k < in.size(); k++) offset[k] += strides[k][d];
        break;
      }
      for (size_t k = 0; k < in.size(); k++) offset[k] -= strides[k][d] * (shape[d] - 1);
      index[d] = 0;
    }
  }
}

void apply_epilogue(const params::Epilogue& epilogue, const std::vector<Tensor>& in, size_t first_extra, Tensor& y) {
  if (!epilogue.expr) return;
  Tensor value = y;
  std::vector<const Tensor*> args = {&value};
  for (size_t i = first_extra; i < in.size(); i++) args.push_back(&in[i]);
  evaluate_expression(*epilogue.expr, args, y);
}

ElementwiseKernel ElementwiseKernel::parse(const Json& j) {
  params::Reader r(j);
  return {r.expr("expr"), r.dtype("to"), r.has("shape") ? r.integers("shape", -1, 0, params::kMaxExtent) : Shape{}};
}

params::Types elementwise_signature(const ElementwiseKernel& p, const params::Types& in) {
  return {{p.to, params::infer_elementwise(p.expr, in, p.shape)}};
}

namespace {

void elementwise(const ElementwiseKernel& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  std::vector<const Tensor*> args;
  for (const Tensor& t : in) args.push_back(&t);
  evaluate_expression(p.expr, args, out[0]);
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("Elementwise", elementwise_signature, elementwise);

}  // namespace webdnn::runtime::reference
