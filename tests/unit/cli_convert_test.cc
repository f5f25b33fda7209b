// webdnn-convert's error cases: the message, the exit code, and an untouched output directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "backends/backend.h"
#include "webdnn/json.h"
#include "tests/unit/support/onnx_builder.h"
#include "tests/unit/support/process.h"

namespace webdnn {
namespace {

namespace fs = std::filesystem;
using testing::OnnxBuilder;
using testing::run_command;
using testing::snapshot;

// A small valid model: y = Relu(x) for x [1,2].
OnnxBuilder relu_model(Shape shape = {1, 2}) {
  OnnxBuilder b;
  b.input("x", shape).output("y");
  b.node("Relu", {"x"}, {"y"}, "relu");
  return b;
}

// An output directory holding a previous conversion's files, to check failures leave it alone.
std::string existing_output_dir() {
  std::string dir = testing::temp_dir() + "/out";
  fs::create_directories(dir);
  std::ofstream(dir + "/manifest.json") << "{\"old\": true}";
  std::ofstream(dir + "/notes.txt") << "user file";
  return dir;
}

class ConvertFailure : public ::testing::Test {
 protected:
  // Runs webdnn-convert with `args` and expects exit code 1, `message` in the output, and the
  // output directory exactly as it was, with no temporary directory left beside it.
  void expect_failure(const std::string& args, const std::string& message) {
    std::string out = existing_output_dir();
    auto before = snapshot(out);
    auto r = run_command(std::string(WEBDNN_CONVERT) + " " + args + " -o " + out);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << "expected '" << message << "' in:\n" << r.output;
    EXPECT_EQ(snapshot(out), before);
    for (const auto& e : fs::directory_iterator(fs::path(out).parent_path()))
      EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << "left behind: " << e.path();
  }
};

TEST_F(ConvertFailure, MissingFile) {
  expect_failure("/nonexistent/model.onnx", "cannot open '/nonexistent/model.onnx': No such file or directory");
}

TEST_F(ConvertFailure, UnreadableFile) {
  std::string dir = testing::temp_dir();
  expect_failure(dir, "is a directory, not an ONNX model file");
  if (geteuid() != 0) {  // root reads files whatever their permissions
    std::string path = relu_model().save();
    fs::permissions(path, fs::perms::none);
    expect_failure(path, "cannot open '" + path + "': Permission denied");
  }
}

TEST_F(ConvertFailure, NotOnnx) {
  std::string path = testing::temp_dir() + "/notes.onnx";
  std::ofstream(path) << "hello, this is text\n";
  expect_failure(path, "'" + path + "' is not an ONNX model");
  std::ofstream(path, std::ios::trunc).close();
  expect_failure(path, "is not an ONNX model: the file is empty");
}

TEST_F(ConvertFailure, TruncatedFile) {
  OnnxBuilder b = relu_model();
  b.initializer("w", Tensor::from_floats({256}, std::vector<float>(256, 1.0f)));
  std::string path = b.save();
  auto size = fs::file_size(path);
  fs::resize_file(path, size - 100);
  expect_failure(path, "is truncated");
}

TEST_F(ConvertFailure, UnknownBackend) {
  expect_failure(relu_model().save() + " --backend wasm,cuda", "unknown backend 'cuda'; available backends: ");
}

TEST_F(ConvertFailure, EveryUnsupportedOpListedOnce) {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y");
  b.node("Relu", {"x"}, {"a"}, "relu");
  b.node("Det", {"a"}, {"b"}, "det_1");
  b.node("Unique", {"b"}, {"c"}, "unique_1");
  b.node("Unique", {"c"}, {"y"}, "unique_2");
  auto& custom = b.node("FancyOp", {"x"}, {"z"}, "fancy");
  custom.set_domain("com.example");
  std::string out = existing_output_dir();
  auto r = run_command(std::string(WEBDNN_CONVERT) + " " + b.save() + " -o " + out);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("uses 3 unsupported operator types"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Unique (2 nodes): unique_1, unique_2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Det (1 node): det_1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("com.example.FancyOp (1 node): fancy"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Relu ("), std::string::npos) << r.output;
}

TEST_F(ConvertFailure, DimOptionNamingNoFreeDimension) {
  expect_failure(relu_model({-1, 2}).save() + " --dim rows=1..4",
                 "--dim names 'rows', which is not a free dimension of the model's inputs (they are: N0)");
}

TEST_F(ConvertFailure, InputShapeThatContradictsTheModel) {
  expect_failure(relu_model({-1, 2}).save() + " --input-shape x=1,3",
                 "--input-shape x=[1,3] disagrees with the model's [N0,2] at axis 1");
  expect_failure(relu_model().save() + " --input-shape z=1,2", "--input-shape names 'z', which is not an input");
}

TEST_F(ConvertFailure, BadNodeNamesTheNode) {
  OnnxBuilder b;
  b.input("x", {1, 3}).input("w", {4, 4}).output("y");
  b.node("MatMul", {"x", "w"}, {"y"}, "proj");
  expect_failure(b.save(), "node 'proj' (MatMul)");
}

TEST(Convert, UsageErrorsExitWithTwo) {
  auto r = run_command(std::string(WEBDNN_CONVERT));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("no model given"), std::string::npos);
  r = run_command(std::string(WEBDNN_CONVERT) + " m.onnx --frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("unknown option '--frobnicate'"), std::string::npos);
  r = run_command(std::string(WEBDNN_CONVERT) + " m.onnx -o out --input-shape x=1,a");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'a' is not a positive integer"), std::string::npos);
  r = run_command(std::string(WEBDNN_CONVERT) + " m.onnx -o out --dim N0=4..1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--dim N0=4..1: the minimum is larger than the maximum"), std::string::npos) << r.output;
  r = run_command(std::string(WEBDNN_CONVERT) + " m.onnx -o out --dim N0=4");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--dim wants NAME=MIN..MAX"), std::string::npos) << r.output;
}

TEST(Convert, HelpAndVersion) {
  auto r = run_command(std::string(WEBDNN_CONVERT) + " --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* option : {"--backend", "--input-shape", "--dim", "--dump-ir", "-o, --output", "--version"})
    EXPECT_NE(r.output.find(option), std::string::npos) << option;
  // The help names every backend the converter has.
  const size_t available = r.output.find("available:");
  ASSERT_NE(available, std::string::npos) << r.output;
  std::string line = r.output.substr(available, 60);
  for (const std::string& name : backends::backend_names()) EXPECT_NE(line.find(name), std::string::npos) << name;
  r = run_command(std::string(WEBDNN_CONVERT) + " --version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output.rfind("webdnn-convert ", 0), 0u);
}

TEST(Convert, SuccessReplacesOnlyItsOwnFiles) {
  std::string out = existing_output_dir();
  auto r = run_command(std::string(WEBDNN_CONVERT) + " " + relu_model().save() + " -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto files = snapshot(out);
  EXPECT_EQ(files.at("notes.txt"), "user file");
  EXPECT_NE(files.at("manifest.json").find("webdnn-manifest"), std::string::npos);
  EXPECT_TRUE(files.count("graph-wasm.json"));
  EXPECT_TRUE(files.count("weights-wasm.bin.zst"));
}

// Sizes that the input values decide: each GPU backend runs the model up to the operator that
// finds one, and a wasm tail of its own the rest (docs/descriptor.md, "A wasm tail"); the wasm
// backend runs all of it.
TEST(Convert, GpuBackendsGetAWasmTailAtAFoundSize) {
  OnnxBuilder b;
  b.input("x", {2, 3}).output("y").output("i");
  b.node("Relu", {"x"}, {"a"}, "relu");
  b.node("Neg", {"a"}, {"y"}, "neg");
  b.node("NonZero", {"a"}, {"i"}, "nz");
  std::string out = testing::temp_dir() + "/out";
  auto r = run_command(std::string(WEBDNN_CONVERT) + " " + b.save() + " --backend wasm,webgpu,webgl --report -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("cutting the model before NonZero 'nz'"), std::string::npos) << r.output;
  Json manifest = Json::parse(snapshot(out).at("manifest.json"));
  auto files = snapshot(out);
  for (const Json& entry : manifest.at("backends")) {
    std::string name = entry.at("name");
    if (name == "wasm") {
      EXPECT_FALSE(entry.contains("tail"));
      continue;
    }
    ASSERT_TRUE(entry.contains("tail")) << entry.dump();
    EXPECT_EQ(entry.at("tail").at("carried"), Json::array({"a"}));
    std::string tail_file = entry.at("tail").at("descriptor");
    EXPECT_EQ(tail_file, "graph-" + name + "-tail.json");
    Json head = Json::parse(files.at(entry.at("descriptor").get<std::string>()));
    Json tail = Json::parse(files.at(tail_file));
    EXPECT_EQ(tail.at("backend"), "wasm");
    EXPECT_TRUE(files.count(tail.at("weights").at("file").get<std::string>()));
    EXPECT_EQ(entry.at("weights").size(), 2u);
    auto port_names = [](const Json& ports) {
      std::vector<std::string> n;
      for (const Json& p : ports) n.push_back(p.at("name"));
      return n;
    };
    EXPECT_EQ(port_names(head.at("outputs")), (std::vector<std::string>{"y", "a"})) << name;
    EXPECT_EQ(port_names(tail.at("inputs")), (std::vector<std::string>{"a"})) << name;
    EXPECT_EQ(port_names(tail.at("outputs")), (std::vector<std::string>{"i"})) << name;
    EXPECT_TRUE(tail.at("symbols").at(0).contains("data")) << name;
  }
  // Nothing before the NonZero: no GPU descriptor, the tail is the whole model.
  OnnxBuilder first;
  first.input("x", {2, 3}).output("i");
  first.node("NonZero", {"x"}, {"i"}, "nz");
  r = run_command(std::string(WEBDNN_CONVERT) + " " + first.save() + " --backend webgpu -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  manifest = Json::parse(snapshot(out).at("manifest.json"));
  const Json& entry = manifest.at("backends").at(0);
  EXPECT_FALSE(entry.contains("descriptor")) << entry.dump();
  EXPECT_EQ(entry.at("tail").at("carried"), Json::array());
  EXPECT_EQ(entry.at("weights"), Json::array({"weights-webgpu-tail.bin.zst"}));
}

TEST(Convert, DumpIrShowsOperatorsAndShapes) {
  auto r = run_command(std::string(WEBDNN_CONVERT) + " " + relu_model().save() + " --dump-ir");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("input  x: float32[1,2]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Relu \"relu\" (x)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("output y: float32[1,2]"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace webdnn

namespace webdnn {
namespace {

// x -> Conv -> BatchNormalization -> Relu -> y
std::string conv_bn_relu_model() {
  OnnxBuilder b;
  b.input("x", {1, 2, 4, 4}).output("y");
  b.initializer("w", Tensor::from_floats({2, 2, 1, 1}, {1, 2, 3, 4}));
  for (const char* n : {"s", "b", "m", "v"}) b.initializer(n, Tensor::from_floats({2}, {1, 1}));
  b.node("Conv", {"x", "w"}, {"c"}, "conv");
  b.node("BatchNormalization", {"c", "s", "b", "m", "v"}, {"n"}, "bn");
  b.node("Relu", {"n"}, {"y"}, "relu");
  return b.save();
}

TEST(Convert, OptimizeLevelAndDisabledRulesShowInTheDump) {
  std::string model = conv_bn_relu_model();
  auto all = run_command(std::string(WEBDNN_CONVERT) + " " + model + " --dump-ir");
  EXPECT_NE(all.output.find("1 operators"), std::string::npos) << all.output;  // one Conv with an epilogue
  auto none = run_command(std::string(WEBDNN_CONVERT) + " " + model + " --dump-ir --optimize 0");
  EXPECT_NE(none.output.find("BatchNormalization \"bn\""), std::string::npos) << none.output;
  auto no_fold = run_command(std::string(WEBDNN_CONVERT) + " " + model + " --dump-ir --disable-rule fold_channel_affine,fuse_epilogue");
  // Still decomposed, but the scale, shift and Relu stay beside the Conv, merged into one kernel.
  EXPECT_EQ(no_fold.output.find("BatchNormalization"), std::string::npos) << no_fold.output;
  EXPECT_NE(no_fold.output.find("FusedElementwise"), std::string::npos) << no_fold.output;
}

TEST(Convert, UnknownRuleNamesAreRefusedAndRulesListed) {
  auto list = run_command(std::string(WEBDNN_CONVERT) + " --list-rules");
  EXPECT_EQ(list.exit_code, 0);
  for (const char* rule : {"constant_folding", "fold_channel_affine", "fuse_epilogue", "layout_selection"})
    EXPECT_NE(list.output.find(rule), std::string::npos) << rule;
  auto bad = run_command(std::string(WEBDNN_CONVERT) + " " + conv_bn_relu_model() + " -o /tmp/never --disable-rule nope");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("--disable-rule: no rule named 'nope'"), std::string::npos) << bad.output;
}

TEST(Convert, ReportPrintsAndIsWritten) {
  std::string out = testing::temp_dir() + "/out";
  auto r = run_command(std::string(WEBDNN_CONVERT) + " " + conv_bn_relu_model() + " -o " + out + " --report");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("operators: 3 imported"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("decompose_batch_normalization x1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("kernels emitted:"), std::string::npos) << r.output;
  auto files = snapshot(out);
  EXPECT_NE(files.at("report.json").find("\"lower_bound_bytes\""), std::string::npos);
}

}  // namespace
}  // namespace webdnn
