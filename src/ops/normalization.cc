// Normalizing operators over float tensors. Channels are axis 1 of an N C D1... tensor.
//   BatchNormalization (X, scale, B, mean, var; each [C]): inference form, from running statistics.
//     Params: epsilon.
//   InstanceNormalization (X, scale, B; [C]): statistics per (n, c) over D1.... Params: epsilon.
//   LayerNormalization (X, scale, optional B; each broadcasts to X): statistics over axes
//     axis..rank-1. Params: axis (non-negative), epsilon.
//   LRN: across channels. Params: size, alpha, beta, bias.
//   Softmax, LogSoftmax: along one axis (the ONNX-13 meaning; older models are reshaped around it
//     by the frontend). Params: axis (non-negative).
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

void require_float(const ir::Variable* v) {
  WEBDNN_CHECK(v->dtype == DType::Float32, "input '", v->name, "' is ", dtype_name(v->dtype),
               "; float32 is expected");
}

void same_as_input(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  set_output(op, 0, x->dtype, x->shape);
  copy_axes(*x, *op.outputs[0]);
}

// The channel count of X, checked to be N C ... of at least `min_rank` axes.
int64_t channels(const ir::Operator& op, int min_rank) {
  const ir::Variable* x = op.inputs[0];
  require_float(x);
  WEBDNN_CHECK(x->rank() >= min_rank, "input '", x->name, "' is ", shape_to_string(x->shape), "; N C ... of rank ",
               min_rank, " or more is expected");
  return x->shape[1];
}

void require_per_channel(const ir::Operator& op, int64_t c) {
  for (size_t i = 1; i < op.inputs.size(); i++) {
    const ir::Variable* v = op.inputs[i];
    require_float(v);
    WEBDNN_CHECK(v->shape == Shape{c}, "input '", v->name, "' is ", shape_to_string(v->shape),
                 "; one value per channel, [", c, "], is expected");
  }
}

int axis_param(const ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  WEBDNN_CHECK(op.params.contains("axis"), "parameter 'axis' is missing");
  int64_t axis = op.params.at("axis").get<int64_t>();
  WEBDNN_CHECK(axis >= 0 && axis < x->rank(), "axis ", axis, " is out of range for input ", shape_to_string(x->shape));
  return static_cast<int>(axis);
}

void infer_batch_norm(ir::Operator& op) {
  require_per_channel(op, channels(op, 2));
  same_as_input(op);
}

void infer_instance_norm(ir::Operator& op) {
  require_per_channel(op, channels(op, 3));
  same_as_input(op);
}

void infer_layer_norm(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  require_float(x);
  axis_param(op);
  for (size_t i = 1; i < op.inputs.size(); i++) {
    const ir::Variable* p = op.inputs[i];
    require_float(p);
    bool fits = p->rank() <= x->rank();
    for (int d = 1; fits && d <= p->rank(); d++) {
      int64_t pd = p->shape[p->rank() - d], xd = x->shape[x->rank() - d];
      fits = pd == xd || pd == 1;
    }
    WEBDNN_CHECK(fits, "input '", p->name, "' ", shape_to_string(p->shape), " does not broadcast to X ",
                 shape_to_string(x->shape));
  }
  same_as_input(op);
}

void infer_lrn(ir::Operator& op) {
  channels(op, 2);
  WEBDNN_CHECK(op.params.value("size", 0) > 0, "size must be positive");
  same_as_input(op);
}

void infer_softmax(ir::Operator& op) {
  require_float(op.inputs[0]);
  axis_param(op);
  same_as_input(op);
}

std::vector<int> all_axes_but(int rank, int skip) {
  std::vector<int> axes;
  for (int a = 0; a < rank; a++)
    if (a != skip) axes.push_back(a);
  return axes;
}

OpSchema batch_norm() {
  return make_schema("BatchNormalization", 5, 5, infer_batch_norm, [](const ir::Operator& op) {
    // Each element depends only on itself and its channel's constants.
    Traits t;
    t.tensorwise = all_axes_but(op.outputs[0]->rank(), -1);
    t.inplace = {{0, 0}};
    for (int a : t.tensorwise) t.split_inputs[a] = std::vector<int>(5, a == 1 ? 0 : -1);  // [C] statistics
    for (int a : t.tensorwise) t.split_inputs[a][0] = a;
    return t;
  });
}

OpSchema instance_norm() {
  return make_schema("InstanceNormalization", 3, 3, infer_instance_norm, [](const ir::Operator&) {
    Traits t;
    t.tensorwise = {0, 1};
    t.split_inputs[0] = {0, -1, -1};
    t.split_inputs[1] = {1, 0, 0};
    return t;
  });
}

OpSchema layer_norm() {
  return make_schema("LayerNormalization", 2, 3, infer_layer_norm, [](const ir::Operator& op) {
    Traits t;
    for (int a = 0; a < op.params.at("axis").get<int>(); a++) t.tensorwise.push_back(a);
    return t;
  });
}

OpSchema lrn() {
  return make_schema("LRN", 1, 1, infer_lrn, [](const ir::Operator& op) {
    Traits t;
    t.tensorwise = all_axes_but(op.outputs[0]->rank(), 1);  // channels see their neighbours
    return t;
  });
}

OpSchema softmax(const char* type, bool log) {
  OpSchema s = make_schema(type, 1, 1, infer_softmax, [](const ir::Operator& op) {
    Traits t;
    t.tensorwise = all_axes_but(op.outputs[0]->rank(), op.params.at("axis").get<int>());
    return t;
  });
  s.kernel = "Softmax";
  s.kernel_params = [log](const ir::Operator& op) { return Json{{"axis", op.params.at("axis")}, {"log", log}}; };
  return s;
}

WEBDNN_REGISTER_OP(batch_norm());
WEBDNN_REGISTER_OP(instance_norm());
WEBDNN_REGISTER_OP(layer_norm());
WEBDNN_REGISTER_OP(lrn());
WEBDNN_REGISTER_OP(softmax("Softmax", false));
WEBDNN_REGISTER_OP(softmax("LogSoftmax", true));

}  // namespace
}  // namespace webdnn::ops
