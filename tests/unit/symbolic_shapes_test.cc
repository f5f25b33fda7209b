// Operator signatures on symbolic dims: the output shapes as expressions of the inputs' symbols,
// checked against hand-computed sizes at several bindings, and the guards they assume.
#include <gtest/gtest.h>

#include "webdnn/params.h"

namespace webdnn::params {
namespace {

Dim sym(const char* name, int64_t hint) { return Dim::symbol(name, hint); }

// x0 op x1
Expr binary(ExprOp op) {
  Expr e;
  e.binary(op, e.input(0), e.input(1));
  return e;
}

TEST(SymbolicShapes, ConvAndPoolWindowsOverFreeImageSizes) {
  GuardScope scope;
  Dim n = sym("batch", 2), h = sym("height", 33), w = sym("width", 40);
  Conv conv;
  conv.window.kernel = {3, 3};
  conv.window.strides = {2, 2};
  conv.window.pads = {1, 1, 1, 1};
  SymTypes y = infer_conv(conv, SymTypes{{DType::Float32, {n, 3, h, w}}, {DType::Float32, {16, 3, 3, 3}}});
  Pool pool;
  pool.window.kernel = {3, 3};
  pool.window.strides = {2, 2};
  pool.ceil_mode = true;
  SymTypes z = infer_pool(pool, y);
  ASSERT_EQ(z[0].shape.size(), 4u);
  for (int64_t hv : {5, 8, 33, 224})
    for (int64_t wv : {5, 41}) {
      Bindings b = {{"batch", 3}, {"height", hv}, {"width", wv}};
      int64_t oh = (hv + 2 - 3) / 2 + 1, ow = (wv + 2 - 3) / 2 + 1;
      EXPECT_EQ(y[0].shape[0].evaluate(b), 3);
      EXPECT_EQ(y[0].shape[2].evaluate(b), oh);
      EXPECT_EQ(y[0].shape[3].evaluate(b), ow);
      // ceil mode, and no window may start in the end padding (none here: pads are 0)
      EXPECT_EQ(z[0].shape[2].evaluate(b), (oh - 3 + 1) / 2 + 1) << hv;
      EXPECT_EQ(z[0].shape[3].evaluate(b), (ow - 3 + 1) / 2 + 1) << wv;
    }
  EXPECT_EQ(shape_to_string(z[0].shape), "[batch,16,div(div(height+1,2),2),div(div(width+1,2),2)]");
  // The pooling window must fit the convolution's output (3 rows, so height >= 5): assumed, as
  // the sample fits; the runtime refuses a smaller image instead of computing garbage.
  auto fits = [&](int64_t hv, int64_t wv) {
    bool all = true;
    for (const Guard& g : scope.guards()) all &= g.holds({{"height", hv}, {"width", wv}});
    return all;
  };
  EXPECT_FALSE(scope.guards().empty());
  EXPECT_TRUE(fits(5, 5));
  EXPECT_TRUE(fits(224, 301));
  EXPECT_FALSE(fits(4, 5));
  EXPECT_FALSE(fits(5, 3));
}

TEST(SymbolicShapes, TransformerShapesNeedNoGuards) {
  GuardScope scope;
  Dim b = sym("batch", 2), s = sym("sequence", 16);
  SymTypes x = {{DType::Float32, {b, s, 64}}, {DType::Float32, {64, 32}}};
  SymTypes y = infer_matmul(MatMul{}, x);
  EXPECT_EQ(shape_to_string(y[0].shape), "[batch,sequence,32]");
  // attention scores: [b, heads, s, d] x [b, heads, d, s]
  SymTypes scores = infer_matmul(MatMul{}, SymTypes{{DType::Float32, {b, 2, s, 32}}, {DType::Float32, {b, 2, 32, s}}});
  EXPECT_EQ(shape_to_string(scores[0].shape), "[batch,2,sequence,sequence]");
  // a mask [b, 1, 1, s] broadcast over the scores, a bias of one value per feature
  DimShape masked = infer_elementwise(binary(ExprOp::Add),
                                      SymTypes{scores[0], {DType::Float32, {b, 1, 1, s}}});
  EXPECT_EQ(shape_to_string(masked), "[batch,2,sequence,sequence]");
  SymTypes cat = infer_concat(Axis{1}, SymTypes{{DType::Float32, {b, s, 8}}, {DType::Float32, {b, s + 1, 8}}});
  EXPECT_EQ(shape_to_string(cat[0].shape), "[batch,2*sequence+1,8]");
  Transpose t{{0, 2, 1}};
  EXPECT_EQ(shape_to_string(infer_transpose(t, y)[0].shape), "[batch,32,sequence]");
  EXPECT_TRUE(scope.guards().empty());
}

TEST(SymbolicShapes, BroadcastOfTwoSymbolsAssumesWhichIsOne) {
  GuardScope scope;
  Dim a = sym("a", 4), c = sym("c", 1);
  DimShape out = infer_elementwise(binary(ExprOp::Mul), SymTypes{{DType::Float32, {a}}, {DType::Float32, {c}}});
  EXPECT_EQ(shape_to_string(out), "[a]");
  ASSERT_FALSE(scope.guards().empty());
  // Converted where c was 1: a shape where c is 2 and a is 4 is refused, not computed.
  bool all = true;
  for (const Guard& g : scope.guards()) all &= g.holds({{"a", 4}, {"c", 2}});
  EXPECT_FALSE(all);
  // Mismatched fixed dims still fail as before.
  EXPECT_THROW(infer_elementwise(binary(ExprOp::Add), SymTypes{{DType::Float32, {a, 3}}, {DType::Float32, {a, 4}}}),
               Error);
}

}  // namespace
}  // namespace webdnn::params
