// constant_folding, remove_identity, merge_transposes, merge_reshapes: what they rewrite, that the
// numbers stay, and what they leave alone.
#include <gtest/gtest.h>

#include "src/optimizer/rules/rules.h"
#include "tests/unit/support/graph_builder.h"
#include "tests/unit/support/rules.h"

namespace webdnn {
namespace {

using testing::apply_rule;
using testing::expect_same_outputs;
using testing::GraphBuilder;
using testing::op_types;
namespace rules = optimizer::rules;

TEST(ConstantFolding, ComputesConstantSubgraphs) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {3});
  ir::Variable* k = b.op("Add", {b.constant("a", {3}, {1, 2, 3}), b.constant("c", {3}, {10, 20, 30})});
  b.output(b.op("Mul", {x, b.op("Neg", {k})}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::constant_folding()), 2);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Mul"}));
  EXPECT_EQ(b.graph.topological_order()[0]->inputs[1]->data->to_floats(), (std::vector<float>{-11, -22, -33}));
  expect_same_outputs(*before, b.graph);
}

TEST(ConstantFolding, LeavesRuntimeWorkAndConstantsThatWouldBlowUp) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {3});
  ir::Variable* big = b.op("Expand", {b.constant("one", {1}, {1})}, {{"shape", Shape{1024, 1024}}});
  b.output(b.op("Add", {x, b.constant("c", {3})}));
  b.output(big);
  EXPECT_EQ(apply_rule(b.graph, rules::constant_folding()), 0);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Expand", "Add"}));
}

TEST(RemoveIdentity, RemovesOperatorsThatChangeNothing) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 3});
  ir::Variable* v = b.op("Relu", {x});
  v = b.op("Mul", {v, b.constant("ones", {3}, {1, 1, 1})});
  v = b.op("Add", {b.constant("zero", {1}, {0}), v});  // the identity input need not come first
  v = b.op("Identity", {v});
  v = b.op("Cast", {v}, {{"to", "float32"}});
  v = b.op("Reshape", {v}, {{"shape", Shape{2, 3}}});
  v = b.op("Transpose", {v}, {{"perm", Shape{0, 1}}});
  b.output(b.op("Neg", {v}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::remove_identity()), 6);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Relu", "Neg"}));
  expect_same_outputs(*before, b.graph);
}

TEST(RemoveIdentity, KeepsLookalikes) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {3});
  b.output(b.op("Mul", {x, b.constant("two", {1}, {2})}));
  b.output(b.op("Mul", {x, b.constant("mixed", {3}, {1, 2, 1})}));      // not one value throughout
  b.output(b.op("Add", {x, b.constant("wide", {2, 3}, {0, 0, 0, 0, 0, 0})}));  // broadcasts: new shape
  b.output(b.op("Max", {x, b.constant("zero", {1}, {0})}));             // Relu
  b.output(b.op("Identity", {x}));  // output = input: nothing to forward it to
  EXPECT_EQ(apply_rule(b.graph, rules::remove_identity()), 0);
  EXPECT_EQ(b.graph.num_operators(), 5u);
}

TEST(MergeTransposes, ComposesPermutations) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 3, 4});
  ir::Variable* t = b.op("Transpose", {x}, {{"perm", Shape{1, 2, 0}}});  // [3,4,2]
  b.output(b.op("Transpose", {t}, {{"perm", Shape{2, 0, 1}}}));           // back to [2,3,4]
  b.output(b.op("Transpose", {b.op("Relu", {x})}, {{"perm", Shape{2, 1, 0}}}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::merge_transposes()), 1);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Transpose", "Relu", "Transpose"}));
  EXPECT_EQ(b.graph.topological_order()[0]->params.at("perm").get<Shape>(), (Shape{0, 1, 2}));  // what the rule wrote
  expect_same_outputs(*before, b.graph);
}

TEST(MergeReshapes, KeepsOnlyTheLastShape) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 3, 4});
  ir::Variable* r = b.op("Reshape", {x}, {{"shape", Shape{6, 4}}});
  b.output(b.op("Reshape", {r}, {{"shape", Shape{4, 6}}}));
  b.output(b.op("Reshape", {b.op("Neg", {x})}, {{"shape", Shape{24}}}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::merge_reshapes()), 1);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Reshape", "Neg", "Reshape"}));
  expect_same_outputs(*before, b.graph);
}

}  // namespace
}  // namespace webdnn
