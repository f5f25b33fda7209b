// GridSample (X sampled at the points of a grid: bilinear, nearest or bicubic, with zeros, border
// or reflection padding) and RoiAlign (average or maximum of bilinear samples over each region's
// bins). Parameters: params::GridSample, params::RoiAlign; both on NCHW float32.
#include "src/ops/schema.h"

namespace webdnn::ops {
namespace {

void infer_grid_sample(ir::Operator& op) {
  set_like_input(op, params::infer_grid_sample(params::GridSample::parse(op.params), input_types(op)));
}

void infer_roi_align(ir::Operator& op) {
  set_outputs(op, params::infer_roi_align(params::RoiAlign::parse(op.params), input_types(op)));
}

// Images (regions) are independent, and so are channels.
Traits grid_traits(const ir::Operator&) {
  Traits t;
  t.tensorwise = {0, 1};
  t.split_inputs[0] = {0, 0};
  t.split_inputs[1] = {1, -1};
  return t;
}

Traits roi_traits(const ir::Operator&) {
  Traits t;
  t.tensorwise = {0, 1};
  t.split_inputs[0] = {-1, 0, 0};
  t.split_inputs[1] = {1, -1, -1};
  return t;
}

// Per output element: 4 taps (16 for bicubic) of a multiply-add.
double grid_flops(const ir::Operator& op) {
  bool cubic = params::GridSample::parse(op.params).mode == params::GridSample::Mode::Bicubic;
  return static_cast<double>(op.outputs[0]->size()) * (cubic ? 32 : 8);
}

WEBDNN_REGISTER_OP(with_flops(make_schema("GridSample", 2, 2, infer_grid_sample, grid_traits), grid_flops));
WEBDNN_REGISTER_OP(make_schema("RoiAlign", 3, 3, infer_roi_align, roi_traits));

}  // namespace
}  // namespace webdnn::ops
