// The wasm interpreter's fused steps (backends/wasm/kernels/elementwise.h): a QuantizeLinear ->
// DequantizeLinear pair and HardSwish each run as one step, with the results of the steps they
// replace: hand-computed values at rounding ties, saturation at both bounds, NaN and infinities.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "backends/wasm/kernels/elementwise.h"

namespace webdnn {
namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN(), kInf = std::numeric_limits<float>::infinity();

// Runs `e` over x (and `more`, the same size) repeated to `n` values: every chunk, and a tail
// that is not a whole group of four. Returns the outputs.
std::vector<float> run(const Expr& e, const std::vector<float>& x, int64_t n, size_t expect_steps,
                       const std::vector<float>& more = {}) {
  std::vector<float> a(static_cast<size_t>(n)), b(more.empty() ? 0 : static_cast<size_t>(n)), y(static_cast<size_t>(n), -7.0f);
  for (size_t i = 0; i < a.size(); i++) a[i] = x[i % x.size()];
  for (size_t i = 0; i < b.size(); i++) b[i] = more[i % more.size()];
  std::vector<runtime::TensorInfo> inputs = {{DType::Float32, {n}, {1}}};
  if (!more.empty()) inputs.push_back({DType::Float32, {n}, {1}});
  wasm::ElementwiseProgram program(e, inputs, {DType::Float32, {n}, {1}});
  EXPECT_EQ(program.steps_per_chunk(), expect_steps);
  const void* in[] = {a.data(), b.data()};
  program.run(in, y.data(), 0, n);
  return y;
}

void expect_same(const std::vector<float>& y, const std::vector<float>& want) {
  for (size_t i = 0; i < y.size(); i++) {
    float w = want[i % want.size()];
    if (std::isnan(w)) EXPECT_TRUE(std::isnan(y[i])) << i;
    else EXPECT_EQ(y[i], w) << i << " of " << y.size();
  }
}

// As fuse_quantize_dequantize writes it: f32(round(clamp(f32(x / s), lo, hi)) * s).
Expr fake_quant(double lo, double hi, bool scale_is_input = false) {
  Expr e;
  int x = e.input(0), s = scale_is_input ? e.input(1) : e.constant(0.5);
  int t = e.clamp(e.unary(ExprOp::F32, e.binary(ExprOp::Div, x, s)), e.constant(lo), e.constant(hi));
  e.unary(ExprOp::F32, e.binary(ExprOp::Mul, e.unary(ExprOp::Round, t), s));
  return e;
}

// x / 0.5 at ties (0.5, 1.5, 2.5, -0.5, -1.5, -2.5 round to even), past both bounds [-3, 4], NaN (the
// low bound, as the clamp op), infinities, and between ties.
const std::vector<float> kX = {0.25f, 0.75f, 1.25f, -0.25f, -0.75f, 100, -100, kNaN, kInf, -kInf, 0.3f, 1.75f, -1.25f};
const std::vector<float> kFakeQuant = {0, 1, 1, 0, -1, 2, -1.5f, -1.5f, 2, -1.5f, 0.5f, 2, -1};

TEST(WasmFusedSteps, FakeQuantizationIsOneStepWithTheChainsResults) {
  for (int64_t n : {13, 1003}) expect_same(run(fake_quant(-3, 4), kX, n, 2), kFakeQuant);
}

TEST(WasmFusedSteps, FakeQuantizationByAScaleTensorReadsItPerValue) {
  // The scale an input rather than a constant: the same values through the general path.
  expect_same(run(fake_quant(-3, 4, true), kX, 1003, 3, {0.5f}), kFakeQuant);
}

TEST(WasmFusedSteps, AValueReadTwiceIsNotFoldedAway) {
  // The clamped quotient also feeds the sum: the chain stays as steps, and gives the same sum.
  Expr e = fake_quant(-3, 4);
  int clamp = 0;
  for (size_t i = 0; i < e.nodes.size(); i++)
    if (e.nodes[i].op == ExprOp::Clamp) clamp = static_cast<int>(i);
  e.binary(ExprOp::Add, e.result(), clamp);
  std::vector<float> want(kX.size());
  for (size_t i = 0; i < kX.size(); i++) want[i] = static_cast<float>(e.evaluate(std::vector<double>{kX[i]}.data()));
  EXPECT_EQ(want[5], 2 + 4);  // 100: the high bound, dequantized, plus the bound
  expect_same(run(e, kX, 1003, 6), want);
}

// HardSwish as the ops table writes it: x * max(min(x * (1/6) + 0.5, hi), lo).
Expr hard_swish(double hi, double lo) {
  Expr e;
  int x = e.input(0);
  int t = e.binary(ExprOp::Add, e.binary(ExprOp::Mul, x, e.constant(1.0 / 6.0)), e.constant(0.5));
  e.binary(ExprOp::Mul, x, e.binary(ExprOp::Max, e.binary(ExprOp::Min, t, e.constant(hi)), e.constant(lo)));
  return e;
}

TEST(WasmFusedSteps, HardSwishIsOneStepWithTheChainsResults) {
  // -3 and 3 reach the bounds exactly; 1.5 / 6 + 0.5 = 0.75; NaN passes through min and max.
  const std::vector<float> x = {-3, 3, 1.5f, -1.5f, 0, 100, -100, kNaN, kInf};
  const std::vector<float> want = {-0.0f, 3, 1.125f, -0.375f, 0, 100, -0.0f, kNaN, kInf};
  expect_same(run(hard_swish(1, 0), x, 1003, 2), want);
  // A NaN bound: min and max pass it on (the NaN-propagating forms, not the plain ones).
  expect_same(run(hard_swish(kNaN, 0), x, 1003, 2), {kNaN});
}

TEST(WasmFusedSteps, AnEpilogueOfQuantizeHardSwishQuantize) {
  // The chain MobileNetV3's convolutions end in: each part one step, x read once.
  Expr e = fake_quant(-3, 4);
  Expr hs = hard_swish(1, 0);
  int h = e.splice(hs, {e.result()});
  Expr q = fake_quant(-3, 4);
  e.splice(q, {h});
  std::vector<float> want(kX.size());
  for (size_t i = 0; i < kX.size(); i++) want[i] = static_cast<float>(e.evaluate(std::vector<double>{kX[i]}.data()));
  EXPECT_EQ(want[1], 0.5f);  // 0.75 -> 1 -> 1 * (1/6 + 0.5) = 2/3 -> 4/3 rounds to 1 -> 0.5
  expect_same(run(e, kX, 1003, 4), want);
}

}  // namespace
}  // namespace webdnn
