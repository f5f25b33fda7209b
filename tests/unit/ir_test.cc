// IR invariants: links between operators and variables, the validator, ordering and pruning.
#include <gtest/gtest.h>

#include "src/ir/graph.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using ir::Graph;

// x -> Relu -> a -> Neg -> y, plus an unused Exp of x.
struct Chain {
  Graph g;
  ir::Variable* x;
  ir::Operator *relu, *neg, *dead;
  Chain() {
    x = g.add_variable("x", DType::Float32, {2, 3});
    g.inputs.push_back(x);
    relu = g.add_operator("Relu", "relu", {}, {x});
    neg = g.add_operator("Neg", "neg", {}, {relu->output()});
    dead = g.add_operator("Exp", "dead", {}, {x});
    g.outputs.push_back(neg->output());
  }
};

TEST(Ir, AddOperatorLinksAndInfers) {
  Chain c;
  EXPECT_EQ(c.relu->output()->producer, c.relu);
  EXPECT_EQ(c.x->consumers, (std::vector<ir::Operator*>{c.relu, c.dead}));
  EXPECT_EQ(c.neg->output()->shape, (Shape{2, 3}));
  EXPECT_NO_THROW(ir::validate(c.g));
}

TEST(Ir, BadOperatorIsRejectedAndLeavesNoTrace) {
  Chain c;
  ir::Variable* w = c.g.add_variable("w", DType::Float32, {4, 5});
  size_t before = c.g.num_operators(), variables = c.g.variables().size();
  EXPECT_THROW(c.g.add_operator("MatMul", "mm", {}, {c.x, w}), Error);
  EXPECT_EQ(c.g.num_operators(), before);
  EXPECT_EQ(c.g.variables().size(), variables);
  EXPECT_TRUE(w->consumers.empty());
}

TEST(Ir, ValidatorFindsACycle) {
  Chain c;
  c.g.set_input(c.relu, 0, c.neg->output());
  try {
    ir::validate(c.g);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
  }
}

TEST(Ir, ValidatorFindsAShapeThatDisagreesWithInference) {
  Chain c;
  c.neg->output()->set_shape({3, 2});
  try {
    ir::validate(c.g);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is float32[3,2] but its inputs give float32[2,3]"), std::string::npos)
        << e.what();
  }
}

TEST(Ir, ValidatorFindsAVariableProducedTwice) {
  Chain c;
  c.dead->outputs[0] = c.relu->output();  // two producers claim one variable
  EXPECT_THROW(ir::validate(c.g), Error);
}

TEST(Ir, ValidatorFindsConstantDataOfTheWrongSize) {
  Chain c;
  ir::Variable* k = c.g.add_constant("k", Tensor::from_floats({3}, {1, 2, 3}));
  c.g.add_operator("Add", "add", {}, {c.neg->output(), k});
  k->shape = {4};
  EXPECT_THROW(ir::validate(c.g), Error);
}

TEST(Ir, TopologicalOrderIsStableAndPruneDropsDeadWork) {
  Chain c;
  auto order = c.g.topological_order();
  EXPECT_EQ(order, (std::vector<ir::Operator*>{c.relu, c.neg, c.dead}));
  c.g.prune();
  EXPECT_EQ(c.g.num_operators(), 2u);
  EXPECT_EQ(c.x->consumers, (std::vector<ir::Operator*>{c.relu}));
  EXPECT_NO_THROW(ir::validate(c.g));
}

TEST(Ir, ReplaceUsesMovesConsumersAndOutputs) {
  Chain c;
  ir::Variable* y = c.neg->output();
  ir::Operator* abs = c.g.add_operator("Abs", "abs", {}, {c.relu->output()});
  c.g.replace_uses(y, abs->output());  // y had no consumers, but is the graph output
  EXPECT_EQ(c.g.outputs[0], abs->output());
  c.g.replace_uses(c.relu->output(), c.x);
  EXPECT_EQ(c.neg->inputs[0], c.x);
  EXPECT_EQ(abs->inputs[0], c.x);
  EXPECT_TRUE(c.relu->output()->consumers.empty());
}

TEST(Ir, ConstantsInAnotherOrderReadBackLogically) {
  Graph g;
  // Logical [2,3] = [[1,2,3],[4,5,6]] stored column-major (order: axis 1 outermost).
  ir::Variable* k = g.add_constant("k", Tensor::from_floats({2, 3}, {1, 4, 2, 5, 3, 6}));
  k->order = {1, 0};
  EXPECT_EQ(k->strides(), (Shape{1, 2}));
  EXPECT_EQ(k->logical_data().to_floats(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(Ir, DumpListsInputsOperatorsAndOutputs) {
  Chain c;
  std::string text = ir::dump(c.g);
  EXPECT_NE(text.find("graph: 1 inputs, 1 outputs, 3 operators"), std::string::npos) << text;
  EXPECT_NE(text.find("input  x: float32[2,3] {d0,d1}"), std::string::npos) << text;
  EXPECT_NE(text.find("%1 Neg \"neg\" (relu)"), std::string::npos) << text;
}

// A free batch and sequence flow through the operators' own shape inference as dims; `shape`
// holds their hints, and validation checks the dims, not the hints.
TEST(Ir, SymbolicDimsFlowThroughInference) {
  GuardScope scope;
  Graph g;
  Dim batch = Dim::symbol("batch", 2), sequence = Dim::symbol("sequence", 16);
  ir::Variable* x = g.add_variable("x", DType::Float32, {});
  x->set_dims({batch, sequence, 8});
  g.inputs.push_back(x);
  ir::Variable* w = g.add_constant("w", Tensor(DType::Float32, {8, 4}));
  ir::Variable* y = g.add_operator("MatMul", "mm", {}, {x, w})->output();
  ir::Variable* z = g.add_operator("Relu", "relu", {}, {y})->output();
  ir::Variable* t = g.add_operator("Transpose", "t", {{"perm", {1, 0, 2}}}, {z})->output();
  g.outputs.push_back(t);
  EXPECT_EQ(shape_to_string(t->dims), "[sequence,batch,4]");
  EXPECT_EQ(t->shape, (Shape{16, 2, 4}));
  EXPECT_FALSE(t->is_static());
  EXPECT_TRUE(w->is_static());
  EXPECT_NO_THROW(ir::validate(g));
  EXPECT_TRUE(scope.guards().empty());
  // A variable whose numbers disagree with its dims is caught.
  z->shape[0] = 3;
  EXPECT_THROW(ir::validate(g), Error);
}

}  // namespace
}  // namespace webdnn
