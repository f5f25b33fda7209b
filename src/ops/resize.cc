// Resize (ONNX Resize and Upsample) with a static output shape.
// Parameters: shape (the output shape), scales (one per axis: the factor that maps output
// coordinates back to input ones; the given scale, or output/input size when sizes were given),
// mode nearest | linear, coordinate_transformation_mode half_pixel | half_pixel_symmetric |
// pytorch_half_pixel | align_corners | asymmetric | tf_half_pixel_for_nn, nearest_mode
// round_prefer_floor | round_prefer_ceil | floor | ceil | simple (simple: ceil when the axis
// shrinks, floor otherwise, what Upsample and Resize-10 do in common runtimes).
#include <algorithm>

#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

bool one_of(const std::string& v, std::initializer_list<const char*> options) {
  return std::any_of(options.begin(), options.end(), [&](const char* o) { return v == o; });
}

void infer_resize(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  WEBDNN_CHECK(op.params.contains("shape") && op.params.contains("scales"),
               "parameters 'shape' and 'scales' are required");
  Shape shape = op.params.at("shape").get<Shape>();
  std::vector<double> scales = op.params.at("scales").get<std::vector<double>>();
  WEBDNN_CHECK(static_cast<int>(shape.size()) == x->rank() && static_cast<int>(scales.size()) == x->rank(), "shape ",
               shape_to_string(shape), " and ", scales.size(), " scales must match the rank ", x->rank(), " of ",
               shape_to_string(x->shape));
  for (int a = 0; a < x->rank(); a++) {
    WEBDNN_CHECK(scales[a] > 0, "scale ", scales[a], " of axis ", a, " is not positive");
    WEBDNN_CHECK(shape[a] >= 0, "output shape ", shape_to_string(shape), " has a negative dimension");
    WEBDNN_CHECK(x->shape[a] > 0 || shape[a] == 0, "cannot resize the empty axis ", a, " to ", shape[a]);
  }
  std::string mode = op.params.value("mode", std::string("nearest"));
  std::string ctm = op.params.value("coordinate_transformation_mode", std::string("half_pixel"));
  std::string nearest = op.params.value("nearest_mode", std::string("round_prefer_floor"));
  WEBDNN_CHECK(one_of(mode, {"nearest", "linear"}), "mode '", mode, "' is not supported (nearest, linear)");
  WEBDNN_CHECK(one_of(ctm, {"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric",
                            "tf_half_pixel_for_nn"}),
               "coordinate_transformation_mode '", ctm, "' is not supported");
  WEBDNN_CHECK(one_of(nearest, {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple"}),
               "nearest_mode '", nearest, "' is not supported");
  set_output(op, 0, x->dtype, shape);
  copy_axes(*x, *op.outputs[0]);
}

OpSchema resize() {
  OpSchema s;
  s.type = "Resize";
  s.infer = infer_resize;
  // An axis kept at its size with scale 1 maps every output index onto itself (in every mode
  // but tf_half_pixel_for_nn, which shifts by half a pixel).
  s.traits = [](const ir::Operator& op) {
    Traits t;
    std::vector<double> scales = op.params.at("scales").get<std::vector<double>>();
    if (op.params.value("coordinate_transformation_mode", std::string()) == "tf_half_pixel_for_nn") return t;
    for (int a = 0; a < op.outputs[0]->rank(); a++)
      if (scales[a] == 1.0 && op.inputs[0]->shape[a] == op.outputs[0]->shape[a]) t.tensorwise.push_back(a);
    t.identity = static_cast<int>(t.tensorwise.size()) == op.outputs[0]->rank() ? 0 : -1;
    return t;
  };
  s.kernel = "Resize";
  return s;
}

WEBDNN_REGISTER_OP(resize());

}  // namespace
}  // namespace webdnn::ops
