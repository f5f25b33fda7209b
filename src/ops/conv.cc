// Windowed operators over NCHW tensors: Conv, ConvTranspose, MaxPool, AveragePool (2-D).
// Parameters: kernel_shape [kh,kw], strides [sh,sw], pads [top,left,bottom,right],
// dilations [dh,dw]; Conv/ConvTranspose add group (and output_padding), pools add ceil_mode and
// count_include_pad. The frontend resolves auto_pad into explicit pads. Conv and ConvTranspose may
// carry an epilogue (see Traits::epilogue_inputs) whose extra inputs follow the bias.
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

struct Window {
  std::vector<int64_t> kernel, strides, pads, dilations;
};

Window window_of(const ir::Operator& op) {
  Window w;
  w.kernel = param_ints(op, "kernel_shape");
  w.strides = op.params.contains("strides") ? param_ints(op, "strides") : std::vector<int64_t>{1, 1};
  w.pads = op.params.contains("pads") ? param_ints(op, "pads") : std::vector<int64_t>{0, 0, 0, 0};
  w.dilations = op.params.contains("dilations") ? param_ints(op, "dilations") : std::vector<int64_t>{1, 1};
  WEBDNN_CHECK(w.kernel.size() == 2 && w.strides.size() == 2 && w.pads.size() == 4 && w.dilations.size() == 2,
               "only 2-D windows are supported (kernel_shape ", shape_to_string(w.kernel), ")");
  return w;
}

int64_t window_output(int64_t in, int64_t k, int64_t stride, int64_t pad_begin, int64_t pad_end,
                      int64_t dilation, bool ceil_mode) {
  int64_t span = in + pad_begin + pad_end - dilation * (k - 1) - 1;
  WEBDNN_CHECK(span >= 0, "window of ", k, " (dilation ", dilation, ") is larger than the padded input ", in);
  int64_t out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  // A window may not start in the end padding (the rule PyTorch and onnxruntime follow).
  if (ceil_mode && (out - 1) * stride >= in + pad_begin) out--;
  return out;
}

void set_nchw(ir::Operator& op, const Shape& shape) {
  set_output(op, 0, DType::Float32, shape);
  op.outputs[0]->axes = {"N", "C", "H", "W"};
}

void require_4d(const ir::Variable* x) {
  WEBDNN_CHECK(x->rank() == 4, "input '", x->name, "' is ", shape_to_string(x->shape), "; an NCHW tensor is expected");
}

void infer_conv(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  const ir::Variable* w = op.inputs[1];
  require_4d(x);
  WEBDNN_CHECK(w->rank() == 4, "weight '", w->name, "' is ", shape_to_string(w->shape), "; [M,C/group,kh,kw] is expected");
  if (!op.params.contains("kernel_shape")) op.params["kernel_shape"] = Shape{w->shape[2], w->shape[3]};
  Window win = window_of(op);
  int64_t group = op.params.value("group", 1);
  WEBDNN_CHECK(x->shape[1] == w->shape[1] * group && w->shape[0] % group == 0, "input channels ", x->shape[1],
               " do not match weight ", shape_to_string(w->shape), " with group ", group);
  WEBDNN_CHECK(win.kernel[0] == w->shape[2] && win.kernel[1] == w->shape[3], "kernel_shape ",
               shape_to_string(win.kernel), " disagrees with weight ", shape_to_string(w->shape));
  if (op.input(2)) WEBDNN_CHECK(op.inputs[2]->shape == Shape{w->shape[0]}, "bias must be [", w->shape[0], "]");
  Shape out = {x->shape[0], w->shape[0], 0, 0};
  for (int d = 0; d < 2; d++)
    out[2 + d] = window_output(x->shape[2 + d], win.kernel[d], win.strides[d], win.pads[d], win.pads[d + 2],
                               win.dilations[d], false);
  set_nchw(op, out);
  check_epilogue(op, 3);
}

void infer_conv_transpose(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  const ir::Variable* w = op.inputs[1];
  require_4d(x);
  WEBDNN_CHECK(w->rank() == 4, "weight '", w->name, "' is ", shape_to_string(w->shape), "; [C,M/group,kh,kw] is expected");
  if (!op.params.contains("kernel_shape")) op.params["kernel_shape"] = Shape{w->shape[2], w->shape[3]};
  Window win = window_of(op);
  int64_t group = op.params.value("group", 1);
  WEBDNN_CHECK(x->shape[1] == w->shape[0], "input channels ", x->shape[1], " do not match weight ",
               shape_to_string(w->shape));
  std::vector<int64_t> output_padding =
      op.params.contains("output_padding") ? param_ints(op, "output_padding") : std::vector<int64_t>{0, 0};
  int64_t m = w->shape[1] * group;
  if (op.input(2)) WEBDNN_CHECK(op.inputs[2]->shape == Shape{m}, "bias must be [", m, "]");
  Shape out = {x->shape[0], m, 0, 0};
  for (int d = 0; d < 2; d++)
    out[2 + d] = win.strides[d] * (x->shape[2 + d] - 1) + output_padding[d] +
                 (win.kernel[d] - 1) * win.dilations[d] + 1 - win.pads[d] - win.pads[d + 2];
  set_nchw(op, out);
  check_epilogue(op, 3);
}

void infer_pool(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  require_4d(x);
  Window win = window_of(op);
  bool ceil_mode = op.params.value("ceil_mode", 0) != 0;
  Shape out = {x->shape[0], x->shape[1], 0, 0};
  for (int d = 0; d < 2; d++)
    out[2 + d] = window_output(x->shape[2 + d], win.kernel[d], win.strides[d], win.pads[d], win.pads[d + 2],
                               win.dilations[d], ceil_mode);
  set_nchw(op, out);
}

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
  if (weight_channel_axis == 0 || op.params.value("group", 1) == 1) {
    t.tensorwise.push_back(1);
    by_channel.resize(std::max<size_t>(op.inputs.size(), 2));
    t.split_inputs[1] = by_channel;
    t.channel_affine = {1, 1, weight_channel_axis, 2};
  }
  if (op.params.value("group", 1) == 1) t.input_scale = {1, 1, 1 - weight_channel_axis};
  return t;
}

WEBDNN_REGISTER_OP(make_schema("Conv", 2, -1, infer_conv, [](const ir::Operator& op) { return conv_traits(op, 0); }));
WEBDNN_REGISTER_OP(make_schema("ConvTranspose", 2, -1, infer_conv_transpose,
                        [](const ir::Operator& op) { return conv_traits(op, 1); }));
WEBDNN_REGISTER_OP(make_schema("MaxPool", 1, 1, infer_pool, pool_traits));
WEBDNN_REGISTER_OP(make_schema("AveragePool", 1, 1, infer_pool, pool_traits));

}  // namespace
}  // namespace webdnn::ops
