// The WebGL backend's generator (the shaders themselves run in Chromium: tests/browser/webgl_*):
// every IR operator has a kernel, descriptors stay within their texture size, the splitting rule
// cuts what one texture cannot hold in the variant for small textures only, and all variants
// share one copy of the weights.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "backends/backend.h"
#include "backends/webgl/generator/kernels/kernels.h"
#include "src/ops/schema.h"
#include "src/optimizer/rule.h"
#include "tests/unit/support/graph_builder.h"

namespace webdnn {
namespace {

using testing::GraphBuilder;

// The backend's descriptor of `graph` after its own rule groups.
Json emit_webgl(ir::Graph& graph, int64_t* weight_bytes = nullptr) {
  auto backend = backends::make_backend("webgl");
  EXPECT_TRUE(backend);
  for (const auto& group : backend->rule_groups()) optimizer::run_group(graph, group, optimizer::OptimizeOptions{});
  emit::WeightsBuilder weights;
  Json report;
  Json d = backend->emit(graph, weights, report);
  if (weight_bytes) *weight_bytes = static_cast<int64_t>(weights.size());
  return d;
}

void expect_within(const Json& d, int64_t size) {
  EXPECT_EQ(d.at("max_texture_size").get<int64_t>(), size);
  for (const Json& t : d.at("textures")) {
    EXPECT_LE(t.at("width").get<int64_t>(), size);
    EXPECT_LE(t.at("height").get<int64_t>(), size);
  }
  for (const Json& p : d.at("programs")) EXPECT_EQ(p.get<std::string>().rfind("#version 300 es\n", 0), 0u);
  for (const Json& draw : d.at("draws")) {
    EXPECT_LT(draw.at("program").get<size_t>(), d.at("programs").size());
    EXPECT_LT(draw.at("output").get<size_t>(), d.at("variables").size());
  }
}

TEST(WebGlGenerator, EveryOperatorHasAKernel) {
  // DimValues and Range (without inputs) appear only in graphs with free dimensions, which the GPU
  // backends do not take yet (webdnn-convert refuses them there). The integer products are
  // rewritten into float ones (integer_products_in_float, in the backend's rule group) first.
  // Operators whose sizes the values decide (NonZero, SizeFromValue...) run in a wasm tail.
  const std::set<std::string> rewritten = {"DimValues", "Range", "MatMulInteger", "ConvInteger", "MatMulNBits"};
  for (const std::string& type : ops::schema_types()) {
    if (!rewritten.count(type) && !ops::schema_of(type).capacity) {
      EXPECT_TRUE(backends::webgl::find_kernel(type)) << "no webgl kernel for " << type;
    }
  }
}

TEST(WebGlGenerator, ConvolutionNetOneVariant) {
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, 3, 20, 20});
  ir::Variable* y = b.op("Conv", {x, b.constant("w", {8, 3, 3, 3}), b.constant("b", {8})},
                         {{"pads", Shape{1, 1, 1, 1}}, {"epilogue", Json::parse(R"([["input",0],["const",0],["max",0,1]])")}});
  y = b.op("MaxPool", {y}, {{"kernel_shape", Shape{2, 2}}, {"strides", Shape{2, 2}}});
  b.output(b.op("ReduceMean", {y}, {{"axes", Shape{2, 3}}, {"keepdims", 0}}));
  Json d = emit_webgl(b.graph);
  expect_within(d, 2048);
  // The same program for every texture size: one descriptor, valid from 2048 up.
  ASSERT_EQ(d.at("variants").size(), 1u);
  EXPECT_EQ(d.at("variants")[0].at("manifest").at("max_texture_size"), 2048);
  EXPECT_EQ(d.at("draws").size(), 3u);
  EXPECT_EQ(d.at("max_draw_buffers"), 8);  // the image layout of a 20 wide image: 8 layers
  EXPECT_TRUE(d.at("half_float").at("fits").get<bool>());
  // The convolution input is laid out as an image (channels packed, 8 layers).
  const Json& in = d.at("variables").at(d.at("inputs")[0].at("variable").get<size_t>());
  EXPECT_EQ(in.at("layout").at("packed"), 1);
  EXPECT_EQ(in.at("layout").at("layers"), 8);
}

TEST(WebGlGenerator, OversizedWeightIsSplitForSmallTexturesOnly) {
  // B holds 2048 * 2048 * 4 + 4096 floats: one texel more than a 2048 texture's worth.
  const int64_t K = 4096, N = 4097;
  GraphBuilder b;
  ir::Variable* x = b.input("x", {1, K});
  b.output(b.op("Gemm", {x, b.constant("w", {N, K}), b.constant("c", {N})}, {{"transB", 1}}));
  int64_t bytes = 0;
  Json d = emit_webgl(b.graph, &bytes);
  expect_within(d, 2048);
  ASSERT_EQ(d.at("variants").size(), 2u);  // 4096 and 16384 come out the same
  const Json& big = d.at("variants")[1];
  EXPECT_EQ(big.at("manifest").at("max_texture_size"), 4096);
  expect_within(big.at("descriptor"), 4096);
  auto parts = [](const Json& desc) {
    int n = 0;
    for (const Json& draw : desc.at("draws")) n += draw.at("op").get<std::string>().find(":part") != std::string::npos;
    return n;
  };
  EXPECT_EQ(parts(d), 2);
  EXPECT_EQ(parts(big.at("descriptor")), 0);
  // The pieces are rows of the whole weight: it is stored once (small constants such as the
  // bias's pieces may be stored again).
  EXPECT_LT(bytes, N * K * 4 + 3 * N * 4 + 1024);
}

TEST(WebGlGenerator, HalfFloatProbe) {
  // Inputs in [-1, 1] times 3: at most 3, well inside half floats; times 1000 squared: up to 1e6,
  // more than half floats hold (65504), and the descriptor says so.
  auto probe = [](float scale, bool square) {
    GraphBuilder b;
    ir::Variable* x = b.input("x", {2, 8});
    ir::Variable* y = b.op("Mul", {x, b.constant("s", {1}, {scale})});
    if (square) y = b.op("Mul", {y, y});
    b.output(y);
    return emit_webgl(b.graph).at("half_float");
  };
  Json small = probe(3.0f, false), big = probe(1000.0f, true);
  EXPECT_GT(small.at("probe_max_abs").get<double>(), 1.0);
  EXPECT_LE(small.at("probe_max_abs").get<double>(), 3.0);
  EXPECT_TRUE(small.at("fits").get<bool>());
  EXPECT_GT(big.at("probe_max_abs").get<double>(), 65504.0);
  EXPECT_FALSE(big.at("fits").get<bool>());
}

TEST(WebGlGenerator, ConcatOfManyInputsIsJoinedInSteps) {
  // A draw samples at most 16 textures: 20 inputs take two draws.
  GraphBuilder b;
  std::vector<ir::Variable*> xs;
  for (int i = 0; i < 20; i++) xs.push_back(b.input("x" + std::to_string(i), {1, 3, 5, 7}));
  b.output(b.op("Concat", xs, {{"axis", 1}}));
  Json d = emit_webgl(b.graph);
  ASSERT_EQ(d.at("draws").size(), 2u);
  EXPECT_EQ(d.at("draws")[0].at("inputs").size(), 15u);
  EXPECT_EQ(d.at("draws")[1].at("inputs").size(), 6u);
}

TEST(WebGlGenerator, TexturesFromTheMemoryPlanner) {
  // x -> Relu -> Neg -> Exp -> Sigmoid -> y, one draw each: x, Neg and y alternate with Relu and
  // Exp between two textures (x is uploaded at every run, so it need not outlive its reader); a
  // draw never samples the texture it renders to. A Reshape of the same layout shares its
  // source's texture; the MatMul's output has another width, hence a texture of its own.
  GraphBuilder b;
  ir::Variable* y = b.input("x", {1, 4, 8, 8});
  for (const char* type : {"Relu", "Neg", "Exp", "Sigmoid"}) y = b.op(type, {y});
  b.output(y);
  Json d = emit_webgl(b.graph);
  ASSERT_EQ(d.at("draws").size(), 4u);
  EXPECT_EQ(d.at("textures").size(), 2u);
  for (const Json& draw : d.at("draws")) {
    int out = d.at("variables").at(draw.at("output").get<size_t>()).at("texture");
    for (const Json& in : draw.at("inputs")) EXPECT_NE(d.at("variables").at(in.get<size_t>()).at("texture"), out);
  }
  GraphBuilder c;
  ir::Variable* flat = c.op("Reshape", {c.op("Relu", {c.input("x", {4, 64})})}, {{"shape", Shape{16, 16}}});
  c.output(c.op("MatMul", {c.op("Neg", {flat}), c.constant("w", {16, 3})}));
  Json e = emit_webgl(c.graph);
  EXPECT_EQ(e.at("draws").size(), 3u);  // the Reshape draws nothing
  int intermediate = 0;
  for (const Json& t : e.at("textures")) intermediate += !t.contains("constant");
  EXPECT_EQ(intermediate, 3);
}

TEST(WebGlGenerator, TransposesAroundAChannelsLastBlockAreViews) {
  // A ConvNeXt block: LayerNorm reads the depthwise convolution's output through a layout with its
  // axes relabelled to [N, H, W, C], the residual Add the second MatMul's output through one
  // relabelled back; neither transpose draws, each shares its input's texture. The Add writes the
  // image layout (its other input's), so that the Conv after it stays on its fast path; LayerNorm
  // and the MatMuls write [N, H, W, C] row-major. A transpose read by a MatMul and one that is a
  // graph output are drawn as before.
  GraphBuilder b;
  ir::Variable* y = testing::convnext_between_convs(b);
  Json d = emit_webgl(b.graph);
  expect_within(d, 2048);
  std::map<std::string, Json> var;
  for (const Json& v : d.at("variables")) var[v.at("name")] = v;
  std::set<std::string> drawn;
  for (const Json& draw : d.at("draws")) drawn.insert(draw.at("op").get<std::string>());
  int transposes = 0, views = 0;
  for (const ir::Operator* op : b.graph.topological_order()) {
    if (op->type == "LayerNormalization" || op->type == "MatMul")  // four output columns a texel
      EXPECT_EQ(var.at(op->output()->name).at("layout").at("packed"), 3) << op->name;
    if (op->type != "Transpose") continue;
    if (drawn.count(op->name)) {
      transposes++;
      continue;
    }
    views++;
    EXPECT_EQ(var.at(op->output()->name).at("texture"), var.at(op->inputs[0]->name).at("texture"));
  }
  EXPECT_EQ(transposes, 2);
  EXPECT_EQ(views, 2);
  EXPECT_EQ(var.at(y->name).at("layout").at("packed"), 1);
  EXPECT_EQ(var.at(y->name).at("layout").at("layers"), 8);
}

TEST(WebGlGenerator, AttentionIsOneDrawThatStoresNoScores) {
  // softmax(Q . K') . V over 2 x 3 heads of 50 queries and keys: one draw, and no texture
  // as large as the scores (2 x 3 x 50 x 50 floats); its output has a layer per 4 of V's 32 columns.
  GraphBuilder b;
  ir::Variable* scores = b.op("MatMul", {b.input("q", {2, 3, 50, 16}), b.input("k", {2, 3, 16, 50})});
  b.output(b.op("MatMul", {b.op("Softmax", {scores}, {{"axis", 3}}), b.input("v", {2, 3, 50, 32})}));
  Json d = emit_webgl(b.graph);
  ASSERT_EQ(d.at("draws").size(), 1u);
  for (const Json& t : d.at("textures"))
    EXPECT_LT(t.at("width").get<int64_t>() * t.at("height").get<int64_t>() * t.at("layers").get<int64_t>() * 4, 2 * 3 * 50 * 50);
  const Json& out = d.at("variables").at(d.at("draws")[0].at("output").get<size_t>());
  EXPECT_EQ(out.at("layout").at("layers").get<int>(), 8);
  GraphBuilder c;  // heads of 129 are left to MatMul, Softmax, MatMul
  ir::Variable* s2 = c.op("MatMul", {c.input("q", {1, 30, 129}), c.input("k", {1, 129, 30})});
  c.output(c.op("MatMul", {c.op("Softmax", {s2}, {{"axis", 2}}), c.input("v", {1, 30, 129})}));
  EXPECT_GT(emit_webgl(c.graph).at("draws").size(), 2u);
}

}  // namespace
}  // namespace webdnn
