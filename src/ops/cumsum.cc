// CumSum: running sums along one axis (inclusive or exclusive, forward or from the end).
// Parameters: params::CumSum; the ONNX axis input is constant and becomes a parameter.
#include "src/ops/schema.h"

namespace webdnn::ops {
namespace {

void infer_cum_sum(ir::Operator& op) {
  set_like_input(op, params::infer_cum_sum(params::CumSum::parse(op.params), input_types(op)));
}

// Lines along the axis are independent; no output element may overwrite an input element a later
// one still reads, so no in-place handover.
Traits cum_sum_traits(const ir::Operator& op) {
  Traits t;
  int axis = static_cast<int>(params::CumSum::parse(op.params).axis);
  for (int a = 0; a < op.outputs[0]->rank(); a++)
    if (a != axis) {
      t.tensorwise.push_back(a);
      t.split_inputs[a] = {a};
    }
  return t;
}

WEBDNN_REGISTER_OP(make_schema("CumSum", 1, 1, infer_cum_sum, cum_sum_traits));

}  // namespace
}  // namespace webdnn::ops
