// Attention as ONNX's Attention and RotaryEmbedding (opset 23) and onnxruntime's com.microsoft
// operators write it, and Einsum, through the ONNX handlers (compositions of IR operators) and
// the reference kernels: hand-computed values, free dimensions kept, and the errors of what is
// refused. tools/testmodels/ops_attention.py compares the same operators with onnxruntime on
// every backend.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "backends/backend.h"
#include "runtime/core/runner.h"
#include "src/cli/convert.h"
#include "src/ops/evaluate.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/dim.h"

namespace webdnn {
namespace {

using testing::attr;
using testing::import_error;
using testing::OnnxBuilder;

onnx::NodeProto& ms_node(OnnxBuilder& b, const std::string& type, const std::vector<std::string>& in,
                         const std::vector<std::string>& out) {
  onnx::NodeProto& n = b.node(type, in, out);
  n.set_domain("com.microsoft");
  return n;
}

OnnxBuilder with_ms_domain() {
  OnnxBuilder b(17);
  auto* o = b.model().add_opset_import();
  o->set_domain("com.microsoft");
  o->set_version(1);
  return b;
}

void expect_near(const std::vector<float>& got, const std::vector<float>& want, float tolerance = 1e-6f) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); i++) EXPECT_NEAR(got[i], want[i], tolerance) << "element " << i;
}

// One query [1, 0] against keys [1, 0] and [0, 1] (scores 1/sqrt(2) and 0), values 2 and 4.
TEST(AttentionOps, OneHeadIsTheSoftmaxWeightedValues) {
  OnnxBuilder b(23);
  b.input("q", {1, 1, 1, 2}).input("k", {1, 1, 2, 2}).input("v", {1, 1, 2, 1}).output("y");
  b.node("Attention", {"q", "k", "v"}, {"y"});
  auto out = ops::evaluate_graph(*b.import(), {{"q", Tensor::from_floats({1, 1, 1, 2}, {1, 0})},
                                               {"k", Tensor::from_floats({1, 1, 2, 2}, {1, 0, 0, 1})},
                                               {"v", Tensor::from_floats({1, 1, 2, 1}, {2, 4})}});
  double p = std::exp(1 / std::sqrt(2.0)) / (std::exp(1 / std::sqrt(2.0)) + 1);
  expect_near(out.at("y").to_floats(), {static_cast<float>(2 * p + 4 * (1 - p))});
}

// Zero scores: each query averages the values it may see. With a past of 1, query i sees keys
// 0..i+1 (the causal mask ends with the past); a mask that leaves a query no key averages them
// all instead of giving NaN.
TEST(AttentionOps, CausalMaskIsAlignedWithTheEndOfThePast) {
  OnnxBuilder b(23);
  b.input("q", {1, 1, 2, 1}).input("k", {1, 1, 2, 1}).input("v", {1, 1, 2, 1});
  b.input("pk", {1, 1, 1, 1}).input("pv", {1, 1, 1, 1}).input("mask", {2, 3}, onnx::TensorProto::BOOL);
  b.output("y").output("present_v").output("masked");
  attr(b.node("Attention", {"q", "k", "v", "", "pk", "pv"}, {"y", "", "present_v"}), "is_causal", int64_t{1});
  b.node("Attention", {"q", "k", "v", "mask", "pk", "pv"}, {"masked"});
  Tensor zeros = Tensor::from_floats({1, 1, 2, 1}, {0, 0});
  Tensor mask(DType::Bool, {2, 3});
  mask.bytes = {0, 0, 0, 1, 0, 1};
  auto out = ops::evaluate_graph(*b.import(), {{"q", zeros}, {"k", zeros},
                                               {"v", Tensor::from_floats({1, 1, 2, 1}, {3, 6})},
                                               {"pk", Tensor::from_floats({1, 1, 1, 1}, {0})},
                                               {"pv", Tensor::from_floats({1, 1, 1, 1}, {0})},
                                               {"mask", mask}});
  expect_near(out.at("y").to_floats(), {1.5f, 3});  // (0 + 3) / 2, (0 + 3 + 6) / 3
  EXPECT_EQ(out.at("present_v").to_floats(), (std::vector<float>{0, 3, 6}));
  expect_near(out.at("masked").to_floats(), {3, 3});  // no key: the mean of 0, 3, 6; keys 0 and 2: 3
}

// Two query heads share one key/value head; 3-D inputs are split by the head counts.
TEST(AttentionOps, GroupedQueryHeadsReadTheirSharedKeyHead) {
  OnnxBuilder b(23);
  b.input("q", {1, 1, 2}).input("k", {1, 2, 1}).input("v", {1, 2, 1}).output("y");
  auto& n = b.node("Attention", {"q", "k", "v"}, {"y"});
  attr(n, "q_num_heads", int64_t{2});
  attr(n, "kv_num_heads", int64_t{1});
  attr(n, "scale", 1.0f);
  // Head 0 queries 1 (scores 1 and 0 against keys 1, 0), head 1 queries 0 (scores 0, 0).
  auto out = ops::evaluate_graph(*b.import(), {{"q", Tensor::from_floats({1, 1, 2}, {1, 0})},
                                               {"k", Tensor::from_floats({1, 2, 1}, {1, 0})},
                                               {"v", Tensor::from_floats({1, 2, 1}, {10, 20})}});
  double p = std::exp(1.0) / (std::exp(1.0) + 1);
  expect_near(out.at("y").to_floats(), {static_cast<float>(10 * p + 20 * (1 - p)), 15}, 1e-5f);
}

// softcap 1 turns scores 10 and 0 into tanh(10) and 0; the mask adds after the cap.
TEST(AttentionOps, SoftcapComesBeforeTheMask) {
  OnnxBuilder b(23);
  b.input("q", {1, 1, 1, 1}).input("k", {1, 1, 2, 1}).input("v", {1, 1, 2, 1}).output("y");
  b.initializer("mask", Tensor::from_floats({1, 2}, {0, 2}));
  auto& n = b.node("Attention", {"q", "k", "v", "mask"}, {"y"});
  attr(n, "softcap", 1.0f);
  attr(n, "scale", 1.0f);
  auto out = ops::evaluate_graph(*b.import(), {{"q", Tensor::from_floats({1, 1, 1, 1}, {10})},
                                               {"k", Tensor::from_floats({1, 1, 2, 1}, {1, 0})},
                                               {"v", Tensor::from_floats({1, 1, 2, 1}, {1, 0})}});
  double a = std::exp(std::tanh(10.0)), c = std::exp(2.0);
  expect_near(out.at("y").to_floats(), {static_cast<float>(a / (a + c))}, 1e-6f);
}

TEST(AttentionOps, RefusalsNameTheAttributeOrInput) {
  auto error = [](const std::function<void(OnnxBuilder&, onnx::NodeProto&)>& edit, Shape mask = {2, 3}) {
    OnnxBuilder b(23);
    b.input("q", {1, 1, 2, 4}).input("k", {1, 1, 3, 4}).input("v", {1, 1, 3, 4}).input("m", mask).output("y");
    onnx::NodeProto& n = b.node("Attention", {"q", "k", "v", "m"}, {"y"});
    edit(b, n);
    return import_error(b);
  };
  std::string e = error([](OnnxBuilder& b, onnx::NodeProto& n) {
    attr(n, "qk_matmul_output_mode", int64_t{1});
    for (const char* o : {"", "", "qk"}) n.add_output(o);
    b.output("qk");
  });
  EXPECT_NE(e.find("qk_matmul_output_mode 1 is not supported; only 0 (scale * Q K^T) and 3 (after softmax) are"),
            std::string::npos) << e;
  e = error([](OnnxBuilder&, onnx::NodeProto&) {}, {2, 2});
  EXPECT_NE(e.find("attn_mask's last axis holds 2 keys but there are 3"), std::string::npos) << e;
  OnnxBuilder three(23);
  three.input("q", {1, 2, 8}).input("k", {1, 2, 8}).input("v", {1, 2, 8}).output("y");
  three.node("Attention", {"q", "k", "v"}, {"y"});
  e = import_error(three);
  EXPECT_NE(e.find("attribute 'q_num_heads' is required with 3-D inputs"), std::string::npos) << e;
}

// x = [1, 0, 0, 1] (one head of 4) at angles whose cos and sin are (c0, c1) and (s0, s1).
TEST(AttentionOps, RotaryEmbeddingRotatesHalvesOrNeighbours) {
  for (int64_t interleaved : {0, 1}) {
    OnnxBuilder b(23);
    b.input("x", {1, 1, 1, 4}).output("y");
    b.initializer("cos", Tensor::from_floats({1, 1, 2}, {0.5f, 0.25f}));
    b.initializer("sin", Tensor::from_floats({1, 1, 2}, {2, 3}));
    attr(b.node("RotaryEmbedding", {"x", "cos", "sin"}, {"y"}), "interleaved", interleaved);
    auto out = ops::evaluate_graph(*b.import(), {{"x", Tensor::from_floats({1, 1, 1, 4}, {1, 0, 0, 1})}});
    // Halves: x1 = (1, 0), x2 = (0, 1). Neighbours: x1 = (1, 0), x2 = (0, 1) as well, but the
    // results interleave.
    std::vector<float> want = {0.5f, -3, 2, 0.25f};
    if (interleaved) want = {0.5f, 2, -3, 0.25f};
    EXPECT_EQ(out.at("y").to_floats(), want) << "interleaved " << interleaved;
  }
}

// com.microsoft RotaryEmbedding reads the caches at position_ids; a [1] input is the first
// position of every row.
TEST(AttentionOps, ContribRotaryEmbeddingReadsItsCachesAtThePositions) {
  OnnxBuilder b = with_ms_domain();
  b.input("x", {1, 2, 2}).output("y");
  b.initializer("pos", Tensor::from_ints({1}, {1}));
  b.initializer("cos", Tensor::from_floats({3, 1}, {9, 0, 1}));
  b.initializer("sin", Tensor::from_floats({3, 1}, {9, 1, 0}));
  ms_node(b, "RotaryEmbedding", {"x", "pos", "cos", "sin"}, {"y"});
  // Positions 1 (a quarter turn) and 2 (none) of the pair (1, 2).
  auto out = ops::evaluate_graph(*b.import(), {{"x", Tensor::from_floats({1, 2, 2}, {1, 2, 1, 2})}});
  EXPECT_EQ(out.at("y").to_floats(), (std::vector<float>{-2, 1, 1, 2}));
}

// Key padding: the second key of batch 1 is masked (mask_filter_value added), so its query reads
// only value 1; batch 0 averages both.
TEST(AttentionOps, MultiHeadAttentionMasksPaddedKeys) {
  OnnxBuilder b = with_ms_domain();
  b.input("q", {2, 1, 2}).input("k", {2, 2, 2}).input("v", {2, 2, 2}).output("y");
  b.initializer("mask", Tensor::from_ints({2, 2}, {1, 1, 1, 0}, DType::Int32));
  attr(ms_node(b, "MultiHeadAttention", {"q", "k", "v", "", "mask"}, {"y"}), "num_heads", int64_t{1});
  Tensor zeros = Tensor::from_floats({2, 1, 2}, {0, 0, 0, 0});
  Tensor keys = Tensor::from_floats({2, 2, 2}, std::vector<float>(8, 0));
  auto out = ops::evaluate_graph(*b.import(), {{"q", zeros}, {"k", keys},
                                               {"v", Tensor::from_floats({2, 2, 2}, {1, 1, 3, 3, 1, 1, 3, 3})}});
  expect_near(out.at("y").to_floats(), {2, 2, 1, 1});
}

TEST(AttentionOps, ContribRefusalsNameTheAttributeOrInput) {
  auto error = [](const std::string& type, const std::vector<std::string>& in, const char* a, int64_t v) {
    OnnxBuilder b = with_ms_domain();
    b.input("x", {1, 2, 32}).input("w", {32, 96}).input("i", {1}, onnx::TensorProto::INT32);
    b.input("i2", {2}, onnx::TensorProto::INT32).output("y");
    onnx::NodeProto& n = ms_node(b, type, in, {"y"});
    attr(n, "num_heads", int64_t{2});
    attr(n, "kv_num_heads", int64_t{2});
    if (a) attr(n, a, v);
    return import_error(b);
  };
  std::string e = error("Attention", {"x", "w"}, "do_rotary", 1);
  EXPECT_NE(e.find("attribute do_rotary=1 is not supported (only 0)"), std::string::npos) << e;
  e = error("Attention", {"x", "w", "", "i2"}, nullptr, 0);
  EXPECT_NE(e.find("a mask index of shape [2] (start and end positions) is not supported"), std::string::npos) << e;
  e = error("GroupQueryAttention", {"x", "x", "x", "", "", "i", "i"}, "smooth_softmax", 1);
  EXPECT_NE(e.find("attribute smooth_softmax=1 is not supported (only 0)"), std::string::npos) << e;
  e = error("GroupQueryAttention", {"x", "x", "x", "", "", "i", "i", "", "", "", "", "w"}, nullptr, 0);
  EXPECT_NE(e.find("input 11 (head_sink) is not supported"), std::string::npos) << e;
  e = error("MultiHeadAttention", {"x", "x", "x", "", "", "", "", "", "", "i"}, nullptr, 0);
  EXPECT_NE(e.find("input 9 (cache_indirection) is not supported"), std::string::npos) << e;
}

TEST(AttentionOps, GroupQueryAttentionRefusesATotalPastItsPositions) {
  // total_sequence_length sizes the present outputs: 1124073479 (a fuzzer's mutation of 7) made
  // the importer build positions and caches of that length until memory ran out.
  OnnxBuilder b = with_ms_domain();
  b.input("x", {1, 2, 32}).input("past", {1, 2, 5, 16}).output("y").output("pk").output("pv");
  b.initializer("seqlens", Tensor::from_ints({1}, {6}, DType::Int32));
  b.initializer("total", Tensor::from_ints({}, {1124073479}, DType::Int32));
  auto& g = ms_node(b, "GroupQueryAttention", {"x", "x", "x", "past", "past", "seqlens", "total"}, {"y", "pk", "pv"});
  attr(g, "num_heads", int64_t{2});
  attr(g, "kv_num_heads", int64_t{2});
  std::string e = import_error(b);
  EXPECT_NE(e.find("total_sequence_length ('total') is 1124073479, more than the past's 5 positions and the 2 new ones"),
            std::string::npos) << e;
}

// Shapes pass through with their free dimensions, and only the head sizes need numbers.
TEST(AttentionOps, CompositionsKeepFreeDimensions) {
  OnnxBuilder b = with_ms_domain();
  b.input("x", {1, -1, 16}).input("past", {2, 1, 2, -1, 8}).output("y").output("present").output("gqa");
  b.initializer("w", Tensor::from_floats({16, 48}, std::vector<float>(16 * 48, 0.01f)));
  b.initializer("seqlens", Tensor::from_ints({1}, {0}, DType::Int32));
  b.initializer("total", Tensor::from_ints({}, {1}, DType::Int32));
  auto& a = ms_node(b, "Attention", {"x", "w", "", "", "past"}, {"y", "present"});
  attr(a, "num_heads", int64_t{2});
  attr(a, "unidirectional", int64_t{1});
  auto& g = ms_node(b, "GroupQueryAttention", {"x", "x", "x", "", "", "seqlens", "total"}, {"gqa"});
  attr(g, "num_heads", int64_t{2});
  attr(g, "kv_num_heads", int64_t{2});
  auto graph = b.import();
  EXPECT_EQ(shape_to_string(graph->outputs[0]->dims), "[1,N1,16]");
  EXPECT_EQ(shape_to_string(graph->outputs[1]->dims), "[2,1,2,N1+N3,8]");
  EXPECT_EQ(shape_to_string(graph->outputs[2]->dims), "[1,N1,16]");
}

// The model converted once with its free dimensions (wasm descriptor, native runtime) and run at
// the shapes of `inputs` gives what the model imported at those shapes gives: the position tables
// that free sizes make at run time (Range) agree with the constant ones.
void expect_same_when_free(const OnnxBuilder& b, const std::map<std::string, Tensor>& inputs) {
  auto graph = b.import();
  Json shared = cli::optimize_shared(*graph, {});
  auto wasm = backends::make_backend("wasm");
  emit::BackendOutput out = cli::generate(*graph, *wasm, shared, graph->num_operators(), {});
  out.descriptor["format"] = "webdnn-graph-descriptor";
  out.descriptor["version"] = runtime::kDescriptorVersion;
  out.descriptor["weights"] = {{"bytes", out.weights.size()}};
  runtime::Runner r(out.descriptor, out.weights);
  std::vector<Shape> shapes;
  onnx_frontend::ImportOptions fixed;
  for (const runtime::Port& p : r.inputs()) {
    shapes.push_back(inputs.at(p.name).shape);
    fixed.input_shapes[p.name] = inputs.at(p.name).shape;
  }
  r.set_input_shapes(shapes);
  for (const runtime::Port& p : r.inputs()) {
    const Tensor& t = inputs.at(p.name);
    std::memcpy(p.data, t.bytes.data(), t.bytes.size());
  }
  r.run();
  auto want = ops::evaluate_graph(*b.import(fixed), inputs);
  for (const runtime::Port& p : r.outputs()) {
    const Tensor& w = want.at(p.name);
    ASSERT_EQ(p.info.shape, w.shape) << p.name;
    std::vector<float> got(static_cast<size_t>(w.size()));
    std::memcpy(got.data(), p.data, got.size() * sizeof(float));
    expect_near(got, w.to_floats(), 1e-5f);
  }
}

TEST(AttentionOps, FreeSequencesRunAtEveryLength) {
  OnnxBuilder b(23);
  auto* ms = b.model().add_opset_import();
  ms->set_domain("com.microsoft");
  ms->set_version(1);
  b.input("x", {1, -1, 16});
  for (const char* y : {"causal", "gpt", "gqa", "rotary", "einsum"}) b.output(y);
  b.initializer("w", Tensor::from_floats({16, 48}, std::vector<float>(16 * 48, 0.05f)));
  b.initializer("seqlens", Tensor::from_ints({1}, {2}, DType::Int32));
  b.initializer("total", Tensor::from_ints({}, {3}, DType::Int32));
  b.initializer("pos", Tensor::from_ints({1}, {2}));
  std::vector<float> angles(64);
  for (size_t i = 0; i < angles.size(); i++) angles[i] = std::cos(static_cast<float>(i));
  b.initializer("cache", Tensor::from_floats({16, 4}, angles));
  auto& a = b.node("Attention", {"x", "x", "x"}, {"causal"});
  attr(a, "q_num_heads", int64_t{2});
  attr(a, "kv_num_heads", int64_t{2});
  attr(a, "is_causal", int64_t{1});
  auto& gpt = ms_node(b, "Attention", {"x", "w"}, {"gpt"});
  attr(gpt, "num_heads", int64_t{2});
  attr(gpt, "unidirectional", int64_t{1});
  auto& g = ms_node(b, "GroupQueryAttention", {"x", "x", "x", "", "", "seqlens", "total"}, {"gqa"});
  attr(g, "num_heads", int64_t{2});
  attr(g, "kv_num_heads", int64_t{2});
  attr(g, "local_window_size", int64_t{2});
  attr(ms_node(b, "RotaryEmbedding", {"x", "pos", "cache", "cache"}, {"rotary"}), "num_heads", int64_t{2});
  attr(b.node("Einsum", {"x", "x"}, {"einsum"}), "equation", std::string("bid,bjd->bij"));
  for (int64_t s : {2, 5}) {
    std::vector<float> x(static_cast<size_t>(16 * s));
    for (size_t i = 0; i < x.size(); i++) x[i] = std::sin(static_cast<float>(i) * 0.7f);
    expect_same_when_free(b, {{"x", Tensor::from_floats({1, s, 16}, x)}});
  }
}

TEST(EinsumOps, BatchedProductsOuterProductsSumsAndChains) {
  OnnxBuilder b(12);
  b.input("a", {2, 2, 3}).input("c", {2, 3, 2}).input("i", {2}).input("j", {3});
  b.output("batched").output("outer").output("sum").output("chain").output("transpose");
  attr(b.node("Einsum", {"a", "c"}, {"batched"}), "equation", std::string("bij,bjk->bik"));
  attr(b.node("Einsum", {"i", "j"}, {"outer"}), "equation", std::string("i,j"));
  attr(b.node("Einsum", {"a"}, {"sum"}), "equation", std::string("bij->j"));
  attr(b.node("Einsum", {"i", "a", "j"}, {"chain"}), "equation", std::string("b,bij,j->i"));
  attr(b.node("Einsum", {"a"}, {"transpose"}), "equation", std::string("...ij->...ji"));
  Tensor a = Tensor::from_floats({2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  Tensor c = Tensor::from_floats({2, 3, 2}, {1, 0, 0, 1, 1, 1, 2, 0, 0, 2, 1, 1});
  auto out = ops::evaluate_graph(*b.import(), {{"a", a}, {"c", c}, {"i", Tensor::from_floats({2}, {1, 2})},
                                               {"j", Tensor::from_floats({3}, {1, 0, -1})}});
  // Batch 0: [1 2 3; 4 5 6] x [1 0; 0 1; 1 1]; batch 1: [7 8 9; 10 11 12] x [2 0; 0 2; 1 1].
  EXPECT_EQ(out.at("batched").to_floats(), (std::vector<float>{4, 5, 10, 11, 23, 25, 32, 34}));
  EXPECT_EQ(out.at("outer").to_floats(), (std::vector<float>{1, 0, -1, 2, 0, -2}));
  EXPECT_EQ(out.at("sum").to_floats(), (std::vector<float>{22, 26, 30}));
  // sum over b, j of i_b * a_bij * j_j: row sums of a weighted by (1, 0, -1), times i_b.
  EXPECT_EQ(out.at("chain").to_floats(), (std::vector<float>{1 * -2 + 2 * -2, 1 * -2 + 2 * -2}));
  EXPECT_EQ(out.at("transpose").to_floats(), (std::vector<float>{1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12}));
}

TEST(EinsumOps, RefusesDiagonalsAndMismatchedOperands) {
  OnnxBuilder b(12);
  b.input("a", {3, 3}).output("y");
  attr(b.node("Einsum", {"a"}, {"y"}), "equation", std::string("ii->i"));
  std::string e = import_error(b);
  EXPECT_NE(e.find("operand 0 'ii' repeats index 'i' (a diagonal or trace), which is not supported"),
            std::string::npos) << e;
  OnnxBuilder c(12);
  c.input("a", {3, 3}).output("y");
  attr(c.node("Einsum", {"a"}, {"y"}), "equation", std::string("ij,jk->ik"));
  e = import_error(c);
  EXPECT_NE(e.find("the equation 'ij,jk->ik' names 2 operands but the node has 1 inputs"), std::string::npos) << e;
}

TEST(EinsumOps, KeepsFreeDimensions) {
  OnnxBuilder b(12);
  b.input("q", {-1, 2, -1, 4}).input("k", {-1, 2, -1, 4}).output("y");
  attr(b.node("Einsum", {"q", "k"}, {"y"}), "equation", std::string("bhid,bhjd->bhij"));
  auto g = b.import();
  EXPECT_EQ(shape_to_string(g->outputs[0]->dims), "[N0,2,N2,N2]");
}

}  // namespace
}  // namespace webdnn
