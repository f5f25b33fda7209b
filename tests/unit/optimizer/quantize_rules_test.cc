// fuse_quantize_dequantize, and integer_products_in_float (the GPU backends' lowering).
#include <gtest/gtest.h>

#include "src/ops/evaluate.h"
#include "src/optimizer/rules/rules.h"
#include "tests/unit/support/graph_builder.h"
#include "tests/unit/support/onnx_builder.h"
#include "tests/unit/support/rules.h"
#include "webdnn/params.h"

namespace webdnn {
namespace {

using testing::apply_rule;
using testing::attr;
using testing::expect_same_outputs;
using testing::op_types;
using testing::u8;
using testing::OnnxBuilder;
namespace rules = optimizer::rules;

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

// x -> QuantizeLinear -> DequantizeLinear -> Conv(DequantizeLinear(int8 weight, scale per channel)),
// the scales and zero points shaped as the ONNX frontend shapes them.
std::unique_ptr<ir::Graph> quantized_conv(bool per_channel, bool paired) {
  testing::GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 2, 4, 4});
  ir::Variable *s = b.constant("s", {}, {0.05f}), *other = b.constant("s_other", {}, {0.1f});
  ir::Variable* z = b.graph.add_constant("z", u8({}, {128}));
  ir::Variable* q = b.op("QuantizeLinear", {x, s, z}, {{"to", "uint8"}, {"min", 0}, {"max", 255}});
  ir::Variable* xd = b.op("DequantizeLinear", {q, paired ? s : other, z});
  Shape channels = per_channel ? Shape{3, 1, 1, 1} : Shape{};
  ir::Variable* w = b.graph.add_constant("w", Tensor::from_ints({3, 2, 1, 1}, {-3, 5, 127, -128, 0, 9}, DType::Int8));
  ir::Variable* ws = b.constant("ws", channels, per_channel ? std::vector<float>{0.5f, 0.25f, 2.0f} : std::vector<float>{0.125f});
  ir::Variable* wz = b.graph.add_constant("wz", Tensor::from_ints(channels, std::vector<int64_t>(per_channel ? 3 : 1, 0), DType::Int8));
  b.output(b.op("Conv", {xd, b.op("DequantizeLinear", {w, ws, wz})}));
  return b.copy();
}

TEST(RecordIntegerGrid, QuantizedConvRecordsBothScalesAndReadsItsWeightAsFloats) {
  for (bool per_channel : {true, false}) {
    auto graph = quantized_conv(per_channel, true);
    auto before = graph->clone();
    EXPECT_EQ(apply_rule(*graph, rules::record_integer_grid()), 1);
    const ir::Operator* conv = nullptr;
    for (const ir::Operator* op : graph->topological_order())
      if (op->type == "Conv") conv = op;
    ASSERT_NE(conv, nullptr);
    EXPECT_TRUE(conv->inputs[1]->is_constant());
    params::IntegerGrid grid = params::Conv::parse(conv->params).grid;
    EXPECT_FLOAT_EQ(grid.x_scale, 0.05);
    EXPECT_EQ(grid.w_scales, per_channel ? (std::vector<double>{0.5, 0.25, 2.0}) : (std::vector<double>{0.125, 0.125, 0.125}));
    // uint8 less zero point 128: multiples in [-128, 127], written and read back with the grid.
    EXPECT_EQ(grid.x_min, -128);
    EXPECT_EQ(grid.x_max, 127);
    EXPECT_EQ(params::Conv::parse(params::Conv::parse(conv->params).to_json()).grid.x_min, -128);
    expect_same_outputs(*before, *graph, 0);
  }
  // A grid written without a range (descriptors made before it was recorded) reads as unknown.
  params::IntegerGrid old = params::IntegerGrid::parse(Json::parse(R"({"integer_grid": {"x_scale": 0.5, "w_scales": [1]}})"));
  EXPECT_FALSE(old.has_range());
  // An input dequantized with another scale than it was quantized with: no grid is known.
  auto unpaired = quantized_conv(true, false);
  EXPECT_EQ(apply_rule(*unpaired, rules::record_integer_grid()), 0);
}

TEST(RecordIntegerGrid, QuantizedMatMulAndGemmRecordTheirColumnsScales) {
  // MatMul's weight [K, N] has its channels along axis 1, Gemm's transposed one [N, K] along axis 0;
  // a scale per row of MatMul's weight (its K axis) is no grid of the output.
  struct Case {
    const char* type;
    Shape w, scales;
    bool trans_b;
    size_t grids;
  };
  for (const Case& c : {Case{"MatMul", {2, 3}, {3}, false, 1}, Case{"Gemm", {3, 2}, {3, 1}, true, 1},
                        Case{"Gemm", {2, 3}, {1, 3}, false, 1}, Case{"MatMul", {2, 3}, {2, 1}, false, 0}}) {
    testing::GraphBuilder b;
    ir::Variable* x = b.input("x", {4, 2});
    ir::Variable* s = b.constant("s", {}, {0.05f});
    ir::Variable* z = b.graph.add_constant("z", u8({}, {128}));
    ir::Variable* xd = b.op("DequantizeLinear", {b.op("QuantizeLinear", {x, s, z}, {{"to", "uint8"}, {"min", 0}, {"max", 255}}), s, z});
    const int64_t n = num_elements(c.scales);
    std::vector<float> scales = {0.5f, 0.25f, 2.0f};
    scales.resize(static_cast<size_t>(n));
    ir::Variable* w = b.graph.add_constant("w", Tensor::from_ints(c.w, {-3, 5, 127, -128, 0, 9}, DType::Int8));
    ir::Variable* wz = b.graph.add_constant("wz", Tensor::from_ints(c.scales, std::vector<int64_t>(static_cast<size_t>(n), 0), DType::Int8));
    ir::Variable* wd = b.op("DequantizeLinear", {w, b.constant("ws", c.scales, scales), wz});
    Json p = std::string(c.type) == "Gemm" ? Json{{"alpha", 1.0}, {"beta", 1.0}, {"transA", 0}, {"transB", c.trans_b ? 1 : 0}} : Json::object();
    b.output(b.op(c.type, {xd, wd}, p));
    auto graph = b.copy();
    auto before = graph->clone();
    SCOPED_TRACE(std::string(c.type) + " " + shape_to_string(c.scales));
    EXPECT_EQ(apply_rule(*graph, rules::record_integer_grid()), c.grids);
    for (const ir::Operator* op : graph->topological_order()) {
      if (op->type != c.type || !c.grids) continue;
      params::IntegerGrid grid = params::IntegerGrid::parse(op->params);
      EXPECT_FLOAT_EQ(grid.x_scale, 0.05);
      EXPECT_EQ(grid.w_scales, (std::vector<double>{0.5, 0.25, 2.0}));
      EXPECT_EQ(grid.x_min, -128);
      EXPECT_EQ(grid.x_max, 127);
    }
    expect_same_outputs(*before, *graph, 0);
  }
}

// ConvInteger of a uint8 image [1, c, 5, 5] by an int8 weight [3, c, 3, 3] of values `w` (cycled),
// zero points 100 and per channel {1, -2, 0}.
testing::OnnxBuilder conv_integer(int64_t c, std::vector<int64_t> w) {
  testing::OnnxBuilder b(10);
  b.input("x", {1, c, 5, 5}, onnx::TensorProto::UINT8).output("y");
  std::vector<int64_t> values(static_cast<size_t>(3 * c * 9));
  for (size_t i = 0; i < values.size(); i++) values[i] = w[i % w.size()];
  b.initializer("w", Tensor::from_ints({3, c, 3, 3}, values, DType::Int8));
  b.initializer("xz", u8({}, {100})).initializer("wz", Tensor::from_ints({3}, {1, -2, 0}, DType::Int8));
  onnx::NodeProto& n = b.node("ConvInteger", {"x", "w", "xz", "wz"}, {"y"});
  attr(n, "pads", std::vector<int64_t>{1, 1, 1, 1});
  return b;
}

TEST(ConvIntegerOnGrid, ExactSumsBecomeAConvOnGridsOfOne) {
  auto graph = conv_integer(4, {-127, 5, 33, 127, -60, 0, 7});
  auto g = graph.import();
  auto before = g->clone();
  EXPECT_EQ(apply_rule(*g, rules::conv_integer_on_grid()), 1);
  const ir::Operator* conv = nullptr;
  for (const ir::Operator* op : g->topological_order())
    if (op->type == "Conv") conv = op;
  ASSERT_NE(conv, nullptr);
  EXPECT_TRUE(conv->inputs[1]->is_constant());  // the weight less its zero points, now
  params::IntegerGrid grid = params::Conv::parse(conv->params).grid;
  EXPECT_EQ(grid.x_scale, 1.0);
  EXPECT_EQ(grid.w_scales, (std::vector<double>{1, 1, 1}));
  Tensor x(DType::Int64, {1, 4, 5, 5});
  for (int64_t i = 0; i < x.size(); i++) x.data<int64_t>()[i] = i * 97 % 256;
  EXPECT_EQ(ops::evaluate_graph(*before, {{"x", x}}).at("y").to_ints(), ops::evaluate_graph(*g, {{"x", x}}).at("y").to_ints());
  // 256 channels of weights near 127: sums past 2^24 would round in float; left as it is.
  auto large = conv_integer(256, {127, -126});
  auto h = large.import();
  EXPECT_EQ(apply_rule(*h, rules::conv_integer_on_grid()), 0);
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
