// ScatterND and ScatterElements: a copy of data with updates written (or combined, by the
// reduction) at the places the indices name, in the indices' order. Parameters:
// params::ScatterND, params::ScatterElements. Indices are int64 or int32, negative ones count from
// the end of their axis, and may be runtime inputs.
#include <optional>

#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

// Constant indices are checked now, so that the error names the node; `axis_of(i)` is the data
// axis that index i addresses (axes of a free size are checked by the kernels when they run).
template <class F>
void check_indices(const ir::Operator& op, F axis_of) {
  const ir::Variable *data = op.inputs[0], *indices = op.inputs[1];
  if (!indices->is_constant()) return;
  Tensor t = indices->logical_data();
  for (int64_t i = 0; i < t.size(); i++) {
    std::optional<int64_t> dim = data->dims[axis_of(i)].constant();
    int64_t v = t.as_int(i);
    WEBDNN_CHECK(!dim || (v >= -*dim && v < *dim), "index ", v, " (element ", i, " of the indices) is out of range "
                 "for an axis of size ", dim.value_or(0));
  }
}

void infer_scatter_nd(ir::Operator& op) {
  set_like_input(op, params::infer_scatter_nd(params::ScatterND::parse(op.params), input_types(op)));
  int64_t k = op.inputs[1]->shape.back();
  check_indices(op, [k](int64_t i) { return static_cast<int>(i % k); });
}

void infer_scatter_elements(ir::Operator& op) {
  params::ScatterElements p = params::ScatterElements::parse(op.params);
  set_like_input(op, params::infer_scatter_elements(p, input_types(op)));
  check_indices(op, [&p](int64_t) { return static_cast<int>(p.axis); });
}

WEBDNN_REGISTER_OP(make_schema("ScatterND", 3, 3, infer_scatter_nd, nullptr));
WEBDNN_REGISTER_OP(make_schema("ScatterElements", 3, 3, infer_scatter_elements, nullptr));

}  // namespace
}  // namespace webdnn::ops
