// Golden text of the WGSL the WebGPU generator writes for a few typical operators, kept in
// tests/unit/backends/golden/webgpu/ so that a change to the generator shows in review as a
// change to its shaders. After a deliberate change, write them again and commit them with it:
//
//   WEBDNN_UPDATE_GOLDEN=1 ctest --test-dir build -R WebGpuGolden
//
// (the folder's README says the same). A shader that differs fails with the first line that
// differs; a missing file fails and says how to make it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "backends/backend.h"
#include "src/optimizer/rule.h"
#include "tests/unit/support/graph_builder.h"

namespace webdnn {
namespace {

using testing::GraphBuilder;

const std::string kGoldenDir = std::string(WEBDNN_SOURCE_DIR) + "/tests/unit/backends/golden/webgpu/";

Json emit_webgpu(ir::Graph& graph) {
  auto backend = backends::make_backend("webgpu");
  for (const auto& group : backend->rule_groups()) optimizer::run_group(graph, group, optimizer::OptimizeOptions{});
  emit::WeightsBuilder weights;
  Json report;
  return backend->emit(graph, weights, report);
}

// The shader of dispatch `dispatch`, or of its variant `variant` ("cpu", "subgroups").
std::string shader(const Json& d, size_t dispatch, const std::string& variant = "") {
  const Json& at = variant.empty() ? d.at("dispatches").at(dispatch) : d.at("dispatches").at(dispatch).at(variant);
  return d.at("shaders").at(at.at("shader").get<size_t>()).at("code");
}

void expect_golden(const std::string& name, const std::string& code) {
  const std::string file = kGoldenDir + name;
  if (const char* update = std::getenv("WEBDNN_UPDATE_GOLDEN"); update && *update) {
    std::ofstream(file, std::ios::binary) << code;
    return;
  }
  std::ifstream in(file, std::ios::binary);
  ASSERT_TRUE(in) << file << " is missing; write it with WEBDNN_UPDATE_GOLDEN=1 ctest --test-dir build -R WebGpuGolden";
  std::stringstream golden;
  golden << in.rdbuf();
  if (golden.str() == code) return;
  std::istringstream want(golden.str()), got(code);
  std::string a, b;
  for (int line = 1;; line++) {
    bool more_a = static_cast<bool>(std::getline(want, a)), more_b = static_cast<bool>(std::getline(got, b));
    if (!more_a && !more_b) break;
    if (a != b || more_a != more_b) {
      ADD_FAILURE() << name << " differs from the generated shader at line " << line << ":\n  golden:    " << (more_a ? a : "(end)")
                    << "\n  generated: " << (more_b ? b : "(end)")
                    << "\nIf the change is meant, update the golden files: WEBDNN_UPDATE_GOLDEN=1 ctest --test-dir build -R WebGpuGolden";
      return;
    }
  }
}

TEST(WebGpuGolden, ConvolutionImplicitGemm) {
  // 3x3, padded, bias and a ReLU epilogue: the GPU kernel gathers patches as it stages them,
  // the CPU kernel loops over channels and window rows.
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 8, 12, 12});
  b.output(b.op("Conv", {x, b.constant("w", {16, 8, 3, 3}), b.constant("b", {16})},
                {{"pads", Shape{1, 1, 1, 1}}, {"epilogue", Json::parse(R"([["input",0],["const",0],["max",0,1]])")}}));
  Json d = emit_webgpu(b.graph);
  ASSERT_EQ(d.at("dispatches").size(), 1u);
  expect_golden("conv3x3_gpu.wgsl", shader(d, 0));
  expect_golden("conv3x3_cpu.wgsl", shader(d, 0, "cpu"));
}

TEST(WebGpuGolden, ConvolutionWinograd) {
  // 3x3 of stride 1 with 256 channels each way: Winograd F(2x2, 3x3) on GPUs. The weight transform
  // runs once at load (prepare); every run transforms the input tiles, multiplies the 16 points as one
  // batched product, and transforms the outputs back, bias and ReLU applied as they are stored
  // (7 x 7: the last 2x2 blocks partial).
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 256, 7, 7});
  b.output(b.op("Conv", {x, b.constant("w", {256, 256, 3, 3}), b.constant("b", {256})},
                {{"pads", Shape{1, 1, 1, 1}}, {"epilogue", Json::parse(R"([["input",0],["const",0],["max",0,1]])")}}));
  // The CPU kernels (SwiftShader) keep the implicit GEMM's CPU shader, the first dispatch.
  Json d = emit_webgpu(b.graph);
  ASSERT_EQ(d.at("dispatches").size(), 4u);
  EXPECT_EQ(d.at("dispatches").at(0).at("kernels"), "cpu");
  EXPECT_FALSE(d.at("dispatches").at(0).contains("cpu"));
  for (size_t i = 1; i < 4; i++) EXPECT_EQ(d.at("dispatches").at(i).at("kernels"), "gpu");
  ASSERT_EQ(d.at("prepare").size(), 1u);
  expect_golden("winograd_weights.wgsl", d.at("shaders").at(d.at("prepare").at(0).at("shader").get<size_t>()).at("code"));
  expect_golden("winograd_tiles.wgsl", shader(d, 1));
  expect_golden("winograd_outputs.wgsl", shader(d, 3));
}

TEST(WebGpuGolden, MatMulTiled) {
  // M = 50 and N = 40 leave partial blocks; the epilogue adds a row vector broadcast to the output.
  GraphBuilder b;
  ir::Variable* a = b.input("a", {1, 50, 72});
  b.output(b.op("MatMul", {a, b.constant("b", {72, 40}), b.constant("r", {40})},
                {{"epilogue", Json::parse(R"([["input",0],["input",1],["add",0,1]])")}}));
  Json d = emit_webgpu(b.graph);
  ASSERT_EQ(d.at("dispatches").size(), 1u);
  expect_golden("matmul_gpu.wgsl", shader(d, 0));
  expect_golden("matmul_cpu.wgsl", shader(d, 0, "cpu"));
}

TEST(WebGpuGolden, QuantizedConvolutionInIntegers) {
  // A QDQ model's 3x3 convolution, its grids recorded (uint8 activations of zero point 100:
  // multiples in [-100, 155]), 6 input channels (two words a tap, the second half padding): the
  // weight packed at load, the patches packed as they are staged, i32 sums by dot4I8Packed on
  // devices with it and by unpacked bytes elsewhere, each with its CPU shader.
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 6, 9, 9});
  std::vector<float> w(8 * 6 * 9);
  for (size_t i = 0; i < w.size(); i++) w[i] = static_cast<float>((static_cast<int64_t>(i) * 37 % 255 - 127) * 0.01);
  Json grid = {{"x_scale", 0.02}, {"w_scales", std::vector<double>(8, 0.01)}, {"x_min", -100}, {"x_max", 155}};
  b.output(b.op("Conv", {x, b.constant("w", {8, 6, 3, 3}, w), b.constant("b", {8})},
                {{"pads", Shape{1, 1, 1, 1}}, {"strides", Shape{2, 2}}, {"integer_grid", grid}}));
  Json d = emit_webgpu(b.graph);
  ASSERT_EQ(d.at("dispatches").size(), 1u);
  ASSERT_EQ(d.at("prepare").size(), 1u);
  expect_golden("qdq_conv_weights.wgsl", d.at("shaders").at(d.at("prepare").at(0).at("shader").get<size_t>()).at("code"));
  expect_golden("qdq_conv_gpu.wgsl", shader(d, 0));
  expect_golden("qdq_conv_cpu.wgsl", shader(d, 0, "cpu"));
  const Json& dot = d.at("dispatches").at(0).at("packed_dot");
  expect_golden("qdq_conv_gpu_dot4.wgsl", d.at("shaders").at(dot.at("shader").get<size_t>()).at("code"));
}

TEST(WebGpuGolden, FusedAttention) {
  // softmax(Q . K' * 0.125 + mask) . V, as the shared rules leave it for the backend's fusion: the
  // scale and the key mask in the first product's epilogue. D = 6 and Dv = 10 leave partial vec4s.
  GraphBuilder b;
  ir::Variable* q = b.input("q", {2, 9, 6});
  ir::Variable* scores = b.op("MatMul", {q, b.input("k", {2, 6, 11}), b.input("mask", {2, 1, 11})},
                              {{"epilogue", Json::parse(R"([["input",0],["const",0.125],["mul",0,1],["input",1],["add",2,3]])")}});
  ir::Variable* probs = b.op("Softmax", {scores}, {{"axis", 2}});
  b.output(b.op("MatMul", {probs, b.input("v", {2, 11, 10})}));
  Json d = emit_webgpu(b.graph);
  // SwiftShader's: K and V copied as rows of keys, then its kernel; the GPU's kernel.
  ASSERT_EQ(d.at("dispatches").size(), 4u);
  for (const Json& x : d.at("dispatches")) EXPECT_EQ(x.at("type"), "FusedAttention");
  for (size_t i = 0; i < 4; i++) EXPECT_EQ(d.at("dispatches")[i].at("kernels"), i < 3 ? "cpu" : "gpu");
  expect_golden("attention_gpu.wgsl", shader(d, 3));
  expect_golden("attention_key_rows_cpu.wgsl", shader(d, 0));
  expect_golden("attention_cpu.wgsl", shader(d, 2));
}

TEST(WebGpuGolden, GemmOneRow) {
  // A fully connected layer at batch 1: the GPU kernel splits the depth over a workgroup.
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 256});
  b.output(b.op("Gemm", {x, b.constant("w", {24, 256}), b.constant("c", {24})}, {{"transB", 1}}));
  Json d = emit_webgpu(b.graph);
  ASSERT_EQ(d.at("dispatches").size(), 1u);
  expect_golden("gemm_row_gpu.wgsl", shader(d, 0));
}

TEST(WebGpuGolden, ElementwiseChainWithBroadcast) {
  // relu(x * s + t) with s per channel and t per column, as the fusion rule writes it.
  GraphBuilder b;
  ir::Variable* x = b.input("x", {2, 3, 4, 5});
  b.output(b.op("FusedElementwise", {x, b.input("s", {3, 1, 1}), b.input("t", {5})},
                {{"to", "float32"},
                 {"expr", Json::parse(R"([["input",0],["input",1],["mul",0,1],["input",2],["add",2,3],["const",0],["max",4,5]])")}}));
  Json d = emit_webgpu(b.graph);
  ASSERT_EQ(d.at("dispatches").size(), 1u);
  expect_golden("elementwise_broadcast.wgsl", shader(d, 0));
}

TEST(WebGpuGolden, SoftmaxLongRows) {
  // Rows of 300: a workgroup per row, maxima and sums combined in workgroup memory.
  GraphBuilder b;
  b.output(b.op("Softmax", {b.input("x", {4, 300})}, {{"axis", 1}}));
  Json d = emit_webgpu(b.graph);
  ASSERT_EQ(d.at("dispatches").size(), 1u);
  expect_golden("softmax_rows.wgsl", shader(d, 0));
  // On devices with subgroups: maxima and sums within each subgroup by shuffles.
  expect_golden("softmax_rows_subgroups.wgsl", shader(d, 0, "subgroups"));
}

TEST(WebGpuGolden, ReduceMeanManyMembers) {
  // Six outputs of 1000 members each: a workgroup per output.
  GraphBuilder b;
  b.output(b.op("ReduceMean", {b.input("x", {2, 1000, 3})}, {{"axes", Shape{1}}, {"keepdims", 0}}));
  Json d = emit_webgpu(b.graph);
  ASSERT_EQ(d.at("dispatches").size(), 1u);
  expect_golden("reduce_mean_group.wgsl", shader(d, 0));
  expect_golden("reduce_mean_group_subgroups.wgsl", shader(d, 0, "subgroups"));
}

}  // namespace
}  // namespace webdnn
