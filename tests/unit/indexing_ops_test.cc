// GatherND and CumSum through the ONNX handlers and the reference kernels, their parameters'
// checks and their shape inference. Expected values are worked out by hand from the ONNX spec;
// each says how.
#include <gtest/gtest.h>

#include "src/ops/evaluate.h"
#include "src/ops/schema.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn {
namespace {

using testing::attr;
using testing::import_error;
using testing::OnnxBuilder;
using Floats = std::vector<float>;
using Ints = std::vector<int64_t>;

Tensor ints(const Shape& shape, const Ints& v, DType t = DType::Int64) { return Tensor::from_ints(shape, v, t); }
Tensor floats(const Shape& shape, const Floats& v) { return Tensor::from_floats(shape, v); }
Tensor iota(const Shape& shape) {
  Floats v(num_elements(shape));
  for (size_t i = 0; i < v.size(); i++) v[i] = static_cast<float>(i);
  return floats(shape, v);
}

std::map<std::string, Tensor> run(const OnnxBuilder& b, const std::map<std::string, Tensor>& inputs = {}) {
  auto g = b.import();
  return ops::evaluate_graph(*g, inputs);
}

// The message of the error `f` throws, or "(no error)".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

const ir::Operator* find_op(const ir::Graph& g, const std::string& type) {
  for (const ir::Operator* op : g.topological_order())
    if (op->type == type) return op;
  return nullptr;
}

// GatherND

TEST(GatherNDOps, PairsOfCoordinatesPickRowsWithNegativeOnes) {
  OnnxBuilder b(13);
  b.input("x", {2, 2, 2}).initializer("i", ints({2, 2}, {0, 1, -1, 0})).output("y");
  b.node("GatherND", {"x", "i"}, {"y"});
  auto y = run(b, {{"x", iota({2, 2, 2})}}).at("y");
  // x[0,1,:] = [2,3]; x[-1,0,:] = x[1,0,:] = [4,5].
  EXPECT_EQ(y.shape, (Shape{2, 2}));
  EXPECT_EQ(y.to_floats(), (Floats{2, 3, 4, 5}));
}

TEST(GatherNDOps, BatchDimsPairEachBatchWithItsOwnTuples) {
  OnnxBuilder b(12);
  b.input("x", {2, 2, 2}).initializer("i", ints({2, 1}, {1, 1})).output("y");
  attr(b.node("GatherND", {"x", "i"}, {"y"}), "batch_dims", int64_t{1});
  auto y = run(b, {{"x", iota({2, 2, 2})}}).at("y");
  // Batch 0 takes x[0][1] = [2,3], batch 1 takes x[1][1] = [6,7].
  EXPECT_EQ(y.shape, (Shape{2, 2}));
  EXPECT_EQ(y.to_floats(), (Floats{2, 3, 6, 7}));
}

TEST(GatherNDOps, FullTuplesOfRuntimeIndicesPickInt64Elements) {
  OnnxBuilder b(11);  // GatherND-11: no batch_dims yet
  b.input("x", {2, 3}, onnx::TensorProto::INT64).input("i", {3, 2}, onnx::TensorProto::INT64).output("y");
  b.node("GatherND", {"x", "i"}, {"y"});
  auto y = run(b, {{"x", ints({2, 3}, {10, 11, 12, 13, 14, 15})}, {"i", ints({3, 2}, {0, 2, 1, -3, -1, -1})}}).at("y");
  // x[0,2] = 12, x[1,-3] = x[1,0] = 13, x[-1,-1] = x[1,2] = 15.
  EXPECT_EQ(y.dtype, DType::Int64);
  EXPECT_EQ(y.shape, (Shape{3}));
  EXPECT_EQ(y.to_ints(), (Ints{12, 13, 15}));
}

TEST(GatherNDOps, RuntimeIndexOutOfRangeIsRefusedByTheKernel) {
  OnnxBuilder b(13);
  b.input("x", {2, 3}).input("i", {1, 2}, onnx::TensorProto::INT64).output("y");
  b.node("GatherND", {"x", "i"}, {"y"});
  std::string e = error_of([&] { run(b, {{"x", iota({2, 3})}, {"i", ints({1, 2}, {1, 3})}}); });
  EXPECT_CONTAINS(e, "index 3 is out of range for an axis of size 3");
}

TEST(GatherNDOps, ConstantIndexOutOfRangeIsRejectedAtImport) {
  OnnxBuilder b(13);
  b.input("x", {2, 3}).initializer("i", ints({2, 2}, {0, 0, 1, -4})).output("y");
  b.node("GatherND", {"x", "i"}, {"y"});
  EXPECT_CONTAINS(import_error(b), "index -4 (coordinate 1 of tuple 1) is out of range for an axis of size 3");
}

TEST(GatherNDOps, ShapeErrorsNameWhatIsWrong) {
  OnnxBuilder too_long(13);
  too_long.input("x", {2, 2}).input("i", {1, 3}, onnx::TensorProto::INT64).output("y");
  too_long.node("GatherND", {"x", "i"}, {"y"});
  EXPECT_CONTAINS(import_error(too_long), "the last axis of indices [1,3] must hold 1 to 2 coordinates");

  OnnxBuilder batch(13);
  batch.input("x", {2, 3}).input("i", {3, 1}, onnx::TensorProto::INT64).output("y");
  attr(batch.node("GatherND", {"x", "i"}, {"y"}), "batch_dims", int64_t{1});
  EXPECT_CONTAINS(import_error(batch), "batch axis 0 of data [2,3] and indices [3,1] differ");

  OnnxBuilder deep(13);
  deep.input("x", {2, 3}).input("i", {2, 1}, onnx::TensorProto::INT64).output("y");
  attr(deep.node("GatherND", {"x", "i"}, {"y"}), "batch_dims", int64_t{2});
  EXPECT_CONTAINS(import_error(deep), "parameter 'batch_dims' 2 must be less than the ranks");

  OnnxBuilder negative(13);
  negative.input("x", {2, 3}).input("i", {2, 1}, onnx::TensorProto::INT64).output("y");
  attr(negative.node("GatherND", {"x", "i"}, {"y"}), "batch_dims", int64_t{-1});
  EXPECT_CONTAINS(import_error(negative), "batch_dims -1 must not be negative");

  OnnxBuilder float_indices(13);
  float_indices.input("x", {2, 3}).input("i", {2, 1}).output("y");
  float_indices.node("GatherND", {"x", "i"}, {"y"});
  EXPECT_CONTAINS(import_error(float_indices), "indices are float32; int64 or int32 is expected");
}

TEST(GatherNDOps, SignatureGivesIndexAxesThenDataSlice) {
  using params::TensorType;
  params::Types in = {TensorType(DType::Float32, {4, 5, 6, 7}), TensorType(DType::Int64, {4, 2, 3, 1})};
  // batch_dims 1: indices [4,2,3] tuples of 1 coordinate into data's axis 1, then data's [6,7].
  EXPECT_EQ(params::infer_gather_nd(params::GatherND{1}, in)[0].shape, (Shape{4, 2, 3, 6, 7}));
  EXPECT_EQ(params::infer_gather_nd(params::GatherND{0}, params::Types{TensorType(DType::Int64, {3}), TensorType(DType::Int64, {1})})[0].shape, Shape{});
  EXPECT_CONTAINS(error_of([&] { params::infer_gather_nd(params::GatherND{0}, params::Types{in[0]}); }), "1 inputs; 2 are expected");
  EXPECT_CONTAINS(error_of([&] { params::infer_gather_nd(params::GatherND{0}, params::Types{in[0], TensorType(DType::Int64, {})}); }),
                  "must both have rank 1 or more");
}

TEST(GatherNDOps, SymbolicBatchAndRowsGiveSymbolicOutputAxes) {
  GuardScope scope;
  Dim batch = Dim::symbol("batch", 2), rows = Dim::symbol("rows", 5);
  params::SymTypes in = {{DType::Float32, {batch, 7, 3}}, {DType::Int64, {batch, rows, 1}}};
  params::SymTypes y = params::infer_gather_nd(params::GatherND{1}, in);
  // [batch, rows] from the indices, then data's [3] after the one coordinate.
  ASSERT_EQ(y[0].shape.size(), 3u);
  Bindings b = {{"batch", 4}, {"rows", 9}};
  EXPECT_EQ(y[0].shape[0].evaluate(b), 4);
  EXPECT_EQ(y[0].shape[1].evaluate(b), 9);
  EXPECT_EQ(y[0].shape[2].evaluate(b), 3);
}

TEST(GatherNDOps, ParametersAreParsedStrictly) {
  EXPECT_EQ(params::GatherND::parse(Json{{"batch_dims", 2}}).batch_dims, 2);
  EXPECT_EQ(params::GatherND::parse(params::GatherND{3}.to_json()).batch_dims, 3);
  EXPECT_CONTAINS(error_of([] { params::GatherND::parse(Json::object()); }), "parameter 'batch_dims' is missing");
  EXPECT_CONTAINS(error_of([] { params::GatherND::parse(Json{{"batch_dims", -1}}); }), "it must lie in [0, 63]");
  EXPECT_CONTAINS(error_of([] { params::GatherND::parse(Json{{"batch_dims", 64}}); }), "it must lie in [0, 63]");
  EXPECT_CONTAINS(error_of([] { params::GatherND::parse(Json{{"batch_dims", 0.5}}); }), "must be an integer");
}

TEST(GatherNDOps, SplitsAlongIndexRowsBatchesAndSliceAxes) {
  OnnxBuilder b(13);
  b.input("x", {2, 3, 4, 5}).input("i", {2, 6, 1}, onnx::TensorProto::INT64).output("y");
  attr(b.node("GatherND", {"x", "i"}, {"y"}), "batch_dims", int64_t{1});
  auto g = b.import();
  // y [2,6,4,5]: axis 0 cuts both, axis 1 the indices only, axes 2 and 3 data's axes 2 and 3.
  ops::Traits t = ops::traits_of(*find_op(*g, "GatherND"));
  EXPECT_EQ(t.tensorwise, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(t.split_inputs.at(0), (std::vector<int>{0, 0}));
  EXPECT_EQ(t.split_inputs.at(1), (std::vector<int>{-1, 1}));
  EXPECT_EQ(t.split_inputs.at(2), (std::vector<int>{2, -1}));
  EXPECT_EQ(t.split_inputs.at(3), (std::vector<int>{3, -1}));
}

// CumSum

// CumSum of [[1,2,3],[4,5,6]] along its last axis (given as -1) with the two attributes.
Tensor cum_sum(int64_t exclusive, int64_t reverse) {
  OnnxBuilder b(14);
  b.input("x", {2, 3}).initializer("a", ints({}, {-1})).output("y");
  auto& n = b.node("CumSum", {"x", "a"}, {"y"});
  attr(n, "exclusive", exclusive);
  attr(n, "reverse", reverse);
  return run(b, {{"x", floats({2, 3}, {1, 2, 3, 4, 5, 6})}}).at("y");
}

TEST(CumSumOps, ExclusiveAndReverseAlongTheLastAxis) {
  // Running sums of each row: from the start, 1 1+2 1+2+3; exclusive shifts them by one
  // (0 1 1+2); reverse sums from the end (1+2+3 2+3 3); both: 2+3 3 0.
  EXPECT_EQ(cum_sum(0, 0).to_floats(), (Floats{1, 3, 6, 4, 9, 15}));
  EXPECT_EQ(cum_sum(1, 0).to_floats(), (Floats{0, 1, 3, 0, 4, 9}));
  EXPECT_EQ(cum_sum(0, 1).to_floats(), (Floats{6, 5, 3, 15, 11, 6}));
  EXPECT_EQ(cum_sum(1, 1).to_floats(), (Floats{5, 3, 0, 11, 6, 0}));
  EXPECT_EQ(cum_sum(0, 0).shape, (Shape{2, 3}));
}

TEST(CumSumOps, Int64DataAlongAxis0WithAnInt32Axis) {
  OnnxBuilder b(11);
  b.input("x", {3, 2}, onnx::TensorProto::INT64).initializer("a", ints({1}, {0}, DType::Int32)).output("y");
  b.node("CumSum", {"x", "a"}, {"y"});
  auto y = run(b, {{"x", ints({3, 2}, {1, -10, 100, 20, 1000, 3000000000})}}).at("y");
  // Columns summed down: 1, 101, 1101 and -10, 10, 3000000010 (beyond 32 bits).
  EXPECT_EQ(y.dtype, DType::Int64);
  EXPECT_EQ(y.to_ints(), (Ints{1, -10, 101, 10, 1101, 3000000010}));
}

TEST(CumSumOps, RuntimeAxisAndBadInputsAreRejected) {
  OnnxBuilder runtime_axis(14);
  runtime_axis.input("x", {2, 3}).input("a", {}, onnx::TensorProto::INT64).output("y");
  runtime_axis.node("CumSum", {"x", "a"}, {"y"});
  EXPECT_CONTAINS(import_error(runtime_axis), "input 1 (axis, 'a') must be computable at convert time");

  OnnxBuilder out_of_range(14);
  out_of_range.input("x", {2, 3}).initializer("a", ints({}, {2})).output("y");
  out_of_range.node("CumSum", {"x", "a"}, {"y"});
  EXPECT_CONTAINS(import_error(out_of_range), "axis 2 is out of range for rank 2");

  OnnxBuilder two_axes(14);
  two_axes.input("x", {2, 3}).initializer("a", ints({2}, {0, 1})).output("y");
  two_axes.node("CumSum", {"x", "a"}, {"y"});
  EXPECT_CONTAINS(import_error(two_axes), "the axis input holds 2 values; one is expected");

  OnnxBuilder boolean(14);
  boolean.input("x", {2, 3}, onnx::TensorProto::BOOL).initializer("a", ints({}, {0})).output("y");
  boolean.node("CumSum", {"x", "a"}, {"y"});
  EXPECT_CONTAINS(import_error(boolean), "the input is bool; float32, int64 or int32 is expected");
}

TEST(CumSumOps, ParametersAreParsedStrictly) {
  params::CumSum p = params::CumSum::parse(params::CumSum{2, true, false}.to_json());
  EXPECT_EQ(p.axis, 2);
  EXPECT_TRUE(p.exclusive);
  EXPECT_FALSE(p.reverse);
  Json ok = {{"axis", 1}, {"exclusive", 0}, {"reverse", 1}};
  auto without = [&](const char* key) {
    Json j = ok;
    j.erase(key);
    return error_of([&] { params::CumSum::parse(j); });
  };
  auto with = [&](const char* key, Json v) {
    Json j = ok;
    j[key] = v;
    return error_of([&] { params::CumSum::parse(j); });
  };
  EXPECT_CONTAINS(without("axis"), "parameter 'axis' is missing");
  EXPECT_CONTAINS(without("exclusive"), "parameter 'exclusive' is missing");
  EXPECT_CONTAINS(without("reverse"), "parameter 'reverse' is missing");
  EXPECT_CONTAINS(with("axis", -1), "it must lie in [0, 63]");
  EXPECT_CONTAINS(with("exclusive", 2), "parameter 'exclusive' is 2; it must lie in [0, 1]");
  EXPECT_CONTAINS(with("reverse", "yes"), "parameter 'reverse' must be an integer");
  // The axis must exist in the input.
  using params::TensorType;
  EXPECT_CONTAINS(error_of([] { params::infer_cum_sum(params::CumSum{2, false, false}, params::Types{TensorType(DType::Float32, {2, 3})}); }),
                  "parameter 'axis' 2 is out of range for rank 2");
}

TEST(CumSumOps, SplitsAlongEveryAxisButItsOwn) {
  OnnxBuilder b(14);
  b.input("x", {2, 3, 4}).initializer("a", ints({}, {1})).output("y");
  b.node("CumSum", {"x", "a"}, {"y"});
  auto g = b.import();
  ops::Traits t = ops::traits_of(*find_op(*g, "CumSum"));
  EXPECT_EQ(t.tensorwise, (std::vector<int>{0, 2}));
  EXPECT_TRUE(t.inplace.empty());
}

}  // namespace
}  // namespace webdnn
