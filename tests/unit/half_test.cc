// float16 / bfloat16 conversions (include/webdnn/half.h) on values worked out by hand from the
// formats, and webdnn-run on a model exported in half precision.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "src/cli/npy.h"
#include "tests/unit/support/onnx_builder.h"
#include "tests/unit/support/process.h"
#include "webdnn/half.h"
#include "webdnn/json.h"

namespace webdnn {
namespace {

TEST(Half, RoundsToNearestEvenAndSaturatesToInfinity) {
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(-2.0f), 0xc000);
  EXPECT_EQ(float_to_half(-0.0f), 0x8000);
  EXPECT_EQ(float_to_half(0.1f), 0x2e66);                   // 0.0999755859375: the nearer of 0x2e66 / 0x2e67
  EXPECT_EQ(float_to_half(1.0f + std::ldexp(1.0f, -11)), 0x3c00);  // a tie: to the even mantissa
  EXPECT_EQ(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);  // a tie: up to the even one
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);               // the largest half
  EXPECT_EQ(float_to_half(65519.0f), 0x7bff);               // below the midpoint to 65536
  EXPECT_EQ(float_to_half(65520.0f), 0x7c00);               // the midpoint rounds to even: infinity
  EXPECT_EQ(float_to_half(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -24)), 0x0001);  // the smallest subnormal
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -25)), 0x0000);  // half of it: a tie, to even (0)
  EXPECT_EQ(float_to_half(3 * std::ldexp(1.0f, -26)), 0x0001);
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -14)), 0x0400);  // the smallest normal
  EXPECT_EQ(float_to_half(std::ldexp(1023.5f, -24)), 0x0400);  // a subnormal rounding up into the normals
  EXPECT_TRUE(std::isnan(half_to_float(float_to_half(std::nanf("")))));
  for (uint32_t h = 0; h < 0x10000; h++) {  // every half that is a number survives the round trip
    float f = half_to_float(static_cast<uint16_t>(h));
    if (!std::isnan(f)) {
      EXPECT_EQ(float_to_half(f), h) << h;
    }
  }
}

TEST(Half, Bfloat16KeepsTheUpperBitsRounded) {
  EXPECT_EQ(float_to_bfloat16(1.0f), 0x3f80);
  EXPECT_EQ(float_to_bfloat16(1.0f + std::ldexp(1.0f, -8)), 0x3f80);      // a tie: to even
  EXPECT_EQ(float_to_bfloat16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3f82);  // a tie: up to even
  EXPECT_EQ(bfloat16_to_float(0xc040), -3.0f);
  EXPECT_TRUE(std::isnan(bfloat16_to_float(float_to_bfloat16(std::nanf("")))));
}

// y = x * 2 + 1 with x and y declared float16 [2, 3].
TEST(Half, RunTakesAndWritesFloat16Npy) {
  testing::OnnxBuilder b;
  b.input("x", {2, 3}, onnx::TensorProto::FLOAT16).output("y", onnx::TensorProto::FLOAT16);
  b.initializer("two", Tensor::from_floats({}, {2.0f}));
  b.initializer("one", Tensor::from_floats({}, {1.0f}));
  b.node("Mul", {"x", "two"}, {"t"});
  b.node("Add", {"t", "one"}, {"y"});
  std::string out = testing::temp_dir() + "/out", dir = testing::temp_dir();
  auto r = testing::run_command(std::string(WEBDNN_CONVERT) + " " + b.save() + " -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream manifest(out + "/manifest.json");
  Json m = Json::parse(manifest);
  EXPECT_EQ(m.at("inputs").at(0).at("dtype"), "float16");
  EXPECT_EQ(m.at("outputs").at(0).at("dtype"), "float16");

  // A float32 file: its values are rounded to float16 first (0.1 to 0.0999755859375).
  std::vector<float> x = {0.5f, -1.25f, 0.1f, 1000.0f, 40000.0f, -3.0f};
  cli::write_npy(dir + "/x.npy", Tensor::from_floats({2, 3}, x));
  r = testing::run_command(std::string(WEBDNN_RUN) + " " + out + " --input x=" + dir + "/x.npy --output-dir " + dir +
                           "/res");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream f(dir + "/res/y.npy", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find("'descr': '<f2'"), std::string::npos);
  Tensor y = cli::read_npy(dir + "/res/y.npy");
  // 2 * 0.0999755859375 + 1 = 1.199951171875 rounds to 1.2001953125 (0x3ccd); 2 * 40000 + 1 is
  // past the largest half: infinity.
  EXPECT_EQ(y.to_floats(), (std::vector<float>{2.0f, -1.5f, 1.2001953125f, 2001.0f,
                                               std::numeric_limits<float>::infinity(), -5.0f}));
}

}  // namespace
}  // namespace webdnn
