// Symbolic dimensions: canonical forms, evaluation against plain integer arithmetic, guards.
#include <gtest/gtest.h>

#include "webdnn/dim.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

int64_t py_floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

TEST(Dim, CanonicalFormsMakeEqualExpressionsTheSame) {
  Dim s = Dim::symbol("sequence", 16), b = Dim::symbol("batch", 2);
  EXPECT_EQ((s + 1).to_string(), "sequence+1");
  EXPECT_TRUE((s * 4 + 8 - s * 3).same(s + 8));
  EXPECT_TRUE((b * s).same(s * b));
  EXPECT_TRUE(floor_div(s * 4 + 8, Dim(4)).same(s + 2));   // k divides every term
  EXPECT_TRUE(floor_div(s * 4 + 9, Dim(4)).same(s + 2));   // the remainder's division folds
  EXPECT_EQ(floor_div(s * 4 + 2 * b, Dim(4)).to_string(), "div(2*batch,4)+sequence");
  EXPECT_TRUE(floor_div(s, s).same(Dim(1)));
  // A one-term divisor of every term divides exactly (a Reshape's -1 over symbolic sizes).
  EXPECT_TRUE(floor_div(b * s * 128, b * s * 64).same(Dim(2)));
  EXPECT_TRUE(floor_div(b * s * 6 + b * 4, b * 2).same(s * 3 + 2));
  EXPECT_EQ(floor_div(b * s * 6 + 1, b * 2).to_string(), "div(6*batch*sequence+1,2*batch)");
  EXPECT_TRUE((s - s).same(Dim(0)));
  EXPECT_EQ((s - s).constant(), 0);
  EXPECT_EQ(ceil_div(s - 3, Dim(2)).to_string(), "div(sequence,2)-1");
  EXPECT_TRUE(max(s + 1, s).same(s + 1));  // ordered by a constant difference
  EXPECT_TRUE(max(s, Dim(1)).same(s));     // symbols are at least 1
  EXPECT_EQ(max(s, b).to_string(), "max(batch,sequence)");
  EXPECT_TRUE(max(s, b).same(max(b, s)));
}

TEST(Dim, EvaluatesAsIntegerArithmetic) {
  std::map<std::string, Dim> symbols = {{"h", Dim::symbol("h", 32)}, {"w", Dim::symbol("w", 40)}};
  Dim h = symbols.at("h"), w = symbols.at("w");
  // Output size of a strided window and of a resize, then the parse of their text.
  Dim conv = floor_div(h + 2 * 1 - 3, Dim(2)) + 1;
  Dim pool = ceil_div(w - 3, Dim(2)) + 1;
  Dim flat = h * w * 3 - mod(h, Dim(8));
  for (int64_t hv : {1, 2, 3, 7, 8, 31, 224}) {
    for (int64_t wv : {1, 3, 4, 65}) {
      Bindings b = {{"h", hv}, {"w", wv}};
      EXPECT_EQ(conv.evaluate(b), py_floor_div(hv - 1, 2) + 1);
      EXPECT_EQ(pool.evaluate(b), -py_floor_div(-(wv - 3), 2) + 1);
      EXPECT_EQ(flat.evaluate(b), hv * wv * 3 - (hv - 8 * py_floor_div(hv, 8)));
      for (const Dim& d : {conv, pool, flat}) EXPECT_EQ(Dim::parse(d.to_string(), symbols).evaluate(b), d.evaluate(b));
    }
  }
  EXPECT_EQ(conv.hint(), 16);
  EXPECT_EQ(Dim::parse("div(h+1, 2) * (w - 1)", symbols).evaluate({{"h", 5}, {"w", 3}}), 6);
}

TEST(Dim, RefusesBadTextAndArithmetic) {
  std::map<std::string, Dim> symbols = {{"n", Dim::symbol("n", 4)}};
  for (const char* bad : {"", "n+", "m", "div(n)", "n**2", "99999999999999999999", "(n", "n)"})
    EXPECT_THROW(Dim::parse(bad, symbols), Error) << bad;
  EXPECT_THROW(Dim::parse(std::string(200, '(') + "n" + std::string(200, ')'), symbols), Error);
  Dim n = symbols.at("n");
  EXPECT_THROW(floor_div(n, Dim(0)), Error);
  EXPECT_THROW(Dim(INT64_MAX) + 1, Error);
  EXPECT_THROW((n * INT64_MAX).evaluate({{"n", 2}}), Error);
  EXPECT_THROW(n.evaluate({}), Error);
}

TEST(Dim, ComparisonsNeedGuardsOnlyWhereTheFormsDoNotDecide) {
  Dim s = Dim::symbol("sequence", 16), b = Dim::symbol("batch", 2);
  EXPECT_THROW((void)(s == Dim(16)), Error);  // outside a scope: only the converter compares symbols
  GuardScope scope;
  EXPECT_TRUE(s + 1 > s);          // decided by the form
  EXPECT_FALSE(s == Dim(0));       // decided by the range
  EXPECT_TRUE(s * 2 - s == s);
  EXPECT_TRUE(scope.guards().empty());
  GuardScope::set_where("node 'Reshape_3'");
  EXPECT_TRUE(s == Dim(16));       // assumed: sequence == 16
  EXPECT_FALSE(b == Dim(1));       // assumed: batch >= 2
  EXPECT_TRUE(s >= Dim(3));        // assumed: sequence >= 3
  EXPECT_EQ(b.value(), 2);         // specialized: batch == 2
  ASSERT_EQ(scope.guards().size(), 4u);
  EXPECT_EQ(scope.guards()[0].to_string(), "sequence-16 == 0");
  EXPECT_EQ(scope.guards()[0].where, "node 'Reshape_3'");
  EXPECT_EQ(scope.guards()[1].to_string(), "batch-2 >= 0");
  EXPECT_TRUE(scope.guards()[2].holds({{"sequence", 3}}));
  EXPECT_FALSE(scope.guards()[2].holds({{"sequence", 2}}));
  EXPECT_FALSE(scope.guards()[0].holds({{"sequence", 17}}));
}

}  // namespace
}  // namespace webdnn
