// Normalizing operators over float tensors. Channels are axis 1 of an N C D1... tensor.
//   BatchNormalization (X, scale, B, mean, var; each [C]): inference form, from running statistics.
//     Params: params::Normalization.
//   InstanceNormalization (X, scale, B; [C]): statistics per (n, c) over D1.... params::Normalization.
//   LayerNormalization (X, scale, optional B; each broadcasts to X): statistics over axes
//     axis..rank-1, about the mean or (params "rms") about zero. params::LayerNormalization.
//   LRN: across channels. params::Lrn.
//   Softmax, LogSoftmax: along one axis (the ONNX-13 meaning; older models are reshaped around it
//     by the frontend). params::Axis.
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

void infer_batch_norm(ir::Operator& op) {
  set_like_input(op, params::infer_batch_norm(params::Normalization::parse(op.params), input_types(op)));
}

void infer_instance_norm(ir::Operator& op) {
  set_like_input(op, params::infer_instance_norm(params::Normalization::parse(op.params), input_types(op)));
}

void infer_layer_norm(ir::Operator& op) {
  set_like_input(op, params::infer_layer_norm(params::LayerNormalization::parse(op.params), input_types(op)));
}

void infer_lrn(ir::Operator& op) { set_like_input(op, params::infer_lrn(params::Lrn::parse(op.params), input_types(op))); }

void infer_softmax(ir::Operator& op) {
  set_like_input(op, params::infer_softmax(params::Axis::parse(op.params), input_types(op)));
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
    for (int a = 0; a < params::LayerNormalization::parse(op.params).axis; a++) t.tensorwise.push_back(a);
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
    t.tensorwise = all_axes_but(op.outputs[0]->rank(), static_cast<int>(params::Axis::parse(op.params).axis));
    return t;
  });
  s.kernel = "Softmax";
  s.kernel_params = [log](const ir::Operator& op) {
    Json p = params::Axis::parse(op.params).to_json();
    p["log"] = log;
    return p;
  };
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
