// Reference NonZero and NonMaxSuppression: outputs whose row count depends on the values. Each
// writes its rows compactly at the front of an output declared at capacity, and the count into
// its second output (webdnn/params.h, "data symbols"); with no capacity for what it found it
// fails rather than write past the output. And SizeFromValue, whose one output is the size.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

void write_count(Tensor& out, int64_t count, int64_t capacity) {
  WEBDNN_CHECK(count <= capacity, "found ", count, " rows where the output holds ", capacity);
  out.data<int64_t>()[0] = count;
}

// Columns of the output [rank, count]: the row-major multi-indices of the non-zero elements.
void non_zero(const params::NonZero&, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor& x = in[0];
  int64_t capacity = out[0].shape[1], rank = static_cast<int64_t>(x.shape.size()), count = 0;
  for (int64_t i = 0; i < x.size(); i++) count += load(x.bytes.data(), x.dtype, i) != 0;
  write_count(out[1], count, capacity);
  int64_t* indices = out[0].data<int64_t>();
  int64_t column = 0, flat = 0;
  for_each_index(x.shape, [&](const std::vector<int64_t>& index) {
    if (load(x.bytes.data(), x.dtype, flat++) != 0) {
      for (int64_t a = 0; a < rank; a++) indices[a * count + column] = index[a];
      column++;
    }
  });
}

// The value, as the size it gives (the data symbol's variable), if it lies in [0, most].
void size_from_value(const params::SizeFromValue& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const int64_t most = params::numbers_of({p.most}, "parameter 'most'")[0];
  const double v = load(in[0].bytes.data(), in[0].dtype, 0);
  WEBDNN_CHECK(v >= 0 && v <= static_cast<double>(most), "the size is ", static_cast<int64_t>(v),
               " where it must lie in [0, ", most, "] (TopK: k at most the elements along its axis)");
  out[0].data<int64_t>()[0] = static_cast<int64_t>(v);
}

struct Box {
  float x0, y0, x1, y1;  // x0 <= x1, y0 <= y1
  float area() const { return (x1 - x0) * (y1 - y0); }
};

Box read_box(const float* b, bool center_point_box) {
  if (center_point_box) {
    float hw = b[2] / 2, hh = b[3] / 2;
    return {b[0] - hw, b[1] - hh, b[0] + hw, b[1] + hh};
  }
  return {std::min(b[1], b[3]), std::min(b[0], b[2]), std::max(b[1], b[3]), std::max(b[0], b[2])};
}

// Whether `b` overlaps `kept` by more than the threshold; boxes without area suppress nothing, as
// onnxruntime has it. Thresholds compare as the float32 they were in the model.
bool suppresses(const Box& kept, const Box& b, float iou_threshold) {
  float w = std::min(kept.x1, b.x1) - std::max(kept.x0, b.x0), h = std::min(kept.y1, b.y1) - std::max(kept.y0, b.y0);
  if (w <= 0 || h <= 0) return false;
  float intersection = w * h, a = kept.area(), c = b.area(), total = a + c - intersection;
  if (a <= 0 || c <= 0 || total <= 0) return false;
  return intersection / total > iou_threshold;
}

void non_max_suppression(const params::NonMaxSuppression& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &boxes = in[0], &scores = in[1];
  int64_t batches = boxes.shape[0], boxes_n = boxes.shape[1], classes = scores.shape[1];
  int64_t capacity = out[0].shape[0];
  const float iou_threshold = static_cast<float>(p.iou_threshold), score_threshold = static_cast<float>(p.score_threshold);
  std::vector<int64_t> rows;  // batch, class, box
  std::vector<int64_t> order(static_cast<size_t>(boxes_n));
  std::vector<Box> kept;
  for (int64_t b = 0; b < batches; b++) {
    const float* box = boxes.data<float>() + b * boxes_n * 4;
    for (int64_t c = 0; c < classes && p.max_output_boxes_per_class > 0; c++) {
      const float* score = scores.data<float>() + (b * classes + c) * boxes_n;
      order.clear();
      for (int64_t i = 0; i < boxes_n; i++)
        if (!p.has_score_threshold || score[i] > score_threshold) order.push_back(i);
      // Highest score first; equal scores by index (onnxruntime leaves their order to its heap).
      std::stable_sort(order.begin(), order.end(), [&](int64_t i, int64_t j) { return score[i] > score[j]; });
      kept.clear();
      for (int64_t i : order) {
        if (static_cast<int64_t>(kept.size()) >= p.max_output_boxes_per_class) break;
        Box candidate = read_box(box + i * 4, p.center_point_box);
        if (std::any_of(kept.begin(), kept.end(), [&](const Box& k) { return suppresses(k, candidate, iou_threshold); }))
          continue;
        kept.push_back(candidate);
        rows.insert(rows.end(), {b, c, i});
      }
    }
  }
  int64_t count = static_cast<int64_t>(rows.size() / 3);
  write_count(out[1], count, capacity);
  std::copy(rows.begin(), rows.end(), out[0].data<int64_t>());
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("NonZero", params::infer_non_zero, non_zero);
WEBDNN_REFERENCE_KERNEL("SizeFromValue", params::infer_size_from_value, size_from_value);
WEBDNN_REFERENCE_KERNEL("NonMaxSuppression", params::infer_non_max_suppression, non_max_suppression);

}  // namespace webdnn::runtime::reference
