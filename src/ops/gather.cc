// Indexed reads: Gather (whole slices of data along axis, picked by an index tensor) and
// GatherElements (one element per index, same rank as data). Parameters: params::Axis.
// Indices are int64 or int32, may be negative (counted from the end) and may be a runtime input.
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

// Constant indices must each address the axis (a runtime error would come too late to name the
// node).
void check_indices(const ir::Variable* indices, int64_t dim) {
  if (!indices->is_constant()) return;
  Tensor t = indices->logical_data();
  for (int64_t i = 0; i < t.size(); i++) {
    int64_t v = t.as_int(i);
    WEBDNN_CHECK(v >= -dim && v < dim, "index ", v, " is out of range for an axis of size ", dim);
  }
}

void infer_gather(ir::Operator& op) {
  const ir::Variable *data = op.inputs[0], *indices = op.inputs[1];
  params::Axis p = params::Axis::parse(op.params);
  set_outputs(op, params::infer_gather(p, input_types(op)));
  check_indices(indices, data->shape[p.axis]);
  copy_axes(*data, *op.outputs[0]);  // only when the ranks agree (1-D indices): same axes then
}

void infer_gather_elements(ir::Operator& op) {
  const ir::Variable *data = op.inputs[0], *indices = op.inputs[1];
  params::Axis p = params::Axis::parse(op.params);
  set_outputs(op, params::infer_gather_elements(p, input_types(op)));
  check_indices(indices, data->shape[p.axis]);
  copy_axes(*data, *op.outputs[0]);
}

OpSchema make(const char* type, void (*infer_fn)(ir::Operator&), bool all_axes) {
  OpSchema s;
  s.type = type;
  s.min_inputs = 2;
  s.max_inputs = 2;
  s.infer = infer_fn;
  // Every output element reads only the data it indexes: Gather's output axes split into pieces
  // of data (outer/inner axes) or of indices; GatherElements' along axis need all of data.
  s.traits = [all_axes](const ir::Operator& op) {
    Traits t;
    int axis = static_cast<int>(params::Axis::parse(op.params).axis);
    for (int a = 0; a < op.outputs[0]->rank(); a++)
      if (all_axes || a != axis) t.tensorwise.push_back(a);
    return t;
  };
  s.kernel = type;
  return s;
}

WEBDNN_REGISTER_OP(make("Gather", infer_gather, true));
WEBDNN_REGISTER_OP(make("GatherElements", infer_gather_elements, false));

}  // namespace
}  // namespace webdnn::ops
