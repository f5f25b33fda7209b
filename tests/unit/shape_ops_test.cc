// Reshape, Flatten, Squeeze, Unsqueeze, Transpose and the shape-computing Shape, Constant and
// ConstantOfShape, through their ONNX handlers.
#include <gtest/gtest.h>

#include "src/ops/evaluate.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using testing::attr;
using testing::OnnxBuilder;

Tensor iota(const Shape& shape) {
  std::vector<float> v(num_elements(shape));
  for (size_t i = 0; i < v.size(); i++) v[i] = static_cast<float>(i);
  return Tensor::from_floats(shape, v);
}

Tensor run1(const OnnxBuilder& b, const Tensor& x) { return ops::evaluate_graph(*b.import(), {{"x", x}}).at("y"); }

TEST(ShapeOps, ReshapeCopiesZeroAndInfersMinusOne) {
  OnnxBuilder b;
  b.input("x", {2, 3, 4}).output("y").initializer("s", Tensor::from_ints({2}, {0, -1}));
  b.node("Reshape", {"x", "s"}, {"y"});
  Tensor y = run1(b, iota({2, 3, 4}));
  EXPECT_EQ(y.shape, (Shape{2, 12}));
  EXPECT_EQ(y.to_floats(), iota({2, 12}).to_floats());
}

TEST(ShapeOps, FlattenSqueezeUnsqueezeShapes) {
  OnnxBuilder flat;
  flat.input("x", {2, 3, 4}).output("y");
  attr(flat.node("Flatten", {"x"}, {"y"}), "axis", int64_t{2});
  EXPECT_EQ(run1(flat, iota({2, 3, 4})).shape, (Shape{6, 4}));
  OnnxBuilder negative;  // axis -1 splits before the last axis; axis 3 (== rank) after it
  negative.input("x", {2, 3, 4}).output("y");
  attr(negative.node("Flatten", {"x"}, {"y"}), "axis", int64_t{-1});
  EXPECT_EQ(run1(negative, iota({2, 3, 4})).shape, (Shape{6, 4}));
  OnnxBuilder rank;
  rank.input("x", {2, 3, 4}).output("y");
  attr(rank.node("Flatten", {"x"}, {"y"}), "axis", int64_t{3});
  EXPECT_EQ(run1(rank, iota({2, 3, 4})).shape, (Shape{24, 1}));

  OnnxBuilder sq11(11);  // axes as an attribute
  sq11.input("x", {1, 3, 1}).output("y");
  attr(sq11.node("Squeeze", {"x"}, {"y"}), "axes", std::vector<int64_t>{-1});
  EXPECT_EQ(run1(sq11, iota({1, 3, 1})).shape, (Shape{1, 3}));

  OnnxBuilder sq13(13);  // axes as an input; none given squeezes every 1
  sq13.input("x", {1, 3, 1}).output("y");
  sq13.node("Squeeze", {"x"}, {"y"});
  EXPECT_EQ(run1(sq13, iota({1, 3, 1})).shape, (Shape{3}));

  OnnxBuilder un13(13);
  un13.input("x", {3}).output("y").initializer("a", Tensor::from_ints({2}, {0, -1}));
  un13.node("Unsqueeze", {"x", "a"}, {"y"});
  EXPECT_EQ(run1(un13, iota({3})).shape, (Shape{1, 3, 1}));
}

TEST(ShapeOps, TransposeDefaultReversesAxes) {
  OnnxBuilder b;
  b.input("x", {2, 3}).output("y");
  b.node("Transpose", {"x"}, {"y"});
  Tensor y = run1(b, iota({2, 3}));
  EXPECT_EQ(y.shape, (Shape{3, 2}));
  EXPECT_EQ(y.to_floats(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(ShapeOps, ShapeComputationsFoldToConstants) {
  // Shape(x)[1:] * 2 feeds Reshape: the shape arithmetic folds and only the Reshape remains.
  OnnxBuilder b(15);
  b.input("x", {2, 3}).output("y");
  auto& shape = b.node("Shape", {"x"}, {"s"});
  attr(shape, "start", int64_t{1});  // [3]
  b.initializer("two", Tensor::from_ints({1}, {2}));
  b.node("Mul", {"s", "two"}, {"s6"});  // [6]
  b.node("Reshape", {"x", "s6"}, {"y"});
  auto g = b.import();
  EXPECT_EQ(g->num_operators(), 1u);
  EXPECT_EQ(g->topological_order()[0]->type, "Reshape");
  EXPECT_EQ(run1(b, iota({2, 3})).shape, (Shape{6}));
}

TEST(ShapeOps, ConstantAndConstantOfShape) {
  OnnxBuilder b;
  b.input("x", {2, 3}).output("y");
  attr(b.node("Constant", {}, {"dims"}), "value_ints", std::vector<int64_t>{2, 3});
  attr(b.node("ConstantOfShape", {"dims"}, {"k"}), "value", Tensor::from_floats({1}, {0.5f}));
  b.node("Add", {"x", "k"}, {"y"});
  auto y = run1(b, iota({2, 3})).to_floats();
  EXPECT_EQ(y, (std::vector<float>{0.5, 1.5, 2.5, 3.5, 4.5, 5.5}));
}

TEST(ShapeOps, ReshapeToAnImpossibleShapeIsExplained) {
  OnnxBuilder b;
  b.input("x", {2, 3}).output("y").initializer("s", Tensor::from_ints({1}, {4}));
  b.node("Reshape", {"x", "s"}, {"y"}, "bad");
  try {
    b.import();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("node 'bad' (Reshape): cannot reshape [2,3] to [4]"),
              std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace webdnn
