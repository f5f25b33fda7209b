// Static memory planning: no two variables alive at once share bytes, in-place reuse where
// allowed, and the arena against the lower bound.
#include <gtest/gtest.h>

#include "src/optimizer/memory_plan.h"
#include "tests/unit/support/graph_builder.h"

namespace webdnn {
namespace {

using testing::GraphBuilder;

// Checks that variables whose lifetimes overlap occupy disjoint bytes.
void expect_no_overlap(const ir::Graph& g, const optimizer::MemoryPlan& plan) {
  auto schedule = g.topological_order();
  std::map<const ir::Variable*, std::pair<int, int>> life;
  int end = static_cast<int>(schedule.size());
  for (auto& [v, off] : plan.offsets) {
    int first = v->producer ? -2 : -1, last = -1;
    for (int i = 0; i < end; i++) {
      if (schedule[i] == v->producer) first = i;
      for (const ir::Variable* in : schedule[i]->inputs)
        if (in == v) last = i;
    }
    for (const ir::Variable* o : g.outputs)
      if (o == v) last = end;
    life[v] = {first, std::max(first, last)};
  }
  for (auto& [a, oa] : plan.offsets)
    for (auto& [b, ob] : plan.offsets) {
      if (a >= b) continue;
      auto [fa, la] = life[a];
      auto [fb, lb] = life[b];
      // Sharing is fine only for an in-place handover: one dies where the other is born.
      bool overlap_time = fa < lb && fb < la;
      bool overlap_bytes = oa < ob + b->bytes() && ob < oa + a->bytes();
      EXPECT_FALSE(overlap_time && overlap_bytes) << a->name << " and " << b->name;
    }
}

TEST(MemoryPlan, ElementwiseChainRunsInPlace) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1024});
  b.output(b.op("Exp", {b.op("Neg", {b.op("Relu", {x})})}));
  auto schedule = b.graph.topological_order();
  auto inplace = optimizer::plan_memory(b.graph, schedule);
  // x stays intact (the caller's input); Relu, Neg and Exp share one block.
  EXPECT_EQ(inplace.arena_bytes, 2 * 4096);
  optimizer::MemoryPlanOptions no_inplace;
  no_inplace.inplace = false;
  auto apart = optimizer::plan_memory(b.graph, schedule, no_inplace);
  // Without reuse in place: x, and two blocks alternating between Relu/Exp and Neg.
  EXPECT_EQ(apart.arena_bytes, 3 * 4096);
  EXPECT_EQ(apart.naive_bytes, 4 * 4096);
  expect_no_overlap(b.graph, inplace);
  expect_no_overlap(b.graph, apart);
}

TEST(MemoryPlan, ValuesReadLaterAreNotOverwritten) {
  // A residual block: x feeds two branches that meet again, so x lives across both.
  GraphBuilder b;
  ir::Variable* x = b.op("Relu", {b.input("in", {256})});
  ir::Variable* a = b.op("Sigmoid", {b.op("Neg", {x})});
  ir::Variable* c = b.op("Tanh", {b.op("Exp", {x})});
  b.output(b.op("Add", {b.op("Add", {a, c}), x}));
  auto plan = optimizer::plan_memory(b.graph, b.graph.topological_order());
  expect_no_overlap(b.graph, plan);
  EXPECT_LE(plan.arena_bytes, plan.lower_bound_bytes * 5 / 4);
}

TEST(MemoryPlan, LowerBoundIsTheMostAliveAtOnce) {
  GraphBuilder b;
  ir::Variable* big = b.op("Relu", {b.input("x", {1000})});  // 4000 bytes -> 4032 aligned
  ir::Variable* small = b.op("Neg", {b.input("y", {10})});   // 40 -> 64
  b.output(b.op("Add", {b.op("ReduceSum", {big}, {{"axes", Shape{0}}, {"keepdims", 1}}), small}));
  auto plan = optimizer::plan_memory(b.graph, b.graph.topological_order());
  // Inputs x (4032), y (64) live all along; at the ReduceSum, big (4032) and small (64) too.
  EXPECT_EQ(plan.lower_bound_bytes, 4032 + 64 + 4032 + 64 + 64);
  expect_no_overlap(b.graph, plan);
}

}  // namespace
}  // namespace webdnn
