// ops::branches, the reference interpreter and the runner's "when": an If on a run-time condition
// runs only the branch it takes, as in onnxruntime.
#include <gtest/gtest.h>

#include <algorithm>

#include "src/ops/evaluate.h"
#include "src/ops/branches.h"
#include "tests/unit/support/backend_runner.h"
#include "tests/unit/support/onnx_builder.h"

namespace webdnn {
namespace {

// A branch of one node `op` over `inputs` (outer names, or the branch's own constant `k`), output `out`.
onnx::GraphProto branch(const std::string& op, std::vector<std::string> inputs, const Tensor& k, const std::string& out) {
  onnx::GraphProto g;
  g.set_name(out);
  *g.add_initializer() = testing::to_proto(out + "_k", k);
  onnx::NodeProto* n = g.add_node();
  n->set_op_type(op);
  for (std::string& i : inputs) n->add_input(i == "k" ? out + "_k" : i);
  n->add_output(out);
  g.add_output()->set_name(out);
  return g;
}

// If `flag`: x [2, 3] . W, else rows `rows` of a table [4, 3] (a Gather that fails on an index
// past the table: the branch must not run when the flag is set).
testing::OnnxBuilder if_of_product_or_rows() {
  testing::OnnxBuilder b(13);
  b.input("x", {2, 3}).input("flag", {1}, onnx::TensorProto::BOOL).input("rows", {2}, onnx::TensorProto::INT64).output("y");
  onnx::NodeProto& n = b.node("If", {"flag"}, {"y"}, "choose");
  const Tensor w = Tensor::from_floats({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  const Tensor table = Tensor::from_floats({4, 3}, {0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32});
  for (auto [name, g] : {std::pair{"then_branch", branch("MatMul", {"x", "k"}, w, "product")},
                         std::pair{"else_branch", branch("Gather", {"k", "rows"}, table, "picked")}}) {
    onnx::AttributeProto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::GRAPH);
    *a->mutable_g() = g;
  }
  return b;
}

Tensor flag(bool v) { return Tensor::from_ints({1}, {v ? 1 : 0}).cast(DType::Bool); }

TEST(Branches, EachBranchRunsOnlyUnderItsSideOfTheCondition) {
  auto g = if_of_product_or_rows().import();
  // In the plain order the flag's reshape comes after both branches: run first, it decides them.
  EXPECT_TRUE(ops::branches(*g, g->topological_order()).empty());
  const auto found = ops::branches(*g, ops::conditions_first(g->topological_order()));
  std::map<std::string, bool> sides;
  for (auto& [op, b] : found) sides[op->type] = b.value;
  EXPECT_EQ(sides, (std::map<std::string, bool>{{"Gather", false}, {"MatMul", true}}));
}

TEST(Branches, TheReferenceAndTheWasmRunnerSkipTheBranchNotTaken) {
  auto g = if_of_product_or_rows().import();
  const Tensor x = Tensor::from_floats({2, 3}, {1, 0, -1, 2, 1, 0});
  testing::Lowered lowered = testing::lower(*g, "wasm");
  int guarded = 0;
  for (const Json& k : lowered.descriptor["kernels"]) guarded += k.contains("when");
  EXPECT_EQ(guarded, 2) << lowered.descriptor["kernels"].dump();
  // The flag set with rows past the table: the Gather would refuse them, were it run.
  const std::map<std::string, Tensor> taken = {{"x", x}, {"flag", flag(true)}, {"rows", Tensor::from_ints({2}, {7, -9})}};
  EXPECT_EQ(ops::evaluate_graph(*g, taken).at("y").to_floats(), (std::vector<float>{-6, -6, -6, 6, 9, 12}));
  EXPECT_EQ(testing::run_backend(*g, "wasm", taken).outputs.at("y").to_floats(), (std::vector<float>{-6, -6, -6, 6, 9, 12}));
  const std::map<std::string, Tensor> other = {{"x", x}, {"flag", flag(false)}, {"rows", Tensor::from_ints({2}, {3, 0})}};
  EXPECT_EQ(testing::run_backend(*g, "wasm", other).outputs.at("y").to_floats(), (std::vector<float>{30, 31, 32, 0, 1, 2}));
}

}  // namespace
}  // namespace webdnn
