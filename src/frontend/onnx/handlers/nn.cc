// Handlers of ONNX convolution, pooling and matrix-product operators.
#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"

namespace webdnn::onnx_frontend {
namespace {

// kernel_shape, strides, dilations and explicit pads [top,left,bottom,right] of a 2-D window,
// with auto_pad resolved against the input's spatial size.
Json window_params(NodeContext& ctx, const ir::Variable* x, std::vector<int64_t> kernel) {
  WEBDNN_CHECK(x->rank() == 4, "input '", x->name, "' is ", shape_to_string(x->shape),
               "; only 2-D windows over NCHW tensors are supported");
  if (ctx.has("kernel_shape")) kernel = ctx.attr_ints("kernel_shape");
  WEBDNN_CHECK(kernel.size() == 2, "kernel_shape ", shape_to_string(kernel), " is not 2-D");
  auto strides = ctx.attr_ints("strides", {1, 1});
  auto dilations = ctx.attr_ints("dilations", {1, 1});
  auto pads = ctx.attr_ints("pads", {0, 0, 0, 0});
  std::string auto_pad = ctx.attr_string("auto_pad", "NOTSET");
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    for (int d = 0; d < 2; d++) {
      int64_t in = x->shape[2 + d];
      int64_t out = (in + strides[d] - 1) / strides[d];
      int64_t total = std::max<int64_t>(0, (out - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - in);
      int64_t small = total / 2, large = total - small;
      pads[d] = auto_pad == "SAME_UPPER" ? small : large;
      pads[d + 2] = auto_pad == "SAME_UPPER" ? large : small;
    }
  } else if (auto_pad == "VALID") {
    pads = {0, 0, 0, 0};
  } else {
    WEBDNN_CHECK(auto_pad == "NOTSET", "unknown auto_pad '", auto_pad, "'");
  }
  return {{"kernel_shape", kernel}, {"strides", strides}, {"pads", pads}, {"dilations", dilations}};
}

void pool(NodeContext& ctx, const char* type) {
  ir::Variable* x = ctx.required_input(0);
  Json p = window_params(ctx, x, {});
  p["ceil_mode"] = ctx.attr_int("ceil_mode", 0);
  if (std::string(type) == "AveragePool") p["count_include_pad"] = ctx.attr_int("count_include_pad", 0);
  WEBDNN_CHECK(ctx.num_outputs() < 2 || ctx.node().output(1).empty(), "the Indices output of MaxPool is not supported");
  ctx.set_output(0, ctx.add(type, p, {x}));
}

void global_pool(NodeContext& ctx, const char* reduce) {
  ir::Variable* x = ctx.required_input(0);
  WEBDNN_CHECK(x->rank() >= 3, "input '", x->name, "' must have spatial axes");
  std::vector<int64_t> axes;
  for (int a = 2; a < x->rank(); a++) axes.push_back(a);
  ctx.set_output(0, ctx.add(reduce, {{"axes", axes}, {"keepdims", 1}}, {x}));
}

}  // namespace

WEBDNN_ONNX_HANDLER(Conv) {
  ir::Variable* x = ctx.required_input(0);
  ir::Variable* w = ctx.required_input(1);
  WEBDNN_CHECK(w->rank() == 4, "weight '", w->name, "' is ", shape_to_string(w->shape), "; only 2-D Conv is supported");
  Json p = window_params(ctx, x, {w->shape[2], w->shape[3]});
  p["group"] = ctx.attr_int("group", 1);
  std::vector<ir::Variable*> inputs = {x, w};
  if (ir::Variable* b = ctx.input(2)) inputs.push_back(b);
  ctx.set_output(0, ctx.add("Conv", p, inputs));
}

WEBDNN_ONNX_HANDLER(ConvTranspose) {
  ir::Variable* x = ctx.required_input(0);
  ir::Variable* w = ctx.required_input(1);
  WEBDNN_CHECK(w->rank() == 4, "weight '", w->name, "' is ", shape_to_string(w->shape),
               "; only 2-D ConvTranspose is supported");
  std::vector<int64_t> kernel = ctx.attr_ints("kernel_shape", {w->shape[2], w->shape[3]});
  auto strides = ctx.attr_ints("strides", {1, 1});
  auto dilations = ctx.attr_ints("dilations", {1, 1});
  auto output_padding = ctx.attr_ints("output_padding", {0, 0});
  auto pads = ctx.attr_ints("pads", {0, 0, 0, 0});
  std::string auto_pad = ctx.attr_string("auto_pad", "NOTSET");
  int64_t group = ctx.attr_int("group", 1);
  std::vector<int64_t> output_shape = ctx.attr_ints("output_shape");
  if (output_shape.size() > 2) output_shape.erase(output_shape.begin(), output_shape.end() - 2);
  if (!output_shape.empty() || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    // Pads follow from the requested output size (the spec's formula for output_shape / SAME).
    for (int d = 0; d < 2; d++) {
      int64_t in = x->shape[2 + d];
      int64_t out = output_shape.empty() ? in * strides[d] : output_shape[d];
      int64_t total = strides[d] * (in - 1) + output_padding[d] + (kernel[d] - 1) * dilations[d] + 1 - out;
      total = std::max<int64_t>(total, 0);
      bool lower = auto_pad == "SAME_LOWER";
      pads[d] = lower ? total - total / 2 : total / 2;
      pads[d + 2] = total - pads[d];
    }
  } else if (auto_pad == "VALID") {
    pads = {0, 0, 0, 0};
  }
  Json p = {{"kernel_shape", kernel}, {"strides", strides},  {"pads", pads},
            {"dilations", dilations},  {"group", group},     {"output_padding", output_padding}};
  std::vector<ir::Variable*> inputs = {x, w};
  if (ir::Variable* b = ctx.input(2)) inputs.push_back(b);
  ctx.set_output(0, ctx.add("ConvTranspose", p, inputs));
}

WEBDNN_ONNX_HANDLER(MaxPool) { pool(ctx, "MaxPool"); }
WEBDNN_ONNX_HANDLER(AveragePool) { pool(ctx, "AveragePool"); }
WEBDNN_ONNX_HANDLER(GlobalAveragePool) { global_pool(ctx, "ReduceMean"); }
WEBDNN_ONNX_HANDLER(GlobalMaxPool) { global_pool(ctx, "ReduceMax"); }

WEBDNN_ONNX_HANDLER(Gemm) {
  Json p = {{"alpha", ctx.attr_float("alpha", 1.0f)},
            {"beta", ctx.attr_float("beta", 1.0f)},
            {"transA", ctx.attr_int("transA", 0)},
            {"transB", ctx.attr_int("transB", 0)}};
  std::vector<ir::Variable*> inputs = {ctx.required_input(0), ctx.required_input(1)};
  if (ir::Variable* c = ctx.input(2)) inputs.push_back(c);
  ctx.set_output(0, ctx.add("Gemm", p, inputs));
}

WEBDNN_ONNX_HANDLER(MatMul) {
  ctx.set_output(0, ctx.add("MatMul", {}, {ctx.required_input(0), ctx.required_input(1)}));
}

}  // namespace webdnn::onnx_frontend
