// ScatterND, ScatterElements, GridSample and RoiAlign through the ONNX handlers and the reference
// kernels: hand-computed values (the ONNX documentation's examples among them), each reduction
// and padding, the parameters' checks and the errors of what is refused.
// tools/testmodels/ops_sampling.py compares them with onnxruntime on every backend.
#include <gtest/gtest.h>

#include "src/ops/evaluate.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/params.h"

namespace webdnn {
namespace {

using testing::attr;
using testing::import_error;
using testing::OnnxBuilder;

std::vector<float> run_one(OnnxBuilder& b, const std::map<std::string, Tensor>& in, const std::string& out = "y") {
  return ops::evaluate_graph(*b.import(), in).at(out).to_floats();
}

TEST(ScatterOps, ScatterNDReplacesOrCombinesInIndexOrder) {
  for (const char* reduction : {"none", "add", "mul", "max", "min"}) {
    OnnxBuilder b(18);
    b.input("data", {4}).output("y");
    b.initializer("i", Tensor::from_ints({3, 1}, {1, -1, 1}));
    b.initializer("u", Tensor::from_floats({3}, {5, 9, 6}));
    attr(b.node("ScatterND", {"data", "i", "u"}, {"y"}), "reduction", std::string(reduction));
    std::vector<float> y = run_one(b, {{"data", Tensor::from_floats({4}, {1, 2, 3, 4})}});
    std::map<std::string, std::vector<float>> want = {{"none", {1, 6, 3, 9}},  {"add", {1, 13, 3, 13}},
                                                      {"mul", {1, 60, 3, 36}}, {"max", {1, 6, 3, 9}},
                                                      {"min", {1, 2, 3, 4}}};
    EXPECT_EQ(y, want[reduction]) << reduction;
  }
}

// Whole slices replaced, in an int64 tensor, at run-time indices.
TEST(ScatterOps, ScatterNDReplacesSlicesOfInt64Data) {
  OnnxBuilder b(11);
  b.input("data", {2, 2, 2}, onnx::TensorProto::INT64).input("i", {1, 1}, onnx::TensorProto::INT64).output("y");
  b.initializer("u", Tensor::from_ints({1, 2, 2}, {7, 8, 9, 10}));
  b.node("ScatterND", {"data", "i", "u"}, {"y"});
  auto out = ops::evaluate_graph(*b.import(), {{"data", Tensor::from_ints({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})},
                                               {"i", Tensor::from_ints({1, 1}, {1})}});
  EXPECT_EQ(out.at("y").to_ints(), (std::vector<int64_t>{1, 2, 3, 4, 7, 8, 9, 10}));
}

// The ONNX documentation's examples: axis 0 over a 3x3 matrix, and axis 1 with a negative index.
TEST(ScatterOps, ScatterElementsDocumentationExamples) {
  OnnxBuilder b(13);
  b.input("data", {3, 3}).input("row", {1, 5}).output("y").output("y1");
  b.initializer("i", Tensor::from_ints({2, 3}, {1, 0, 2, 0, 2, 1}));
  b.initializer("u", Tensor::from_floats({2, 3}, {1, 1.1f, 1.2f, 2, 2.1f, 2.2f}));
  b.initializer("i1", Tensor::from_ints({1, 2}, {1, -2}));
  b.initializer("u1", Tensor::from_floats({1, 2}, {1.1f, 2.1f}));
  b.node("ScatterElements", {"data", "i", "u"}, {"y"});
  attr(b.node("ScatterElements", {"row", "i1", "u1"}, {"y1"}), "axis", int64_t{1});
  auto out = ops::evaluate_graph(*b.import(), {{"data", Tensor::from_floats({3, 3}, std::vector<float>(9, 0))},
                                               {"row", Tensor::from_floats({1, 5}, {1, 2, 3, 4, 5})}});
  EXPECT_EQ(out.at("y").to_floats(), (std::vector<float>{2, 1.1f, 0, 1, 0, 2.2f, 0, 2.1f, 1.2f}));
  EXPECT_EQ(out.at("y1").to_floats(), (std::vector<float>{1, 1.1f, 3, 2.1f, 5}));
}

TEST(ScatterOps, ScatterElementsReductionsAndTheOldScatter) {
  OnnxBuilder b(18);
  b.input("data", {1, 3}).output("add").output("max");
  b.initializer("i", Tensor::from_ints({1, 3}, {2, 2, 0}));
  b.initializer("u", Tensor::from_floats({1, 3}, {5, 7, -1}));
  auto& a = b.node("ScatterElements", {"data", "i", "u"}, {"add"});
  attr(a, "axis", int64_t{1});
  attr(a, "reduction", std::string("add"));
  auto& m = b.node("ScatterElements", {"data", "i", "u"}, {"max"});
  attr(m, "axis", int64_t{-1});
  attr(m, "reduction", std::string("max"));
  auto out = ops::evaluate_graph(*b.import(), {{"data", Tensor::from_floats({1, 3}, {1, 2, 3})}});
  EXPECT_EQ(out.at("add").to_floats(), (std::vector<float>{0, 2, 15}));
  EXPECT_EQ(out.at("max").to_floats(), (std::vector<float>{1, 2, 7}));
  OnnxBuilder old(9);
  old.input("data", {1, 3}).output("y");
  old.initializer("i", Tensor::from_ints({1, 1}, {2}));
  old.initializer("u", Tensor::from_floats({1, 1}, {9}));
  attr(old.node("Scatter", {"data", "i", "u"}, {"y"}), "axis", int64_t{1});
  EXPECT_EQ(run_one(old, {{"data", Tensor::from_floats({1, 3}, {1, 2, 3})}}), (std::vector<float>{1, 2, 9}));
}

TEST(ScatterOps, ErrorsNameWhatIsWrong) {
  OnnxBuilder opset16(16);
  opset16.input("data", {3}).output("y");
  opset16.initializer("i", Tensor::from_ints({1, 1}, {0}));
  opset16.initializer("u", Tensor::from_floats({1}, {1}));
  attr(opset16.node("ScatterND", {"data", "i", "u"}, {"y"}), "reduction", std::string("max"));
  std::string e = import_error(opset16);
  EXPECT_NE(e.find("reduction 'max' is not one of none, add or mul (opset 16)"), std::string::npos) << e;

  OnnxBuilder range(11);
  range.input("data", {3}).output("y");
  range.initializer("i", Tensor::from_ints({1, 1}, {3}));
  range.initializer("u", Tensor::from_floats({1}, {1}));
  range.node("ScatterND", {"data", "i", "u"}, {"y"});
  e = import_error(range);
  EXPECT_NE(e.find("index 3 (element 0 of the indices) is out of range for an axis of size 3"), std::string::npos) << e;

  OnnxBuilder shape(11);
  shape.input("data", {3, 2}).output("y");
  shape.initializer("i", Tensor::from_ints({2, 1}, {0, 1}));
  shape.initializer("u", Tensor::from_floats({2, 3}, std::vector<float>(6, 1)));
  shape.node("ScatterND", {"data", "i", "u"}, {"y"});
  e = import_error(shape);
  EXPECT_NE(e.find("updates [2,3] and indices[:-1] + data[k:] [2,2] differ on axis 1"), std::string::npos) << e;

  // Indices known only at run time are checked by the kernel.
  OnnxBuilder runtime(11);
  runtime.input("data", {1, 3}).input("i", {1, 1}, onnx::TensorProto::INT64).output("y");
  runtime.initializer("u", Tensor::from_floats({1, 1}, {1}));
  runtime.node("ScatterElements", {"data", "i", "u"}, {"y"});
  auto g = runtime.import();
  try {
    ops::evaluate_graph(*g, {{"data", Tensor::from_floats({1, 3}, {0, 0, 0})}, {"i", Tensor::from_ints({1, 1}, {-2})}});
    ADD_FAILURE() << "no error";
  } catch (const Error& err) {
    EXPECT_NE(std::string(err.what()).find("index -2 is out of range for an axis of size 1"), std::string::npos)
        << err.what();
  }
}

// A 2x2 image [1 2; 3 4] sampled at grid points; x then y, in [-1, 1].
std::vector<float> grid_sample(int64_t opset, const char* mode, const char* padding, int64_t align,
                               const std::vector<float>& points) {
  OnnxBuilder b(opset);
  auto n = static_cast<int64_t>(points.size() / 2);
  b.input("x", {1, 1, 2, 2}).output("y");
  b.initializer("grid", Tensor::from_floats({1, 1, n, 2}, points));
  auto& node = b.node("GridSample", {"x", "grid"}, {"y"});
  attr(node, "mode", std::string(mode));
  attr(node, "padding_mode", std::string(padding));
  attr(node, "align_corners", align);
  return run_one(b, {{"x", Tensor::from_floats({1, 1, 2, 2}, {1, 2, 3, 4})}});
}

TEST(SamplingOps, GridSampleModesAndPaddings) {
  // The centre is 2.5 in every mode but nearest (half-way ties round to even: pixel (0, 0)).
  EXPECT_EQ(grid_sample(16, "bilinear", "zeros", 0, {0, 0}), (std::vector<float>{2.5f}));
  EXPECT_EQ(grid_sample(20, "linear", "zeros", 1, {0, 0}), (std::vector<float>{2.5f}));
  EXPECT_EQ(grid_sample(16, "nearest", "zeros", 0, {0, 0}), (std::vector<float>{1}));
  EXPECT_NEAR(grid_sample(16, "bicubic", "border", 0, {0, 0})[0], 2.5f, 1e-6f);
  // The top-left corner (-1, -1): without align_corners it lies at pixel (-0.5, -0.5), a quarter
  // of pixel (0, 0) and three quarters of padding; with it, on pixel (0, 0).
  EXPECT_EQ(grid_sample(16, "bilinear", "zeros", 0, {-1, -1}), (std::vector<float>{0.25f}));
  EXPECT_EQ(grid_sample(16, "bilinear", "border", 0, {-1, -1}), (std::vector<float>{1}));
  EXPECT_EQ(grid_sample(16, "bilinear", "reflection", 0, {-1, -1}), (std::vector<float>{1}));
  EXPECT_EQ(grid_sample(16, "bilinear", "zeros", 1, {-1, -1}), (std::vector<float>{1}));
  // x = 1.5 lies at column 2 (past the edge): zeros give 0, border column 1, and reflection folds
  // it back to column 1 too; at x = 2.5 (column 3) reflection reads column 0.
  EXPECT_EQ(grid_sample(16, "nearest", "zeros", 0, {1.5f, -0.5f}), (std::vector<float>{0}));
  EXPECT_EQ(grid_sample(16, "nearest", "border", 0, {1.5f, -0.5f}), (std::vector<float>{2}));
  EXPECT_EQ(grid_sample(16, "nearest", "reflection", 0, {1.5f, -0.5f, 2.5f, -0.5f}), (std::vector<float>{2, 1}));
}

TEST(SamplingOps, GridSampleRefusesOtherModesAndRanks) {
  OnnxBuilder names(16);
  names.input("x", {1, 1, 2, 2}).input("g", {1, 1, 1, 2}).output("y");
  attr(names.node("GridSample", {"x", "g"}, {"y"}), "mode", std::string("linear"));
  std::string e = import_error(names);
  EXPECT_NE(e.find("mode 'linear' is not one of bilinear, nearest, bicubic (opset 16)"), std::string::npos) << e;
  OnnxBuilder volume(20);
  volume.input("x", {1, 1, 2, 2, 2}).input("g", {1, 1, 1, 1, 3}).output("y");
  volume.node("GridSample", {"x", "g"}, {"y"});
  e = import_error(volume);
  EXPECT_NE(e.find("only 4-D GridSample ([N, C, H, W]) is supported"), std::string::npos) << e;
}

// X = 0..15 as a 4x4 image.
std::vector<float> roi_align(int64_t opset, const char* mode, const std::vector<float>& roi, int64_t out_h,
                             int64_t out_w, int64_t ratio) {
  OnnxBuilder b(opset);
  b.input("x", {1, 1, 4, 4}).output("y");
  b.initializer("rois", Tensor::from_floats({1, 4}, roi));
  b.initializer("batch", Tensor::from_ints({1}, {0}));
  auto& n = b.node("RoiAlign", {"x", "rois", "batch"}, {"y"});
  attr(n, "mode", std::string(mode));
  attr(n, "output_height", out_h);
  attr(n, "output_width", out_w);
  attr(n, "sampling_ratio", ratio);
  std::vector<float> x(16);
  for (int i = 0; i < 16; i++) x[i] = static_cast<float>(i);
  return run_one(b, {{"x", Tensor::from_floats({1, 1, 4, 4}, x)}});
}

TEST(SamplingOps, RoiAlignAveragesOrTakesTheLargestWeightedCorner) {
  // Opset 10 (no half-pixel shift): one bin of the whole image, sampled at its centre (2, 2).
  EXPECT_EQ(roi_align(10, "avg", {0, 0, 4, 4}, 1, 1, 1), (std::vector<float>{10}));
  // 2x2 bins, one sample each at (1, 1), (1, 3), (3, 1), (3, 3).
  EXPECT_EQ(roi_align(10, "avg", {0, 0, 4, 4}, 2, 2, 1), (std::vector<float>{5, 7, 13, 15}));
  // One bin of 2x2 samples at the same points: their average, or the largest (whole pixels).
  EXPECT_EQ(roi_align(10, "avg", {0, 0, 4, 4}, 1, 1, 2), (std::vector<float>{10}));
  EXPECT_EQ(roi_align(10, "max", {0, 0, 4, 4}, 1, 1, 2), (std::vector<float>{15}));
  // Opset 16 shifts the region by half a pixel: [0.5, 2.5] is [0, 2], sampled at (1, 1).
  EXPECT_EQ(roi_align(16, "avg", {0.5f, 0.5f, 2.5f, 2.5f}, 1, 1, 1), (std::vector<float>{5}));
  // A sample between pixels: max mode keeps the largest of the four weighted pixels, as
  // onnxruntime does; (0.5, 0.5) weighs 0, 1, 4, 5 by a quarter each.
  EXPECT_EQ(roi_align(16, "max", {1, 1, 1, 1}, 1, 1, 1), (std::vector<float>{1.25f}));
}

TEST(SamplingOps, SignaturesCheckShapes) {
  params::Types bad_grid = {params::TensorType(DType::Float32, {1, 2, 3, 3}),
                            params::TensorType(DType::Float32, {2, 4, 4, 2})};
  try {
    params::infer_grid_sample(params::GridSample{}, bad_grid);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("grid [2,4,4,2] must be [N, H_out, W_out, 2] with the N of X [1,2,3,3]"),
              std::string::npos) << e.what();
  }
  params::Types roi = {params::TensorType(DType::Float32, {1, 2, 3, 3}), params::TensorType(DType::Float32, {5, 4}),
                       params::TensorType(DType::Int64, {5})};
  params::RoiAlign p;
  p.output_height = 2;
  p.output_width = 3;
  EXPECT_EQ(params::infer_roi_align(p, roi)[0].shape, (Shape{5, 2, 2, 3}));
  EXPECT_EQ(params::RoiAlign::parse(p.to_json()).to_json(), p.to_json());
  params::ScatterElements s{1, params::ScatterReduction::Min};
  EXPECT_EQ(params::ScatterElements::parse(s.to_json()).to_json(), s.to_json());
}

}  // namespace
}  // namespace webdnn
