#include <gtest/gtest.h>

#include <cmath>

#include "src/ops/evaluate.h"
#include "tests/unit/support/onnx_builder.h"

namespace webdnn {
namespace {

using testing::OnnxBuilder;

Tensor run_unary(const std::string& op_type, const std::vector<float>& x,
                 void (*attrs)(onnx::NodeProto&) = nullptr) {
  OnnxBuilder b;
  b.input("x", {static_cast<int64_t>(x.size())}).output("y");
  auto& n = b.node(op_type, {"x"}, {"y"});
  if (attrs) attrs(n);
  auto g = b.import();
  return ops::evaluate_graph(*g, {{"x", Tensor::from_floats({static_cast<int64_t>(x.size())}, x)}}).at("y");
}

TEST(Elementwise, ReluLeakyReluAndSoftplusMatchHandValues) {
  EXPECT_EQ(run_unary("Relu", {-2, 0, 3}).to_floats(), (std::vector<float>{0, 0, 3}));
  auto leaky = run_unary("LeakyRelu", {-2, 4}, [](onnx::NodeProto& n) { testing::attr(n, "alpha", 0.5f); });
  EXPECT_EQ(leaky.to_floats(), (std::vector<float>{-1, 4}));
  // Softplus must not overflow for large x: log(1 + e^100) == 100.
  auto sp = run_unary("Softplus", {0, 100, -100}).to_floats();
  EXPECT_NEAR(sp[0], std::log(2.0), 1e-6);
  EXPECT_NEAR(sp[1], 100.0, 1e-4);
  EXPECT_NEAR(sp[2], 0.0, 1e-6);
}

TEST(Elementwise, BroadcastAddOfRowAndColumn) {
  OnnxBuilder b;
  b.input("a", {2, 1}).input("c", {3}).output("y");
  b.node("Add", {"a", "c"}, {"y"});
  auto g = b.import();
  auto y = ops::evaluate_graph(*g, {{"a", Tensor::from_floats({2, 1}, {10, 20})},
                                    {"c", Tensor::from_floats({3}, {1, 2, 3})}}).at("y");
  EXPECT_EQ(y.shape, (Shape{2, 3}));
  EXPECT_EQ(y.to_floats(), (std::vector<float>{11, 12, 13, 21, 22, 23}));
}

}  // namespace
}  // namespace webdnn
