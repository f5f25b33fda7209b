// TopK: params::TopK (axis, k, largest). Outputs: the k values along the axis, in order
// (largest first, or smallest first), and their int64 indices. k is a number, a dim of the
// model's free dimensions (min(300, boxes), as detectors compute it from a shape), or a data
// symbol found by a SizeFromValue, whose output is then input 1 (so that TopK runs after it).
#include "src/ops/schema.h"

namespace webdnn::ops {
namespace {

void infer_top_k(ir::Operator& op) {
  set_outputs(op, params::infer_top_k(params::TopK::parse(op.params), input_types(op)));
  for (ir::Variable* out : op.outputs) copy_axes(*op.inputs[0], *out);
}

OpSchema top_k() {
  OpSchema s;
  s.type = "TopK";
  s.infer = infer_top_k;
  s.max_inputs = 2;
  s.num_outputs = 2;
  s.kernel = "TopK";
  return s;
}

WEBDNN_REGISTER_OP(top_k());

}  // namespace
}  // namespace webdnn::ops
