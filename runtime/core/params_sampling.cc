// Parameters and signatures of the scatter and sampling operators: ScatterND, ScatterElements,
// GridSample, RoiAlign (webdnn/params.h; kept apart from params.cc to keep each file short).
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::params {
namespace {

constexpr std::initializer_list<const char*> kReductions = {"none", "add", "mul", "max", "min"};

const char* reduction_name(ScatterReduction r) { return kReductions.begin()[static_cast<int>(r)]; }

bool index_dtype(DType t) { return t == DType::Int64 || t == DType::Int32; }

template <class S>
void require_indices(const BasicTensorType<S>& t) {
  WEBDNN_CHECK(index_dtype(t.dtype), "the indices ", describe(t, 1), " are ", dtype_name(t.dtype),
               "; int64 or int32 is expected");
}

template <class S>
void require_same(const S& a, const S& b, const char* what_a, const char* what_b) {
  WEBDNN_CHECK(a.size() == b.size(), what_a, " ", shape_to_string(a), " and ", what_b, " ", shape_to_string(b),
               " must have one rank");
  for (size_t d = 0; d < a.size(); d++)
    WEBDNN_CHECK(a[d] == b[d], what_a, " ", shape_to_string(a), " and ", what_b, " ", shape_to_string(b),
                 " differ on axis ", d);
}

// The number of coordinates in each index tuple: the output's meaning depends on it, so a free
// dimension there is specialized to its value.
int64_t tuple_size(int64_t d) { return d; }
int64_t tuple_size(const Dim& d) { return d.value(); }

template <class S>
void require_float_image(const BasicTensorType<S>& x, const char* what) {
  WEBDNN_CHECK(x.dtype == DType::Float32, what, " ", describe(x, 0), " is ", dtype_name(x.dtype),
               "; float32 is expected");
  WEBDNN_CHECK(x.shape.size() == 4, what, " ", describe(x, 0), " must be [N, C, H, W]");
}

}  // namespace

ScatterND ScatterND::parse(const Json& j) {
  return {static_cast<ScatterReduction>(Reader(j).pick("reduction", kReductions))};
}
Json ScatterND::to_json() const { return {{"reduction", reduction_name(reduction)}}; }

ScatterElements ScatterElements::parse(const Json& j) {
  Reader r(j);
  return {r.integer("axis", 0, 63), static_cast<ScatterReduction>(r.pick("reduction", kReductions))};
}
Json ScatterElements::to_json() const { return {{"axis", axis}, {"reduction", reduction_name(reduction)}}; }

GridSample GridSample::parse(const Json& j) {
  Reader r(j);
  GridSample p;
  p.mode = static_cast<Mode>(r.pick("mode", {"bilinear", "nearest", "bicubic"}));
  p.padding = static_cast<Padding>(r.pick("padding_mode", {"zeros", "border", "reflection"}));
  p.align_corners = r.flag("align_corners");
  return p;
}
Json GridSample::to_json() const {
  const char* modes[] = {"bilinear", "nearest", "bicubic"};
  const char* paddings[] = {"zeros", "border", "reflection"};
  return {{"mode", modes[static_cast<int>(mode)]},
          {"padding_mode", paddings[static_cast<int>(padding)]},
          {"align_corners", align_corners ? 1 : 0}};
}

RoiAlign RoiAlign::parse(const Json& j) {
  Reader r(j);
  RoiAlign p;
  p.mode = static_cast<Mode>(r.pick("mode", {"avg", "max"}));
  p.output_height = r.integer("output_height", 1, kMaxExtent);
  p.output_width = r.integer("output_width", 1, kMaxExtent);
  p.sampling_ratio = r.integer("sampling_ratio", 0, 1 << 16);
  p.spatial_scale = r.number("spatial_scale");
  p.half_pixel = r.flag("half_pixel");
  return p;
}
Json RoiAlign::to_json() const {
  return {{"mode", mode == Mode::Avg ? "avg" : "max"}, {"output_height", output_height},
          {"output_width", output_width}, {"sampling_ratio", sampling_ratio},
          {"spatial_scale", spatial_scale}, {"half_pixel", half_pixel ? 1 : 0}};
}

template <class S>
TypesOf<S> infer_scatter_nd(const ScatterND&, const TypesOf<S>& in) {
  require_inputs(in, 3, 3);
  require_indices(in[1]);
  require_dtype(in[2].dtype, in[0].dtype, "updates");
  const S &data = in[0].shape, &indices = in[1].shape;
  WEBDNN_CHECK(!data.empty() && !indices.empty(), "data ", shape_to_string(data), " and indices ",
               shape_to_string(indices), " must both have rank 1 or more");
  int64_t k = tuple_size(indices.back());
  WEBDNN_CHECK(k >= 1 && k <= static_cast<int64_t>(data.size()), "the last axis of indices ", shape_to_string(indices),
               " must hold 1 to ", data.size(), " coordinates (data ", shape_to_string(data), ")");
  S updates(indices.begin(), indices.end() - 1);
  updates.insert(updates.end(), data.begin() + k, data.end());
  require_same(in[2].shape, updates, "updates", "indices[:-1] + data[k:]");
  return {in[0]};
}

template <class S>
TypesOf<S> infer_scatter_elements(const ScatterElements& p, const TypesOf<S>& in) {
  require_inputs(in, 3, 3);
  require_indices(in[1]);
  require_dtype(in[2].dtype, in[0].dtype, "updates");
  const S &data = in[0].shape, &indices = in[1].shape;
  Axis{p.axis}.check(static_cast<int>(data.size()));
  require_same(in[2].shape, indices, "updates", "indices");
  WEBDNN_CHECK(indices.size() == data.size(), "indices ", shape_to_string(indices), " must have the rank of data ",
               shape_to_string(data));
  for (size_t d = 0; d < data.size(); d++)
    WEBDNN_CHECK(static_cast<int64_t>(d) == p.axis || indices[d] <= data[d], "indices ", shape_to_string(indices),
                 " exceed data ", shape_to_string(data), " on axis ", d);
  return {in[0]};
}

template <class S>
TypesOf<S> infer_grid_sample(const GridSample&, const TypesOf<S>& in) {
  require_inputs(in, 2, 2);
  require_float_image(in[0], "X");
  const S &x = in[0].shape, &grid = in[1].shape;
  require_dtype(in[1].dtype, DType::Float32, "grid");
  WEBDNN_CHECK(grid.size() == 4 && grid[3] == 2 && grid[0] == x[0], "grid ", shape_to_string(grid),
               " must be [N, H_out, W_out, 2] with the N of X ", shape_to_string(x));
  return {{DType::Float32, S{x[0], x[1], grid[1], grid[2]}}};
}

template <class S>
TypesOf<S> infer_roi_align(const RoiAlign& p, const TypesOf<S>& in) {
  require_inputs(in, 3, 3);
  require_float_image(in[0], "X");
  require_dtype(in[1].dtype, DType::Float32, "rois");
  require_indices(in[2]);
  const S &rois = in[1].shape, &batch = in[2].shape;
  WEBDNN_CHECK(rois.size() == 2 && rois[1] == 4, "rois ", shape_to_string(rois), " must be [num_rois, 4]");
  WEBDNN_CHECK(batch.size() == 1 && batch[0] == rois[0], "batch_indices ", shape_to_string(batch),
               " must be [num_rois] with the num_rois of rois ", shape_to_string(rois));
  using D = typename S::value_type;
  return {{DType::Float32, S{rois[0], in[0].shape[1], D(p.output_height), D(p.output_width)}}};
}

#define WEBDNN_SAMPLING_SIGNATURES(S)                                                  \
  template TypesOf<S> infer_scatter_nd(const ScatterND&, const TypesOf<S>&);             \
  template TypesOf<S> infer_scatter_elements(const ScatterElements&, const TypesOf<S>&); \
  template TypesOf<S> infer_grid_sample(const GridSample&, const TypesOf<S>&);           \
  template TypesOf<S> infer_roi_align(const RoiAlign&, const TypesOf<S>&);
WEBDNN_SAMPLING_SIGNATURES(Shape)
WEBDNN_SAMPLING_SIGNATURES(DimShape)
#undef WEBDNN_SAMPLING_SIGNATURES

}  // namespace webdnn::params
