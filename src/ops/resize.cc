// Resize (ONNX Resize and Upsample) with a static output shape. Parameters: params::Resize: shape
// (the output shape), scales (one per axis: the factor that maps output coordinates back to input
// ones; the given scale, or output/input size when sizes were given), mode (nearest, linear,
// cubic), coordinate_transformation_mode, nearest_mode (simple: ceil when the axis shrinks, floor
// otherwise, what Upsample and Resize-10 do in common runtimes), cubic_coeff_a, exclude_outside
// and antialias (absent: ONNX's defaults).
#include <algorithm>

#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

void infer_resize(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  set_outputs(op, params::infer_resize(params::Resize::parse(op.params), input_types(op)));
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
    params::Resize p = params::Resize::parse(op.params);
    if (p.coordinates == params::Resize::Coordinates::TfHalfPixelForNn) return t;
    for (int a = 0; a < op.outputs[0]->rank(); a++)
      if ((p.scales[a] == 1.0 || p.scales[a] == 0) && identical(op.inputs[0]->dims[a], op.outputs[0]->dims[a]))
        t.tensorwise.push_back(a);
    t.identity = static_cast<int>(t.tensorwise.size()) == op.outputs[0]->rank() ? 0 : -1;
    return t;
  };
  s.kernel = "Resize";
  return s;
}

WEBDNN_REGISTER_OP(resize());

}  // namespace
}  // namespace webdnn::ops
