// The rules that gather constants: constant_operand_to_add_mul, merge_constant_operands,
// distribute_scale_over_shift, decompose_batch_normalization, fold_channel_affine.
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

TEST(ConstantOperandToAddMul, SubtractionAndDivisionByConstants) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {3});
  ir::Variable* v = b.op("Sub", {x, b.constant("a", {3}, {1, 2, 3})});
  b.output(b.op("Div", {v, b.constant("d", {1}, {4})}));
  b.output(b.op("Sub", {b.constant("k", {1}, {1}), x}));  // constant first: not x - c
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::constant_operand_to_add_mul()), 2);
  auto ops = b.graph.topological_order();  // rewritten operators are scheduled after the others
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Sub", "Add", "Mul"}));
  EXPECT_EQ(ops[1]->inputs[1]->data->to_floats(), (std::vector<float>{-1, -2, -3}));
  EXPECT_EQ(ops[2]->inputs[1]->data->to_floats(), (std::vector<float>{0.25f}));
  expect_same_outputs(*before, b.graph);
}

TEST(MergeConstantOperands, CollapsesChainsOfOneOperator) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 3});
  ir::Variable* v = b.op("Add", {x, b.constant("a", {3})});
  v = b.op("Add", {b.constant("c", {2, 1}), v});
  v = b.op("Mul", {v, b.constant("m1", {1}, {2})});
  v = b.op("Mul", {v, b.constant("m2", {3}, {1, 2, 3})});
  b.output(b.op("Max", {b.op("Max", {v, b.constant("lo", {1}, {0})}), b.constant("lo2", {1}, {-1})}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::merge_constant_operands()), 3);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Add", "Mul", "Max"}));
  expect_same_outputs(*before, b.graph);
}

TEST(MergeConstantOperands, LeavesSharedOrMixedChains) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {3});
  ir::Variable* shared = b.op("Add", {x, b.constant("a", {3})});
  b.output(b.op("Add", {shared, b.constant("c", {3})}));
  b.output(shared);  // the inner sum is needed as it is
  b.output(b.op("Mul", {b.op("Add", {x, b.constant("d", {3})}), b.constant("m", {3})}));  // Mul of Add
  b.output(b.op("Sub", {b.op("Sub", {x, b.constant("e", {3})}), b.constant("f", {3})}));  // not commutative
  EXPECT_EQ(apply_rule(b.graph, rules::merge_constant_operands()), 0);
}

TEST(DistributeScaleOverShift, MovesTheShiftOutward) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 3});
  ir::Variable* v = b.op("Add", {x, b.constant("b", {3})});
  b.output(b.op("Mul", {v, b.constant("a", {2, 1})}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::distribute_scale_over_shift()), 1);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Mul", "Add"}));
  expect_same_outputs(*before, b.graph);
}

TEST(AffineRules, ChainCollapsesToOneScaleAndShift) {
  // ((x - 1) / 2 + 3) * 4: one Mul and one Add at the end.
  GraphBuilder b;
  ir::Variable* v = b.op("Sub", {b.input("x", {4}), b.constant("one", {1}, {1})});
  v = b.op("Div", {v, b.constant("two", {1}, {2})});
  v = b.op("Add", {v, b.constant("three", {1}, {3})});
  b.output(b.op("Mul", {v, b.constant("four", {1}, {4})}));
  auto before = b.copy();
  optimizer::RuleGroup g;
  g.name = "affine";
  g.rules.push_back(rules::constant_operand_to_add_mul());
  g.rules.push_back(rules::merge_constant_operands());
  g.rules.push_back(rules::distribute_scale_over_shift());
  g.rules.push_back(rules::constant_folding());
  optimizer::OptimizeOptions o;
  o.validate = true;
  optimizer::run_group(b.graph, g, o);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Mul", "Add"}));
  expect_same_outputs(*before, b.graph);
}

TEST(DecomposeBatchNormalization, BecomesAScaleAndAShiftPerChannel) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 2, 2, 2});
  b.output(b.op("BatchNormalization",
                {x, b.constant("s", {2}, {1, 2}), b.constant("b", {2}, {0.5, -1}), b.constant("m", {2}, {0.1, 0.2}),
                 b.constant("v", {2}, {1, 4})},
                {{"epsilon", 1e-5}}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::decompose_batch_normalization()), 1);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Mul", "Add"}));
  EXPECT_EQ(b.graph.topological_order()[0]->inputs[1]->shape, (Shape{2, 1, 1}));
  expect_same_outputs(*before, b.graph);
}

TEST(FoldChannelAffine, ScaleAndShiftDisappearIntoConvAndGemm) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 2, 4, 4});
  ir::Variable* c = b.op("Conv", {x, b.constant("w", {3, 2, 3, 3})}, {{"pads", Shape{1, 1, 1, 1}}});
  c = b.op("Mul", {c, b.constant("s", {3, 1, 1}, {2, -1, 0.5})});
  b.output(b.op("Add", {c, b.constant("t", {1, 3, 1, 1}, {1, 2, 3})}));
  ir::Variable* v = b.input("v", {2, 5});
  ir::Variable* g = b.op("Gemm", {v, b.constant("gw", {4, 5})}, {{"transB", 1}, {"beta", 2.0}});
  b.output(b.op("Add", {b.op("Mul", {g, b.constant("gs", {4}, {1, 2, 3, 4})}), b.constant("gt", {4}, {1, 1, 1, 1})}));
  b.output(b.op("Mul", {b.op("MatMul", {v, b.constant("mw", {5, 3})}), b.constant("ms", {1, 3}, {3, 2, 1})}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::fold_channel_affine()), 5);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Conv", "Gemm", "MatMul"}));
  expect_same_outputs(*before, b.graph);
}

TEST(FoldChannelAffine, LeavesWhatIsNotPerChannel) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 2, 4, 4});
  ir::Variable* c = b.op("Conv", {x, b.constant("w", {3, 2, 3, 3})});
  b.output(b.op("Mul", {c, b.constant("rows", {2, 1}, {1, 2})}));  // varies along H
  ir::Variable* shared = b.op("Conv", {x, b.constant("w2", {3, 2, 1, 1})});
  b.output(b.op("Add", {shared, b.constant("t", {3, 1, 1})}));
  b.output(shared);  // the conv result is needed unshifted too
  ir::Variable* y = b.input("y", {1, 3, 4, 4});
  b.output(b.op("Mul", {b.op("Conv", {x, b.constant("w3", {3, 2, 1, 1})}), y}));  // not a constant
  EXPECT_EQ(apply_rule(b.graph, rules::fold_channel_affine()), 0);
}

}  // namespace
}  // namespace webdnn

namespace webdnn {
namespace {

TEST(FoldInputScale, PerChannelScaleBeforeConvGemmAndMatMul) {
  testing::GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 2, 4, 4});
  ir::Variable* sx = b.op("Mul", {x, b.constant("s", {2, 1, 1}, {2, -3})});
  b.output(b.op("Conv", {sx, b.constant("w", {3, 2, 3, 3})}, {{"pads", Shape{1, 1, 1, 1}}}));
  ir::Variable* v = b.input("v", {2, 5});
  ir::Variable* sv = b.op("Mul", {b.constant("k", {5}, {1, 2, 3, 4, 5}), v});
  b.output(b.op("Gemm", {sv, b.constant("gw", {4, 5})}, {{"transB", 1}}));
  ir::Variable* su = b.op("Mul", {v, b.constant("k2", {5}, {5, 4, 3, 2, 1})});
  b.output(b.op("MatMul", {su, b.constant("mw", {5, 3})}));
  auto before = b.copy();
  EXPECT_EQ(testing::apply_rule(b.graph, optimizer::rules::fold_input_scale()), 3);
  EXPECT_EQ(testing::op_types(b.graph), (std::vector<std::string>{"Conv", "Gemm", "MatMul"}));
  testing::expect_same_outputs(*before, b.graph);
}

TEST(FoldInputScale, LeavesScalesAlongOtherAxesAndGroupedConvs) {
  testing::GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 2, 4, 4});
  ir::Variable* rows = b.op("Mul", {x, b.constant("r", {4, 1}, {1, 2, 3, 4})});
  b.output(b.op("Conv", {rows, b.constant("w", {3, 2, 1, 1})}));
  ir::Variable* sx = b.op("Mul", {x, b.constant("s", {2, 1, 1}, {2, 3})});
  b.output(b.op("Conv", {sx, b.constant("dw", {2, 1, 3, 3})}, {{"group", 2}}));
  EXPECT_EQ(testing::apply_rule(b.graph, optimizer::rules::fold_input_scale()), 0);
}

}  // namespace
}  // namespace webdnn
