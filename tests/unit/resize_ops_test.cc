// Resize and Upsample through the ONNX handlers and the reference kernel. Expected values are
// worked out by hand from the ONNX spec's coordinate formulas; each says how.
#include <gtest/gtest.h>

#include "src/ops/evaluate.h"
#include "src/ops/schema.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using testing::attr;
using testing::OnnxBuilder;
using Floats = std::vector<float>;
using Ints = std::vector<int64_t>;

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

struct Case {
  int64_t opset = 19;
  Shape shape;
  Floats x;
  Floats scales;  // or
  Ints sizes;
  std::string mode = "nearest", ctm, nearest;
};

// Resize of x with the given scales or sizes (and the empty roi / scales placeholders ONNX uses).
OnnxBuilder resize_model(const Case& c) {
  OnnxBuilder b(c.opset);
  b.input("x", c.shape).output("y");
  std::vector<std::string> inputs = {"x", "", ""};
  if (!c.scales.empty()) {
    b.initializer("scales", Tensor::from_floats({static_cast<int64_t>(c.scales.size())}, c.scales));
    inputs[2] = "scales";
  } else {
    b.initializer("sizes", Tensor::from_ints({static_cast<int64_t>(c.sizes.size())}, c.sizes));
    inputs.push_back("sizes");
  }
  auto& n = b.node("Resize", inputs, {"y"});
  attr(n, "mode", c.mode);
  if (!c.ctm.empty()) attr(n, "coordinate_transformation_mode", c.ctm);
  if (!c.nearest.empty()) attr(n, "nearest_mode", c.nearest);
  return b;
}

Tensor run(const OnnxBuilder& b, const Shape& shape, const Floats& x) {
  auto g = b.import();
  return ops::evaluate_graph(*g, {{"x", Tensor::from_floats(shape, x)}}).at("y");
}

Floats resize(const Case& c) { return run(resize_model(c), c.shape, c.x).to_floats(); }

using testing::import_error;

TEST(ResizeOps, NearestAsymmetricFloorDoublesHeightAndWidth) {
  Case c;
  c.shape = {1, 1, 2, 2};
  c.x = {1, 2, 3, 4};
  c.scales = {1, 1, 2, 2};
  c.ctm = "asymmetric";
  c.nearest = "floor";
  auto y = run(resize_model(c), c.shape, c.x);
  // Output pixel (h, w) reads input (floor(h / 2), floor(w / 2)).
  EXPECT_EQ(y.shape, (Shape{1, 1, 4, 4}));
  EXPECT_EQ(y.to_floats(), (Floats{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
}

TEST(ResizeOps, NearestModesRoundTiesAndFractionsAsNamed) {
  Case c;
  c.shape = {1, 3};
  c.x = {10, 20, 30};
  c.scales = {1, 2};
  // asymmetric, scale 2: x_orig = o / 2 = 0, .5, 1, 1.5, 2, 2.5 (ties at every odd o).
  c.ctm = "asymmetric";
  c.nearest = "round_prefer_floor";
  EXPECT_EQ(resize(c), (Floats{10, 10, 20, 20, 30, 30}));
  c.nearest = "round_prefer_ceil";  // index 3 for 2.5 is clamped to 2
  EXPECT_EQ(resize(c), (Floats{10, 20, 20, 30, 30, 30}));
  // half_pixel, scale 2: x_orig = (o + .5) / 2 - .5 = -.25, .25, .75, 1.25, 1.75, 2.25.
  c.ctm = "half_pixel";
  c.nearest = "floor";  // -1 clamped to 0
  EXPECT_EQ(resize(c), (Floats{10, 10, 10, 20, 20, 30}));
  c.nearest = "ceil";  // 3 clamped to 2
  EXPECT_EQ(resize(c), (Floats{10, 20, 20, 30, 30, 30}));
  c.nearest = "round_prefer_floor";
  EXPECT_EQ(resize(c), (Floats{10, 10, 20, 20, 30, 30}));
}

TEST(ResizeOps, LinearCoordinateTransformations) {
  Case c;
  c.shape = {1, 2};
  c.x = {1, 3};
  c.mode = "linear";
  c.scales = {1, 2};
  // half_pixel: x_orig = -.25 (clamped to 0), .25, .75, 1.25 (clamped to 1): 1, 1.5, 2.5, 3.
  EXPECT_EQ(resize(c), (Floats{1, 1.5f, 2.5f, 3}));
  // asymmetric: x_orig = 0, .5, 1, 1.5 (clamped to 1): 1, 2, 3, 3.
  c.ctm = "asymmetric";
  EXPECT_EQ(resize(c), (Floats{1, 2, 3, 3}));
  // align_corners to 3 columns: x_orig = o * (2 - 1) / (3 - 1) = 0, .5, 1: 1, 2, 3.
  c.scales.clear();
  c.sizes = {1, 3};
  c.ctm = "align_corners";
  EXPECT_EQ(resize(c), (Floats{1, 2, 3}));
}

TEST(ResizeOps, PytorchHalfPixelDiffersFromHalfPixelForOneOutput) {
  Case c;
  c.shape = {1, 4};
  c.x = {1, 2, 3, 4};
  c.mode = "linear";
  c.sizes = {1, 1};
  // half_pixel, scale 1/4: x_orig = (0 + .5) * 4 - .5 = 1.5: halfway between 2 and 3.
  c.ctm = "half_pixel";
  EXPECT_EQ(resize(c), (Floats{2.5f}));
  // pytorch_half_pixel takes x_orig = 0 when the output has length 1.
  c.ctm = "pytorch_half_pixel";
  EXPECT_EQ(resize(c), (Floats{1}));
}

TEST(ResizeOps, AsymmetricSizeRatioKeepsExactTies) {
  Case c;
  c.shape = {1, 7};
  c.x = {0, 1, 2, 3, 4, 5, 6};
  c.sizes = {1, 4};
  c.ctm = "asymmetric";
  c.nearest = "round_prefer_ceil";
  // x_orig = o * 7 / 4 = 0, 1.75, 3.5, 5.25; the tie 3.5 rounds up to 4 (o / float(4/7) would
  // give 3.4999998 and pick 3).
  EXPECT_EQ(resize(c), (Floats{0, 2, 4, 5}));
}

TEST(ResizeOps, BilinearAlignCornersBlendsBothAxes) {
  Case c;
  c.shape = {1, 1, 2, 2};
  c.x = {1, 2, 3, 4};
  c.mode = "linear";
  c.ctm = "align_corners";
  c.sizes = {1, 1, 3, 3};
  // Coordinates 0, .5, 1 on both axes: the centre is the mean of all four, 2.5.
  EXPECT_EQ(resize(c), (Floats{1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4}));
}

TEST(ResizeOps, SizesResolveToShapeAndPerAxisScales) {
  Case c;
  c.opset = 13;
  c.shape = {1, 1, 2, 2};
  c.x = {1, 2, 3, 4};
  c.sizes = {1, 1, 3, 5};
  auto g = resize_model(c).import();
  const ir::Operator* op = g->topological_order().at(0);
  ASSERT_EQ(op->type, "Resize");
  // Scales are output / input: 3 / 2 and 5 / 2.
  params::Resize p = params::Resize::parse(op->params);
  EXPECT_EQ(params::numbers_of(p.shape, "shape"), (Shape{1, 1, 3, 5}));
  EXPECT_EQ(p.scales, (std::vector<double>{1, 1, 1.5, 2.5}));
  EXPECT_EQ(ops::traits_of(*op).tensorwise, (std::vector<int>{0, 1}));
}

TEST(ResizeOps, AxesAttributeFromOpset18) {
  OnnxBuilder b(18);
  b.input("x", {1, 1, 1, 2}).initializer("sizes", Tensor::from_ints({1}, {4})).output("y");
  attr(b.node("Resize", {"x", "", "", "sizes"}, {"y"}), "axes", Ints{-1});
  auto y = run(b, {1, 1, 1, 2}, {1, 2});
  // Defaults half_pixel / round_prefer_floor, scale 2 on the last axis only:
  // x_orig = -.25, .25, .75, 1.25 round to 0, 0, 1, 1.
  EXPECT_EQ(y.shape, (Shape{1, 1, 1, 4}));
  EXPECT_EQ(y.to_floats(), (Floats{1, 1, 2, 2}));
}

TEST(ResizeOps, Opset11EmptyScalesPlaceholderWithSizes) {
  OnnxBuilder b(11);
  b.input("x", {1, 2})
      .initializer("roi", Tensor::from_floats({0}, {}))
      .initializer("scales", Tensor::from_floats({0}, {}))
      .initializer("sizes", Tensor::from_ints({2}, {1, 4}))
      .output("y");
  attr(b.node("Resize", {"x", "roi", "scales", "sizes"}, {"y"}), "coordinate_transformation_mode",
       std::string("asymmetric"));
  // asymmetric, scale 2, round_prefer_floor: x_orig 0, .5, 1, 1.5 -> 0, 0, 1, 1.
  EXPECT_EQ(run(b, {1, 2}, {5, 6}).to_floats(), (Floats{5, 5, 6, 6}));
}

TEST(ResizeOps, Opset10ShrinkRoundsUpLikeUpsample) {
  OnnxBuilder b(10);
  b.input("x", {1, 4}).initializer("scales", Tensor::from_floats({2}, {1, 0.6f})).output("y");
  b.node("Resize", {"x", "scales"}, {"y"});
  // Output floor(4 * .6) = 2 columns; asymmetric x_orig = 0, 1 / .6 = 1.67, rounded up when
  // shrinking: columns 0 and 2.
  EXPECT_EQ(run(b, {1, 4}, {10, 20, 30, 40}).to_floats(), (Floats{10, 30}));
}

TEST(ResizeOps, UpsampleScalesAttributeInOpset7AndInputInOpset9) {
  OnnxBuilder a(7);
  a.input("x", {1, 2}).output("y");
  attr(a.node("Upsample", {"x"}, {"y"}), "scales", Floats{1, 3});
  // Nearest, asymmetric: column floor(o / 3).
  EXPECT_EQ(run(a, {1, 2}, {1, 2}).to_floats(), (Floats{1, 1, 1, 2, 2, 2}));

  OnnxBuilder b(9);
  b.input("x", {1, 2}).initializer("s", Tensor::from_floats({2}, {1, 2})).output("y");
  attr(b.node("Upsample", {"x", "s"}, {"y"}), "mode", std::string("linear"));
  // Linear, asymmetric: x_orig = 0, .5, 1, 1.5 (clamped to 1): 1, 2, 3, 3.
  EXPECT_EQ(run(b, {1, 2}, {1, 3}).to_floats(), (Floats{1, 2, 3, 3}));
}

TEST(ResizeOps, CubicSpreadsAnImpulseByKeysKernel) {
  Case c;
  c.shape = {1, 5};
  c.x = {0, 0, 1, 0, 0};
  c.mode = "cubic";
  c.scales = {1, 2};
  // half_pixel: x_orig = (o + .5) / 2 - .5. The impulse at 2 weighs W(|2 - x_orig|) with Keys'
  // kernel, a = -.75: W(.25) = 1.25 * .25^3 - 2.25 * .25^2 + 1 = .87890625, W(.75) = .26171875,
  // W(1.25) = -.75 * 1.25^3 + 3.75 * 1.25^2 - 6 * 1.25 + 3 = -.10546875, W(1.75) = -.03515625;
  // outputs 0 and 9 read only indices 0..1 and 3..4 (edges repeated).
  EXPECT_EQ(resize(c), (Floats{0, -.03515625f, -.10546875f, .26171875f, .87890625f, .87890625f, .26171875f,
                               -.10546875f, -.03515625f, 0}));
}

TEST(ResizeOps, AntialiasWidensTheLinearFilterWhenShrinking) {
  Case c;
  c.opset = 18;
  c.shape = {1, 4};
  c.x = {1, 2, 3, 4};
  c.mode = "linear";
  c.scales = {1, .5f};
  OnnxBuilder b = resize_model(c);
  attr(*b.model().mutable_graph()->mutable_node(0), "antialias", int64_t{1});
  // half_pixel: x_orig = 0.5 and 2.5. The triangle stretched to half-width 2 weighs the taps at
  // distances 1.5, .5, .5, 1.5 by .25, .75, .75, .25 (normalized: / 2); index -1 repeats 0 and 4
  // repeats 3: (1 * .25 + 1 * .75 + 2 * .75 + 3 * .25) / 2 = 1.625 and (2, 3, 4, 4): 3.375.
  EXPECT_EQ(run(b, c.shape, c.x).to_floats(), (Floats{1.625f, 3.375f}));
  // exclude_outside drops index -1 instead: (2 * .75 + ... ) renormalized, 3 / 1.75.
  attr(*b.model().mutable_graph()->mutable_node(0), "exclude_outside", int64_t{1});
  Floats y = run(b, c.shape, c.x).to_floats();
  EXPECT_FLOAT_EQ(y[0], 3 / 1.75f);
  EXPECT_FLOAT_EQ(y[1], (2 * .25f + 3 * .75f + 4 * .75f) / 1.75f);
}

TEST(ResizeOps, UnsupportedFeaturesAreRejectedWithTheirName) {
  Case c;
  c.shape = {1, 2};
  c.scales = {1, 2};
  c.mode = "area";
  EXPECT_CONTAINS(import_error(resize_model(c)), "mode 'area' is not supported");
  c.mode = "linear";
  c.ctm = "tf_crop_and_resize";
  EXPECT_CONTAINS(import_error(resize_model(c)),
                  "coordinate_transformation_mode 'tf_crop_and_resize' is not supported");
  c.ctm = "";
  c.scales.clear();
  c.sizes = {1, 4};
  OnnxBuilder k = resize_model(c);
  attr(*k.model().mutable_graph()->mutable_node(0), "keep_aspect_ratio_policy", std::string("not_larger"));
  EXPECT_CONTAINS(import_error(k), "keep_aspect_ratio_policy 'not_larger' is not supported");
  c.sizes = {4};
  EXPECT_CONTAINS(import_error(resize_model(c)), "1 sizes for the rank-2 input [1,2]");
}

}  // namespace
}  // namespace webdnn
