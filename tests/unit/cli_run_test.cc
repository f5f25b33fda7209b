// webdnn-run: running a converted model, .npy input/output, and its error cases.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "src/cli/npy.h"
#include "tests/unit/support/onnx_builder.h"
#include "tests/unit/support/process.h"
#include "webdnn/version.h"

namespace webdnn {
namespace {

namespace fs = std::filesystem;
using testing::OnnxBuilder;
using testing::run_command;

// y = x * 2 + b, with x [2,3] (or [N0,3], free) and b a constant [3]; the output name needs
// sanitizing.
std::string converted_model(int64_t rows = 2) {
  OnnxBuilder b;
  b.input("in:x", {rows, 3}).output("out/y");
  b.initializer("two", Tensor::from_floats({}, {2.0f}));
  b.initializer("b", Tensor::from_floats({3}, {1, 2, 3}));
  b.node("Mul", {"in:x", "two"}, {"t"});
  b.node("Add", {"t", "b"}, {"out/y"});
  std::string out = testing::temp_dir() + "/out";
  auto r = run_command(std::string(WEBDNN_CONVERT) + " " + b.save() + " -o " + out);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return out;
}

std::string run(const std::string& args) { return std::string(WEBDNN_RUN) + " " + args; }

TEST(Run, AModelWithAFreeDimensionRunsAtTheShapeOfItsInput) {
  std::string model = converted_model(-1), dir = testing::temp_dir();
  for (int64_t rows : {1, 4}) {
    std::vector<float> x;
    for (int64_t i = 0; i < rows * 3; i++) x.push_back(static_cast<float>(i) - 2);
    cli::write_npy(dir + "/x.npy", Tensor::from_floats({rows, 3}, x));
    auto r = run_command(run(model + " --input in:x=" + dir + "/x.npy --output-dir " + dir + "/res"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    Tensor y = cli::read_npy(dir + "/res/out_y.npy");
    ASSERT_EQ(y.shape, (Shape{rows, 3}));
    for (int64_t i = 0; i < rows * 3; i++) EXPECT_EQ(y.data<float>()[i], x[i] * 2 + static_cast<float>(i % 3 + 1));
  }
  cli::write_npy(dir + "/bad.npy", Tensor::from_floats({2, 4}, std::vector<float>(8, 0.0f)));
  auto r = run_command(run(model + " --input in:x=" + dir + "/bad.npy --output-dir " + dir + "/res"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("input 'in:x' has shape [2,4]: axis 1 is 4 where the model takes 3 ([N0,3])"), std::string::npos)
      << r.output;
}

TEST(Run, ComputesFromNpyInputAndSanitizesOutputNames) {
  std::string model = converted_model(), dir = testing::temp_dir();
  cli::write_npy(dir + "/x.npy", Tensor::from_floats({2, 3}, {0, 1, 2, -1, -2, -3}));
  auto r = run_command(run(model + " --input in:x=" + dir + "/x.npy --output-dir " + dir + "/res"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Tensor y = cli::read_npy(dir + "/res/out_y.npy");
  EXPECT_EQ(y.shape, (Shape{2, 3}));
  // 2x + [1,2,3] row by row
  EXPECT_EQ(y.to_floats(), (std::vector<float>{1, 4, 7, -1, -2, -3}));
}

TEST(Run, DefaultInputsAreDeterministicAndCanBeSaved) {
  std::string model = converted_model(), dir = testing::temp_dir();
  ASSERT_EQ(run_command(run(model + " --output-dir " + dir + "/a --save-inputs " + dir + "/in")).exit_code, 0);
  ASSERT_EQ(run_command(run(model + " --output-dir " + dir + "/b")).exit_code, 0);
  Tensor x = cli::read_npy(dir + "/in/in_x.npy"), a = cli::read_npy(dir + "/a/out_y.npy");
  EXPECT_EQ(a.bytes, cli::read_npy(dir + "/b/out_y.npy").bytes);
  for (float v : x.to_floats()) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LT(v, 1.0f);
  }
  for (int i = 0; i < 6; i++) EXPECT_FLOAT_EQ(a.to_floats()[i], 2 * x.to_floats()[i] + (i % 3 + 1));
}

TEST(Run, TopKWithAKGivenAtRunTime) {
  // k is a model input: a size found when the model runs (SizeFromValue), the outputs sized by it.
  OnnxBuilder b(13);
  b.input("x", {2, 5}).input("k", {1}, onnx::TensorProto::INT64).output("values").output("indices");
  b.node("TopK", {"x", "k"}, {"values", "indices"});
  std::string model = testing::temp_dir() + "/out", dir = testing::temp_dir();
  auto c = run_command(std::string(WEBDNN_CONVERT) + " " + b.save() + " -o " + model);
  ASSERT_EQ(c.exit_code, 0) << c.output;
  cli::write_npy(dir + "/x.npy", Tensor::from_floats({2, 5}, {3, 1, 4, 1, 5, -9, 2, 6, -5, 3}));
  for (int64_t k : {2, 0, 5}) {
    cli::write_npy(dir + "/k.npy", Tensor::from_ints({1}, {k}));
    auto r = run_command(run(model + " --input x=" + dir + "/x.npy --input k=" + dir + "/k.npy --output-dir " + dir + "/res"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    Tensor values = cli::read_npy(dir + "/res/values.npy"), indices = cli::read_npy(dir + "/res/indices.npy");
    ASSERT_EQ(values.shape, (Shape{2, k})) << k;
    const std::vector<float> all = {5, 4, 3, 1, 1, 6, 3, 2, -5, -9};
    const std::vector<int64_t> where = {4, 2, 0, 1, 3, 2, 4, 1, 3, 0};
    for (int64_t r0 = 0; r0 < 2; r0++)
      for (int64_t j = 0; j < k; j++) {
        EXPECT_EQ(values.to_floats()[r0 * k + j], all[r0 * 5 + j]) << k;
        EXPECT_EQ(indices.to_ints()[r0 * k + j], where[r0 * 5 + j]) << k;
      }
  }
  cli::write_npy(dir + "/k.npy", Tensor::from_ints({1}, {6}));
  auto r = run_command(run(model + " --input x=" + dir + "/x.npy --input k=" + dir + "/k.npy --output-dir " + dir + "/res"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("the size is 6 where it must lie in [0, 5]"), std::string::npos) << r.output;
}

class RunFailure : public ::testing::Test {
 protected:
  void expect_failure(const std::string& args, const std::string& message) {
    auto r = run_command(run(args));
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << "expected '" << message << "' in:\n" << r.output;
  }
  std::string model = converted_model();
  std::string dir = testing::temp_dir();
};

TEST_F(RunFailure, NpyOfTheWrongDtype) {
  cli::write_npy(dir + "/x.npy", Tensor::from_ints({2, 3}, {0, 1, 2, 3, 4, 5}));
  expect_failure(model + " --input in:x=" + dir + "/x.npy --output-dir " + dir, "holds int64 but input 'in:x' is float32");
}

TEST_F(RunFailure, NpyOfTheWrongShape) {
  cli::write_npy(dir + "/x.npy", Tensor::from_floats({3, 2}, {0, 1, 2, 3, 4, 5}));
  expect_failure(model + " --input in:x=" + dir + "/x.npy --output-dir " + dir,
                 "input 'in:x' has shape [3,2]: axis 0 is 3 where the model takes 2 ([2,3])");
}

TEST_F(RunFailure, TruncatedNpy) {
  cli::write_npy(dir + "/x.npy", Tensor::from_floats({2, 3}, {0, 1, 2, 3, 4, 5}));
  fs::resize_file(dir + "/x.npy", fs::file_size(dir + "/x.npy") - 4);
  expect_failure(model + " --input in:x=" + dir + "/x.npy --output-dir " + dir, "is truncated");
  std::ofstream(dir + "/bad.npy") << "not numpy";
  expect_failure(model + " --input in:x=" + dir + "/bad.npy --output-dir " + dir, "is not a .npy file");
}

TEST_F(RunFailure, UnknownInputName) {
  cli::write_npy(dir + "/x.npy", Tensor::from_floats({2, 3}, {0, 1, 2, 3, 4, 5}));
  expect_failure(model + " --input nope=" + dir + "/x.npy --output-dir " + dir, "'nope', which is not an input");
}

TEST_F(RunFailure, DirectoryWithoutManifest) {
  expect_failure(dir + " --output-dir " + dir + "/res", "holds no manifest.json");
}

TEST_F(RunFailure, CorruptedWeights) {
  std::string weights = model + "/weights-wasm.bin.zst";
  std::fstream f(weights, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(8);
  f.put('\x5a');
  f.close();
  expect_failure(model + " --output-dir " + dir, "fails its checksum");
}

TEST_F(RunFailure, DescriptorOfAnotherVersion) {
  std::string path = model + "/graph-wasm.json";
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  std::string version = "\"version\": " + std::to_string(kFormatVersion);
  text.replace(text.find(version), version.size(), "\"version\": 99");
  std::ofstream(path) << text;
  expect_failure(model + " --output-dir " + dir, "format version 99 but this runtime reads version " + std::to_string(kFormatVersion));
}

TEST_F(RunFailure, UnknownBackend) { expect_failure(model + " --backend webgpu --output-dir " + dir, "has no 'webgpu' descriptor"); }

}  // namespace
}  // namespace webdnn
