// Conv, ConvTranspose, pools, Gemm and MatMul through their ONNX handlers and reference kernels,
// against values worked out by hand.
#include <gtest/gtest.h>

#include "src/ops/evaluate.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using testing::attr;
using testing::OnnxBuilder;

// x = [[1,2,3],[4,5,6],[7,8,9]] as [1,1,3,3]
Tensor nine() { return Tensor::from_floats({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }

Tensor run1(const OnnxBuilder& b, const Tensor& x) { return ops::evaluate_graph(*b.import(), {{"x", x}}).at("y"); }

// A model y = OP(x, w[, bias]) with x [1,C,3,3] as input.
OnnxBuilder conv_model(const char* op, int64_t channels, const Tensor& w, const Tensor* bias = nullptr) {
  OnnxBuilder b;
  b.input("x", {1, channels, 3, 3}).output("y").initializer("w", w);
  std::vector<std::string> ins = {"x", "w"};
  if (bias) {
    b.initializer("b", *bias);
    ins.push_back("b");
  }
  b.node(op, ins, {"y"}, "op");
  return b;
}

onnx::NodeProto& op_node(OnnxBuilder& b) { return *b.model().mutable_graph()->mutable_node(0); }

TEST(NnOps, ConvValidAndPaddedStrided) {
  Tensor ones = Tensor::from_floats({1, 1, 2, 2}, {1, 1, 1, 1}), bias = Tensor::from_floats({1}, {1});
  // Each output is the sum of a 2x2 window plus 1: 1+2+4+5+1 = 13, ...
  EXPECT_EQ(run1(conv_model("Conv", 1, ones, &bias), nine()).to_floats(), (std::vector<float>{13, 17, 25, 29}));
  OnnxBuilder b = conv_model("Conv", 1, ones, &bias);
  attr(op_node(b), "pads", std::vector<int64_t>{1, 1, 1, 1});
  attr(op_node(b), "strides", std::vector<int64_t>{2, 2});
  // Windows start at (-1,-1), (-1,1), (1,-1), (1,1): 1+1, 2+3+1, 4+7+1, 5+6+8+9+1.
  EXPECT_EQ(run1(b, nine()).to_floats(), (std::vector<float>{2, 6, 12, 29}));
}

TEST(NnOps, ConvDilatedGroupedAndSamePadded) {
  OnnxBuilder dilated = conv_model("Conv", 1, Tensor::from_floats({1, 1, 2, 2}, {1, 1, 1, 1}));
  attr(op_node(dilated), "dilations", std::vector<int64_t>{2, 2});
  EXPECT_EQ(run1(dilated, nine()).to_floats(), (std::vector<float>{1 + 3 + 7 + 9}));

  // Two channels, two groups, 1x1 weights 2 and 3: each channel scaled on its own.
  OnnxBuilder grouped = conv_model("Conv", 2, Tensor::from_floats({2, 1, 1, 1}, {2, 3}));
  attr(op_node(grouped), "group", int64_t{2});
  Tensor x2 = Tensor::from_floats({1, 2, 3, 3}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2});
  auto y = run1(grouped, x2).to_floats();
  EXPECT_EQ(y[0], 2);
  EXPECT_EQ(y[9], 6);

  // SAME_UPPER with a 2x2 kernel pads one row/column at the end: the last output sees x[2][2].
  OnnxBuilder same = conv_model("Conv", 1, Tensor::from_floats({1, 1, 2, 2}, {1, 1, 1, 1}));
  attr(op_node(same), "auto_pad", std::string("SAME_UPPER"));
  auto s = run1(same, nine()).to_floats();
  ASSERT_EQ(s.size(), 9u);
  EXPECT_EQ(s[0], 1 + 2 + 4 + 5);
  EXPECT_EQ(s[8], 9);
}

TEST(NnOps, ConvTransposeSpreadsEachPixel) {
  Tensor x = Tensor::from_floats({1, 1, 2, 2}, {1, 2, 3, 4});
  OnnxBuilder b = conv_model("ConvTranspose", 1, Tensor::from_floats({1, 1, 2, 2}, {1, 1, 1, 1}));
  b.model().mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(2)->set_dim_value(2);
  b.model().mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(3)->set_dim_value(2);
  // Stride 1: overlapping 2x2 blocks, out[1][1] = 1+2+3+4.
  EXPECT_EQ(run1(b, x).to_floats(), (std::vector<float>{1, 3, 2, 4, 10, 6, 3, 7, 4}));
  attr(op_node(b), "strides", std::vector<int64_t>{2, 2});
  // Stride 2: each pixel becomes its own 2x2 block.
  EXPECT_EQ(run1(b, x).to_floats(), (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
}

OnnxBuilder pool_model(const char* op, std::vector<int64_t> kernel, std::vector<int64_t> strides) {
  OnnxBuilder b;
  b.input("x", {1, 1, 3, 3}).output("y");
  auto& n = b.node(op, {"x"}, {"y"});
  attr(n, "kernel_shape", kernel);
  attr(n, "strides", strides);
  return b;
}

TEST(NnOps, MaxPoolFloorAndCeilMode) {
  OnnxBuilder b = pool_model("MaxPool", {2, 2}, {2, 2});
  EXPECT_EQ(run1(b, nine()).to_floats(), (std::vector<float>{5}));
  attr(op_node(b), "ceil_mode", int64_t{1});
  EXPECT_EQ(run1(b, nine()).to_floats(), (std::vector<float>{5, 6, 8, 9}));
}

TEST(NnOps, AveragePoolCountsPaddingOnlyWhenAsked) {
  OnnxBuilder ceil = pool_model("AveragePool", {2, 2}, {2, 2});
  attr(op_node(ceil), "ceil_mode", int64_t{1});
  // Partial windows at the edge average only the cells inside: (3+6)/2, (7+8)/2, 9/1.
  EXPECT_EQ(run1(ceil, nine()).to_floats(), (std::vector<float>{3, 4.5, 7.5, 9}));
  OnnxBuilder padded = pool_model("AveragePool", {3, 3}, {1, 1});
  attr(op_node(padded), "pads", std::vector<int64_t>{1, 1, 1, 1});
  EXPECT_FLOAT_EQ(run1(padded, nine()).to_floats()[0], 12.0f / 4);  // (1+2+4+5) over 4 cells
  attr(op_node(padded), "count_include_pad", int64_t{1});
  EXPECT_FLOAT_EQ(run1(padded, nine()).to_floats()[0], 12.0f / 9);  // ... over the 9 of the window
}

TEST(NnOps, GemmWithTransposeAlphaBetaAndBroadcastBias) {
  OnnxBuilder b;
  b.input("x", {2, 3}).output("y");
  b.initializer("w", Tensor::from_floats({2, 3}, {1, 0, 1, 0, 1, 0}));
  b.initializer("c", Tensor::from_floats({2}, {1, 2}));
  auto& n = b.node("Gemm", {"x", "w", "c"}, {"y"});
  attr(n, "transB", int64_t{1});
  attr(n, "alpha", 2.0f);
  attr(n, "beta", 0.5f);
  // x.w^T = [[4,2],[10,5]]; times 2 plus c/2 = [0.5, 1] per row.
  EXPECT_EQ(run1(b, Tensor::from_floats({2, 3}, {1, 2, 3, 4, 5, 6})).to_floats(),
            (std::vector<float>{8.5, 5, 20.5, 11}));
}

TEST(NnOps, MatMulBroadcastsBatchesAndHandlesVectors) {
  OnnxBuilder b;
  b.input("x", {2, 1, 2}).output("y");
  b.initializer("w", Tensor::from_floats({2, 1}, {1, 1}));
  b.node("MatMul", {"x", "w"}, {"y"});
  Tensor y = run1(b, Tensor::from_floats({2, 1, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(y.shape, (Shape{2, 1, 1}));
  EXPECT_EQ(y.to_floats(), (std::vector<float>{3, 7}));

  OnnxBuilder v;
  v.input("x", {3}).output("y");
  v.initializer("w", Tensor::from_floats({3, 2}, {1, 0, 0, 1, 1, 1}));
  v.node("MatMul", {"x", "w"}, {"y"});
  Tensor vy = run1(v, Tensor::from_floats({3}, {1, 2, 3}));
  EXPECT_EQ(vy.shape, (Shape{2}));
  EXPECT_EQ(vy.to_floats(), (std::vector<float>{4, 5}));
}

TEST(NnOps, OneDimensionalConvAndPoolWorkOnNCL) {
  OnnxBuilder conv;
  conv.input("x", {1, 1, 5}).output("y").initializer("w", Tensor::from_floats({1, 1, 2}, {1, 1}));
  attr(conv.node("Conv", {"x", "w"}, {"y"}), "strides", std::vector<int64_t>{2});
  Tensor x = Tensor::from_floats({1, 1, 5}, {1, 2, 3, 4, 5});
  Tensor y = run1(conv, x);
  EXPECT_EQ(y.shape, (Shape{1, 1, 2}));
  EXPECT_EQ(y.to_floats(), (std::vector<float>{1 + 2, 3 + 4}));

  OnnxBuilder pool;
  pool.input("x", {1, 1, 5}).output("y");
  auto& n = pool.node("MaxPool", {"x"}, {"y"});
  attr(n, "kernel_shape", std::vector<int64_t>{2});
  attr(n, "pads", std::vector<int64_t>{1, 0});
  // Windows start at -1, 0, 1, 2, 3: the first sees only x[0].
  EXPECT_EQ(run1(pool, x).to_floats(), (std::vector<float>{1, 2, 3, 4, 5}));
}

TEST(NnOps, ConvWithMismatchedChannelsIsExplained) {
  OnnxBuilder b = conv_model("Conv", 1, Tensor::from_floats({1, 2, 1, 1}, {1, 1}));
  try {
    b.import();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("input channels 1 do not match weight [1,2,1,1] with group 1"),
              std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace webdnn
