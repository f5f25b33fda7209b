// The activations, normalizations and position ops of transformer exports (ONNX's and
// onnxruntime's com.microsoft ones) through the ONNX handlers: hand-computed values where
// onnxruntime cannot be the oracle (BiasAdd has no CPU kernel there; integer edge cases), and the
// errors of what is refused. The per-op models of tools/testmodels/ops_transformer.py compare the
// rest with onnxruntime on every backend.
#include <gtest/gtest.h>

#include "src/ops/evaluate.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/dim.h"

namespace webdnn {
namespace {

using testing::attr;
using testing::import_error;
using testing::OnnxBuilder;

onnx::NodeProto& ms_node(OnnxBuilder& b, const std::string& type, const std::vector<std::string>& in,
                         const std::vector<std::string>& out) {
  onnx::NodeProto& n = b.node(type, in, out);
  n.set_domain("com.microsoft");
  return n;
}

OnnxBuilder with_ms_domain(int64_t opset = 17) {
  OnnxBuilder b(opset);
  auto* o = b.model().add_opset_import();
  o->set_domain("com.microsoft");
  o->set_version(1);
  return b;
}

TEST(TransformerOps, BiasAddIsInputPlusBiasPlusSkip) {
  OnnxBuilder b = with_ms_domain();
  b.input("x", {1, 2, 2}).input("skip", {1, 2, 2}).output("y");
  b.initializer("bias", Tensor::from_floats({2}, {10, 20}));
  ms_node(b, "BiasAdd", {"x", "bias", "skip"}, {"y"});
  auto out = ops::evaluate_graph(*b.import(), {{"x", Tensor::from_floats({1, 2, 2}, {1, 2, 3, 4})},
                                               {"skip", Tensor::from_floats({1, 2, 2}, {0.5f, -1, 100, 0})}});
  EXPECT_EQ(out.at("y").shape, (Shape{1, 2, 2}));
  EXPECT_EQ(out.at("y").to_floats(), (std::vector<float>{11.5f, 21, 113, 24}));
}

TEST(TransformerOps, BitwiseOpsAreTwosComplementPerType) {
  OnnxBuilder b(18);
  b.input("a", {4}, onnx::TensorProto::INT32).input("b", {4}, onnx::TensorProto::INT32);
  b.input("u", {3}, onnx::TensorProto::UINT8).input("s", {3}, onnx::TensorProto::INT8);
  for (const char* op : {"BitwiseAnd", "BitwiseOr", "BitwiseXor"}) {
    b.node(op, {"a", "b"}, {op});
    b.output(op);
  }
  b.node("BitwiseNot", {"a"}, {"not_a"});
  b.node("BitwiseNot", {"u"}, {"not_u"});
  b.node("BitwiseNot", {"s"}, {"not_s"});
  b.output("not_a").output("not_u").output("not_s");
  // The IR holds every integer type as int64; the declared types give BitwiseNot its width.
  auto out = ops::evaluate_graph(*b.import(), {{"a", Tensor::from_ints({4}, {-1, -8, 12, 0})},
                                               {"b", Tensor::from_ints({4}, {5, 3, 10, -7})},
                                               {"u", Tensor::from_ints({3}, {0, 255, 100})},
                                               {"s", Tensor::from_ints({3}, {-128, 127, 0})}});
  EXPECT_EQ(out.at("BitwiseAnd").to_ints(), (std::vector<int64_t>{5, 0, 8, 0}));
  EXPECT_EQ(out.at("BitwiseOr").to_ints(), (std::vector<int64_t>{-1, -5, 14, -7}));
  EXPECT_EQ(out.at("BitwiseXor").to_ints(), (std::vector<int64_t>{-6, -5, 6, -7}));
  EXPECT_EQ(out.at("not_a").to_ints(), (std::vector<int64_t>{0, 7, -13, -1}));
  EXPECT_EQ(out.at("not_u").to_ints(), (std::vector<int64_t>{255, 0, 155}));
  EXPECT_EQ(out.at("not_s").to_ints(), (std::vector<int64_t>{127, -128, -1}));
}

TEST(TransformerOps, BitwiseOpsRefuseFloats) {
  OnnxBuilder b(18);
  b.input("a", {2}).input("b", {2}).output("y");
  b.node("BitwiseAnd", {"a", "b"}, {"y"});
  std::string e = import_error(b);
  EXPECT_NE(e.find("is float32; bitwise operators take integer tensors"), std::string::npos) << e;
}

TEST(TransformerOps, OneHotCountsNegativeIndicesFromDepthAndIgnoresOutOfRange) {
  OnnxBuilder b(11);
  b.input("i", {5}, onnx::TensorProto::INT64).output("y");
  b.initializer("depth", Tensor::from_ints({}, {3}));
  b.initializer("values", Tensor::from_floats({2}, {0, 7}));
  b.node("OneHot", {"i", "depth", "values"}, {"y"});
  auto out = ops::evaluate_graph(*b.import(), {{"i", Tensor::from_ints({5}, {0, -1, 3, -4, 2})}});
  EXPECT_EQ(out.at("y").shape, (Shape{5, 3}));
  EXPECT_EQ(out.at("y").to_floats(), (std::vector<float>{7, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 7}));
}

TEST(TransformerOps, SkipLayerNormalizationRefusesItsStatisticsOutputs) {
  OnnxBuilder b = with_ms_domain();
  b.input("x", {1, 2, 4}).input("skip", {1, 2, 4}).output("y").output("mean");
  b.initializer("gamma", Tensor::from_floats({4}, {1, 1, 1, 1}));
  ms_node(b, "SkipLayerNormalization", {"x", "skip", "gamma"}, {"y", "mean"});
  std::string e = import_error(b);
  EXPECT_NE(e.find("SkipLayerNormalization's output 1 ('mean', a statistic) is not supported"), std::string::npos)
      << e;
}

TEST(TransformerOps, SkipSimplifiedLayerNormalizationValuesAndSum) {
  // x + skip + bias: rows {1,1,1,1} -> rms 1 and {3,3,3,3} -> rms 3 (epsilon 0): y = gamma.
  OnnxBuilder b = with_ms_domain();
  b.input("x", {1, 2, 4}).input("skip", {1, 2, 4}).output("y").output("sum");
  b.initializer("gamma", Tensor::from_floats({4}, {1, 2, 3, 4}));
  b.initializer("bias", Tensor::from_floats({4}, {1, 1, 1, 1}));
  attr(ms_node(b, "SkipSimplifiedLayerNormalization", {"x", "skip", "gamma", "bias"}, {"y", "", "", "sum"}),
       "epsilon", 0.0f);
  auto out = ops::evaluate_graph(*b.import(), {{"x", Tensor::from_floats({1, 2, 4}, {0, 0, 0, 0, 1, 1, 1, 1})},
                                               {"skip", Tensor::from_floats({1, 2, 4}, {0, 0, 0, 0, 1, 1, 1, 1})}});
  EXPECT_EQ(out.at("y").to_floats(), (std::vector<float>{1, 2, 3, 4, 1, 2, 3, 4}));
  EXPECT_EQ(out.at("sum").to_floats(), (std::vector<float>{1, 1, 1, 1, 3, 3, 3, 3}));
}

TEST(TransformerOps, GroupNormalizationChecksItsScaleShapePerOpset) {
  for (int64_t opset : {18, 21}) {
    OnnxBuilder b(opset);
    b.input("x", {1, 4, 3}).output("y");
    // 2 groups of 2 channels: opset 18 wants [2], opset 21 [4]; give the other one.
    int64_t wrong = opset == 18 ? 4 : 2;
    b.initializer("scale", Tensor::from_floats({wrong}, std::vector<float>(wrong, 1)));
    b.initializer("bias", Tensor::from_floats({wrong}, std::vector<float>(wrong, 0)));
    attr(b.node("GroupNormalization", {"x", "scale", "bias"}, {"y"}), "num_groups", int64_t{2});
    std::string e = import_error(b);
    EXPECT_NE(e.find(opset == 18 ? "one value per group before opset 21" : "one value per channel since opset 21"),
              std::string::npos)
        << e;
  }
  OnnxBuilder b(21);
  b.input("x", {1, 4, 3}).output("y");
  b.initializer("scale", Tensor::from_floats({4}, {1, 1, 1, 1}));
  b.initializer("bias", Tensor::from_floats({4}, {0, 0, 0, 0}));
  attr(b.node("GroupNormalization", {"x", "scale", "bias"}, {"y"}), "num_groups", int64_t{3});
  std::string e = import_error(b);
  EXPECT_NE(e.find("num_groups (3) must divide the 4 channels"), std::string::npos) << e;
}

TEST(TransformerOps, NormalizationsKeepFreeDimensions) {
  // A transformer block's [batch, sequence, hidden] and a detector's [N, C, H, W] with free sizes:
  // the compositions carry the symbols through, assuming nothing about them.
  OnnxBuilder b = with_ms_domain(21);
  b.input("x", {-1, -1, 8}).input("skip", {-1, -1, 8}).input("image", {-1, 4, -1, -1});
  b.output("y").output("sum").output("rms").output("groups");
  b.initializer("gamma", Tensor::from_floats({8}, std::vector<float>(8, 1)));
  b.initializer("scale", Tensor::from_floats({4}, std::vector<float>(4, 1)));
  b.initializer("bias", Tensor::from_floats({4}, std::vector<float>(4, 0)));
  ms_node(b, "SkipSimplifiedLayerNormalization", {"x", "skip", "gamma"}, {"y", "", "", "sum"});
  b.node("SimplifiedLayerNormalization", {"sum", "gamma"}, {"rms"});
  attr(b.node("GroupNormalization", {"image", "scale", "bias"}, {"groups"}), "num_groups", int64_t{2});
  auto g = b.import();
  ASSERT_EQ(g->outputs.size(), 4u);
  EXPECT_EQ(shape_to_string(g->outputs[0]->dims), "[N0,N1,8]");
  EXPECT_EQ(shape_to_string(g->outputs[1]->dims), "[N0,N1,8]");
  EXPECT_EQ(shape_to_string(g->outputs[2]->dims), "[N0,N1,8]");
  EXPECT_EQ(shape_to_string(g->outputs[3]->dims), "[N0,4,N2,N3]");
  EXPECT_TRUE(g->guards.empty());
}

TEST(TransformerOps, TriluNeedsFixedMatrixAxes) {
  OnnxBuilder b(14);
  b.input("x", {2, -1}).output("y");
  b.node("Trilu", {"x"}, {"y"});
  std::string e = import_error(b);
  EXPECT_NE(e.find("Trilu needs a fixed size there"), std::string::npos) << e;
}

}  // namespace
}  // namespace webdnn
