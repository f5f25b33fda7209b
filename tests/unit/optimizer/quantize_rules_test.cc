// fuse_quantize_dequantize, and integer_products_in_float (the GPU backends' lowering).
#include <gtest/gtest.h>

#include "src/ops/evaluate.h"
#include "src/optimizer/rules/rules.h"
#include "tests/unit/support/onnx_builder.h"
#include "tests/unit/support/rules.h"

namespace webdnn {
namespace {

using testing::apply_rule;
using testing::attr;
using testing::expect_same_outputs;
using testing::op_types;
using testing::OnnxBuilder;
namespace rules = optimizer::rules;

Tensor u8(const Shape& shape, const std::vector<int64_t>& v) { return Tensor::from_ints(shape, v, DType::UInt8); }

TEST(FuseQuantizeDequantize, PairsWithTheSameScaleBecomeOneFloatOperator) {
  OnnxBuilder b(13);
  b.input("x", {2, 3, 4}).output("fused").output("other").output("kept");
  b.initializer("s", Tensor::from_floats({3}, {0.1f, 0.2f, 0.05f})).initializer("z", u8({3}, {0, 128, 7}));
  b.initializer("s2", Tensor::from_floats({3}, {0.1f, 0.2f, 0.5f}));
  b.node("QuantizeLinear", {"x", "s", "z"}, {"q"});
  // Its own copies of the scale and zero point (the frontend reshapes each input apart).
  b.node("DequantizeLinear", {"q", "s", "z"}, {"fused"});
  b.node("DequantizeLinear", {"q", "s2", "z"}, {"other"});  // another scale: left alone
  b.node("Identity", {"q"}, {"kept"});
  auto graph = b.import();
  auto before = graph->clone();
  EXPECT_EQ(apply_rule(*graph, rules::fuse_quantize_dequantize()), 1);
  auto types = op_types(*graph);
  EXPECT_EQ(std::count(types.begin(), types.end(), "FusedElementwise"), 1) << ::testing::PrintToString(types);
  EXPECT_EQ(std::count(types.begin(), types.end(), "QuantizeLinear"), 1);  // still read by the others
  // Inputs that land on halves of the grid, and beyond both ends of uint8.
  Tensor x(DType::Float32, {2, 3, 4});
  for (int64_t i = 0; i < x.size(); i++) x.data<float>()[i] = static_cast<float>(i - 12) * 0.025f * 4;
  std::map<std::string, Tensor> in = {{"x", x}};
  auto a = ops::evaluate_graph(*before, in), c = ops::evaluate_graph(*graph, in);
  for (const char* name : {"fused", "other", "kept"}) EXPECT_EQ(a.at(name).bytes, c.at(name).bytes) << name;
  expect_same_outputs(*before, *graph, 0);
}

TEST(IntegerProductsInFloat, MatMulIntegerAndMatMulNBitsBecomeFloatMatMuls) {
  OnnxBuilder b(10);
  b.input("a", {3, 4}, onnx::TensorProto::UINT8).output("y");
  Tensor w(DType::Int8, {4, 5});
  for (int64_t i = 0; i < w.size(); i++) w.data<int8_t>()[i] = static_cast<int8_t>(i * 37 % 256 - 128);
  b.initializer("w", w).initializer("za", u8({}, {100}));
  b.node("MatMulInteger", {"a", "w", "za"}, {"y"});
  auto graph = b.import();
  auto before = graph->clone();
  EXPECT_EQ(apply_rule(*graph, rules::integer_products_in_float()), 1);
  EXPECT_EQ(op_types(*graph), (std::vector<std::string>{"FusedElementwise", "MatMul", "Cast"}));
  Tensor a(DType::Int64, {3, 4});  // a graph input: int64 in the IR, whatever its ONNX type
  for (int64_t i = 0; i < a.size(); i++) a.data<int64_t>()[i] = i * 91 % 256;
  auto x = ops::evaluate_graph(*before, {{"a", a}}), y = ops::evaluate_graph(*graph, {{"a", a}});
  EXPECT_EQ(x.at("y").to_ints(), y.at("y").to_ints());
}

}  // namespace
}  // namespace webdnn

namespace webdnn {
namespace {

// A uint8 embedding table (int64 in the IR) gathered and dequantized; `wide` adds a value past 8 bits.
OnnxBuilder gathered_table(bool wide) {
  OnnxBuilder b(13);
  b.input("ids", {4}, onnx::TensorProto::INT64).output("y");
  std::vector<int64_t> values(15);
  for (size_t i = 0; i < values.size(); i++) values[i] = static_cast<int64_t>(i * 17 % 256);
  if (wide) values[3] = 300;
  b.initializer("table", Tensor::from_ints({5, 3}, values));
  b.initializer("s", Tensor::scalar(0.5f)).initializer("z", Tensor::from_ints({}, {7}, DType::UInt8));
  b.node("Gather", {"table", "ids"}, {"rows"});
  b.node("DequantizeLinear", {"rows", "s", "z"}, {"y"});
  return b;
}

TEST(NarrowDequantizedTables, EmbeddingTableBecomesUint8) {
  auto graph = gathered_table(false).import();
  auto before = graph->clone();
  EXPECT_EQ(apply_rule(*graph, rules::narrow_dequantized_tables()), 1);
  const ir::Operator* gather = graph->topological_order()[0];
  ASSERT_EQ(gather->type, "Gather");
  EXPECT_EQ(gather->inputs[0]->dtype, DType::UInt8);
  std::map<std::string, Tensor> in = {{"ids", Tensor::from_ints({4}, {4, 0, -1, 2})}};
  EXPECT_EQ(ops::evaluate_graph(*before, in).at("y").bytes, ops::evaluate_graph(*graph, in).at("y").bytes);
  // A value past 8 bits: left alone.
  auto wide = gathered_table(true).import();
  EXPECT_EQ(apply_rule(*wide, rules::narrow_dequantized_tables()), 0);
}

}  // namespace
}  // namespace webdnn
