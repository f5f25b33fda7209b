// The WebGPU backend's generator (the shaders themselves run in Chromium: tests/browser/webgpu_*):
// every IR operator has a kernel, bindings stay within the binding limit and the offset
// alignment, weights too large for one binding are split, and a dispatch never binds more
// buffers than WebGPU guarantees.
#include <gtest/gtest.h>

#include <set>

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <regex>

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
  // DimValues and Range (without inputs) appear only in graphs with free dimensions, which the GPU
  // backends do not take yet (webdnn-convert refuses them there). The integer products are
  // rewritten into float ones (integer_products_in_float, in the backend's rule group) first.
  // Operators whose sizes the values decide (NonZero, SizeFromValue...) run in a wasm tail.
  const std::set<std::string> rewritten = {"DimValues", "Range", "MatMulInteger", "ConvInteger", "MatMulNBits"};
  for (const std::string& type : ops::schema_types()) {
    if (!rewritten.count(type) && !ops::schema_of(type).capacity) {
      EXPECT_TRUE(backends::webgpu::find_generator(type)) << "no webgpu kernel for " << type;
    }
  }
}

// softmax(Q . K') . V over one head of `tokens` queries and keys of 64.
void attention_graph(GraphBuilder& b, int64_t tokens) {
  ir::Variable* scores = b.op("MatMul", {b.input("q", {1, tokens, 64}), b.input("k", {1, 64, tokens})});
  b.output(b.op("MatMul", {b.op("Softmax", {scores}, {{"axis", 2}}), b.input("v", {1, tokens, 64})}));
}

size_t count_type(const Json& d, const std::string& type) {
  size_t n = 0;
  for (const Json& x : d.at("dispatches")) n += x.at("type") == type;
  return n;
}

TEST(WebGpuGenerator, AttentionFusedNeverStoresItsScores) {
  {
    GraphBuilder b;  // 4200 x 4200 scores, 71 MB: one kernel, its keys split over workgroups on GPUs
    attention_graph(b, 4200);
    Json d = emit_webgpu(b.graph, backends::webgpu::kMaxBinding);
    EXPECT_EQ(count_type(d, "MatMul") + count_type(d, "Softmax"), 0u);
    // SwiftShader's copies of K and V as rows of keys, and its kernel; the GPU one and its merge.
    EXPECT_EQ(count_type(d, "FusedAttention"), 5u);
    expect_bindable(d, backends::webgpu::kMaxBinding);
  }
  {
    GraphBuilder b;  // without fusing, the scores and probabilities overflow the arena
    attention_graph(b, 4200);
    setenv("WEBDNN_WEBGPU_FUSED_ATTENTION", "0", 1);
    EXPECT_THROW(emit_webgpu(b.graph, backends::webgpu::kMaxBinding), Error);
    unsetenv("WEBDNN_WEBGPU_FUSED_ATTENTION");
  }
  for (int64_t head : {80, 128, 256}) {
    GraphBuilder b;  // larger heads in slices, within the 16 KB of workgroup memory every device has
    ir::Variable* scores = b.op("MatMul", {b.input("q", {1, 30, head}), b.input("k", {1, head, 30})});
    b.output(b.op("MatMul", {b.op("Softmax", {scores}, {{"axis", 2}}), b.input("v", {1, 30, head})}));
    setenv("WEBDNN_WEBGPU_FUSED_ATTENTION", "all", 1);  // fused whatever the size of its scores
    Json d = emit_webgpu(b.graph, backends::webgpu::kMaxBinding);
    unsetenv("WEBDNN_WEBGPU_FUSED_ATTENTION");
    ASSERT_EQ(count_type(d, "FusedAttention"), 4u) << head;  // K and V copied and a kernel for SwiftShader
    const Json& last = d.at("dispatches").back();
    ASSERT_EQ(last.value("kernels", ""), "gpu") << head;
    const std::string gpu = d.at("shaders")[last.at("shader").get<size_t>()].at("code");
    std::smatch vec4s;
    ASSERT_TRUE(std::regex_search(gpu, vec4s, std::regex(R"(var<workgroup> sm: array<vec4<f32>, (\d+)>)"))) << head;
    EXPECT_LE(std::stoi(vec4s[1]) * 16, 16384) << head;
  }
  for (int64_t keys : {30, 2100}) {
    // By default heads over 64 are fused only where the scores take 16 MB or more (2100 x 2100:
    // 17.6 MB), where the unfused kernels would store them whole; smaller, those are faster.
    GraphBuilder b;
    ir::Variable* scores = b.op("MatMul", {b.input("q", {1, keys, 128}), b.input("k", {1, 128, keys})});
    b.output(b.op("MatMul", {b.op("Softmax", {scores}, {{"axis", 2}}), b.input("v", {1, keys, 128})}));
    Json d = emit_webgpu(b.graph, backends::webgpu::kMaxBinding);
    EXPECT_EQ(count_type(d, "Softmax"), keys == 30 ? 1u : 0u) << keys;
    EXPECT_EQ(count_type(d, "FusedAttention") > 0, keys != 30) << keys;
  }
  {
    GraphBuilder b;  // heads of 257 are left to MatMul, Softmax, MatMul
    ir::Variable* scores = b.op("MatMul", {b.input("q", {1, 30, 257}), b.input("k", {1, 257, 30})});
    b.output(b.op("MatMul", {b.op("Softmax", {scores}, {{"axis", 2}}), b.input("v", {1, 30, 257})}));
    Json d = emit_webgpu(b.graph, backends::webgpu::kMaxBinding);
    EXPECT_EQ(count_type(d, "FusedAttention"), 0u);
    EXPECT_EQ(count_type(d, "Softmax"), 1u);
  }
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

// A weight of `shape` on a grid of `scales` per output channel (axis `axis`): multiples cycling
// through -127..127 (times `stretch`: 2 puts some beyond int8, as a weight zero point would).
Json grid_of(std::vector<double> scales, int64_t x_min, int64_t x_max) {
  Json g = {{"x_scale", 0.02}, {"w_scales", scales}};
  if (x_min < x_max) g["x_min"] = x_min, g["x_max"] = x_max;
  return g;
}
ir::Variable* grid_weight(GraphBuilder& b, const Shape& shape, int axis, const std::vector<double>& scales, int stretch = 1) {
  const Shape strides = contiguous_strides(shape);
  std::vector<float> v(static_cast<size_t>(num_elements(shape)));
  for (size_t i = 0; i < v.size(); i++) {
    const int64_t channel = static_cast<int64_t>(i) / strides[static_cast<size_t>(axis)] % shape[static_cast<size_t>(axis)];
    v[i] = static_cast<float>(((static_cast<int64_t>(i) * 37) % 255 - 127) * stretch * scales[static_cast<size_t>(channel)]);
  }
  return b.constant("w", shape, v);
}

TEST(WebGpuGenerator, QuantizedProductsRunInIntegers) {
  // Products whose grids the rule record_integer_grid wrote: a 3x3 and a 1x1 convolution and a
  // MatMul by a constant get integer kernels (a prepare dispatch packs the weight; the product
  // has a dot4I8Packed variant beside the plain one, each with its CPU shader).
  const std::vector<double> scales = {0.01, 0.02, 0.005, 0.03, 0.01, 0.02};
  auto conv = [&](int64_t k, int stretch, int64_t group, Json grid) {
    GraphBuilder b;
    ir::Variable* x = b.input("x", {1, 6, 9, 9});
    Json p = {{"pads", Shape(4, k / 2)}, {"integer_grid", grid}};
    if (group > 1) p["group"] = group;
    b.output(b.op("Conv", {x, grid_weight(b, {6, 6 / group, k, k}, 0, scales, stretch), b.constant("b", {6})}, p));
    return emit_webgpu(b.graph, int64_t{128} << 20);
  };
  auto integer = [](const Json& d) {
    const Json& last = d.at("dispatches").back();
    return last.contains("packed_dot") && last.at("packed_dot").contains("cpu") && last.contains("cpu") && d.contains("prepare");
  };
  for (int64_t k : {3, 1}) {
    Json d = conv(k, 1, 1, grid_of(scales, -100, 155));
    EXPECT_TRUE(integer(d)) << k;
    const std::string main = d.at("shaders").at(d.at("dispatches").back().at("shader").get<size_t>()).at("code");
    const std::string dot = d.at("shaders").at(d.at("dispatches").back().at("packed_dot").at("shader").get<size_t>()).at("code");
    EXPECT_EQ(main.find("dot4I8Packed"), std::string::npos);
    EXPECT_NE(dot.find("dot4I8Packed"), std::string::npos);
    EXPECT_NE(main.find("vec4<i32>(-28i)"), std::string::npos) << "the offset of multiples in [-100, 155] into int8";
  }
  // Kept in floats: weights beyond int8, an activation range unknown (a grid written before it was
  // recorded) or wider than 8 bits, a grouped convolution.
  EXPECT_FALSE(integer(conv(3, 2, 1, grid_of(scales, -128, 127))));
  EXPECT_FALSE(integer(conv(3, 1, 1, grid_of(scales, 0, 0))));
  EXPECT_FALSE(integer(conv(3, 1, 1, grid_of(scales, -128, 128))));
  EXPECT_FALSE(integer(conv(3, 1, 2, grid_of(scales, -128, 127))));
  for (int stretch : {1, 2}) {
    GraphBuilder b;
    ir::Variable* a = b.input("a", {2, 5, 30});
    b.output(b.op("MatMul", {a, grid_weight(b, {30, 6}, 1, scales, stretch)}, {{"integer_grid", grid_of(scales, -128, 127)}}));
    EXPECT_EQ(integer(emit_webgpu(b.graph, int64_t{128} << 20)), stretch == 1);
  }
}

TEST(WebGpuGenerator, TransposesAroundAChannelsLastBlockAreViews) {
  // A ConvNeXt block: LayerNorm reads the depthwise convolution's output through the permutation
  // to [N, H, W, C], the residual Add reads the second MatMul's output through the permutation
  // back; neither transpose is a dispatch. The transposed value in the middle (the MatMuls' input,
  // read by tiles) and the one that is a graph output are moved as before.
  GraphBuilder b;
  testing::convnext_between_convs(b);
  Json d = emit_webgpu(b.graph, backends::webgpu::kMaxBinding);
  expect_bindable(d, backends::webgpu::kMaxBinding);
  int transposes = 0;
  for (const Json& dispatch : d.at("dispatches")) transposes += dispatch.at("type") == "Transpose";
  EXPECT_EQ(transposes, 2);
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

TEST(WebGpuGenerator, EveryDtypeTakesFourBytesAnElementInTheArena) {
  // A bool tensor is stored as f32 like any other: planned at its dtype's byte a value, it
  // would overlap the next variable (BERT's attention mask reached past the arena's end).
  GraphBuilder b;
  ir::Variable* x = b.input("x", {128});
  ir::Variable* positive = b.op("Greater", {x, b.constant("zero", {1}, {0.0f})});
  ir::Variable* y = b.op("Where", {positive, x, b.constant("c", {1}, {-1.0f})});
  b.output(y);
  Json d = emit_webgpu(b.graph, backends::webgpu::kMaxBinding);
  expect_bindable(d, backends::webgpu::kMaxBinding);
  ASSERT_EQ(d.at("dispatches").size(), 2u);
  // Where's mask, input and output bound apart (overlapping ranges would be merged into one).
  EXPECT_EQ(d.at("dispatches")[1].at("bindings").size(), 4u) << d.at("dispatches")[1].dump();
}

// An embedding lookup and a softmax, as in BERT: indices up to 2999, which f16 cannot hold (its
// integers are exact to 2048), into a float table. `half`: exported in half precision.
Json embedding_softmax(bool half, int64_t* weight_bytes) {
  GraphBuilder b;
  ir::Variable* ids = b.input("ids", {1, 7}, DType::Int64);
  ir::Variable* rows = b.op("Gather", {b.constant("table", {3000, 8}), ids}, {{"axis", 0}});
  ir::Variable* y = b.op("Softmax", {rows}, {{"axis", 2}});
  y->name = "y";
  b.output(y);
  if (half) b.graph.port_types["y"] = "float16";
  return emit_webgpu(b.graph, backends::webgpu::kMaxBinding, weight_bytes);
}

TEST(WebGpuGenerator, HalfModelsGetAnF16ProgramWithIntegersKeptExact) {
  int64_t bytes32 = 0, bytes16 = 0;
  Json f32 = embedding_softmax(false, &bytes32), d = embedding_softmax(true, &bytes16);
  // An fp32 graph gets no f16 program; the f32 program of an fp16 graph is the same.
  EXPECT_FALSE(f32.contains("f16"));
  ASSERT_TRUE(d.contains("f16"));
  Json without = d;
  without.erase("f16");
  EXPECT_EQ(without, f32);
  EXPECT_EQ(f32.at("storage"), "f32");
  const Json& h = d.at("f16");
  EXPECT_EQ(h.at("storage"), "f16");
  expect_bindable({{"max_binding", backends::webgpu::kMaxBinding}, {"buffers", h.at("buffers")}, {"dispatches", h.at("dispatches")},
                   {"shaders", h.at("shaders")}},
                  backends::webgpu::kMaxBinding);
  // Buffer 0 the arena of f32 values (the indices), an arena of f16 values, the table as halves
  // made at load from the f32 copy the f32 program stores: the weights hold it once.
  const Json& buffers = h.at("buffers");
  ASSERT_EQ(buffers.size(), 3u) << buffers.dump();
  EXPECT_FALSE(buffers[0].contains("element"));
  EXPECT_EQ(buffers[1].at("element"), "f16");
  EXPECT_EQ(buffers[1].at("kind"), "arena");
  EXPECT_EQ(buffers[2].at("element"), "f16");
  ASSERT_EQ(buffers[2].at("halves").size(), 1u);
  EXPECT_EQ(buffers[2].at("halves")[0], Json::array({f32.at("buffers")[1].at("weights_offset"), 3000 * 8, 0}));
  EXPECT_EQ(buffers[2].at("bytes"), 3000 * 8 * 2);
  EXPECT_EQ(bytes16, bytes32);
  // The input indices in the f32 arena, 4 bytes each; the float output in the f16 one, 2 each.
  const Json& vars = h.at("variables");
  EXPECT_EQ(vars[0].at("buffer"), 0);
  EXPECT_EQ(vars[0].at("bytes"), 7 * 4);
  EXPECT_EQ(vars[1].at("buffer"), 1);
  EXPECT_EQ(vars[1].at("bytes"), 7 * 8 * 2);
  // The Gather binds the table and its rows as f16 and the indices as f32, converting the halves
  // to f32 and back at the accessors; every shader with an f16 binding enables f16.
  const Json& gather = h.at("dispatches")[0];
  EXPECT_EQ(gather.at("type"), "Gather");
  const std::string code = h.at("shaders")[gather.at("shader").get<size_t>()].at("code");
  EXPECT_EQ(code.rfind("enable f16;\n", 0), 0u) << code;
  EXPECT_NE(code.find("array<f16, 24000>"), std::string::npos) << code;
  EXPECT_NE(code.find("array<f32, 7>"), std::string::npos) << code;
  EXPECT_NE(code.find("-> f32 { return f32(buf"), std::string::npos) << code;
  EXPECT_NE(code.find("] = to_f16(v); }"), std::string::npos) << code;
  for (const Json& shader : h.at("shaders")) {
    const std::string c = shader.at("code");
    EXPECT_EQ(c.find("array<f16") != std::string::npos, c.rfind("enable f16;", 0) == 0) << c;
  }
  for (const Json& shader : f32.at("shaders")) EXPECT_EQ(shader.at("code").get<std::string>().find("f16"), std::string::npos);
}

TEST(WebGpuGenerator, ConstantsAreF32LiteralsThatWgslAccepts) {
  // Nine digits name every float, but the largest one rounds up to 3.40282347e+38, past the f32
  // range, which WGSL rejects (BERT's attention mask fills with it).
  using backends::webgpu::f32;
  EXPECT_EQ(f32(-FLT_MAX), "-3.4028234663852886e+38");
  EXPECT_EQ(f32(0.1), "0.100000001");
  EXPECT_EQ(f32(2.0), "2.0");
  for (float v : {FLT_MAX, -FLT_MAX, 3.40282326e38f, FLT_MIN, std::numeric_limits<float>::denorm_min(), 1.0f / 3.0f, 0.1f,
                  -0.0f, 1e30f, 16777216.0f}) {
    std::string s = f32(v);
    double back = std::strtod(s.c_str(), nullptr);
    EXPECT_LE(std::fabs(back), FLT_MAX) << s;
    EXPECT_EQ(static_cast<float>(back), v) << s;
    EXPECT_EQ(std::signbit(back), std::signbit(v)) << s;
  }
  // The mask of a transformer: where(mask, x, lowest float). Every literal of its shader reads
  // back inside the f32 range.
  GraphBuilder b;
  ir::Variable* mask = b.input("mask", {1, 4});
  b.output(b.op("FusedElementwise", {mask, b.input("x", {1, 4})},
                {{"to", "float32"}, {"expr", Json::parse(R"([["input",0],["input",1],["const",-3.4028234663852886e38],["select",0,1,2]])")}}));
  Json d = emit_webgpu(b.graph, backends::webgpu::kMaxBinding);
  std::string code = d.at("shaders")[0].at("code");
  std::regex literal(R"(\b[0-9]+\.[0-9]*(e[-+]?[0-9]+)?|\b[0-9]+e[-+]?[0-9]+)");
  int literals = 0;
  for (auto it = std::sregex_iterator(code.begin(), code.end(), literal); it != std::sregex_iterator(); ++it, ++literals)
    EXPECT_LE(std::strtod(it->str().c_str(), nullptr), FLT_MAX) << it->str() << " in\n" << code;
  EXPECT_NE(code.find("3.4028234663852886e+38"), std::string::npos) << code;
  EXPECT_GT(literals, 0);
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
