// Linear quantization and integer products through the ONNX handlers, on hand-computed values:
// QuantizeLinear's rounding (half to even) and saturation, DequantizeLinear per tensor, per axis
// and in blocks, DynamicQuantizeLinear's scale and zero point, MatMulInteger's zero points; the
// wasm integer kernel against the reference; and the errors of what is refused. The per-op
// models of tools/testmodels/ops_quant.py compare the rest with onnxruntime on every backend.
#include <gtest/gtest.h>

#include <cmath>

#include "src/ops/evaluate.h"
#include "tests/unit/support/backend_runner.h"
#include "tests/unit/support/onnx_builder.h"

namespace webdnn {
namespace {

using testing::attr;
using testing::import_error;
using testing::i8;
using testing::OnnxBuilder;
using testing::u8;
using TP = onnx::TensorProto;


TEST(QuantizedOps, QuantizeLinearRoundsHalfToEvenAndSaturates) {
  OnnxBuilder b(13);
  b.input("x", {9}).output("y");
  b.initializer("s", Tensor::scalar(0.5f)).initializer("z", u8({}, {10}));
  b.node("QuantizeLinear", {"x", "s", "z"}, {"y"});
  // x / 0.5 = -2, 0.5, 1.5, 2.5, -0.5, 254.6, -200, and inf, NaN (onnxruntime's SSE code: the
  // low end); halves go to the even integer.
  auto out = ops::evaluate_graph(
      *b.import(), {{"x", Tensor::from_floats({9}, {-1, 0.25f, 0.75f, 1.25f, -0.25f, 127.3f, -100, INFINITY, NAN})}});
  EXPECT_EQ(out.at("y").dtype, DType::UInt8);
  EXPECT_EQ(out.at("y").to_ints(), (std::vector<int64_t>{8, 10, 12, 12, 10, 255, 0, 255, 0}));
}

TEST(QuantizedOps, WasmQuantizeAndFakeQuantizeMatchTheReference) {
  // QuantizeLinear to int8 (NaN goes to the low end, -128, not to 0) and a QuantizeLinear ->
  // DequantizeLinear pair (fused into one float expression), on the wasm kernels.
  OnnxBuilder b(13);
  b.input("x", {12}).output("q").output("fake");
  b.initializer("s", Tensor::scalar(0.5f)).initializer("z", i8({}, {10}));
  b.node("QuantizeLinear", {"x", "s", "z"}, {"q"});
  b.node("QuantizeLinear", {"x", "s", "z"}, {"q2"});
  b.node("DequantizeLinear", {"q2", "s", "z"}, {"fake"});
  auto graph = b.import();
  Tensor x = Tensor::from_floats({12}, {-1, 0.25f, 0.75f, 1.25f, -0.25f, 127.3f, -100, INFINITY, -INFINITY, NAN, 3.75f, -69.25f});
  auto ref = ops::evaluate_graph(*graph, {{"x", x}});
  EXPECT_EQ(ref.at("q").to_ints(), (std::vector<int64_t>{8, 10, 12, 12, 10, 127, -128, 127, -128, -128, 18, -128}));
  auto run = testing::run_backend(*graph, "wasm", {{"x", x}});
  EXPECT_EQ(run.outputs.at("q").to_ints(), ref.at("q").to_ints());
  EXPECT_EQ(run.outputs.at("fake").to_floats(), ref.at("fake").to_floats());
  auto names = testing::kernel_names(run.descriptor);
  EXPECT_EQ(std::count(names.begin(), names.end(), "wasm.Elementwise"), 2) << ::testing::PrintToString(names);
}

TEST(QuantizedOps, QuantizeLinearPerAxisToInt8) {
  OnnxBuilder b(13);
  b.input("x", {2, 3}).output("y");
  b.initializer("s", Tensor::from_floats({2}, {0.1f, 2})).initializer("z", i8({2}, {-3, 5}));
  attr(b.node("QuantizeLinear", {"x", "s", "z"}, {"y"}), "axis", int64_t{0});
  auto out = ops::evaluate_graph(*b.import(), {{"x", Tensor::from_floats({2, 3}, {1, -20, 0.05f, 3, -1000, 1000})}});
  EXPECT_EQ(out.at("y").dtype, DType::Int8);
  // Row 0: 10 - 3, -200 - 3 -> -128, 0.5 -> 0 (even) - 3; row 1: 1.5 -> 2 + 5, saturated both ways.
  EXPECT_EQ(out.at("y").to_ints(), (std::vector<int64_t>{7, -128, -3, 7, -128, 127}));
}

TEST(QuantizedOps, DequantizeLinearPerTensorPerAxisAndBlocked) {
  OnnxBuilder b(21);
  b.input("x", {2, 5}, TP::INT8).output("tensor").output("axis").output("blocks");
  b.initializer("s", Tensor::scalar(0.5f)).initializer("z", i8({}, {1}));
  b.initializer("sa", Tensor::from_floats({5}, {1, 2, 3, 4, 5})).initializer("za", i8({5}, {0, 0, 0, 0, 10}));
  // Blocks of 2 along axis 1: 3 per row, the last one cut to one column.
  b.initializer("sb", Tensor::from_floats({2, 3}, {1, 10, 100, -1, -10, -100}));
  b.node("DequantizeLinear", {"x", "s", "z"}, {"tensor"});
  attr(b.node("DequantizeLinear", {"x", "sa", "za"}, {"axis"}), "axis", int64_t{1});
  onnx::NodeProto& blocked = b.node("DequantizeLinear", {"x", "sb"}, {"blocks"});
  attr(blocked, "axis", int64_t{1});
  attr(blocked, "block_size", int64_t{2});
  // Graph inputs of every integer type arrive as int64 (the IR's convention).
  auto out = ops::evaluate_graph(*b.import(), {{"x", Tensor::from_ints({2, 5}, {1, 2, 3, 4, 5, -1, -2, -3, -4, -128})}});
  EXPECT_EQ(out.at("tensor").to_floats(), (std::vector<float>{0, 0.5f, 1, 1.5f, 2, -1, -1.5f, -2, -2.5f, -64.5f}));
  EXPECT_EQ(out.at("axis").to_floats(), (std::vector<float>{1, 4, 9, 16, -25, -1, -4, -9, -16, -690}));
  EXPECT_EQ(out.at("blocks").to_floats(), (std::vector<float>{1, 2, 30, 40, 500, 1, 2, 30, 40, 12800}));
}

TEST(QuantizedOps, DynamicQuantizeLinearScaleAndZeroPoint) {
  struct Case {
    std::vector<float> x;
    float scale;
    int64_t zero;
    std::vector<int64_t> y;
  };
  // min -1, max 2: scale 3/255, zero point 1/scale = 85; all positive: min is taken as 0; all
  // zeros: scale 1 (onnxruntime's choice where max == min).
  for (const Case& c : {Case{{-1, 0, 2, 1}, 3.0f / 255, 85, {0, 85, 255, 170}},
                        Case{{1, 2, 3}, 3.0f / 255, 0, {85, 170, 255}}, Case{{0, 0}, 1, 0, {0, 0}}}) {
    OnnxBuilder b(11);
    b.input("x", {static_cast<int64_t>(c.x.size())}).output("y").output("s").output("z");
    b.node("DynamicQuantizeLinear", {"x"}, {"y", "s", "z"});
    auto out = ops::evaluate_graph(*b.import(), {{"x", Tensor::from_floats({static_cast<int64_t>(c.x.size())}, c.x)}});
    EXPECT_EQ(out.at("s").to_floats(), std::vector<float>{c.scale});
    EXPECT_EQ(out.at("z").to_ints(), std::vector<int64_t>{c.zero});
    EXPECT_EQ(out.at("y").to_ints(), c.y);
  }
}

// [[1, 2, 3], [4, 5, 6]] (zero points 1 and 2 per row) times [[1, 0], [0, 1], [2, 3]] (zero
// points 0 and 1 per column): [[0, 1, 2], [2, 3, 4]] . [[1, -1], [0, 0], [2, 2]].
OnnxBuilder matmul_integer_model(bool b_constant) {
  OnnxBuilder b(10);
  b.input("a", {2, 3}, TP::UINT8).output("y");
  if (b_constant) b.initializer("b", i8({3, 2}, {1, 0, 0, 1, 2, 3}));
  else b.input("b", {3, 2}, TP::INT8);
  b.initializer("za", u8({2}, {1, 2})).initializer("zb", i8({2}, {0, 1}));
  b.node("MatMulInteger", {"a", "b", "za", "zb"}, {"y"});
  return b;
}

TEST(QuantizedOps, MatMulIntegerPerRowAndPerColumnZeroPoints) {
  for (bool constant : {true, false}) {
    OnnxBuilder b = matmul_integer_model(constant);
    std::map<std::string, Tensor> in = {{"a", Tensor::from_ints({2, 3}, {1, 2, 3, 4, 5, 6})}};
    if (!constant) in["b"] = Tensor::from_ints({3, 2}, {1, 0, 0, 1, 2, 3});
    auto out = ops::evaluate_graph(*b.import(), in);
    EXPECT_EQ(out.at("y").dtype, DType::Int32);
    EXPECT_EQ(out.at("y").to_ints(), (std::vector<int64_t>{4, 4, 10, 6}));
  }
}

TEST(QuantizedOps, WasmIntegerKernelMatchesTheReference) {
  // DynamicQuantizeLinear's uint8 by an int8 weight: a zero point computed at run time, K odd
  // (the last pair padded), N = 21 (a partial panel of 16), 7 rows (a tile of 2 cut short).
  OnnxBuilder b(11);
  b.input("x", {7, 37}).output("y");
  Tensor w(DType::Int8, {37, 21}), zb(DType::Int8, {21});
  for (int64_t i = 0; i < w.size(); i++) w.data<int8_t>()[i] = static_cast<int8_t>((i * 73) % 255 - 127);
  for (int64_t i = 0; i < zb.size(); i++) zb.data<int8_t>()[i] = static_cast<int8_t>(i % 5 - 2);
  b.initializer("w", w).initializer("zb", zb);
  b.node("DynamicQuantizeLinear", {"x"}, {"q", "s", "z"});
  b.node("MatMulInteger", {"q", "w", "z", "zb"}, {"y"});
  auto graph = b.import();
  Tensor x(DType::Float32, {7, 37});
  for (int64_t i = 0; i < x.size(); i++) x.data<float>()[i] = std::sin(static_cast<float>(i)) * 3 - 1;
  auto ref = ops::evaluate_graph(*graph, {{"x", x}});
  auto run = testing::run_backend(*graph, "wasm", {{"x", x}});
  auto names = testing::kernel_names(run.descriptor);
  EXPECT_NE(std::find(names.begin(), names.end(), "wasm.MatMulInteger"), names.end()) << ::testing::PrintToString(names);
  EXPECT_EQ(run.outputs.at("y").to_ints(), ref.at("y").to_ints());
}

TEST(QuantizedOps, WasmConvIntegerRunsOnTheIntegerConvolution) {
  // A dynamically quantized convolution: uint8 from DynamicQuantizeLinear (its zero point known
  // only at run time would stop the rule: here a QuantizeLinear with a constant one), an int8
  // weight with a zero point per output channel; 3x3 with padding (the zero point's place), 21
  // input channels (an odd K), 19 output channels (a partial panel).
  OnnxBuilder b(13);
  b.input("x", {1, 21, 6, 7}).output("y");
  Tensor w(DType::Int8, {19, 21, 3, 3}), zw(DType::Int8, {19});
  for (int64_t i = 0; i < w.size(); i++) w.data<int8_t>()[i] = static_cast<int8_t>((i * 73) % 255 - 127);
  for (int64_t i = 0; i < zw.size(); i++) zw.data<int8_t>()[i] = static_cast<int8_t>(i % 5 - 2);
  b.initializer("w", w).initializer("zw", zw);
  b.initializer("s", Tensor::scalar(0.02f)).initializer("zx", Tensor::from_ints({}, {128}, DType::UInt8));
  b.node("QuantizeLinear", {"x", "s", "zx"}, {"q"});
  onnx::NodeProto& n = b.node("ConvInteger", {"q", "w", "zx", "zw"}, {"y"});
  attr(n, "pads", std::vector<int64_t>{1, 1, 1, 1});
  auto graph = b.import();
  Tensor x(DType::Float32, {1, 21, 6, 7});
  for (int64_t i = 0; i < x.size(); i++) x.data<float>()[i] = std::sin(static_cast<float>(i)) * 3;
  auto ref = ops::evaluate_graph(*graph, {{"x", x}});
  auto run = testing::run_backend(*graph, "wasm", {{"x", x}});
  auto names = testing::kernel_names(run.descriptor);
  EXPECT_NE(std::find(names.begin(), names.end(), "wasm.IntegerConv"), names.end()) << ::testing::PrintToString(names);
  EXPECT_EQ(run.outputs.at("y").to_ints(), ref.at("y").to_ints());
}

// W [N, K] in 4-bit blocks of 16 along K: K = 40 cuts the last block short; N = 21 leaves a
// partial panel; packed zero points (3 blocks: a padding nibble per row), a bias.
OnnxBuilder matmul_nbits_model() {
  OnnxBuilder b(17);
  auto* o = b.model().add_opset_import();
  o->set_domain("com.microsoft");
  o->set_version(1);
  const int64_t K = 40, N = 21, blocks = 3;
  b.input("a", {3, K}).output("y");
  Tensor q(DType::UInt8, {N, blocks, 8}), scales(DType::Float32, {N * blocks}), zero(DType::UInt8, {N * 2});
  for (int64_t i = 0; i < q.size(); i++) q.data<uint8_t>()[i] = static_cast<uint8_t>(i * 97 % 256);
  for (int64_t i = 0; i < scales.size(); i++) scales.data<float>()[i] = 0.01f * static_cast<float>(i % 7 + 1);
  for (int64_t i = 0; i < zero.size(); i++) zero.data<uint8_t>()[i] = static_cast<uint8_t>(i * 29 % 256);
  b.initializer("q", q).initializer("s", scales).initializer("z", zero);
  b.initializer("bias", Tensor::from_floats({N}, std::vector<float>(N, 0.5f)));
  onnx::NodeProto& n = b.node("MatMulNBits", {"a", "q", "s", "z", "", "bias"}, {"y"});
  n.set_domain("com.microsoft");
  attr(n, "K", K);
  attr(n, "N", N);
  attr(n, "bits", int64_t{4});
  attr(n, "block_size", int64_t{16});
  return b;
}

TEST(QuantizedOps, MatMulNBitsDequantizesBlocksByHand) {
  // Row 0 of A picks column k of W' for one k: W[n, k] = (q - zero point) * scale.
  OnnxBuilder b = matmul_nbits_model();
  auto graph = b.import();
  Tensor a(DType::Float32, {3, 40});
  a.data<float>()[35] = 1;  // k = 35: block 2 (k 32..39), byte 1 (values 34, 35), high nibble
  auto out = ops::evaluate_graph(*graph, {{"a", a}});
  for (int64_t n : {0, 7, 20}) {
    uint8_t byte = static_cast<uint8_t>(((n * 3 + 2) * 8 + 1) * 97 % 256);
    uint8_t zero_byte = static_cast<uint8_t>((n * 2 + 1) * 29 % 256);  // block 2: byte 1 of the row, low nibble
    float w = static_cast<float>((byte >> 4) - (zero_byte & 15)) * 0.01f * static_cast<float>((n * 3 + 2) % 7 + 1);
    EXPECT_FLOAT_EQ(out.at("y").data<float>()[n], w + 0.5f) << "column " << n;
  }
}

TEST(QuantizedOps, WasmMatMulNBitsMatchesTheReference) {
  auto graph = matmul_nbits_model().import();
  Tensor a(DType::Float32, {3, 40});
  for (int64_t i = 0; i < a.size(); i++) a.data<float>()[i] = std::cos(static_cast<float>(i));
  auto ref = ops::evaluate_graph(*graph, {{"a", a}});
  auto run = testing::run_backend(*graph, "wasm", {{"a", a}});
  auto names = testing::kernel_names(run.descriptor);
  EXPECT_NE(std::find(names.begin(), names.end(), "wasm.MatMulNBits"), names.end()) << ::testing::PrintToString(names);
  EXPECT_LE(testing::max_abs_diff(run.outputs.at("y"), ref.at("y")), 1e-5);
}

TEST(QuantizedOps, RefusedTypesAndShapesSayWhat) {
  OnnxBuilder b(13);
  b.input("x", {2, 3}).output("y");
  b.initializer("s", Tensor::from_floats({2}, {1, 2})).initializer("z", u8({2}, {0, 0}));
  b.node("QuantizeLinear", {"x", "s", "z"}, {"y"});  // axis 1 (the default) has 3 slices, not 2
  std::string e = import_error(b);
  EXPECT_NE(e.find("one value, or one per slice along axis 1 of [2,3] ([3]) is expected"), std::string::npos) << e;

  OnnxBuilder f(13);
  f.input("x", {2}, TP::FLOAT).output("y");
  f.initializer("s", Tensor::scalar(1)).initializer("z", Tensor::scalar(0));
  f.node("DequantizeLinear", {"x", "s", "z"}, {"y"});
  e = import_error(f);
  EXPECT_NE(e.find("the quantized input has element type FLOAT"), std::string::npos) << e;
}

}  // namespace
}  // namespace webdnn
