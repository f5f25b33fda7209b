// Static memory planning: no two variables alive at once share bytes, in-place reuse where
// allowed, and the arena against the lower bound; the same lifetimes placed in slots of a shape
// class (WebGL's textures): no slot shared across classes or by blocks alive at once, each slot as
// large as its largest block, the better of the two greedy orders.
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

// A residual block: x feeds two branches that meet again, so x lives across both.
void residual_block(GraphBuilder& b) {
  ir::Variable* x = b.op("Relu", {b.input("in", {256})});
  ir::Variable* a = b.op("Sigmoid", {b.op("Neg", {x})});
  ir::Variable* c = b.op("Tanh", {b.op("Exp", {x})});
  b.output(b.op("Add", {b.op("Add", {a, c}), x}));
}

TEST(MemoryPlan, ValuesReadLaterAreNotOverwritten) {
  GraphBuilder b;
  residual_block(b);
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

TEST(MemoryPlan, ViewsTakeTheirInputsMemoryAndKeepIt) {
  // Relu -> Transpose (a view) -> Neg -> Exp: the view lies in Relu's memory, and Neg, though
  // elementwise, does not write over it (it reads the view at other indices than it writes).
  GraphBuilder b;
  ir::Variable* r = b.op("Relu", {b.input("x", {4, 8})});
  ir::Variable* t = b.op("Transpose", {r}, {{"perm", Shape{1, 0}}});
  ir::Variable* n = b.op("Neg", {t});
  b.output(b.op("Exp", {n}));
  auto schedule = b.graph.topological_order();
  optimizer::MemoryPlanOptions options;
  options.views = {t->producer};
  auto plan = optimizer::plan_memory(b.graph, schedule, options);
  EXPECT_EQ(plan.offsets.at(t), plan.offsets.at(r));
  EXPECT_NE(plan.offsets.at(n), plan.offsets.at(t));
  // Without the view the transpose is an operator like another: its output gets its own place.
  auto plain = optimizer::plan_memory(b.graph, schedule);
  EXPECT_NE(plain.offsets.at(t), plain.offsets.at(r));
}

TEST(MemoryPlan, ElementBytesOverrideTheDType) {
  // Bool tensors stored as 4-byte words (WebGPU): planned in their stored size, they never share
  // a word; planned in dtype bytes they would (a 64-element bool tensor is 64 bytes, 256 stored).
  GraphBuilder b;
  ir::Variable* x = b.input("x", {64}, DType::Bool);
  ir::Variable* a = b.op("Not", {x});
  ir::Variable* c = b.op("Not", {a});
  b.output(b.op("And", {a, c}));
  auto schedule = b.graph.topological_order();
  optimizer::MemoryPlanOptions words;
  words.alignment = 4;
  words.element_bytes = 4;
  auto plan = optimizer::plan_memory(b.graph, schedule, words);
  // x (kept), a then the result in place, c: three words-sized blocks alive at the And.
  EXPECT_EQ(plan.arena_bytes, 3 * 256);
  EXPECT_EQ(plan.lower_bound_bytes, 3 * 256);
  for (const ir::Variable* v : {x, a, c}) {
    for (const ir::Variable* w : {x, a, c}) {
      if (v == w) continue;
      int64_t p = plan.offsets.at(v), q = plan.offsets.at(w);
      EXPECT_TRUE(p + 256 <= q || q + 256 <= p) << v->name << " and " << w->name;
    }
  }
  words.element_bytes = 0;
  EXPECT_EQ(optimizer::plan_memory(b.graph, schedule, words).arena_bytes, 3 * 64);
}

TEST(MemoryPlan, SelectPlansOnlyTheVariablesItAccepts) {
  // WebGPU's f16 program plans its float values and its integer ones as two arenas: each plan
  // holds only its own kind, with no handover across the kinds (a Cast may not run in place
  // between arenas).
  GraphBuilder b;
  ir::Variable* x = b.input("x", {64});
  ir::Variable* f = b.op("Relu", {x});
  ir::Variable* i = b.op("Cast", {f}, {{"to", "int32"}});
  ir::Variable* g = b.op("Cast", {i}, {{"to", "float32"}});
  b.output(b.op("Add", {g, f}));
  auto schedule = b.graph.topological_order();
  optimizer::MemoryPlanOptions floats, integers;
  floats.select = [](const ir::Variable* v) { return v->dtype == DType::Float32; };
  integers.select = [](const ir::Variable* v) { return v->dtype != DType::Float32; };
  auto a = optimizer::plan_memory(b.graph, schedule, floats), c = optimizer::plan_memory(b.graph, schedule, integers);
  EXPECT_EQ(a.offsets.count(i), 0u);
  for (const ir::Variable* v : {x, f, g}) EXPECT_EQ(a.offsets.count(v), 1u) << v->name;
  ASSERT_EQ(c.offsets.size(), 1u);
  EXPECT_EQ(c.offsets.count(i), 1u);
  EXPECT_EQ(c.arena_bytes, 256);
  expect_no_overlap(b.graph, a);
  // x kept, f alive until the Add, g: three float blocks at once.
  EXPECT_EQ(a.lower_bound_bytes, 3 * 256);
}

// A schedule of values in terms of the planner: steps as (reads, writes).
optimizer::Uses uses_of(std::vector<int64_t> sizes, std::vector<int> classes,
                        std::vector<std::pair<std::vector<int>, std::vector<int>>> steps, std::vector<int> inputs = {},
                        std::vector<int> kept = {}) {
  optimizer::Uses u;
  u.sizes = std::move(sizes);
  u.classes = std::move(classes);
  u.inputs = std::move(inputs);
  u.kept = std::move(kept);
  for (auto& [reads, writes] : steps) u.steps.push_back({reads, writes, {}});
  return u;
}

// No slot holds blocks of two classes or two blocks alive at the same time, and each is as large
// as its largest block.
void expect_valid_slots(const optimizer::Lifetimes& l, const optimizer::SlotPlacement& s) {
  ASSERT_EQ(s.slot_of.size(), l.blocks.size());
  std::vector<int64_t> largest(s.sizes.size(), 0);
  for (size_t a = 0; a < l.blocks.size(); a++) {
    const optimizer::Block& x = l.blocks[a];
    int slot = s.slot_of[a];
    EXPECT_EQ(s.classes[slot], x.shape_class) << "block " << a;
    largest[slot] = std::max(largest[slot], x.size);
    for (size_t b = a + 1; b < l.blocks.size(); b++) {
      const optimizer::Block& y = l.blocks[b];
      bool together = x.first <= y.last && y.first <= x.last;
      EXPECT_FALSE(s.slot_of[b] == slot && together) << "blocks " << a << " and " << b;
    }
  }
  EXPECT_EQ(largest, s.sizes);
}

int64_t total(const optimizer::SlotPlacement& s) {
  int64_t t = 0;
  for (int64_t n : s.sizes) t += n;
  return t;
}

TEST(MemoryPlan, LifetimesFromReadsAndWrites) {
  // v0 (input) -> s0 -> v1 -> s1 -> v2 (kept); v3 written at s0, read at s2.
  auto u = uses_of({8, 8, 8, 8}, {}, {{{0}, {1, 3}}, {{1}, {2}}, {{3}, {}}}, {0}, {2});
  optimizer::Lifetimes l = optimizer::plan_lifetimes(u);
  ASSERT_EQ(l.blocks.size(), 4u);
  auto span = [&](int v) { return std::make_pair(l.blocks[l.block_of[v]].first, l.blocks[l.block_of[v]].last); };
  EXPECT_EQ(span(0), std::make_pair(-1, 0));  // an input not kept dies at its last reader
  EXPECT_EQ(span(1), std::make_pair(0, 1));
  EXPECT_EQ(span(2), std::make_pair(1, 3));   // kept: past the last step
  EXPECT_EQ(span(3), std::make_pair(0, 2));
}

TEST(MemoryPlan, HandoverOnlyToADyingValueOfTheSameClass) {
  // s0: v0 -> v1, v1 may take v0's block (v0 dies there). s1: v1 -> v2 of another class: no
  // handover. s2: v2 -> v3 while v2 is still read at s3: no handover.
  auto u = uses_of({64, 64, 64, 64}, {0, 0, 1, 1}, {{{0}, {1}}, {{1}, {2}}, {{2}, {3}}, {{2, 3}, {}}}, {0});
  u.steps[0].handovers = {{0, 1}};
  u.steps[1].handovers = {{1, 2}};
  u.steps[2].handovers = {{2, 3}};
  optimizer::Lifetimes l = optimizer::plan_lifetimes(u);
  EXPECT_EQ(l.block_of[1], l.block_of[0]);
  EXPECT_NE(l.block_of[2], l.block_of[1]);
  EXPECT_NE(l.block_of[3], l.block_of[2]);
  EXPECT_EQ(l.blocks.size(), 3u);
  EXPECT_EQ(l.blocks[l.block_of[0]].last, 1);  // the block lives on as v1
}

TEST(MemoryPlan, SlotsPerShapeClass) {
  // A chain of six values alternating between two classes: each value dies at the step after the
  // one that writes it, so each class needs two slots, and a slot is never shared across classes.
  std::vector<std::pair<std::vector<int>, std::vector<int>>> steps = {{{}, {0}}};
  for (int v = 1; v < 6; v++) steps.push_back({{v - 1}, {v}});
  auto u = uses_of({10, 20, 30, 40, 50, 60}, {0, 1, 0, 1, 0, 1}, steps, {}, {5});
  optimizer::Lifetimes l = optimizer::plan_lifetimes(u);
  optimizer::SlotPlacement s = optimizer::place_in_slots(l);
  expect_valid_slots(l, s);
  // Class 0: 10, 30, 50 live at [0,1], [2,3], [4,5]: one slot of 50; class 1 likewise, 60.
  EXPECT_EQ(s.sizes.size(), 2u);
  EXPECT_EQ(total(s), 50 + 60);
  // Every value in one class: the chain alternates between two slots.
  u.classes.clear();
  l = optimizer::plan_lifetimes(u);
  s = optimizer::place_in_slots(l);
  expect_valid_slots(l, s);
  EXPECT_EQ(s.sizes.size(), 2u);
  EXPECT_EQ(total(s), 60 + 50);
}

TEST(MemoryPlan, SlotsNeverReadAndWrittenByOneStep) {
  // v1 is written by the step that last reads v0: they cannot share a slot (a draw never samples
  // the texture it renders to), though v0 is dead afterwards.
  auto u = uses_of({4, 4}, {}, {{{0}, {1}}}, {0}, {1});
  optimizer::Lifetimes l = optimizer::plan_lifetimes(u);
  optimizer::SlotPlacement s = optimizer::place_in_slots(l);
  EXPECT_EQ(s.sizes.size(), 2u);
  expect_valid_slots(l, s);
}

TEST(MemoryPlan, SlotsTakeTheBetterOrder) {
  // A (10) dies at step 1; B (1) and C (10) are written at step 2, B living on to the end. By
  // first use B takes A's free slot and C needs a new one (20 in all); the largest first put A
  // and C in one slot and B beside them (11).
  auto u = uses_of({10, 1, 10}, {}, {{{}, {0}}, {{0}, {}}, {{}, {1, 2}}, {{2}, {}}}, {}, {1});
  optimizer::Lifetimes l = optimizer::plan_lifetimes(u);
  optimizer::SlotPlacement s = optimizer::place_in_slots(l);
  expect_valid_slots(l, s);
  EXPECT_EQ(total(s), 11);
  EXPECT_EQ(s.slot_of[l.block_of[0]], s.slot_of[l.block_of[2]]);
}

TEST(MemoryPlan, ArenaAndSlotsFromOneLifetimes) {
  // The residual block's lifetimes, placed both ways: each respects them and holds at least what
  // is alive at once; the arena, where blocks need not be whole slots, no more than the slots.
  GraphBuilder b;
  residual_block(b);
  optimizer::Uses u;
  std::map<const ir::Variable*, int> id;
  auto value = [&](const ir::Variable* v) {
    auto [it, fresh] = id.emplace(v, static_cast<int>(u.sizes.size()));
    if (fresh) u.sizes.push_back(v->bytes());
    return it->second;
  };
  u.inputs.push_back(value(b.graph.inputs[0]));
  for (const ir::Operator* op : b.graph.topological_order()) {
    optimizer::Uses::Step step;
    for (const ir::Variable* in : op->inputs) step.reads.push_back(value(in));
    for (const ir::Variable* out : op->outputs) step.writes.push_back(value(out));
    u.steps.push_back(step);
  }
  u.kept = {u.inputs[0], value(b.graph.outputs[0])};
  optimizer::Lifetimes l = optimizer::plan_lifetimes(u);
  optimizer::SlotPlacement s = optimizer::place_in_slots(l);
  expect_valid_slots(l, s);
  optimizer::ArenaPlacement arena = optimizer::place_in_arena(l);
  EXPECT_GE(arena.size, arena.lower_bound);
  EXPECT_GE(total(s), arena.lower_bound);
  EXPECT_LE(arena.size, total(s));
  for (size_t i = 0; i < l.blocks.size(); i++)
    for (size_t j = i + 1; j < l.blocks.size(); j++) {
      const optimizer::Block &x = l.blocks[i], &y = l.blocks[j];
      bool together = x.first <= y.last && y.first <= x.last;
      bool apart = arena.offsets[i] + x.size <= arena.offsets[j] || arena.offsets[j] + y.size <= arena.offsets[i];
      EXPECT_TRUE(!together || apart) << "blocks " << i << " and " << j;
    }
}

}  // namespace
}  // namespace webdnn
