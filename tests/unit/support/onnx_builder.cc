#include "tests/unit/support/onnx_builder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace webdnn::testing {

OnnxBuilder::OnnxBuilder(int64_t opset) {
  model_.set_ir_version(8);
  model_.set_producer_name("webdnn-tests");
  auto* o = model_.add_opset_import();
  o->set_domain("");
  o->set_version(opset);
  model_.mutable_graph()->set_name("test");
}

OnnxBuilder& OnnxBuilder::input(const std::string& name, const Shape& shape, int elem_type) {
  auto* in = model_.mutable_graph()->add_input();
  in->set_name(name);
  auto* t = in->mutable_type()->mutable_tensor_type();
  t->set_elem_type(elem_type);
  auto* s = t->mutable_shape();
  for (size_t i = 0; i < shape.size(); i++) {
    auto* d = s->add_dim();
    if (shape[i] >= 0) d->set_dim_value(shape[i]);
    else d->set_dim_param("N" + std::to_string(i));
  }
  return *this;
}

OnnxBuilder& OnnxBuilder::output(const std::string& name, int elem_type) {
  auto* out = model_.mutable_graph()->add_output();
  out->set_name(name);
  if (elem_type) out->mutable_type()->mutable_tensor_type()->set_elem_type(elem_type);
  return *this;
}

onnx::TensorProto to_proto(const std::string& name, const Tensor& t) {
  onnx::TensorProto p;
  p.set_name(name);
  for (int64_t d : t.shape) p.add_dims(d);
  switch (t.dtype) {
    case DType::Float32: p.set_data_type(onnx::TensorProto::FLOAT); break;
    case DType::Int64: p.set_data_type(onnx::TensorProto::INT64); break;
    case DType::Int32: p.set_data_type(onnx::TensorProto::INT32); break;
    case DType::Bool: p.set_data_type(onnx::TensorProto::BOOL); break;
    case DType::UInt8: p.set_data_type(onnx::TensorProto::UINT8); break;
    case DType::Int8: p.set_data_type(onnx::TensorProto::INT8); break;
  }
  p.set_raw_data(std::string(t.bytes.begin(), t.bytes.end()));
  return p;
}

OnnxBuilder& OnnxBuilder::initializer(const std::string& name, const Tensor& t) {
  *model_.mutable_graph()->add_initializer() = to_proto(name, t);
  return *this;
}

onnx::NodeProto& OnnxBuilder::node(const std::string& op_type, const std::vector<std::string>& inputs,
                                   const std::vector<std::string>& outputs, const std::string& name) {
  auto* n = model_.mutable_graph()->add_node();
  n->set_op_type(op_type);
  n->set_name(name);
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  return *n;
}

namespace {
// One folder per test process, removed when the process exits, so test runs leave nothing behind.
struct TempRoot {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("webdnn-test-" + std::to_string(getpid()));
  ~TempRoot() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};
}  // namespace

std::string temp_dir() {
  static TempRoot root;
  static std::atomic<int> counter{0};
  auto dir = root.path / std::to_string(counter++);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string OnnxBuilder::save() const {
  std::string path = temp_dir() + "/model.onnx";
  std::ofstream f(path, std::ios::binary);
  model_.SerializeToOstream(&f);
  return path;
}

std::unique_ptr<ir::Graph> OnnxBuilder::import(const onnx_frontend::ImportOptions& options) const {
  return onnx_frontend::import_file(save(), options);
}

namespace {
onnx::AttributeProto* add_attr(onnx::NodeProto& node, const std::string& name, onnx::AttributeProto::AttributeType t) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(t);
  return a;
}
}  // namespace

void attr(onnx::NodeProto& n, const std::string& name, int64_t v) { add_attr(n, name, onnx::AttributeProto::INT)->set_i(v); }
void attr(onnx::NodeProto& n, const std::string& name, float v) { add_attr(n, name, onnx::AttributeProto::FLOAT)->set_f(v); }
void attr(onnx::NodeProto& n, const std::string& name, const std::string& v) {
  add_attr(n, name, onnx::AttributeProto::STRING)->set_s(v);
}
void attr(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = add_attr(n, name, onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}
void attr(onnx::NodeProto& n, const std::string& name, const std::vector<float>& v) {
  auto* a = add_attr(n, name, onnx::AttributeProto::FLOATS);
  for (float x : v) a->add_floats(x);
}
void attr(onnx::NodeProto& n, const std::string& name, const Tensor& v) {
  *add_attr(n, name, onnx::AttributeProto::TENSOR)->mutable_t() = to_proto("", v);
}

std::string import_error(const OnnxBuilder& b) {
  try {
    b.import();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape, b.shape);
  if (a.shape != b.shape) return INFINITY;
  double m = 0;
  for (int64_t i = 0; i < a.size(); i++) m = std::max(m, std::fabs(a.as_double(i) - b.as_double(i)));
  return m;
}

}  // namespace webdnn::testing
