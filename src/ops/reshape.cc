// Operators that only move data: Reshape (row-major reinterpretation to a static shape; Flatten,
// Squeeze and Unsqueeze import as Reshape), Transpose and Relayout.
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

void infer_reshape(ir::Operator& op) {
  set_outputs(op, params::infer_reshape(params::Reshape::parse(op.params), input_types(op)));
}

void infer_transpose(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  params::Transpose p = params::Transpose::parse(op.params);
  set_outputs(op, params::infer_transpose(p, input_types(op)));
  std::vector<std::string> axes;
  for (int64_t a : p.perm) axes.push_back(x->axes[a]);
  op.outputs[0]->axes = axes;
}

OpSchema reshape() {
  OpSchema s;
  s.type = "Reshape";
  s.infer = infer_reshape;
  s.traits = [](const ir::Operator& op) {
    Traits t;
    t.inplace = {{0, 0}};  // row-major data is unchanged; only the shape is new
    t.identity = identical(op.inputs[0]->dims, op.outputs[0]->dims) ? 0 : -1;
    return t;
  };
  s.kernel = "Reshape";
  return s;
}

OpSchema transpose() {
  OpSchema s;
  s.type = "Transpose";
  s.infer = infer_transpose;
  s.traits = [](const ir::Operator& op) {
    Traits t;
    std::vector<int64_t> perm = params::Transpose::parse(op.params).perm;
    bool same = true;
    for (int a = 0; a < op.outputs[0]->rank(); a++) {
      t.tensorwise.push_back(a);
      t.split_inputs[a] = {static_cast<int>(perm[a])};
      t.moved_axes.push_back(static_cast<int>(perm[a]));
      same &= perm[a] == a;
    }
    // Free where the output's memory order follows the input's (layout selection may choose so).
    t.inplace = {{0, 0}};
    t.identity = same ? 0 : -1;
    return t;
  };
  s.kernel = "Transpose";
  return s;
}

// Relayout: the same tensor in another memory order (its output's Order); layout selection
// inserts it where kernels disagree on layout.
OpSchema relayout() {
  OpSchema s;
  s.type = "Relayout";
  s.infer = [](ir::Operator& op) {
    set_output(op, 0, op.inputs[0]->dtype, op.inputs[0]->dims);
    copy_axes(*op.inputs[0], *op.outputs[0]);
  };
  s.traits = [](const ir::Operator& op) {
    Traits t;
    for (int a = 0; a < op.outputs[0]->rank(); a++) t.tensorwise.push_back(a);
    t.identity = 0;  // removable when both layouts coincide
    return t;
  };
  s.kernel = "Relayout";
  return s;
}

WEBDNN_REGISTER_OP(reshape());
WEBDNN_REGISTER_OP(relayout());
WEBDNN_REGISTER_OP(transpose());

}  // namespace
}  // namespace webdnn::ops
