// Reductions, ArgMax/ArgMin and TopK through the ONNX handlers, against values computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "src/ops/evaluate.h"
#include "src/ops/schema.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using testing::attr;
using testing::OnnxBuilder;

// The 2x3 matrix used throughout: rows {1,2,3} and {4,5,6}.
Tensor matrix() { return Tensor::from_floats({2, 3}, {1, 2, 3, 4, 5, 6}); }

void expect_values(const Tensor& t, const Shape& shape, const std::vector<double>& want, double tol = 1e-5) {
  EXPECT_EQ(t.shape, shape);
  ASSERT_EQ(t.size(), static_cast<int64_t>(want.size()));
  for (size_t i = 0; i < want.size(); i++)
    EXPECT_NEAR(t.as_double(static_cast<int64_t>(i)), want[i], tol) << "at " << i;
}

struct Reduce {
  std::string type;
  int64_t opset = 18;
  std::vector<int64_t> axes;  // as the attribute or the input, whichever the opset uses
  bool give_axes = true;
  int64_t keepdims = 1;
  int64_t noop = 0;
};

OnnxBuilder reduce_model(const Reduce& r, const Shape& shape, bool axes_as_input) {
  OnnxBuilder b(r.opset);
  b.input("x", shape).output("y");
  std::vector<std::string> inputs = {"x"};
  if (r.give_axes && axes_as_input) {
    b.initializer("axes", Tensor::from_ints({static_cast<int64_t>(r.axes.size())}, r.axes));
    inputs.push_back("axes");
  }
  auto& n = b.node(r.type, inputs, {"y"}, "r");
  if (r.give_axes && !axes_as_input) attr(n, "axes", r.axes);
  attr(n, "keepdims", r.keepdims);
  if (r.noop) attr(n, "noop_with_empty_axes", r.noop);
  return b;
}

Tensor run(const Reduce& r, const Tensor& x) {
  int64_t input_since = r.type == "ReduceSum" ? 13 : 18;
  auto g = reduce_model(r, x.shape, r.opset >= input_since).import();
  return ops::evaluate_graph(*g, {{"x", x}}).at("y");
}

using testing::import_error;

TEST(ReduceOps, ReduceSumAxesAttributeInOpset11AndInputInOpset13) {
  // Row sums: 1+2+3 = 6, 4+5+6 = 15.
  expect_values(run({"ReduceSum", 11, {1}, true, 0}, matrix()), {2}, {6, 15});
  expect_values(run({"ReduceSum", 13, {1}, true, 0}, matrix()), {2}, {6, 15});
  // No axes: everything, 21, kept as [1,1].
  expect_values(run({"ReduceSum", 11, {}, false}, matrix()), {1, 1}, {21});
  expect_values(run({"ReduceSum", 13, {}, false}, matrix()), {1, 1}, {21});
  // noop_with_empty_axes (since 13): nothing reduced.
  expect_values(run({"ReduceSum", 13, {}, false, 1, 1}, matrix()), {2, 3}, {1, 2, 3, 4, 5, 6});
}

TEST(ReduceOps, ReduceMeanAxesAttributeInOpset17AndInputInOpset18) {
  // Column means: (1+4)/2, (2+5)/2, (3+6)/2.
  expect_values(run({"ReduceMean", 17, {0}}, matrix()), {1, 3}, {2.5, 3.5, 4.5});
  expect_values(run({"ReduceMean", 18, {0}}, matrix()), {1, 3}, {2.5, 3.5, 4.5});
  // Negative axis, keepdims 0: row means 6/3, 15/3.
  expect_values(run({"ReduceMean", 18, {-1}, true, 0}, matrix()), {2}, {2, 5});
}

TEST(ReduceOps, MaxMinProdL2AndSumSquare) {
  expect_values(run({"ReduceMax", 13, {1}}, matrix()), {2, 1}, {3, 6});
  expect_values(run({"ReduceMin", 18, {0}, true, 0}, matrix()), {3}, {1, 2, 3});
  expect_values(run({"ReduceProd", 13, {1}, true, 0}, matrix()), {2}, {6, 120});  // 1*2*3, 4*5*6
  expect_values(run({"ReduceProd", 18, {}, false, 0}, matrix()), {}, {720});      // 6!
  // sqrt(1+4+9) = sqrt(14), sqrt(16+25+36) = sqrt(77)
  expect_values(run({"ReduceL2", 18, {1}, true, 0}, matrix()), {2}, {3.7416574, 8.7749644});
  expect_values(run({"ReduceSumSquare", 17, {1}, true, 0}, matrix()), {2}, {14, 77});
  // noop_with_empty_axes: each element reduced alone, x*x.
  expect_values(run({"ReduceSumSquare", 18, {}, false, 1, 1}, matrix()), {2, 3}, {1, 4, 9, 16, 25, 36});
}

TEST(ReduceOps, L1LogSumAndLogSumExp) {
  Tensor signs = Tensor::from_floats({2, 3}, {-1, 2, -3, 4, -5, 6});
  expect_values(run({"ReduceL1", 18, {1}, true, 0}, signs), {2}, {6, 15});
  expect_values(run({"ReduceLogSum", 18, {1}, true, 0}, matrix()), {2}, {1.7917595, 2.7080502});  // ln 6, ln 15
  // ln(e^1000 + e^1000) = 1000 + ln 2: only finite when the max is taken out first.
  Tensor large = Tensor::from_floats({2}, {1000, 1000});
  expect_values(run({"ReduceLogSumExp", 18, {0}, true, 0}, large), {}, {1000.6931472}, 1e-3);
}

TEST(ReduceOps, NonAdjacentAxesOfARank3Tensor) {
  // x[i][j][k] = 4i + 2j + k. Over axes 0 and 2, j = 0: 0+1+4+5 = 10; j = 1: 2+3+6+7 = 18.
  Tensor x = Tensor::from_floats({2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  expect_values(run({"ReduceSum", 13, {0, 2}, true, 0}, x), {2}, {10, 18});
  expect_values(run({"ReduceMax", 17, {2, 0}, true, 1}, x), {1, 2, 1}, {5, 7});
}

TEST(ReduceOps, GlobalAveragePoolImportsAsReduceMean) {
  OnnxBuilder b(13);
  b.input("x", {1, 2, 2, 2}).output("y");
  b.node("GlobalAveragePool", {"x"}, {"y"});
  auto g = b.import();
  // Channel means: (1+2+3+4)/4, (5+6+7+8)/4.
  auto y = ops::evaluate_graph(*g, {{"x", Tensor::from_floats({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})}}).at("y");
  expect_values(y, {1, 2, 1, 1}, {2.5, 6.5});
}

TEST(ReduceOps, ErrorsNameTheProblem) {
  Reduce twice{"ReduceSum", 11, {1, -1}};
  std::string e = import_error(reduce_model(twice, {2, 3}, false));
  EXPECT_NE(e.find("node 'r' (ReduceSum): axis 1 appears twice in axes"), std::string::npos) << e;

  Reduce far{"ReduceMean", 18, {2}};
  e = import_error(reduce_model(far, {2, 3}, true));
  EXPECT_NE(e.find("axis 2 is out of range for rank 2"), std::string::npos) << e;

  // Axes computed from the model's input values cannot be resolved at convert time.
  OnnxBuilder dynamic(13);
  dynamic.input("x", {2, 3}).input("axes", {1}, onnx::TensorProto::INT64).output("y");
  dynamic.node("ReduceSum", {"x", "axes"}, {"y"});
  e = import_error(dynamic);
  EXPECT_NE(e.find("must be computable at convert time"), std::string::npos) << e;

  // The IR schema itself: unsorted axes.
  ir::Graph g;
  ir::Variable* x = g.add_variable("x", DType::Float32, {2, 3});
  try {
    g.add_operator("ReduceMax", "m", {{"axes", {1, 0}}, {"keepdims", 1}}, {x});
    ADD_FAILURE() << "unsorted axes accepted";
  } catch (const Error& err) {
    EXPECT_NE(std::string(err.what()).find("axes [1,0] must be sorted and distinct"), std::string::npos) << err.what();
  }
}

TEST(ReduceOps, ReductionTraitsAreTheKeptAxes) {
  ir::Graph g;
  ir::Variable* x = g.add_variable("x", DType::Float32, {2, 3, 4});
  auto* kept = g.add_operator("ReduceSum", "a", {{"axes", {1}}, {"keepdims", 1}}, {x});
  EXPECT_EQ(ops::traits_of(*kept).tensorwise, (std::vector<int>{0, 2}));
  auto* dropped = g.add_operator("ReduceSum", "b", {{"axes", {1}}, {"keepdims", 0}}, {x});
  EXPECT_EQ(ops::traits_of(*dropped).tensorwise, (std::vector<int>{0, 1}));
  auto* arg = g.add_operator("ArgMax", "c", params::ArgReduce{0, false, false}.to_json(), {x});
  EXPECT_EQ(ops::traits_of(*arg).tensorwise, (std::vector<int>{0, 1}));
}

Tensor run_arg(const char* type, int64_t axis, int64_t keepdims, int64_t last, const Tensor& x) {
  OnnxBuilder b(13);
  b.input("x", x.shape).output("y");
  auto& n = b.node(type, {"x"}, {"y"});
  attr(n, "axis", axis);
  attr(n, "keepdims", keepdims);
  attr(n, "select_last_index", last);
  auto g = b.import();
  return ops::evaluate_graph(*g, {{"x", x}}).at("y");
}

TEST(ReduceOps, ArgMaxAndArgMinWithTies) {
  // Rows {1,5,5} and {7,2,7}: the max is at 1 (first) or 2 (last), and at 0 or 2.
  Tensor x = Tensor::from_floats({2, 3}, {1, 5, 5, 7, 2, 7});
  Tensor first = run_arg("ArgMax", 1, 1, 0, x);
  EXPECT_EQ(first.dtype, DType::Int64);
  EXPECT_EQ(first.shape, (Shape{2, 1}));
  EXPECT_EQ(first.to_ints(), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(run_arg("ArgMax", 1, 1, 1, x).to_ints(), (std::vector<int64_t>{2, 2}));
  // Columns (1,7), (5,2), (5,7): the smaller is in row 0, 1, 0.
  Tensor columns = run_arg("ArgMin", 0, 0, 0, x);
  EXPECT_EQ(columns.shape, (Shape{3}));
  EXPECT_EQ(columns.to_ints(), (std::vector<int64_t>{0, 1, 0}));
  // Rows {1,5,1} and {7,2,2}: the min is at 0 or 2, and at 1 or 2.
  Tensor ties = Tensor::from_floats({2, 3}, {1, 5, 1, 7, 2, 2});
  EXPECT_EQ(run_arg("ArgMin", -1, 0, 0, ties).to_ints(), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(run_arg("ArgMin", -1, 0, 1, ties).to_ints(), (std::vector<int64_t>{2, 2}));
}

// TopK-11 of `x` [n] with k as an input.
std::map<std::string, Tensor> top_k(const std::vector<float>& x, int64_t k, int64_t largest) {
  OnnxBuilder b(11);
  b.input("x", {static_cast<int64_t>(x.size())}).output("values").output("indices");
  b.initializer("k", Tensor::from_ints({1}, {k}));
  attr(b.node("TopK", {"x", "k"}, {"values", "indices"}, "topk"), "largest", largest);
  return ops::evaluate_graph(*b.import(), {{"x", Tensor::from_floats({static_cast<int64_t>(x.size())}, x)}});
}

TEST(TopK, OrdersByValueThenIndexWithNaNLargest) {
  auto r = top_k({3, 1, 3, 2}, 3, 1);  // the two 3s in index order, then 2
  expect_values(r.at("values"), {3}, {3, 3, 2});
  EXPECT_EQ(r.at("indices").to_ints(), (std::vector<int64_t>{0, 2, 3}));
  r = top_k({3, 1, 3, 2}, 2, 0);
  expect_values(r.at("values"), {2}, {1, 2});
  EXPECT_EQ(r.at("indices").to_ints(), (std::vector<int64_t>{1, 3}));
  r = top_k({1, std::nanf(""), 2}, 2, 1);  // NaN counts as the largest
  EXPECT_TRUE(std::isnan(r.at("values").to_floats()[0]));
  EXPECT_EQ(r.at("indices").to_ints(), (std::vector<int64_t>{1, 2}));
  r = top_k({1, std::nanf(""), 2}, 3, 0);  // and so comes last among the smallest
  EXPECT_EQ(r.at("indices").to_ints(), (std::vector<int64_t>{0, 2, 1}));
}

TEST(TopK, KBeyondTheAxisIsAnError) {
  try {
    top_k({1, 2}, 3, 1);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("k = 3 is more than the 2 elements along axis 0"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace webdnn
