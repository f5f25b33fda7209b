// Importing models with free dimensions: symbols from the inputs' dim_params, shape computations
// (Shape -> Gather -> Concat -> Reshape, Range over a length) evaluated on dims at import, and
// the ranges --dim gives.
#include <gtest/gtest.h>

#include "tests/unit/support/onnx_builder.h"
#include "webdnn/params.h"

namespace webdnn {
namespace {

using testing::OnnxBuilder;

int count(const ir::Graph& g, const std::string& type) {
  int n = 0;
  for (const ir::Operator* op : g.topological_order()) n += op->type == type;
  return n;
}

// x [N0, N1, 4] reshaped to [N0, N1, 2, 2] through its own Shape, and positions = Range(0, N1).
OnnxBuilder reshape_by_shape() {
  OnnxBuilder b(17);
  b.input("x", {-1, -1, 4}).output("y").output("positions");
  b.initializer("i0", Tensor::from_ints({}, {0}));
  b.initializer("i1", Tensor::from_ints({}, {1}));
  b.initializer("axes", Tensor::from_ints({1}, {0}));
  b.initializer("two", Tensor::from_ints({2}, {2, 2}));
  b.initializer("zero", Tensor::from_ints({}, {0}));
  b.initializer("one", Tensor::from_ints({}, {1}));
  b.node("Shape", {"x"}, {"s"});
  b.node("Gather", {"s", "i0"}, {"n0"});
  b.node("Gather", {"s", "i1"}, {"n1"});
  b.node("Unsqueeze", {"n0", "axes"}, {"u0"});
  b.node("Unsqueeze", {"n1", "axes"}, {"u1"});
  testing::attr(b.node("Concat", {"u0", "u1", "two"}, {"target"}), "axis", int64_t{0});
  b.node("Reshape", {"x", "target"}, {"y"});
  b.node("Range", {"zero", "n1", "one"}, {"positions"});
  return b;
}

TEST(OnnxFreeDims, ShapeComputationsBecomeDimsOfTheInputsSymbols) {
  auto g = reshape_by_shape().import();
  ASSERT_EQ(g->symbols.size(), 2u);
  EXPECT_EQ(g->symbols.at("N0").hint, 37);
  EXPECT_EQ(g->symbols.at("N1").hint, 39);
  EXPECT_EQ(shape_to_string(g->outputs[0]->dims), "[N0,N1,2,2]");
  EXPECT_EQ(shape_to_string(g->outputs[1]->dims), "[N1]");
  // The Shape -> Gather -> Concat chain is folded into the Reshape's parameters; nothing of it
  // runs. Range over N1 stays, as an operator without inputs.
  EXPECT_EQ(count(*g, "Shape") + count(*g, "Gather") + count(*g, "Concat") + count(*g, "DimValues"), 0);
  EXPECT_EQ(count(*g, "Range"), 1);
  ir::DimScope scope(*g);
  for (const ir::Operator* op : g->topological_order()) {
    if (op->type == "Reshape") {
      EXPECT_EQ(shape_to_string(params::Reshape::parse(op->params).shape), "[N0,N1,2,2]");
    }
  }
  EXPECT_TRUE(g->guards.empty());
}

TEST(OnnxFreeDims, RangesFromDimOptions) {
  onnx_frontend::ImportOptions options;
  options.dim_ranges["N1"] = {2, 8};
  options.dim_ranges["N0"] = {1, 1};  // one value: pinned
  auto g = reshape_by_shape().import(options);
  EXPECT_EQ(g->symbols.count("N0"), 0u);
  EXPECT_EQ(g->symbols.at("N1").min, 2);
  EXPECT_EQ(g->symbols.at("N1").max, 8);
  EXPECT_EQ(g->symbols.at("N1").hint, 8);  // the sample, clamped into the range
  EXPECT_EQ(shape_to_string(g->outputs[0]->dims), "[1,N1,2,2]");
}

TEST(OnnxFreeDims, AValueThatDependsOnDataIsRefusedWhereASizeIsNeeded) {
  OnnxBuilder b(17);
  b.input("x", {2, 4}).input("shape", {2}, onnx::TensorProto::INT64).output("y");
  b.node("Reshape", {"x", "shape"}, {"y"}, "r");
  std::string e = testing::import_error(b);
  EXPECT_NE(e.find("node 'r' (Reshape): input 1 (shape, 'shape') must follow from the model's input shapes"),
            std::string::npos)
      << e;
}

}  // namespace
}  // namespace webdnn
