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

namespace webdnn {
namespace {

using testing::attr;
using testing::OnnxBuilder;

struct Case {
  const char* op;
  std::vector<std::vector<float>> inputs;  // each input 1-D
  std::vector<float> expected;             // worked out by hand
  int64_t opset = 17;
};

// Runs y = OP(x0, x1, ...) on 1-D float inputs.
std::vector<float> run_case(const Case& c) {
  OnnxBuilder b(c.opset);
  std::vector<std::string> names;
  std::map<std::string, Tensor> feeds;
  for (size_t i = 0; i < c.inputs.size(); i++) {
    std::string n = "x" + std::to_string(i);
    Shape s = {static_cast<int64_t>(c.inputs[i].size())};
    b.input(n, s);
    names.push_back(n);
    feeds[n] = Tensor::from_floats(s, c.inputs[i]);
  }
  b.output("y");
  b.node(c.op, names, {"y"});
  return ops::evaluate_graph(*b.import(), feeds).at("y").to_floats();
}

TEST(Elementwise, EveryFloatOperatorOnHandValues) {
  const float e = 2.718281828f;
  std::vector<Case> cases = {
      {"Abs", {{-2, 3}}, {2, 3}},
      {"Neg", {{-2, 3}}, {2, -3}},
      {"Exp", {{0, 1}}, {1, e}},
      {"Log", {{1, e}}, {0, 1}},
      {"Sqrt", {{4, 9}}, {2, 3}},
      {"Sin", {{0}}, {0}},
      {"Cos", {{0}}, {1}},
      {"Tanh", {{0}}, {0}},
      {"Erf", {{0}}, {0}},
      {"Floor", {{-1.5, 1.5}}, {-2, 1}},
      {"Ceil", {{-1.5, 1.5}}, {-1, 2}},
      {"Round", {{0.5, 1.5, 2.5, -0.5}}, {0, 2, 2, -0}},  // halves to even
      {"Sign", {{-3, 0, 2}}, {-1, 0, 1}},
      {"Sigmoid", {{0}}, {0.5}},
      {"Reciprocal", {{4, -0.5}}, {0.25, -2}},
      {"HardSwish", {{-3, 1, 3}}, {0, 1 * (1.0f / 6 + 0.5f), 3}},
      {"HardSigmoid", {{-5, 0, 5}}, {0, 0.5, 1}},  // 0.2x + 0.5 clamped
      {"Elu", {{-1, 2}}, {1 / e - 1, 2}},
      {"Selu", {{0, 1}}, {0, 1.05070102f}},
      {"Gelu", {{0, 1}}, {0, 0.841344746f}, 20},  // 1 * Phi(1)
      {"Mish", {{0, 1}}, {0, 0.865098388f}, 18},  // tanh(log(1 + e))
      {"Celu", {{-1, 2}}, {1 / e - 1, 2}, 12},    // alpha 1: Elu
      {"ThresholdedRelu", {{0.5, 1, 2}}, {0, 0, 2}, 10},  // alpha 1, strictly greater
      {"Shrink", {{-1, -0.5, 0.3, 2}}, {-1, 0, 0, 2}, 9},  // lambd 0.5, bias 0
      {"Add", {{1, 2}, {10, 20}}, {11, 22}},
      {"Sub", {{1, 2}, {10, 20}}, {-9, -18}},
      {"Mul", {{1, 2}, {10, 20}}, {10, 40}},
      {"Div", {{1, 2}, {10, 20}}, {0.1f, 0.1f}},
      {"Pow", {{2, 3}, {3, 2}}, {8, 9}},
      {"Mod", {{-7, 7}, {3, -3}}, {2, -2}},  // sign of the divisor
      {"Sum", {{1, 2}, {10, 20}, {100, 200}}, {111, 222}},
      {"Max", {{1, 5}, {3, 2}, {2, 4}}, {3, 5}},
      {"Min", {{1, 5}, {3, 2}, {2, 4}}, {1, 2}},
      {"PRelu", {{-2, 2}, {0.25}}, {-0.5, 2}},
      {"Identity", {{7}}, {7}},
      {"Clip", {{-5, 0.5, 5}, {0}, {1}}, {0, 0.5, 1}},
  };
  for (const Case& c : cases) {
    std::vector<float> y = run_case(c);
    ASSERT_EQ(y.size(), c.expected.size()) << c.op;
    for (size_t i = 0; i < y.size(); i++) EXPECT_NEAR(y[i], c.expected[i], 1e-6) << c.op << " element " << i;
  }
}

TEST(Elementwise, ComparisonsAndLogicGiveBooleans) {
  OnnxBuilder b;
  b.input("a", {3}).input("b", {3}).output("y");
  b.node("Greater", {"a", "b"}, {"g"});
  b.node("LessOrEqual", {"a", "b"}, {"le"});
  b.node("Equal", {"a", "b"}, {"eq"});
  b.node("Or", {"g", "eq"}, {"ge"});
  b.node("And", {"ge", "le"}, {"both"});  // true only where a == b
  b.node("Where", {"both", "a", "b"}, {"w"});
  b.node("Not", {"both"}, {"nb"});
  b.node("Cast", {"nb"}, {"y"});
  attr(*b.model().mutable_graph()->mutable_node(7), "to", int64_t{onnx::TensorProto::FLOAT});
  auto g = b.import();
  auto out = ops::evaluate_graph(*g, {{"a", Tensor::from_floats({3}, {1, 2, 3})}, {"b", Tensor::from_floats({3}, {3, 2, 1})}});
  EXPECT_EQ(out.at("y").dtype, DType::Float32);
  EXPECT_EQ(out.at("y").to_floats(), (std::vector<float>{1, 0, 1}));
}

TEST(Elementwise, ClipBoundsAsAttributesBeforeOpset11) {
  OnnxBuilder b(7);
  b.input("x", {3}).output("y");
  auto& n = b.node("Clip", {"x"}, {"y"});
  attr(n, "min", -1.0f);
  attr(n, "max", 1.0f);
  EXPECT_EQ(ops::evaluate_graph(*b.import(), {{"x", Tensor::from_floats({3}, {-5, 0.5, 5})}}).at("y").to_floats(),
            (std::vector<float>{-1, 0.5, 1}));
}

TEST(Elementwise, IntegerArithmeticStaysExact) {
  // Shape arithmetic in int64: division truncates, large values survive.
  OnnxBuilder b;
  b.input("x", {2}, onnx::TensorProto::INT64).output("y");
  b.initializer("d", Tensor::from_ints({1}, {2}));
  b.node("Div", {"x", "d"}, {"y"});
  auto y = ops::evaluate_graph(*b.import(), {{"x", Tensor::from_ints({2}, {7, 4000000000})}}).at("y");
  EXPECT_EQ(y.dtype, DType::Int64);
  EXPECT_EQ(y.to_ints(), (std::vector<int64_t>{3, 2000000000}));
}

TEST(Elementwise, ExpandBroadcastsBothWays) {
  // [3,1] expanded by [2,1,4] gives [2,3,4] with y[i][j][k] = x[j].
  OnnxBuilder b;
  b.input("x", {3, 1}).output("y");
  b.initializer("s", Tensor::from_ints({3}, {2, 1, 4}));
  b.node("Expand", {"x", "s"}, {"y"});
  auto y = ops::evaluate_graph(*b.import(), {{"x", Tensor::from_floats({3, 1}, {1, 2, 3})}}).at("y");
  ASSERT_EQ(y.shape, (Shape{2, 3, 4}));
  auto v = y.to_floats();
  EXPECT_EQ(v[0], 1);
  EXPECT_EQ(v[5], 2);       // [0][1][1]
  EXPECT_EQ(v[12 + 11], 3);  // [1][2][3]
}

}  // namespace
}  // namespace webdnn
