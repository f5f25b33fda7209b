// Handlers of ONNX convolution, pooling and matrix-product operators.
#include "src/frontend/onnx/handlers/window.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

int spatial_rank(const ir::Variable* x) {
  WEBDNN_CHECK(x->rank() == 3 || x->rank() == 4, "input '", x->name, "' is ", shape_to_string(x->shape),
               "; only 1-D and 2-D windows over NCL / NCHW tensors are supported");
  return x->rank() - 2;
}

}  // namespace

Window read_window(NodeContext& ctx, const ir::Variable* x, std::vector<int64_t> kernel) {
  size_t n = static_cast<size_t>(spatial_rank(x));
  Window w;
  w.kernel = ctx.has("kernel_shape") ? ctx.attr_ints("kernel_shape") : kernel;
  WEBDNN_CHECK(w.kernel.size() == n, "kernel_shape ", shape_to_string(w.kernel), " does not match input ",
               shape_to_string(x->shape));
  w.strides = ctx.attr_ints("strides", std::vector<int64_t>(n, 1));
  w.dilations = ctx.attr_ints("dilations", std::vector<int64_t>(n, 1));
  w.pads = ctx.attr_ints("pads", std::vector<int64_t>(2 * n, 0));
  WEBDNN_CHECK(w.strides.size() == n && w.dilations.size() == n && w.pads.size() == 2 * n, "strides ",
               shape_to_string(w.strides), ", dilations ", shape_to_string(w.dilations), " and pads ",
               shape_to_string(w.pads), " do not match a ", n, "-D window");
  // Bounded, so that the window arithmetic below and in shape inference cannot divide by zero or
  // overflow.
  constexpr int64_t kMost = int64_t{1} << 20;
  for (size_t d = 0; d < n; d++)
    WEBDNN_CHECK(w.kernel[d] >= 1 && w.kernel[d] <= kMost && w.strides[d] >= 1 && w.strides[d] <= kMost &&
                     w.dilations[d] >= 1 && w.dilations[d] <= kMost,
                 "kernel_shape ", shape_to_string(w.kernel), ", strides ", shape_to_string(w.strides), " and dilations ",
                 shape_to_string(w.dilations), " must be in [1, ", kMost, "]");
  std::string auto_pad = ctx.attr_string("auto_pad", "NOTSET");
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    for (size_t d = 0; d < n; d++) {
      int64_t in = x->shape[2 + d];
      int64_t out = (in + w.strides[d] - 1) / w.strides[d];
      int64_t total = std::max<int64_t>(0, (out - 1) * w.strides[d] + (w.kernel[d] - 1) * w.dilations[d] + 1 - in);
      int64_t small = total / 2, large = total - small;
      w.pads[d] = auto_pad == "SAME_UPPER" ? small : large;
      w.pads[d + n] = auto_pad == "SAME_UPPER" ? large : small;
    }
  } else if (auto_pad == "VALID") {
    w.pads.assign(2 * n, 0);
  } else {
    WEBDNN_CHECK(auto_pad == "NOTSET", "unknown auto_pad '", auto_pad, "'");
  }
  return w;
}

// The IR works on 2-D windows: a 1-D one becomes 2-D with a height of 1.
params::Window window_params(Window w) {
  if (w.kernel.size() == 1) {
    w.kernel.insert(w.kernel.begin(), 1);
    w.strides.insert(w.strides.begin(), 1);
    w.dilations.insert(w.dilations.begin(), 1);
    w.pads = {0, w.pads[0], 0, w.pads[1]};
  }
  WEBDNN_CHECK(w.strides.size() == 2 && w.dilations.size() == 2 && w.pads.size() == 4, "strides ",
               shape_to_string(w.strides), ", dilations ", shape_to_string(w.dilations), " and pads ",
               shape_to_string(w.pads), " do not match a ", w.kernel.size(), "-D window");
  params::Window p;
  p.kernel = {w.kernel[0], w.kernel[1]};
  p.strides = {w.strides[0], w.strides[1]};
  p.dilations = {w.dilations[0], w.dilations[1]};
  p.pads = {w.pads[0], w.pads[1], w.pads[2], w.pads[3]};
  return p;
}

// [N,C,L] -> [N,C,1,L] (and a weight [M,C,k] -> [M,C,1,k]); 4-D tensors pass through.
ir::Variable* lift(NodeContext& ctx, ir::Variable* v) {
  if (v->rank() != 3) return v;
  return ctx.add("Reshape", {{"shape", params::dims_json({v->dims[0], v->dims[1], 1, v->dims[2]})}}, {v});
}

// Binds the node's output, undoing lift() when the input was 1-D.
void set_windowed_output(NodeContext& ctx, const ir::Variable* x, ir::Variable* y) {
  if (x->rank() == 3) y = ctx.add("Reshape", {{"shape", params::dims_json({y->dims[0], y->dims[1], y->dims[3]})}}, {y});
  ctx.set_output(0, y);
}

namespace {

void pool(NodeContext& ctx, const char* type) {
  ir::Variable* x = ctx.required_input(0);
  params::Pool p;
  p.window = window_params(read_window(ctx, x, {}));
  p.ceil_mode = ctx.attr_int("ceil_mode", 0) != 0;
  p.count_include_pad = std::string(type) == "AveragePool" && ctx.attr_int("count_include_pad", 0) != 0;
  WEBDNN_CHECK(ctx.num_outputs() < 2 || ctx.node().output(1).empty(), "the Indices output of MaxPool is not supported");
  set_windowed_output(ctx, x, ctx.add(type, p.to_json(), {lift(ctx, x)}));
}

void global_pool(NodeContext& ctx, const char* reduce) {
  ir::Variable* x = ctx.required_input(0);
  WEBDNN_CHECK(x->rank() >= 3, "input '", x->name, "' must have spatial axes");
  std::vector<int64_t> axes;
  for (int a = 2; a < x->rank(); a++) axes.push_back(a);
  ctx.set_output(0, ctx.add(reduce, params::Reduce{axes, true}.to_json(), {x}));
}

}  // namespace

WEBDNN_ONNX_HANDLER(Conv) {
  ir::Variable* x = ctx.required_input(0);
  ir::Variable* w = ctx.required_input(1);
  WEBDNN_CHECK(w->rank() == x->rank(), "weight '", w->name, "' is ", shape_to_string(w->shape), " for input ",
               shape_to_string(x->shape));
  std::vector<int64_t> kernel(w->shape.begin() + 2, w->shape.end());
  params::Conv p;
  p.window = window_params(read_window(ctx, x, kernel));
  p.group = ctx.attr_int("group", 1);
  std::vector<ir::Variable*> inputs = {lift(ctx, x), lift(ctx, w)};
  if (ir::Variable* b = ctx.input(2)) inputs.push_back(b);
  set_windowed_output(ctx, x, ctx.add("Conv", p.to_json(), inputs));
}

WEBDNN_ONNX_HANDLER(ConvTranspose) {
  ir::Variable* x = ctx.required_input(0);
  ir::Variable* w = ctx.required_input(1);
  WEBDNN_CHECK(w->rank() == x->rank(), "weight '", w->name, "' is ", shape_to_string(w->shape), " for input ",
               shape_to_string(x->shape));
  size_t n = static_cast<size_t>(spatial_rank(x));
  std::vector<int64_t> kernel = ctx.attr_ints("kernel_shape", std::vector<int64_t>(w->shape.begin() + 2, w->shape.end()));
  Window win;
  win.kernel = kernel;
  win.strides = ctx.attr_ints("strides", std::vector<int64_t>(n, 1));
  win.dilations = ctx.attr_ints("dilations", std::vector<int64_t>(n, 1));
  win.pads = ctx.attr_ints("pads", std::vector<int64_t>(2 * n, 0));
  auto output_padding = ctx.attr_ints("output_padding", std::vector<int64_t>(n, 0));
  std::string auto_pad = ctx.attr_string("auto_pad", "NOTSET");
  std::vector<int64_t> output_shape = ctx.attr_ints("output_shape");
  if (output_shape.size() > n) output_shape.erase(output_shape.begin(), output_shape.end() - static_cast<long>(n));
  if (!output_shape.empty() || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    // Pads follow from the requested output size (the spec's formula for output_shape / SAME).
    for (size_t d = 0; d < n; d++) {
      int64_t in = x->shape[2 + d];
      int64_t out = output_shape.empty() ? in * win.strides[d] : output_shape[d];
      int64_t total = win.strides[d] * (in - 1) + output_padding[d] + (kernel[d] - 1) * win.dilations[d] + 1 - out;
      total = std::max<int64_t>(total, 0);
      bool lower = auto_pad == "SAME_LOWER";
      win.pads[d] = lower ? total - total / 2 : total / 2;
      win.pads[d + n] = total - win.pads[d];
    }
  } else if (auto_pad == "VALID") {
    win.pads.assign(2 * n, 0);
  }
  params::ConvTranspose p;
  p.window = window_params(win);
  if (n == 1) output_padding.insert(output_padding.begin(), 0);
  WEBDNN_CHECK(output_padding.size() == 2, "output_padding ", shape_to_string(output_padding), " does not match the window");
  p.group = ctx.attr_int("group", 1);
  p.output_padding = {output_padding[0], output_padding[1]};
  std::vector<ir::Variable*> inputs = {lift(ctx, x), lift(ctx, w)};
  if (ir::Variable* b = ctx.input(2)) inputs.push_back(b);
  set_windowed_output(ctx, x, ctx.add("ConvTranspose", p.to_json(), inputs));
}

WEBDNN_ONNX_HANDLER(MaxPool) { pool(ctx, "MaxPool"); }
WEBDNN_ONNX_HANDLER(AveragePool) { pool(ctx, "AveragePool"); }
WEBDNN_ONNX_HANDLER(GlobalAveragePool) { global_pool(ctx, "ReduceMean"); }
WEBDNN_ONNX_HANDLER(GlobalMaxPool) { global_pool(ctx, "ReduceMax"); }

WEBDNN_ONNX_HANDLER(Gemm) {
  params::Gemm p;
  p.alpha = ctx.attr_float("alpha", 1.0f);
  p.beta = ctx.attr_float("beta", 1.0f);
  p.trans_a = ctx.attr_int("transA", 0) != 0;
  p.trans_b = ctx.attr_int("transB", 0) != 0;
  std::vector<ir::Variable*> inputs = {ctx.required_input(0), ctx.required_input(1)};
  if (ir::Variable* c = ctx.input(2)) inputs.push_back(c);
  ctx.set_output(0, ctx.add("Gemm", p.to_json(), inputs));
}

WEBDNN_ONNX_HANDLER(MatMul) {
  ctx.set_output(0, ctx.add("MatMul", params::MatMul{}.to_json(), {ctx.required_input(0), ctx.required_input(1)}));
}

}  // namespace webdnn::onnx_frontend
