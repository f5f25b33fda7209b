// DimValues and Range: integer tensors computed from the model's free dimensions, so that a
// shape computation (Shape -> Gather -> Concat, Range over a sequence length) that the importer
// could not fold to numbers still costs nothing at run time. Both take no inputs; their values
// are parameters (params::DimValues, params::Range) that the runtime evaluates once the
// dimensions are bound.
#include "src/ops/schema.h"

namespace webdnn::ops {
namespace {

void infer_dim_values(ir::Operator& op) {
  set_outputs(op, params::infer_dim_values(params::DimValues::parse(op.params), input_types(op)));
}

void infer_range(ir::Operator& op) {
  set_outputs(op, params::infer_range(params::Range::parse(op.params), input_types(op)));
}

WEBDNN_REGISTER_OP(make_schema("DimValues", 0, 0, infer_dim_values, nullptr));
WEBDNN_REGISTER_OP(make_schema("Range", 0, 0, infer_range, nullptr));

}  // namespace
}  // namespace webdnn::ops
