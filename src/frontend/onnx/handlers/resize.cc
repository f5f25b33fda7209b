// Handlers of ONNX Resize (opsets 10, 11, 13, 18, 19) and Upsample (7, 9): both become the IR
// Resize with a static output shape and one scale per axis (nearest, linear or cubic).
#include <cmath>

#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

struct Target {
  DimShape shape;
  std::vector<double> scales;
};

// Output size floor(in * scale), multiplied in float as onnxruntime does: for scales such as
// 0.7f the float and double products land on different sides of an integer.
Target from_scales(const ir::Variable* x, const std::vector<float>& scales) {
  WEBDNN_CHECK(static_cast<int>(scales.size()) == x->rank(), scales.size(), " scales for the rank-", x->rank(),
               " input ", shape_to_string(x->shape));
  Target t;
  for (int a = 0; a < x->rank(); a++) {
    WEBDNN_CHECK(scales[a] > 0, "scale ", scales[a], " of axis ", a, " is not positive");
    const Dim& in = x->dims[a];
    // Each extent checked before its conversion, which is undefined past int64 (2^40:
    // params::kMaxExtent).
    if (in.is_constant()) {
      float extent = std::floor(static_cast<float>(*in.constant()) * scales[a]);
      WEBDNN_CHECK(extent <= 1099511627776.0f, "scale ", scales[a], " of axis ", a, " makes it ", extent,
                   " long, more than any backend holds");
      t.shape.push_back(static_cast<int64_t>(extent));
    } else if (scales[a] == std::floor(scales[a])) {
      WEBDNN_CHECK(scales[a] <= 1099511627776.0f, "scale ", scales[a], " of axis ", a, " is more than any backend holds");
      t.shape.push_back(in * Dim(static_cast<int64_t>(scales[a])));
    } else {
      fail("scale ", scales[a], " of axis ", a, " resizes the free dimension ", in, "; give its size instead, or --input-shape");
    }
    t.scales.push_back(scales[a]);
  }
  return t;
}

// With sizes, the coordinate transformation uses output / input as the scale; where either
// follows the model's free dimensions the runtime works it out (scale 0, params::Resize).
Target from_sizes(const ir::Variable* x, const DimShape& sizes) {
  WEBDNN_CHECK(static_cast<int>(sizes.size()) == x->rank(), sizes.size(), " sizes for the rank-", x->rank(), " input ",
               shape_to_string(x->dims));
  Target t;
  for (int a = 0; a < x->rank(); a++) {
    WEBDNN_CHECK(sizes[a].hint() > 0, "sizes ", shape_to_string(sizes), " must be positive");
    t.shape.push_back(sizes[a]);
    auto out = sizes[a].constant(), in = x->dims[a].constant();
    if (out && in) t.scales.push_back(static_cast<float>(*out) / static_cast<float>(*in));
    else t.scales.push_back(identical(sizes[a], x->dims[a]) ? 1.0 : 0.0);
  }
  return t;
}

void add_resize(NodeContext& ctx, ir::Variable* x, const std::string& mode, const std::string& ctm,
                const std::string& nearest, const Target& t) {
  WEBDNN_CHECK(mode == "nearest" || mode == "linear" || mode == "cubic", "mode '", mode,
               "' is not supported (nearest, linear and cubic are)");
  Json p = {{"mode", mode},
            {"coordinate_transformation_mode", ctm},
            {"nearest_mode", nearest},
            {"scales", t.scales},
            {"shape", params::dims_json(t.shape)}};
  if (ctx.opset() >= 11) {
    p["cubic_coeff_a"] = ctx.attr_float("cubic_coeff_a", -0.75f);
    p["exclude_outside"] = ctx.attr_int("exclude_outside", 0) != 0;
    // Antialiasing filters linear and cubic interpolation only (ONNX ignores it for nearest).
    p["antialias"] = ctx.attr_int("antialias", 0) != 0 && mode != "nearest";
  }
  ctx.set_output(0, ctx.add("Resize", p, {x}));
}

// An input that may be given as an empty tensor to mean "absent" (Resize's scales).
bool given(NodeContext& ctx, size_t i) {
  ir::Variable* v = ctx.input(i);
  return v && v->is_static() && v->size() > 0;
}

// scales / sizes given for `axes` only (opset 18) spread over all axes; the others keep 1 / their size.
template <class T>
std::vector<T> spread(const std::vector<T>& values, const std::vector<int64_t>& axes, std::vector<T> full,
                      const char* what) {
  if (axes.empty()) return values;
  WEBDNN_CHECK(values.size() == axes.size(), what, " has ", values.size(), " values for ", axes.size(), " axes");
  for (size_t i = 0; i < axes.size(); i++) full[normalize_axis(axes[i], static_cast<int>(full.size()))] = values[i];
  return full;
}

}  // namespace

WEBDNN_ONNX_HANDLER(Resize) {
  ir::Variable* x = ctx.required_input(0);
  std::string mode = ctx.attr_string("mode", "nearest");
  if (ctx.opset() < 11) {
    // Resize-10 behaves as Upsample: asymmetric coordinates, and no nearest_mode attribute.
    add_resize(ctx, x, mode, "asymmetric", "simple", from_scales(x, ctx.constant_floats(1, "scales")));
    return;
  }
  std::string ctm = ctx.attr_string("coordinate_transformation_mode", "half_pixel");
  WEBDNN_CHECK(ctm != "tf_crop_and_resize", "coordinate_transformation_mode 'tf_crop_and_resize' is not supported");
  std::vector<int64_t> axes = ctx.attr_ints("axes");
  bool has_scales = given(ctx, 2), has_sizes = given(ctx, 3);
  WEBDNN_CHECK(has_scales != has_sizes, has_scales ? "both scales and sizes are given; exactly one must be"
                                                   : "neither scales nor sizes is given; exactly one must be");
  Target t;
  if (has_scales) {
    std::vector<float> ones(x->rank(), 1.0f);
    t = from_scales(x, spread(ctx.constant_floats(2, "scales"), axes, ones, "scales"));
  } else {
    std::string policy = ctx.attr_string("keep_aspect_ratio_policy", "stretch");
    WEBDNN_CHECK(policy == "stretch", "keep_aspect_ratio_policy '", policy, "' is not supported (only 'stretch')");
    t = from_sizes(x, spread(ctx.dims_input(3, "sizes"), axes, x->dims, "sizes"));
  }
  add_resize(ctx, x, mode, ctm, ctx.attr_string("nearest_mode", "round_prefer_floor"), t);
}

WEBDNN_ONNX_HANDLER(Upsample) {
  ir::Variable* x = ctx.required_input(0);
  std::vector<float> scales = ctx.opset() >= 9 ? ctx.constant_floats(1, "scales") : ctx.attr_floats("scales");
  add_resize(ctx, x, ctx.attr_string("mode", "nearest"), "asymmetric", "simple", from_scales(x, scales));
}

}  // namespace webdnn::onnx_frontend
