// The windows of convolutions and pools, read from a node's attributes (nn.cc), for every handler
// of a windowed operator (Conv, ConvInteger, QLinearConv, the pools).
#pragma once
#include <vector>

#include "src/frontend/onnx/node_context.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {

// A 1-D or 2-D window: kernel_shape, strides, dilations, and explicit pads (begins, then ends)
// with auto_pad resolved against the input's spatial size.
struct Window {
  std::vector<int64_t> kernel, strides, dilations, pads;
};

// The node's window over input x; `kernel` when it has no kernel_shape.
Window read_window(NodeContext& ctx, const ir::Variable* x, std::vector<int64_t> kernel);
// The IR works on 2-D windows: a 1-D one becomes 2-D with a height of 1.
params::Window window_params(Window w);
// [N,C,L] -> [N,C,1,L] (and a weight [M,C,k] -> [M,C,1,k]); 4-D tensors pass through.
ir::Variable* lift(NodeContext& ctx, ir::Variable* v);
// Binds the node's output, undoing lift() when the input was 1-D.
void set_windowed_output(NodeContext& ctx, const ir::Variable* x, ir::Variable* y);

}  // namespace webdnn::onnx_frontend
