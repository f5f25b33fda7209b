// The ONNX frontend's handling of files: initializers in every storage form, external data,
// opset range, and inputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "src/ops/evaluate.h"
#include "tests/unit/support/onnx_builder.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using testing::OnnxBuilder;

// y = x + w with w [3] stored however `store` puts it.
Tensor add_with(void (*store)(onnx::TensorProto&)) {
  OnnxBuilder b;
  b.input("x", {3}).output("y");
  auto* w = b.model().mutable_graph()->add_initializer();
  w->set_name("w");
  w->add_dims(3);
  store(*w);
  b.node("Add", {"x", "w"}, {"y"});
  return ops::evaluate_graph(*b.import(), {{"x", Tensor::from_floats({3}, {0, 0, 0})}}).at("y");
}

TEST(OnnxFrontend, InitializersInTypedFields) {
  EXPECT_EQ(add_with([](onnx::TensorProto& t) {
              t.set_data_type(onnx::TensorProto::FLOAT);
              for (float v : {1.5f, -2.0f, 3.0f}) t.add_float_data(v);
            }).to_floats(),
            (std::vector<float>{1.5, -2, 3}));
  EXPECT_EQ(add_with([](onnx::TensorProto& t) {  // doubles become float32
              t.set_data_type(onnx::TensorProto::DOUBLE);
              for (double v : {0.25, 8.0, -1.0}) t.add_double_data(v);
            }).to_floats(),
            (std::vector<float>{0.25, 8, -1}));
  EXPECT_EQ(add_with([](onnx::TensorProto& t) {  // float16 bits in int32_data: 1.0, -2.0, 0.5
              t.set_data_type(onnx::TensorProto::FLOAT16);
              for (int bits : {0x3C00, 0xC000, 0x3800}) t.add_int32_data(bits);
            }).to_floats(),
            (std::vector<float>{1, -2, 0.5}));
}

TEST(OnnxFrontend, Int64ShapeInitializerInTypedField) {
  OnnxBuilder b;
  b.input("x", {2, 3}).output("y");
  auto* s = b.model().mutable_graph()->add_initializer();
  s->set_name("s");
  s->set_data_type(onnx::TensorProto::INT64);
  s->add_dims(2);
  s->add_int64_data(3);
  s->add_int64_data(2);
  b.node("Reshape", {"x", "s"}, {"y"});
  EXPECT_EQ(b.import()->outputs[0]->shape, (Shape{3, 2}));
}

TEST(OnnxFrontend, ExternalDataNextToTheModel) {
  OnnxBuilder b;
  b.input("x", {2}).output("y");
  auto* w = b.model().mutable_graph()->add_initializer();
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(2);
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto kv = [&](const char* k, const std::string& v) {
    auto* e = w->add_external_data();
    e->set_key(k);
    e->set_value(v);
  };
  kv("location", "weights.bin");
  kv("offset", "4");
  kv("length", "8");
  b.node("Mul", {"x", "w"}, {"y"});
  std::string path = b.save();
  std::string dir = std::filesystem::path(path).parent_path().string();
  {
    std::ofstream f(dir + "/weights.bin", std::ios::binary);
    float data[3] = {99.0f, 2.0f, 3.0f};  // the tensor starts at byte 4
    f.write(reinterpret_cast<const char*>(data), sizeof(data));
  }
  auto g = onnx_frontend::import_file(path);
  EXPECT_EQ(ops::evaluate_graph(*g, {{"x", Tensor::from_floats({2}, {1, 1})}}).at("y").to_floats(),
            (std::vector<float>{2, 3}));
  std::filesystem::remove(dir + "/weights.bin");
  try {
    onnx_frontend::import_file(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("keeps its data in '" + dir + "/weights.bin', which cannot be opened"),
              std::string::npos) << e.what();
  }
}

TEST(OnnxFrontend, OpsetsOutsideSevenToTwentyThreeAreRefused) {
  for (int64_t opset : {6, 24}) {
    OnnxBuilder b(opset);
    b.input("x", {1}).output("y");
    b.node("Relu", {"x"}, {"y"});
    try {
      b.import();
      FAIL() << "opset " << opset << " accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("uses opset " + std::to_string(opset) + "; webdnn supports opsets 7 to 23"),
                std::string::npos) << e.what();
    }
  }
  for (int64_t opset : {7, 23}) {
    OnnxBuilder b(opset);
    b.input("x", {1}).output("y");
    b.node("Relu", {"x"}, {"y"});
    EXPECT_NO_THROW(b.import()) << opset;
  }
}

TEST(OnnxFrontend, InputShapeOptionFixesFreeDimensions) {
  OnnxBuilder b;
  b.input("x", {-1, 3}).output("y");
  b.node("Relu", {"x"}, {"y"});
  onnx_frontend::ImportOptions options;
  options.input_shapes["x"] = {5, 3};
  EXPECT_EQ(b.import(options)->outputs[0]->shape, (Shape{5, 3}));
}

TEST(OnnxFrontend, OutputThatIsAnInputOrConstantGetsItsOwnVariable) {
  OnnxBuilder b;
  b.input("x", {2}).output("x").output("k").initializer("k", Tensor::from_floats({1}, {7}));
  auto g = b.import();
  ASSERT_EQ(g->outputs.size(), 2u);
  EXPECT_EQ(g->outputs[0]->name, "x");
  EXPECT_NE(g->outputs[0], g->inputs[0]);
  auto out = ops::evaluate_graph(*g, {{"x", Tensor::from_floats({2}, {1, 2})}});
  EXPECT_EQ(out.at("k").to_floats(), (std::vector<float>{7}));
}

}  // namespace
}  // namespace webdnn

namespace webdnn {
namespace {

// If over `flag` whose branches compute x * 2 and x + 1 (the else branch through `else_op`, of x
// reshaped to `else_shape` when given).
testing::OnnxBuilder if_model(const std::string& else_op = "Add", const Shape& else_shape = {}) {
  auto branch = [](const std::string& out, const std::string& op, float k, const Shape& shape) {
    onnx::GraphProto g;
    g.set_name(out);
    *g.add_initializer() = testing::to_proto(out + "_k", Tensor::from_floats({}, {k}));
    std::string x = "x";
    if (!shape.empty()) {
      *g.add_initializer() = testing::to_proto(out + "_shape", Tensor::from_ints({static_cast<int64_t>(shape.size())}, shape));
      onnx::NodeProto* r = g.add_node();
      r->set_op_type("Reshape");
      r->add_input("x");
      r->add_input(out + "_shape");
      r->add_output(x = out + "_x");
    }
    onnx::NodeProto* n = g.add_node();
    n->set_op_type(op);
    n->add_input(x);
    n->add_input(out + "_k");
    n->add_output(out);
    g.add_output()->set_name(out);
    return g;
  };
  testing::OnnxBuilder b(13);
  b.input("x", {2, 3}).input("flag", {1}, onnx::TensorProto::BOOL).output("y");
  onnx::NodeProto& n = b.node("If", {"flag"}, {"y"}, "choose");
  for (auto [name, g] : {std::pair{"then_branch", branch("doubled", "Mul", 2, {})},
                         std::pair{"else_branch", branch("plus", else_op, 1, else_shape)}}) {
    onnx::AttributeProto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::GRAPH);
    *a->mutable_g() = g;
  }
  return b;
}

TEST(OnnxIf, AConditionKnownOnlyAtRunTimePicksTheBranchWhenTheModelRuns) {
  auto g = if_model().import();
  const Tensor x = Tensor::from_floats({2, 3}, {0, 1, 2, -1, -2, -3});
  Tensor yes = Tensor::from_ints({1}, {1}).cast(DType::Bool), no = Tensor::from_ints({1}, {0}).cast(DType::Bool);
  EXPECT_EQ(ops::evaluate_graph(*g, {{"x", x}, {"flag", yes}}).at("y").to_floats(), (std::vector<float>{0, 2, 4, -2, -4, -6}));
  EXPECT_EQ(ops::evaluate_graph(*g, {{"x", x}, {"flag", no}}).at("y").to_floats(), (std::vector<float>{1, 2, 3, 0, -1, -2}));
}

TEST(OnnxIf, BranchesOfRunTimeConditionsMustAgreeInShape) {
  std::string e = testing::import_error(if_model("Add", {3, 2}));
  EXPECT_NE(e.find("node 'choose' (If): its condition is known only at run time, so WebDNN imports both branches and picks "
                   "each output; output 0 is float32 [2,3] in then_branch but float32 [3,2] in else_branch"),
            std::string::npos)
      << e;
}

TEST(OnnxIf, UnsupportedOperatorsInsideABranchAreListed) {
  std::string e = testing::import_error(if_model("Det"));
  EXPECT_NE(e.find("Det (1 node)"), std::string::npos) << e;
}

}  // namespace
}  // namespace webdnn
