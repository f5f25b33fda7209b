// merge_elementwise, fuse_epilogue and fuse_attention.
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

TEST(MergeElementwise, ChainBecomesOneKernelWithScalarsInline) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 3});
  ir::Variable* v = b.op("Add", {x, b.constant("bias", {3})});
  v = b.op("Sigmoid", {v});
  v = b.op("Mul", {v, b.constant("half", {1}, {0.5})});
  b.output(b.op("Add", {v, b.input("y", {2, 3})}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::merge_elementwise()), 3);
  ASSERT_EQ(op_types(b.graph), (std::vector<std::string>{"FusedElementwise"}));
  const ir::Operator* f = b.graph.topological_order()[0];
  EXPECT_EQ(f->inputs.size(), 3u);  // x, bias, y: the scalar 0.5 is in the expression
  expect_same_outputs(*before, b.graph);
}

TEST(MergeElementwise, KeepsSharedResultsBroadcastsAndIntegers) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 3});
  ir::Variable* r = b.op("Relu", {x});
  b.output(b.op("Neg", {r}));
  b.output(b.op("Exp", {r}));  // Relu is read twice
  ir::Variable* row = b.op("Sigmoid", {b.input("row", {3})});
  b.output(b.op("Mul", {x, row}));  // the Sigmoid has fewer elements than the product
  ir::Variable* n = b.input("n", {3}, DType::Int64);
  b.output(b.op("Neg", {b.op("Abs", {n})}));  // integer arithmetic
  EXPECT_EQ(apply_rule(b.graph, rules::merge_elementwise()), 0);
}

TEST(FuseEpilogue, ResidualAddAndReluJoinTheConv) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 2, 4, 4});
  ir::Variable* c = b.op("Conv", {x, b.constant("w", {2, 2, 3, 3})}, {{"pads", Shape{1, 1, 1, 1}}});
  c = b.op("Add", {c, x});  // residual
  b.output(b.op("Relu", {c}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::fuse_epilogue()), 2);
  ASSERT_EQ(op_types(b.graph), (std::vector<std::string>{"Conv"}));
  const ir::Operator* conv = b.graph.topological_order()[0];
  EXPECT_TRUE(conv->params.contains("epilogue"));
  ASSERT_EQ(conv->inputs.size(), 4u);  // x, w, a zero bias, and x again as the residual
  EXPECT_EQ(conv->inputs[3], x);
  expect_same_outputs(*before, b.graph);
}

TEST(FuseEpilogue, GemmAndMatMulTakeActivations) {
  GraphBuilder b;
  ir::Variable* v = b.input("v", {2, 5});
  b.output(b.op("Relu", {b.op("Gemm", {v, b.constant("w", {5, 4}), b.constant("c", {4})})}));
  b.output(b.op("Tanh", {b.op("MatMul", {v, b.constant("m", {5, 3})})}));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::fuse_epilogue()), 2);
  EXPECT_EQ(op_types(b.graph), (std::vector<std::string>{"Gemm", "MatMul"}));
  expect_same_outputs(*before, b.graph);
}

TEST(FuseEpilogue, KeepsConvResultsOthersRead) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 2, 4, 4});
  ir::Variable* c = b.op("Conv", {x, b.constant("w", {2, 2, 1, 1})});
  b.output(b.op("Relu", {c}));
  b.output(c);
  ir::Variable* p = b.op("MaxPool", {x}, {{"kernel_shape", Shape{2, 2}}, {"strides", Shape{2, 2}}});
  b.output(b.op("Relu", {p}));  // MaxPool takes no epilogue
  EXPECT_EQ(apply_rule(b.graph, rules::fuse_epilogue()), 0);
}

TEST(FuseEpilogue, KeepsMasksOfOtherTypesOut) {
  // Attention scores masked with a bool: the epilogue kernels read extra inputs as float32.
  GraphBuilder b;
  ir::Variable* q = b.input("q", {2, 3});
  ir::Variable* mask = b.input("mask", {2, 4}, DType::Bool);
  ir::Variable* s = b.op("MatMul", {q, b.constant("k", {3, 4})});
  b.output(b.op("Where", {mask, s, b.constant("lowest", {}, {-1e30f})}));
  EXPECT_EQ(apply_rule(b.graph, rules::fuse_epilogue()), 0);
}

// Attention as exporters write it: Q [1, 2, S, 8] . K' (K [1, 2, T, 8] transposed), scaled, a
// mask [1, 1, 1, T] added, Softmax along the keys, times V [1, 2, T, 8].
ir::Variable* attention(GraphBuilder& b, int64_t s, int64_t t, ir::Variable** scores_out = nullptr) {
  ir::Variable* q = b.input("q", {1, 2, s, 8});
  ir::Variable* k = b.op("Transpose", {b.input("k", {1, 2, t, 8})}, {{"perm", Shape{0, 1, 3, 2}}});
  ir::Variable* scores = b.op("MatMul", {q, k});
  scores = b.op("Mul", {scores, b.constant("scale", {1}, {0.35f})});
  scores = b.op("Add", {scores, b.input("mask", {1, 1, 1, t})});
  if (scores_out) *scores_out = scores;
  return b.op("MatMul", {b.op("Softmax", {scores}, {{"axis", 3}}), b.input("v", {1, 2, t, 8})});
}

TEST(FuseAttention, ProductSoftmaxProductBecomeOneOperatorWithTheScoresEpilogue) {
  GraphBuilder b;
  b.output(attention(b, 5, 7));
  auto before = b.copy();
  EXPECT_EQ(apply_rule(b.graph, rules::fuse_epilogue()), 2);  // the scale and the mask
  EXPECT_EQ(apply_rule(b.graph, rules::fuse_attention()), 1);
  ASSERT_EQ(op_types(b.graph), (std::vector<std::string>{"Transpose", "FusedAttention"}));
  const ir::Operator* f = b.graph.topological_order()[1];
  EXPECT_TRUE(f->params.contains("epilogue"));
  ASSERT_EQ(f->inputs.size(), 4u);  // Q, K', V, the mask
  EXPECT_EQ(f->inputs[3]->name, "mask");
  expect_same_outputs(*before, b.graph);
}

TEST(FuseAttention, HeadSizesWithinTheBackendsLimit) {
  // Heads of 8: fused under a limit of 8, kept under 4 (Q's last axis) and where V's is larger.
  for (int64_t limit : {8, 4}) {
    GraphBuilder b;
    b.output(attention(b, 5, 7));
    apply_rule(b.graph, rules::fuse_epilogue());
    EXPECT_EQ(apply_rule(b.graph, rules::fuse_attention(limit)), limit == 8 ? 1 : 0) << limit;
  }

  GraphBuilder b;
  ir::Variable* s = b.op("MatMul", {b.input("q", {2, 5, 8}), b.input("k", {2, 8, 5})});
  b.output(b.op("MatMul", {b.op("Softmax", {s}, {{"axis", 2}}), b.input("v", {2, 5, 12})}));
  EXPECT_EQ(apply_rule(b.graph, rules::fuse_attention(8)), 0);
}

TEST(FuseAttention, KeepsScoresOrProbabilitiesReadElsewhereAndOtherAxes) {
  {
    GraphBuilder b;  // the scores are an output too
    ir::Variable* scores = nullptr;
    b.output(attention(b, 5, 7, &scores));
    b.output(scores);
    EXPECT_EQ(apply_rule(b.graph, rules::fuse_attention()), 0);
  }
  {
    GraphBuilder b;  // a softmax along the queries
    ir::Variable* s = b.op("MatMul", {b.input("q", {2, 5, 8}), b.input("k", {2, 8, 5})});
    b.output(b.op("MatMul", {b.op("Softmax", {s}, {{"axis", 1}}), b.input("v", {2, 5, 8})}));
    EXPECT_EQ(apply_rule(b.graph, rules::fuse_attention()), 0);
  }
  {
    GraphBuilder b;  // probabilities on the right: V . P
    ir::Variable* s = b.op("MatMul", {b.input("q", {2, 5, 8}), b.input("k", {2, 8, 5})});
    b.output(b.op("MatMul", {b.input("v", {2, 5, 5}), b.op("Softmax", {s}, {{"axis", 2}})}));
    EXPECT_EQ(apply_rule(b.graph, rules::fuse_attention()), 0);
  }
  {
    GraphBuilder b;  // V's batch broadcasts the scores: several results per score matrix
    ir::Variable* s = b.op("MatMul", {b.input("q", {5, 8}), b.input("k", {8, 5})});
    b.output(b.op("MatMul", {b.op("Softmax", {s}, {{"axis", 1}}), b.input("v", {3, 5, 8})}));
    EXPECT_EQ(apply_rule(b.graph, rules::fuse_attention()), 0);
  }
}

}  // namespace
}  // namespace webdnn
