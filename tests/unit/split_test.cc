// Cutting a graph before the operators whose output size the input values decide (src/ir/split.h):
// what a GPU backend runs (the head) and what the wasm runtime runs after it (the tail), the
// values carried between them, and the symbols each keeps.
#include <gtest/gtest.h>

#include <algorithm>

#include "src/cli/convert.h"
#include "src/frontend/onnx/importer.h"
#include "src/ir/split.h"
#include "src/ops/schema.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using testing::OnnxBuilder;

// The graph after the general group, as convert.cc cuts it.
std::unique_ptr<ir::Graph> general(OnnxBuilder& b) {
  std::unique_ptr<ir::Graph> g = onnx_frontend::import_file(b.save(), {});
  std::unique_ptr<ir::Graph> before_fusion;
  cli::optimize_shared(*g, {}, {}, &before_fusion);
  return before_fusion;
}

ir::Split cut(const ir::Graph& g) {
  ir::Split s = ir::split_graph(g, ops::finds_size);
  for (ir::Graph* half : {s.head.get(), s.tail.get()}) {
    if (!half) continue;
    ir::DimScope scope(*half);  // dims in parameters read as text
    ir::validate(*half);
  }
  return s;
}

std::vector<std::string> names(const std::vector<ir::Variable*>& vars) {
  std::vector<std::string> n;
  for (const ir::Variable* v : vars) n.push_back(v->name);
  return n;
}

std::vector<std::string> types(const ir::Graph& g) {
  std::vector<std::string> t;
  for (const ir::Operator* op : g.topological_order()) t.push_back(op->type);
  std::sort(t.begin(), t.end());
  return t;
}

int data_symbols(const ir::Graph& g) {
  return static_cast<int>(std::count_if(g.symbols.begin(), g.symbols.end(), [](const auto& s) { return s.second.data; }));
}

// x [N0] -> Relu -> a; y = -a (an output of the head); NonZero(a) and NonZero(z), z [3, N1]
// read by the tail only.
TEST(Split, HeadRunsWhatNoFoundSizeDependsOn) {
  OnnxBuilder b;
  b.input("x", {-1}).input("z", {3, -1}).output("y").output("ia").output("iz");
  b.node("Relu", {"x"}, {"a"});
  b.node("Neg", {"a"}, {"y"});
  b.node("NonZero", {"a"}, {"ia"});
  b.node("NonZero", {"z"}, {"iz"});
  ir::Split s = cut(*general(b));
  ASSERT_TRUE(s.head && s.tail);
  EXPECT_EQ(types(*s.head), (std::vector<std::string>{"Neg", "Relu"}));
  EXPECT_EQ(types(*s.tail), (std::vector<std::string>{"NonZero", "NonZero"}));
  EXPECT_EQ(s.carried, (std::vector<std::string>{"a"}));
  EXPECT_EQ(names(s.head->inputs), (std::vector<std::string>{"x"}));
  EXPECT_EQ(names(s.head->outputs), (std::vector<std::string>{"y", "a"}));
  EXPECT_EQ(names(s.tail->inputs), (std::vector<std::string>{"z", "a"}));
  EXPECT_EQ(names(s.tail->outputs), (std::vector<std::string>{"ia", "iz"}));
  // The head binds only x's symbol; the tail both inputs' and the two sizes it finds.
  EXPECT_EQ(s.head->symbols.size(), 1u);
  EXPECT_EQ(data_symbols(*s.head), 0);
  EXPECT_EQ(s.tail->symbols.size(), 4u);
  EXPECT_EQ(data_symbols(*s.tail), 2);
}

// What the tail takes has the dimension 2*N0, which the runtime cannot bind N0 from: x itself
// comes along as an input of the tail.
TEST(Split, TailTakesTheModelInputThatBindsItsSymbol) {
  OnnxBuilder b;
  b.input("x", {-1}).output("i");
  testing::attr(b.node("Concat", {"x", "x"}, {"c"}), "axis", int64_t{0});
  b.node("NonZero", {"c"}, {"i"});
  ir::Split s = cut(*general(b));
  ASSERT_TRUE(s.head && s.tail);
  EXPECT_EQ(s.carried, (std::vector<std::string>{"c"}));
  EXPECT_EQ(names(s.tail->inputs), (std::vector<std::string>{"c", "x"}));
  EXPECT_EQ(s.tail->symbols.size(), 2u);
}

TEST(Split, NoHeadWhenTheFirstOperatorFindsASize) {
  OnnxBuilder b;
  b.input("x", {2, 3}).output("i");
  b.node("NonZero", {"x"}, {"i"});
  ir::Split s = cut(*general(b));
  EXPECT_FALSE(s.head);
  ASSERT_TRUE(s.tail);
  EXPECT_TRUE(s.carried.empty());
  EXPECT_EQ(names(s.tail->inputs), (std::vector<std::string>{"x"}));
}

// NonZero of a constant is computed at import: no size to find, nothing to cut.
TEST(Split, NothingToCutAfterANonZeroOfAConstant) {
  OnnxBuilder b;
  b.input("x", {2, 3}).output("y");
  b.initializer("mask", Tensor::from_floats({2, 3}, {0, 1, 0, 2, 0, 3}));
  b.node("NonZero", {"mask"}, {"i"});
  testing::attr(b.node("Cast", {"i"}, {"f"}), "to", int64_t{onnx::TensorProto::FLOAT});
  b.node("Mul", {"f", "x"}, {"y"});
  std::unique_ptr<ir::Graph> g = general(b);
  EXPECT_EQ(data_symbols(*g), 0);
  ir::Split s = cut(*g);
  EXPECT_FALSE(s.head);
  EXPECT_FALSE(s.tail);
}

TEST(Split, NothingToCut) {
  OnnxBuilder b;
  b.input("x", {2, 3}).output("y");
  b.node("Relu", {"x"}, {"y"});
  ir::Split s = cut(*general(b));
  EXPECT_FALSE(s.head);
  EXPECT_FALSE(s.tail);
}

}  // namespace
}  // namespace webdnn
