// Windowed operators over NCHW tensors: Conv, ConvTranspose, MaxPool, AveragePool (2-D).
// Parameters: params::Conv, params::ConvTranspose, params::Pool (webdnn/params.h); the frontend
// resolves auto_pad into explicit pads. Conv and ConvTranspose may carry an epilogue (see
// Traits::epilogue_inputs) whose extra inputs follow the bias.
#include "src/ops/schema.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

void set_nchw(ir::Operator& op, const params::SymTypes& types) {
  set_outputs(op, types);
  op.outputs[0]->axes = {"N", "C", "H", "W"};
}

void infer_conv(ir::Operator& op) { set_nchw(op, params::infer_conv(params::Conv::parse(op.params), input_types(op))); }

void infer_conv_transpose(ir::Operator& op) {
  set_nchw(op, params::infer_conv_transpose(params::ConvTranspose::parse(op.params), input_types(op)));
}

void infer_pool(ir::Operator& op) { set_nchw(op, params::infer_pool(params::Pool::parse(op.params), input_types(op))); }

Traits pool_traits(const ir::Operator&) {
  Traits t;
  t.tensorwise = {0, 1};
  return t;
}

// Conv and ConvTranspose: pieces along N need the whole weight; pieces along output channels
// need only their slice of it (ConvTranspose only without groups, whose weight is [C,M/group,..]).
Traits conv_traits(const ir::Operator& op, int weight_channel_axis) {
  Traits t;
  t.tensorwise = {0};
  t.epilogue_inputs = 3;
  std::vector<int> by_batch = {0, -1, -1}, by_channel = {-1, weight_channel_axis, 0};
  for (size_t i = 3; i < op.inputs.size(); i++) {
    by_batch.push_back(aligned_axis(*op.inputs[i], *op.outputs[0], 0));
    by_channel.push_back(aligned_axis(*op.inputs[i], *op.outputs[0], 1));
  }
  by_batch.resize(std::max<size_t>(op.inputs.size(), 2));
  t.split_inputs[0] = by_batch;
  int64_t group = weight_channel_axis == 0 ? params::Conv::parse(op.params).group : params::ConvTranspose::parse(op.params).group;
  if (weight_channel_axis == 0 || group == 1) {
    t.tensorwise.push_back(1);
    by_channel.resize(std::max<size_t>(op.inputs.size(), 2));
    t.split_inputs[1] = by_channel;
    t.channel_affine = {1, 1, weight_channel_axis, 2};
  }
  if (group == 1) t.input_scale = {1, 1, 1 - weight_channel_axis};
  return t;
}

// A multiply-add per weight element of a group for each element of `x` (Conv: the output; ConvTranspose:
// the input, each scattering into a window).
double window_flops(const ir::Variable* x, const ir::Variable* w) {
  return 2.0 * static_cast<double>(x->size()) * static_cast<double>(w->shape[1] * w->shape[2] * w->shape[3]);
}

double pool_flops(const ir::Operator& op) {
  const auto& kernel = params::Pool::parse(op.params).window.kernel;
  return static_cast<double>(op.outputs[0]->size()) * static_cast<double>(kernel[0] * kernel[1]);
}

WEBDNN_REGISTER_OP(with_flops(make_schema("Conv", 2, -1, infer_conv, [](const ir::Operator& op) { return conv_traits(op, 0); }),
                              [](const ir::Operator& op) { return window_flops(op.outputs[0], op.inputs[1]); }));
WEBDNN_REGISTER_OP(with_flops(make_schema("ConvTranspose", 2, -1, infer_conv_transpose,
                                          [](const ir::Operator& op) { return conv_traits(op, 1); }),
                              [](const ir::Operator& op) { return window_flops(op.inputs[0], op.inputs[1]); }));
WEBDNN_REGISTER_OP(with_flops(make_schema("MaxPool", 1, 1, infer_pool, pool_traits), pool_flops));
WEBDNN_REGISTER_OP(with_flops(make_schema("AveragePool", 1, 1, infer_pool, pool_traits), pool_flops));

}  // namespace
}  // namespace webdnn::ops
