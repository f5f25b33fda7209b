// Indexed reads: Gather (whole slices of data along axis, picked by an index tensor) and
// GatherElements (one element per index, same rank as data). Parameter: axis (non-negative).
// Indices are int64 or int32, may be negative (counted from the end) and may be a runtime input.
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

int axis_of(const ir::Operator& op, int rank) {
  WEBDNN_CHECK(op.params.contains("axis"), "parameter 'axis' is missing");
  int64_t axis = op.params.at("axis").get<int64_t>();
  WEBDNN_CHECK(axis >= 0 && axis < rank, "axis ", axis, " is out of range for rank ", rank);
  return static_cast<int>(axis);
}

// Integer indices; when they are constants, every one must address the axis (a runtime error
// would come too late to name the node).
void check_indices(const ir::Variable* indices, int64_t dim) {
  WEBDNN_CHECK(indices->dtype == DType::Int64 || indices->dtype == DType::Int32, "indices '", indices->name, "' are ",
               dtype_name(indices->dtype), "; int64 or int32 is expected");
  if (!indices->is_constant()) return;
  Tensor t = indices->logical_data();
  for (int64_t i = 0; i < t.size(); i++) {
    int64_t v = t.as_int(i);
    WEBDNN_CHECK(v >= -dim && v < dim, "index ", v, " is out of range for an axis of size ", dim);
  }
}

void infer_gather(ir::Operator& op) {
  const ir::Variable *data = op.inputs[0], *indices = op.inputs[1];
  int axis = axis_of(op, data->rank());
  check_indices(indices, data->shape[axis]);
  Shape shape(data->shape.begin(), data->shape.begin() + axis);
  shape.insert(shape.end(), indices->shape.begin(), indices->shape.end());
  shape.insert(shape.end(), data->shape.begin() + axis + 1, data->shape.end());
  set_output(op, 0, data->dtype, shape);
  copy_axes(*data, *op.outputs[0]);  // only when the ranks agree (1-D indices): same axes then
}

void infer_gather_elements(ir::Operator& op) {
  const ir::Variable *data = op.inputs[0], *indices = op.inputs[1];
  int axis = axis_of(op, data->rank());
  WEBDNN_CHECK(indices->rank() == data->rank(), "indices ", shape_to_string(indices->shape),
               " must have the rank of data ", shape_to_string(data->shape));
  for (int d = 0; d < data->rank(); d++)
    WEBDNN_CHECK(d == axis || indices->shape[d] <= data->shape[d], "indices ", shape_to_string(indices->shape),
                 " exceed data ", shape_to_string(data->shape), " on axis ", d);
  check_indices(indices, data->shape[axis]);
  set_output(op, 0, data->dtype, indices->shape);
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
    int axis = static_cast<int>(op.params.at("axis").get<int64_t>());
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
