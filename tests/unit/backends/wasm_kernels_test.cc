// The wasm backend's fast kernels against the reference kernels, on shapes that reach every
// algorithm and edge: Winograd tiles cut by the image border, channel counts that are not a
// multiple of 4 or of the GEMM panel width, groups, strides, epilogues.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "backends/wasm/kernels/epilogue.h"
#include "backends/wasm/kernels/simd.h"
#include "runtime/core/kernel.h"
#include "runtime/core/parallel.h"
#include "src/ops/evaluate.h"
#include "tests/unit/support/backend_runner.h"
#include "tests/unit/support/graph_builder.h"
#include "tests/unit/support/rules.h"

namespace webdnn {
namespace {

using testing::GraphBuilder;

// Runs `b`'s graph on the wasm backend and with the reference kernels; expects `kernel` to be
// used and the outputs to agree to `rel` of their largest magnitude. Inputs not in `given` are
// random.
void expect_matches_reference(GraphBuilder& b, const std::string& kernel, double rel = 1e-5,
                              const std::map<std::string, Tensor>& given = {}) {
  auto inputs = testing::random_inputs(b.graph, 7);
  for (auto& [name, t] : given) inputs[name] = t;
  auto ref = ops::evaluate_graph(b.graph, inputs);
  auto run = testing::run_backend(b.graph, "wasm", inputs);
  auto names = testing::kernel_names(run.descriptor);
  EXPECT_NE(std::find(names.begin(), names.end(), kernel), names.end()) << ::testing::PrintToString(names);
  for (auto& [name, t] : ref) {
    const Tensor& ours = run.outputs.at(name);
    double scale = 0, diff = 0;
    for (int64_t i = 0; i < t.size(); i++) {
      scale = std::max(scale, std::fabs(t.as_double(i)));
      diff = std::max(diff, std::fabs(t.as_double(i) - ours.as_double(i)));
    }
    EXPECT_LE(diff, rel * scale + 1e-6) << name << ": max|diff| " << diff << " of max " << scale;
  }
}

struct ConvCase {
  const char* what;
  Shape x;  // NCHW
  int64_t m, k, stride, pad, dilation, group;
};

class WasmConv : public ::testing::TestWithParam<ConvCase> {};

TEST_P(WasmConv, MatchesReference) {
  const ConvCase& c = GetParam();
  GraphBuilder b;
  ir::Variable* x = b.input("x", c.x);
  ir::Variable* w = b.constant("w", {c.m, c.x[1] / c.group, c.k, c.k});
  ir::Variable* bias = b.constant("bias", {c.m});
  Json p = {{"strides", Shape{c.stride, c.stride}}, {"pads", Shape{c.pad, c.pad, c.pad, c.pad}},
            {"dilations", Shape{c.dilation, c.dilation}}, {"group", c.group}};
  ir::Variable* y = b.op("Conv", {x, w, bias}, p);
  b.output(b.op("Relu", {y}));
  expect_matches_reference(b, "wasm.Conv");
}

INSTANTIATE_TEST_SUITE_P(Shapes, WasmConv, ::testing::Values(
    ConvCase{"winograd_even", {1, 16, 8, 8}, 16, 3, 1, 1, 1, 1},
    ConvCase{"winograd_odd_border", {1, 20, 7, 9}, 18, 3, 1, 1, 1, 1},
    ConvCase{"winograd_no_pad_batch2", {2, 32, 6, 5}, 33, 3, 1, 0, 1, 1},
    ConvCase{"pointwise", {1, 24, 5, 7}, 40, 1, 1, 0, 1, 1},
    ConvCase{"pointwise_strided", {1, 24, 9, 9}, 20, 1, 2, 0, 1, 1},
    ConvCase{"im2col_7x7_s2", {1, 3, 17, 19}, 16, 7, 2, 3, 1, 1},
    ConvCase{"im2col_dilated", {1, 8, 10, 10}, 12, 3, 1, 2, 2, 1},
    ConvCase{"grouped", {1, 12, 6, 6}, 18, 3, 1, 1, 1, 3},
    ConvCase{"depthwise_s2", {1, 13, 9, 8}, 13, 3, 2, 1, 1, 13},
    ConvCase{"depthwise_5x5", {2, 8, 7, 7}, 8, 5, 1, 2, 1, 8},
    // 16 channels at a time, then 4, then 1 (37 = 2 * 16 + 4 + 1); taps cut by the border.
    ConvCase{"depthwise_wide", {1, 37, 6, 5}, 37, 5, 2, 2, 1, 37}),
    [](const auto& info) { return std::string(info.param.what); });

// x quantized to uint8 and dequantized, as onnxruntime's quantizer writes a QDQ model's
// activations (a scale of its own per call); the scale in `x_scale`.
ir::Variable* fake_quantized_input(GraphBuilder& b, ir::Variable* x, float& x_scale) {
  static int calls = 0;  // names apart
  x_scale = 0.0173f * (1.0f + 0.37f * static_cast<float>(calls++));
  ir::Variable* s = b.constant("xs" + std::to_string(calls), {}, {x_scale});
  ir::Variable* z = b.graph.add_constant("xz" + std::to_string(calls), Tensor::from_ints({}, {100}, DType::UInt8));
  ir::Variable* q = b.op("QuantizeLinear", {x, s, z}, {{"to", "uint8"}, {"min", 0}, {"max", 255}});
  return b.op("DequantizeLinear", {q, s, z});
}

// An int8 weight of `shape` dequantized with `scales` (shaped to broadcast along its channels),
// and a bias of `outputs` values on the products' grid (x_scale * the channel's scale), as the quantizer
// writes them.
std::pair<ir::Variable*, ir::Variable*> quantized_weight(GraphBuilder& b, const Shape& shape, const Shape& scale_shape,
                                                         int64_t outputs, float x_scale) {
  static int calls = 0;
  const std::string id = std::to_string(calls++);
  const int64_t channels = num_elements(scale_shape), n = num_elements(shape);
  std::vector<int64_t> wq(static_cast<size_t>(n));
  for (size_t i = 0; i < wq.size(); i++) wq[i] = static_cast<int64_t>(i * 37 % 255) - 127;
  std::vector<float> w_scales(static_cast<size_t>(channels));
  for (int64_t i = 0; i < channels; i++) w_scales[static_cast<size_t>(i)] = 0.001f * static_cast<float>(1 + i % 5);
  std::vector<float> bias(static_cast<size_t>(outputs));
  for (size_t i = 0; i < bias.size(); i++)
    bias[i] = static_cast<float>(static_cast<int64_t>(i) * 53 % 401 - 200) * x_scale * w_scales[channels == 1 ? 0 : i];
  ir::Variable* w = b.graph.add_constant("wq" + id, Tensor::from_ints(shape, wq, DType::Int8));
  ir::Variable* ws = b.constant("ws" + id, scale_shape, w_scales);
  ir::Variable* wz = b.graph.add_constant("wz" + id, Tensor::from_ints(scale_shape, std::vector<int64_t>(static_cast<size_t>(channels), 0), DType::Int8));
  return {b.op("DequantizeLinear", {w, ws, wz}), b.constant("bias" + id, {static_cast<int64_t>(bias.size())}, bias)};
}

// A QDQ model's convolution as onnxruntime's quantizer writes it: the input quantized to uint8 and
// dequantized, int8 weights with a scale per output channel, an int32 bias of scale x_scale *
// w_scale; record_integer_grid and the wasm lowering turn it into wasm.IntegerConv.
ir::Variable* qdq_conv(GraphBuilder& b, ir::Variable* x, int64_t m, int64_t k, int64_t stride, int64_t pad,
                       int64_t dilation = 1) {
  float x_scale = 0;
  ir::Variable* xd = fake_quantized_input(b, x, x_scale);
  auto [wd, bias] = quantized_weight(b, {m, x->shape[1], k, k}, {m, 1, 1, 1}, m, x_scale);
  Json p = {{"strides", Shape{stride, stride}}, {"pads", Shape{pad, pad, pad, pad}}, {"dilations", Shape{dilation, dilation}}};
  return b.op("Conv", {xd, wd, bias}, p);
}

// The next layer's quantization of v (a scale of no round ratio to the products', so that no sum
// lies on a rounding tie), which the kernels round in their tiles.
ir::Variable* requantized(GraphBuilder& b, ir::Variable* v) {
  static int calls = 0;
  const std::string id = std::to_string(calls++);
  ir::Variable* s = b.constant("s_out" + id, {}, {0.0419f});
  ir::Variable* z = b.graph.add_constant("z_out" + id, Tensor::from_ints({}, {120}, DType::UInt8));
  Json q = {{"to", "uint8"}, {"min", 0}, {"max", 255}};
  return b.op("DequantizeLinear", {b.op("QuantizeLinear", {v, s, z}, q), s, z});
}

TEST(WasmIntegerConv, QuantizedConvolutionsMatchTheFloatReference) {
  // Each reads the input itself: a chain would compare exact sums with the reference's float ones
  // at the next quantization, which rounds them a step apart where a value lies near a tie.
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 21, 9, 7});
  ir::Variable* r = b.input("r", {2, 19, 9, 7});
  // Pointwise (21 channels: an odd K, 2 pairs short of a vector) with a partial panel of columns
  // (19 = 16 + 3); strided 3x3 and 5x5 im2col rows cut by the border; a residual add and a ReLU in
  // the epilogue.
  b.output(qdq_conv(b, x, 19, 1, 1, 0));
  b.output(qdq_conv(b, x, 19, 3, 2, 1));
  b.output(qdq_conv(b, x, 35, 5, 1, 2));
  b.output(b.op("Relu", {b.op("Add", {qdq_conv(b, x, 19, 1, 1, 0), r})}));
  // The next layer's quantization rounded in the tile, after a plain conv and after a residual add.
  b.output(requantized(b, qdq_conv(b, x, 19, 3, 2, 1)));
  b.output(requantized(b, b.op("Add", {qdq_conv(b, x, 19, 1, 1, 0), r})));
  // A QDQ residual block: the product rounded onto its own grid before the add (Epilogue::product_grid).
  b.output(requantized(b, b.op("Add", {requantized(b, qdq_conv(b, x, 19, 1, 1, 0)), r})));
  // An even channel count: im2col rows gathered as pairs from the image itself (whole rows of taps,
  // taps cut by the border, dilated taps, a strided 1x1), 10 channels = a vector of 8 and a pair.
  ir::Variable* e = b.input("e", {1, 10, 8, 9});
  b.output(qdq_conv(b, e, 17, 3, 1, 1));
  b.output(qdq_conv(b, e, 17, 3, 2, 1));
  b.output(qdq_conv(b, e, 17, 3, 1, 2, 2));
  b.output(qdq_conv(b, e, 17, 1, 2, 0));
  expect_matches_reference(b, "wasm.IntegerConv", 1e-5);
}

// grid(v) as fuse_quantize_dequantize writes it: F32(round(clamp(F32(v / s), 0, 255)) * s).
int on_grid(Expr& e, int v, double s) {
  const int step = e.constant(s);
  const int q = e.unary(ExprOp::Round, e.clamp(e.unary(ExprOp::F32, e.binary(ExprOp::Div, v, step)), e.constant(0), e.constant(255)));
  return e.unary(ExprOp::F32, e.binary(ExprOp::Mul, q, step));
}

TEST(WasmIntegerConv, AResidualBlocksTwoRoundingsAreDoneInTheTile) {
  // grid_b(grid_a(x0) + x1): the product rounded, the residual added, the sum rounded; all in the
  // tile, no program after it. Where the Add reads x0 unrounded (a rounding of x0 left unread), the
  // product is not rounded.
  for (bool read_rounded : {true, false}) {
    Expr e;
    const int x0 = e.input(0), rounded = on_grid(e, x0, 0.25);
    on_grid(e, e.binary(ExprOp::Add, read_rounded ? rounded : x0, e.input(1)), 0.5);
    runtime::KernelSpec spec;
    spec.params = {{"epilogue", e.to_json()}};
    spec.inputs = {{DType::Float32, {1, 4}, {4, 1}}, {DType::Float32, {1, 4}, {4, 1}}};
    spec.outputs = {{DType::Float32, {1, 4}, {4, 1}}};
    wasm::Epilogue ep = wasm::Epilogue::from(spec, 1, true, true);
    EXPECT_EQ(ep.grid.step, 0.5f);
    EXPECT_EQ(ep.grid.hi, 255.0f);
    EXPECT_EQ(ep.product_grid.step, read_rounded ? 0.25f : 0.0f);
    EXPECT_EQ(ep.residual, 1);
    EXPECT_EQ(ep.program, nullptr);
  }
}

TEST(WasmIntegerGemm, QuantizedMatMulsAndGemmsMatchTheFloatReference) {
  // Each reads the input itself, as the convolutions above. K = 21: an odd K, 2 pairs short of a
  // vector; N = 19: a partial panel of columns.
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 5, 21});
  ir::Variable* r = b.input("r", {2, 5, 19});
  ir::Variable* x2 = b.input("x2", {7, 21});
  float s = 0;
  // MatMul of a 3-D input by a weight with a scale per column, its bias added after, then a ReLU,
  // or a residual add and the next layer's quantization.
  auto matmul = [&](bool per_column) {
    ir::Variable* xd = fake_quantized_input(b, x, s);
    auto [w, bias] = quantized_weight(b, {21, 19}, per_column ? Shape{19} : Shape{}, 19, s);
    return b.op("Add", {b.op("MatMul", {xd, w}), bias});
  };
  b.output(b.op("Relu", {matmul(true)}));
  b.output(requantized(b, b.op("Add", {matmul(false), r})));
  b.output(requantized(b, b.op("Add", {requantized(b, matmul(true)), r})));
  // Gemm with its weight transposed (per row of it), as classifiers are written; alpha in the scales.
  for (double alpha : {1.0, 0.5}) {
    ir::Variable* xd = fake_quantized_input(b, x2, s);
    auto [w, bias] = quantized_weight(b, {19, 21}, {19, 1}, 19, s);
    b.output(b.op("Gemm", {xd, w, bias}, {{"alpha", alpha}, {"beta", 1.0}, {"transA", 0}, {"transB", 1}}));
  }
  expect_matches_reference(b, "wasm.IntegerGemm", 1e-5);
  auto names = testing::kernel_names(testing::lower(b.graph, "wasm").descriptor);
  EXPECT_EQ(std::count(names.begin(), names.end(), "wasm.IntegerGemm"), 5) << ::testing::PrintToString(names);
}

TEST(WasmConvEpilogue, ResidualAddAndReluAfterPointwiseAndWinograd) {
  for (int64_t k : {1, 3}) {
    GraphBuilder b;
    ir::Variable* x = b.input("x", {1, 16, 6, 6});
    Json p = {{"pads", Shape{k / 2, k / 2, k / 2, k / 2}}};
    ir::Variable* y = b.op("Conv", {x, b.constant("w", {16, 16, k, k})}, p);
    b.output(b.op("Relu", {b.op("Add", {y, x})}));
    expect_matches_reference(b, "wasm.Conv");
  }
}

TEST(WasmConvEpilogue, DepthwiseRowsEachFinishedByTheProgram) {
  // HardSwish and a residual sum: a program, run over each finished row of output pixels.
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 20, 5, 6});
  Json p = {{"pads", Shape{1, 1, 1, 1}}, {"group", 20}};
  ir::Variable* y = b.op("Conv", {x, b.constant("w", {20, 1, 3, 3}), b.constant("bias", {20})}, p);
  b.output(b.op("Add", {b.op("HardSwish", {y}), x}));
  expect_matches_reference(b, "wasm.Conv");
}

TEST(WasmElementwise, BroadcastsAndScalarsInOneKernel) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 3, 5});
  ir::Variable* v = b.op("Mul", {x, b.constant("col", {3, 1})});
  v = b.op("Add", {v, b.input("row", {5})});
  v = b.op("Sigmoid", {v});
  b.output(b.op("Sub", {v, b.constant("half", {1}, {0.5})}));
  expect_matches_reference(b, "wasm.Elementwise");
}

TEST(WasmElementwise, PerChannelValuesOfAChannelsLastImageInChunksAcrossRows) {
  // x [1, 5, 9, 13] laid out NHWC (rows of 5 channels), plus a per-channel [5, 1, 1] and a
  // scalar, requantized into uint8: the interpreter's chunks span many rows and end mid-row.
  runtime::KernelSpec spec;
  Expr e;
  int sum = e.binary(ExprOp::Add, e.binary(ExprOp::Mul, e.input(0), e.input(2)), e.input(1));
  e.unary(ExprOp::Round, e.clamp(sum, e.constant(0), e.constant(255)));
  spec.params = {{"expr", e.to_json()}, {"to", "uint8"}};
  const Shape nhwc = {585, 1, 65, 5};
  spec.inputs = {{DType::Int32, {1, 5, 9, 13}, nhwc}, {DType::Float32, {5, 1, 1}, {1, 1, 1}}, {DType::Float32, {}, {}}};
  spec.outputs = {{DType::UInt8, {1, 5, 9, 13}, nhwc}};
  auto kernel = runtime::find_kernel("wasm.Elementwise")(spec);
  std::vector<int32_t> x(585);
  for (size_t i = 0; i < x.size(); i++) x[i] = static_cast<int32_t>(i * 37 % 601) - 200;
  std::vector<float> shift = {0.5f, -20, 3, 100, 7.25f};
  float scale = 0.75f;
  std::vector<uint8_t> y(585, 1);
  void* in[] = {x.data(), shift.data(), &scale};
  void* out[] = {y.data()};
  kernel->run(in, out);
  for (size_t i = 0; i < y.size(); i++) {
    double v = std::nearbyint(std::clamp(static_cast<double>(static_cast<float>(x[i] * scale) + shift[i % 5]), 0.0, 255.0));
    EXPECT_EQ(y[i], static_cast<uint8_t>(v)) << i;
  }
}

// A size-1 axis whose stride is not 0 on a broadcast input (as a descriptor of free dimensions
// writes strides: [seq*128, 128, 1] at seq = 1) must not pass its stride to the axis it merges
// into: y[b][0][k] = x[b][0][k] + p[0][0][k].
TEST(WasmElementwise, SizeOneAxesDoNotBreakBroadcasting) {
  runtime::KernelSpec spec;
  Expr e;
  e.binary(ExprOp::Add, e.input(0), e.input(1));
  spec.params = {{"expr", e.to_json()}, {"to", "float32"}};
  spec.inputs = {{DType::Float32, {3, 1, 8}, {8, 8, 1}}, {DType::Float32, {1, 1, 8}, {8, 8, 1}}};
  spec.outputs = {{DType::Float32, {3, 1, 8}, {8, 8, 1}}};
  auto kernel = runtime::find_kernel("wasm.Elementwise")(spec);
  std::vector<float> x(24), p(8), y(24, -1.0f);
  for (size_t i = 0; i < x.size(); i++) x[i] = static_cast<float>(i);
  for (size_t i = 0; i < p.size(); i++) p[i] = 100.0f * static_cast<float>(i + 1);
  void* in[] = {x.data(), p.data()};
  void* out[] = {y.data()};
  kernel->run(in, out);
  for (size_t i = 0; i < y.size(); i++) EXPECT_EQ(y[i], x[i] + p[i % 8]) << i;
}

}  // namespace
}  // namespace webdnn

namespace webdnn {
namespace {

TEST(WasmPool, MaxAndAverageWindowsWithPaddingAndCeilMode) {
  for (const char* type : {"MaxPool", "AveragePool"})
    for (int64_t include_pad : {0, 1}) {
      testing::GraphBuilder b;
      ir::Variable* x = b.input("x", {2, 6, 7, 9});
      // A Conv first, so the image is channels-last as the pool kernel wants it.
      ir::Variable* c = b.op("Conv", {x, b.constant("w", {6, 6, 1, 1})});
      b.output(b.op(type, {c}, {{"kernel_shape", Shape{3, 3}}, {"strides", Shape{2, 2}}, {"pads", Shape{1, 1, 1, 1}},
                               {"ceil_mode", 1}, {"count_include_pad", include_pad}}));
      expect_matches_reference(b, "wasm.Pool");
    }
}

TEST(WasmGlobalPool, MeanAndMaxOverPixels) {
  for (const char* type : {"ReduceMean", "ReduceMax"}) {
    testing::GraphBuilder b;
    ir::Variable* x = b.input("x", {2, 5, 4, 3});
    ir::Variable* c = b.op("Conv", {x, b.constant("w", {7, 5, 1, 1})});
    b.output(b.op(type, {c}, {{"axes", Shape{2, 3}}, {"keepdims", 1}}));
    expect_matches_reference(b, "wasm.GlobalPool");
  }
}

TEST(WasmGemm, GemmAndMatMulWithPackedWeights) {
  testing::GraphBuilder b;
  ir::Variable* x = b.input("x", {3, 37});
  b.output(b.op("Gemm", {x, b.constant("w", {21, 37}), b.constant("c", {21})},
                {{"transB", 1}, {"alpha", 0.5f}, {"beta", 2.0f}}));
  b.output(b.op("Relu", {b.op("MatMul", {x, b.constant("m", {37, 19})})}));
  expect_matches_reference(b, "wasm.Gemm");
}

TEST(WasmGemm, MatMulOfBatchedRowsByAWeight) {
  // A transformer's linear layer: [batch, sequence, K] . [K, N] + bias, the rows of all batches
  // one matrix; N = 19 leaves a partial panel, 2*3 rows an odd tile count of kMR = 2... and one
  // row left over with 5; a single row (a classifier on one image) takes the one-row tile only.
  for (Shape x_shape : {Shape{2, 3, 37}, Shape{5, 37}, Shape{1, 1, 5, 37}, Shape{1, 37}}) {
    testing::GraphBuilder b;
    ir::Variable* x = b.input("x", x_shape);
    ir::Variable* w = b.constant("w", {37, 19});
    b.output(b.op("Add", {b.op("MatMul", {x, w}), b.constant("bias", {19})}));
    // A residual connection (added in the tile) and a GELU (a program over the finished rows).
    Shape y_shape = x_shape;
    y_shape.back() = 19;
    b.output(b.op("Add", {b.op("MatMul", {x, w}), b.input("residual", y_shape)}));
    ir::Variable* h = b.op("MatMul", {x, w});
    b.output(b.op("Mul", {h, b.op("Erf", {h})}));
    SCOPED_TRACE(shape_to_string(x_shape));
    expect_matches_reference(b, "wasm.Gemm");
  }
}

TEST(WasmMatMul, BatchesThatBroadcastWithEpilogues) {
  struct Case {
    Shape a, b;
  };
  // Attention's Q.K' per head; B's batch axes fewer and broadcast; A broadcast; both broadcast;
  // plain 2-D activations; K = 0, an empty sum (zeros, then the epilogue).
  for (const Case& c : {Case{{2, 3, 5, 7}, {2, 3, 7, 4}}, Case{{2, 3, 5, 7}, {3, 7, 4}}, Case{{5, 6}, {2, 6, 3}},
                        Case{{2, 1, 4, 6}, {1, 3, 6, 17}}, Case{{9, 33}, {33, 18}}, Case{{2, 3, 0}, {0, 5}}}) {
    testing::GraphBuilder b;
    ir::Variable *x = b.input("a", c.a), *w = b.input("b", c.b);
    ir::Variable* y = b.op("MatMul", {x, w});
    b.output(b.op("Relu", {y}));
    // A residual laid out like the product (added in the tile) and a broadcast one (a program).
    b.output(b.op("Add", {b.op("MatMul", {x, w}), b.input("r", y->shape)}));
    b.output(b.op("Mul", {b.op("MatMul", {x, w}), b.input("s", {y->shape.back()})}));
    SCOPED_TRACE(shape_to_string(c.a) + " . " + shape_to_string(c.b));
    expect_matches_reference(b, "wasm.MatMul");
  }
}

TEST(WasmGather, RowsOfATableByIndicesOfEitherWidth) {
  // An embedding lookup (axis 0, negative indices counting from the end) and a gather along a
  // middle axis; int64 and int32 indices; a row index past the table is an error, not a read.
  for (DType dtype : {DType::Int64, DType::Int32}) {
    GraphBuilder b;
    ir::Variable* i = b.input("i", {2, 3}, dtype);
    b.output(b.op("Gather", {b.constant("table", {50, 8}), i}, {{"axis", 0}}));
    b.output(b.op("Gather", {b.input("x", {3, 50, 4}), i}, {{"axis", 1}}));
    Tensor indices = Tensor::from_ints({2, 3}, {0, 49, -1, 7, -50, 9}).cast(dtype);
    expect_matches_reference(b, "wasm.Gather", 0, {{"i", indices}});
  }
  GraphBuilder b;
  b.output(b.op("Gather", {b.constant("table", {50, 8}), b.input("i", {1}, DType::Int64)}, {{"axis", 0}}));
  EXPECT_THROW(testing::run_backend(b.graph, "wasm", {{"i", Tensor::from_ints({1}, {50})}}), Error);
}

TEST(WasmRowNorm, LayerNormalizationOverTrailingAxes) {
  // A hidden size that is not a multiple of 4 (the lanes' remainder), two normalized axes with a
  // scale of both, and no bias.
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 5, 37});
  b.output(b.op("LayerNormalization", {x, b.constant("g", {37}), b.constant("h", {37})}, {{"axis", 2}, {"epsilon", 1e-5f}}));
  b.output(b.op("LayerNormalization", {x, b.constant("g2", {5, 37})}, {{"axis", 1}, {"epsilon", 1e-3f}}));
  // About zero (RMSNormalization), on rows whose mean is far from it.
  ir::Variable* shifted = b.op("Add", {x, b.constant("k", {1}, {3.0f})});
  b.output(b.op("LayerNormalization", {shifted, b.constant("g3", {37})}, params::LayerNormalization{2, 1e-6, true}.to_json()));
  expect_matches_reference(b, "wasm.LayerNormalization");
}

TEST(WasmRowNorm, TransposesAroundAChannelsLastBlockMoveNoData) {
  // A ConvNeXt block: the depthwise convolution's channels-last image seen as [N, H, W, C] for
  // LayerNorm and the MatMuls, then back and added to the block's input. Both transposes keep the bytes where they are (their outputs take the
  // inputs' places), and only the model's input and output are converted.
  GraphBuilder b;
  ir::Variable* x = b.op("Conv", {b.input("x", {1, 3, 7, 6}), b.constant("w", {8, 3, 3, 3})}, {{"pads", Shape{1, 1, 1, 1}}});
  b.output(b.op("Conv", {testing::convnext_block(b, x), b.constant("w3", {4, 8, 1, 1})}));
  expect_matches_reference(b, "wasm.LayerNormalization");
  const Json d = testing::lower(b.graph, "wasm").descriptor;
  auto names = testing::kernel_names(d);
  EXPECT_EQ(std::count(names.begin(), names.end(), "wasm.Relayout"), 2) << ::testing::PrintToString(names);
  EXPECT_EQ(std::count(names.begin(), names.end(), "wasm.Transpose"), 2) << ::testing::PrintToString(names);
  for (const Json& k : d["kernels"]) {
    if (k["kernel"] == "wasm.Transpose") {
      EXPECT_EQ(d["variables"][k["inputs"][0].get<size_t>()]["offset"], d["variables"][k["outputs"][0].get<size_t>()]["offset"]);
    }
  }
}

TEST(WasmRowNorm, ARowMajorKernelAfterAChannelsLastViewGetsRowMajorData) {
  // An [N, H, W, C] input seen as [N, C, H, W] by a transpose that moves nothing (channels-last):
  // the convolution reads it as it lies; Softmax over the channels, whose kernel takes row-major
  // rows, gets it converted rather than falling back to the reference kernel.
  GraphBuilder b;
  ir::Variable* x = b.op("Transpose", {b.input("x", {1, 5, 6, 8})}, {{"perm", Shape{0, 3, 1, 2}}});
  b.output(b.op("Conv", {x, b.constant("w", {4, 8, 1, 1})}));
  b.output(b.op("Softmax", {x}, {{"axis", 1}}));
  expect_matches_reference(b, "wasm.Softmax");
  auto names = testing::kernel_names(testing::lower(b.graph, "wasm").descriptor);
  EXPECT_EQ(std::count(names.begin(), names.end(), "Softmax"), 0) << ::testing::PrintToString(names);
}

TEST(WasmRowNorm, SoftmaxAndLogSoftmaxAlongAnyAxis) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {3, 4, 19});
  // Scores far from zero: the maximum is subtracted first.
  ir::Variable* big = b.op("Mul", {x, b.constant("k", {1}, {60.0f})});
  b.output(b.op("Softmax", {big}, {{"axis", 2}}));
  b.output(b.op("LogSoftmax", {big}, {{"axis", 2}}));
  b.output(b.op("Softmax", {big}, {{"axis", 1}}));
  b.output(b.op("LogSoftmax", {big}, {{"axis", 0}}));
  b.output(b.op("Softmax", {b.input("empty", {2, 0, 3})}, {{"axis", 1}}));  // nothing to read
  expect_matches_reference(b, "wasm.Softmax");
}

TEST(WasmThreads, KernelsSplitAcrossThreadsAgree) {
  // The browser's threaded build splits rows, column panels and batches across workers; natively
  // the pool has one thread unless asked. Three threads: MatMul with more batches than threads
  // (each packs its own B) and fewer (threads share one product), a wide GEMM of few rows (threads
  // take columns), row normalizations, attention (blocks of rows of 6 heads), a convolution.
  runtime::set_num_threads(3);
  GraphBuilder b;
  ir::Variable *a = b.input("a", {2, 3, 9, 16}), *w = b.input("w", {2, 3, 16, 11});
  b.output(b.op("MatMul", {a, w}));
  b.output(b.op("MatMul", {b.input("a2", {1, 2, 40, 16}), b.input("w2", {1, 2, 16, 70})}));
  b.output(b.op("MatMul", {b.input("x", {3, 200}), b.constant("m", {200, 300})}));
  b.output(b.op("Softmax", {a}, {{"axis", 3}}));
  b.output(b.op("MatMul", {b.op("Softmax", {b.op("MatMul", {a, w})}, {{"axis", 3}}), b.input("v", {2, 3, 11, 5})}));
  b.output(b.op("LayerNormalization", {a, b.constant("g", {16})}, {{"axis", 3}, {"epsilon", 1e-5f}}));
  Json p = {{"strides", Shape{1, 1}}, {"pads", Shape{1, 1, 1, 1}}, {"dilations", Shape{1, 1}}, {"group", 1}};
  b.output(b.op("Conv", {b.input("img", {1, 8, 12, 12}), b.constant("k", {16, 8, 3, 3})}, p));
  expect_matches_reference(b, "wasm.MatMul");
  runtime::set_num_threads(1);
}

TEST(WasmAttention, BlocksOfQueryRowsMatchTheUnfusedGraph) {
  struct Case {
    Shape q, k, v, mask;
  };
  // Whisper-like heads (T = 37: a partial GEMM panel, rows not a multiple of the block); blocks of
  // 54 rows for T = 300 cut S = 70 in two; V broadcast over the heads; rank 3 without a mask; no
  // keys at all (an empty softmax: zeros, as the reference's empty sums).
  for (const Case& c : {Case{{1, 2, 9, 16}, {1, 2, 37, 16}, {1, 2, 37, 12}, {1, 1, 1, 37}},
                        Case{{2, 1, 70, 8}, {2, 1, 300, 8}, {2, 1, 300, 8}, {2, 1, 70, 300}},
                        Case{{1, 3, 6, 8}, {1, 3, 11, 8}, {1, 1, 11, 8}, {11}}, Case{{4, 5, 8}, {4, 6, 8}, {4, 6, 3}, {}},
                        Case{{1, 2, 3, 4}, {1, 2, 0, 4}, {1, 2, 0, 5}, {}}}) {
    GraphBuilder b;
    const int r = static_cast<int>(c.q.size());
    Shape perm(static_cast<size_t>(r));
    for (int d = 0; d < r; d++) perm[static_cast<size_t>(d)] = d;
    std::swap(perm[static_cast<size_t>(r - 1)], perm[static_cast<size_t>(r - 2)]);
    ir::Variable* kt = b.op("Transpose", {b.input("k", c.k)}, {{"perm", perm}});
    ir::Variable* s = b.op("MatMul", {b.input("q", c.q), kt});
    // Scores far from zero: the row maximum is taken first.
    s = b.op("Mul", {s, b.constant("scale", {1}, {8.0f})});
    if (!c.mask.empty()) s = b.op("Add", {s, b.input("mask", c.mask)});
    b.output(b.op("MatMul", {b.op("Softmax", {s}, {{"axis", r - 1}}), b.input("v", c.v)}));
    SCOPED_TRACE(shape_to_string(c.q) + " " + shape_to_string(c.k));
    expect_matches_reference(b, "wasm.Attention");
  }
}

// f (a four-lane function) of x in lane 0.
template <class F>
float lane0(F f, float x) {
  float got[4];
  wasm::store(got, f(wasm::splat(x)));
  return got[0];
}

// The largest relative error of f against `want` every `step` over [from, to].
template <class F>
double worst_relative_error(F f, double (*want)(double), float from, float to, float step) {
  double worst = 0;
  for (float x = from; x <= to; x += step) {
    const double w = want(static_cast<double>(x));
    if (w != 0) worst = std::max(worst, std::fabs(lane0(f, x) - w) / std::fabs(w));
  }
  return worst;
}

TEST(WasmSimd, ExpIsWithinTwoUlpOfTheFloatResult) {
  // Every 1/64 over the range softmax and GELU feed it, the ends of the clamped range, and NaN.
  auto exp = [](wasm::f32x4 v) { return wasm::exp(v); };
  EXPECT_LE(worst_relative_error(exp, std::exp, -87.0f, 88.0f, 1.0f / 64), 2.5e-7);  // 2 ulp of float is 2.4e-7 relative
  EXPECT_LE(lane0(exp, -1000.0f), 1.2e-38f);
  EXPECT_TRUE(std::isnan(lane0(exp, std::nanf(""))));
}

TEST(WasmSimd, ExpOfNonPositiveIsWithinAMillionthWhereSoftmaxTermsMatter) {
  // Every 1/256 from -17 (a term 4e-8 of the row's largest) to 0; below, only how small it is.
  auto exp = [](wasm::f32x4 v) { return wasm::exp_nonpositive(v); };
  EXPECT_LE(worst_relative_error(exp, std::exp, -17.0f, 0.0f, 1.0f / 256), 1e-6);
  for (float x : {-40.0f, -87.0f}) EXPECT_NEAR(lane0(exp, x) / std::exp(static_cast<double>(x)), 1.0, 1e-5) << x;
  const float masked = lane0(exp, -std::numeric_limits<float>::infinity());
  EXPECT_LE(masked, 1.2e-38f);
  EXPECT_GE(masked, 0.0f);
  EXPECT_TRUE(std::isnan(lane0(exp, std::nanf(""))));
}

TEST(WasmSimd, ErfIsWithinHalfAMillionthOfTheResult) {
  // Every 1/1024 over [-6, 6] (the rational function's range and the +-1 beyond it), the edge
  // values of tests/js/expr_edges.mjs (whose CPU tolerance is 1e-6 relative), and around 3.9.
  auto erf = [](wasm::f32x4 v) { return wasm::erf(v); };
  auto erf_of = [&](float x) { return lane0(erf, x); };
  double worst = worst_relative_error(erf, std::erf, -6.0f, 6.0f, 1.0f / 1024);
  for (float x : {0.49999997f, 0.5f, 1e-7f, -0.3f, 1.1754944e-38f, 2.5f, 7.0f, -100.0f, 1e10f, 3e38f, 3.8999999f, -3.9000001f})
    worst = std::max(worst, std::fabs(erf_of(x) - std::erf(static_cast<double>(x))) / std::fabs(std::erf(static_cast<double>(x))));
  EXPECT_LE(worst, 5e-7);
  EXPECT_EQ(erf_of(INFINITY), 1.0f);
  EXPECT_EQ(erf_of(-INFINITY), -1.0f);
  EXPECT_TRUE(std::signbit(erf_of(-0.0f)));
  EXPECT_LE(std::fabs(erf_of(1e-40f) - 1.1283791e-40f), 1.2e-38f);
  EXPECT_TRUE(std::isnan(erf_of(std::nanf(""))));
}

TEST(WasmRelayout, ImageIntoAndOutOfChannelsLast) {
  testing::GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 3, 5, 6});
  b.output(b.op("Conv", {x, b.constant("w", {4, 3, 1, 1})}));  // x in, the result out, both converted
  expect_matches_reference(b, "wasm.Relayout");
}

}  // namespace
}  // namespace webdnn

namespace webdnn {
namespace {

// x -> Conv (so that what follows sees a channels-last image) -> op -> output.
void expect_after_conv(const char* type, Json params, const std::string& kernel, Shape x = {1, 6, 5, 7}) {
  testing::GraphBuilder b;
  ir::Variable* c = b.op("Conv", {b.input("x", x), b.constant("w", {x[1], x[1], 1, 1})});
  b.output(b.op(type, {c}, std::move(params)));
  expect_matches_reference(b, kernel);
}

TEST(WasmRelayout, TransposeOfAnyPermutation) {
  // Attention's head split ([B,S,H,D] -> [B,H,S,D]) and merge, a full reversal, a scalar; values
  // of 1 and 8 bytes (a quantized image, indices) move as their bits.
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 3, 4, 5});
  b.output(b.op("Transpose", {x}, {{"perm", Shape{0, 2, 1, 3}}}));
  b.output(b.op("Transpose", {x}, {{"perm", Shape{3, 2, 1, 0}}}));
  b.output(b.op("Transpose", {b.input("s", {})}, {{"perm", Shape{}}}));
  b.output(b.op("Transpose", {b.input("q", {1, 3, 4, 5}, DType::UInt8)}, {{"perm", Shape{0, 2, 3, 1}}}));
  b.output(b.op("Transpose", {b.input("i", {3, 7}, DType::Int64)}, {{"perm", Shape{1, 0}}}));
  expect_matches_reference(b, "wasm.Transpose", 0);
}

TEST(WasmImageOps, PadEveryModeOnChannelsLastImages) {
  for (const char* mode : {"constant", "reflect", "edge", "wrap"})
    expect_after_conv("Pad", {{"mode", mode}, {"pads", Shape{0, 0, 2, 1, 0, 0, 1, 3}}, {"value", 0.5}}, "wasm.Pad");
}

TEST(WasmImageOps, ResizeNearestAndLinear) {
  expect_after_conv("Resize", {{"mode", "nearest"}, {"scales", {1.0, 1.0, 2.0, 2.0}}, {"coordinate_transformation_mode", "asymmetric"},
                               {"nearest_mode", "floor"}, {"shape", Shape{1, 6, 10, 14}}}, "wasm.Resize");
  testing::GraphBuilder b;  // linear needs the output shape: 5x7 -> 10x14
  ir::Variable* c = b.op("Conv", {b.input("x", {1, 6, 5, 7}), b.constant("w", {6, 6, 1, 1})});
  ir::Operator* r = b.graph.add_operator("Resize", "resize", {{"mode", "linear"}, {"scales", {1.0, 1.0, 2.0, 2.0}},
                                                              {"coordinate_transformation_mode", "half_pixel"}, {"nearest_mode", "round_prefer_floor"},
                                                              {"shape", Shape{1, 6, 10, 14}}}, {c});
  b.output(r->output());
  expect_matches_reference(b, "wasm.Resize");
}

TEST(WasmImageOps, ConcatOfChannelsLastImages) {
  testing::GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 4, 5, 6});
  ir::Variable* c1 = b.op("Conv", {x, b.constant("w1", {3, 4, 1, 1})});
  ir::Variable* c2 = b.op("Conv", {x, b.constant("w2", {5, 4, 3, 3})}, {{"pads", Shape{1, 1, 1, 1}}});
  b.output(b.op("Concat", {c1, c2}, {{"axis", 1}}));
  expect_matches_reference(b, "wasm.Concat");
}

TEST(WasmImageOps, InstanceNormalizationOverPixels) {
  testing::GraphBuilder b;
  ir::Variable* c = b.op("Conv", {b.input("x", {2, 6, 9, 7}), b.constant("w", {6, 6, 1, 1})});
  b.output(b.op("InstanceNormalization", {c, b.constant("s", {6}), b.constant("bias", {6})}, {{"epsilon", 1e-5}}));
  expect_matches_reference(b, "wasm.InstanceNormalization", 1e-4);
}

}  // namespace
}  // namespace webdnn
