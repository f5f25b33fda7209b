// Inputs from strangers that once crashed, hung or threw something other than a clear error:
// each found by a fuzz target of tests/fuzz or by reading the code they exercise, kept here with
// its input so that plain CI catches a return. Each must give a webdnn::Error with a message
// naming what is wrong, quickly, without allocating what the input merely claims.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <limits>
#include <fstream>
#include <sstream>

#include "runtime/core/runner.h"
#include "src/cli/args.h"
#include "src/cli/load.h"
#include "src/cli/npy.h"
#include "src/frontend/onnx/importer.h"
#include "src/ops/evaluate.h"
#include "tests/unit/support/backend_runner.h"
#include "tests/unit/support/graph_builder.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"
#include "webdnn/expr.h"

namespace webdnn {
namespace {

using testing::OnnxBuilder;

// The message of the webdnn::Error `f` throws; fails the test if it throws nothing or anything else.
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a webdnn::Error: " << e.what();
    return "";
  }
  ADD_FAILURE() << "no error";
  return "";
}

#define EXPECT_ERROR(expr, text)                                                 \
  do {                                                                           \
    std::string message_ = error_of([&] { (void)(expr); });                     \
    EXPECT_NE(message_.find(text), std::string::npos) << "message: " << message_; \
  } while (0)

std::string npy(const std::string& header, const std::string& data = "") {
  std::string h = header;
  h.append((64 - (10 + h.size() + 1) % 64) % 64, ' ');
  h += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(h.size() & 0xff);
  out += static_cast<char>(h.size() >> 8);
  return out + h + data;
}

TEST(UntrustedNpy, ShapeLargerThanTheDataIsRefusedBeforeAllocating) {
  // 2^48 float32 claimed by a file of a few bytes: once a bad_alloc (or the machine's memory).
  EXPECT_ERROR(cli::parse_npy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (16777216, 16777216), }", "abcd"), "x.npy"),
               "'x.npy' is truncated: shape [16777216,16777216] needs");
  EXPECT_ERROR(cli::parse_npy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1125899906842624, 1048576), }"), "x.npy"),
               "holds more than 2^50 elements");
}

TEST(UntrustedNpy, MalformedDimensionsAreErrors) {
  // std::stoll threw std::invalid_argument / std::out_of_range here.
  EXPECT_ERROR(cli::parse_npy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (a, 2), }"), "x.npy"),
               "malformed header: a dimension that is not a whole number");
  EXPECT_ERROR(cli::parse_npy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999, ), }"), "x.npy"),
               "a dimension too large");
  EXPECT_ERROR(cli::parse_npy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, ), }"), "x.npy"),
               "not a whole number");
}

TEST(UntrustedNpy, LongHeaderIsReadWithoutRecursion) {
  // A 60 kB header: std::regex recursed once per character and overflowed the stack.
  std::string header = "{'descr': '<f4" + std::string(60000, 'x') + "', 'fortran_order': False, 'shape': (1,), }";
  EXPECT_ERROR(cli::parse_npy(npy(header, "abcd"), "x.npy"), "which webdnn does not read");
}

TEST(UntrustedNpy, ValidFilesStillRead) {
  Tensor t = cli::parse_npy(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", std::string("\1\0\0\0\2\0\0\0", 8)), "x.npy");
  EXPECT_EQ(t.shape, Shape({2}));
  EXPECT_EQ(t.to_ints(), std::vector<int64_t>({1, 2}));
  Tensor s = cli::parse_npy(npy("{\"descr\": \"|u1\", \"shape\": (), \"fortran_order\": False}", "\7"), "x.npy");
  EXPECT_EQ(s.shape, Shape{});
  EXPECT_EQ(s.to_ints(), std::vector<int64_t>({7}));
}

TEST(UntrustedNpy, EmptyArrayReadsWithoutTouchingItsData) {
  // memcpy from an empty vector's null data (UBSan: null pointer passed as argument 1).
  Tensor t = cli::parse_npy(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 0, 3), }"), "x.npy");
  EXPECT_EQ(t.shape, Shape({2, 0, 3}));
  EXPECT_TRUE(t.bytes.empty());
}

TEST(UntrustedInputShape, HugeOrMalformedDimensionsAreUsageErrors) {
  // strtoll saturated 99999999999999999999 to 2^63-1 and the shape was taken.
  EXPECT_ERROR(cli::parse_input_shape("x=99999999999999999999"), "is not a positive integer");
  EXPECT_ERROR(cli::parse_input_shape("x=2199023255553"), "of at most 2^40");
  EXPECT_ERROR(cli::parse_input_shape("x=1,,2"), "'' is not a positive integer");
  EXPECT_ERROR(cli::parse_input_shape("x= 1"), "' 1' is not a positive integer");
  EXPECT_ERROR(cli::parse_input_shape("=1"), "wants NAME=D1,D2");
  auto [name, shape] = cli::parse_input_shape("a=b=3,4");
  EXPECT_EQ(name, "a=b");
  EXPECT_EQ(shape, Shape({3, 4}));
}

TEST(UntrustedInputShape, DimRangesAreSizesInOrder) {
  EXPECT_ERROR(cli::parse_dim_range("n=1..99999999999999999999"), "'99999999999999999999' is not a size");
  EXPECT_ERROR(cli::parse_dim_range("n= 1..4"), "' 1' is not a size");
  EXPECT_ERROR(cli::parse_dim_range("n=4..1"), "the minimum is larger than the maximum");
  EXPECT_ERROR(cli::parse_dim_range("n=4"), "--dim wants NAME=MIN..MAX");
  auto [name, range] = cli::parse_dim_range("seq=0..1099511627776");
  EXPECT_EQ(name, "seq");
  EXPECT_EQ(range, std::make_pair(int64_t{0}, int64_t{1} << 40));
}

// A model whose initializer `w` is `t` with `edit` applied to its proto.
template <class Edit>
std::string model_with_initializer(Edit edit) {
  OnnxBuilder b;
  b.input("x", {1, 2}).output("y");
  b.initializer("w", Tensor::from_floats({1, 2}, {1, 2}));
  b.node("Add", {"x", "w"}, {"y"}, "add");
  edit(*b.model().mutable_graph()->mutable_initializer(0));
  return b.model().SerializeAsString();
}

TEST(UntrustedOnnx, InitializerShapeLargerThanItsDataIsRefusedBeforeAllocating) {
  std::string bytes = model_with_initializer([](onnx::TensorProto& w) {
    w.clear_dims();
    w.add_dims(int64_t{1} << 24);
    w.add_dims(int64_t{1} << 24);
  });
  EXPECT_ERROR(onnx_frontend::import_bytes(bytes, "m.onnx"), "tensor 'w' of shape [16777216,16777216] holds 8 bytes of data");
}

TEST(UntrustedOnnx, ExternalDataOutsideTheModelDirectoryIsRefused) {
  auto external = [](const std::string& location, const std::string& offset) {
    return [=](onnx::TensorProto& w) {
      w.clear_raw_data();
      w.set_data_location(onnx::TensorProto::EXTERNAL);
      auto* l = w.add_external_data();
      l->set_key("location");
      l->set_value(location);
      auto* o = w.add_external_data();
      o->set_key("offset");
      o->set_value(offset);
    };
  };
  std::string dir = testing::temp_dir();
  std::ofstream(dir + "/w.bin") << std::string(8, '\0');
  auto import_in_dir = [&](const std::string& bytes) {
    std::ofstream(dir + "/m.onnx", std::ios::binary) << bytes;
    return onnx_frontend::import_file(dir + "/m.onnx");
  };
  EXPECT_ERROR(import_in_dir(model_with_initializer(external("../w.bin", "0"))), "outside the model's directory");
  EXPECT_ERROR(import_in_dir(model_with_initializer(external("/etc/passwd", "0"))), "outside the model's directory");
  EXPECT_ERROR(import_in_dir(model_with_initializer(external("a/../../w.bin", "0"))), "outside the model's directory");
  // std::stoll threw std::invalid_argument; a huge offset overflowed offset + length.
  EXPECT_ERROR(import_in_dir(model_with_initializer(external("w.bin", "12abc"))), "offset '12abc', which is not a byte count");
  EXPECT_ERROR(import_in_dir(model_with_initializer(external("w.bin", "999999999999999999"))), "wants bytes");
  EXPECT_NO_THROW(import_in_dir(model_with_initializer(external("w.bin", "0"))));
  // A model in memory has no directory to read external data from.
  EXPECT_ERROR(onnx_frontend::import_bytes(model_with_initializer(external("w.bin", "0")), "m.onnx"),
               "this model was read from memory");
}

TEST(UntrustedOnnx, IntegerDataOutsideInt64IsSaturated) {
  // A uint64 of 2^64-1 went through a double into int64: undefined behaviour (UBSan).
  std::string bytes = model_with_initializer([](onnx::TensorProto& w) {
    w.clear_raw_data();
    w.clear_dims();
    w.add_dims(2);
    w.set_data_type(onnx::TensorProto::UINT64);
    w.add_uint64_data(~uint64_t{0});
    w.add_uint64_data(5);
  });
  OnnxBuilder b;
  b.input("x", {2}, onnx::TensorProto::INT64).output("y");
  onnx::ModelProto m;
  ASSERT_TRUE(m.ParseFromString(bytes));
  *b.model().mutable_graph()->add_initializer() = m.graph().initializer(0);
  b.node("Add", {"x", "w"}, {"y"}, "add");
  auto g = onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx");
  EXPECT_EQ(g->find_variable("w")->logical_data().to_ints(), std::vector<int64_t>({INT64_MAX, 5}));
}

TEST(UntrustedOnnx, NamesThatAreNotUtf8AreRefusedAtImport) {
  // They reached the descriptor, whose JSON dump threw nlohmann's type_error 316.
  for (const std::string bad : {"\xff", "a\xc3", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
    OnnxBuilder b;
    b.input("x", {1, 2}).output("y");
    b.node("Relu", {"x"}, {"y"}, "relu" + bad);
    EXPECT_ERROR(onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx"), "the name of node 0 is not valid UTF-8");
  }
  OnnxBuilder b;
  b.input("x\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", {1, 2}).output("y");  // é € 😀
  b.node("Relu", {"x\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"}, {"y"}, "relu");
  EXPECT_NO_THROW(onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx"));
}

TEST(UntrustedOnnx, EmptyConstantsEmitForEveryBackend) {
  // An empty Range feeding an Add: the webgl backend compared the empty constant's null data with
  // memcmp (UBSan), found by fuzz_onnx_convert from tools/make_models.py's op_Range.
  testing::GraphBuilder b;
  ir::Variable* x = b.input("x", {1});
  b.output(b.op("Add", {x, b.constant("empty", {0})}));
  for (const std::string backend : {"wasm", "webgpu", "webgl"}) {
    testing::Lowered l = testing::lower(b.graph, backend);
    EXPECT_TRUE(l.descriptor.is_object()) << backend;
  }
}

TEST(UntrustedOnnx, ResizeScalesPastInt64AreErrors) {
  // floor(2 * 1e21) converted to int64: undefined behaviour (UBSan), found by fuzz_onnx_convert.
  for (float scale : {1e21f, 1e12f, std::numeric_limits<float>::infinity()}) {
    OnnxBuilder b;
    b.input("x", {1, 1, 2, 2}).output("y");
    b.initializer("scales", Tensor::from_floats({4}, {1, 1, scale, 1}));
    b.node("Resize", {"x", "", "scales"}, {"y"}, "resize");
    EXPECT_ERROR(onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx"), "more than any backend holds");
  }
}

TEST(UntrustedOnnx, StringAttributesThatAreNotUtf8AreRefused) {
  // Resize's coordinate_transformation_mode "asymme\x8c...": it went into the parameters, whose
  // JSON dump threw nlohmann's type_error 316 (found by fuzz_onnx_convert).
  OnnxBuilder b;
  b.input("x", {1, 1, 2, 2}).output("y");
  b.initializer("scales", Tensor::from_floats({4}, {1, 1, 2, 2}));
  testing::attr(b.node("Resize", {"x", "", "scales"}, {"y"}, "resize"), "coordinate_transformation_mode",
                std::string("asymme\x8c\x8d\x96\xa1"));
  EXPECT_ERROR(onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx"),
               "attribute 'coordinate_transformation_mode' is not valid UTF-8");
}

TEST(UntrustedDescriptor, MisalignedVariablesAreRefused) {
  // A float32 variable at an odd arena offset: wasm.Relayout stored floats at a misaligned address
  // (UBSan), found by fuzz_descriptor_run from op_AveragePool_exclude_pad.
  testing::GraphBuilder b;
  b.output(b.op("Relu", {b.input("x", {1, 4})}));
  Json d = testing::lower(b.graph, "wasm").descriptor;
  EXPECT_NO_THROW(runtime::Runner r(d));
  d["variables"][0]["offset"] = d["variables"][0]["offset"].get<int64_t>() + 2;
  EXPECT_ERROR(runtime::Runner(d), "field 'offset' is");
  EXPECT_ERROR(runtime::Runner(d), "not a multiple of the 4 bytes of a float32");
}

TEST(UntrustedOnnx, EmptySplitOutputsRunOnTheRuntime) {
  // Split of x [10,3,1] into [1,0,0] along axis 2, the empty parts copied to outputs: the runtime
  // refused its own converter's descriptor ("the elementwise output is not dense": an empty
  // tensor's row-major strides [0,0,1] were not taken for dense). Found by fuzz_onnx_convert.
  OnnxBuilder b(18);
  b.input("x", {10, 3, 1}).output("y0").output("y1");
  testing::attr(b.node("Split", {"x"}, {"s0", "s1", "s2"}, "split"), "axis", int64_t{2});
  b.initializer("parts", Tensor::from_ints({3}, {1, 0, 0}));
  b.model().mutable_graph()->mutable_node(0)->add_input("parts");
  b.node("Identity", {"s1"}, {"y0"});
  b.node("Identity", {"s2"}, {"y1"});
  auto g = onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx");
  std::map<std::string, Tensor> in = {{"x", Tensor::from_floats({10, 3, 1}, std::vector<float>(30, 1.0f))}};
  testing::BackendRun r = testing::run_backend(*g, "wasm", in);
  EXPECT_EQ(r.outputs.at("y0").shape, Shape({10, 3, 0}));
  EXPECT_EQ(r.outputs.at("y1").shape, Shape({10, 3, 0}));
}

TEST(UntrustedOnnx, HugePadsAreErrorsOnEveryBackend) {
  // Pads of 2^33 and 7237443 on a [1,3,5,7] image: the webgl layout multiplied padded extents
  // past int64 (UBSan: signed integer overflow), found by fuzz_onnx_convert.
  OnnxBuilder b;
  b.input("x", {1, 3, 5, 7}).output("y");
  b.initializer("pads", Tensor::from_ints({8}, {0, 0, 8589934593, 0, 7237443, 0, 2, 259}));
  b.node("Pad", {"x", "pads"}, {"y"}, "pad");
  std::unique_ptr<ir::Graph> g;
  try {
    g = onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx");
  } catch (const Error&) {
    return;  // refused at import: as good
  }
  for (const std::string backend : {"wasm", "webgpu", "webgl"})
    EXPECT_ERROR(testing::lower(*g, backend), "");
}

TEST(UntrustedOnnx, ShapeWithStartPastEndIsEmpty) {
  // Shape(start=3, end=1) built a vector from a range running backwards (std::length_error, an
  // abort), found by the fuzz.onnx_convert test in its first run. ONNX: no dims, an empty tensor.
  OnnxBuilder b(19);
  b.input("x", {2, 3, 4, 5}).output("s");
  auto& n = b.node("Shape", {"x"}, {"s"}, "shape");
  testing::attr(n, "start", int64_t{3});
  testing::attr(n, "end", int64_t{1});
  auto g = onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx");
  EXPECT_EQ(g->outputs[0]->shape, Shape({0}));
}

TEST(UntrustedOnnx, PaddingByRepeatingNothingIsRefused) {
  // Cropping a whole axis away and then padding it in a repeating mode has nothing to repeat:
  // wrap would take a remainder by zero and reflect would loop over an empty period.
  for (const char* mode : {"reflect", "edge", "wrap"}) {
    OnnxBuilder b(19);
    b.input("x", {1, 4}).output("y");
    b.initializer("pads", Tensor::from_ints({4}, {0, -4, 0, 3}));
    testing::attr(b.node("Pad", {"x", "pads"}, {"y"}, "pad"), "mode", std::string(mode));
    EXPECT_ERROR(onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx"), "no element of it is left to repeat");
  }
}

TEST(UntrustedOnnx, EmptyResizeWithAHugeAxisIsCheap) {
  // Scales [6.6e-24, 1, 2.1e9, 2] on [1,3,5,6] make an empty [0,3,10737418240,12]: the reference
  // kernel (the webgl probe, constant folding) built per-axis tables of 10^10 entries, minutes and
  // gigabytes (fuzz_onnx_convert's timeout). An empty output is now a constant at import.
  OnnxBuilder b(19);
  b.input("x", {1, 3, 5, 6}).output("y");
  b.initializer("scales", Tensor::from_floats({4}, {6.6174449e-24f, 1.0f, 2.1474836e9f, 2.0f}));
  b.node("Resize", {"x", "", "scales"}, {"y"}, "resize");
  auto g = onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx");
  EXPECT_EQ(g->outputs[0]->shape, Shape({0, 3, 10737418240, 12}));
  for (const std::string backend : {"wasm", "webgpu", "webgl"}) {
    try {
      testing::lower(*g, backend);
    } catch (const Error&) {  // refusing it is fine too; hanging is not
    }
  }
  for (const ir::Operator* op : g->topological_order()) EXPECT_NE(op->type, "Resize");
}

// A converted model's files in memory, for load_runner.
struct Files {
  std::map<std::string, std::string> files;
  cli::OpenFile open() const {
    return [this](const std::string& name) -> std::unique_ptr<std::istream> {
      auto it = files.find(name);
      if (it == files.end()) return nullptr;
      return std::make_unique<std::istringstream>(it->second);
    };
  }
};

TEST(UntrustedManifest, MalformedManifestsAreClearErrors) {
  Files f;
  // nlohmann's "[json.exception.type_error.305] cannot use operator[] with a string argument with array".
  for (const char* manifest : {"[]", "{}", "{\"backends\": 3}", "{\"backends\": [3]}", "{\"backends\": [{\"name\": 1}]}"}) {
    f.files["manifest.json"] = manifest;
    std::string m = error_of([&] { cli::load_runner(f.open(), "dir", "wasm"); });
    EXPECT_NE(m.find("manifest 'dir/manifest.json'"), std::string::npos) << manifest << ": " << m;
  }
  f.files["manifest.json"] = "{\"backends\": [{\"name\": \"wasm\"}]}";
  EXPECT_ERROR(cli::load_runner(f.open(), "dir", "wasm"), "has no file name 'descriptor'");
}

TEST(UntrustedManifest, DeeplyNestedJsonIsRefusedBeforeItIsCopied) {
  // 200000 nested lists as the descriptor's version: copying it (d.value("version")) and printing
  // it in the error recursed once per level and overflowed the stack.
  std::string deep = std::string(200000, '[') + std::string(200000, ']');
  Files f;
  f.files["manifest.json"] = Json{{"backends", {{{"name", "wasm"}, {"descriptor", "graph-wasm.json"}}}}}.dump();
  f.files["graph-wasm.json"] = "{\"format\": \"webdnn-graph-descriptor\", \"version\": " + deep + "}";
  EXPECT_ERROR(cli::load_runner(f.open(), "dir", "wasm"), "descriptor 'dir/graph-wasm.json' is not valid JSON for webdnn: it nests deeper than 64");
  f.files["manifest.json"] = deep;
  EXPECT_ERROR(cli::load_runner(f.open(), "dir", "wasm"), "manifest 'dir/manifest.json' is not valid JSON for webdnn");
  // Brackets inside strings are text, not nesting.
  EXPECT_EQ(parse_json("{\"a\": \"" + std::string(100, '[') + "\\\"\"}", "x")["a"].get<std::string>().size(), 101u);
  EXPECT_ERROR(parse_json("{\"a\": [1,", "the thing"), "the thing is not valid JSON");
}

TEST(UntrustedManifest, FileNamesThatLeadElsewhereAreRefused) {
  Files f;
  for (const char* name : {"../graph-wasm.json", "/etc/passwd", "a/b.json", "..", ""}) {
    f.files["manifest.json"] = Json{{"backends", {{{"name", "wasm"}, {"descriptor", name}}}}}.dump();
    EXPECT_ERROR(cli::load_runner(f.open(), "dir", "wasm"), "which is not a file name in the model's directory");
  }
}

TEST(UntrustedOnnx, OneHotOfAHugeDepthIsRefused) {
  // depth 1e18 (and 1e30, beyond int64: casting it was undefined) asked for a positions table of
  // that many elements (std::bad_alloc, an abort), found by fuzz.onnx_convert in CI.
  for (float depth : {1e18f, 1e30f}) {
    OnnxBuilder b(13);
    b.input("i", {2, 3}, onnx::TensorProto::INT64).output("y");
    b.initializer("depth", Tensor::from_floats({1}, {depth}));
    b.initializer("values", Tensor::from_floats({2}, {0.0f, 1.0f}));
    b.node("OneHot", {"i", "depth", "values"}, {"y"}, "onehot");
    EXPECT_ERROR(onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx"), "depth must be in [1, ");
  }
}

TEST(UntrustedOnnx, TriluOfAHugeMatrixIsRefused) {
  OnnxBuilder b(14);
  b.input("x", {1, 1 << 20, 1 << 20}).output("y");
  b.node("Trilu", {"x"}, {"y"}, "trilu");
  EXPECT_ERROR(onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx"), "Trilu's mask would need");
}

TEST(UntrustedOnnx, HugeResizeIsRefusedQuicklyOnWebgl) {
  // Scales [1, 1, 1.8, 2.8e6] on [1,3,5,6]: a 1.8 GB output; the webgl kernel built its table of
  // taps per output coordinate (16.7 million) before the budget was checked, past
  // fuzz.onnx_convert's timeout. Now refused before any kernel is generated.
  OnnxBuilder b(19);
  b.input("x", {1, 3, 5, 6}).output("y");
  b.initializer("scales", Tensor::from_floats({4}, {1.0f, 1.0f, 1.8f, 22369622.0f}));
  b.node("Resize", {"x", "", "scales"}, {"y"}, "resize");
  auto g = onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx");
  EXPECT_ERROR(testing::lower(*g, "webgl"), "MiB WebGL budget");
}

TEST(UntrustedOnnx, NonFiniteConstantsSurviveTheDescriptorText) {
  // x * NaN fused into an expression wrote ["const", null] (JSON has no NaN), which the runtime
  // then refused, found by fuzz.onnx_convert. They are written "NaN", "Infinity", "-Infinity".
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  Expr e;
  e.binary(ExprOp::Max, e.binary(ExprOp::Min, e.binary(ExprOp::Add, e.input(0), e.constant(nan)), e.constant(inf)),
           e.constant(-inf));
  Expr z;
  z.binary(ExprOp::Max, z.binary(ExprOp::Min, z.input(0), z.constant(inf)), z.constant(-inf));
  testing::GraphBuilder gb;
  ir::Variable* in = gb.input("x", {2, 3});
  gb.output(gb.op("FusedElementwise", {in}, {{"expr", e.to_json()}, {"to", "float32"}, {"shape", {2, 3}}}));
  gb.output(gb.op("FusedElementwise", {in}, {{"expr", z.to_json()}, {"to", "float32"}, {"shape", {2, 3}}}));
  auto g = gb.copy();
  testing::Lowered l = testing::lower(*g, "wasm");
  std::string text = l.descriptor.dump();
  EXPECT_NE(text.find(R"(["const","NaN"])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(["const","-Infinity"])"), std::string::npos) << text;
  runtime::Runner runner(Json::parse(text), std::move(l.weights));  // the descriptor as read from its file
  std::vector<float> x = {1, 2, 3, -1, -2, -3};
  std::memcpy(runner.inputs()[0].data, x.data(), 24);
  runner.run();
  for (int i = 0; i < 6; i++) {
    EXPECT_TRUE(std::isnan(static_cast<const float*>(runner.outputs()[0].data)[i]));
    EXPECT_EQ(static_cast<const float*>(runner.outputs()[1].data)[i], x[i]);
  }
}

TEST(UntrustedOnnx, ResizeKeepingTheInnermostSizeMatchesTheReferenceOnWasm) {
  // An innermost axis of equal size was taken for a copy by the wasm lowering; antialiased linear
  // taps of scale 1 (found by fuzz.onnx_convert: the runtime refused the descriptor) and
  // tf_half_pixel_for_nn's shift with round_prefer_ceil (which reads the next element) are not.
  struct Mode { const char *mode, *ctm, *nearest; int64_t antialias; };
  for (Mode m : {Mode{"linear", "pytorch_half_pixel", "round_prefer_floor", 1},
                 Mode{"cubic", "half_pixel", "round_prefer_floor", 0},
                 Mode{"nearest", "tf_half_pixel_for_nn", "round_prefer_ceil", 0}}) {
    OnnxBuilder b(19);
    b.input("x", {1, 3, 5, 2}).output("y");
    b.initializer("scales", Tensor::from_floats({4}, {1.0f, 1.0f, 0.6f, 1.0f}));
    auto& n = b.node("Resize", {"x", "", "scales"}, {"y"}, "resize");
    testing::attr(n, "mode", std::string(m.mode));
    testing::attr(n, "coordinate_transformation_mode", std::string(m.ctm));
    testing::attr(n, "nearest_mode", std::string(m.nearest));
    testing::attr(n, "antialias", m.antialias);
    auto g = onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx");
    std::vector<float> x(30);
    for (size_t i = 0; i < x.size(); i++) x[i] = static_cast<float>(i * i % 17);
    Tensor in = Tensor::from_floats({1, 3, 5, 2}, x);
    std::vector<float> want = ops::evaluate_graph(*g, {{"x", in}}).at("y").to_floats();
    std::vector<float> got = testing::run_backend(*g, "wasm", {{"x", in}}).outputs.at("y").to_floats();
    ASSERT_EQ(got.size(), want.size()) << m.mode;
    for (size_t i = 0; i < got.size(); i++) EXPECT_NEAR(got[i], want[i], 1e-5) << m.mode << " at " << i;
  }
}

TEST(UntrustedOnnx, MalformedAttributesAndInputsOfFuzzFindingsAreErrors) {
  // Each crashed the importer (found by fuzz.onnx_convert): a Clip bound holding no value (read
  // past its end); a Conv with stride 0 and auto_pad SAME (a division by zero); Attention and
  // com.microsoft MultiHeadAttention with a past_key of rank 2 (its axis 2 read past the end).
  auto import = [](OnnxBuilder& b) { return onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx"); };
  {
    OnnxBuilder b(13);
    b.input("x", {2, 3}).output("y");
    b.initializer("lo", Tensor::from_floats({0}, {}));
    b.node("Clip", {"x", "lo"}, {"y"}, "clip");
    EXPECT_ERROR(import(b), "must hold one value");
  }
  {
    OnnxBuilder b(13);
    b.input("x", {1, 2, 5, 5}).output("y");
    b.initializer("w", Tensor::from_floats({2, 2, 3, 3}, std::vector<float>(36, 0.5f)));
    auto& n = b.node("Conv", {"x", "w"}, {"y"}, "conv");
    testing::attr(n, "strides", std::vector<int64_t>{0, 1});
    testing::attr(n, "auto_pad", std::string("SAME_UPPER"));
    EXPECT_ERROR(import(b), "must be in [1, ");
  }
  {
    // ConvInteger on 1-D tensors: the kernel's extent was taken from a weight of rank 1.
    OnnxBuilder b(13);
    b.input("x", {6}, onnx::TensorProto::UINT8).output("y");
    b.initializer("w", Tensor::from_ints({3}, {1, 2, 3}, DType::UInt8));
    b.node("ConvInteger", {"x", "w"}, {"y"}, "conv");
    EXPECT_ERROR(import(b), "both must be 3-D or 4-D alike");
  }
  {
    OnnxBuilder b(23);
    b.input("q", {1, 2, 3, 4}).input("k", {1, 2, 3, 4}).input("v", {1, 2, 3, 4}).input("pk", {3, 4}).input("pv", {3, 4});
    b.output("y");
    b.node("Attention", {"q", "k", "v", "", "pk", "pv"}, {"y"}, "attention");
    EXPECT_ERROR(import(b), "past_key and past_value must be [batch, heads");
  }
  {
    OnnxBuilder b(17);
    auto* o = b.model().add_opset_import();
    o->set_domain("com.microsoft");
    o->set_version(1);
    b.input("q", {1, 3, 8}).input("k", {1, 3, 8}).input("v", {1, 3, 8}).input("pk", {3, 4}).input("pv", {3, 4});
    b.output("y");
    auto& n = b.node("MultiHeadAttention", {"q", "k", "v", "", "", "", "pk", "pv"}, {"y"}, "mha");
    n.set_domain("com.microsoft");
    testing::attr(n, "num_heads", int64_t{2});
    EXPECT_ERROR(import(b), "past_key and past_value must be [batch, heads");
  }
}

TEST(UntrustedOnnx, RoiAlignOfAHugeRegionIsBounded) {
  // An adaptive sampling grid (sampling_ratio 0) over a region 7.5e31 wide looped for ever (the
  // webgl probe, found by fuzz.onnx_convert; ceil of it into int64 was undefined too): at most
  // kMaxAdaptiveSamples per bin and axis now.
  OnnxBuilder b(16);
  b.input("x", {1, 1, 8, 10}).output("y");
  b.initializer("rois", Tensor::from_floats({1, 4}, {0.0f, 0.0f, 7.5e31f, 9.0f}));
  b.initializer("batch", Tensor::from_ints({1}, {0}));
  auto& n = b.node("RoiAlign", {"x", "rois", "batch"}, {"y"}, "roi");
  testing::attr(n, "output_height", int64_t{2});
  testing::attr(n, "output_width", int64_t{2});
  auto g = onnx_frontend::import_bytes(b.model().SerializeAsString(), "m.onnx");
  std::vector<float> x(80, 1.0f);
  Tensor y = ops::evaluate_graph(*g, {{"x", Tensor::from_floats({1, 1, 8, 10}, x)}}).at("y");
  EXPECT_EQ(y.shape, Shape({1, 1, 2, 2}));
}

}  // namespace
}  // namespace webdnn
