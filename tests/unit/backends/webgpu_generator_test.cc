// The WebGPU backend's generator (the shaders themselves run in Chromium: tests/browser/webgpu_*):
// every IR operator has a kernel, bindings stay within the binding limit and the offset
// alignment, weights too large for one binding are split, and a dispatch never binds more
// buffers than WebGPU guarantees.
#include <gtest/gtest.h>

#include <cstdlib>

#include "backends/backend.h"
#include "backends/webgpu/generator/kernels/kernels.h"
#include "src/ops/schema.h"
#include "src/optimizer/rule.h"
#include "tests/unit/support/graph_builder.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using testing::GraphBuilder;

// The backend's descriptor of `graph` after its own rule groups, made for `limit` bytes per
// binding (the converter reads WEBDNN_WEBGPU_MAX_BINDING).
Json emit_webgpu(ir::Graph& graph, int64_t limit, int64_t* weight_bytes = nullptr) {
  setenv("WEBDNN_WEBGPU_MAX_BINDING", std::to_string(limit).c_str(), 1);
  auto backend = backends::make_backend("webgpu");
  EXPECT_TRUE(backend);
  for (const auto& group : backend->rule_groups()) optimizer::run_group(graph, group, optimizer::OptimizeOptions{});
  emit::WeightsBuilder weights;
  Json report;
  Json d = backend->emit(graph, weights, report);
  unsetenv("WEBDNN_WEBGPU_MAX_BINDING");
  if (weight_bytes) *weight_bytes = static_cast<int64_t>(weights.size());
  return d;
}

// Every binding inside its buffer, within the limit, at an aligned offset; at most 8 per dispatch.
void expect_bindable(const Json& d, int64_t limit) {
  EXPECT_EQ(d.at("max_binding").get<int64_t>(), limit);
  const Json& buffers = d.at("buffers");
  for (const Json& b : buffers) EXPECT_LE(b.at("bytes").get<int64_t>(), limit);
  for (const Json& dispatch : d.at("dispatches")) {
    EXPECT_LE(dispatch.at("bindings").size(), 8u);
    EXPECT_LT(dispatch.at("shader").get<size_t>(), d.at("shaders").size());
    for (const Json& binding : dispatch.at("bindings")) {
      int64_t buffer = binding[0], offset = binding[1], size = binding[2];
      EXPECT_EQ(offset % 256, 0) << dispatch.at("op");
      EXPECT_LE(size, limit) << dispatch.at("op");
      EXPECT_LE(offset + size, buffers.at(static_cast<size_t>(buffer)).at("bytes").get<int64_t>()) << dispatch.at("op");
    }
  }
}

TEST(WebGpuGenerator, EveryOperatorHasAKernel) {
  for (const std::string& type : ops::schema_types())
    EXPECT_TRUE(backends::webgpu::find_generator(type)) << "no webgpu kernel for " << type;
}

TEST(WebGpuGenerator, ConvolutionFusesItsEpilogue) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 3, 20, 20});
  ir::Variable* y = b.op("Conv", {x, b.constant("w", {8, 3, 3, 3}), b.constant("b", {8})},
                         {{"pads", Shape{1, 1, 1, 1}}, {"epilogue", Json::parse(R"([["input",0],["const",0],["max",0,1]])")}});
  b.output(b.op("MaxPool", {y}, {{"kernel_shape", Shape{2, 2}}, {"strides", Shape{2, 2}}}));
  Json d = emit_webgpu(b.graph, backends::webgpu::kMaxBinding);
  expect_bindable(d, backends::webgpu::kMaxBinding);
  ASSERT_EQ(d.at("dispatches").size(), 2u);
  const Json& conv = d.at("dispatches")[0];
  // Input, weights, bias, output; a kernel for GPUs and one for SwiftShader, the epilogue in both.
  EXPECT_EQ(conv.at("bindings").size(), 4u);
  ASSERT_TRUE(conv.contains("cpu"));
  for (size_t s : {conv.at("shader").get<size_t>(), conv.at("cpu").at("shader").get<size_t>()}) {
    std::string code = d.at("shaders")[s].at("code");
    EXPECT_NE(code.find("max("), std::string::npos) << code;
  }
  EXPECT_NE(d.at("shaders")[conv.at("shader").get<size_t>()].at("code").get<std::string>().find("var<workgroup>"),
            std::string::npos);
}

TEST(WebGpuGenerator, OversizedWeightIsSplitIntoBindablePieces) {
  // A 64 KiB weight under a 16 KiB limit: four products, each binding its own piece.
  const int64_t K = 128, N = 128, limit = 16384;
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, K});
  b.output(b.op("Gemm", {x, b.constant("w", {N, K}), b.constant("c", {N})}, {{"transB", 1}}));
  int64_t bytes = 0;
  Json d = emit_webgpu(b.graph, limit, &bytes);
  expect_bindable(d, limit);
  int parts = 0;
  for (const Json& dispatch : d.at("dispatches")) parts += dispatch.at("op").get<std::string>().find(":part") != std::string::npos;
  EXPECT_EQ(parts, 4);
  EXPECT_GE(d.at("buffers").size(), 5u);  // the arena and at least four weight buffers
  // The pieces are the weight cut up: stored once, aligned pieces of bias beside them.
  EXPECT_LT(bytes, N * K * 4 + 8 * 256 + 1024);
}

TEST(WebGpuGenerator, ManyInputsShareBindings) {
  // 12 inputs in the arena: bound as merged ranges so that the dispatch has at most 8 bindings.
  GraphBuilder b;
  std::vector<ir::Variable*> xs;
  for (int i = 0; i < 12; i++) xs.push_back(b.input("x" + std::to_string(i), {1, 3, 5, 7}));
  b.output(b.op("Concat", xs, {{"axis", 1}}));
  Json d = emit_webgpu(b.graph, backends::webgpu::kMaxBinding);
  expect_bindable(d, backends::webgpu::kMaxBinding);
  ASSERT_EQ(d.at("dispatches").size(), 1u);
}

TEST(WebGpuGenerator, ArenaOverTheLimitIsAClearError) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {64, 64});
  b.output(b.op("Relu", {x}));
  try {
    emit_webgpu(b.graph, 4096);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("more than one WebGPU binding holds"), std::string::npos) << e.what();
  }
  unsetenv("WEBDNN_WEBGPU_MAX_BINDING");
}

}  // namespace
}  // namespace webdnn
