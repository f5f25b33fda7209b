// Parameters and signatures of the operators whose output size depends on the input values:
// NonZero, NonMaxSuppression and SizeFromValue (webdnn/params.h, "data symbols").
#include <algorithm>
#include <type_traits>

#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::params {
namespace {

// The output of `rows` selections (`count` at the capacity of its stage) and its row count.
template <class S>
TypesOf<S> selection(S shape) {
  using D = typename S::value_type;
  return {{DType::Int64, std::move(shape)}, {DType::Int64, S{D(1)}}};
}

// `count` as a dim of S: a number once a runtime has bound the symbols.
template <class S>
typename S::value_type count_dim(const Dim& count) {
  if constexpr (std::is_same_v<S, Shape>) return numbers_of({count}, "parameter 'count'")[0];
  else return count;
}

}  // namespace

NonZero NonZero::parse(const Json& j) { return {Reader(j).dim("count", 0, kMaxExtent)}; }
Json NonZero::to_json() const { return {{"count", dim_json(count)}}; }

template <class S>
TypesOf<S> infer_non_zero(const NonZero& p, const TypesOf<S>& in) {
  require_inputs(in, 1, 1);
  using D = typename S::value_type;
  return selection(S{D(static_cast<int64_t>(in[0].shape.size())), count_dim<S>(p.count)});
}

SizeFromValue SizeFromValue::parse(const Json& j) {
  Reader r(j);
  return {r.dim("count", 0, kMaxExtent), r.dim("most", 0, kMaxExtent)};
}
Json SizeFromValue::to_json() const { return {{"count", dim_json(count)}, {"most", dim_json(most)}}; }

template <class S>
TypesOf<S> infer_size_from_value(const SizeFromValue&, const TypesOf<S>& in) {
  require_inputs(in, 1, 1);
  WEBDNN_CHECK(is_integer(in[0].dtype) && in[0].shape.size() <= 1, "the input is ", dtype_name(in[0].dtype), " ",
               shape_to_string(in[0].shape), "; a size is an integer scalar or [1]");
  if constexpr (std::is_same_v<S, Shape>)
    WEBDNN_CHECK(num_elements(in[0].shape) == 1, "the input holds ", num_elements(in[0].shape), " values; a size is one");
  using D = typename S::value_type;
  return {{DType::Int64, S{D(1)}}};
}

NonMaxSuppression NonMaxSuppression::parse(const Json& j) {
  Reader r(j);
  NonMaxSuppression p;
  p.center_point_box = r.flag("center_point_box");
  p.max_output_boxes_per_class = r.integer("max_output_boxes_per_class", 0, kMaxExtent);
  p.iou_threshold = r.number("iou_threshold");
  WEBDNN_CHECK(p.iou_threshold >= 0 && p.iou_threshold <= 1, "parameter 'iou_threshold' is ", p.iou_threshold,
               "; it must lie in [0, 1]");
  p.has_score_threshold = j.contains("score_threshold");
  if (p.has_score_threshold) p.score_threshold = r.number("score_threshold");
  p.count = r.dim("count", 0, kMaxExtent);
  return p;
}

Json NonMaxSuppression::to_json() const {
  Json j = {{"center_point_box", center_point_box ? 1 : 0},
            {"max_output_boxes_per_class", max_output_boxes_per_class},
            {"iou_threshold", iou_threshold},
            {"count", dim_json(count)}};
  if (has_score_threshold) j["score_threshold"] = score_threshold;
  return j;
}

template <class S>
typename S::value_type NonMaxSuppression::capacity(const S& boxes, const S& scores) const {
  using D = typename S::value_type;
  using std::min;
  return boxes[0] * scores[1] * min(D(max_output_boxes_per_class), boxes[1]);
}

template <class S>
TypesOf<S> infer_non_max_suppression(const NonMaxSuppression& p, const TypesOf<S>& in) {
  require_inputs(in, 2, 2);
  require_dtype(in[0].dtype, DType::Float32, "boxes");
  require_dtype(in[1].dtype, DType::Float32, "scores");
  const S &boxes = in[0].shape, &scores = in[1].shape;
  WEBDNN_CHECK(boxes.size() == 3 && boxes[2] == 4, "boxes ", shape_to_string(boxes),
               " must be [num_batches, num_boxes, 4]");
  WEBDNN_CHECK(scores.size() == 3 && scores[0] == boxes[0] && scores[2] == boxes[1], "scores ", shape_to_string(scores),
               " must be [num_batches, num_classes, num_boxes] with the batches and boxes of boxes ",
               shape_to_string(boxes));
  using D = typename S::value_type;
  return selection(S{count_dim<S>(p.count), D(3)});
}

#define WEBDNN_SELECTION_SIGNATURES(S)                                                                    \
  template TypesOf<S> infer_non_zero(const NonZero&, const TypesOf<S>&);                                 \
  template TypesOf<S> infer_size_from_value(const SizeFromValue&, const TypesOf<S>&);                   \
  template S::value_type NonMaxSuppression::capacity(const S&, const S&) const;                          \
  template TypesOf<S> infer_non_max_suppression(const NonMaxSuppression&, const TypesOf<S>&);
WEBDNN_SELECTION_SIGNATURES(Shape)
WEBDNN_SELECTION_SIGNATURES(DimShape)
#undef WEBDNN_SELECTION_SIGNATURES

}  // namespace webdnn::params
