// Handlers of GridSample (opsets 16-22, 4-D) and RoiAlign (opsets 10 and 16).
#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {

// Opset 20 renamed the modes bilinear and bicubic to linear and cubic (and allowed N-D inputs).
WEBDNN_ONNX_HANDLER(GridSample) {
  ir::Variable *x = ctx.required_input(0), *grid = ctx.required_input(1);
  WEBDNN_CHECK(x->rank() == 4, "input '", x->name, "' has rank ", x->rank(), "; only 4-D GridSample ([N, C, H, W]) is "
               "supported");
  bool new_names = ctx.opset() >= 20;
  std::string mode = ctx.attr_string("mode", new_names ? "linear" : "bilinear");
  params::GridSample p;
  if (mode == (new_names ? "linear" : "bilinear")) p.mode = params::GridSample::Mode::Bilinear;
  else if (mode == "nearest") p.mode = params::GridSample::Mode::Nearest;
  else if (mode == (new_names ? "cubic" : "bicubic")) p.mode = params::GridSample::Mode::Bicubic;
  else WEBDNN_CHECK(false, "mode '", mode, "' is not one of ",
                    new_names ? "linear, nearest, cubic" : "bilinear, nearest, bicubic", " (opset ", ctx.opset(), ")");
  std::string padding = ctx.attr_string("padding_mode", "zeros");
  if (padding == "border") p.padding = params::GridSample::Padding::Border;
  else if (padding == "reflection") p.padding = params::GridSample::Padding::Reflection;
  else WEBDNN_CHECK(padding == "zeros", "padding_mode '", padding, "' is not one of zeros, border, reflection");
  p.align_corners = ctx.attr_int("align_corners", 0) != 0;
  ctx.set_output(0, ctx.add("GridSample", p.to_json(), {x, grid}));
}

// Opset 10 has no coordinate_transformation_mode: its regions are "output_half_pixel".
WEBDNN_ONNX_HANDLER(RoiAlign) {
  params::RoiAlign p;
  std::string mode = ctx.attr_string("mode", "avg");
  WEBDNN_CHECK(mode == "avg" || mode == "max", "mode '", mode, "' is not avg or max");
  p.mode = mode == "avg" ? params::RoiAlign::Mode::Avg : params::RoiAlign::Mode::Max;
  std::string coordinates = ctx.attr_string("coordinate_transformation_mode", ctx.opset() >= 16 ? "half_pixel"
                                                                                                : "output_half_pixel");
  WEBDNN_CHECK(coordinates == "half_pixel" || coordinates == "output_half_pixel", "coordinate_transformation_mode '",
               coordinates, "' is not half_pixel or output_half_pixel");
  p.half_pixel = coordinates == "half_pixel";
  p.output_height = ctx.attr_int("output_height", 1);
  p.output_width = ctx.attr_int("output_width", 1);
  p.sampling_ratio = ctx.attr_int("sampling_ratio", 0);
  p.spatial_scale = ctx.attr_float("spatial_scale", 1.0f);
  WEBDNN_CHECK(p.output_height >= 1 && p.output_width >= 1, "output_height and output_width must be positive");
  WEBDNN_CHECK(p.sampling_ratio >= 0, "sampling_ratio must not be negative");
  std::vector<ir::Variable*> in = {ctx.required_input(0), ctx.required_input(1), ctx.required_input(2)};
  ctx.set_output(0, ctx.add("RoiAlign", p.to_json(), in));
}

}  // namespace webdnn::onnx_frontend
