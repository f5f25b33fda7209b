// BatchNormalization, InstanceNormalization, LayerNormalization (and RMS), LRN, Softmax and LogSoftmax
// through the ONNX handlers, against values computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "src/ops/evaluate.h"
#include "src/ops/schema.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using testing::attr;
using testing::OnnxBuilder;

void expect_values(const Tensor& t, const Shape& shape, const std::vector<float>& want, double tol = 1e-6) {
  EXPECT_EQ(t.shape, shape);
  ASSERT_EQ(t.size(), static_cast<int64_t>(want.size()));
  for (size_t i = 0; i < want.size(); i++)
    EXPECT_NEAR(t.as_double(static_cast<int64_t>(i)), want[i], tol) << "at " << i;
}

Tensor run(const OnnxBuilder& b, const Tensor& x, const std::string& output = "y") {
  auto g = b.import();
  return ops::evaluate_graph(*g, {{"x", x}}).at(output);
}

using testing::import_error;

// X [1,2,1,2] = channel 0 {1, 3}, channel 1 {2, 6}; epsilon 0.25 makes both deviations whole:
// channel 0: sqrt(3.75 + 0.25) = 2, y = (x - 2) / 2 * 2 + 1 = x - 1           -> {0, 2}
// channel 1: sqrt(0.75 + 0.25) = 1, y = (x - 4) / 1 * 0.5 - 1 = 0.5x - 3      -> {-2, 0}
OnnxBuilder batch_norm_model(int64_t opset) {
  OnnxBuilder b(opset);
  b.input("x", {1, 2, 1, 2}).output("y");
  b.initializer("scale", Tensor::from_floats({2}, {2, 0.5f}));
  b.initializer("bias", Tensor::from_floats({2}, {1, -1}));
  b.initializer("mean", Tensor::from_floats({2}, {2, 4}));
  b.initializer("var", Tensor::from_floats({2}, {3.75f, 0.75f}));
  return b;
}

TEST(NormalizationOps, BatchNormalizationInferenceInEveryOpsetForm) {
  for (int64_t opset : {7, 9, 14, 15}) {
    OnnxBuilder b = batch_norm_model(opset);
    attr(b.node("BatchNormalization", {"x", "scale", "bias", "mean", "var"}, {"y"}), "epsilon", 0.25f);
    expect_values(run(b, Tensor::from_floats({1, 2, 1, 2}, {1, 3, 2, 6})), {1, 2, 1, 2}, {0, 2, -2, 0});
  }
}

TEST(NormalizationOps, BatchNormalizationSpatialZeroUsesPerActivationStatistics) {
  // Opset 7, spatial=0: statistics shaped like X without N ([2,2] here), element by element:
  // (x - mean) / sqrt(var + 0.25) * scale + B
  //   (1-0)/1*1+0 = 1, (2-1)/2*1+0 = 0.5, (3-2)/1*2+1 = 3, (4-3)/2*2+1 = 2
  OnnxBuilder b(7);
  b.input("x", {1, 2, 2}).output("y");
  b.initializer("scale", Tensor::from_floats({2, 2}, {1, 1, 2, 2}));
  b.initializer("bias", Tensor::from_floats({2, 2}, {0, 0, 1, 1}));
  b.initializer("mean", Tensor::from_floats({2, 2}, {0, 1, 2, 3}));
  b.initializer("var", Tensor::from_floats({2, 2}, {0.75f, 3.75f, 0.75f, 3.75f}));
  auto& n = b.node("BatchNormalization", {"x", "scale", "bias", "mean", "var"}, {"y"});
  attr(n, "epsilon", 0.25f);
  attr(n, "spatial", int64_t{0});
  expect_values(run(b, Tensor::from_floats({1, 2, 2}, {1, 2, 3, 4})), {1, 2, 2}, {1, 0.5f, 3, 2});
}

TEST(NormalizationOps, BatchNormalizationRejectsTrainingClearly) {
  OnnxBuilder training = batch_norm_model(15);
  auto& n = training.node("BatchNormalization", {"x", "scale", "bias", "mean", "var"}, {"y"});
  attr(n, "training_mode", int64_t{1});
  std::string e = import_error(training);
  EXPECT_NE(e.find("training_mode=1 is not supported"), std::string::npos) << e;

  OnnxBuilder statistics = batch_norm_model(9);
  statistics.node("BatchNormalization", {"x", "scale", "bias", "mean", "var"}, {"y", "running_mean"});
  e = import_error(statistics);
  EXPECT_NE(e.find("output 1 ('running_mean') is a training statistic"), std::string::npos) << e;

  OnnxBuilder wrong = batch_norm_model(15);
  wrong.initializer("scale3", Tensor::from_floats({3}, {1, 1, 1}));
  wrong.node("BatchNormalization", {"x", "scale3", "bias", "mean", "var"}, {"y"});
  e = import_error(wrong);
  EXPECT_NE(e.find("is [3]; one value per channel, [2], is expected"), std::string::npos) << e;
}

TEST(NormalizationOps, InstanceNormalizationPerImageAndChannel) {
  // Channel 0 {0,0,2,2}: mean 1, variance 1; channel 1 {1,3,1,3}: mean 2, variance 1.
  // epsilon 3 -> deviation sqrt(1 + 3) = 2, so normalized values are +-0.5;
  // channel 0 * 2 + 0 -> {-1,-1,1,1}; channel 1 * 4 + 1 -> {-1,3,-1,3}.
  OnnxBuilder b(17);
  b.input("x", {1, 2, 4}).output("y");
  b.initializer("scale", Tensor::from_floats({2}, {2, 4}));
  b.initializer("bias", Tensor::from_floats({2}, {0, 1}));
  attr(b.node("InstanceNormalization", {"x", "scale", "bias"}, {"y"}), "epsilon", 3.0f);
  expect_values(run(b, Tensor::from_floats({1, 2, 4}, {0, 0, 2, 2, 1, 3, 1, 3})), {1, 2, 4},
                {-1, -1, 1, 1, -1, 3, -1, 3});
}

TEST(NormalizationOps, LayerNormalizationLastAxisWithBiasAndStatistics) {
  // Rows {0,0,2,2} (mean 1) and {1,3,1,3} (mean 2), variance 1 each; epsilon 3 -> deviation 2.
  // Normalized: {-.5,-.5,.5,.5} and {-.5,.5,-.5,.5}; * scale {1,2,3,4} + bias {0,0,0,1}.
  OnnxBuilder b(17);
  b.input("x", {2, 4}).output("y").output("mean").output("inv_std");
  b.initializer("scale", Tensor::from_floats({4}, {1, 2, 3, 4}));
  b.initializer("bias", Tensor::from_floats({4}, {0, 0, 0, 1}));
  attr(b.node("LayerNormalization", {"x", "scale", "bias"}, {"y", "mean", "inv_std"}), "epsilon", 3.0f);
  auto g = b.import();
  auto out = ops::evaluate_graph(*g, {{"x", Tensor::from_floats({2, 4}, {0, 0, 2, 2, 1, 3, 1, 3})}});
  expect_values(out.at("y"), {2, 4}, {-0.5f, -1, 1.5f, 3, -0.5f, 1, -1.5f, 3});
  expect_values(out.at("mean"), {2, 1}, {1, 2});
  expect_values(out.at("inv_std"), {2, 1}, {0.5f, 0.5f});  // 1 / sqrt(1 + 3)
}

TEST(NormalizationOps, LayerNormalizationOverTwoAxesWithoutBias) {
  // axis 1 of [2,2,2]: each image's 4 values form one group, the same two rows as above;
  // scale [[1,2],[3,4]] and no bias.
  OnnxBuilder b(17);
  b.input("x", {2, 2, 2}).output("y");
  b.initializer("scale", Tensor::from_floats({2, 2}, {1, 2, 3, 4}));
  auto& n = b.node("LayerNormalization", {"x", "scale"}, {"y"});
  attr(n, "axis", int64_t{1});
  attr(n, "epsilon", 3.0f);
  expect_values(run(b, Tensor::from_floats({2, 2, 2}, {0, 0, 2, 2, 1, 3, 1, 3})), {2, 2, 2},
                {-0.5f, -1, 1.5f, 2, -0.5f, 1, -1.5f, 2});
}

TEST(NormalizationOps, RmsNormalizationsAreOneLayerNormalizationAboutZero) {
  // Rows {1,7} (mean square 25, rms 5: a mean of 4 that must not be subtracted) and {2,-2}
  // (rms 2); epsilon 0; * scale {2, 0.5}.
  const Tensor x = Tensor::from_floats({2, 2}, {1, 7, 2, -2});
  const std::vector<float> want = {0.4f, 0.7f, 2, -0.5f};
  for (const char* type : {"RMSNormalization", "SimplifiedLayerNormalization"}) {
    OnnxBuilder b(23);
    b.input("x", {2, 2}).output("y");
    b.initializer("scale", Tensor::from_floats({2}, {2, 0.5f}));
    attr(b.node(type, {"x", "scale"}, {"y"}), "epsilon", 0.0f);
    auto g = b.import();
    std::vector<std::string> types;
    for (const ir::Operator* op : g->topological_order()) types.push_back(op->type);
    EXPECT_EQ(types, std::vector<std::string>{"LayerNormalization"}) << type;
    expect_values(ops::evaluate_graph(*g, {{"x", x}}).at("y"), {2, 2}, want);
  }
  // SimplifiedLayerNormalization's second output, 1 / rms, when something reads it.
  OnnxBuilder b(17);
  b.input("x", {2, 2}).output("y").output("inv_std");
  b.initializer("scale", Tensor::from_floats({2}, {2, 0.5f}));
  attr(b.node("SimplifiedLayerNormalization", {"x", "scale"}, {"y", "inv_std"}), "epsilon", 0.0f);
  auto out = ops::evaluate_graph(*b.import(), {{"x", x}});
  expect_values(out.at("y"), {2, 2}, want);
  expect_values(out.at("inv_std"), {2, 1}, {0.2f, 0.5f});
}

TEST(NormalizationOps, LayerNormalizationRejectsAScaleThatDoesNotBroadcast) {
  OnnxBuilder b(17);
  b.input("x", {2, 4}).output("y");
  b.initializer("scale", Tensor::from_floats({3}, {1, 2, 3}));
  b.node("LayerNormalization", {"x", "scale"}, {"y"});
  EXPECT_NE(import_error(b).find("'scale' [3] does not broadcast to X [2,4]"), std::string::npos) << import_error(b);
}

TEST(NormalizationOps, LrnSumsSquaresOverTheChannelWindow) {
  // X channels {1,2,3}. size 3, alpha 3 (alpha/size = 1), beta 1, bias 1; window c-1..c+1:
  //   1/(1+1+4) = 1/6, 2/(1+1+4+9) = 2/15, 3/(1+4+9) = 3/14
  OnnxBuilder b(13);
  b.input("x", {1, 3, 1, 1}).output("y");
  auto& n = b.node("LRN", {"x"}, {"y"});
  attr(n, "size", int64_t{3});
  attr(n, "alpha", 3.0f);
  attr(n, "beta", 1.0f);
  attr(n, "bias", 1.0f);
  Tensor x = Tensor::from_floats({1, 3, 1, 1}, {1, 2, 3});
  expect_values(run(b, x), {1, 3, 1, 1}, {1.0f / 6, 2.0f / 15, 3.0f / 14});

  // size 2: the window is c..c+1 (floor(1/2) back, ceil(1/2) forward). alpha 2, beta 0.5, bias 2:
  //   1/sqrt(2+1+4) = 1/sqrt(7), 2/sqrt(2+4+9) = 2/sqrt(15), 3/sqrt(2+9) = 3/sqrt(11)
  OnnxBuilder even(13);
  even.input("x", {1, 3, 1, 1}).output("y");
  auto& m = even.node("LRN", {"x"}, {"y"});
  attr(m, "size", int64_t{2});
  attr(m, "alpha", 2.0f);
  attr(m, "beta", 0.5f);
  attr(m, "bias", 2.0f);
  expect_values(run(even, x), {1, 3, 1, 1}, {0.37796447f, 0.51639778f, 0.90453403f});
}

// X [1,2,2] = {0, ln3, 0, ln3}: exp gives {1,3,1,3}.
Tensor softmax_input() { return Tensor::from_floats({1, 2, 2}, {0, std::log(3.0f), 0, std::log(3.0f)}); }

Tensor run_softmax(const char* type, int64_t opset, std::optional<int64_t> axis, size_t* num_ops = nullptr) {
  OnnxBuilder b(opset);
  b.input("x", {1, 2, 2}).output("y");
  auto& n = b.node(type, {"x"}, {"y"});
  if (axis) attr(n, "axis", *axis);
  auto g = b.import();
  if (num_ops) *num_ops = g->num_operators();
  return ops::evaluate_graph(*g, {{"x", softmax_input()}}).at("y");
}

TEST(NormalizationOps, SoftmaxOpset13IsOneAxisDefaultLast) {
  // Last axis: pairs {1,3}/4 -> {.25,.75} twice. Axis 1: pairs (0,0) and (ln3,ln3) -> all .5.
  expect_values(run_softmax("Softmax", 13, std::nullopt), {1, 2, 2}, {0.25f, 0.75f, 0.25f, 0.75f});
  expect_values(run_softmax("Softmax", 13, 1), {1, 2, 2}, {0.5f, 0.5f, 0.5f, 0.5f});
}

TEST(NormalizationOps, SoftmaxOpset11FlattensAtAxisDefaultOne) {
  // Default axis 1 on [1,2,2]: one row of 4, {1,3,1,3}/8. Reshapes surround the IR Softmax.
  size_t num_ops = 0;
  expect_values(run_softmax("Softmax", 11, std::nullopt, &num_ops), {1, 2, 2}, {0.125f, 0.375f, 0.125f, 0.375f});
  EXPECT_EQ(num_ops, 3u);
  // axis 2 is the last axis: nothing to flatten, one operator, same as opset 13's default.
  expect_values(run_softmax("Softmax", 11, 2, &num_ops), {1, 2, 2}, {0.25f, 0.75f, 0.25f, 0.75f});
  EXPECT_EQ(num_ops, 1u);
}

TEST(NormalizationOps, LogSoftmaxInBothSemantics) {
  // ln(.25) = -1.3862944, ln(.75) = -0.2876821; ln(1/8) = -2.0794415, ln(3/8) = -0.9808293
  expect_values(run_softmax("LogSoftmax", 13, std::nullopt), {1, 2, 2},
                {-1.3862944f, -0.2876821f, -1.3862944f, -0.2876821f}, 1e-5);
  expect_values(run_softmax("LogSoftmax", 11, std::nullopt), {1, 2, 2},
                {-2.0794415f, -0.9808293f, -2.0794415f, -0.9808293f}, 1e-5);
}

TEST(NormalizationOps, SoftmaxOfLargeValuesDoesNotOverflow) {
  // {1000, 1001}: e^1000 overflows unless the max is subtracted; softmax = {1, e} / (1 + e),
  // log-softmax = {-ln(1+e), 1 - ln(1+e)} = {-1.3132617, -0.3132617}.
  for (const char* type : {"Softmax", "LogSoftmax"}) {
    OnnxBuilder b(13);
    b.input("x", {2}).output("y");
    b.node(type, {"x"}, {"y"});
    Tensor y = run(b, Tensor::from_floats({2}, {1000, 1001}));
    if (std::string(type) == "Softmax") expect_values(y, {2}, {0.26894142f, 0.73105858f});
    else expect_values(y, {2}, {-1.3132617f, -0.3132617f}, 1e-5);
  }
}

TEST(NormalizationOps, SoftmaxRejectsAnAxisOutOfRange) {
  OnnxBuilder b(13);
  b.input("x", {1, 2, 2}).output("y");
  attr(b.node("Softmax", {"x"}, {"y"}, "sm"), "axis", int64_t{3});
  EXPECT_NE(import_error(b).find("node 'sm' (Softmax): axis 3 is out of range for rank 3"), std::string::npos)
      << import_error(b);
}

TEST(NormalizationOps, TraitsSayWhichAxesAreIndependent) {
  ir::Graph g;
  ir::Variable* x = g.add_variable("x", DType::Float32, {2, 3, 4});
  EXPECT_EQ(ops::traits_of(*g.add_operator("Softmax", "s", {{"axis", 1}}, {x})).tensorwise, (std::vector<int>{0, 2}));
  EXPECT_EQ(ops::traits_of(*g.add_operator("LRN", "l", params::Lrn{3}.to_json(), {x})).tensorwise, (std::vector<int>{0, 2}));
  ir::Variable* c = g.add_constant("c", Tensor::from_floats({3}, {1, 1, 1}));
  auto* bn = g.add_operator("BatchNormalization", "bn", {{"epsilon", 1e-5}}, {x, c, c, c, c});
  EXPECT_EQ(ops::traits_of(*bn).tensorwise, (std::vector<int>{0, 1, 2}));
  ir::Variable* s = g.add_constant("s", Tensor::from_floats({4}, {1, 1, 1, 1}));
  auto* ln = g.add_operator("LayerNormalization", "ln", {{"axis", 2}, {"epsilon", 1e-5}}, {x, s});
  EXPECT_EQ(ops::traits_of(*ln).tensorwise, (std::vector<int>{0, 1}));
}

}  // namespace
}  // namespace webdnn
