// GatherND: each row of the indices' last axis is a coordinate tuple into data (after the shared
// batch axes), and the output takes the data slice it names. Parameters: params::GatherND.
// Indices are int64 or int32, may be negative (counted from the end) and may be a runtime input.
#include <optional>

#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

void infer_gather_nd(ir::Operator& op) {
  const ir::Variable *data = op.inputs[0], *indices = op.inputs[1];
  params::GatherND p = params::GatherND::parse(op.params);
  set_outputs(op, params::infer_gather_nd(p, input_types(op)));
  // Constant indices are checked now, so that the error names the node, against the axes whose
  // size is a number (the kernel checks those of symbolic size when it runs).
  if (!indices->is_constant() || indices->size() == 0) return;
  Tensor t = indices->logical_data();
  int64_t last = indices->shape.back();
  for (int64_t i = 0; i < t.size(); i++) {
    std::optional<int64_t> dim = data->dims[p.batch_dims + i % last].constant();
    int64_t v = t.as_int(i);
    WEBDNN_CHECK(!dim || (v >= -*dim && v < *dim), "index ", v, " (coordinate ", i % last, " of tuple ", i / last,
                 ") is out of range for an axis of size ", dim.value_or(0));
  }
}

// Output axes before the tuple axis come from the indices (the batch ones from data too); the
// rest are data's trailing axes. Each piece needs only its own rows of whichever it cuts.
Traits gather_nd_traits(const ir::Operator& op) {
  Traits t;
  int64_t b = params::GatherND::parse(op.params).batch_dims;
  int q = op.inputs[1]->rank(), last = static_cast<int>(op.inputs[1]->shape.back());
  for (int a = 0; a < op.outputs[0]->rank(); a++) {
    t.tensorwise.push_back(a);
    if (a < b) t.split_inputs[a] = {a, a};
    else if (a < q - 1) t.split_inputs[a] = {-1, a};
    else t.split_inputs[a] = {static_cast<int>(b) + last + a - (q - 1), -1};
  }
  return t;
}

WEBDNN_REGISTER_OP(make_schema("GatherND", 2, 2, infer_gather_nd, gather_nd_traits));

}  // namespace
}  // namespace webdnn::ops
