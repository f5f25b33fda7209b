// Concat, Split, Slice, Gather, GatherElements, Pad, Tile, DepthToSpace and Range through the
// ONNX handlers and the reference kernels. Expected values are worked out by hand from the ONNX
// spec; each says how.
#include <gtest/gtest.h>

#include <limits>

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
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Tensor ints(const Shape& shape, const Ints& v) { return Tensor::from_ints(shape, v); }
Tensor floats(const Shape& shape, const Floats& v) { return Tensor::from_floats(shape, v); }

std::map<std::string, Tensor> run(const OnnxBuilder& b, const std::map<std::string, Tensor>& inputs = {}) {
  auto g = b.import();
  return ops::evaluate_graph(*g, inputs);
}

using testing::import_error;

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

const ir::Operator* find_op(const ir::Graph& g, const std::string& type) {
  for (const ir::Operator* op : g.topological_order())
    if (op->type == type) return op;
  return nullptr;
}

TEST(TensorOpsConcat, JoinsAlongNegativeAxis) {
  OnnxBuilder b;
  b.input("x", {2, 2}).initializer("c", floats({2, 1}, {5, 6})).output("y");
  attr(b.node("Concat", {"x", "c"}, {"y"}), "axis", int64_t{-1});
  auto y = run(b, {{"x", floats({2, 2}, {1, 2, 3, 4})}}).at("y");
  // Each row of x followed by the row of c: [[1,2,5],[3,4,6]].
  EXPECT_EQ(y.shape, (Shape{2, 3}));
  EXPECT_EQ(y.to_floats(), (Floats{1, 2, 5, 3, 4, 6}));
}

TEST(TensorOpsConcat, FoldsInt64ShapeTensorsIncludingAnEmptyOne) {
  OnnxBuilder b;
  b.initializer("a", ints({2}, {1, 2})).initializer("e", ints({0}, {})).initializer("c", ints({1}, {3})).output("y");
  attr(b.node("Concat", {"a", "e", "c"}, {"y"}), "axis", int64_t{0});
  auto y = run(b).at("y");
  EXPECT_EQ(y.dtype, DType::Int64);
  EXPECT_EQ(y.to_ints(), (Ints{1, 2, 3}));
}

TEST(TensorOpsConcat, TensorwiseAlongEveryAxisButItsOwn) {
  OnnxBuilder b;
  b.input("x", {1, 2, 3}).input("z", {1, 4, 3}).output("y");
  attr(b.node("Concat", {"x", "z"}, {"y"}), "axis", int64_t{1});
  auto g = b.import();
  EXPECT_EQ(ops::traits_of(*find_op(*g, "Concat")).tensorwise, (std::vector<int>{0, 2}));
}

TEST(TensorOpsConcat, MismatchedShapesAreRejected) {
  OnnxBuilder b;
  b.input("x", {2, 2}).input("z", {3, 1}).output("y");
  attr(b.node("Concat", {"x", "z"}, {"y"}), "axis", int64_t{1});
  std::string e = import_error(b);
  EXPECT_CONTAINS(e, "input 'z' [3,1] differs from 'x' [2,2] on axis 0");
}

TEST(TensorOpsSplit, SplitAttributeBeforeOpset13) {
  OnnxBuilder b(11);
  b.input("x", {2, 3}).output("a").output("c");
  auto& n = b.node("Split", {"x"}, {"a", "c"});
  attr(n, "axis", int64_t{1});
  attr(n, "split", Ints{1, 2});
  auto r = run(b, {{"x", floats({2, 3}, {1, 2, 3, 4, 5, 6})}});
  // Column 0 of [[1,2,3],[4,5,6]], then columns 1..2.
  EXPECT_EQ(r.at("a").shape, (Shape{2, 1}));
  EXPECT_EQ(r.at("a").to_floats(), (Floats{1, 4}));
  EXPECT_EQ(r.at("c").to_floats(), (Floats{2, 3, 5, 6}));
}

TEST(TensorOpsSplit, SplitInputFromOpset13AndEqualPartsWithout) {
  OnnxBuilder b(13);
  b.input("x", {4}).initializer("s", ints({2}, {3, 1})).output("a").output("c").output("d").output("f");
  b.node("Split", {"x", "s"}, {"a", "c"});
  b.node("Split", {"x"}, {"d", "f"});  // no split: two equal halves
  auto r = run(b, {{"x", floats({4}, {1, 2, 3, 4})}});
  EXPECT_EQ(r.at("a").to_floats(), (Floats{1, 2, 3}));
  EXPECT_EQ(r.at("c").to_floats(), (Floats{4}));
  EXPECT_EQ(r.at("d").to_floats(), (Floats{1, 2}));
  EXPECT_EQ(r.at("f").to_floats(), (Floats{3, 4}));
}

TEST(TensorOpsSplit, NumOutputsInOpset18MakesTheLastPartSmaller) {
  OnnxBuilder b(18);
  b.input("x", {7}).output("a").output("c").output("d");
  attr(b.node("Split", {"x"}, {"a", "c", "d"}), "num_outputs", int64_t{3});
  auto r = run(b, {{"x", floats({7}, {0, 1, 2, 3, 4, 5, 6})}});
  // ceil(7 / 3) = 3 per part: 3, 3, then the remaining 1.
  EXPECT_EQ(r.at("a").to_floats(), (Floats{0, 1, 2}));
  EXPECT_EQ(r.at("c").to_floats(), (Floats{3, 4, 5}));
  EXPECT_EQ(r.at("d").to_floats(), (Floats{6}));
}

TEST(TensorOpsSplit, UnevenSplitsAreRejected) {
  OnnxBuilder b(13);
  b.input("x", {3}).initializer("s", ints({2}, {1, 1})).output("a").output("c");
  b.node("Split", {"x", "s"}, {"a", "c"});
  EXPECT_CONTAINS(import_error(b), "split [1,1] adds up to 2, but axis 0 of [3] has 3");
  OnnxBuilder e(13);
  e.input("x", {3}).output("a").output("c");
  e.node("Split", {"x"}, {"a", "c"});
  EXPECT_CONTAINS(import_error(e), "cannot split an axis of size 3 into 2 equal outputs");
}

TEST(TensorOpsSlice, AttributesBeforeOpset10) {
  OnnxBuilder b(9);
  b.input("x", {3, 4}).output("y");
  auto& n = b.node("Slice", {"x"}, {"y"});
  attr(n, "starts", Ints{1, 0});
  attr(n, "ends", Ints{kMax, 3});
  attr(n, "axes", Ints{0, 1});
  Floats x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  auto y = run(b, {{"x", floats({3, 4}, x)}}).at("y");
  // Rows 1..2 (end clamped to 3), columns 0..2 of the 3x4 matrix 0..11.
  EXPECT_EQ(y.shape, (Shape{2, 3}));
  EXPECT_EQ(y.to_floats(), (Floats{4, 5, 6, 8, 9, 10}));
}

TEST(TensorOpsSlice, NegativeStepFromTheEndIsNormalizedPerAxis) {
  OnnxBuilder b(13);
  b.input("x", {2, 6})
      .initializer("s", ints({1}, {-1}))
      .initializer("e", ints({1}, {kMin}))
      .initializer("a", ints({1}, {-1}))
      .initializer("k", ints({1}, {-2}))
      .output("y");
  b.node("Slice", {"x", "s", "e", "a", "k"}, {"y"});
  auto g = b.import();
  // Axis 1: start -1 -> 5, end INT64_MIN clamped to -1 (through index 0); axis 0 untouched.
  const ir::Operator* op = find_op(*g, "Slice");
  ASSERT_TRUE(op);
  params::Slice p = params::Slice::parse(op->params);
  EXPECT_EQ(params::numbers_of(p.starts, "starts"), (Ints{0, 5}));
  EXPECT_EQ(params::numbers_of(p.ends, "ends"), (Ints{2, -1}));
  EXPECT_EQ(p.steps, (Ints{1, -2}));
  EXPECT_EQ(ops::traits_of(*op).tensorwise, (std::vector<int>{0}));
  auto y = ops::evaluate_graph(*g, {{"x", floats({2, 6}, {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15})}}).at("y");
  // Columns 5, 3, 1 of each row.
  EXPECT_EQ(y.shape, (Shape{2, 3}));
  EXPECT_EQ(y.to_floats(), (Floats{5, 3, 1, 15, 13, 11}));
}

TEST(TensorOpsSlice, OutOfRangeStartsAndEndsAreClamped) {
  OnnxBuilder b(13);
  b.input("x", {2, 3}).initializer("s", ints({1}, {-100})).initializer("e", ints({1}, {100})).output("y");
  b.node("Slice", {"x", "s", "e"}, {"y"});
  auto g = b.import();
  const ir::Operator* op = find_op(*g, "Slice");
  ASSERT_TRUE(op);
  params::Slice p = params::Slice::parse(op->params);
  EXPECT_EQ(params::numbers_of(p.starts, "starts"), (Ints{0, 0}));
  EXPECT_EQ(params::numbers_of(p.ends, "ends"), (Ints{2, 3}));
  EXPECT_EQ(op->output()->shape, (Shape{2, 3}));
}

TEST(TensorOpsSlice, FoldsInt64ShapeTensors) {
  OnnxBuilder b(13);
  b.initializer("x", ints({4}, {10, 20, 30, 40}))
      .initializer("s", ints({1}, {1}))
      .initializer("e", ints({1}, {-1}))
      .output("y");
  b.node("Slice", {"x", "s", "e"}, {"y"});
  auto y = run(b).at("y");
  // Indices 1 and 2 (end -1 is index 3, exclusive).
  EXPECT_EQ(y.dtype, DType::Int64);
  EXPECT_EQ(y.to_ints(), (Ints{20, 30}));
}

TEST(TensorOpsSlice, ZeroStepAndRepeatedAxesAreRejected) {
  OnnxBuilder b(13);
  b.input("x", {4})
      .initializer("s", ints({1}, {0}))
      .initializer("e", ints({1}, {4}))
      .initializer("a", ints({1}, {0}))
      .initializer("k", ints({1}, {0}))
      .output("y");
  b.node("Slice", {"x", "s", "e", "a", "k"}, {"y"});
  EXPECT_CONTAINS(import_error(b), "the step of axis 0 is 0");
  OnnxBuilder r(13);
  r.input("x", {4}).initializer("s", ints({2}, {0, 1})).initializer("e", ints({2}, {4, 4}));
  r.initializer("a", ints({2}, {0, -1})).output("y");
  r.node("Slice", {"x", "s", "e", "a"}, {"y"});
  EXPECT_CONTAINS(import_error(r), "axis -1 is sliced twice");
}

TEST(TensorOpsGather, RuntimeIndicesWithANegativeOneAlongAxis1) {
  OnnxBuilder b;
  b.input("x", {2, 3}).input("i", {2}, onnx::TensorProto::INT64).output("y");
  attr(b.node("Gather", {"x", "i"}, {"y"}), "axis", int64_t{1});
  auto y = run(b, {{"x", floats({2, 3}, {1, 2, 3, 4, 5, 6})}, {"i", ints({2}, {2, -3})}}).at("y");
  // Columns 2 and -3 (= 0) of [[1,2,3],[4,5,6]].
  EXPECT_EQ(y.shape, (Shape{2, 2}));
  EXPECT_EQ(y.to_floats(), (Floats{3, 1, 6, 4}));
}

TEST(TensorOpsGather, ScalarIndexFoldsAShapeElement) {
  OnnxBuilder b;
  b.initializer("x", ints({3}, {5, 6, 7})).initializer("i", ints({}, {1})).output("y");
  b.node("Gather", {"x", "i"}, {"y"});
  auto y = run(b).at("y");
  // A scalar index drops the axis: element 1 as a scalar.
  EXPECT_EQ(y.shape, Shape{});
  EXPECT_EQ(y.dtype, DType::Int64);
  EXPECT_EQ(y.to_ints(), (Ints{6}));
}

TEST(TensorOpsGather, MatrixOfConstantIndices) {
  OnnxBuilder b;
  b.input("x", {3}).initializer("i", ints({2, 2}, {0, 2, 1, 1})).output("y");
  b.node("Gather", {"x", "i"}, {"y"});
  auto y = run(b, {{"x", floats({3}, {10, 20, 30})}}).at("y");
  EXPECT_EQ(y.shape, (Shape{2, 2}));
  EXPECT_EQ(y.to_floats(), (Floats{10, 30, 20, 20}));
}

TEST(TensorOpsGather, ConstantIndexOutOfRangeIsRejected) {
  OnnxBuilder b;
  b.input("x", {3}).initializer("i", ints({1}, {3})).output("y");
  b.node("Gather", {"x", "i"}, {"y"});
  EXPECT_CONTAINS(import_error(b), "index 3 is out of range for an axis of size 3");
}

TEST(TensorOpsGatherElements, PicksOneElementPerIndexAlongAxis1) {
  OnnxBuilder b;
  b.input("x", {2, 2}).initializer("i", ints({2, 2}, {0, -2, 1, 0})).output("y");
  attr(b.node("GatherElements", {"x", "i"}, {"y"}), "axis", int64_t{1});
  auto y = run(b, {{"x", floats({2, 2}, {1, 2, 3, 4})}}).at("y");
  // y[r][c] = x[r][i[r][c]]: row 0 -> x[0][0], x[0][0]; row 1 -> x[1][1], x[1][0].
  EXPECT_EQ(y.to_floats(), (Floats{1, 1, 4, 3}));
}

TEST(TensorOpsGatherElements, AlongAxis0WithRuntimeIndices) {
  OnnxBuilder b;
  b.input("x", {3, 3}).input("i", {2, 3}, onnx::TensorProto::INT64).output("y");
  b.node("GatherElements", {"x", "i"}, {"y"});
  auto y =
      run(b, {{"x", floats({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})}, {"i", ints({2, 3}, {1, 2, 0, 2, 0, 0})}}).at("y");
  // y[r][c] = x[i[r][c]][c]: [[x10,x21,x02],[x20,x01,x02]] = [[4,8,3],[7,2,3]].
  EXPECT_EQ(y.to_floats(), (Floats{4, 8, 3, 7, 2, 3}));
}

TEST(TensorOpsGatherElements, RankMismatchIsRejected) {
  OnnxBuilder b;
  b.input("x", {2, 2}).initializer("i", ints({2}, {0, 1})).output("y");
  b.node("GatherElements", {"x", "i"}, {"y"});
  EXPECT_CONTAINS(import_error(b), "indices [2] must have the rank of data [2,2]");
}

TEST(TensorOpsPad, ConstantAttributesBeforeOpset11) {
  OnnxBuilder b(10);
  b.input("x", {2, 2}).output("y");
  auto& n = b.node("Pad", {"x"}, {"y"});
  attr(n, "pads", Ints{0, 1, 1, 0});
  attr(n, "value", 9.0f);
  auto y = run(b, {{"x", floats({2, 2}, {1, 2, 3, 4})}}).at("y");
  // One column of 9 before axis 1, one row of 9 after axis 0.
  EXPECT_EQ(y.shape, (Shape{3, 3}));
  EXPECT_EQ(y.to_floats(), (Floats{9, 1, 2, 9, 3, 4, 9, 9, 9}));
}

TEST(TensorOpsPad, ReflectEdgeAndWrapModes) {
  auto pad = [](const char* mode, const Shape& shape, const Floats& x, const Ints& pads) {
    OnnxBuilder b(19);
    b.input("x", shape).initializer("p", ints({static_cast<int64_t>(pads.size())}, pads)).output("y");
    attr(b.node("Pad", {"x", "p"}, {"y"}), "mode", std::string(mode));
    return run(b, {{"x", floats(shape, x)}}).at("y").to_floats();
  };
  // reflect mirrors without repeating the border: 3 2 | 1 2 3 4 | 3 2 1.
  EXPECT_EQ(pad("reflect", {1, 4}, {1, 2, 3, 4}, {0, 2, 0, 3}), (Floats{3, 2, 1, 2, 3, 4, 3, 2, 1}));
  // edge repeats the border: 1 1 | 1 2 3 | 3.
  EXPECT_EQ(pad("edge", {3}, {1, 2, 3}, {2, 1}), (Floats{1, 1, 1, 2, 3, 3}));
  // wrap continues from the other side: 2 3 | 1 2 3 | 1.
  EXPECT_EQ(pad("wrap", {3}, {1, 2, 3}, {2, 1}), (Floats{2, 3, 1, 2, 3, 1}));
  // A negative pad crops: drop the first element, add one zero at the end.
  EXPECT_EQ(pad("constant", {4}, {1, 2, 3, 4}, {-1, 1}), (Floats{2, 3, 4, 0}));
  // Cropping comes first: wrap then continues from the kept 2 3 4.
  EXPECT_EQ(pad("wrap", {4}, {1, 2, 3, 4}, {-1, 2}), (Floats{2, 3, 4, 2, 3}));
}

TEST(TensorOpsPad, ConstantValueInputAndAxesInput) {
  OnnxBuilder b(18);
  b.input("x", {2, 2})
      .initializer("p", ints({2}, {1, 1}))
      .initializer("v", floats({}, {7.5f}))
      .initializer("a", ints({1}, {-1}))
      .output("y");
  b.node("Pad", {"x", "p", "v", "a"}, {"y"});
  auto y = run(b, {{"x", floats({2, 2}, {1, 2, 3, 4})}}).at("y");
  // Only the last axis is padded, one 7.5 on each side of every row.
  EXPECT_EQ(y.shape, (Shape{2, 4}));
  EXPECT_EQ(y.to_floats(), (Floats{7.5f, 1, 2, 7.5f, 7.5f, 3, 4, 7.5f}));
}

TEST(TensorOpsPad, WrongNumberOfPadsIsRejected) {
  OnnxBuilder b(13);
  b.input("x", {2, 2}).initializer("p", ints({2}, {1, 1})).output("y");
  b.node("Pad", {"x", "p"}, {"y"});
  EXPECT_CONTAINS(import_error(b), "pads [1,1] must hold 4 values");
}

TEST(TensorOpsTile, RepeatsEveryAxis) {
  OnnxBuilder b;
  b.input("x", {2, 2}).initializer("r", ints({2}, {2, 2})).output("y");
  b.node("Tile", {"x", "r"}, {"y"});
  auto y = run(b, {{"x", floats({2, 2}, {1, 2, 3, 4})}}).at("y");
  // [[1,2],[3,4]] twice across and twice down.
  EXPECT_EQ(y.shape, (Shape{4, 4}));
  EXPECT_EQ(y.to_floats(), (Floats{1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4}));
}

TEST(TensorOpsTile, RuntimeRepeatsAreRejected) {
  OnnxBuilder b;
  b.input("x", {2}).input("r", {1}, onnx::TensorProto::INT64).output("y");
  b.node("Tile", {"x", "r"}, {"y"});
  EXPECT_CONTAINS(import_error(b), "input 1 (repeats, 'r') must be computable at convert time");
}

TEST(TensorOpsDepthToSpace, DcrAndCrdOrderTheChannelsDifferently) {
  auto d2s = [](int64_t opset, const char* mode) {
    OnnxBuilder b(opset);
    b.input("x", {1, 8, 1, 1}).output("y");
    auto& n = b.node("DepthToSpace", {"x"}, {"y"});
    attr(n, "blocksize", int64_t{2});
    if (mode) attr(n, "mode", std::string(mode));
    auto y = run(b, {{"x", floats({1, 8, 1, 1}, {0, 1, 2, 3, 4, 5, 6, 7})}}).at("y");
    EXPECT_EQ(y.shape, (Shape{1, 2, 2, 2}));
    return y.to_floats();
  };
  // DCR: channel (bh * 2 + bw) * 2 + c goes to pixel (bh, bw) of output channel c.
  EXPECT_EQ(d2s(13, "DCR"), (Floats{0, 2, 4, 6, 1, 3, 5, 7}));
  EXPECT_EQ(d2s(9, nullptr), (Floats{0, 2, 4, 6, 1, 3, 5, 7}));
  // CRD: channel c * 4 + bh * 2 + bw.
  EXPECT_EQ(d2s(13, "CRD"), (Floats{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(TensorOpsDepthToSpace, ChannelsMustDivideByTheBlockSquared) {
  OnnxBuilder b;
  b.input("x", {1, 3, 1, 1}).output("y");
  attr(b.node("DepthToSpace", {"x"}, {"y"}), "blocksize", int64_t{2});
  EXPECT_CONTAINS(import_error(b), "channels 3 are not a multiple of blocksize 2 squared");
}

TEST(TensorOpsRange, ConstantInputsBecomeAConstant) {
  auto range = [](const Tensor& s, const Tensor& l, const Tensor& d) {
    OnnxBuilder b(11);
    b.initializer("s", s).initializer("l", l).initializer("d", d).output("y");
    b.node("Range", {"s", "l", "d"}, {"y"});
    return run(b).at("y");
  };
  // 1, 4, 7 (10 is the exclusive limit).
  auto a = range(ints({}, {1}), ints({}, {10}), ints({}, {3}));
  EXPECT_EQ(a.dtype, DType::Int64);
  EXPECT_EQ(a.to_ints(), (Ints{1, 4, 7}));
  EXPECT_EQ(range(ints({}, {5}), ints({}, {0}), ints({}, {-2})).to_ints(), (Ints{5, 3, 1}));
  EXPECT_EQ(range(ints({}, {5}), ints({}, {5}), ints({}, {1})).size(), 0);
  auto f = range(floats({}, {0}), floats({}, {1}), floats({}, {0.25f}));
  EXPECT_EQ(f.to_floats(), (Floats{0, 0.25f, 0.5f, 0.75f}));
}

TEST(TensorOpsRange, RuntimeInputsAreRejected) {
  OnnxBuilder b(11);
  b.input("s", {}).initializer("l", floats({}, {4})).initializer("d", floats({}, {1})).output("y");
  b.node("Range", {"s", "l", "d"}, {"y"});
  EXPECT_CONTAINS(import_error(b), "input 0 (start, 's') must follow from the model's input shapes");
}

}  // namespace
}  // namespace webdnn
