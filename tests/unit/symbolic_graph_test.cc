// The symbolic graph that the GPU backends write for a model with free dimensions
// (src/ir/serialize.h, docs/descriptor.md "Symbolic graphs"): it reads back as the graph it was,
// and specialized at a shape (what the generator in the page does) it gives exactly the
// descriptor and weights that converting with that shape gives. Shapes the model does not take
// get the runtime's own error.
#include <gtest/gtest.h>

#include "runtime/core/specialize.h"
#include "src/cli/convert.h"
#include "src/ir/serialize.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using testing::OnnxBuilder;

// x [N0, N1, 4]: a MatMul with a weight, reshaped through its own Shape to [N0, N1, 2, 2] and
// scaled, positions = Range(0, N1) + 0.5 (a shape computation left to run time: DimValues and
// Range, which fold once the symbols are numbers), x + bias + positions as a column, and the
// flat indices of an [N0, N1] grid.
OnnxBuilder model() {
  OnnxBuilder b(17);
  b.input("x", {-1, -1, 4}).output("y").output("positions").output("shifted").output("flat");
  std::vector<float> w(16);
  for (size_t i = 0; i < w.size(); i++) w[i] = 0.25f * static_cast<float>(i) - 1.5f;
  b.initializer("w", Tensor::from_floats({4, 4}, w));
  b.initializer("i0", Tensor::from_ints({}, {0}));
  b.initializer("i1", Tensor::from_ints({}, {1}));
  b.initializer("axes", Tensor::from_ints({1}, {0}));
  b.initializer("two", Tensor::from_ints({2}, {2, 2}));
  b.initializer("zero", Tensor::from_ints({}, {0}));
  b.initializer("one", Tensor::from_ints({}, {1}));
  b.initializer("half", Tensor::scalar(0.5f));
  b.node("MatMul", {"x", "w"}, {"xw"});
  b.node("Shape", {"x"}, {"s"});
  b.node("Gather", {"s", "i0"}, {"n0"});
  b.node("Gather", {"s", "i1"}, {"n1"});
  b.node("Unsqueeze", {"n0", "axes"}, {"u0"});
  b.node("Unsqueeze", {"n1", "axes"}, {"u1"});
  testing::attr(b.node("Concat", {"u0", "u1", "two"}, {"target"}), "axis", int64_t{0});
  b.node("Reshape", {"xw", "target"}, {"r"});
  b.node("Relu", {"r"}, {"y"});
  b.node("Range", {"zero", "n1", "one"}, {"p"});
  testing::attr(b.node("Cast", {"p"}, {"pf"}), "to", int64_t{onnx::TensorProto::FLOAT});
  b.node("Add", {"pf", "half"}, {"positions"});
  // x + bias + positions[:, None]: with the shapes given, the two constants merge before fusion.
  b.initializer("bias", Tensor::from_floats({4}, {0.5f, -0.5f, 1.0f, 2.0f}));
  b.initializer("axes1", Tensor::from_ints({1}, {1}));
  b.node("Add", {"x", "bias"}, {"xb"});
  b.node("Unsqueeze", {"pf", "axes1"}, {"pcol"});
  b.node("Add", {"xb", "pcol"}, {"shifted"});
  // flat = Range(0, N0)[:, None] * N1 + Range(0, N1): a DimValues (N1) in arithmetic, as BERT
  // computes its attention mask's indices.
  b.node("Range", {"zero", "n0", "one"}, {"r0"});
  b.node("Unsqueeze", {"r0", "axes1"}, {"r0c"});
  b.node("Mul", {"r0c", "n1"}, {"r0n"});
  b.node("Add", {"r0n", "p"}, {"flat"});
  return b;
}

struct Converted {
  std::unique_ptr<ir::Graph> graph, before_fusion;  // after the shared groups, and what the GPU backends write
  Json shared;
  size_t imported;
};

Converted convert(const std::string& path, const std::map<std::string, Shape>& shapes = {}) {
  onnx_frontend::ImportOptions options;
  options.input_shapes = shapes;
  Converted c;
  c.graph = onnx_frontend::import_file(path, options);
  c.imported = c.graph->num_operators();
  c.shared = cli::optimize_shared(*c.graph, {}, {}, &c.before_fusion);
  return c;
}

// What a descriptor says apart from what differs by design between the page's and the file's:
// the page makes one texture size (no variants) and takes the converter's half-float verdict.
Json comparable(Json d) {
  d.erase("variants");
  return d;
}

TEST(SymbolicGraph, ReadsBackAsTheGraphItWas) {
  Converted c = convert(model().save());
  ASSERT_FALSE(c.graph->symbols.empty());
  std::vector<uint8_t> blob;
  Json j = ir::graph_to_json(*c.graph, [&](const Tensor& t) {
    int64_t at = static_cast<int64_t>(blob.size());
    blob.insert(blob.end(), t.bytes.begin(), t.bytes.end());
    return at;
  });
  std::unique_ptr<ir::Graph> back = ir::graph_from_json(j, blob.data(), blob.size());
  ir::DimScope scope(*c.graph);  // dims in parameters read as text
  EXPECT_EQ(ir::dump(*back), ir::dump(*c.graph));
  EXPECT_EQ(back->symbols.size(), c.graph->symbols.size());
  EXPECT_EQ(back->guards.size(), c.graph->guards.size());
  ir::validate(*back);
}

TEST(SymbolicGraph, SpecializedAtAShapeIsTheConversionAtThatShape) {
  std::string path = model().save();
  Converted symbolic = convert(path);
  for (const char* name : {"webgpu", "webgl"}) {
    auto backend = backends::make_backend(name);
    emit::BackendOutput written = cli::generate_symbolic(*symbolic.before_fusion, *backend, symbolic.shared, symbolic.imported, {});
    EXPECT_TRUE(written.descriptor.contains("operators")) << name;
    // The half-float probe at each shape here, as the converter runs it.
    Json d = written.descriptor;
    d["generate"].erase("half_float");
    for (Shape shape : {Shape{2, 3, 4}, Shape{1, 1, 4}, Shape{3, 40, 4}}) {
      SCOPED_TRACE(std::string(name) + " at " + shape_to_string(shape));
      Json options = std::string(name) == "webgl" ? Json{{"max_texture_size", 2048}} : Json::object();
      emit::BackendOutput page = cli::specialize(d, written.weights.data(), written.weights.size(), {shape}, options);
      Converted fixed = convert(path, {{"x", shape}});
      auto b = backends::make_backend(name);
      emit::BackendOutput file = cli::generate(*fixed.graph, *b, fixed.shared, fixed.imported, {});
      EXPECT_EQ(comparable(page.descriptor).dump(1), comparable(file.descriptor).dump(1));
      EXPECT_TRUE(page.weights == file.weights);
    }
  }
}

TEST(SymbolicGraph, AShapeTheModelDoesNotTakeGetsTheRuntimesError) {
  Converted symbolic = convert(model().save());
  auto backend = backends::make_backend("webgpu");
  emit::BackendOutput written = cli::generate_symbolic(*symbolic.before_fusion, *backend, symbolic.shared, symbolic.imported, {});
  for (std::vector<Shape> shapes : {std::vector<Shape>{{2, 3}}, std::vector<Shape>{{2, 3, 5}}, std::vector<Shape>{}}) {
    std::string expected, got;
    try {
      runtime::bind_inputs(runtime::read_signature(written.descriptor), shapes);
    } catch (const Error& e) {
      expected = e.what();
    }
    try {
      cli::specialize(written.descriptor, written.weights.data(), written.weights.size(), shapes, Json::object());
    } catch (const Error& e) {
      got = e.what();
    }
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(got, expected);
  }
}

}  // namespace
}  // namespace webdnn
