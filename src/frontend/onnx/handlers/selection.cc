// Handlers of NonZero (opsets 9, 13) and NonMaxSuppression (10, 11): operators whose output size
// only the input values decide. Each gets a data symbol for that size (webdnn/params.h); a NonZero
// of a constant is computed here instead.
#include <algorithm>
#include <cmath>

#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

// The one value of an optional scalar input that must be a constant, or `fallback` when absent.
double scalar_input(NodeContext& ctx, size_t i, const char* what, double fallback) {
  if (!ctx.input(i)) return fallback;
  std::vector<float> v = ctx.constant_floats(i, what);
  WEBDNN_CHECK(v.size() == 1, "input ", i, " (", what, ") holds ", v.size(), " values; it must hold one");
  return v[0];
}

// The columns of NonZero of a constant, known now: [rank, count] row-major multi-indices.
Tensor non_zero_of(const Tensor& x) {
  std::vector<int64_t> flat;
  for (int64_t i = 0; i < x.size(); i++)
    if (x.as_double(i) != 0) flat.push_back(i);  // NaN counts, as in onnxruntime
  const int64_t rank = static_cast<int64_t>(x.shape.size()), count = static_cast<int64_t>(flat.size());
  const Shape strides = contiguous_strides(x.shape);
  std::vector<int64_t> indices(static_cast<size_t>(rank * count));
  for (int64_t c = 0; c < count; c++)
    for (int64_t a = 0; a < rank; a++) indices[a * count + c] = flat[c] / strides[a] % x.shape[a];
  return Tensor::from_ints({rank, count}, indices);
}

}  // namespace

WEBDNN_ONNX_HANDLER(NonZero) {
  ir::Variable* x = ctx.required_input(0);
  if (x->is_constant()) {  // no size left to find at run time (a mask of the model's own)
    ctx.set_output(0, ctx.add_constant(non_zero_of(x->logical_data())));
    return;
  }
  params::NonZero p;
  p.count = ctx.data_symbol(num_elements(x->dims));
  ctx.set_output(0, ctx.add_multi("NonZero", p.to_json(), {x}, 2)[0]);
}

WEBDNN_ONNX_HANDLER(NonMaxSuppression) {
  ir::Variable *boxes = ctx.required_input(0), *scores = ctx.required_input(1);
  params::NonMaxSuppression p;
  int64_t center = ctx.attr_int("center_point_box", 0);
  WEBDNN_CHECK(center == 0 || center == 1, "attribute center_point_box is ", center, "; it must be 0 or 1");
  p.center_point_box = center == 1;
  if (ctx.input(2)) {
    std::vector<int64_t> m = ctx.constant_ints(2, "max_output_boxes_per_class");
    WEBDNN_CHECK(m.size() == 1, "input 2 (max_output_boxes_per_class) holds ", m.size(), " values; it must hold one");
    p.max_output_boxes_per_class = std::clamp<int64_t>(m[0], 0, params::kMaxExtent);
  }
  p.iou_threshold = scalar_input(ctx, 3, "iou_threshold", 0);
  WEBDNN_CHECK(p.iou_threshold >= 0 && p.iou_threshold <= 1, "iou_threshold is ", p.iou_threshold,
               "; it must lie in [0, 1]");
  p.has_score_threshold = ctx.input(4) != nullptr;
  p.score_threshold = scalar_input(ctx, 4, "score_threshold", 0);
  WEBDNN_CHECK(std::isfinite(p.score_threshold), "score_threshold is ", p.score_threshold, "; it must be a number");
  WEBDNN_CHECK(boxes->rank() == 3 && scores->rank() == 3, "boxes ", shape_to_string(boxes->dims), " and scores ",
               shape_to_string(scores->dims), " must be [num_batches, num_boxes, 4] and [num_batches, num_classes, num_boxes]");
  p.count = ctx.data_symbol(p.capacity(boxes->dims, scores->dims));
  ctx.set_output(0, ctx.add_multi("NonMaxSuppression", p.to_json(), {boxes, scores}, 2)[0]);
}

}  // namespace webdnn::onnx_frontend
