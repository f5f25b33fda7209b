// layout_selection and split_oversized.
#include <gtest/gtest.h>

#include <algorithm>

#include "src/optimizer/layout.h"
#include "src/optimizer/rules/rules.h"
#include "tests/unit/support/graph_builder.h"
#include "tests/unit/support/rules.h"

namespace webdnn {
namespace {

using testing::apply_pass;
using testing::apply_rule;
using testing::expect_same_outputs;
using testing::GraphBuilder;
using testing::op_types;
using optimizer::Order;

const Order kNHWC = {0, 2, 3, 1};

// Channels-last for Conv and MaxPool images, HWIO for Conv weights, row-major for Reshape.
optimizer::LayoutRequest policy(const ir::Operator& op) {
  optimizer::LayoutRequest r;
  if (op.type == "Conv") r.inputs = {kNHWC, Order{2, 3, 1, 0}};
  if (op.type == "Conv" || op.type == "MaxPool") {
    r.inputs.resize(std::max<size_t>(r.inputs.size(), 1));
    r.inputs[0] = kNHWC;
    r.outputs = {kNHWC};
  }
  if (op.type == "Reshape") r.inputs = {optimizer::row_major(op.inputs[0]->rank())};
  return r;
}

size_t count(const std::vector<std::string>& types, const std::string& t) {
  return static_cast<size_t>(std::count(types.begin(), types.end(), t));
}

TEST(LayoutSelection, ConvertsOnlyWhereKernelsDisagree) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 2, 4, 4});
  ir::Variable* w = b.constant("w", {3, 2, 3, 3});
  ir::Variable* v = b.op("Relu", {b.op("Conv", {x, w}, {{"pads", Shape{1, 1, 1, 1}}})});
  v = b.op("MaxPool", {v}, {{"kernel_shape", Shape{2, 2}}, {"strides", Shape{2, 2}}});
  b.output(b.op("Reshape", {v}, {{"shape", Shape{1, 12}}}));
  b.output(b.op("Neg", {b.op("Conv", {x, w})}));  // a channels-last result that is a graph output
  auto before = b.copy();
  apply_pass(b.graph, optimizer::layout_selection(policy));
  auto types = op_types(b.graph);
  // x converted once for both convs, the pooled image once for Reshape, the Neg result back.
  EXPECT_EQ(count(types, "Relayout"), 3u) << ::testing::PrintToString(types);
  for (const ir::Operator* op : b.graph.topological_order()) {
    if (op->type == "Relu") {
      EXPECT_EQ(op->outputs[0]->order, kNHWC);
    }
    if (op->type == "Conv") {
      EXPECT_EQ(op->inputs[1]->order, (Order{2, 3, 1, 0}));  // weights rewritten offline
    }
  }
  for (const ir::Variable* out : b.graph.outputs) EXPECT_TRUE(out->has_default_order()) << out->name;
  EXPECT_EQ(b.graph.outputs[1]->name, before->outputs[1]->name);
  expect_same_outputs(*before, b.graph);
}

TEST(LayoutSelection, SizeOneAxesNeedNoConversion) {
  // [1,C,1,1] is the same memory in NCHW and NHWC: global pooling then Reshape converts nothing.
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 3, 2, 2});
  ir::Variable* p = b.op("MaxPool", {x}, {{"kernel_shape", Shape{2, 2}}});
  b.output(b.op("Reshape", {p}, {{"shape", Shape{1, 3}}}));
  apply_pass(b.graph, optimizer::layout_selection(policy));
  EXPECT_EQ(count(op_types(b.graph), "Relayout"), 1u);  // only x, into channels-last
}

TEST(SplitOversized, CutsAWeightTooBigToBind) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 64});
  b.output(b.op("Gemm", {x, b.constant("w", {32, 64}), b.constant("c", {32})}, {{"transB", 1}}));  // w: 8 KiB
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, optimizer::rules::split_oversized(3000)), 1);
  auto types = op_types(b.graph);
  EXPECT_EQ(count(types, "Gemm"), 3u);
  EXPECT_EQ(types.back(), "Concat");
  for (const ir::Variable* v : b.graph.variables()) EXPECT_LE(v->bytes(), 3000) << v->name;
  expect_same_outputs(*before, b.graph);
}

TEST(SplitOversized, CutsRuntimeInputsOfElementwiseOperators) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {64, 64});
  b.output(b.op("Add", {x, b.input("y", {64, 64})}));  // 16 KiB each
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, optimizer::rules::split_oversized(10000)), 1);
  EXPECT_EQ(count(op_types(b.graph), "Slice"), 4u);
  expect_same_outputs(*before, b.graph);
}

TEST(SplitOversized, LeavesWhatCannotBeCut) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 4096});
  b.output(b.op("Softmax", {x}, {{"axis", 1}}));  // every piece would need the whole row
  b.output(b.op("Relu", {b.input("small", {4})}));
  EXPECT_EQ(apply_rule(b.graph, optimizer::rules::split_oversized(1000)), 0);
}

}  // namespace
}  // namespace webdnn
