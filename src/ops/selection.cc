// NonZero and NonMaxSuppression: their output 0 has as many rows as the input values select, a
// data symbol of the model (params "count"); output 1 receives that number at run time.
// SizeFromValue: its one output receives the number, an input's value (params::SizeFromValue).
#include "src/ops/schema.h"

namespace webdnn::ops {
namespace {

OpSchema selection(const char* type, int max_inputs, std::function<void(ir::Operator&)> infer,
                   std::function<Dim(const ir::Operator&)> capacity) {
  OpSchema s = make_schema(type, max_inputs == 1 ? 1 : 2, max_inputs, std::move(infer), nullptr, 2);
  s.capacity = std::move(capacity);
  return s;
}

WEBDNN_REGISTER_OP(selection(
    "NonZero", 1,
    [](ir::Operator& op) { set_outputs(op, params::infer_non_zero(params::NonZero::parse(op.params), input_types(op))); },
    [](const ir::Operator& op) { return num_elements(op.inputs[0]->dims); }));

WEBDNN_REGISTER_OP(selection(
    "NonMaxSuppression", 2,
    [](ir::Operator& op) {
      set_outputs(op, params::infer_non_max_suppression(params::NonMaxSuppression::parse(op.params), input_types(op)));
    },
    [](const ir::Operator& op) {
      return params::NonMaxSuppression::parse(op.params).capacity(op.inputs[0]->dims, op.inputs[1]->dims);
    }));

WEBDNN_REGISTER_OP([] {
  OpSchema s = make_schema(
      "SizeFromValue", 1, 1,
      [](ir::Operator& op) {
        set_outputs(op, params::infer_size_from_value(params::SizeFromValue::parse(op.params), input_types(op)));
      },
      nullptr);
  s.capacity = [](const ir::Operator& op) { return params::SizeFromValue::parse(op.params).most; };
  return s;
}());

}  // namespace
}  // namespace webdnn::ops
